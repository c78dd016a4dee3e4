//! Running a search: the query with its filters, sorted hits with snippets, facet counts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, Term};
use utoipa::ToSchema;

use super::document::{HitInfo, StoredText};
use super::index::SearchIndex;
use super::query::{self, Clause, QueryBuilder};
use super::schema::FACETS;
use super::tokenizers::WordTokenizer;
use super::{Result, SearchError, SearchService};
use crate::model::common::LocalText;
use crate::model::role::Scope;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    Accession,
    Date,
    DateDesc,
    Acquired,
}

/// A search as asked.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    /// Facet filters, e.g. (`category`, `bronze`), and `year` ranges (`1900..1930`).
    pub filters: Vec<(String, String)>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
    /// Count facets (a second pass over every match).
    pub facets: bool,
    /// Make snippets (analyses each hit's text again).
    pub snippets: bool,
    /// Count every match exactly (otherwise `total` counts only the hits returned, and the
    /// search may stop early, as engines that estimate their totals do).
    pub exact_total: bool,
}

/// One result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    pub accession: String,
    pub title: LocalText,
    /// HTML: the matching passage of the original text, escaped, matches in `<mark>`.
    pub snippet: String,
    pub score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub makers: Vec<String>,
    /// `published`, `internal`, `draft` or `deaccessioned`.
    pub status: String,
}

pub use super::facets::FacetCount;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// A query that finds more: the typed words the index does not hold as what they
    /// were searched as, or for a query that finds little, a near miss that finds more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Characters of text a snippet shows.
const SNIPPET_CHARS: usize = 80;

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A window of `SNIPPET_CHARS` characters of `text` around the first match, escaped, matches in `<mark>`.
pub fn render_snippet(text: &str, highlights: &[std::ops::Range<usize>]) -> String {
    let mut ranges: Vec<std::ops::Range<usize>> = highlights
        .iter()
        .filter(|r| {
            r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    ranges.sort_by_key(|r| r.start);
    // Touching or overlapping matches make one mark: `<mark>晓缘仁兄</mark>`, not four.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let ranges = merged;
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let chars = starts.len() - 1;
    let first_char = ranges.first().map_or(0, |r| starts.partition_point(|&b| b < r.start));
    let from = first_char.saturating_sub(SNIPPET_CHARS / 4).min(chars.saturating_sub(SNIPPET_CHARS));
    let to = (from + SNIPPET_CHARS).min(chars);
    let (lo, hi) = (starts[from], starts[to]);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = lo;
    for r in ranges.iter().filter(|r| r.end > lo && r.start < hi) {
        let (s, e) = (r.start.max(at).max(lo), r.end.min(hi));
        if s >= e {
            continue;
        }
        escape(&text[at..s], &mut out);
        out.push_str("<mark>");
        escape(&text[s..e], &mut out);
        out.push_str("</mark>");
        at = e;
    }
    escape(&text[at..hi], &mut out);
    if to < chars {
        out.push('…');
    }
    out.replace('\n', " · ")
}

/// What a query is built from: the searcher it runs on, the word segmenter and the
/// English–Chinese bridge in use.
struct QueryParts {
    searcher: Searcher,
    words: WordTokenizer,
    bridge: std::sync::Arc<super::bridge::Bridge>,
}

impl QueryParts {
    fn builder<'a>(&'a self, service: &'a SearchService, idx: &'a SearchIndex, private: bool) -> QueryBuilder<'a> {
        QueryBuilder {
            fields: &idx.fields,
            bridge: &self.bridge,
            searcher: &self.searcher,
            typos: &idx.typos,
            words: &self.words,
            boosts: &service.boosts,
            synonyms: &service.synonyms,
            private,
            corrected: Default::default(),
        }
    }
}

impl SearchService {
    fn query_parts(&self, idx: &SearchIndex) -> QueryParts {
        QueryParts {
            searcher: idx.reader.searcher(),
            words: WordTokenizer { segmenter: self.segmenter.clone() },
            bridge: self.bridge(),
        }
    }

    /// Every value of one facet (any the index holds, `maker` too) over every record of
    /// the index `scope` selects, most records first.
    pub fn facet_values(&self, name: &str, scope: Scope) -> Result<Vec<FacetCount>> {
        let indexes = self.indexes();
        let idx: &SearchIndex = match scope {
            Scope::Public => &indexes.public,
            Scope::Research | Scope::Full => &indexes.internal,
        };
        self.facet_values_in(idx, name)
    }

