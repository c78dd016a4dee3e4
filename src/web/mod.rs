//! HTTP only: routes, extractors and errors. The use cases live in `catalogue`.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod headers;
pub mod iiif;
pub mod labels;
pub mod limits;
pub mod metrics;
pub mod oai;
pub mod pages;
pub mod paperwork;
pub mod serve;
pub mod state;
pub mod uniform;
pub mod uploads;
pub mod wire;
pub mod workspace;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;

use error::{ApiResult, AppError};
pub use state::AppState;

/// Runs a use case off the async reactor ([`crate::catalogue::blocking`]), its error as the API's.
pub async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> ApiResult<T>
where
    T: Send + 'static,
    E: Into<AppError> + Send + 'static,
{
    crate::catalogue::blocking(move || f().map_err(Into::into)).await
}

/// Answers once the store is open and answering.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> ApiResult<&'static str> {
    let catalogue = state.catalogue.clone();
    blocking(move || catalogue.ping()).await?;
    Ok("ok")
}

/// 404: JSON under `/api/`, a page for everything else.
async fn fallback(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
    lang: pages::i18n::PageLang,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such route; the API lives under /api/v1 (see /api/v1/openapi.json)",
        )
        .into_response();
    }
    pages::not_found(&lang, &pages::base_url(&state, &headers))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::router(&state))
        .nest("/iiif/3", iiif::router())
        .route("/oai", get(oai::handle))
        .route("/metrics", get(metrics::render))
        .merge(pages::router())
        .merge(workspace::router(&state))
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(limits::Guard::new(state.catalogue.config.limits), limits::guard))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(state.catalogue.config.limits.body_idle_timeout))
        .layer(axum::middleware::from_fn_with_state(state.clone(), uniform::uniform))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(axum::middleware::from_fn_with_state(state.clone(), headers::secure))
        .with_state(state)
}
