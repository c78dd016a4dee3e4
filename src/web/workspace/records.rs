//! Donors and donations after intake: edit with optimistic concurrency, and their history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::forms::{Fields, changes, diff, donation_doc, donation_values, party_doc, party_values};
use super::intake::{DonationNewPage, DonorPage, Editing, parse_id, parties};
use super::objects::{HistoryPage, HistoryRow, last_editor};
use super::{Edited, Submitted, Workspace, blocking, edit, render, see_other, version_of};
use crate::catalogue::{Entity, StoreError};
use crate::model::donation::{Donation, DonationInput};
use crate::model::party::{Party, PartyInput};
use crate::model::view::{DonationRecord, PartyRecord};
use crate::web::AppState;

async fn load_party(state: &AppState, ws: &Workspace, id: i64) -> Result<(PartyRecord, Option<String>), Response> {
    let catalogue = state.catalogue.clone();
    let (party, related) = blocking(ws, move || {
        let p = catalogue.party(id)?.ok_or_else(|| StoreError::not_found("party", id))?;
        let related = match p.record.relations.first().and_then(|r| r.party_id) {
            Some(r) => catalogue.party(r)?.map(|r| super::intake::party_name(&r)),
            None => None,
        };
        Ok((p, related))
    })
    .await?;
    Ok((party.for_staff(&ws.viewer()), related))
}

async fn donor_page_with(
    state: &AppState,
    ws: &Workspace,
    id: i64,
    f: Option<Fields>,
    problems: Vec<String>,
    conflict: Option<(Vec<super::forms::DiffRow>, Option<String>)>,
    status: StatusCode,
) -> Result<Response, Response> {
    let (party, related) = load_party(state, ws, id).await?;
    let parties = parties(ws, state, None).await?;
    let f = f.unwrap_or_else(|| party_values(&party.record, related));
    let title = super::intake::party_name(&party);
    let (conflict, conflict_by) = conflict.unwrap_or_default();
    let editing = Editing {
        version: party.version,
        history: ws.link(&format!("/admin/donors/{id}/history")),
        conflict,
        conflict_by,
    };
    let page = DonorPage {
        d: ws.desk(title),
        f,
        problems,
        parties,
        action: ws.link(&format!("/admin/donors/{id}")),
        editing: Some(editing),
    };
    Ok(render(&page, status))
}

pub async fn donor_page(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    donor_page_with(&state, &ws, id, None, Vec::new(), None, StatusCode::OK).await
}

/// What an edit changes in a list the form shows only the first of: the rest are kept.
fn keep_rest(change: &mut Map<String, Value>, key: &str, current: &Value) {
    if let Some(Value::Array(new)) = change.get_mut(key)
        && let Some(Value::Array(old)) = current.get(key)
    {
        new.extend(old.iter().skip(1).cloned());
    }
}

pub async fn donor_save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: mut f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let (current, related) = load_party(&state, &ws, id).await?;
    let parties = parties(&ws, &state, None).await?;
    if let Some(name) = f.get("relation_name").map(str::to_string) {
        match parties.iter().find(|p| p.name == name) {
            Some(p) => f.set("relation_party", p.id.to_string()),
            None => f.set("relation_party", ""),
        }
    }
    let stored = party_values(&current.record, related);
    let version = version_of(&f);
    let mut change = changes(&party_doc(&stored), &party_doc(&f));
    keep_rest(&mut change, "relations", &serde_json::to_value(&current.record).unwrap_or_default());
    let catalogue = state.catalogue.clone();
    let save = move |c: &_| catalogue.update_record::<PartyInput>(&user, id, version, c).map(|_| ());
    match edit(&ws, version, current.version, change, save).await? {
        Edited::Done => Ok(see_other(&ws.link(&format!("/admin/donors/{id}")))),
        Edited::Invalid(problems) => {
            donor_page_with(&state, &ws, id, Some(f), problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Edited::Stale => {
            let (now, related) = load_party(&state, &ws, id).await?;
            let by = last_editor(&state, &ws, Entity::Party, id).await?;
            let conflict = diff(&party_values(&now.record, related), &f, ws.lang);
            f.set("version", now.version.to_string());
            donor_page_with(&state, &ws, id, Some(f), vec![], Some((conflict, by)), StatusCode::CONFLICT).await
        }
    }
}

async fn load_donation(state: &AppState, ws: &Workspace, id: i64) -> Result<DonationRecord, Response> {
    let catalogue = state.catalogue.clone();
    let d = blocking(ws, move || catalogue.donation(id)?.ok_or_else(|| StoreError::not_found("donation", id))).await?;
    Ok(d.for_staff(&ws.viewer()))
}

async fn donation_page_with(
    state: &AppState,
    ws: &Workspace,
    id: i64,
    f: Option<Fields>,
    problems: Vec<String>,
    conflict: Option<(Vec<super::forms::DiffRow>, Option<String>)>,
    status: StatusCode,
) -> Result<Response, Response> {
    let donation = load_donation(state, ws, id).await?;
    let f = f.unwrap_or_else(|| donation_values(&donation.record));
    let selected = f.get("donor").and_then(|s| s.parse().ok());
    let parties = parties(ws, state, selected).await?;
    let (conflict, conflict_by) = conflict.unwrap_or_default();
    let page = DonationNewPage {
        d: ws.desk(super::dashboard::donation_label(&donation.record, id)),
        f,
        problems,
        parties,
        action: ws.link(&format!("/admin/donations/{id}/edit")),
        editing: Some(Editing {
            version: donation.version,
            history: ws.link(&format!("/admin/donations/{id}/history")),
            conflict,
            conflict_by,
        }),
    };
    Ok(render(&page, status))
}

pub async fn donation_edit(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    donation_page_with(&state, &ws, id, None, Vec::new(), None, StatusCode::OK).await
}

pub async fn donation_save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: mut f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let current = load_donation(&state, &ws, id).await?;
    let stored = donation_values(&current.record);
    let version = version_of(&f);
    let mut change = changes(&donation_doc(&stored), &donation_doc(&f));
    keep_rest(&mut change, "donor_ids", &json!({"donor_ids": current.record.donor_ids}));
    let catalogue = state.catalogue.clone();
    let save = move |c: &_| catalogue.update_record::<DonationInput>(&user, id, version, c).map(|_| ());
    match edit(&ws, version, current.version, change, save).await? {
        Edited::Done => Ok(see_other(&ws.link(&format!("/admin/donations/{id}")))),
        Edited::Invalid(problems) => {
            donation_page_with(&state, &ws, id, Some(f), problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Edited::Stale => {
            let now = load_donation(&state, &ws, id).await?;
            let by = last_editor(&state, &ws, Entity::Donation, id).await?;
            let conflict = diff(&donation_values(&now.record), &f, ws.lang);
            f.set("version", now.version.to_string());
            donation_page_with(&state, &ws, id, Some(f), vec![], Some((conflict, by)), StatusCode::CONFLICT).await
        }
    }
}

/// The history page of a donor or a donation, as this user may see it.
async fn history_of<T>(
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

pub async fn donor_history(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    let back = ws.link(&format!("/admin/donors/{id}"));
    history_of::<Party>(&state, &ws, Entity::Party, id, back, format!("#{id}")).await
}

pub async fn donation_history(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    let back = ws.link(&format!("/admin/donations/{id}"));
    history_of::<Donation>(&state, &ws, Entity::Donation, id, back, format!("#{id}")).await
}
