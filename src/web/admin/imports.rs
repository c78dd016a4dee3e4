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
