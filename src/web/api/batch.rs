//! `POST /api/v1/batch`: one change to many artefacts, previewed, then applied all or nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::catalogue::batch::{BatchChange, BatchReport, Chosen, RefusalKind};
use crate::catalogue::check_filter;
use crate::model::validation::FieldProblem;
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{ApiJson, Editor};

/// A whole search result as the selection.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchSelection {
    #[serde(default)]
    pub q: String,
    /// Filters as `name:value`, e.g. `status:draft`, `category:porcelain`.
    #[serde(default)]
    pub filters: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// The records, each at the version you read (a preview's `changes` give them).
    #[serde(default)]
    pub records: Option<Vec<Chosen>>,
    /// Or every record a search finds, at their current versions.
    #[serde(default)]
    pub search: Option<SearchSelection>,
    /// Or every record of a set you may see, at their current versions.
    #[serde(default)]
    pub set: Option<i64>,
    pub change: BatchChange,
    /// Say what would change, and change nothing.
    #[serde(default)]
    pub preview: bool,
}

/// Change many artefacts at once: publish, unpublish, accession drafts, or set one field.
/// With `preview` nothing changes; otherwise it is all or nothing, in one transaction, each
/// record at the version sent: when any record is refused (changed since it was read, not
/// found, or not fit for the change), nothing is changed and each refusal is named.
#[utoipa::path(post, path = "/api/v1/batch", operation_id = "batchChange", tag = "artefacts", request_body = BatchRequest, security(("bearer" = [])),
    responses((status = 200, body = BatchReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn batch(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(req): ApiJson<BatchRequest>,
) -> ApiResult<Json<BatchReport>> {
    let given = [req.records.is_some(), req.search.is_some(), req.set.is_some()].iter().filter(|g| **g).count();
    if given != 1 {
        let problem = if given == 0 {
            "choose records: send `records`, `search` or `set`"
        } else {
            "send one of `records`, `search` and `set`"
        };
        return Err(AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "records", problem));
    }
    let search = match req.search {
        Some(s) => {
            let mut filters = Vec::new();
            for f in &s.filters {
                let Some((name, value)) = f.split_once(':') else {
                    return Err(AppError::field(
                        StatusCode::BAD_REQUEST,
                        "invalid_query",
                        "search.filters",
                        format!("`{f}` is not `name:value`"),
                    ));
                };
                check_filter(name, value)
                    .map_err(|m| AppError::field(StatusCode::BAD_REQUEST, "invalid_query", "search.filters", m))?;
                filters.push((name.to_string(), value.to_string()));
            }
            Some((s.q, filters))
        }
        None => None,
    };
    let (catalogue, change, preview, records, set) =
        (state.catalogue.clone(), req.change, req.preview, req.records, req.set);
    let report = blocking(move || {
        let chosen = match (records, search, set) {
            (Some(r), _, _) => r,
            (None, Some((q, filters)), _) => catalogue.choose_by_search(&q, filters)?,
            (None, None, Some(id)) => catalogue.choose_set(&user, id)?,
            (None, None, None) => Vec::new(),
        };
        catalogue.batch(&user.name, &chosen, &change, preview)
    })
    .await?;
    if !preview && !report.applied {
        return Err(refused(&report));
    }
    Ok(Json(report))
}

/// A batch not applied: 409 when a record changed since it was read, else 422, each refusal named.
fn refused(report: &BatchReport) -> AppError {
    let stale = report.refused.iter().any(|r| r.kind == RefusalKind::Stale);
    let (status, code) = if stale {
        (StatusCode::CONFLICT, "version_conflict")
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    };
    let mut e = AppError::new(
        status,
        code,
        format!("{} of the records cannot take this change, so none was changed; see `details`", report.refused.len()),
    );
    e.body.details =
        report.refused.iter().map(|r| FieldProblem { field: r.accession.clone(), problem: r.reason.clone() }).collect();
    e
}
