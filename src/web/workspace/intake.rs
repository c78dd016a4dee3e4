//! Donation intake: the donor, the donation event, its items one by one, then accession.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::forms::{Fields, donation_json, item_json, party_json, row_count, without_empty};
use super::{Desk, Submitted, Workspace, blocking, render, see_other};
use crate::catalogue::{ArtefactFilter, PageRequest};
use crate::model::artefact::{ArtefactInput, PublicationStatus};
use crate::model::donation::DonationInput;
use crate::model::party::PartyInput;
use crate::model::strict::from_value_with_path;
use crate::model::view::{ArtefactRecord, DonationRecord, PartyRecord};
use crate::model::vocab::{Vocabularies, names};
use crate::web::AppState;
use crate::web::pages::i18n::Lang;
use crate::web::pages::segment;

/// Terms offered for completion in a vocabulary field.
pub struct Choices {
    pub categories: Vec<String>,
    pub periods: Vec<String>,
    pub materials: Vec<String>,
    pub methods: Vec<String>,
}

impl Choices {
    pub fn of(vocab: &Vocabularies, lang: Lang) -> Choices {
        let terms = |name: &str| {
            vocab
                .get(name)
                .map(|v| v.terms.iter().map(|t| if lang == Lang::Zh { t.zh.clone() } else { t.en.clone() }).collect())
                .unwrap_or_default()
        };
        Choices {
            categories: terms(names::CATEGORY),
            periods: terms(names::PERIOD),
            materials: terms(names::MATERIAL),
            methods: terms(names::ACQUISITION_METHOD),
        }
    }
}

/// Reads a JSON document into an input type and validates it; problems as `field: problem` lines.
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

pub async fn donor_form(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.editor()?;
    let parties = parties(&ws, &state, None).await?;
    let mut f = Fields::default();
    f.set("kind", "person");
    let d = ws.desk(ws.desk("").t("新捐赠人", "New donor"));
    let action = ws.link("/admin/donors/new");
    Ok(render(&DonorPage { d, f, problems: Vec::new(), parties, action, editing: None }, StatusCode::OK))
}

pub async fn donor_create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
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

#[derive(Template)]
#[template(path = "admin/donation_new.html")]
pub struct DonationNewPage {
    pub d: Desk,
    pub f: Fields,
    pub problems: Vec<String>,
    pub parties: Vec<PartyOption>,
    pub action: String,
    pub editing: Option<Editing>,
}

pub async fn donation_form(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.editor()?;
    let donor = url::form_urlencoded::parse(ws.here.split_once('?').map_or("", |(_, q)| q).as_bytes())
        .find(|(k, _)| k == "donor")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let parties = parties(&ws, &state, donor).await?;
    let d = ws.desk(ws.desk("").t("新捐赠", "New donation"));
    let action = ws.link("/admin/donations/new");
    Ok(render(
        &DonationNewPage { d, f: Fields::default(), problems: Vec::new(), parties, action, editing: None },
        StatusCode::OK,
    ))
}

