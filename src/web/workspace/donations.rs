//! `/admin/donations/…`: a new donation, its page with the items received one by one,
//! accessioning it, its edit form (optimistic concurrency), and its history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::donors::{Editing, PartyOption, parties, party_name};
use super::forms::{
    Choices, DONOR_FIELDS, Fields, changes, diff, donation_doc, donation_json, donation_values, item_json, keep_rest,
    row_count, without_empty,
};
use super::history::{self, last_editor};
use super::lists::{Choice, PER_PAGE, Pager, Query};
use super::{Desk, Done, Edited, Submitted, Workspace, blocking, done, message_page, parse_id, render, version_of};
use crate::catalogue::{ArtefactFilter, DonationFilter, Entity, PageRequest, StoreError};
use crate::model::artefact::{ArtefactInput, PublicationStatus};
use crate::model::donation::{Donation, DonationInput, DonationStatus};
use crate::model::image::{ImageRecord, ImageRole};
use crate::model::strict::from_value_with_path;
use crate::model::view::{ArtefactRecord, DonationRecord};
use crate::web::AppState;
use crate::web::pages::i18n::Lang;
use crate::web::pages::segment;

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

pub async fn form(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.editor()?;
    let donor = url::form_urlencoded::parse(ws.here.split_once('?').map_or("", |(_, q)| q).as_bytes())
        .find(|(k, _)| k == "donor")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let parties = parties(&ws, &state, donor).await?;
    // The donation's credit line starts as its donor's own wording, where they agreed to be named.
    let mut f = Fields::default();
    if let Some(id) = donor {
        let catalogue = state.catalogue.clone();
        if let Some(p) = blocking(&ws, move || catalogue.party(id)).await?
            && p.record.naming_consent
            && let Some(credit) = p.record.credit_line
        {
            f.set("credit_line", credit);
        }
    }
    let d = ws.desk(ws.desk("").t("新捐赠", "New donation"));
    let action = ws.link("/admin/donations/new");
    Ok(render(&DonationNewPage { d, f, problems: Vec::new(), parties, action, editing: None }, StatusCode::OK))
}

pub async fn create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let (catalogue, json) = (state.catalogue.clone(), donation_json(&f));
    let created = super::create(&ws, move || {
        let input: DonationInput = from_value_with_path(json)?;
        catalogue.create_donation(&user, input)
    })
    .await?;
    match created {
        Ok(stored) => Ok(done(&ws, &format!("/admin/donations/{}", stored.id), Done::Created)),
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
    /// Its first image (the primary one if it has one), as a thumbnail.
    pub thumb: Option<String>,
    pub images: usize,
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
    /// The museum's date, for the entry and exit forms.
    today: String,
}

impl DonationPage {
    /// A day in the page's language.
    fn day(&self, d: &chrono::NaiveDate) -> String {
        crate::web::labels::day(*d, self.d.lang)
    }

    /// The items' accession numbers for the label sheet's query string.
    fn label_accessions(&self) -> String {
        let each = self.items.iter().map(|i| {
            percent_encoding::utf8_percent_encode(&i.accession, percent_encoding::NON_ALPHANUMERIC).to_string()
        });
        each.collect::<Vec<_>>().join(",")
    }
}

async fn page_with(
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
        let mut with_images = Vec::with_capacity(items.items.len());
        for a in items.items {
            let images = catalogue.images_of(a.id)?;
            with_images.push((a, images));
        }
        Ok((donation, with_images, donors, next))
    })
    .await?;
    let donation = donation.for_staff(&ws.viewer());
    let label = super::dashboard::donation_label(&donation.record, donation.id);
    let items: Vec<ItemRow> = items.iter().map(|(a, images)| item_row(ws, a, images)).collect();
    let drafts = items.iter().filter(|i| i.status == PublicationStatus::Draft).count();
    let rows = (0..row_count(&f)).collect();
    let d = ws.desk(label);
    let choices = Choices::of(&state.catalogue.vocabularies(), ws.lang);
    let action = ws.link(&format!("/admin/donations/{id}"));
    Ok(render(
        &DonationPage {
            d,
            donation,
            donors,
            items,
            drafts,
            next_accession: next,
            f,
            rows,
            problems,
            choices,
            action,
            today: state.catalogue.today().to_string(),
        },
        status,
    ))
}

