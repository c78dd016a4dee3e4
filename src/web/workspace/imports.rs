//! `/admin/imports`: a curator's register (CSV, TSV, Excel) or a dataset, uploaded in the
//! browser, checked first, then imported — as `catalogue import` and `POST /api/v1/imports` do;
//! below the form, the imports tried so far, each with its report to download.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Desk, Workspace, render};
use crate::catalogue::import::ImportReport;
use crate::web::AppState;
use crate::web::uploads::{import_entry, read_form, report_download, run_import};

#[derive(Template)]
#[template(path = "admin/imports.html")]
struct ImportPage {
    d: Desk,
    report: Option<ImportReport>,
    file_name: Option<String>,
    problem: Option<String>,
    log: Vec<LogRow>,
}

/// One past import, as the list shows it.
struct LogRow {
    at: String,
    actor: String,
    file_name: String,
    outcome: &'static str,
    tally: crate::catalogue::ImportTally,
    report: String,
}

/// The log as the list shows it, newest first.
async fn log(state: &AppState, ws: &Workspace) -> Vec<LogRow> {
    let catalogue = state.catalogue.clone();
    let entries = super::blocking(ws, move || catalogue.import_log(100)).await.unwrap_or_else(|_| {
        tracing::warn!("the import log cannot be read");
        Vec::new()
    });
    let d = ws.desk("");
    entries
        .into_iter()
        .map(|e| LogRow {
            at: d.time(&e.at),
            outcome: match (e.refused(), e.dry_run) {
                (true, _) => d.t("未导入（有错误）", "refused (errors)"),
                (false, true) => d.t("仅检查", "checked only"),
                (false, false) => d.t("已导入", "imported"),
            },
            report: ws.link(&format!("/admin/imports/{}/report.csv", e.id)),
            // Imports run from the command line without `--as` are the system's, not a person's.
            actor: crate::web::labels::actor(&e.actor, ws.lang),
            file_name: e.file_name,
            tally: e.tally,
        })
        .collect()
}

impl ImportPage {
    /// A dry run's first records as they will be stored: number, title, date and dimensions as written.
    fn preview(&self) -> Vec<[String; 4]> {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let rows = self.report.as_ref().map(|r| r.preview.as_slice()).unwrap_or_default();
        rows.iter()
            .map(|p| {
                let number = p["accession_number"]
                    .as_str()
                    .map_or_else(|| self.d.t("按所属捐赠编号", "numbered from its donation").to_string(), String::from);
                let title = p["title"]["zh"].as_str().or(p["title"]["en"].as_str()).unwrap_or_default().to_string();
                [number, title, text(&p["date"]["text"]), text(&p["dimensions"]["text"])]
            })
            .collect()
    }
}

async fn page(
    state: &AppState,
    ws: &Workspace,
    report: Option<ImportReport>,
    file_name: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let d = ws.desk(ws.desk("").t("导入登记表", "Import a register"));
    let log = log(state, ws).await;
    render(&ImportPage { d, report, file_name, problem, log }, status)
}

pub async fn form(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.editor()?;
    Ok(page(&state, &ws, None, None, None, StatusCode::OK).await)
}

pub async fn submit(
    State(state): State<AppState>,
    ws: Workspace,
    mut multipart: Multipart,
) -> Result<Response, Response> {
    let user = ws.editor()?.name.clone();
    let form = match read_form(&state, &mut multipart, Some(&ws.session.csrf)).await {
        Ok(f) => f,
        Err(e) if e.body.code == "csrf_failed" => return Err(super::csrf_refused(&ws)),
        Err(e) => return Ok(page(&state, &ws, None, None, Some(e.body.message), e.status).await),
    };
    let file_name = form.file_name.clone();
    match run_import(&state, &user, form).await {
        Ok(report) => {
            tracing::info!(file = ?file_name, dry_run = report.dry_run, created = report.created, errors = report.errors.len(), "import from the workspace");
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            Ok(page(&state, &ws, Some(report.shortened()), file_name, None, status).await)
        }
        Err(e) => Ok(page(&state, &ws, None, file_name, Some(e.body.message), e.status).await),
    }
}

/// `/admin/imports/{id}/report.csv`: a past import's report, for Excel.
pub async fn report(
    State(state): State<AppState>,
    ws: Workspace,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    ws.editor()?;
    let (entry, report) = import_entry(&state, &id).await.map_err(|e| match e.status {
        StatusCode::NOT_FOUND => {
            let d = ws.desk("");
            super::message_page(
                &ws,
                e.status,
                d.t("找不到记录", "Not found"),
                d.t("没有这次导入。", "There is no such import."),
            )
        }
        _ => super::super::pages::failed(e.body.message),
    })?;
    report_download(entry, report).await.map_err(|e| super::super::pages::failed(e.body.message))
}
