//! `/metrics` in the Prometheus text format: requests and their latency by
//! route (the route's pattern, never the raw path, so the series stay few),
//! index lag, and what the catalogue holds. No record's content is exposed, and
//! only administrators may read them.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::web::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct Histogram {
    /// Cumulative counts per bucket, then +Inf.
    buckets: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// Request counters and latency histograms.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16, Outcome), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Imports uploaded to the API and running now.
    pub imports_running: std::sync::atomic::AtomicI64,
    /// Rows read so far by the running imports.
    pub import_rows: std::sync::atomic::AtomicU64,
}

/// What an answer was, for alerting: `server_error` is the server's failure;
/// a 501 for a feature the server does not offer is the client's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Success,
    ClientError,
    ServerError,
}

impl Outcome {
    fn of(res: &Response) -> Outcome {
        let status = res.status();
        if status.is_server_error() && res.extensions().get::<crate::web::error::NotOffered>().is_none() {
            Outcome::ServerError
        } else if status.is_client_error() || status.is_server_error() {
            Outcome::ClientError
        } else {
            Outcome::Success
        }
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::ClientError => "client_error",
            Outcome::ServerError => "server_error",
        }
    }
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, outcome: Outcome, seconds: f64) {
        let lock = |e: std::sync::PoisonError<_>| e.into_inner();
        *self
            .requests
            .lock()
            .unwrap_or_else(lock)
            .entry((method.to_string(), route.to_string(), status, outcome))
            .or_insert(0) += 1;
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let h = latency.entry(route.to_string()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.buckets[i] += 1;
            }
        }
        h.buckets[BUCKETS.len()] += 1;
        h.sum += seconds;
        h.count += 1;
    }
}

/// Middleware: counts every request and times it, by its route's pattern.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("(unmatched)", |m| m.as_str()).to_string();
    let method = req.method().as_str().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    state.metrics.record(&method, &route, res.status().as_u16(), Outcome::of(&res), start.elapsed().as_secs_f64());
    res
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The metrics, for administrators' tokens only: they tell how many records are
/// not public, and how busy each route is.
pub async fn render(State(state): State<AppState>, _: crate::web::extract::Admin) -> Response {
    let mut out = String::new();
    out.push_str(
        "# HELP catalogue_http_requests_total HTTP requests by method, route, status and outcome \
         (success, client_error, server_error; a 501 for a feature not offered is a client_error).\n",
    );
    out.push_str("# TYPE catalogue_http_requests_total counter\n");
    for ((method, route, status, outcome), n) in state.metrics.requests.lock().unwrap_or_else(|e| e.into_inner()).iter()
    {
        out.push_str(&format!(
            "catalogue_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\",outcome=\"{}\"}} {n}\n",
            label(route),
            outcome.label()
        ));
    }
    out.push_str("# HELP catalogue_http_request_duration_seconds Time to answer, by route.\n");
    out.push_str("# TYPE catalogue_http_request_duration_seconds histogram\n");
    for (route, h) in state.metrics.latency.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        let r = label(route);
        for (i, bound) in BUCKETS.iter().enumerate() {
            out.push_str(&format!(
                "catalogue_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{bound}\"}} {}\n",
                h.buckets[i]
            ));
        }
        out.push_str(&format!(
            "catalogue_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}\n",
            h.buckets[BUCKETS.len()]
        ));
        out.push_str(&format!("catalogue_http_request_duration_seconds_sum{{route=\"{r}\"}} {}\n", h.sum));
        out.push_str(&format!("catalogue_http_request_duration_seconds_count{{route=\"{r}\"}} {}\n", h.count));
    }
    let st = state.clone();
    let gauges = crate::catalogue::blocking(move || -> anyhow::Result<(i64, i64, i64, i64)> {
        let lag = st.catalogue.index_lag()?;
        let artefacts = st.catalogue.artefact_count()?;
        let (originals, bytes) = st.catalogue.image_store_size()?;
        Ok((lag, artefacts, originals, bytes))
    })
    .await;
    let running = state.metrics.imports_running.load(std::sync::atomic::Ordering::Relaxed);
    let rows = state.metrics.import_rows.load(std::sync::atomic::Ordering::Relaxed) as i64;
    match gauges {
        Ok((lag, artefacts, originals, bytes)) => {
            for (name, help, value) in [
                ("catalogue_imports_running", "Imports uploaded through the API and running now.", running),
                ("catalogue_import_rows_read", "Rows the running imports have read so far.", rows),
                ("catalogue_index_lag", "Outbox rows written but not yet in the search indexes.", lag),
                (
                    "catalogue_read_only",
                    "1 when the data directory was on a read-only disk at start: reads only.",
                    i64::from(state.catalogue.read_only),
                ),
                ("catalogue_artefacts", "Artefact records in the catalogue.", artefacts),
                ("catalogue_image_originals", "Distinct image originals kept.", originals),
                ("catalogue_image_store_bytes", "Bytes of image originals kept.", bytes),
            ] {
                out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n"));
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: gauges unavailable"),
    }
    let mut res = out.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    res
}
