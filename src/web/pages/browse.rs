//! `/browse` and `/browse/{facet}`: the collection by category, period, material, maker,
//! donor, donation and year acquired, each value with its count and an image of it,
//! opening the results it counts. The tiles are shared by the home page.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::i18n::{Lang, PageLang, Text};
use super::{Chrome, base_url, blocking, not_found, render, segment};
use crate::catalogue::{COUNTED_ON_REQUEST, FacetCount, Hit, SearchError};
use crate::catalogue::{Catalogue, SearchRequest, Sort};
use crate::model::role::Scope;
use crate::model::vocab::{Vocabularies, names};
use crate::web::AppState;
use crate::web::labels::value_label;

/// The facets a visitor can browse, in the order the pages offer them.
pub const BROWSABLE: &[&str] = &["category", "period", "material", "maker", "donor", "donation", "acquired"];

/// Values a browse page shows at once.
const PER_PAGE: usize = 120;

/// One thing to look at: a facet value with its count, or an object.
pub struct Tile {
    pub href: String,
    pub label: String,
    pub label_lang: &'static str,
    /// Below the label: a count of objects, or an object's date.
    pub sub: Option<String>,
    pub image: Option<String>,
    /// Shown in place of a missing image: a facet value's first character (铜, 漆), large;
    /// an object without one says it has no image.
    pub initial: Option<String>,
}

/// A facet's first values, for the home and browse pages.
pub struct Section {
    pub name: &'static str,
    pub heading: &'static str,
    pub tiles: Vec<Tile>,
    /// How many values it has, and where all of them are.
    pub all: usize,
    pub all_href: String,
}

/// The thumbnail of an image, as results show it.
pub fn thumbnail(image: &str) -> String {
    format!("/iiif/3/{}/full/%5E!240,240/0/default.jpg", segment(image))
}

/// A published object as a tile.
pub fn object_tile(h: &Hit, l: Lang, vocab: &Vocabularies) -> Tile {
    let (label, label_lang) = l.pick(&h.title).unwrap_or_else(|| (h.accession.clone(), "zh"));
    Tile {
        href: format!("/objects/{}?lang={}", segment(&h.accession), l.code()),
        label,
        label_lang,
        sub: h.date.as_deref().map(|d| super::date_text(d, l, vocab)),
        image: h.thumbnail.as_deref().map(thumbnail),
        initial: None,
    }
}

/// The published object of `accession` as a tile; none if it is not published. Images
/// first when `with_image`: then an object without a public image is none too.
pub fn object_by_accession(
    catalogue: &Catalogue,
    accession: &str,
    with_image: bool,
    l: Lang,
    vocab: &Vocabularies,
) -> Result<Option<Tile>, SearchError> {
    let filters = if with_image { vec![("has_image".to_string(), "yes".to_string())] } else { Vec::new() };
    let req = SearchRequest { q: accession.to_string(), filters, per_page: 5, ..Default::default() };
    let found = catalogue.search(&req, Scope::Public)?;
    Ok(found.hits.iter().find(|h| h.accession == accession).map(|h| object_tile(h, l, vocab)))
}

/// Published objects matching `filters`, `n` of them, images first when `images`.
pub fn public_objects(
    catalogue: &Catalogue,
    filters: Vec<(String, String)>,
    sort: Sort,
    n: u32,
    facets: bool,
) -> Result<crate::catalogue::SearchResults, SearchError> {
    let req = SearchRequest {
        q: String::new(),
        filters,
        sort,
        page: 1,
        per_page: n.max(1),
        facets,
        snippets: false,
        exact_total: false,
    };
    catalogue.search(&req, Scope::Public)
}

pub fn heading(t: &Text, name: &str) -> &'static str {
    match name {
        "category" => t.browse_category,
        "period" => t.browse_period,
        "material" => t.browse_material,
        "maker" => t.browse_maker,
        "donor" => t.browse_donor,
        "donation" => t.browse_donation,
        _ => t.browse_acquired,
    }
}

