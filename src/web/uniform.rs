//! Every error in the catalogue's own form. Handlers answer with `AppError`
//! (JSON) or an error page, but some answers are made by the layers around
//! them: axum's extractors (a path segment that is not UTF-8, a body that is
//! not multipart), the router (a method a route does not take) and the
//! request limits. This layer turns any such plain answer into the catalogue's
//! JSON error (`{code, message}`) under `/api/`, `/iiif/`, `/metrics` and
//! `/healthz`, and into its error page everywhere else, keeping the status and
//! the text that says what was wrong.
//!
//! It also refuses, in the same form, a request line or headers too long for a
//! catalogue request (414, 431), well before hyper's own limit, where hyper
//! would answer with an empty body.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::pages::{self, i18n::PageLang};
use crate::web::AppState;

/// The longest request target (path and query) the catalogue takes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes (names and values) the catalogue takes in one request.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// A plain answer longer than this is not an extractor's message: left alone.
const MAX_PLAIN_BODY: usize = 16 * 1024;

/// Whether `path` answers in JSON rather than with pages.
pub fn is_data_route(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/iiif/") || path == "/metrics" || path == "/healthz"
}

fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "authentication_required",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_ACCEPTABLE => "not_acceptable",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::LENGTH_REQUIRED => "length_required",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "internal_error",
        _ => "request_failed",
    }
}

/// What to tell the client when the layer that refused said nothing useful.
fn default_message(status: StatusCode) -> String {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => "this address does not take that method (see /api/v1/openapi.json)".into(),
        StatusCode::NOT_FOUND => "there is no such address".into(),
        s => s.canonical_reason().unwrap_or("the request could not be answered").to_lowercase(),
    }
}

/// Whether an answer is already in one of the catalogue's forms.
fn is_ours(res: &Response) -> bool {
    let Some(ct) = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    ct.starts_with("application/json")
        || ct.starts_with("application/ld+json")
        || ct.starts_with("text/html")
        || ct.contains("xml")
}

/// What a page answer needs to know of the request, kept only in case of an error.
struct Asked {
    uri: Uri,
    headers: HeaderMap,
}

impl Asked {
    async fn lang(&self, state: &AppState) -> PageLang {
        let mut req = Request::builder().uri(self.uri.clone()).body(()).expect("a request from its parts");
        *req.headers_mut() = self.headers.clone();
        let (mut parts, ()) = req.into_parts();
        PageLang::from_request_parts(&mut parts, state).await.unwrap_or_else(|e| match e {})
    }
}

async fn answer(state: &AppState, asked: &Asked, status: StatusCode, message: String) -> Response {
    if is_data_route(asked.uri.path()) {
        AppError::new(status, code_of(status), message).into_response()
    } else {
        let lang = asked.lang(state).await;
        let base = pages::base_url(state, &asked.headers);
        match status {
            StatusCode::NOT_FOUND => pages::not_found(&lang, &base),
            _ => pages::problem(&lang, &base, status, message),
        }
    }
}

/// Middleware: the length limits first, then any plain error answer rewritten.
pub async fn uniform(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let header_bytes: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let too_long = if target > MAX_URI_BYTES {
        Some((
            StatusCode::URI_TOO_LONG,
            format!(
                "the address is {target} bytes long; the catalogue takes at most {MAX_URI_BYTES}: send long queries in fewer words"
            ),
        ))
    } else if header_bytes > MAX_HEADER_BYTES {
        Some((
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request's headers are {header_bytes} bytes; the catalogue takes at most {MAX_HEADER_BYTES} (clear this site's cookies?)"
            ),
        ))
    } else {
        None
    };
    // Only what an error page needs: its language and the site's address.
    let mut kept = HeaderMap::new();
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE, header::HOST] {
        if let Some(v) = req.headers().get(&name) {
            kept.insert(name, v.clone());
        }
    }
    if let Some(v) = req.headers().get("x-forwarded-proto") {
        kept.insert("x-forwarded-proto", v.clone());
    }
    let asked = Asked { uri: req.uri().clone(), headers: kept };
    if let Some((status, message)) = too_long {
        // Headers this large are not worth keeping for a language choice.
        let asked = Asked { uri: asked.uri, headers: HeaderMap::new() };
        return answer(&state, &asked, status, message).await;
    }
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_ours(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = match axum::body::to_bytes(body, MAX_PLAIN_BODY).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    if status.is_server_error() {
        tracing::error!(%status, said = %text, "a layer answered with a plain server error");
    }
    let message = if text.is_empty() || status.is_server_error() { default_message(status) } else { text };
    let mut fresh = answer(&state, &asked, status, message).await;
    // Keep what the refusing layer said about retrying or authenticating.
    for name in [header::RETRY_AFTER, header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            fresh.headers_mut().insert(name, v.clone());
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain-text answer, as axum's extractors give.
    fn plain(status: StatusCode, text: &'static str) -> Response {
        let mut res = Response::new(axum::body::Body::from(text));
        *res.status_mut() = status;
        res
    }

    #[test]
    fn plain_answers_are_not_taken_for_the_catalogue_s_own() {
        assert!(!is_ours(&plain(StatusCode::BAD_REQUEST, "Invalid URL")));
        assert!(is_ours(&AppError::not_found("x").into_response()));
        assert_eq!(code_of(StatusCode::METHOD_NOT_ALLOWED), "method_not_allowed");
        assert!(
            is_data_route("/iiif/3/x/info.json") && is_data_route("/api/v1/search") && !is_data_route("/objects/x")
        );
    }
}