    /// As [`SearchService::facet_values`], over one index.
    pub fn facet_values_in(&self, idx: &SearchIndex, name: &str) -> Result<Vec<FacetCount>> {
        if idx.fields.facet(name).is_none() {
            return Ok(Vec::new());
        }
        let searcher = idx.reader.searcher();
        let key = (name.to_string(), searcher.generation().generation_id());
        let cache = || self.facet_values.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(values) = cache().get(&key) {
            return Ok(values.clone());
        }
        let values = count_all(idx, &searcher, name)?;
        let mut kept = cache();
        // Counts of an older searcher are of no more use once the newer one's are counted.
        kept.retain(|(n, _), _| n != name);
        kept.insert(key, values.clone());
        Ok(values)
    }

    /// Runs a search over the index `scope` selects.
    pub fn search(&self, req: &SearchRequest, scope: Scope) -> Result<SearchResults> {
        let indexes = self.indexes();
        let idx: &SearchIndex = match scope {
            Scope::Public => &indexes.public,
            Scope::Research | Scope::Full => &indexes.internal,
        };
        self.search_in(idx, req, scope.private())
    }

    /// The facet counts of the query a public search of `req` runs over `idx`, counted
    /// alone (with tantivy's `FacetCollector` when `by_tantivy`), for timing the counting.
    pub fn facet_counts_of(
        &self,
        idx: &SearchIndex,
        req: &SearchRequest,
        by_tantivy: bool,
    ) -> Result<BTreeMap<String, Vec<FacetCount>>> {
        let parts = self.query_parts(idx);
        let (builder, searcher) = (parts.builder(self, idx, false), &parts.searcher);
        let query = filtered_query(&builder, req);
        match by_tantivy {
            false => count_facets(idx, searcher, query.as_ref(), FACETS),
            true => count_facets_by_tantivy(searcher, query.as_ref(), FACETS),
        }
    }

    /// Runs a search over one index; `private` lets private values match.
    pub fn search_in(&self, idx: &SearchIndex, req: &SearchRequest, private: bool) -> Result<SearchResults> {
        let f = &idx.fields;
        let parts = self.query_parts(idx);
        let (builder, searcher) = (parts.builder(self, idx, private), &parts.searcher);
        let query = filtered_query(&builder, req);
        let per_page = req.per_page.clamp(1, 200) as usize;
        let offset = (req.page.max(1) as usize - 1).saturating_mul(per_page);
        // Collecting the top N costs memory in proportion to N: deep pages are refused, not attempted.
        if offset + per_page > MAX_WINDOW {
            return Err(SearchError::TooDeep { max: MAX_WINDOW });
        }
        // The facets are counted in the same pass over the matches as the hits are ranked.
        let counter = req.facets.then(|| idx.facets.counter(FACETS));
        let (top, total, facets) =
            top_docs(searcher, query.as_ref(), req.sort, per_page, offset, req.exact_total, counter)?;
        let facets = facets.unwrap_or_default();
        let mut generators = Vec::new();
        if req.snippets {
            // The analysers most likely to explain a match come first; the first that highlights anything makes the snippet.
            let order = if req.q.chars().any(super::analysis::is_cjk) {
                [f.gram, f.word, f.uni, f.en, f.title, f.classification, f.pinyin]
            } else {
                [f.en, f.title, f.classification, f.pinyin, f.gram, f.word, f.uni]
            };
            // A field the query has no terms in can highlight nothing: do not analyse every hit's text for it.
            let mut queried = std::collections::HashSet::new();
            query.query_terms(&mut |term, _| {
                queried.insert(term.field());
            });
            for field in order.into_iter().filter(|f| queried.contains(f)) {
                let mut g = SnippetGenerator::create(searcher, query.as_ref(), field)?;
                g.set_max_num_chars(usize::MAX / 2);
                generators.push(g);
            }
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let info = match req.snippets {
                true => HitInfo::from_stored(searcher.doc::<StoredText<true>>(address)?, f),
                false => HitInfo::from_stored(searcher.doc::<StoredText<false>>(address)?, f),
            };
            let mut snippet = String::new();
            if req.snippets {
                let body = info.body.as_str();
                let mut highlights: Vec<std::ops::Range<usize>> = Vec::new();
                for g in &generators {
                    let s = g.snippet(body);
                    if !s.highlighted().is_empty() {
                        let base = s.fragment_range().start;
                        highlights = s.highlighted().iter().map(|r| r.start + base..r.end + base).collect();
                        break;
                    }
                }
                snippet = render_snippet(body, &highlights);
            }
            hits.push(Hit {
                accession: info.accession,
                title: info.title,
                snippet,
                score,
                thumbnail: info.thumbnail,
                date: info.date,
                makers: info.makers,
                status: info.status,
            });
        }
        let suggestion = suggestion(&builder, &req.q, total);
        Ok(SearchResults { total, hits, facets, suggestion })
    }
}