fn item_row(ws: &Workspace, a: &ArtefactRecord, images: &[ImageRecord]) -> ItemRow {
    let first = images.iter().find(|i| i.meta.role == ImageRole::Primary).or(images.first());
    ItemRow {
        href: ws.link(&format!("/admin/objects/{}", segment(a.record.accession_number.as_str()))),
        accession: a.record.accession_number.as_str().to_string(),
        title: a.record.body.title.zh.clone().or(a.record.body.title.en.clone()).unwrap_or_default(),
        status: a.record.body.status,
        thumb: first.map(|i| format!("/iiif/3/{}/full/%5E!96,96/0/default.jpg", segment(&i.meta.id))),
        images: images.len(),
    }
}

pub async fn page(State(state): State<AppState>, ws: Workspace, Path(id): Path<String>) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    page_with(&state, &ws, id, Fields::default(), Vec::new(), StatusCode::OK).await
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
        // Back to the donation's steps, to add the next item or go on to its images.
        Ok(_) => Ok(done(&ws, &format!("/admin/donations/{id}#items"), Done::ItemAdded)),
        Err(crate::catalogue::StoreError::Invalid(v)) => {
            page_with(&state, &ws, id, f, v.lines(), StatusCode::UNPROCESSABLE_ENTITY).await
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
    Ok(done(&ws, &format!("/admin/donations/{id}"), Done::Accessioned))
}

