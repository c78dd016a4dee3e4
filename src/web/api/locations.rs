//! `/api/v1/locations`, `/api/v1/movements`, `/api/v1/artefacts/{accession}/movements` and
//! `/api/v1/inventory-checks`: where every object is. Never answered to the public; to
//! researchers only when the `researchers_see_locations` setting allows it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::parse_id;
use crate::catalogue::locations::{MoveRequest, Whereabouts};
use crate::catalogue::{InventoryCheck, LocationRecord, Mark, Movement, ShelfEntry};
use crate::model::common::LocalText;
use crate::model::location::{LocationInput, LocationKind};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{ApiJson, ApiQuery, Editor, Staff};

/// A location with how many objects it holds itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationSummary {
    #[serde(flatten)]
    pub location: LocationRecord,
    /// Objects in this location itself (not in those inside it).
    pub objects: u64,
}

/// A location with the locations directly inside it and what it holds: its shelf list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationDetail {
    #[serde(flatten)]
    pub location: LocationRecord,
    /// The codes of the locations directly inside it.
    pub children: Vec<String>,
    /// The objects in it (with `below`, in every location inside it too), by location and number.
    pub contents: Vec<ShelfEntry>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShelfParams {
    /// Also list what the locations inside it hold (default true).
    pub below: Option<bool>,
}

/// A change to a location: the version read, and its fields as they should be (a new
/// `code` renames it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationChange {
    pub version: i64,
    pub code: String,
    pub name: LocalText,
    /// The code of the location it is in; none for a building.
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub kind: LocationKind,
    #[serde(default)]
    pub note: Option<String>,
}