/// The query of a search with its filters.
fn filtered_query(builder: &QueryBuilder<'_>, req: &SearchRequest) -> Box<dyn Query> {
    let f = builder.fields;
    let parsed = query::parse(&req.q);
    let main = builder.build(&parsed);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for (name, value) in &req.filters {
        if name == "year" {
            if let Some(Clause::Years(a, b)) =
                query::parse(&format!("year:{value}")).clauses.first().map(|c| c.1.clone())
            {
                clauses.push((
                    Occur::Must,
                    builder.build(&query::Parsed { clauses: vec![(query::Join::And, Clause::Years(a, b))] }),
                ));
            }
        } else if name == "status" {
            let term = Term::from_field_text(f.status, value);
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        } else if let Some(field) = f.facet(name) {
            let term = Term::from_facet(field, &Facet::from_path([value.as_str()]));
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
    }
    query::combined(clauses)
}

/// What to offer instead of `q`: the words it was searched as where some were typos
/// (the results are of the corrected words), else, for a query that finds nothing, each
/// word's nearest term (Latin) or sound-alike (Chinese), if the whole then finds records.
/// A query that finds a few records is not second-guessed: rare things are rare.
fn suggestion(builder: &QueryBuilder<'_>, q: &str, total: u64) -> Option<String> {
    let words: Vec<&str> = q.split_whitespace().collect();
    let corrected = builder.corrected.take();
    let replace = |typed: &str| -> Option<String> {
        let key = super::bridge::key(typed);
        corrected.iter().find(|(t, _)| *t == key).map(|(_, c)| c.clone())
    };
    if !corrected.is_empty() {
        let offered: Vec<String> = words.iter().map(|w| replace(w).unwrap_or_else(|| w.to_string())).collect();
        return Some(offered.join(" ")).filter(|o| o != q);
    }
    if total > 0 || words.is_empty() || words.len() > 6 {
        return None;
    }
    let (searcher, f) = (builder.searcher, builder.fields);
    let mut changed = false;
    let offered: Vec<String> = words
        .iter()
        .map(|w| {
            let latin = super::bridge::key(w);
            let nearer = if w.chars().any(super::analysis::is_cjk) {
                // The sound-alike or look-alike that finds the most records.
                super::typos::sound_alikes(searcher, f, w)
                    .into_iter()
                    .chain(super::typos::look_alikes(w))
                    .filter_map(|c| {
                        let q = query::cjk_gram_phrase(f.gram, f.uni, &c)?;
                        Some((searcher.search(q.as_ref(), &Count).ok()?, c))
                    })
                    .filter(|(n, _)| *n > 0)
                    .max()
                    .map(|(_, c)| c)
            } else if !latin.contains(' ') {
                let edits = super::typos::allowed_edits(&latin);
                let near = builder.typos.corrections(searcher, &latin, edits);
                near.into_iter().max_by_key(|c| c.documents).map(|c| c.term)
            } else {
                None
            };
            changed |= nearer.is_some();
            nearer.unwrap_or_else(|| w.to_string())
        })
        .collect();
    if !changed {
        return None;
    }
    let offered = offered.join(" ");
    let finds = searcher.search(builder.build(&query::parse(&offered)).as_ref(), &Count).ok()? as u64;
    (finds > total).then_some(offered)
}

/// The deepest result a search pages to; beyond it, narrow the search or export.
pub const MAX_WINDOW: usize = 10_000;

/// Hits in their order, with their scores (0 when sorted by a field).
type Ranked = Vec<(f32, DocAddress)>;

/// The page of hits, the count of matches (exact unless `exact_total` is false and
/// nothing else needs every match), and what `extra` collected over every match.
fn top_docs<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
    exact_total: bool,
    extra: Option<C>,
) -> Result<(Ranked, u64, Option<C::Fruit>)> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    if !exact_total && sort == Sort::Relevance && extra.is_none() {
        let hits = searcher.search(query, &top.order_by_score())?;
        let n = (offset + hits.len()) as u64;
        return Ok((hits, n, None));
    }
    let unscored = |v: Vec<(Option<i64>, DocAddress)>| v.into_iter().map(|(_, a)| (0.0, a)).collect::<Vec<_>>();
    let (hits, total, fruit) = match sort {
        Sort::Relevance => searcher.search(query, &(top.order_by_score(), Count, extra))?,
        Sort::Accession => {
            let (h, n, e) =
                searcher.search(query, &(top.order_by_string_fast_field("accession", Order::Asc), Count, extra))?;
            (h.into_iter().map(|(_, a)| (0.0, a)).collect(), n, e)
        }
        Sort::Date | Sort::DateDesc | Sort::Acquired => {
            let (field, order) = match sort {
                Sort::Date => ("year_from", Order::Asc),
                Sort::DateDesc => ("year_from", Order::Desc),
                _ => ("acquired_year", Order::Desc),
            };
            let (h, n, e) = searcher.search(query, &(top.order_by_fast_field::<i64>(field, order), Count, extra))?;
            (unscored(h), n, e)
        }
    };
    Ok((hits, total as u64, fruit))
}

