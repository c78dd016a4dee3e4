//! `POST /api/v1/imports`: a register or dataset file uploaded and imported,
//! all or nothing, exactly as `catalogue import` does it; `GET /api/v1/imports`:
//! the import log, each entry with its report (JSON, or CSV for Excel).

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::catalogue::import::ImportReport;
use crate::model::validation::FieldProblem;
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::Editor;
use crate::web::uploads::{import_entry, read_form, report_download, run_import};

/// Import a file (curators).
///
/// `multipart/form-data`: the file in `file` (CSV, TSV or xlsx registers with census or English
/// headers, or JSON lines of the open datasets), and optionally `format` (csv, tsv, xlsx, jsonl;
/// default from the file name), `encoding` (utf-8, gbk, gb18030, big5; default detected),
/// `mapping` (the text of a mapping file), `dry_run` (true to check without writing) and
/// `strict` (true to refuse the file for any warning too). What a row says is kept as written;
/// what is derived from it (measurements, years, vocabulary terms) is best effort, with a warning.
/// Any row-level error refuses the whole file (422, one detail per problem) and writes nothing.
/// An answer lists the first thousand errors and warnings (`errors_total`, `warnings_total`
/// count them all); the import's report (`id`) has every one.
#[utoipa::path(post, path = "/api/v1/imports", operation_id = "importFile", tag = "imports", security(("bearer" = [])),
    request_body(content = super::forms::ImportForm, content_type = "multipart/form-data", description = "the file in `file`, and options"),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Editor(who): Editor,
    mut form: Multipart,
) -> ApiResult<Json<ImportReport>> {
    let form = read_form(&state, &mut form, None).await?;
    let file_name = form.file_name.clone();
    let report = run_import(&state, &who.name, form).await?;
    tracing::info!(file = ?file_name, created = report.created, updated = report.updated, errors = report.errors.len(), "import");
    if !report.errors.is_empty() {
        let mut e = AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_failed", {
            let name = file_name.as_deref().unwrap_or("the file");
            let n = report.errors.len();
            match report.id {
                Some(id) => format!(
                    "{name}: {n} problems; nothing was imported from this file (its report: /api/v1/imports/{id}/report.csv)"
                ),
                None => format!("{name}: {n} problems; nothing was imported from this file"),
            }
        });
        e.body.details = report
            .errors
            .first()
            .iter()
            .take(crate::catalogue::import::SHOWN)
            .map(|p| FieldProblem {
                field: format!("row {}, {}", p.row, p.column),
                problem: if p.value.is_empty() { p.problem.clone() } else { format!("{:?}: {}", p.value, p.problem) },
            })
            .collect();
        return Err(e);
    }
    Ok(Json(report.shortened()))
}

/// How many imports the log lists.
const LOGGED: u32 = 200;

/// The import log (curators): the latest 200 imports tried, newest first, imported,
/// checked (dry runs) or refused, with who ran them, when, and their counts.
#[utoipa::path(get, path = "/api/v1/imports", operation_id = "listImports", tag = "imports", security(("bearer" = [])),
    responses((status = 200, body = Vec<crate::catalogue::ImportEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Editor(_): Editor,
) -> ApiResult<Json<Vec<crate::catalogue::ImportEntry>>> {
    let catalogue = state.catalogue.clone();
    Ok(Json(blocking(move || catalogue.import_log(LOGGED)).await?))
}

/// One import's report (curators): its counts and the first thousand errors and warnings
/// with row, column and value (`errors_total`, `warnings_total`: how many in all; every
/// one is in `report.csv`).
#[utoipa::path(get, path = "/api/v1/imports/{id}", operation_id = "getImport", tag = "imports", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the import's id in the log")),
    responses((status = 200, body = ImportReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Editor(_): Editor,
    Path(id): Path<String>,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(import_entry(&state, &id).await?.1.shortened()))
}

/// One import's report as CSV (curators): file, row, column, value, severity, problem and
/// what was done (kept as written, placeholder, repaired, left out, refused); UTF-8 with a
/// byte-order mark, so that Excel opens it.
#[utoipa::path(get, path = "/api/v1/imports/{id}/report.csv", operation_id = "getImportReportCsv", tag = "imports", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the import's id in the log")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report_csv(
    State(state): State<AppState>,
    Editor(_): Editor,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (entry, report) = import_entry(&state, &id).await?;
    report_download(entry, report).await
}