pub async fn donation_create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let (catalogue, json) = (state.catalogue.clone(), donation_json(&f));
    let created = super::create(&ws, move || {
        let input: DonationInput = from_value_with_path(json)?;
        catalogue.create_donation(&user, input)
    })
    .await?;
    match created {
        Ok(stored) => Ok(see_other(&ws.link(&format!("/admin/donations/{}", stored.id)))),
        Err(problems) => {
            let donor = f.get("donor").and_then(|s| s.parse().ok());
            let parties = parties(&ws, &state, donor).await?;
            let d = ws.desk(ws.desk("").t("新捐赠", "New donation"));
            let action = ws.link("/admin/donations/new");
            Ok(render(
                &DonationNewPage { d, f, problems, parties, action, editing: None },
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

pub struct ItemRow {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub status: PublicationStatus,
}

#[derive(Template)]
#[template(path = "admin/donation.html")]
struct DonationPage {
    d: Desk,
    donation: DonationRecord,
    donors: Vec<(i64, String)>,
    items: Vec<ItemRow>,
    drafts: usize,
    next_accession: Option<String>,
    f: Fields,
    rows: Vec<usize>,
    problems: Vec<String>,
    choices: Choices,
    action: String,
}

async fn donation_page_with(
    state: &AppState,
    ws: &Workspace,
    id: i64,
    f: Fields,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, Response> {
    let catalogue = state.catalogue.clone();
    let pattern = state.catalogue.config.accession_pattern.clone();
    let (donation, items, donors, next) = blocking(ws, move || {
        let donation =
            catalogue.donation(id)?.ok_or_else(|| crate::catalogue::StoreError::not_found("donation", id))?;
        let items = catalogue.artefacts(&ArtefactFilter {
            donation_id: Some(id),
            include_deaccessioned: true,
            page: PageRequest { page: 1, per_page: 200 },
            ..Default::default()
        })?;
        let mut donors = Vec::new();
        for p in &donation.record.donor_ids {
            if let Some(p) = catalogue.party(*p)? {
                donors.push((p.id, party_name(&p)));
            }
        }
        let next = catalogue.next_accession(id, &pattern).ok().map(|n| n.as_str().to_string());
        Ok((donation, items.items, donors, next))
    })
    .await?;
    let donation = donation.for_staff(&ws.viewer());
    let label = super::dashboard::donation_label(&donation.record, donation.id);
    let items: Vec<ItemRow> = items.iter().map(|a| item_row(ws, a)).collect();
    let drafts = items.iter().filter(|i| i.status == PublicationStatus::Draft).count();
    let rows = (0..row_count(&f)).collect();
    let d = ws.desk(label);
    let choices = Choices::of(&state.catalogue.vocabularies(), ws.lang);
    let action = ws.link(&format!("/admin/donations/{id}"));
    Ok(render(
        &DonationPage { d, donation, donors, items, drafts, next_accession: next, f, rows, problems, choices, action },
        status,
    ))
}

fn item_row(ws: &Workspace, a: &ArtefactRecord) -> ItemRow {
    ItemRow {
        href: ws.link(&format!("/admin/objects/{}", segment(a.record.accession_number.as_str()))),
        accession: a.record.accession_number.as_str().to_string(),
        title: a.record.body.title.zh.clone().or(a.record.body.title.en.clone()).unwrap_or_default(),
        status: a.record.body.status,
    }
}

pub fn parse_id(ws: &Workspace, raw: &str) -> Result<i64, Response> {
    raw.parse().map_err(|_| {
        super::message_page(ws, StatusCode::NOT_FOUND, ws.desk("").t("找不到记录", "Not found"), "ids are numbers")
    })
}

pub async fn donation_page(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    donation_page_with(&state, &ws, id, Fields::default(), Vec::new(), StatusCode::OK).await
}

/// Adds an item to the donation as a draft with the next accession number of the pattern.
pub async fn item_create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let mut doc = without_empty(item_json(&f, None, true));
    doc.insert("donation_id".into(), json!(id));
    doc.insert("status".into(), json!("draft"));
    let catalogue = state.catalogue.clone();
    let created = crate::catalogue::blocking(move || {
        let input: ArtefactInput = from_value_with_path(Value::Object(doc))?;
        catalogue.create_artefact(&user, input)
    })
    .await;
    match created {
        Ok(record) => {
            Ok(see_other(&ws.link(&format!("/admin/objects/{}", segment(record.record.accession_number.as_str())))))
        }
        Err(crate::catalogue::StoreError::Invalid(v)) => {
            donation_page_with(&state, &ws, id, f, v.lines(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}

/// Accessions the donation: every draft item becomes an accessioned (internal) record, and the
/// donation is marked accessioned. Items keep the numbers they were given from the pattern.
pub async fn accession(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let ws = s.ws;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let catalogue = state.catalogue.clone();
    blocking(&ws, move || catalogue.accession_donation(&user, id)).await?;
    Ok(see_other(&ws.link(&format!("/admin/donations/{id}"))))
}
