//! `/admin/vocabularies`: the controlled lists, edited by admins.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Desk, Done, Submitted, Workspace, done, render};
use crate::catalogue::StoreError;
use crate::model::vocab::{Term, Vocabulary};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "admin/vocabularies.html")]
struct VocabulariesPage {
    d: Desk,
    vocabularies: Vec<Vocabulary>,
    current: Option<Vocabulary>,
    problem: Option<String>,
}

async fn page_with(
    state: &AppState,
    ws: &Workspace,
    name: Option<&str>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, Response> {
    let vocab = state.catalogue.vocabularies();
    let current = match name {
        Some(n) => Some(
            vocab.get(n).cloned().ok_or_else(|| super::store_error_page(ws, StoreError::not_found("vocabulary", n)))?,
        ),
        None => None,
    };
    let title = match &current {
        Some(v) => format!("{} · {}", ws.desk("").t("词表", "Vocabularies"), ws.desk("").t(&v.zh, &v.en)),
        None => ws.desk("").t("词表", "Vocabularies").to_string(),
    };
    Ok(render(
        &VocabulariesPage { d: ws.desk(title), vocabularies: vocab.vocabularies.clone(), current, problem },
        status,
    ))
}

pub async fn index(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    ws.admin()?;
    page_with(&state, &ws, None, None, StatusCode::OK).await
}

pub async fn page(
    State(state): State<AppState>,
    ws: Workspace,
    Path(name): Path<String>,
) -> Result<Response, Response> {
    ws.admin()?;
    page_with(&state, &ws, Some(&name), None, StatusCode::OK).await
}

/// Adds a term, or changes one (by its code).
pub async fn save(State(state): State<AppState>, Path(name): Path<String>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let actor = ws.admin()?.name.clone();
    let term = Term {
        code: f.v("code").trim().to_string(),
        zh: f.v("zh").trim().to_string(),
        en: f.v("en").trim().to_string(),
        aliases: f
            .v("aliases")
            .split(['、', ',', '，'])
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        earliest: None,
        latest: None,
    };
    let catalogue = state.catalogue.clone();
    let vocabulary = name.clone();
    let saved = crate::catalogue::blocking(move || catalogue.save_term(&actor, &vocabulary, &term)).await;
    match saved {
        Ok(_) => Ok(done(&ws, &format!("/admin/vocabularies/{name}"), Done::Saved)),
        Err(StoreError::Invalid(v)) => {
            page_with(&state, &ws, Some(&name), Some(v.to_string()), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}
