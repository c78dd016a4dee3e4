//! `/admin/donors/…`: a new donor, a donor's page with its edit form (optimistic
//! concurrency), and its history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::forms::{Fields, changes, diff, keep_rest, party_doc, party_json, party_values};
use super::history::{self, last_editor};
use super::{Desk, Edited, Submitted, Workspace, blocking, edit, parse_id, render, see_other, version_of};
use crate::catalogue::{Entity, PageRequest, StoreError};
use crate::model::party::{Party, PartyInput};
use crate::model::strict::from_value_with_path;
use crate::model::view::PartyRecord;
use crate::web::AppState;

pub fn party_name(p: &PartyRecord) -> String {
    p.record.name.zh.clone().or_else(|| p.record.name.en.clone()).unwrap_or_else(|| format!("#{}", p.id))
}

pub struct PartyOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// A stored record's form: where it saves, the version it was made from, and any conflict.
pub struct Editing {
    pub version: i64,
    pub history: String,
    pub conflict: Vec<super::forms::DiffRow>,
    pub conflict_by: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/donor.html")]
pub struct DonorPage {
    pub d: Desk,
    pub f: Fields,
    pub problems: Vec<String>,
    pub parties: Vec<PartyOption>,
    pub action: String,
    pub editing: Option<Editing>,
}

pub async fn parties(ws: &Workspace, state: &AppState, selected: Option<i64>) -> Result<Vec<PartyOption>, Response> {
    let catalogue = state.catalogue.clone();
    let found = blocking(ws, move || catalogue.parties(None, PageRequest { page: 1, per_page: 200 })).await?;
    Ok(found
        .items
        .iter()
        .map(|p| PartyOption { id: p.id, name: party_name(p), selected: Some(p.id) == selected })
        .collect())
}

pub async fn form(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.editor()?;
    let parties = parties(&ws, &state, None).await?;
    let mut f = Fields::default();
    f.set("kind", "person");
    let d = ws.desk(ws.desk("").t("新捐赠人", "New donor"));
    let action = ws.link("/admin/donors/new");
    Ok(render(&DonorPage { d, f, problems: Vec::new(), parties, action, editing: None }, StatusCode::OK))
}

pub async fn create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: mut f } = s;
    let user = ws.editor()?.name.clone();
    let parties = parties(&ws, &state, None).await?;
    // A relation to a party already in the catalogue links to its record.
    if let Some(name) = f.get("relation_name").map(str::to_string)
        && let Some(p) = parties.iter().find(|p| p.name == name)
    {
        f.set("relation_party", p.id.to_string());
    }
    let (catalogue, json) = (state.catalogue.clone(), party_json(&f));
    let created = super::create(&ws, move || {
        let input: PartyInput = from_value_with_path(json)?;
        catalogue.create_record(&user, input)
    })
    .await?;
    match created {
        Ok(stored) => Ok(see_other(&ws.link(&format!("/admin/donations/new?donor={}", stored.id)))),
        Err(problems) => {
            let d = ws.desk(ws.desk("").t("新捐赠人", "New donor"));
            let action = ws.link("/admin/donors/new");
            Ok(render(&DonorPage { d, f, problems, parties, action, editing: None }, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

async fn load_party(state: &AppState, ws: &Workspace, id: i64) -> Result<(PartyRecord, Option<String>), Response> {
    let catalogue = state.catalogue.clone();
    let (party, related) = blocking(ws, move || {
        let p = catalogue.party(id)?.ok_or_else(|| StoreError::not_found("party", id))?;
        let related = match p.record.relations.first().and_then(|r| r.party_id) {
            Some(r) => catalogue.party(r)?.map(|r| party_name(&r)),
            None => None,
        };
        Ok((p, related))
    })
    .await?;
    Ok((party.for_staff(&ws.viewer()), related))
}

async fn page_with(
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
    let title = party_name(&party);
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

pub async fn page(State(state): State<AppState>, ws: Workspace, Path(id): Path<String>) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    page_with(&state, &ws, id, None, Vec::new(), None, StatusCode::OK).await
}

pub async fn save(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
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
            page_with(&state, &ws, id, Some(f), problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Edited::Stale => {
            let (now, related) = load_party(&state, &ws, id).await?;
            let by = last_editor(&state, &ws, Entity::Party, id).await?;
            let conflict = diff(&party_values(&now.record, related), &f, ws.lang);
            f.set("version", now.version.to_string());
            page_with(&state, &ws, id, Some(f), vec![], Some((conflict, by)), StatusCode::CONFLICT).await
        }
    }
}

pub async fn history(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    let back = ws.link(&format!("/admin/donors/{id}"));
    history::page::<Party>(&state, &ws, Entity::Party, id, back, format!("#{id}")).await
}
