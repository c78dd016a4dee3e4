//! `/`: the home page shows the collection: featured objects, the categories, periods
//! and materials with an image of each, and the latest donations with their donors as
//! they consented to be named.

use super::browse::{Section, Tile, object_by_accession, object_tile, public_objects, sections};
use super::donations::{DonationLink, link, public_donations};
use super::i18n::{Lang, PageLang};
use super::{Chrome, base_url, blocking, render};
use crate::catalogue::{Catalogue, Sort};
use crate::web::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// Objects the home page features.
const FEATURED: usize = 8;
/// Donations the home page lists, the latest first.
const DONATIONS: usize = 6;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    q: String,
    featured: Vec<Tile>,
    sections: Vec<Section>,
    donations: Vec<(DonationLink, Vec<String>)>,
}

/// The featured objects: the published ones with images of the set curators chose
/// (`featured_set`), else the latest acquired with images.
fn featured(catalogue: &Catalogue, l: Lang) -> anyhow::Result<Vec<Tile>> {
    let mut tiles = Vec::new();
    if let Some(id) = catalogue.config.featured_set {
        let vocab = catalogue.vocabularies();
        for accession in catalogue.shared_set_members(id)? {
            tiles.extend(object_by_accession(catalogue, &accession, true, l, &vocab)?);
            if tiles.len() == FEATURED {
                break;
            }
        }
    }
    if tiles.is_empty() {
        let filters = vec![("has_image".to_string(), "yes".to_string())];
        let found = public_objects(catalogue, filters, Sort::Acquired, FEATURED as u32, false)?;
        let vocab = catalogue.vocabularies();
        tiles = found.hits.iter().map(|h| object_tile(h, l, &vocab)).collect();
    }
    Ok(tiles)
}

pub async fn home(State(state): State<AppState>, lang: PageLang, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let l = lang.lang;
    let st = state.clone();
    let loaded = blocking(move || -> anyhow::Result<_> {
        let featured = featured(&st.catalogue, l)?;
        let sections = sections(&st.catalogue, l, &["category", "period", "material"], 8)?;
        let mut donations = public_donations(&st, l)?;
        donations.sort_by_key(|(d, _)| {
            std::cmp::Reverse(d.record.date.as_ref().and_then(|x| x.earliest).unwrap_or(i32::MIN))
        });
        donations.truncate(DONATIONS);
        let vocab = st.catalogue.vocabularies();
        let mut out = Vec::new();
        for (d, _) in donations {
            let mut donors = Vec::new();
            for p in &d.record.donor_ids {
                if let Some(party) = st.catalogue.party(*p)? {
                    donors.push(if party.record.naming_consent {
                        super::i18n::display_name(&party.record, l)
                    } else {
                        l.text().anonymous.to_string()
                    });
                }
            }
            out.push((link(&d, Vec::new(), l, &vocab), donors));
        }
        Ok((featured, sections, out))
    })
    .await;
    let (featured, sections, donations) = match loaded {
        Ok(r) => r,
        Err(r) => return r,
    };
    let t = l.text();
    let c = Chrome::new(l, &base, "/", String::new(), t.site_description.into());
    render(&HomePage { c, q: String::new(), featured, sections, donations }, &lang, StatusCode::OK)
}
