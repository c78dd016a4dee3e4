//! `/admin/activity`: every change to the catalogue, newest first (admins).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Desk, Workspace, blocking, render};
use crate::catalogue::Activity;
use crate::web::AppState;
use crate::web::labels;

const PER_PAGE: u32 = 100;

pub struct ActivityRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub what: String,
    pub href: Option<String>,
    /// The fields changed (names only: values are on the record's history page, shown as the reader may see them).
    pub fields: String,
}

/// Activity as rows of a table, linking to the records where there is a page for them.
pub fn rows(ws: &Workspace, entries: Vec<Activity>) -> Vec<ActivityRow> {
    let d = ws.desk("");
    entries
        .into_iter()
        .map(|a| {
            let after = a.entry.after.as_ref();
            let href = match a.entity.as_str() {
                "artefact" => after
                    .and_then(|v| v.get("accession_number"))
                    .and_then(|v| v.as_str())
                    .map(|n| ws.link(&format!("/admin/objects/{}/history", super::super::pages::segment(n)))),
                "donation" => Some(ws.link(&format!("/admin/donations/{}", a.entity_id))),
                _ => None,
            };
            // An object by its number; other records by their kind and number in the log.
            let number = after.and_then(|v| v.get("accession_number")).and_then(|v| v.as_str());
            let what = match (a.entity.as_str(), number) {
                ("artefact", Some(n)) => format!("{} {n}", d.l(labels::entity("artefact").expect("a kind"))),
                (kind, _) => {
                    let kind = labels::entity(kind).map_or(kind, |l| d.l(l));
                    format!("{kind} #{}", a.entity_id)
                }
            };
            // A new record's every field is new: the fields are named only when one changes.
            let changed: Vec<String> = match a.entry.before {
                None => Vec::new(),
                Some(_) => a.entry.changed.into_iter().filter(|k| !labels::is_bookkeeping(k)).collect(),
            };
            ActivityRow {
                at: d.time(&a.entry.at),
                actor: labels::actor(&a.entry.actor, d.lang),
                action: labels::action_name(&a.entry.action, d.lang),
                what,
                href,
                fields: labels::field_names(&changed, d.lang),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/activity.html")]
struct ActivityPage {
    d: Desk,
    rows: Vec<ActivityRow>,
    total: u64,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
}

pub async fn page(State(state): State<AppState>, ws: Workspace, RawQuery(q): RawQuery) -> Result<Response, Response> {
    ws.admin()?;
    let page: u32 = url::form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let catalogue = state.catalogue.clone();
    let (entries, total) =
        blocking(&ws, move || catalogue.activity(PER_PAGE, u64::from(page - 1) * u64::from(PER_PAGE))).await?;
    let pages = total.div_ceil(u64::from(PER_PAGE)) as u32;
    let d = ws.desk(ws.desk("").t("活动日志", "Activity log"));
    let prev = (page > 1).then(|| ws.link(&format!("/admin/activity?page={}", page - 1)));
    let next = (page < pages).then(|| ws.link(&format!("/admin/activity?page={}", page + 1)));
    Ok(render(&ActivityPage { d, rows: rows(&ws, entries), total, page, prev, next }, StatusCode::OK))
}