/// One facet's values over every document of a searcher of `idx`, counted afresh.
pub fn count_all(idx: &SearchIndex, searcher: &Searcher, name: &str) -> Result<Vec<FacetCount>> {
    Ok(count_facets(idx, searcher, &tantivy::query::AllQuery, &[name])?.remove(name).unwrap_or_default())
}

/// Counts of every facet `names` over all matches, most matches first, then by value.
fn count_facets(
    idx: &SearchIndex,
    searcher: &Searcher,
    query: &dyn Query,
    names: &[&str],
) -> Result<BTreeMap<String, Vec<FacetCount>>> {
    Ok(searcher.search(query, &idx.facets.counter(names))?)
}

/// As [`count_facets`], with tantivy's `FacetCollector`, one a facet: what the counts
/// were made with before, kept to compare with.
fn count_facets_by_tantivy(
    searcher: &Searcher,
    query: &dyn Query,
    names: &[&str],
) -> Result<BTreeMap<String, Vec<FacetCount>>> {
    use tantivy::collector::{FacetCollector, MultiCollector};
    let mut multi = MultiCollector::new();
    let mut handles = Vec::new();
    for name in names {
        let mut c = FacetCollector::for_field(format!("facet_{name}"));
        c.add_facet("/");
        handles.push((*name, multi.add_collector(c)));
    }
    let mut fruits = searcher.search(query, &multi)?;
    let mut facets = BTreeMap::new();
    for (name, handle) in handles {
        let counts = handle.extract(&mut fruits);
        let mut values: Vec<FacetCount> = counts
            .get("/")
            .map(|(facet, count)| FacetCount {
                value: facet.to_path().last().map(|s| s.to_string()).unwrap_or_default(),
                count,
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        facets.insert(name.to_string(), values);
    }
    Ok(facets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_escape_html_and_mark_matches_on_char_boundaries() {
        let text = "<b>李書城</b> & 村飲";
        let start = text.find('李').unwrap();
        let html = render_snippet(text, std::slice::from_ref(&(start..start + "李書城".len())));
        assert_eq!(html, "&lt;b&gt;<mark>李書城</mark>&lt;/b&gt; &amp; 村飲");
        // A range not on a character boundary is ignored rather than splitting a character.
        assert_eq!(render_snippet("李書城", std::slice::from_ref(&(1..4))), "李書城");
    }

    #[test]
    fn touching_matches_make_one_mark() {
        let text = "晓缘仁兄";
        let html = render_snippet(text, &[0..6, 6..9, 9..12]);
        assert_eq!(html, "<mark>晓缘仁兄</mark>");
    }

    #[test]
    fn long_texts_are_cut_to_a_window_of_characters_around_the_match() {
        let text: String = "甲".repeat(200) + "村飲" + &"乙".repeat(200);
        let start = text.find('村').unwrap();
        let html = render_snippet(&text, std::slice::from_ref(&(start..start + "村飲".len())));
        let visible: String = html.replace("<mark>", "").replace("</mark>", "");
        assert_eq!(visible.chars().filter(|c| *c != '…').count(), SNIPPET_CHARS);
        assert!(html.contains("<mark>村飲</mark>"));
    }
}
