//! `/admin/sets/…`: named lists of objects a curator keeps (an exhibition's checklist, a
//! loan), opened as a list, exported as CSV, and taken as a batch's selection.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::batch::BatchForm;
use super::{Desk, Done, Submitted, Workspace, blocking, done, parse_id, render};
use crate::catalogue::RecordSet;
use crate::model::role::Scope;
use crate::web::AppState;
use crate::web::labels::status_code;
use crate::web::pages::segment;

pub struct SetRow {
    pub href: String,
    pub name: String,
    pub owner: String,
    pub shared: bool,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "admin/sets.html")]
struct SetsPage {
    d: Desk,
    rows: Vec<SetRow>,
    problems: Vec<String>,
}

fn set_rows(ws: &Workspace, sets: &[RecordSet]) -> Vec<SetRow> {
    sets.iter()
        .map(|s| SetRow {
            href: ws.link(&format!("/admin/sets/{}", s.id)),
            name: s.name.clone(),
            owner: s.owner.clone(),
            shared: s.shared,
            count: s.count,
        })
        .collect()
}

/// `/admin/sets`: the sets this user keeps and those shared with all staff.
pub async fn list(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    let (catalogue, user) = (state.catalogue.clone(), ws.principal().clone());
    let sets = blocking(&ws, move || catalogue.sets(&user)).await?;
    let d = ws.desk(ws.desk("").t("集合", "Sets"));
    Ok(render(&SetsPage { rows: set_rows(&ws, &sets), d, problems: vec![] }, StatusCode::OK))
}

/// Starts a new set.
pub async fn create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.clone();
    let (catalogue, name, shared) = (state.catalogue.clone(), f.v("name").to_string(), f.on("shared"));
    let made = super::create(&ws, move || catalogue.create_set(&user, &name, shared)).await?;
    match made {
        Ok(set) => Ok(done(&ws, &format!("/admin/sets/{}", set.id), Done::Created)),
        Err(problems) => {
            let (catalogue, user) = (state.catalogue.clone(), ws.principal().clone());
            let sets = blocking(&ws, move || catalogue.sets(&user)).await?;
            let d = ws.desk(ws.desk("").t("集合", "Sets"));
            Ok(render(&SetsPage { rows: set_rows(&ws, &sets), d, problems }, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

pub struct MemberRow {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "admin/set.html")]
struct SetPage {
    d: Desk,
    set: RecordSet,
    mine: bool,
    rows: Vec<MemberRow>,
    batch: BatchForm,
    csv_href: String,
}

/// `/admin/sets/{id}`: a set's objects, its export, and a batch over it.
pub async fn page(State(state): State<AppState>, ws: Workspace, Path(id): Path<String>) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    let (catalogue, user) = (state.catalogue.clone(), ws.principal().clone());
    let (set, records, others) = blocking(&ws, move || {
        let (set, members) = catalogue.set(&user, id)?;
        let others: Vec<_> =
            catalogue.sets(&user)?.into_iter().filter(|s| s.owner == user.name && s.id != id).collect();
        let mut records = Vec::with_capacity(members.len());
        for m in &members {
            if let Some(a) = catalogue.artefact(m)? {
                records.push(a);
            }
        }
        Ok((set, records, others))
    })
    .await?;
    let lang = ws.lang;
    let rows = records
        .iter()
        .map(|a| MemberRow {
            href: ws.link(&format!("/admin/objects/{}", segment(a.record.accession_number.as_str()))),
            accession: a.record.accession_number.as_str().to_string(),
            title: lang.pick(&a.record.body.title).map(|(t, _)| t).unwrap_or_default(),
            status: match &a.record.deaccession {
                Some(_) => status_code("deaccessioned").map_or("", |l| l.get(lang)),
                None => status_code(a.record.body.status.as_str()).map_or("", |l| l.get(lang)),
            },
        })
        .collect();
    let batch = BatchForm::new(lang, others).with_locations(&state, &ws).await?;
    let mine = set.owner == ws.principal().name;
    let csv_href = format!("/admin/sets/{id}/export.csv");
    let d = ws.desk(set.name.clone());
    Ok(render(&SetPage { d, set, mine, rows, batch, csv_href }, StatusCode::OK))
}

/// Takes the ticked objects (`drop_N`) out of a set this user keeps.
pub async fn remove(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.clone();
    let dropped: Vec<String> =
        f.keys().filter(|k| k.starts_with("drop_")).map(|k| f.v(k).to_string()).filter(|v| !v.is_empty()).collect();
    let catalogue = state.catalogue.clone();
    blocking(&ws, move || catalogue.remove_from_set(&user, id, &dropped)).await?;
    Ok(done(&ws, &format!("/admin/sets/{id}"), Done::Saved))
}

/// `/admin/sets/{id}/export.csv`: the set's records as the census-headed CSV (no private
/// column for a researcher).
pub async fn export(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    let (catalogue, user) = (state.catalogue.clone(), ws.principal().clone());
    let scope = Scope::staff(user.role);
    let (_, members) = blocking(&ws, {
        let (catalogue, user) = (catalogue.clone(), user.clone());
        move || catalogue.set(&user, id)
    })
    .await?;
    let body = crate::catalogue::blocking(move || catalogue.records_csv(scope, &members))
        .await
        .map_err(crate::web::pages::failed)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"set.csv\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}
