//! What an object page offers next: more from its donation, its donor and its makers, and
//! objects of the same category and period, each a row of published objects.

use super::browse::{Tile, object_by_accession, object_tile, public_objects};
use super::i18n::Lang;
use crate::catalogue::formats::PublicContext;
use crate::catalogue::{ArtefactFilter, Catalogue, PageRequest, Sort};
use crate::model::artefact::PublicationStatus;
use crate::model::view::PublicArtefact;
use crate::web::labels::value_label;

/// Objects a row shows.
const ROW: usize = 6;

pub struct RelatedRow {
    pub heading: String,
    pub tiles: Vec<Tile>,
    /// All of them, in the search.
    pub href: String,
}

/// The rows of objects related to `p`, each without `p` and without a row that repeats an earlier one.
pub fn related(
    catalogue: &Catalogue,
    p: &PublicArtefact,
    public: &PublicContext,
    l: Lang,
) -> anyhow::Result<Vec<RelatedRow>> {
    let t = l.text();
    let vocab = catalogue.vocabularies();
    let mut asks: Vec<(String, Vec<(String, String)>)> = Vec::new();
    if let Some((id, _)) = &public.donation {
        asks.push((t.related_donation.to_string(), vec![("donation".into(), id.to_string())]));
    }
    for name in public.donor_names.iter().flatten().take(2) {
        let shown = if l == Lang::En { crate::model::english::name_with_pinyin(name) } else { name.clone() };
        asks.push((t.related_donor.replace("{}", &shown), vec![("donor".into(), name.clone())]));
    }
    for m in p.makers.iter().take(2) {
        let shown = if l == Lang::En { crate::model::english::name_with_pinyin(&m.name) } else { m.name.clone() };
        asks.push((t.related_maker.replace("{}", &shown), vec![("maker".into(), m.name.clone())]));
    }
    if let Some(category) = &p.category {
        let mut filters = vec![("category".to_string(), category.clone())];
        let mut label = value_label(&vocab, l, "category", category);
        if let Some(period) = &p.period {
            filters.push(("period".into(), period.clone()));
            label = format!("{label} · {}", value_label(&vocab, l, "period", period));
        }
        asks.push((t.related_like.replace("{}", &label), filters));
    }
    let mut rows: Vec<RelatedRow> = Vec::new();
    // The original of a reproduction, and the reproductions of an original.
    let original = p.reproduction.as_ref().and_then(|r| r.original_accession.as_deref());
    if let Some(tile) = original.map(|a| object_by_accession(catalogue, a, false, l, &vocab)).transpose()?.flatten() {
        let href = tile.href.clone();
        rows.push(RelatedRow { heading: t.related_original.to_string(), tiles: vec![tile], href });
    }
    let copies = catalogue.artefacts(&ArtefactFilter {
        reproduction_of: Some(p.accession_number.clone()),
        status: Some(PublicationStatus::Published),
        page: PageRequest { page: 1, per_page: ROW as u32 },
        ..Default::default()
    })?;
    let mut tiles = Vec::new();
    for a in &copies.items {
        tiles.extend(object_by_accession(catalogue, a.record.accession_number.as_str(), false, l, &vocab)?);
    }
    if !tiles.is_empty() {
        let href = tiles[0].href.clone();
        rows.push(RelatedRow { heading: t.related_reproductions.to_string(), tiles, href });
    }
    let mut shown: Vec<Vec<String>> = Vec::new();
    for (heading, filters) in asks {
        let found = public_objects(catalogue, filters.clone(), Sort::Relevance, ROW as u32 + 1, false)?;
        let hits: Vec<_> = found.hits.iter().filter(|h| h.accession != p.accession_number).take(ROW).collect();
        let accessions: Vec<String> = hits.iter().map(|h| h.accession.clone()).collect();
        if hits.is_empty() || shown.contains(&accessions) {
            continue;
        }
        shown.push(accessions);
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (n, v) in &filters {
            ser.append_pair("filter", &format!("{n}:{v}"));
        }
        ser.append_pair("lang", l.code());
        rows.push(RelatedRow {
            heading,
            tiles: hits.into_iter().map(|h| object_tile(h, l, &vocab)).collect(),
            href: format!("/search?{}", ser.finish()),
        });
    }
    Ok(rows)
}
