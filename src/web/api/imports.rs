//! `POST /api/v1/imports`: a register or dataset file uploaded and imported,
//! all or nothing, exactly as `catalogue import` does it; `GET /api/v1/imports`:
//! the import log, each entry with its report (JSON, or CSV for Excel).

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::catalogue::ImageError;
use crate::catalogue::import::{Format, ImportReport, ReadOptions};
use crate::catalogue::import::{Mapping, SheetFormat, TextEncoding};
use crate::model::validation::FieldProblem;
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{Editor, receive_file};

fn bad(field: &str, problem: impl Into<String>) -> AppError {
    AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", field, problem)
}

/// What an import must hold, for error messages.
const EXPECTED: &str = "the file to import in a field named `file`";

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    crate::web::extract::multipart_error(e, EXPECTED)
}

/// An import as uploaded: the file and how to read it.
pub struct ImportForm {
    pub upload: crate::catalogue::Upload,
    pub file_name: Option<String>,
    pub format: Format,
    pub options: ReadOptions,
}

/// Reads an import's multipart form. With `csrf`, the form must carry that token in a `csrf`
/// field before anything else (the workspace's form); `action=check` asks for a dry run.
pub async fn read_form(state: &AppState, form: &mut Multipart, csrf: Option<&str>) -> ApiResult<ImportForm> {
    let mut upload = None;
    let mut file_name = None;
    let mut format = None;
    let mut options = ReadOptions::default();
    let mut csrf_ok = csrf.is_none();
    while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "csrf" {
            let sent = field.text().await.map_err(multipart_error)?;
            csrf_ok = csrf.is_some_and(|t| crate::web::auth::same_secret(sent.trim(), t));
            continue;
        }
        if !csrf_ok {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "csrf_failed",
                "the form did not carry its security token; reload the page and send it again",
            ));
        }
        match name.as_str() {
            "file" => {
                file_name = field.file_name().map(String::from).filter(|n| !n.is_empty());
                upload = Some(receive_file(state, &mut field, EXPECTED).await?);
            }
            "format" => {
                let v = field.text().await.map_err(multipart_error)?;
                format = match v.trim() {
                    "" | "auto" => None,
                    "jsonl" => Some(Format::Jsonl),
                    "csv" => Some(Format::Sheet(SheetFormat::Csv)),
                    "tsv" => Some(Format::Sheet(SheetFormat::Tsv)),
                    "xlsx" => Some(Format::Sheet(SheetFormat::Xlsx)),
                    other => return Err(bad("format", format!("`{other}` is not csv, tsv, xlsx or jsonl"))),
                };
            }
            "encoding" => {
                let v = field.text().await.map_err(multipart_error)?;
                if !v.trim().is_empty() && v.trim() != "auto" {
                    options.encoding = Some(
                        TextEncoding::parse(&v)
                            .ok_or_else(|| bad("encoding", format!("`{v}` is not utf-8, gbk, gb18030 or big5")))?,
                    );
                }
            }
            "mapping" => {
                let text = field.text().await.map_err(multipart_error)?;
                if !text.trim().is_empty() {
                    let dir = tempfile::tempdir().map_err(ImageError::from)?;
                    let path = dir.path().join("mapping.toml");
                    std::fs::write(&path, text).map_err(ImageError::from)?;
                    options.mapping = Mapping::read(&path)
                        .map_err(|e| bad("mapping", e.replace(&path.display().to_string(), "mapping")))?;
                }
            }
            "dry_run" => {
                options.dry_run = crate::web::extract::flag("dry_run", &field.text().await.map_err(multipart_error)?)?
            }
            "strict" => {
                options.strict = crate::web::extract::flag("strict", &field.text().await.map_err(multipart_error)?)?
            }
            "action" if csrf.is_some() => {
                options.dry_run = field.text().await.map_err(multipart_error)?.trim() == "check"
            }
            other => {
                return Err(bad(
                    other,
                    "is not a field of an import (file, format, encoding, mapping, dry_run, strict)",
                ));
            }
        }
    }
    let upload = upload.ok_or_else(|| bad("file", "is required: the file to import"))?;
    let format = match format {
        Some(f) => f,
        None => file_name
            .as_deref()
            .and_then(|n| Format::of(std::path::Path::new(n)))
            .ok_or_else(|| bad("format", "cannot be told from the file name; give csv, tsv, xlsx or jsonl"))?,
    };
    Ok(ImportForm { upload, file_name, format, options })
}

/// Runs an uploaded import as `actor`, counting its progress in `/metrics`.
pub async fn run(state: &AppState, actor: &str, form: ImportForm) -> ApiResult<ImportReport> {
    let ImportForm { upload, format, options, file_name } = form;
    let file_name = file_name.unwrap_or_else(|| format!("upload.{}", format.name()));
    let catalogue = state.catalogue.clone();
    let actor = actor.to_string();
    let metrics = state.metrics.clone();
    blocking(move || {
        use std::sync::atomic::Ordering;
        metrics.imports_running.fetch_add(1, Ordering::Relaxed);
        let read = std::sync::atomic::AtomicU64::new(0);
        let result = catalogue.import(&actor, upload.file.path(), &file_name, format, &options, &|row| {
            let before = read.swap(row, Ordering::Relaxed);
            metrics.import_rows.fetch_add(row.saturating_sub(before), Ordering::Relaxed);
        });
        metrics.imports_running.fetch_sub(1, Ordering::Relaxed);
        metrics.import_rows.fetch_sub(read.load(Ordering::Relaxed), Ordering::Relaxed);
        result
    })
    .await
}

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
    let report = run(&state, &who.name, form).await?;
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

/// A logged import and its report (the API's answer and the workspace's download).
pub async fn entry(state: &AppState, raw: &str) -> ApiResult<(crate::catalogue::ImportEntry, ImportReport)> {
    let id = super::parse_id(raw, "import")?;
    let catalogue = state.catalogue.clone();
    let found = blocking(move || catalogue.import_entry(id)).await?;
    found.ok_or_else(|| AppError::not_found(format!("there is no import {id}")))
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
    Ok(Json(entry(&state, &id).await?.1.shortened()))
}

/// The report as a CSV download that opens in Excel, written to a temporary file and
/// sent from there.
pub async fn report_download(entry: crate::catalogue::ImportEntry, report: ImportReport) -> ApiResult<Response> {
    let name = entry.file_name.clone();
    let file = blocking(move || {
        crate::catalogue::import::report_csv_file(&name, &report).map_err(crate::catalogue::StoreError::Io)
    })
    .await?;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file)));
    let stem = entry.file_name.rsplit_once('.').map_or(entry.file_name.as_str(), |(s, _)| s);
    let name = format!("import-{}-{stem}-report.csv", entry.id);
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    // RFC 8187's attr-char: letters, digits and a few marks stand as they are.
    const ATTR: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_');
    let encoded = percent_encoding::utf8_percent_encode(&name, ATTR);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (axum::http::header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response())
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
    let (entry, report) = entry(&state, &id).await?;
    report_download(entry, report).await
}
