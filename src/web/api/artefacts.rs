//! `/api/v1/artefacts`

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Paging;
use crate::catalogue::{ArtefactFilter, AuditEntry, Entity, Page};
use crate::model::artefact::{Artefact, ArtefactInput, PublicationStatus};
use crate::model::role::Viewer;
use crate::model::view::{ArtefactRecord, PublicArtefact, Stored};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{ApiJson, ApiQuery, Caller, Editor, Patch, Staff};

/// An artefact as the caller may see it: the full record for staff (private
/// fields for curators only), the public view for everyone else.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ArtefactView {
    Staff(Box<Stored<Artefact>>),
    Public(Box<PublicArtefact>),
}

fn view(record: ArtefactRecord, viewer: &Viewer) -> Option<ArtefactView> {
    match viewer {
        Viewer::Public => PublicArtefact::of(&record.record).map(|p| ArtefactView::Public(Box::new(p))),
        staff => Some(ArtefactView::Staff(Box::new(record.for_staff(staff)))),
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only artefacts of this donation.
    pub donation: Option<i64>,
    /// Only artefacts given by this party.
    pub donor: Option<i64>,
    /// Only artefacts with this publication status (staff only; the public sees published ones).
    pub status: Option<PublicationStatus>,
    /// Include deaccessioned artefacts (staff only).
    pub include_deaccessioned: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// List artefacts.
#[utoipa::path(get, path = "/api/v1/artefacts", operation_id = "listArtefacts", tag = "artefacts", params(ListParams),
    responses((status = 200, body = Page<ArtefactView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<ArtefactView>>> {
    let page = Paging { page: q.page, per_page: q.per_page }.request()?;
    let public = viewer == Viewer::Public;
    let filter = ArtefactFilter {
        donation_id: q.donation,
        donor_id: q.donor,
        status: if public { Some(PublicationStatus::Published) } else { q.status },
        include_deaccessioned: !public && q.include_deaccessioned.unwrap_or(false),
        reproduction_of: None,
        page,
    };
    let catalogue = state.catalogue.clone();
    let found = blocking(move || catalogue.artefacts(&filter)).await?;
    Ok(Json(Page {
        items: found.items.into_iter().filter_map(|r| view(r, &viewer)).collect(),
        total: found.total,
        page: found.page,
        per_page: found.per_page,
    }))
}

async fn load(state: &AppState, accession: String, viewer: &Viewer) -> ApiResult<ArtefactRecord> {
    let catalogue = state.catalogue.clone();
    let key = accession.clone();
    let found = blocking(move || catalogue.artefact(&key)).await?;
    // The public is told the same for unpublished and absent records.
    match found {
        Some(r) if *viewer != Viewer::Public || PublicArtefact::of(&r.record).is_some() => Ok(r),
        _ => Err(AppError::not_found(format!("there is no artefact {accession}"))),
    }
}

/// Read one artefact.
#[utoipa::path(get, path = "/api/v1/artefacts/{accession}", operation_id = "getArtefact", tag = "artefacts",
    params(("accession" = String, Path, description = "Accession number, e.g. 2023.15.1")),
    responses((status = 200, body = ArtefactView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(accession): Path<String>,
) -> ApiResult<Json<ArtefactView>> {
    let record = load(&state, accession, &viewer).await?;
    view(record, &viewer).map(Json).ok_or_else(|| AppError::not_found("there is no such artefact"))
}

/// Create an artefact. Without `accession_number`, the donation's next free number is assigned.
#[utoipa::path(post, path = "/api/v1/artefacts", operation_id = "createArtefact", tag = "artefacts", request_body = ArtefactInput, security(("bearer" = [])),
    responses((status = 201, body = Stored<Artefact>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(input): ApiJson<ArtefactInput>,
) -> ApiResult<impl IntoResponse> {
    let catalogue = state.catalogue.clone();
    let record = blocking(move || catalogue.create_artefact(&user.name, input)).await?;
    let location = format!("/api/v1/artefacts/{}", crate::web::pages::segment(record.record.accession_number.as_str()));
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(record)))
}

/// Change an artefact. Send the `version` you read; each field named replaces the stored one
/// (`null` clears it), except `title`, `description`, `private`, `reproduction` and `record_source`,
/// whose fields merge. A stale version gets 409.
#[utoipa::path(patch, path = "/api/v1/artefacts/{accession}", operation_id = "updateArtefact", tag = "artefacts", security(("bearer" = [])),
    params(("accession" = String, Path)), request_body(content = super::forms::ArtefactChanges, description = "`version` plus the fields to change"),
    responses((status = 200, body = Stored<Artefact>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(accession): Path<String>,
    patch: Patch,
) -> ApiResult<Json<ArtefactRecord>> {
    let catalogue = state.catalogue.clone();
    Ok(Json(blocking(move || catalogue.update_artefact(&user.name, &accession, patch.version, &patch.changes)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeaccessionRequest {
    /// The version you read.
    pub version: i64,
    /// Why the artefact leaves the collection.
    pub reason: String,
}

/// Deaccession an artefact: a recorded action with a reason; the record is kept.
#[utoipa::path(post, path = "/api/v1/artefacts/{accession}/deaccession", operation_id = "deaccessionArtefact", tag = "artefacts", security(("bearer" = [])),
    params(("accession" = String, Path)), request_body = DeaccessionRequest,
    responses((status = 200, body = Stored<Artefact>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deaccession(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(accession): Path<String>,
    ApiJson(req): ApiJson<DeaccessionRequest>,
) -> ApiResult<Json<ArtefactRecord>> {
    let catalogue = state.catalogue.clone();
    Ok(Json(blocking(move || catalogue.deaccession(&user.name, &accession, req.version, &req.reason)).await?))
}

/// Every change to an artefact, oldest first, with who made it.
#[utoipa::path(get, path = "/api/v1/artefacts/{accession}/history", operation_id = "artefactHistory", tag = "artefacts", security(("bearer" = [])),
    params(("accession" = String, Path)), responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(accession): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let record = load(&state, accession, &viewer).await?;
    let catalogue = state.catalogue.clone();
    let entries = blocking(move || catalogue.history_as::<Artefact>(Entity::Artefact, record.id, &viewer)).await?;
    Ok(Json(entries))
}
