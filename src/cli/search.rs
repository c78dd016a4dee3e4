//! `catalogue search`, `catalogue reindex`, `catalogue search-eval`.

use std::path::Path;

use anyhow::Context;

use crate::catalogue::Catalogue;
use crate::catalogue::eval;
use crate::catalogue::indexer::{catch_up, rebuild};
use crate::search::writers::Writers;
use crate::search::{Scope, SearchRequest, Sort};

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
fn catch_up_if_free(state: &Catalogue) {
    let indexes = state.search.indexes();
    match Writers::open(&indexes, 1) {
        Ok(mut w) => {
            if let Err(e) = catch_up(&state.store, &mut state.vocabularies(), &indexes, &mut w) {
                tracing::warn!(error = %e, "could not bring the search index up to date");
            }
        }
        Err(_) => {
            let _ = state.search.refresh();
        }
    }
}

pub fn search(
    state: &Catalogue,
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

pub fn reindex(state: &Catalogue) -> anyhow::Result<()> {
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
    state: &Catalogue,
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
    println!("{e}");
    Ok(())
}

/// Like `evaluate`, but the records are served by a real catalogue server on a
/// loopback port and every query goes through `GET /api/v1/search` as a
/// visitor's would (public index, facets and snippets included).
pub async fn evaluate_http(
    state: Catalogue,
    records: &Path,
    source: Option<&str>,
    queries: &Path,
    rounds: usize,
) -> anyhow::Result<()> {
    use crate::model::view::PublicArtefact;
    use crate::search::document;

    let queries = eval::read_queries(queries)?;
    let indexes = state.search.indexes();
    let vocab = state.vocabularies();
    let start = std::time::Instant::now();
    let mut writers = Writers::open(&indexes, 2)?;
    let n = eval::read_artefacts(records, source, &vocab, |id, a| {
        writers.internal.add_document(document::internal(id, &a, None, None, &indexes.internal.fields, &vocab))?;
        if let Some(p) = PublicArtefact::with_id(id, &a) {
            writers.public.add_document(document::public(&p, None, None, &indexes.public.fields, &vocab))?;
        }
        Ok(())
    })?;
    writers.commit(0)?;
    drop(writers);
    state.search.refresh()?;
    let index_time = start.elapsed();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move {
        axum::serve(listener, crate::web::state::router(crate::web::AppState::new(state))).await
    });
    let client = reqwest::Client::new();
    let mut outcomes = Vec::new();
    for round in 0..=rounds.max(1) {
        for q in &queries {
            let t = std::time::Instant::now();
            let res = client
                .get(format!("{base}/api/v1/search"))
                .query(&[("q", q.q.as_str()), ("per_page", "20")])
                .send()
                .await?;
            let body: serde_json::Value = res.error_for_status()?.json().await?;
            let took = t.elapsed();
            if round == rounds.max(1) {
                let top: Vec<String> = body["hits"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h["accession"].as_str().map(String::from))
                    .collect();
                let (recall, first_is_right) = eval::score(q, &top);
                outcomes.push(eval::QueryOutcome { query: q.clone(), recall, first_is_right, took, top });
            }
        }
    }
    server.abort();
    let e = eval::Evaluation { records: n, index_time, outcomes };
    println!("over HTTP (both indexes built): {e}");
    Ok(())
}
