//! Per-request limits: how many requests are answered at once (more get 503 at
//! once rather than queueing without end) and how long one may take.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use crate::catalogue::config::Limits;

#[derive(Clone)]
pub struct Guard {
    in_flight: Arc<tokio::sync::Semaphore>,
    limits: Limits,
}

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        Guard { in_flight: Arc::new(tokio::sync::Semaphore::new(limits.max_in_flight)), limits }
    }
}

/// Uploads and imports may take as long as a large file takes to arrive and be processed.
fn is_upload(req: &Request) -> bool {
    let p = req.uri().path();
    req.method() == Method::POST && (p == "/api/v1/imports" || p == "/admin/imports" || p.ends_with("/images"))
}

pub async fn guard(State(g): State<Guard>, req: Request, next: Next) -> Response {
    // Health and metrics answer even when the server is busy: that is when they are wanted.
    let exempt = matches!(req.uri().path(), "/healthz" | "/metrics");
    let _permit = if exempt {
        None
    } else {
        match g.in_flight.clone().try_acquire_owned() {
            Ok(p) => Some(p),
            Err(_) => {
                tracing::warn!(max = g.limits.max_in_flight, "busy: refusing a request");
                let mut res = AppError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the catalogue is answering as many requests as it can; try again in a moment",
                )
                .into_response();
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return res;
            }
        }
    };
    let deadline = if is_upload(&req) { g.limits.upload_timeout } else { g.limits.request_timeout };
    let route = req.uri().path().to_string();
    match tokio::time::timeout(deadline, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(%route, ?deadline, "a request took too long and was stopped");
            AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                format!(
                    "the request took longer than {} seconds and its answer was given up; a change it was making may still \
                     complete, so check before trying again",
                    deadline.as_secs()
                ),
            )
            .into_response()
        }
    }
}