/// A move of one object: where to, why and when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtefactMove {
    /// The object's version you read: a move made on a stale read gets 409, as every edit does.
    #[serde(default)]
    pub version: Option<i64>,
    /// The code of the location it goes to.
    pub to: String,
    /// `storage`, `display`, `conservation`, `photography`, `loan`, `inventory`, `research` or `recorded`.
    pub reason: String,
    /// The day it moved, `2026-12-07`; today when left out.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// One object of a move of several.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Moved {
    pub accession: String,
    /// The version you read, when you have one.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A move of several objects, all or none: those named, or those of a set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchMove {
    #[serde(default)]
    pub items: Vec<Moved>,
    /// Move the records of this set (yours or a shared one).
    #[serde(default)]
    pub set: Option<i64>,
    /// The code of the location they go to.
    pub to: String,
    /// As for one object.
    pub reason: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A move of everything a location holds.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentsMove {
    /// Also move what the locations inside it hold (default true).
    #[serde(default)]
    pub below: Option<bool>,
    /// The code of the location they go to.
    pub to: String,
    /// As for one object.
    pub reason: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCheck {
    /// The code of the location to check (with everything inside it).
    pub location: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a checker found of one object.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckMark {
    /// The accession number, typed or scanned.
    pub accession: String,
    pub mark: Mark,
    /// Where it was found: required for `elsewhere`; for `found`, the place checked when left out.
    #[serde(default)]
    pub found_in: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckMarks {
    pub marks: Vec<CheckMark>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishCheck {
    /// Move each object found somewhere other than its record says to where it was found.
    #[serde(default)]
    pub correct: bool,
}

/// An inventory check with its report: the lines that disagree with the record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckReport {
    #[serde(flatten)]
    pub check: InventoryCheck,
    pub discrepancies: Vec<crate::catalogue::CheckLine>,
}

impl From<InventoryCheck> for CheckReport {
    fn from(check: InventoryCheck) -> Self {
        let discrepancies = check.discrepancies().cloned().collect();
        CheckReport { check, discrepancies }
    }
}

/// The move a request body asks for: its `to`, `reason`, `date` and `note`.
fn request<'a>(to: &'a str, reason: &'a str, date: &'a Option<String>, note: &'a Option<String>) -> MoveRequest<'a> {
    MoveRequest { to, reason, date: date.as_deref(), note: note.as_deref() }
}

/// Every location, by code.
#[utoipa::path(get, path = "/api/v1/locations", operation_id = "listLocations", tag = "locations", security(("bearer" = [])),
    responses((status = 200, body = Vec<LocationSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, Staff(viewer): Staff) -> ApiResult<Json<Vec<LocationSummary>>> {
    let catalogue = state.catalogue.clone();
    let (all, counts) = blocking(move || {
        Ok::<_, crate::catalogue::StoreError>((catalogue.locations(&viewer)?, catalogue.location_counts(&viewer)?))
    })
    .await?;
    let summary = |location: LocationRecord| {
        let objects = counts.get(&location.id).copied().unwrap_or(0);
        LocationSummary { location, objects }
    };
    Ok(Json(all.into_iter().map(summary).collect()))
}

/// Add a location.
#[utoipa::path(post, path = "/api/v1/locations", operation_id = "createLocation", tag = "locations", request_body = LocationInput, security(("bearer" = [])),
    responses((status = 201, body = LocationRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(input): ApiJson<LocationInput>,
) -> ApiResult<(StatusCode, Json<LocationRecord>)> {
    let catalogue = state.catalogue.clone();
    let created = blocking(move || catalogue.create_location(&user.name, &input)).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A location, the locations inside it, and what it holds.
#[utoipa::path(get, path = "/api/v1/locations/{code}", operation_id = "getLocation", tag = "locations", params(("code" = String, Path), ShelfParams), security(("bearer" = [])),
    responses((status = 200, body = LocationDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<ShelfParams>,
) -> ApiResult<Json<LocationDetail>> {
    let catalogue = state.catalogue.clone();
    let detail = blocking(move || {
        let location = catalogue.location(&viewer, &code)?;
        let children = catalogue
            .locations(&viewer)?
            .into_iter()
            .filter(|l| l.parent.as_deref() == Some(location.code.as_str()))
            .map(|l| l.code)
            .collect();
        let contents = catalogue.shelf_list(&viewer, &location.code, q.below.unwrap_or(true))?;
        Ok::<_, crate::catalogue::StoreError>(LocationDetail { location, children, contents })
    })
    .await?;
    Ok(Json(detail))
}

/// Change a location: its name, kind, note, code or parent. A stale version gets 409; a
/// parent inside the location itself, 422.
#[utoipa::path(patch, path = "/api/v1/locations/{code}", operation_id = "updateLocation", tag = "locations", params(("code" = String, Path)), request_body = LocationChange, security(("bearer" = [])),
    responses((status = 200, body = LocationRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(code): Path<String>,
    ApiJson(change): ApiJson<LocationChange>,
) -> ApiResult<Json<LocationRecord>> {
    let catalogue = state.catalogue.clone();
    let input = LocationInput {
        code: change.code,
        name: change.name,
        parent: change.parent,
        kind: change.kind,
        note: change.note,
    };
    Ok(Json(blocking(move || catalogue.change_location(&user.name, &code, change.version, &input)).await?))
}

/// Move everything a location holds (and, by default, what the locations inside it hold)
/// to another location: one transaction.
#[utoipa::path(post, path = "/api/v1/locations/{code}/movements", operation_id = "moveLocationContents", tag = "locations", params(("code" = String, Path)), request_body = ContentsMove, security(("bearer" = [])),
    responses((status = 201, body = Vec<Movement>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_contents(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(code): Path<String>,
    ApiJson(m): ApiJson<ContentsMove>,
) -> ApiResult<(StatusCode, Json<Vec<Movement>>)> {
    let catalogue = state.catalogue.clone();
    let moved = blocking(move || {
        catalogue.move_contents(
            &user.name,
            &code,
            m.below.unwrap_or(true),
            &request(&m.to, &m.reason, &m.date, &m.note),
        )
    })
    .await?;
    Ok((StatusCode::CREATED, Json(moved)))
}

/// Move several objects, those named or those of a set: all, or none when one cannot move.
#[utoipa::path(post, path = "/api/v1/movements", operation_id = "moveArtefacts", tag = "locations", request_body = BatchMove, security(("bearer" = [])),
    responses((status = 201, body = Vec<Movement>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_many(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(m): ApiJson<BatchMove>,
) -> ApiResult<(StatusCode, Json<Vec<Movement>>)> {
    if m.items.is_empty() == m.set.is_none() {
        return Err(AppError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "items",
            "name the objects in `items` or give a `set`, not both",
        ));
    }
    let catalogue = state.catalogue.clone();
    let moved = blocking(move || {
        let selection: Vec<(String, Option<i64>)> = match m.set {
            Some(set) => catalogue.set(&user, set)?.1.into_iter().map(|a| (a, None)).collect(),
            None => m.items.iter().map(|i| (i.accession.clone(), i.version)).collect(),
        };
        catalogue.move_artefacts(&user.name, &selection, &request(&m.to, &m.reason, &m.date, &m.note))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(moved)))
}

/// Where an object is, and every movement it made.
#[utoipa::path(get, path = "/api/v1/artefacts/{accession}/movements", operation_id = "artefactMovements", tag = "locations", params(("accession" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Whereabouts), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn whereabouts(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(accession): Path<String>,
) -> ApiResult<Json<Whereabouts>> {
    let catalogue = state.catalogue.clone();
    Ok(Json(blocking(move || catalogue.whereabouts(&viewer, &accession)).await?))
}

/// Move one object.
#[utoipa::path(post, path = "/api/v1/artefacts/{accession}/movements", operation_id = "moveArtefact", tag = "locations", params(("accession" = String, Path)), request_body = ArtefactMove, security(("bearer" = [])),
    responses((status = 201, body = Movement), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_one(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(accession): Path<String>,
    ApiJson(m): ApiJson<ArtefactMove>,
) -> ApiResult<(StatusCode, Json<Movement>)> {
    let catalogue = state.catalogue.clone();
    let mut moved = blocking(move || {
        catalogue.move_artefacts(&user.name, &[(accession, m.version)], &request(&m.to, &m.reason, &m.date, &m.note))
    })
    .await?;
    let one = moved.pop().ok_or_else(AppError::internal)?;
    Ok((StatusCode::CREATED, Json(one)))
}

/// The latest inventory checks, newest first.
#[utoipa::path(get, path = "/api/v1/inventory-checks", operation_id = "listInventoryChecks", tag = "locations", security(("bearer" = [])),
    responses((status = 200, body = Vec<InventoryCheck>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn checks(State(state): State<AppState>, Staff(viewer): Staff) -> ApiResult<Json<Vec<InventoryCheck>>> {
    let catalogue = state.catalogue.clone();
    Ok(Json(blocking(move || catalogue.inventory_checks(&viewer)).await?))
}

/// Start an inventory check of a location and everything inside it.
#[utoipa::path(post, path = "/api/v1/inventory-checks", operation_id = "startInventoryCheck", tag = "locations", request_body = NewCheck, security(("bearer" = [])),
    responses((status = 201, body = CheckReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_check(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(new): ApiJson<NewCheck>,
) -> ApiResult<(StatusCode, Json<CheckReport>)> {
    let catalogue = state.catalogue.clone();
    let check = blocking(move || catalogue.start_check(&user.name, &new.location, new.note.as_deref())).await?;
    Ok((StatusCode::CREATED, Json(check.into())))
}

/// An inventory check, its lines and its discrepancies so far.
#[utoipa::path(get, path = "/api/v1/inventory-checks/{id}", operation_id = "getInventoryCheck", tag = "locations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CheckReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<CheckReport>> {
    let (id, catalogue) = (parse_id(&id, "inventory check")?, state.catalogue.clone());
    Ok(Json(blocking(move || catalogue.inventory_check(&viewer, id)).await?.into()))
}

/// Mark objects of an open check: found, missing, or found elsewhere.
#[utoipa::path(post, path = "/api/v1/inventory-checks/{id}/marks", operation_id = "markInventoryCheck", tag = "locations", params(("id" = i64, Path)), request_body = CheckMarks, security(("bearer" = [])),
    responses((status = 200, body = CheckReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    ApiJson(marks): ApiJson<CheckMarks>,
) -> ApiResult<Json<CheckReport>> {
    let (id, catalogue) = (parse_id(&id, "inventory check")?, state.catalogue.clone());
    let marks: Vec<_> = marks.marks.into_iter().map(|m| (m.accession, m.mark, m.found_in)).collect();
    Ok(Json(blocking(move || catalogue.mark_check(&user.name, id, &marks)).await?.into()))
}

/// Finish a check: what was expected and never marked counts as not seen. The answer is the report.
#[utoipa::path(post, path = "/api/v1/inventory-checks/{id}/finish", operation_id = "finishInventoryCheck", tag = "locations", params(("id" = i64, Path)), request_body = FinishCheck, security(("bearer" = [])),
    responses((status = 200, body = CheckReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn finish(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<FinishCheck>,
) -> ApiResult<Json<CheckReport>> {
    let (id, catalogue) = (parse_id(&id, "inventory check")?, state.catalogue.clone());
    Ok(Json(blocking(move || catalogue.finish_check(&user.name, id, f.correct)).await?.into()))
}
