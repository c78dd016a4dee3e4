//! Who is behind a request: bearer tokens for the API, session cookies for the
//! web, CSRF checks for both ways a browser can write, and sign-in throttling.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;

use super::error::AppError;
use crate::catalogue::Session;
use crate::web::AppState;

/// The cookie holding the session secret.
pub const SESSION_COOKIE: &str = "mc_session";
/// The cookie holding the CSRF token of the sign-in form (there is no session yet).
pub const LOGIN_CSRF_COOKIE: &str = "mc_login_csrf";
/// The header through which scripts send the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name`, if sent.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        c.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    })
}

/// A `Set-Cookie` value for a session-scoped, script-invisible, same-site-only cookie.
pub fn set_cookie(state: &AppState, name: &str, value: &str, path: &str) -> HeaderValue {
    let secure = if state.catalogue.config.secure_cookies() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict{secure}"))
        .unwrap_or(HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that removes cookie `name`.
pub fn clear_cookie(name: &str, path: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{name}=; Path={path}; HttpOnly; SameSite=Strict; Max-Age=0"))
        .unwrap_or(HeaderValue::from_static(""))
}

/// The client's address, when the server knows it: the peer's, or behind a trusted reverse
/// proxy the last `X-Forwarded-For` entry (the one the proxy itself added).
pub fn client_address(parts: &Parts, state: &AppState) -> Option<String> {
    if state.catalogue.config.trust_forwarded_for
        && let Some(last) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|s| !s.is_empty())
    {
        return Some(last.to_string());
    }
    parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string())
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session a request's cookie names, looked up once per request.
#[derive(Clone)]
struct CachedSession(Option<Session>);

pub async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Option<Session>, AppError> {
    if let Some(CachedSession(s)) = parts.extensions.get::<CachedSession>() {
        return Ok(s.clone());
    }
    let found = match cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) {
        Some(secret) if !secret.is_empty() => {
            let catalogue = state.catalogue.clone();
            let limits = state.catalogue.config.sessions;
            super::blocking(move || catalogue.session(&secret, limits)).await?
        }
        _ => None,
    };
    parts.extensions.insert(CachedSession(found.clone()));
    Ok(found)
}

/// Whether a method changes things (and so needs a CSRF token when a cookie authenticates it).
pub fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the CSRF header of a cookie-authenticated API write.
pub fn check_csrf_header(parts: &Parts, session: &Session) -> Result<(), AppError> {
    let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if same_secret(sent, &session.csrf) {
        Ok(())
    } else {
        Err(AppError::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "a change made with a session cookie must carry the page's CSRF token in the X-CSRF-Token header",
        ))
    }
}

/// The signed-in user of a web page, if any (public pages use it to widen what staff see).
pub struct PageSession(pub Option<Session>);

impl FromRequestParts<AppState> for PageSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        session_of(parts, state).await.map(PageSession).map_err(axum::response::IntoResponse::into_response)
    }
}

/// The keys sign-in failures are counted against.
pub fn throttle_keys(name: &str, address: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("user:{}", name.trim().to_lowercase())];
    if let Some(a) = address {
        keys.push(format!("addr:{a}"));
    }
    keys
}
