//! The JSON API under `/api/v1`.

pub mod artefacts;
pub mod batch;
pub mod documents;
pub mod donations;
pub mod forms;
pub mod images;
pub mod imports;
pub mod locations;
pub mod openapi;
pub mod paperwork;
pub mod parties;
pub mod search;
pub mod sets;
pub mod vocabularies;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiResult, AppError};
use crate::catalogue::PageRequest;
use crate::web::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/artefacts", get(artefacts::list).post(artefacts::create))
        .route("/batch", post(batch::batch))
        .route("/artefacts/{accession}", get(artefacts::get).patch(artefacts::update))
        .route("/artefacts/{accession}/deaccession", post(artefacts::deaccession))
        .route("/artefacts/{accession}/history", get(artefacts::history))
        .route("/artefacts/{accession}/label.pdf", get(paperwork::label))
        .route("/artefacts/{accession}/card.pdf", get(paperwork::card))
        .route("/labels.pdf", get(paperwork::labels))
        .route("/register.pdf", get(paperwork::register))
        .route(
            "/artefacts/{accession}/images",
            get(images::list)
                .post(images::upload)
                .layer(DefaultBodyLimit::max(crate::web::uploads::upload_limit(state))),
        )
        .route(
            "/imports",
            get(imports::list)
                .post(imports::create)
                .layer(DefaultBodyLimit::max(crate::web::uploads::upload_limit(state))),
        )
        .route("/imports/{id}", get(imports::get))
        .route("/imports/{id}/report.csv", get(imports::report_csv))
        .route("/images/{id}", get(images::get).patch(images::update))
        .route("/images/{id}/history", get(images::history))
        .route("/parties", get(parties::list).post(parties::create))
        .route("/parties/{id}", get(parties::get).patch(parties::update))
        .route("/parties/{id}/history", get(parties::history))
        .route("/donations", get(donations::list).post(donations::create))
        .route("/donations/{id}", get(donations::get).patch(donations::update))
        .route("/donations/{id}/history", get(donations::history))
        .route("/donations/{id}/next-accession", get(donations::next_accession))
        .route("/donations/{id}/entry", post(donations::entry))
        .route("/donations/{id}/exit", post(donations::exit))
        .route("/locations", get(locations::list).post(locations::create))
        .route("/locations/{code}", get(locations::get).patch(locations::update))
        .route("/locations/{code}/movements", post(locations::move_contents))
        .route("/movements", post(locations::move_many))
        .route("/artefacts/{accession}/movements", get(locations::whereabouts).post(locations::move_one))
        .route("/inventory-checks", get(locations::checks).post(locations::start_check))
        .route("/inventory-checks/{id}", get(locations::check))
        .route("/inventory-checks/{id}/marks", post(locations::mark))
        .route("/inventory-checks/{id}/finish", post(locations::finish))
        .route("/donations/{id}/receipt.pdf", get(paperwork::receipt))
        .route("/donations/{id}/certificate.pdf", get(paperwork::certificate))
        .route("/donations/{id}/letter.pdf", get(paperwork::letter))
        .route("/search", get(search::search))
        .route("/sets", get(sets::list).post(sets::create))
        .route("/sets/{id}", get(sets::get))
        .route("/sets/{id}/members", post(sets::members))
        .route("/suggest", get(search::suggest))
        .route("/vocabularies", get(vocabularies::list))
        .route("/vocabularies/{name}", get(vocabularies::get))
        .fallback(|| async {
            AppError::new(StatusCode::NOT_FOUND, "not_found", "no such API route; see /api/v1/openapi.json")
        })
        .method_not_allowed_fallback(|| async {
            AppError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method; see /api/v1/openapi.json",
            )
        })
        .layer(DefaultBodyLimit::max(state.catalogue.config.max_body_bytes))
}

/// Paging parameters shared by the lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u32>,
}

impl Paging {
    pub fn request(&self) -> ApiResult<PageRequest> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        if page == 0 {
            return Err(AppError::field(StatusCode::BAD_REQUEST, "invalid_query", "page", "starts at 1"));
        }
        if !(1..=200).contains(&per_page) {
            return Err(AppError::field(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "per_page",
                "must be between 1 and 200",
            ));
        }
        Ok(PageRequest { page, per_page })
    }
}

/// Reads a numeric record id from the path.
pub fn parse_id(raw: &str, entity: &str) -> ApiResult<i64> {
    raw.parse().map_err(|_| AppError::not_found(format!("there is no {entity} {raw}: ids are numbers")))
}
