//! Request extractors whose failures are `AppError`s: JSON bodies, queries, the caller.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::AppError;
use crate::model::role::{Principal, Role, Viewer};
use crate::web::AppState;

/// A JSON body: 415 without a JSON content type, 413 when too large, 400 when
/// malformed, 422 naming the field when well-formed but of the wrong shape.
pub struct ApiJson<T>(pub T);

async fn json_value(req: Request, state: &AppState) -> Result<Value, AppError> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")));
    if !is_json {
        return Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        ));
    }
    let bytes = Bytes::from_request(req, state).await.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the body is larger than the limit of {} bytes", state.catalogue.config.max_body_bytes),
            )
        } else if is_body_timeout(&r) {
            body_timeout()
        } else {
            AppError::new(StatusCode::BAD_REQUEST, "unreadable_body", format!("could not read the request body: {r}"))
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        AppError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {e}"))
    })
}

/// Whether reading a body failed because the client stopped sending it.
fn is_body_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<tower_http::timeout::TimeoutError>() || err.to_string().contains("timed out") {
            return true;
        }
        cur = err.source();
    }
    false
}

/// 408: the client stopped sending the body it announced.
pub fn body_timeout() -> AppError {
    AppError::new(
        StatusCode::REQUEST_TIMEOUT,
        "body_timeout",
        "the request body stopped arriving before it was complete; nothing was changed — send it again",
    )
}

/// Deserialises `v`, naming the field at fault.
pub fn from_json_value<T: DeserializeOwned>(v: Value) -> Result<T, AppError> {
    crate::model::strict::from_value(&v).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".to_string() } else { path };
        AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", &field, e.into_inner().to_string())
    })
}

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let value = json_value(req, state).await?;
        if !value.is_object() {
            return Err(AppError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "body",
                "must be a JSON object",
            ));
        }
        Ok(ApiJson(from_json_value(value)?))
    }
}

/// A PATCH body: the `version` the client read, and the fields to change.
pub struct Patch {
    pub version: i64,
    pub changes: Map<String, Value>,
}

impl FromRequest<AppState> for Patch {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let Value::Object(mut changes) = json_value(req, state).await? else {
            return Err(AppError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "body",
                "must be a JSON object of the fields to change",
            ));
        };
        let version = match changes.remove("version") {
            Some(v) => v.as_i64().ok_or_else(|| {
                AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "version", "must be an integer")
            })?,
            None => {
                return Err(AppError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    "version",
                    "is required: send the version of the record you read, so a newer change is not overwritten",
                ));
            }
        };
        Ok(Patch { version, changes })
    }
}

/// A yes-or-no parameter: `true` or `false` (in any case, as clients in other
/// languages write them: Python's `True`), anything else a 400 naming it.
pub fn flag(name: &str, value: &str) -> Result<bool, AppError> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(AppError::field(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            name,
            format!("`{other}` is not a yes-or-no value; use true or false"),
        )),
    }
}

/// Checks that every name and value of a query string is UTF-8 once its
/// percent-escapes are decoded: decoding would otherwise replace what is not with
/// U+FFFD, and search for something nobody typed.
pub fn check_query_text(query: Option<&str>) -> Result<(), AppError> {
    for pair in query.unwrap_or("").split('&') {
        let raw = pair.replace('+', " ");
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(&raw).collect();
        if std::str::from_utf8(&bytes).is_err() {
            let name = pair.split('=').next().unwrap_or("");
            let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            return Err(AppError::field(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                &name,
                "is not UTF-8 text once its %-escapes are decoded; send text in UTF-8 (e.g. %E4%B9%A6 for 书)",
            ));
        }
    }
    Ok(())
}

/// Query parameters: 400 naming the parameter at fault.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        check_query_text(parts.uri.query())?;
        Query::try_from_uri(&parts.uri)
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| AppError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text()))
    }
}

/// Who is calling: the public, a user identified by a bearer token (401 for a bad token), or a
/// signed-in browser (403 for a write without the session's CSRF token).
pub struct Caller(pub Viewer);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            // A browser signed in to the workspace: its cookie, with the CSRF header on writes.
            return match super::auth::session_of(parts, state).await? {
                Some(session) => {
                    if super::auth::is_unsafe(&parts.method) {
                        super::auth::check_csrf_header(parts, &session)?;
                    }
                    Ok(Caller(Viewer::Staff(session.principal)))
                }
                None => Ok(Caller(Viewer::Public)),
            };
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| {
                AppError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "the Authorization header must be `Bearer <token>`",
                )
            })?
            .to_string();
        let catalogue = state.catalogue.clone();
        let principal = super::blocking(move || catalogue.authenticate_token(&token)).await?;
        match principal {
            Some(p) => Ok(Caller(Viewer::Staff(p))),
            None => Err(AppError::new(StatusCode::UNAUTHORIZED, "invalid_token", "the token is unknown or revoked")),
        }
    }
}

/// The signed-in caller, whose role `allowed` accepts: 401 for the public, 403 saying what
/// the role may not do otherwise.
async fn signed_in_as(
    parts: &mut Parts,
    state: &AppState,
    allowed: impl Fn(Role) -> bool,
    what: &str,
) -> Result<Principal, AppError> {
    match Caller::from_request_parts(parts, state).await?.0 {
        Viewer::Public => Err(AppError::unauthorized()),
        Viewer::Staff(p) if allowed(p.role) => Ok(p),
        Viewer::Staff(_) => Err(AppError::forbidden(what)),
    }
}

/// A caller who may edit records (curator or admin): 401 for the public, 403 for other roles.
pub struct Editor(pub Principal);

impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        signed_in_as(parts, state, Role::can_edit, "change records; ask a curator").await.map(Editor)
    }
}

/// An administrator: 401 for the public, 403 for other roles.
pub struct Admin(pub Principal);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let admin = |role| role == Role::Admin;
        signed_in_as(parts, state, admin, "read the server's metrics; ask an administrator").await.map(Admin)
    }
}

/// A signed-in caller of any role: 401 for the public.
pub struct Staff(pub Viewer);

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match Caller::from_request_parts(parts, state).await?.0 {
            Viewer::Public => Err(AppError::unauthorized()),
            v => Ok(Staff(v)),
        }
    }
}

/// A multipart form that could not be read: 413 past the body limit, else 400 saying what to send.
pub fn multipart_error(e: axum::extract::multipart::MultipartError, expected: &str) -> AppError {
    if is_body_timeout(&e) {
        return body_timeout();
    }
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the upload is too large: {}", e.body_text()),
        );
    }
    AppError::new(
        StatusCode::BAD_REQUEST,
        "invalid_multipart",
        format!("the form could not be read ({}); send multipart/form-data with {expected}", e.body_text()),
    )
}

/// Streams one uploaded file field to a temporary file in the data directory, hashing it and
/// refusing more than the upload limit.
pub async fn receive_file(
    state: &AppState,
    field: &mut axum::extract::multipart::Field<'_>,
    expected: &str,
) -> Result<crate::catalogue::Upload, AppError> {
    let mut writer = state.catalogue.upload_writer()?;
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, expected))? {
        writer.push(&chunk)?;
    }
    Ok(writer.finish()?)
}
