//! What the API and the workspace share of an uploaded import: reading its form,
//! running it (counted in `/metrics`), reading an entry of the log back, and sending
//! its report as a CSV download.

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use serde_json::Value;

use crate::catalogue::ImageError;
use crate::catalogue::import::{Format, ImportReport, Mapping, ReadOptions, SheetFormat, TextEncoding};
use crate::model::common::LocalText;
use crate::model::image::ImageOptions;
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::receive_file;

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
pub async fn run_import(state: &AppState, actor: &str, form: ImportForm) -> ApiResult<ImportReport> {
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

/// A logged import and its report (the API's answer and the workspace's download).
pub async fn import_entry(state: &AppState, raw: &str) -> ApiResult<(crate::catalogue::ImportEntry, ImportReport)> {
    let id = crate::web::api::parse_id(raw, "import")?;
    let catalogue = state.catalogue.clone();
    let found = blocking(move || catalogue.import_entry(id)).await?;
    found.ok_or_else(|| AppError::not_found(format!("there is no import {id}")))
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

/// The body limit of image uploads: the file plus room for the form around it.
pub fn upload_limit(state: &AppState) -> usize {
    usize::try_from(state.catalogue.config.images.max_upload_bytes.saturating_add(64 * 1024)).unwrap_or(usize::MAX)
}

fn as_enum<T: serde::de::DeserializeOwned>(v: &str) -> Result<T, serde_json::Error> {
    serde_json::from_value(Value::String(v.trim().to_string()))
}

/// One field of an image upload's form into its options: `name` is one of role, visibility,
/// caption_zh, caption_en, order, photographer, rights.
pub fn image_option(options: &mut ImageOptions, name: &str, value: String) -> ApiResult<()> {
    let bad = |problem: String| AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", name, problem);
    match name {
        "role" => {
            options.role = Some(as_enum(&value).map_err(|_| {
                bad(format!("`{value}` is not one of primary, detail, verso, inscription, condition, document"))
            })?)
        }
        "visibility" => {
            options.visibility = Some(as_enum(&value).map_err(|_| bad(format!("`{value}` is not public or internal")))?)
        }
        "caption_zh" | "caption_en" => {
            let caption = options.caption.get_or_insert_with(LocalText::default);
            let text = Some(value.trim().to_string()).filter(|s| !s.is_empty());
            if name == "caption_zh" { caption.zh = text } else { caption.en = text }
        }
        "order" => {
            options.order = Some(value.trim().parse().map_err(|_| bad(format!("`{value}` is not a whole number")))?)
        }
        "photographer" => options.photographer = Some(value),
        "rights" => options.rights = Some(value),
        _ => unreachable!("only called for known fields"),
    }
    Ok(())
}
