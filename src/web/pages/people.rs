//! `/donors/{id}` and `/makers/{name}`: a person as the public may know them — their
//! names in every script with a romanised form, life dates, biography and relations —
//! with their published objects and donations. A donor has a page only if they consented
//! to be named; a relation names another person only if that person may be named.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::browse::{Tile, count, object_tile, public_objects, results_href};
use super::donations::{DonationLink, link};
use super::i18n::{Lang, PageLang, name_lang as lang_of};
use super::{Chrome, base_url, blocking, not_found, render, segment};
use crate::catalogue::{Catalogue, DonationFilter, PageRequest, Sort};
use crate::model::english;
use crate::model::party::Party;
use crate::model::text::{to_simplified, to_traditional};
use crate::web::AppState;

/// Objects a person's page shows.
const OBJECTS: u32 = 60;

pub struct NameView {
    pub label: &'static str,
    pub value: String,
    pub lang: &'static str,
}

pub struct RelationView {
    pub text: String,
    pub href: Option<String>,
}

/// A person, as their page shows them.
pub struct PersonView {
    pub name: String,
    pub name_lang: &'static str,
    pub names: Vec<NameView>,
    pub dates: Option<String>,
    pub biography: Option<(String, &'static str)>,
    pub relations: Vec<RelationView>,
}

/// The names a visitor may look for: as written, in the other script, in English, in pinyin, and any other.
fn names(l: Lang, written: &str, party: Option<&Party>) -> Vec<NameView> {
    let t = l.text();
    let mut out: Vec<NameView> = Vec::new();
    let mut push = |label: &'static str, value: String| {
        if !value.trim().is_empty() && !out.iter().any(|n| n.value == value) {
            let lang = lang_of(&value);
            out.push(NameView { label, value, lang });
        }
    };
    let zh = party.and_then(|p| p.name.zh.clone()).unwrap_or_else(|| written.to_string());
    if english::has_chinese(&zh) {
        push(t.name_simplified, to_simplified(&zh));
        push(t.name_traditional, to_traditional(&zh));
    }
    if let Some(en) = party.and_then(|p| p.name.en.clone()) {
        push(t.name_english, en);
    } else if !english::has_chinese(written) {
        push(t.name_english, written.to_string());
    }
    if let Some(pinyin) = english::romanised_name(&zh) {
        push(t.name_pinyin, pinyin);
    }
    for other in party.map(|p| p.other_names.as_slice()).unwrap_or_default() {
        push(t.name_other, other.clone());
    }
    out
}

/// A relation as a visitor reads it (`李书城后人`, `descendant of Li Shucheng`), or none
/// when the other person may not be named.
fn relation(catalogue: &Catalogue, l: Lang, r: &crate::model::party::Relation) -> anyhow::Result<Option<RelationView>> {
    let (name, href) = match r.party_id {
        Some(id) => {
            let Some(other) = catalogue.party(id)? else { return Ok(None) };
            if !nameable(catalogue, id, &other.record)? {
                return Ok(None);
            }
            let shown = super::i18n::display_name(&other.record, l);
            let href = if is_public_donor(catalogue, id, &other.record)? {
                Some(format!("/donors/{id}?lang={}", l.code()))
            } else {
                match other.record.name.best() {
                    Some(n) if is_public_maker(catalogue, n)? => {
                        Some(format!("/makers/{}?lang={}", segment(n), l.code()))
                    }
                    _ => None,
                }
            };
            (shown, href)
        }
        None => match r.name.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) if l == Lang::En => (english::name_with_pinyin(n), None),
            Some(n) => (n.to_string(), None),
            None => return Ok(None),
        },
    };
    Ok(Some(RelationView { text: crate::web::labels::relation(&r.kind, &name, l), href }))
}

/// Whether the public may read a person's name: anyone but a donor who did not consent.
fn nameable(catalogue: &Catalogue, id: i64, p: &Party) -> anyhow::Result<bool> {
    if p.naming_consent {
        return Ok(true);
    }
    let gave = catalogue.donations(&DonationFilter {
        donor_id: Some(id),
        page: PageRequest { page: 1, per_page: 1 },
        ..Default::default()
    })?;
    Ok(gave.items.is_empty())
}

/// A maker named on a published object.
fn is_public_maker(catalogue: &Catalogue, name: &str) -> anyhow::Result<bool> {
    let found = public_objects(catalogue, vec![("maker".to_string(), name.to_string())], Sort::Relevance, 1, false)?;
    Ok(found.total > 0)
}

/// A donor who consented and gave a donation the public sees.
fn is_public_donor(catalogue: &Catalogue, id: i64, p: &Party) -> anyhow::Result<bool> {
    Ok(p.naming_consent && !donations_of(catalogue, id)?.is_empty())
}

/// The published donations `id` gave (one at least of their objects published).
fn donations_of(catalogue: &Catalogue, id: i64) -> anyhow::Result<Vec<crate::model::view::DonationRecord>> {
    let found = catalogue.donations(&DonationFilter {
        donor_id: Some(id),
        page: PageRequest { page: 1, per_page: 200 },
        ..Default::default()
    })?;
    let mut out = Vec::new();
    for d in found.items {
        if super::donations::has_public_items(catalogue, d.id)? {
            out.push(d);
        }
    }
    Ok(out)
}

