//! `/api/v1/sets`: named lists of artefacts, kept by their owner, shared or private.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::parse_id;
use crate::catalogue::RecordSet;
use crate::model::role::{Principal, Viewer};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{ApiJson, Editor, Staff};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSet {
    pub name: String,
    /// Seen by all staff (otherwise by you alone).
    #[serde(default)]
    pub shared: bool,
}

/// A set and the accession numbers of its records, in the order they were added.
#[derive(Debug, Serialize, ToSchema)]
pub struct SetWithMembers {
    #[serde(flatten)]
    pub set: RecordSet,
    pub accessions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembersChange {
    /// Accession numbers to add: all, or none when one does not exist.
    #[serde(default)]
    pub add: Vec<String>,
    /// Accession numbers to take out.
    #[serde(default)]
    pub remove: Vec<String>,
}

fn principal(viewer: Viewer) -> ApiResult<Principal> {
    match viewer {
        Viewer::Staff(p) => Ok(p),
        Viewer::Public => Err(AppError::unauthorized()),
    }
}

/// The sets you keep and those shared with all staff.
#[utoipa::path(get, path = "/api/v1/sets", operation_id = "listSets", tag = "sets", security(("bearer" = [])),
    responses((status = 200, body = Vec<RecordSet>), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, Staff(viewer): Staff) -> ApiResult<Json<Vec<RecordSet>>> {
    let (catalogue, user) = (state.catalogue.clone(), principal(viewer)?);
    Ok(Json(blocking(move || catalogue.sets(&user)).await?))
}

/// Start a new, empty set.
#[utoipa::path(post, path = "/api/v1/sets", operation_id = "createSet", tag = "sets", request_body = NewSet, security(("bearer" = [])),
    responses((status = 201, body = RecordSet), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(new): ApiJson<NewSet>,
) -> ApiResult<(StatusCode, Json<RecordSet>)> {
    let catalogue = state.catalogue.clone();
    let set = blocking(move || catalogue.create_set(&user, &new.name, new.shared)).await?;
    Ok((StatusCode::CREATED, Json(set)))
}

/// A set you may see, with its records.
#[utoipa::path(get, path = "/api/v1/sets/{id}", operation_id = "getSet", tag = "sets", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = SetWithMembers), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<SetWithMembers>> {
    let (id, user, catalogue) = (parse_id(&id, "set")?, principal(viewer)?, state.catalogue.clone());
    let (set, accessions) = blocking(move || catalogue.set(&user, id)).await?;
    Ok(Json(SetWithMembers { set, accessions }))
}

/// Add records to a set you keep, or take them out.
#[utoipa::path(post, path = "/api/v1/sets/{id}/members", operation_id = "changeSetMembers", tag = "sets", params(("id" = i64, Path)),
    request_body = MembersChange, security(("bearer" = [])),
    responses((status = 200, body = SetWithMembers), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<MembersChange>,
) -> ApiResult<Json<SetWithMembers>> {
    let id = parse_id(&id, "set")?;
    if change.add.is_empty() && change.remove.is_empty() {
        return Err(AppError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "add",
            "name records to `add` or `remove`",
        ));
    }
    let catalogue = state.catalogue.clone();
    let (set, accessions) = blocking(move || {
        if !change.add.is_empty() {
            catalogue.add_to_set(&user, id, &change.add)?;
        }
        if !change.remove.is_empty() {
            catalogue.remove_from_set(&user, id, &change.remove)?;
        }
        catalogue.set(&user, id)
    })
    .await?;
    Ok(Json(SetWithMembers { set, accessions }))
}
