//! `/api/v1/parties`: donors, makers, previous owners. Staff only.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Paging, documents};
use crate::catalogue::{AuditEntry, Page};
use crate::model::party::{Party, PartyInput};
use crate::model::view::{PartyRecord, Stored};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, ErrorBody};
use crate::web::extract::{ApiJson, ApiQuery, Editor, Patch, Staff};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only parties whose record contains this name.
    pub name: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// List parties.
#[utoipa::path(get, path = "/api/v1/parties", operation_id = "listParties", tag = "parties", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Stored<Party>>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<PartyRecord>>> {
    let page = Paging { page: q.page, per_page: q.per_page }.request()?;
    let catalogue = state.catalogue.clone();
    let found = blocking(move || catalogue.parties(q.name.as_deref(), page)).await?;
    Ok(Json(Page { items: found.items.into_iter().map(|p| p.for_staff(&viewer)).collect(), ..found }))
}

/// Read one party.
#[utoipa::path(get, path = "/api/v1/parties/{id}", operation_id = "getParty", tag = "parties", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Stored<Party>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<PartyRecord>> {
    Ok(Json(documents::read::<Party>(&state, &id, &viewer).await?))
}

/// Create a party.
#[utoipa::path(post, path = "/api/v1/parties", operation_id = "createParty", tag = "parties", request_body = PartyInput, security(("bearer" = [])),
    responses((status = 201, body = Stored<Party>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(input): ApiJson<PartyInput>,
) -> ApiResult<documents::Created<Party>> {
    documents::create(&state, user, input, "parties").await
}

/// Change a party: send the `version` you read and the fields to change.
#[utoipa::path(patch, path = "/api/v1/parties/{id}", operation_id = "updateParty", tag = "parties", params(("id" = i64, Path)), security(("bearer" = [])),
    request_body(content = super::forms::PartyChanges, description = "`version` plus the fields to change"),
    responses((status = 200, body = Stored<Party>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    patch: Patch,
) -> ApiResult<Json<PartyRecord>> {
    documents::update::<PartyInput>(&state, user, &id, patch).await
}

/// Every change to a party, oldest first.
#[utoipa::path(get, path = "/api/v1/parties/{id}/history", operation_id = "partyHistory", tag = "parties", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    documents::history::<Party>(&state, &id, &viewer).await
}
