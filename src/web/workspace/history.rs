//! A record's history as readable differences, for objects, donors and donations alike.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::{Desk, Workspace, blocking, render};
use crate::catalogue::{Entity, StoreError};
use crate::web::{AppState, labels};

pub async fn last_editor(
    state: &AppState,
    ws: &Workspace,
    entity: Entity,
    id: i64,
) -> Result<Option<String>, Response> {
    let catalogue = state.catalogue.clone();
    let entries = blocking(ws, move || catalogue.history(entity, id)).await?;
    let d = ws.desk("");
    Ok(entries.last().map(|e| format!("{} · {}", labels::actor(&e.actor, ws.lang), d.time(&e.at))))
}

pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub changes: Vec<Change>,
}

impl HistoryRow {
    /// One change as the page shows it: in the museum's time, fields by their labels.
    pub fn of(e: crate::catalogue::AuditEntry, d: &Desk, vocab: &crate::model::vocab::Vocabularies) -> Self {
        let show =
            |v: Option<&Value>, k: &str| v.map_or_else(|| "—".to_string(), |v| labels::value(k, v, vocab, d.lang));
        HistoryRow {
            at: d.time(&e.at),
            changes: e
                .changed
                .iter()
                .filter(|k| !labels::is_bookkeeping(k))
                .map(|k| Change {
                    field: labels::field_name(k, d.lang),
                    before: show(e.before.as_ref().and_then(|b| b.get(k)), k),
                    after: show(e.after.as_ref().and_then(|a| a.get(k)), k),
                })
                .collect(),
            actor: labels::actor(&e.actor, d.lang),
            action: labels::action_name(&e.action, d.lang),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/history.html")]
pub struct HistoryPage {
    pub d: Desk,
    pub back: String,
    pub rows: Vec<HistoryRow>,
}

/// The history page of a record, newest change first, as this user may see it.
pub async fn page<T>(
    state: &AppState,
    ws: &Workspace,
    entity: Entity,
    id: i64,
    back: String,
    title: String,
) -> Result<Response, Response>
where
    T: crate::model::view::Redact + serde::Serialize + serde::de::DeserializeOwned,
{
    let catalogue = state.catalogue.clone();
    let viewer = ws.viewer();
    let entries = blocking(ws, move || catalogue.history_as::<T>(entity, id, &viewer)).await?;
    if entries.is_empty() {
        return Err(super::store_error_page(ws, StoreError::not_found(entity.as_str(), id)));
    }
    let d = ws.desk(format!("{} · {title}", ws.desk("").t("修改记录", "History")));
    let rows: Vec<HistoryRow> =
        entries.into_iter().rev().map(|e| HistoryRow::of(e, &d, &state.catalogue.vocabularies())).collect();
    Ok(render(&HistoryPage { d, back, rows }, StatusCode::OK))
}
