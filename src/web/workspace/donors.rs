//! `/admin/donors/…`: a new donor, a donor's page with its edit form (optimistic
//! concurrency), and its history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::forms::{Fields, changes, diff, keep_rest, party_doc, party_json, party_values};
use super::history::{self, last_editor};
use super::lists::{PER_PAGE, Pager, Query};
use super::{Desk, Done, Edited, Submitted, Workspace, blocking, done, edit, parse_id, render, version_of};
use crate::catalogue::{ArtefactFilter, DonationFilter, Entity, PageRequest, StoreError};
use crate::model::party::{Party, PartyInput};
use crate::model::strict::from_value_with_path;
use crate::model::view::PartyRecord;
use crate::web::AppState;
use crate::web::pages::i18n::Lang;
use crate::web::pages::segment;

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
    /// At intake: the name looked for among the donors, and the donors it found.
    pub find: String,
    pub found: Vec<PartyOption>,
    /// On a donor's page: the donations they gave and the items that came with them.
    pub gave: Vec<Gift>,
    pub items: Vec<GivenItem>,
}

/// A donation a donor gave, on their page.
pub struct Gift {
    pub href: String,
    pub label: String,
    pub date: String,
    pub status: &'static str,
}

/// An item a donor gave, on their page.
pub struct GivenItem {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub status: &'static str,
}

impl DonorPage {
    fn new(d: Desk, f: Fields, problems: Vec<String>, parties: Vec<PartyOption>, action: String) -> DonorPage {
        DonorPage {
            d,
            f,
            problems,
            parties,
            action,
            editing: None,
            find: String::new(),
            found: Vec::new(),
            gave: Vec::new(),
            items: Vec::new(),
        }
    }
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

/// The first step of intake: find the donor among those who gave before (by name in
/// either script, by pinyin or initials; the list starts empty), or record a new one.
pub async fn form(State(state): State<AppState>, ws: Workspace, query: Query) -> Result<Response, Response> {
    ws.editor()?;
    let find = query.get("find").to_string();
    let parties = parties(&ws, &state, None).await?;
    let found = if find.is_empty() {
        Vec::new()
    } else {
        let (catalogue, name) = (state.catalogue.clone(), find.clone());
        let donors = blocking(&ws, move || catalogue.donors(&name, PageRequest { page: 1, per_page: 50 })).await?;
        donors
            .items
            .iter()
            .map(|x| PartyOption { id: x.party.id, name: party_name(&x.party), selected: false })
            .collect()
    };
    let mut f = Fields::default();
    f.set("kind", "person");
    let d = ws.desk(ws.desk("").t("新捐赠人", "New donor"));
    let action = ws.link("/admin/donors/new");
    Ok(render(&DonorPage { find, found, ..DonorPage::new(d, f, Vec::new(), parties, action) }, StatusCode::OK))
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
        Ok(stored) => Ok(done(&ws, &format!("/admin/donations/new?donor={}", stored.id), Done::Created)),
        Err(problems) => {
            let d = ws.desk(ws.desk("").t("新捐赠人", "New donor"));
            let action = ws.link("/admin/donors/new");
            Ok(render(&DonorPage::new(d, f, problems, parties, action), StatusCode::UNPROCESSABLE_ENTITY))
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
    let (gave, items) = gifts(state, ws, id).await?;
    let f = f.unwrap_or_else(|| party_values(&party.record, related));
    let title = party_name(&party);
    let (conflict, conflict_by) = conflict.unwrap_or_default();
    let editing = Editing {
        version: party.version,
        history: ws.link(&format!("/admin/donors/{id}/history")),
        conflict,
        conflict_by,
    };
    let action = ws.link(&format!("/admin/donors/{id}"));
    let page = DonorPage {
        editing: Some(editing),
        gave,
        items,
        ..DonorPage::new(ws.desk(title), f, problems, parties, action)
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
    keep_rest(&mut change, "relations", &serde_json::to_value(&current.record).unwrap_or_default(), 1);
    let catalogue = state.catalogue.clone();
    let save = move |c: &_| catalogue.update_record::<PartyInput>(&user, id, version, c).map(|_| ());
    match edit(&ws, version, current.version, change, save).await? {
        Edited::Done => Ok(done(&ws, &format!("/admin/donors/{id}"), Done::Saved)),
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
    history::page::<Party>(&state, &ws, Entity::Party, id, back, None).await
}

/// What a donor gave: their donations, newest first, and the items that came with them.
async fn gifts(state: &AppState, ws: &Workspace, id: i64) -> Result<(Vec<Gift>, Vec<GivenItem>), Response> {
    let catalogue = state.catalogue.clone();
    let (donations, artefacts) = blocking(ws, move || {
        let page = PageRequest { page: 1, per_page: 200 };
        let donations = catalogue.donations(&DonationFilter {
            donor_id: Some(id),
            newest_first: true,
            page,
            ..Default::default()
        })?;
        let artefacts = catalogue.artefacts(&ArtefactFilter { donor_id: Some(id), page, ..Default::default() })?;
        Ok((donations, artefacts))
    })
    .await?;
    let d = ws.desk("");
    let gave = donations
        .items
        .iter()
        .map(|x| Gift {
            href: ws.link(&format!("/admin/donations/{}", x.id)),
            label: super::dashboard::donation_label(&x.record, x.id),
            date: x.record.date.as_ref().map(|t| t.text.clone()).unwrap_or_default(),
            status: d.donation_status(&x.record.status),
        })
        .collect();
    let items = artefacts
        .items
        .iter()
        .map(|a| GivenItem {
            href: ws.link(&format!("/admin/objects/{}", segment(a.record.accession_number.as_str()))),
            accession: a.record.accession_number.as_str().to_string(),
            title: ws.lang.pick(&a.record.body.title).map(|(t, _)| t).unwrap_or_default(),
            status: d.status(&a.record.body.status),
        })
        .collect();
    Ok((gave, items))
}

/// One donor in the list.
pub struct DonorRow {
    pub href: String,
    pub name: String,
    pub other_names: String,
    pub donations: i64,
}

#[derive(Template)]
#[template(path = "admin/donors.html")]
struct DonorList {
    d: Desk,
    find: String,
    rows: Vec<DonorRow>,
    pager: Pager,
}

/// `/admin/donors`: everyone who has given, found by name in either script, by pinyin or by
/// initials, with how many donations each gave. Makers and the people donors' relations
/// name are parties too, but not donors, and are not listed.
pub async fn list(State(state): State<AppState>, ws: Workspace, query: Query) -> Result<Response, Response> {
    let find = query.get("find").to_string();
    let (catalogue, name, page) = (state.catalogue.clone(), find.clone(), query.page());
    let found = blocking(&ws, move || catalogue.donors(&name, PageRequest { page, per_page: PER_PAGE })).await?;
    let rows = found
        .items
        .iter()
        .map(|x| DonorRow {
            href: ws.link(&format!("/admin/donors/{}", x.party.id)),
            name: party_name(&x.party),
            other_names: [x.party.record.name.en.clone()]
                .into_iter()
                .flatten()
                .chain(x.party.record.other_names.iter().cloned())
                .collect::<Vec<_>>()
                .join(if ws.lang == Lang::Zh { "、" } else { ", " }),
            donations: x.donations,
        })
        .collect();
    let pager = Pager::new(&query, "/admin/donors", found.total, PER_PAGE, ws.lang);
    let d = ws.desk(ws.desk("").t("捐赠人", "Donors"));
    Ok(render(&DonorList { d, find, rows, pager }, StatusCode::OK))
}