fn person(catalogue: &Catalogue, l: Lang, written: &str, party: Option<&Party>) -> anyhow::Result<PersonView> {
    let vocab = catalogue.vocabularies();
    let name = match party {
        Some(p) => super::i18n::display_name(p, l),
        None if l == Lang::En => english::name_with_pinyin(written),
        None => written.to_string(),
    };
    let mut relations = Vec::new();
    for r in party.map(|p| p.relations.as_slice()).unwrap_or_default() {
        relations.extend(relation(catalogue, l, r)?);
    }
    Ok(PersonView {
        name_lang: lang_of(&name),
        names: names(l, written, party),
        dates: party.and_then(|p| p.dates.as_ref()).map(|d| match l {
            Lang::En => english::date(d, &vocab).unwrap_or_else(|| d.text.clone()),
            Lang::Zh => d.text.clone(),
        }),
        biography: party.and_then(|p| l.pick(&p.biography)),
        relations,
        name,
    })
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: PersonView,
    /// `作者` or `捐赠者`: what the person is to the museum.
    role: &'static str,
    objects: Vec<Tile>,
    total: String,
    all_href: String,
    donations: Vec<DonationLink>,
}

/// `/donors/{id}`: a donor who consented to be named, with what they gave.
pub async fn donor(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let base = base_url(&state, &headers);
    let Ok(id) = id.parse::<i64>() else { return not_found(&lang, &base) };
    let l = lang.lang;
    let catalogue = state.catalogue.clone();
    let loaded = blocking(move || -> anyhow::Result<Option<Shown>> {
        let Some(party) = catalogue.party(id)? else { return Ok(None) };
        if !party.record.naming_consent {
            return Ok(None);
        }
        let gave = donations_of(&catalogue, id)?;
        if gave.is_empty() {
            return Ok(None);
        }
        let written = party.record.name.best().unwrap_or_default().to_string();
        let view = person(&catalogue, l, &written, Some(&party.record))?;
        let found =
            public_objects(&catalogue, vec![("donor".into(), written.clone())], Sort::Accession, OBJECTS, false)?;
        let vocab = catalogue.vocabularies();
        let donations = gave.iter().map(|d| link(d, Vec::new(), l, &vocab)).collect();
        Ok(Some(Shown::new(view, &found, donations, "donor", written, l, &vocab)))
    })
    .await;
    let t = lang.lang.text();
    let path = format!("/donors/{id}");
    show(&lang, &base, &path, t.facet_donor, t.donors_intro.into(), loaded)
}

/// `/makers/{name}`: a maker named on a published object, with their objects; their
/// record's names, dates, biography and relations where the catalogue has one.
pub async fn maker(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let base = base_url(&state, &headers);
    let l = lang.lang;
    let catalogue = state.catalogue.clone();
    let written = name.trim().to_string();
    let loaded = blocking(move || -> anyhow::Result<Option<Shown>> {
        let filters = vec![("maker".to_string(), written.clone())];
        let found = public_objects(&catalogue, filters, Sort::Accession, OBJECTS, false)?;
        if found.total == 0 {
            return Ok(None);
        }
        // The maker's record, where a published object links its maker to one.
        let mut party = None;
        for h in found.hits.iter().take(5) {
            let Some(a) = catalogue.artefact(&h.accession)? else { continue };
            let linked = a.record.body.makers.iter().find(|m| m.name == written).and_then(|m| m.party_id);
            if let Some(id) = linked
                && let Some(p) = catalogue.party(id)?
                && nameable(&catalogue, id, &p.record)?
            {
                party = Some(p.record);
                break;
            }
        }
        let view = person(&catalogue, l, &written, party.as_ref())?;
        // Donations of their objects, for a maker who gave them too.
        let donations: Vec<DonationLink> = public_donations_of_objects(&catalogue, &found.hits, l)?;
        Ok(Some(Shown::new(view, &found, donations, "maker", written, l, &catalogue.vocabularies())))
    })
    .await;
    let t = lang.lang.text();
    let path = format!("/makers/{}", segment(name.trim()));
    show(&lang, &base, &path, t.facet_maker, t.facet_maker.into(), loaded)
}

/// What a person's page shows, found.
struct Shown {
    view: PersonView,
    objects: Vec<Tile>,
    total: u64,
    donations: Vec<DonationLink>,
    /// The facet and value whose results are all of their objects.
    facet: &'static str,
    value: String,
}

impl Shown {
    fn new(
        view: PersonView,
        found: &crate::catalogue::SearchResults,
        donations: Vec<DonationLink>,
        facet: &'static str,
        value: String,
        l: Lang,
        vocab: &crate::model::vocab::Vocabularies,
    ) -> Shown {
        let objects = found.hits.iter().map(|h| object_tile(h, l, vocab)).collect();
        Shown { view, objects, total: found.total, donations, facet, value }
    }
}

/// The page of a person found, a 404 for one not found (or not to be shown).
fn show(
    lang: &PageLang,
    base: &str,
    path: &str,
    role: &'static str,
    description: String,
    loaded: Result<Option<Shown>, Response>,
) -> Response {
    let s = match loaded {
        Ok(Some(s)) => s,
        Ok(None) => return not_found(lang, base),
        Err(r) => return r,
    };
    let l = lang.lang;
    let t = l.text();
    let c = Chrome::new(l, base, path, s.view.name.clone(), format!("{} · {description}", s.view.name));
    let page = PersonPage {
        c,
        role,
        objects: s.objects,
        total: count(t, s.total),
        all_href: results_href(s.facet, &s.value, l),
        donations: s.donations,
        p: s.view,
    };
    render(&page, lang, StatusCode::OK)
}

/// The donations the objects shown came in, each once.
fn public_donations_of_objects(
    catalogue: &Catalogue,
    hits: &[crate::catalogue::Hit],
    l: Lang,
) -> anyhow::Result<Vec<DonationLink>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for h in hits {
        let Some(a) = catalogue.artefact(&h.accession)? else { continue };
        let Some(id) = a.record.body.donation_id else { continue };
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        if let Some(d) = catalogue.donation(id)? {
            out.push(link(&d, Vec::new(), l, &catalogue.vocabularies()));
        }
    }
    Ok(out)
}
