//! `/donations/{id}`: a donation as the public sees it.
//!
//! A donation is shown once at least one of its artefacts is published (an
//! intake still being catalogued stays private), and a donor is named only
//! with their consent.

use super::i18n::{Lang, PageLang};
use super::{Chrome, base_url, blocking, not_found, render, segment};
use crate::catalogue::{ArtefactFilter, DonationFilter, PageRequest, StoreError};
use crate::model::artefact::PublicationStatus;
use crate::model::view::DonationRecord;
use crate::model::vocab::Vocabularies;
use crate::web::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub struct ItemLink {
    pub href: String,
    pub title: String,
    pub title_lang: &'static str,
    pub accession: String,
}

pub struct DonationLink {
    pub href: String,
    pub label: String,
    pub label_lang: &'static str,
    pub date: Option<String>,
    pub items: Vec<ItemLink>,
}

/// A donation as the public sees it.
pub struct DonationView {
    pub label: String,
    pub label_lang: &'static str,
    pub date: Option<String>,
    pub venue: Option<String>,
    /// Each donor's name as they consented (else 匿名捐赠), its language, and their page.
    pub donors: Vec<(String, &'static str, Option<String>)>,
    pub credit_line: Option<String>,
    pub items: Vec<ItemLink>,
}

#[derive(Template)]
#[template(path = "donation.html")]
struct DonationPage {
    c: Chrome,
    d: DonationView,
}

/// Whether the public sees a donation: one at least of its artefacts is published.
pub fn has_public_items(catalogue: &crate::catalogue::Catalogue, donation_id: i64) -> Result<bool, StoreError> {
    let filter = ArtefactFilter {
        donation_id: Some(donation_id),
        status: Some(PublicationStatus::Published),
        include_deaccessioned: false,
        page: PageRequest { page: 1, per_page: 1 },
        ..Default::default()
    };
    Ok(!catalogue.artefacts(&filter)?.items.is_empty())
}

/// The published artefacts of a donation.
fn public_items(state: &AppState, donation_id: i64, lang: Lang) -> Result<Vec<ItemLink>, StoreError> {
    let mut out = Vec::new();
    let mut page = PageRequest { page: 1, per_page: 200 };
    loop {
        let filter = ArtefactFilter {
            donation_id: Some(donation_id),
            status: Some(PublicationStatus::Published),
            include_deaccessioned: false,
            page,
            ..Default::default()
        };
        let found = state.catalogue.artefacts(&filter)?;
        let n = found.items.len();
        for a in found.items {
            let (title, title_lang) =
                lang.pick(&a.record.body.title).unwrap_or_else(|| (a.record.accession_number.to_string(), "zh"));
            out.push(ItemLink {
                href: format!("/objects/{}?lang={}", segment(a.record.accession_number.as_str()), lang.code()),
                title,
                title_lang,
                accession: a.record.accession_number.to_string(),
            });
        }
        if n < page.per_page as usize {
            return Ok(out);
        }
        page.page += 1;
    }
}

/// Every donation with at least one published artefact, with those artefacts.
pub fn public_donations(state: &AppState, lang: Lang) -> Result<Vec<(DonationRecord, Vec<ItemLink>)>, StoreError> {
    let mut out = Vec::new();
    let mut page = PageRequest { page: 1, per_page: 200 };
    loop {
        let found = state.catalogue.donations(&DonationFilter { page, ..Default::default() })?;
        let n = found.items.len();
        for d in found.items {
            let items = public_items(state, d.id, lang)?;
            if !items.is_empty() {
                out.push((d, items));
            }
        }
        if n < page.per_page as usize {
            return Ok(out);
        }
        page.page += 1;
    }
}

pub fn link(d: &DonationRecord, items: Vec<ItemLink>, lang: Lang, vocab: &Vocabularies) -> DonationLink {
    let (label, label_lang) = lang.pick(&d.record.occasion).unwrap_or_else(|| (format!("#{}", d.id), "zh"));
    DonationLink {
        href: format!("/donations/{}?lang={}", d.id, lang.code()),
        label,
        label_lang,
        date: d.record.date.as_ref().map(|x| super::date_text(&x.text, lang, vocab)),
        items,
    }
}

pub async fn donation(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let base = base_url(&state, &headers);
    let Ok(id) = id.parse::<i64>() else { return not_found(&lang, &base) };
    let l = lang.lang;
    let t = l.text();
    let st = state.clone();
    let loaded = blocking(move || -> Result<_, StoreError> {
        let Some(d) = st.catalogue.donation(id)? else { return Ok(None) };
        let items = public_items(&st, id, l)?;
        if items.is_empty() {
            return Ok(None);
        }
        let mut donors = Vec::new();
        for p in &d.record.donor_ids {
            if let Some(party) = st.catalogue.party(*p)? {
                donors.push(if party.record.naming_consent {
                    let name = super::i18n::display_name(&party.record, l);
                    let lang = super::i18n::name_lang(&name);
                    (name, lang, Some(format!("/donors/{p}?lang={}", l.code())))
                } else {
                    (t.anonymous.to_string(), l.code(), None)
                });
            }
        }
        Ok(Some((d, items, donors)))
    })
    .await;
    let (d, items, donors) = match loaded {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&lang, &base),
        Err(r) => return r,
    };
    let link = link(&d, Vec::new(), l, &state.catalogue.vocabularies());
    let view = DonationView {
        label: link.label.clone(),
        label_lang: link.label_lang,
        date: link.date,
        venue: d.record.venue.clone(),
        donors,
        credit_line: d.record.credit_line.clone(),
        items,
    };
    let c = Chrome::new(l, &base, &format!("/donations/{id}"), view.label.clone(), view.label.clone());
    render(&DonationPage { c, d: view }, &lang, StatusCode::OK)
}
