//! `/api/v1/vocabularies`: the controlled lists, readable by anyone.

use axum::Json;
use axum::extract::{Path, State};

use crate::model::vocab::Vocabulary;
use crate::web::AppState;
use crate::web::error::{ApiResult, AppError, ErrorBody};

/// Every vocabulary with its terms.
#[utoipa::path(get, path = "/api/v1/vocabularies", operation_id = "listVocabularies", tag = "vocabularies", responses((status = 200, body = Vec<Vocabulary>)))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<Vocabulary>> {
    Json(state.catalogue.vocabularies().vocabularies.clone())
}

/// One vocabulary: `category`, `material`, `acquisition_method`, `completeness`, `preservation`, `grade`, `period`.
#[utoipa::path(get, path = "/api/v1/vocabularies/{name}", operation_id = "getVocabulary", tag = "vocabularies", params(("name" = String, Path)),
    responses((status = 200, body = Vocabulary), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(name): Path<String>) -> ApiResult<Json<Vocabulary>> {
    state.catalogue.vocabularies().get(&name).cloned().map(Json).ok_or_else(|| {
        let names: Vec<String> = state.catalogue.vocabularies().vocabularies.iter().map(|v| v.name.clone()).collect();
        AppError::not_found(format!("there is no vocabulary `{name}`; there are: {}", names.join(", ")))
    })
}
