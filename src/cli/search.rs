//! `catalogue search`, `catalogue reindex`, `catalogue search-eval`.

use std::path::Path;

use anyhow::Context;

use super::progress::{bar, spinner};
use crate::catalogue::Catalogue;
use crate::catalogue::eval;
use crate::catalogue::{Scope, SearchRequest, Sort};

pub fn search(
    state: &Catalogue,
    query: &str,
    public: bool,
    json: bool,
    filters: &[String],
    sort: Sort,
    limit: u32,
) -> anyhow::Result<()> {
    state.catch_up_search();
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
    let scope = if public { Scope::Public } else { Scope::Full };
    let results = state.search(&req, scope)?;
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
    let total = state.artefact_count()? as u64;
    let bar = bar(total, "reindexing");
    let generation = state.reindex(&|done, _| bar.set_position(done))?;
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
    let bar = spinner("indexing");
    let e = state.evaluate_search(records, source, queries, rounds, &|n| bar.set_position(n))?;
    bar.finish_and_clear();
    if verbose {
        for o in e.outcomes.iter().filter(|o| o.recall < 1.0 || !o.first_is_right) {
            let wrong: Vec<&String> = o.top.iter().filter(|a| !o.query.truth.contains(a)).collect();
            println!(
                "{:?} ({}): recall {:.2}, first {}, truth {:?}, top {:?}, found but not in the truth {:?}",
                o.query.q,
                o.query.kind,
                o.recall,
                if o.first_is_right { "right" } else { "wrong" },
                &o.query.truth[..o.query.truth.len().min(5)],
                &o.top[..o.top.len().min(5)],
                wrong
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
    let queries = eval::read_queries(queries)?;
    let start = std::time::Instant::now();
    let n = state.index_for_evaluation(records, source)?;
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