/// Records the objects' entry (`/admin/donations/{id}/entry`) or exit (`…/exit`).
async fn gift_event(state: &AppState, id: &str, s: Submitted, exit: bool) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let id = parse_id(&ws, id)?;
    let user = ws.editor()?.name.clone();
    let (catalogue, version) = (state.catalogue.clone(), super::version_of(&f));
    let form = f.clone();
    let recorded = crate::catalogue::blocking(move || {
        let text = |k: &str| form.get(k).filter(|v| !v.trim().is_empty());
        let person = if exit { text("to") } else { text("received_by") };
        let details = crate::catalogue::entry::EventDetails { date: text("date"), person, note: text("note") };
        if exit {
            catalogue.record_exit(&user, id, version, form.v("outcome"), &details)
        } else {
            catalogue.record_entry(&user, id, version, &details)
        }
    })
    .await;
    match recorded {
        Ok(_) => Ok(done(&ws, &format!("/admin/donations/{id}"), Done::Saved)),
        Err(StoreError::Invalid(v)) => {
            page_with(state, &ws, id, Fields::default(), v.lines(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(StoreError::Conflict { current_version: Some(_), .. }) => Ok(super::message_page(
            &ws,
            StatusCode::CONFLICT,
            ws.desk("").t("未能保存", "Not saved"),
            ws.desk("").t(
                "在您打开此页之后，有人已修改了这项捐赠。请重新打开捐赠页面后再登记。",
                "Someone changed this donation since you opened its page. Open the page again and record it again.",
            ),
        )),
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}

/// Records that the gift's objects came in: an entry number, and the gift is received.
pub async fn entry(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
    gift_event(&state, &id, s, false).await
}

/// Records that the gift's objects left: declined or returned.
pub async fn exit(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
    gift_event(&state, &id, s, true).await
}

async fn load_donation(state: &AppState, ws: &Workspace, id: i64) -> Result<DonationRecord, Response> {
    let catalogue = state.catalogue.clone();
    let d = blocking(ws, move || catalogue.donation(id)?.ok_or_else(|| StoreError::not_found("donation", id))).await?;
    Ok(d.for_staff(&ws.viewer()))
}

async fn edit_page_with(
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

pub async fn edit(State(state): State<AppState>, ws: Workspace, Path(id): Path<String>) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    edit_page_with(&state, &ws, id, None, Vec::new(), None, StatusCode::OK).await
}

pub async fn save(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: mut f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let current = load_donation(&state, &ws, id).await?;
    let stored = donation_values(&current.record);
    let version = version_of(&f);
    let mut change = changes(&donation_doc(&stored), &donation_doc(&f));
    keep_rest(&mut change, "donor_ids", &json!({"donor_ids": current.record.donor_ids}), DONOR_FIELDS.len());
    let catalogue = state.catalogue.clone();
    let save = move |c: &_| catalogue.update_record::<DonationInput>(&user, id, version, c).map(|_| ());
    match super::edit(&ws, version, current.version, change, save).await? {
        Edited::Done => Ok(done(&ws, &format!("/admin/donations/{id}"), Done::Saved)),
        Edited::Invalid(problems) => {
            edit_page_with(&state, &ws, id, Some(f), problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Edited::Stale => {
            let now = load_donation(&state, &ws, id).await?;
            let by = last_editor(&state, &ws, Entity::Donation, id).await?;
            let conflict = diff(&donation_values(&now.record), &f, ws.lang);
            f.set("version", now.version.to_string());
            edit_page_with(&state, &ws, id, Some(f), vec![], Some((conflict, by)), StatusCode::CONFLICT).await
        }
    }
}

pub async fn history(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    let back = ws.link(&format!("/admin/donations/{id}"));
    history::page::<Donation>(&state, &ws, Entity::Donation, id, back, None).await
}

/// One donation in the list.
pub struct DonationRow {
    pub href: String,
    pub label: String,
    pub number: String,
    pub date: String,
    pub donors: String,
    pub status: &'static str,
    pub drafts: i64,
    pub accessioned: i64,
    pub published: i64,
}

#[derive(Template)]
#[template(path = "admin/donations.html")]
struct DonationList {
    d: Desk,
    q: String,
    statuses: Vec<Choice>,
    donors: Vec<Choice>,
    rows: Vec<DonationRow>,
    pager: Pager,
    clear_href: String,
}

/// `/admin/donations`: every donation, newest first, found by the text of its record and
/// filtered by status and donor, with its items counted by how far they have come.
pub async fn list(State(state): State<AppState>, ws: Workspace, query: Query) -> Result<Response, Response> {
    let d = ws.desk(ws.desk("").t("捐赠", "Donations"));
    let refuse = |what: &str| {
        let message = match ws.lang {
            Lang::Zh => format!("“{what}”不是可用的筛选条件，请从列表中选择。"),
            Lang::En => format!("“{what}” is not a filter this list knows; choose one from the list."),
        };
        message_page(&ws, StatusCode::BAD_REQUEST, d.t("无法列出", "Cannot list"), &message)
    };
    let status = match query.get("status") {
        "" => None,
        s => Some(DonationStatus::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| refuse(s))?),
    };
    let donor_id = match query.get("donor") {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| refuse(s))?),
    };
    let q = query.get("q").to_string();
    let filter = DonationFilter {
        donor_id,
        status,
        text: Some(q.clone()),
        newest_first: true,
        page: PageRequest { page: query.page(), per_page: PER_PAGE },
    };
    let catalogue = state.catalogue.clone();
    let (found, all_donors, names) = blocking(&ws, move || {
        let found = catalogue.donation_summaries(&filter)?;
        let all_donors = catalogue.donors("", PageRequest { page: 1, per_page: 1000 })?;
        let names: std::collections::HashMap<i64, String> =
            all_donors.items.iter().map(|donor| (donor.party.id, party_name(&donor.party))).collect();
        Ok((found, all_donors, names))
    })
    .await?;
    let chosen_donor = query.get("donor");
    let mut donors = vec![Choice::new("", d.t("全部", "All"), chosen_donor)];
    donors.extend(
        all_donors.items.iter().map(|x| Choice::new(x.party.id.to_string(), party_name(&x.party), chosen_donor)),
    );
    let chosen_status = query.get("status");
    let mut statuses = vec![Choice::new("", d.t("全部", "All"), chosen_status)];
    statuses.extend(DonationStatus::ALL.iter().map(|s| Choice::new(s.as_str(), d.donation_status(s), chosen_status)));
    let rows = found
        .items
        .iter()
        .map(|s| {
            let r = &s.donation.record;
            let number = match (r.accession_year(), r.number) {
                (Some(y), Some(n)) => match ws.lang {
                    Lang::Zh => format!("{y}年第{n}号"),
                    Lang::En => format!("{y}, no. {n}"),
                },
                _ => String::new(),
            };
            let donors: Vec<&str> = r.donor_ids.iter().filter_map(|id| names.get(id).map(String::as_str)).collect();
            DonationRow {
                href: ws.link(&format!("/admin/donations/{}", s.donation.id)),
                label: super::dashboard::donation_label(r, s.donation.id),
                number,
                date: r.date.as_ref().map(|x| x.text.clone()).unwrap_or_default(),
                donors: donors.join("、"),
                status: d.donation_status(&r.status),
                drafts: s.drafts,
                accessioned: s.accessioned,
                published: s.published,
            }
        })
        .collect();
    let pager = Pager::new(&query, "/admin/donations", found.total, PER_PAGE, ws.lang);
    let clear_href = ws.link("/admin/donations");
    Ok(render(&DonationList { d, q, statuses, donors, rows, pager, clear_href }, StatusCode::OK))
}
