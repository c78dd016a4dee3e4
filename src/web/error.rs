//! One error type for every HTTP response that is not a success: a stable
//! snake_case `code`, a status, and a message that says what to fix.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::catalogue::StoreError;
use crate::model::validation::{FieldProblem, ValidationErrors};

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `version_conflict`.
    pub code: &'static str,
    /// What went wrong and what to do about it.
    pub message: String,
    /// One entry per field at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldProblem>,
    /// On a version conflict: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

pub type ApiResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status,
            body: ErrorBody { code, message: message.into(), details: Vec::new(), current_version: None },
        }
    }

    pub fn field(status: StatusCode, code: &'static str, field: &str, problem: impl Into<String>) -> Self {
        let problem = FieldProblem { field: field.into(), problem: problem.into() };
        let mut e = AppError::new(status, code, problem.to_string());
        e.body.details.push(problem);
        e
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    pub fn unauthorized() -> Self {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "authentication_required",
            "sign in: send `Authorization: Bearer <token>` (create one with `catalogue user add`)",
        )
    }

    pub fn forbidden(what: &str) -> Self {
        AppError::new(StatusCode::FORBIDDEN, "forbidden", format!("your role may not {what}"))
    }

    pub fn internal() -> Self {
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; it has been logged",
        )
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        let message = match e.0.as_slice() {
            [one] => one.to_string(),
            many => format!(
                "{} fields need fixing: {}",
                many.len(),
                many.iter().map(|p| p.field.as_str()).collect::<Vec<_>>().join(", ")
            ),
        };
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ErrorBody { code: "validation_failed", message, details: e.0, current_version: None },
        }
    }
}

pub use crate::catalogue::{Storage, storage_problem};

/// The status a refused write gets: 507 for a full disk, 503 for a read-only one.
pub fn storage_status(problem: Storage) -> StatusCode {
    match problem {
        Storage::Full => StatusCode::INSUFFICIENT_STORAGE,
        Storage::ReadOnly => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn storage_error(problem: Storage) -> AppError {
    let code = match problem {
        Storage::Full => "storage_full",
        Storage::ReadOnly => "read_only",
    };
    tracing::error!(problem = code, "a write failed for want of a writable disk");
    AppError::new(storage_status(problem), code, problem.message())
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity, key } => AppError::not_found(format!("there is no {entity} {key}")),
            StoreError::Conflict { message, current_version } => {
                let mut err = AppError::new(
                    StatusCode::CONFLICT,
                    if current_version.is_some() { "version_conflict" } else { "conflict" },
                    message,
                );
                err.body.current_version = current_version;
                err
            }
            StoreError::Invalid(v) => v.into(),
            StoreError::Forbidden(why) => AppError::new(StatusCode::FORBIDDEN, "forbidden", why),
            StoreError::Unreadable(why) => AppError::field(
                StatusCode::BAD_REQUEST,
                "unreadable_file",
                "file",
                format!("could not be read: {why}; nothing was imported"),
            ),
            other if storage_problem(&other).is_some() => {
                storage_problem(&other).map(storage_error).unwrap_or_else(AppError::internal)
            }
            other => {
                tracing::error!(error = ?anyhow::Error::from(other), "store error");
                AppError::internal()
            }
        }
    }
}

impl From<crate::catalogue::ImageError> for AppError {
    fn from(e: crate::catalogue::ImageError) -> Self {
        use crate::catalogue::ImageError;
        match e {
            ImageError::Unsupported(m) => AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_image", m),
            ImageError::Rejected(m) => AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "image_rejected", m),
            ImageError::TooLarge(m) => AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", m),
            other if storage_problem(&other).is_some() => {
                storage_problem(&other).map(storage_error).unwrap_or_else(AppError::internal)
            }
            other => {
                tracing::error!(error = %other, "image error");
                AppError::internal()
            }
        }
    }
}

impl From<crate::catalogue::Interrupted> for AppError {
    fn from(_: crate::catalogue::Interrupted) -> Self {
        AppError::internal()
    }
}

impl From<crate::catalogue::images::AddError> for AppError {
    fn from(e: crate::catalogue::images::AddError) -> Self {
        match e {
            crate::catalogue::images::AddError::Image(e) => e.into(),
            crate::catalogue::images::AddError::Store(e) => e.into(),
        }
    }
}

impl From<crate::catalogue::SearchError> for AppError {
    fn from(e: crate::catalogue::SearchError) -> Self {
        if let crate::catalogue::SearchError::TooDeep { .. } = e {
            return AppError::field(StatusCode::BAD_REQUEST, "invalid_query", "page", e.to_string());
        }
        tracing::error!(error = ?anyhow::Error::from(e), "search error");
        AppError::internal()
    }
}

/// Marks a 501 answer: a well-formed request for a feature this server does not
/// offer (an IIIF rotation by 45°, say). The client's choice, not a failure of the
/// server: logged as a client request, and counted apart from server errors.
#[derive(Clone, Copy, Debug)]
pub struct NotOffered;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let not_offered = self.status == StatusCode::NOT_IMPLEMENTED;
        if not_offered {
            tracing::info!(status = %self.status, code = self.body.code, "asked for a feature this server does not offer");
        } else if self.status.is_server_error() {
            tracing::error!(status = %self.status, code = self.body.code, "request failed");
        }
        let mut res = (self.status, Json(self.body)).into_response();
        if not_offered {
            res.extensions_mut().insert(NotOffered);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        res
    }
}
