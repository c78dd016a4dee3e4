//! `/api/v1/search` and `/api/v1/suggest`: the public index for anonymous
//! callers, the internal one (all holdings) for researchers and curators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::catalogue::{FacetCount, Hit, SearchRequest, SearchResults, Sort};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{ApiQuery, Caller};

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub hits: Vec<Hit>,
    /// Counts by `category`, `material`, `period`, `donor`, `donation`, `acquired`, `has_image`.
    pub facets: std::collections::BTreeMap<String, Vec<FacetCount>>,
    /// A query that finds more, for one that finds little or had words the catalogue
    /// does not hold (`kenenth rowell` → `kenneth rowell`, 李書誠 → 李书城).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

fn bad(field: &str, problem: impl Into<String>) -> AppError {
    AppError::field(StatusCode::BAD_REQUEST, "invalid_query", field, problem)
}

/// Reads `q`, repeated `filter=name:value`, `sort`, `page`, `per_page`.
fn request(params: Vec<(String, String)>) -> ApiResult<SearchRequest> {
    let mut req =
        SearchRequest { page: 1, per_page: 20, facets: true, snippets: true, exact_total: true, ..Default::default() };
    for (key, value) in params {
        match key.as_str() {
            "q" => req.q = value,
            "filter" => {
                let (name, v) = value
                    .split_once(':')
                    .ok_or_else(|| bad("filter", format!("`{value}` should be name:value, e.g. category:bronze")))?;
                crate::catalogue::check_filter(name, v).map_err(|why| bad("filter", why))?;
                req.filters.push((name.to_string(), v.to_string()));
            }
            "sort" => {
                req.sort = serde_json::from_value::<Sort>(serde_json::Value::String(value.clone())).map_err(|_| {
                    bad(
                        "sort",
                        format!("`{value}` is not a sort; use relevance, accession, date, date_desc or acquired"),
                    )
                })?
            }
            "page" => {
                req.page = value
                    .parse()
                    .ok()
                    .filter(|p| *p >= 1)
                    .ok_or_else(|| bad("page", "must be a whole number from 1"))?
            }
            "per_page" => {
                req.per_page = value
                    .parse()
                    .ok()
                    .filter(|p| (1..=200).contains(p))
                    .ok_or_else(|| bad("per_page", "must be between 1 and 200"))?
            }
            "facets" => req.facets = crate::web::extract::flag("facets", &value)?,
            other => return Err(bad(other, "is not a search parameter; use q, filter, sort, page, per_page, facets")),
        }
    }
    if req.q.chars().count() > 500 {
        return Err(bad("q", "is longer than 500 characters"));
    }
    Ok(req)
}

/// Search the catalogue.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "search", tag = "search",
    params(
        ("q" = Option<String>, Query, description = "Words in Chinese (either script), pinyin or English; `donor:`, `maker:`, `category:`, `material:`, `accession:`, `year:1900..1930`, quoted phrases, AND / OR / NOT"),
        ("filter" = Option<Vec<String>>, Query, description = "Facet filter `name:value`, repeatable"),
        ("sort" = Option<Sort>, Query), ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiQuery(params): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Json<SearchResponse>> {
    let req = request(params)?;
    let (page, per_page) = (req.page, req.per_page);
    let catalogue = state.catalogue.clone();
    let scope = viewer.scope();
    let SearchResults { total, hits, facets, suggestion } =
        blocking(move || catalogue.search(&req, scope)).await.map_err(|e: AppError| e)?;
    Ok(Json(SearchResponse { total, page, per_page, hits, facets, suggestion }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<String>,
}

/// Complete a title, maker or donor name from its first characters (either script, or pinyin).
#[utoipa::path(get, path = "/api/v1/suggest", operation_id = "suggest", tag = "search", params(("q" = String, Query)),
    responses((status = 200, body = Suggestions), (status = 400, body = ErrorBody)))]
pub async fn suggest(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiQuery(params): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Json<Suggestions>> {
    let q = params.into_iter().find(|(k, _)| k == "q").map(|(_, v)| v).unwrap_or_default();
    if q.chars().count() > 100 {
        return Err(bad("q", "is longer than 100 characters"));
    }
    let catalogue = state.catalogue.clone();
    let scope = viewer.scope();
    let suggestions = blocking(move || catalogue.suggest(&q, scope, 10)).await?;
    Ok(Json(Suggestions { suggestions }))
}
