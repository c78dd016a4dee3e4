//! `/admin/imports`: a curator's register (CSV, TSV, Excel) or a dataset, uploaded in the
//! browser, checked first, then imported — as `catalogue import` and `POST /api/v1/imports` do.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Desk, Workspace, render};
use crate::app::AppState;
use crate::interchange::import::ImportReport;
use crate::web::api::imports::{read_form, run};

#[derive(Template)]
#[template(path = "admin/imports.html")]
struct ImportPage {
    d: Desk,
    report: Option<ImportReport>,
    file_name: Option<String>,
    problem: Option<String>,
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

fn page(
    ws: &Workspace,
    report: Option<ImportReport>,
    file_name: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let d = ws.desk(ws.desk("").t("导入登记表", "Import a register"));
    render(&ImportPage { d, report, file_name, problem }, status)
}

pub async fn form(ws: Workspace) -> Result<Response, Response> {
    ws.editor()?;
    Ok(page(&ws, None, None, None, StatusCode::OK))
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
        Err(e) => return Ok(page(&ws, None, None, Some(e.body.message), e.status)),
    };
    let file_name = form.file_name.clone();
    match run(&state, &user, form).await {
        Ok(report) => {
            tracing::info!(file = ?file_name, dry_run = report.dry_run, created = report.created, errors = report.errors.len(), "import from the workspace");
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            Ok(page(&ws, Some(report), file_name, None, status))
        }
        Err(e) => Ok(page(&ws, None, file_name, Some(e.body.message), e.status)),
    }
}
