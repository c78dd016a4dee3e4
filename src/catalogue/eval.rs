//! Search quality over a query set with its truth: recall@20 and P@1, with latencies.
//!
//! The records are indexed as the catalogue indexes them (the open datasets'
//! JSON lines → catalogue input → validated artefact → internal document).

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::interchange::jsonl::read_jsonl;
use crate::model::artefact::Artefact;
use crate::model::vocab::Vocabularies;
use crate::search::document;
use crate::search::index::SearchIndex;
use crate::search::{Result, SearchError, SearchRequest, SearchService};

/// One query with the accession numbers that must be found.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthQuery {
    pub q: String,
    #[serde(default)]
    pub kind: String,
    pub truth: Vec<String>,
}

/// The outcome of one query.
#[derive(Debug, Clone)]
pub struct QueryOutcome {
    pub query: TruthQuery,
    pub recall: f64,
    pub first_is_right: bool,
    pub took: Duration,
    pub top: Vec<String>,
}

/// The outcome of a query set.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub records: usize,
    pub index_time: Duration,
    pub outcomes: Vec<QueryOutcome>,
}

impl Evaluation {
    pub fn recall_at_20(&self) -> f64 {
        self.outcomes.iter().map(|o| o.recall).sum::<f64>() / self.outcomes.len().max(1) as f64
    }

    pub fn precision_at_1(&self) -> f64 {
        self.outcomes.iter().filter(|o| o.first_is_right).count() as f64 / self.outcomes.len().max(1) as f64
    }

    /// The outcomes of each kind of query (`english-over-chinese`, `typo-maker` …), as an
    /// evaluation of its own.
    pub fn by_kind(&self) -> std::collections::BTreeMap<String, Evaluation> {
        let mut kinds: std::collections::BTreeMap<String, Evaluation> = std::collections::BTreeMap::new();
        for o in &self.outcomes {
            kinds
                .entry(o.query.kind.clone())
                .or_insert_with(|| Evaluation {
                    records: self.records,
                    index_time: self.index_time,
                    outcomes: Vec::new(),
                })
                .outcomes
                .push(o.clone());
        }
        kinds
    }

    /// The `p`-th percentile query time (0–100).
    pub fn percentile(&self, p: f64) -> Duration {
        percentile(self.outcomes.iter().map(|o| o.took).collect(), p)
    }
}

/// The `p`-th percentile (0–100) of `times`; zero if there are none.
pub fn percentile(mut times: Vec<Duration>, p: f64) -> Duration {
    times.sort();
    times.get(((p / 100.0) * (times.len().saturating_sub(1)) as f64).round() as usize).copied().unwrap_or_default()
}

/// Indexes every record of `records` (JSON lines, `.gz` too) into `idx`; returns how many.
/// Reads the records of `records` (JSON lines, `.gz` too) as the importer validates them, passing
/// each with a fresh id to `each`; only those whose `source` starts with `source`, when given.
/// Rows the importer would refuse are left out.
pub fn read_artefacts(
    records: &Path,
    source: Option<&str>,
    vocab: &Vocabularies,
    mut each: impl FnMut(i64, Artefact) -> Result<()>,
) -> Result<usize> {
    let plan = read_jsonl(records, source, vocab, &|_| {}).map_err(|e| SearchError::Io(records.to_path_buf(), e))?;
    let mut n = 0usize;
    for new in plan.items {
        let Some(accession) = new.accession_number else { continue };
        n += 1;
        each(n as i64, Artefact { accession_number: accession, body: new.body, deaccession: None })?;
    }
    Ok(n)
}

