//! Search quality over a query set with its truth: recall@20 and P@1, with latencies.
//!
//! The records are indexed as the catalogue indexes them (the open datasets'
//! JSON lines → catalogue input → validated artefact → internal document).

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::document;
use super::index::SearchIndex;
use super::{Result, SearchError, SearchRequest, SearchService};
use crate::interchange::open_data::{SourceRecord, open_lines};
use crate::model::artefact::{Artefact, Rules};
use crate::model::vocab::Vocabularies;

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

    /// The `p`-th percentile query time (0–100).
    pub fn percentile(&self, p: f64) -> Duration {
        let mut t: Vec<Duration> = self.outcomes.iter().map(|o| o.took).collect();
        t.sort();
        if t.is_empty() {
            return Duration::ZERO;
        }
        t[((p / 100.0) * (t.len() - 1) as f64).round() as usize]
    }
}

/// Indexes every record of `records` (JSON lines, `.gz` too) into `idx`; returns how many.
/// Only records whose `source` starts with `source` are indexed, when it is given.
pub fn index_records(
    records: &Path,
    source: Option<&str>,
    idx: &SearchIndex,
    vocab: &Vocabularies,
    progress: &dyn Fn(u64),
) -> Result<usize> {
    let io = |e| SearchError::Io(records.to_path_buf(), e);
    let mut writer: tantivy::IndexWriter = idx.index.writer_with_num_threads(2, 256 * 1024 * 1024)?;
    let mut n = 0usize;
    for line in open_lines(records).map_err(io)?.lines() {
        let line = line.map_err(io)?;
        let Ok(record) = serde_json::from_str::<SourceRecord>(&line) else { continue };
        if source.is_some_and(|s| !record.source.starts_with(s)) {
            continue;
        }
        let rules = Rules { vocab, pattern: None, implied_unit: record.dimension_options().implied_unit };
        let mut input = record.to_input();
        // Evaluation indexes what the source says; a text the catalogue would refuse is kept out of the way.
        let new = match input.validate(&rules) {
            Ok(a) => a,
            Err(_) => {
                input.dimensions = None;
                input.date = None;
                input.acquired = None;
                match input.validate(&rules) {
                    Ok(a) => a,
                    Err(_) => continue,
                }
            }
        };
        let Some(accession) = new.accession_number else { continue };
        let artefact = Artefact { accession_number: accession, body: new.body, deaccession: None };
        n += 1;
        writer.add_document(document::internal(n as i64, &artefact, None, &idx.fields, vocab))?;
        if n % 1000 == 0 {
            progress(n as u64);
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    idx.reader.reload()?;
    Ok(n)
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
        let truth: HashSet<&str> = q.truth.iter().map(String::as_str).collect();
        let found = top.iter().filter(|a| truth.contains(a.as_str())).count();
        let recall = if truth.is_empty() { 1.0 } else { found as f64 / truth.len().min(20) as f64 };
        let first_is_right = top.first().is_some_and(|a| truth.contains(a.as_str()));
        out.push(QueryOutcome { query: q.clone(), recall, first_is_right, took, top });
    }
    Ok(out)
}

/// Reads a query set.
pub fn read_queries(path: &Path) -> Result<Vec<TruthQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| SearchError::Io(path.to_path_buf(), e))?;
    serde_json::from_str(&text).map_err(|e| SearchError::Config(path.display().to_string(), e.to_string()))
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
