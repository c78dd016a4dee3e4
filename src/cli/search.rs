//! `catalogue search`, `catalogue reindex`, `catalogue search-eval`.

use std::path::Path;

use anyhow::Context;

use crate::app::AppState;
use crate::search::indexer::{Writers, catch_up, rebuild};
use crate::search::{Scope, SearchRequest, Sort, eval};

fn bar(len: Option<u64>, what: &str) -> indicatif::ProgressBar {
    let bar = match len {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
                .expect("valid template")
                .progress_chars("=> "),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} ({per_sec})").expect("valid template"),
        ),
    };
    bar.with_message(what.to_string())
}

/// Brings the indexes up to date with the store when no server holds them; a running server does it itself.
fn catch_up_if_free(state: &AppState) {
    let indexes = state.search.indexes();
    match Writers::open(&indexes, 1) {
        Ok(mut w) => {
            if let Err(e) = catch_up(&state.store, &state.vocabularies(), &indexes, &mut w) {
                tracing::warn!(error = %e, "could not bring the search index up to date");
            }
        }
        Err(_) => {
            let _ = state.search.refresh();
        }
    }
}

pub fn search(
    state: &AppState,
    query: &str,
    public: bool,
    json: bool,
    filters: &[String],
    sort: Sort,
    limit: u32,
) -> anyhow::Result<()> {
    catch_up_if_free(state);
    let filters = filters
        .iter()
        .map(|f| {
            f.split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .with_context(|| format!("filter `{f}` should be name:value"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let req = SearchRequest {
        q: query.to_string(),
        filters,
        sort,
        page: 1,
        per_page: limit,
        facets: true,
        snippets: true,
        exact_total: true,
    };
    let scope = if public { Scope::Public } else { Scope::Internal { private: true } };
    let results = state.search.search(&req, scope)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(());
    }
    println!("{} found", results.total);
    for h in &results.hits {
        let title = h.title.best().unwrap_or_default();
        let snippet = h.snippet.replace("<mark>", "[").replace("</mark>", "]");
        println!("{:<16} {title}  ({})\n                 {}", h.accession, h.status, unescape(&snippet));
    }
    for (name, values) in results.facets.iter().filter(|(_, v)| !v.is_empty()) {
        let shown: Vec<String> = values.iter().take(8).map(|v| format!("{} ({})", v.value, v.count)).collect();
        println!("{name}: {}", shown.join(", "));
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

pub fn reindex(state: &AppState) -> anyhow::Result<()> {
    let total = state.store.artefact_count()? as u64;
    let bar = bar(Some(total), "reindexing");
    let generation = rebuild(&state.store, &state.vocabularies(), &state.search, &|done, _| bar.set_position(done))?;
    bar.finish_and_clear();
    eprintln!(
        "rebuilt both indexes from {total} artefacts as generation {generation}; a running server moves to it within a second"
    );
    Ok(())
}

pub fn evaluate(
    state: &AppState,
    records: &Path,
    source: Option<&str>,
    queries: &Path,
    rounds: usize,
    verbose: bool,
) -> anyhow::Result<()> {
    let bar = bar(None, "indexing");
    let e = eval::evaluate(&state.search, records, source, queries, &state.vocabularies(), rounds, &|n| {
        bar.set_position(n)
    })?;
    bar.finish_and_clear();
    if verbose {
        for o in e.outcomes.iter().filter(|o| o.recall < 1.0 || !o.first_is_right) {
            println!(
                "{:?} ({}): recall {:.2}, first {}, truth {:?}, top {:?}",
                o.query.q,
                o.query.kind,
                o.recall,
                if o.first_is_right { "right" } else { "wrong" },
                &o.query.truth[..o.query.truth.len().min(5)],
                &o.top[..o.top.len().min(5)]
            );
        }
    }
    println!(
        "{} records indexed in {:.1} s ({:.0} docs/s); {} queries: recall@20 {:.4}, P@1 {:.4}, p50 {:.2} ms, p99 {:.2} ms",
        e.records,
        e.index_time.as_secs_f64(),
        e.records as f64 / e.index_time.as_secs_f64(),
        e.outcomes.len(),
        e.recall_at_20(),
        e.precision_at_1(),
        e.percentile(50.0).as_secs_f64() * 1000.0,
        e.percentile(99.0).as_secs_f64() * 1000.0
    );
    Ok(())
}
