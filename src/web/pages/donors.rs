//! `/donors`: the donors' acknowledgements, each donor named only with their consent,
//! with the published donations and items they gave.

use super::donations::{DonationLink, ItemLink, link, public_donations};
use super::i18n::PageLang;
use super::{Chrome, base_url, blocking, render};
use crate::catalogue::StoreError;
use crate::web::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub struct DonorView {
    pub name: String,
    pub name_lang: &'static str,
    /// The donor's own page.
    pub href: String,
    pub donations: Vec<DonationLink>,
}

#[derive(Template)]
#[template(path = "donors.html")]
struct DonorsPage {
    c: Chrome,
    donors: Vec<DonorView>,
}

pub async fn donors(State(state): State<AppState>, lang: PageLang, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let l = lang.lang;
    let st = state.clone();
    let loaded = blocking(move || -> Result<_, StoreError> {
        let vocab = st.catalogue.vocabularies();
        let mut donors: Vec<(i64, DonorView)> = Vec::new();
        for (d, items) in public_donations(&st, l)? {
            for p in &d.record.donor_ids {
                let Some(party) = st.catalogue.party(*p)? else { continue };
                if !party.record.naming_consent {
                    continue;
                }
                let entry = match donors.iter_mut().position(|(id, _)| id == p) {
                    Some(i) => &mut donors[i].1,
                    None => {
                        // As the donor's own page names them: `Li Zhenya 李振亚` on English pages.
                        let name = super::i18n::display_name(&party.record, l);
                        let name_lang = super::i18n::name_lang(&name);
                        let href = format!("/donors/{p}?lang={}", l.code());
                        donors.push((*p, DonorView { name, name_lang, href, donations: Vec::new() }));
                        &mut donors.last_mut().expect("just pushed").1
                    }
                };
                let items = items
                    .iter()
                    .map(|i| ItemLink {
                        href: i.href.clone(),
                        title: i.title.clone(),
                        title_lang: i.title_lang,
                        accession: i.accession.clone(),
                    })
                    .collect();
                entry.donations.push(link(&d, items, l, &vocab));
            }
        }
        Ok(donors.into_iter().map(|(_, d)| d).collect::<Vec<_>>())
    })
    .await;
    let donors = match loaded {
        Ok(d) => d,
        Err(r) => return r,
    };
    let t = l.text();
    let c = Chrome::new(l, &base, "/donors", t.donors_title.into(), t.donors_intro.into());
    render(&DonorsPage { c, donors }, &lang, StatusCode::OK)
}