/// A facet's values in the order a visitor reads them: categories and materials as the
/// census lists them, periods in time (先秦 … 清, 民国), years acquired newest first,
/// the rest by how many objects they hold.
fn ordered(vocab: &Vocabularies, name: &str, mut values: Vec<FacetCount>) -> Vec<FacetCount> {
    let position = |list: &str, code: &str| {
        vocab.get(list).and_then(|v| v.terms.iter().position(|t| t.code == code)).unwrap_or(usize::MAX)
    };
    match name {
        "category" => values.sort_by_key(|v| position(names::CATEGORY, &v.value)),
        "material" => values.sort_by_key(|v| position(names::MATERIAL, &v.value)),
        "period" => values.sort_by_key(|v| {
            // A dynasty before its reigns: earliest first, then the widest.
            let term = vocab.get(names::PERIOD).and_then(|p| p.terms.iter().find(|t| t.code == v.value));
            let (from, to) =
                term.map_or((i32::MAX, i32::MAX), |t| (t.earliest.unwrap_or(i32::MAX), t.latest.unwrap_or(i32::MAX)));
            (from, std::cmp::Reverse(to), v.value.clone())
        }),
        "acquired" => values.sort_by(|a, b| b.value.cmp(&a.value)),
        _ => {} // by count, as counted
    }
    values
}

/// The visitor's reading of a facet value: a term's name, a donation's occasion, a name
/// with its pinyin on English pages.
fn label(catalogue: &Catalogue, vocab: &Vocabularies, l: Lang, name: &str, value: &str) -> (String, &'static str) {
    if name == "donation"
        && let Ok(id) = value.parse::<i64>()
        && let Ok(Some(d)) = catalogue.donation(id)
        && let Some(picked) = l.pick(&d.record.occasion)
    {
        return picked;
    }
    let text = value_label(vocab, l, name, value);
    let lang = if crate::model::english::has_chinese(&text) { "zh" } else { "en" };
    (text, lang)
}

/// `25 件`, `25 objects`, `1 object`.
pub fn count(t: &Text, n: u64) -> String {
    format!("{n} {}", if n == 1 { t.object_count_one } else { t.objects_count })
}

/// The results of one facet value.
pub fn results_href(name: &str, value: &str, l: Lang) -> String {
    let filter: String = url::form_urlencoded::byte_serialize(format!("{name}:{value}").as_bytes()).collect();
    format!("/search?filter={filter}&lang={}", l.code())
}

/// Tiles of `values` of facet `name`, each with an image of an object it counts.
fn tiles(catalogue: &Catalogue, l: Lang, name: &str, values: &[FacetCount]) -> Result<Vec<Tile>, SearchError> {
    let vocab = catalogue.vocabularies();
    let t = l.text();
    values
        .iter()
        .map(|v| {
            let filters = vec![(name.to_string(), v.value.clone()), ("has_image".into(), "yes".into())];
            let shown = public_objects(catalogue, filters, Sort::Relevance, 1, false)?;
            let (label, label_lang) = label(catalogue, &vocab, l, name, &v.value);
            Ok(Tile {
                href: results_href(name, &v.value, l),
                sub: Some(count(t, v.count)),
                image: shown.hits.first().and_then(|h| h.thumbnail.as_deref()).map(thumbnail),
                // A year is read whole (2023); a name by its first character (铜).
                initial: Some(match label.chars().all(|c| c.is_ascii_digit()) {
                    true => label.clone(),
                    false => label.chars().next().map(String::from).unwrap_or_default(),
                }),
                label,
                label_lang,
            })
        })
        .collect()
}

/// The values of the facets `which` over the published collection, in reading order.
fn all_values(
    catalogue: &Catalogue,
    which: &[&str],
) -> Result<std::collections::BTreeMap<String, Vec<FacetCount>>, SearchError> {
    let vocab = catalogue.vocabularies();
    let mut facets = public_objects(catalogue, Vec::new(), Sort::Relevance, 1, true)?.facets;
    for name in which.iter().filter(|n| COUNTED_ON_REQUEST.contains(n)) {
        facets.insert(name.to_string(), catalogue.facet_values(name, Scope::Public)?);
    }
    facets.retain(|name, _| which.contains(&name.as_str()));
    for name in which {
        if let Some(v) = facets.remove(*name) {
            facets.insert(name.to_string(), ordered(&vocab, name, v));
        }
    }
    Ok(facets)
}