/// Indexes every record of `records` into `idx` as the internal index would hold it; returns how many.
pub fn index_records(
    records: &Path,
    source: Option<&str>,
    idx: &SearchIndex,
    vocab: &Vocabularies,
    progress: &dyn Fn(u64),
) -> Result<usize> {
    let mut writer: tantivy::IndexWriter = idx.index.writer_with_num_threads(2, 256 * 1024 * 1024)?;
    let n = read_artefacts(records, source, vocab, |id, artefact| {
        writer.add_document(document::internal(id, &artefact, None, None, &idx.fields, vocab))?;
        if id % 1000 == 0 {
            progress(id as u64);
        }
        Ok(())
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    idx.reader.reload()?;
    Ok(n)
}

/// Whether one query's top hits satisfy its truth: (recall@20, first hit right).
pub fn score(q: &TruthQuery, top: &[String]) -> (f64, bool) {
    let truth: HashSet<&str> = q.truth.iter().map(String::as_str).collect();
    let found = top.iter().take(20).filter(|a| truth.contains(a.as_str())).count();
    let recall = if truth.is_empty() { 1.0 } else { found as f64 / truth.len().min(20) as f64 };
    (recall, top.first().is_some_and(|a| truth.contains(a.as_str())))
}

/// Runs every query of `queries` against `idx`, taking the top 20.
pub fn run_queries(service: &SearchService, idx: &SearchIndex, queries: &[TruthQuery]) -> Result<Vec<QueryOutcome>> {
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        let req = SearchRequest { q: q.q.clone(), page: 1, per_page: 20, ..Default::default() };
        let start = Instant::now();
        let results = service.search_in(idx, &req, false)?;
        let took = start.elapsed();
        let top: Vec<String> = results.hits.into_iter().map(|h| h.accession).collect();
        let (recall, first_is_right) = score(q, &top);
        out.push(QueryOutcome { query: q.clone(), recall, first_is_right, took, top });
    }
    Ok(out)
}

/// Reads a query set.
pub fn read_queries(path: &Path) -> Result<Vec<TruthQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| SearchError::Io(path.to_path_buf(), e))?;
    serde_json::from_str(&text).map_err(|e| SearchError::Config(path.display().to_string(), e.to_string()))
}

impl Evaluation {
    /// How the queries fared: `N queries: recall@20 …, P@1 …, p50 … ms, p99 … ms`.
    fn quality(&self) -> String {
        format!(
            "{} queries: recall@20 {:.4}, P@1 {:.4}, p50 {:.2} ms, p99 {:.2} ms",
            self.outcomes.len(),
            self.recall_at_20(),
            self.precision_at_1(),
            self.percentile(50.0).as_secs_f64() * 1000.0,
            self.percentile(99.0).as_secs_f64() * 1000.0
        )
    }
}

impl std::fmt::Display for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seconds = self.index_time.as_secs_f64();
        let rate = self.records as f64 / seconds.max(1e-9);
        write!(f, "{} records indexed in {seconds:.1} s ({rate:.0} docs/s); {}", self.records, self.quality())?;
        let kinds = self.by_kind();
        if kinds.len() > 1 {
            for (kind, e) in kinds {
                write!(f, "\n  {kind}: {}", e.quality())?;
            }
        }
        Ok(())
    }
}

/// Indexes `records` in memory and runs `queries` over them.
pub fn evaluate(
    service: &SearchService,
    records: &Path,
    source: Option<&str>,
    queries: &Path,
    vocab: &Vocabularies,
    rounds: usize,
    progress: &dyn Fn(u64),
) -> Result<Evaluation> {
    let queries = read_queries(queries)?;
    service.use_vocabularies(vocab);
    let idx = SearchIndex::in_ram(&service.segmenter)?;
    let start = Instant::now();
    let n = index_records(records, source, &idx, vocab, progress)?;
    let index_time = start.elapsed();
    // Warm-up passes, so the figures are of a warm index as a server would have.
    for _ in 0..rounds.max(1) {
        run_queries(service, &idx, &queries)?;
    }
    let outcomes = run_queries(service, &idx, &queries)?;
    Ok(Evaluation { records: n, index_time, outcomes })
}

impl super::Catalogue {
    /// [`evaluate`] with the catalogue's analysis and vocabularies, in an index of its own.
    pub fn evaluate_search(
        &self,
        records: &Path,
        source: Option<&str>,
        queries: &Path,
        rounds: usize,
        progress: &dyn Fn(u64),
    ) -> Result<Evaluation> {
        evaluate(&self.search, records, source, queries, &self.vocabularies(), rounds, progress)
    }

    /// Indexes `records` into the catalogue's own indexes, both of them, as it would index
    /// them stored (for measuring search through the server); returns how many.
    pub fn index_for_evaluation(&self, records: &Path, source: Option<&str>) -> Result<usize> {
        use crate::model::view::PublicArtefact;
        let indexes = self.search.indexes();
        let vocab = self.vocabularies();
        let mut writers = crate::search::writers::Writers::open(&indexes, 2)?;
        let n = read_artefacts(records, source, &vocab, |id, a| {
            writers.internal.add_document(document::internal(id, &a, None, None, &indexes.internal.fields, &vocab))?;
            if let Some(p) = PublicArtefact::with_id(id, &a) {
                writers.public.add_document(document::public(&p, None, None, &indexes.public.fields, &vocab))?;
            }
            Ok(())
        })?;
        writers.commit(0)?;
        drop(writers);
        self.search.refresh()?;
        Ok(n)
    }
}