/// The first `n` values of each of `which`, as sections of tiles.
pub fn sections(catalogue: &Catalogue, l: Lang, which: &[&'static str], n: usize) -> Result<Vec<Section>, SearchError> {
    let facets = all_values(catalogue, which)?;
    let t = l.text();
    let mut out = Vec::new();
    for name in which {
        let Some(values) = facets.get(*name).filter(|v| !v.is_empty()) else { continue };
        out.push(Section {
            name,
            heading: heading(t, name),
            tiles: tiles(catalogue, l, name, &values[..values.len().min(n)])?,
            all: values.len(),
            all_href: format!("/browse/{name}?lang={}", l.code()),
        });
    }
    Ok(out)
}

pub struct FacetLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "browse.html")]
struct BrowsePage {
    c: Chrome,
    heading: &'static str,
    links: Vec<FacetLink>,
    /// One facet's page of values; or, on `/browse`, every facet's first values.
    tiles: Vec<Tile>,
    sections: Vec<Section>,
    total: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn links(t: &Text, l: Lang, current: Option<&str>) -> Vec<FacetLink> {
    BROWSABLE
        .iter()
        .map(|name| FacetLink {
            href: format!("/browse/{name}?lang={}", l.code()),
            label: heading(t, name),
            current: current == Some(*name),
        })
        .collect()
}

/// `/browse`: the first values of every facet.
pub async fn index(State(state): State<AppState>, lang: PageLang, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let l = lang.lang;
    let t = l.text();
    let catalogue = state.catalogue.clone();
    let sections = match blocking(move || sections(&catalogue, l, BROWSABLE, 8)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = Chrome::new(l, &base, "/browse", t.nav_browse.into(), t.browse_intro.into());
    let page = BrowsePage {
        c,
        heading: t.nav_browse,
        links: links(t, l, None),
        tiles: Vec::new(),
        sections,
        total: 0,
        prev_href: None,
        next_href: None,
    };
    render(&page, &lang, StatusCode::OK)
}

/// `/browse/{facet}`: every value of one facet, a page at a time.
pub async fn facet(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let base = base_url(&state, &headers);
    let Some(name) = BROWSABLE.iter().copied().find(|n| *n == name) else { return not_found(&lang, &base) };
    let page = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "page")
        .map(|(_, v)| v.parse::<usize>().ok().filter(|p| *p >= 1));
    let page = match page {
        None => 1,
        Some(Some(p)) => p,
        Some(None) => return super::bad_request(&lang, &base, "page must be a number from 1".into()),
    };
    let l = lang.lang;
    let t = l.text();
    let catalogue = state.catalogue.clone();
    let loaded = blocking(move || -> Result<_, SearchError> {
        let values = all_values(&catalogue, &[name])?.remove(name).unwrap_or_default();
        let shown: Vec<FacetCount> = values.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).cloned().collect();
        Ok((values.len(), tiles(&catalogue, l, name, &shown)?))
    })
    .await;
    let (total, tiles) = match loaded {
        Ok(r) => r,
        Err(r) => return r,
    };
    if tiles.is_empty() && page > 1 {
        return not_found(&lang, &base);
    }
    let at = |p: usize| format!("/browse/{name}?page={p}&lang={}", l.code());
    let path = if page > 1 { format!("/browse/{name}?page={page}") } else { format!("/browse/{name}") };
    let c = Chrome::new(l, &base, &path, heading(t, name).into(), t.browse_intro.into());
    let page = BrowsePage {
        c,
        heading: heading(t, name),
        links: links(t, l, Some(name)),
        tiles,
        sections: Vec::new(),
        total,
        prev_href: (page > 1).then(|| at(page - 1)),
        next_href: (page * PER_PAGE < total).then(|| at(page + 1)),
    };
    render(&page, &lang, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_in_time_and_a_dynasty_before_its_reigns() {
        let vocab = Vocabularies::shipped();
        let code = |zh: &str| vocab.resolve(names::PERIOD, zh).unwrap().code.clone();
        let values: Vec<FacetCount> = ["民国", "乾隆", "清", "明", "中华人民共和国"]
            .iter()
            .map(|zh| FacetCount { value: code(zh), count: 1 })
            .collect();
        let order: Vec<String> = ordered(&vocab, "period", values).into_iter().map(|v| v.value).collect();
        let want: Vec<String> = ["明", "清", "乾隆", "民国", "中华人民共和国"].iter().map(|zh| code(zh)).collect();
        assert_eq!(order, want);
    }
}
