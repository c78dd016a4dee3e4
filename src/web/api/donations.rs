//! `/api/v1/donations`: acquisition events. Staff only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Paging, documents, parse_id};
use crate::catalogue::{AuditEntry, DonationFilter, Page};
use crate::model::donation::{Donation, DonationInput, DonationStatus};
use crate::model::view::{DonationRecord, Stored};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, ErrorBody};
use crate::web::extract::{ApiJson, ApiQuery, Editor, Patch, Staff};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only donations of this party.
    pub donor: Option<i64>,
    pub status: Option<DonationStatus>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// List donations.
#[utoipa::path(get, path = "/api/v1/donations", operation_id = "listDonations", tag = "donations", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Stored<Donation>>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<DonationRecord>>> {
    let filter = DonationFilter {
        donor_id: q.donor,
        status: q.status,
        page: Paging { page: q.page, per_page: q.per_page }.request()?,
        ..Default::default()
    };
    let catalogue = state.catalogue.clone();
    let found = blocking(move || catalogue.donations(&filter)).await?;
    Ok(Json(Page { items: found.items.into_iter().map(|d| d.for_staff(&viewer)).collect(), ..found }))
}

/// Read one donation.
#[utoipa::path(get, path = "/api/v1/donations/{id}", operation_id = "getDonation", tag = "donations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Stored<Donation>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<DonationRecord>> {
    Ok(Json(documents::read::<Donation>(&state, &id, &viewer).await?))
}

/// Record a donation.
#[utoipa::path(post, path = "/api/v1/donations", operation_id = "createDonation", tag = "donations", request_body = DonationInput, security(("bearer" = [])),
    responses((status = 201, body = Stored<Donation>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiJson(input): ApiJson<DonationInput>,
) -> ApiResult<documents::Created<Donation>> {
    let catalogue = state.catalogue.clone();
    let stored = blocking(move || catalogue.create_donation(&user.name, input)).await?;
    let location = format!("/api/v1/donations/{}", stored.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(stored)))
}

/// Change a donation (e.g. its status): send the `version` you read and the fields to change.
#[utoipa::path(patch, path = "/api/v1/donations/{id}", operation_id = "updateDonation", tag = "donations", params(("id" = i64, Path)), security(("bearer" = [])),
    request_body(content = super::forms::DonationChanges, description = "`version` plus the fields to change"),
    responses((status = 200, body = Stored<Donation>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    patch: Patch,
) -> ApiResult<Json<DonationRecord>> {
    documents::update::<DonationInput>(&state, user, &id, patch).await
}

/// Every change to a donation, oldest first.
#[utoipa::path(get, path = "/api/v1/donations/{id}/history", operation_id = "donationHistory", tag = "donations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    documents::history::<Donation>(&state, &id, &viewer).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NextAccession {
    /// The number the next item of this donation would get.
    pub accession_number: String,
}

/// The next free accession number for an item of this donation.
#[utoipa::path(get, path = "/api/v1/donations/{id}/next-accession", operation_id = "nextAccessionNumber", tag = "donations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = NextAccession), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn next_accession(
    State(state): State<AppState>,
    Staff(_): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<NextAccession>> {
    let id = parse_id(&id, "donation")?;
    let catalogue = state.catalogue.clone();
    let pattern = state.catalogue.config.accession_pattern.clone();
    let n = blocking(move || catalogue.next_accession(id, &pattern)).await?;
    Ok(Json(NextAccession { accession_number: n.to_string() }))
}

/// The objects' entry into the museum.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// The donation's version you read.
    pub version: i64,
    /// The day the objects came in, `2026-12-07`; today when left out.
    #[serde(default)]
    pub date: Option<String>,
    /// Who received them.
    #[serde(default)]
    pub received_by: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The objects leaving: the gift declined or returned.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitRequest {
    /// The donation's version you read.
    pub version: i64,
    /// `declined` or `returned`.
    pub outcome: String,
    /// The day they left, `2026-12-07`; today when left out.
    #[serde(default)]
    pub date: Option<String>,
    /// To whom they went.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Record the objects' entry: the gift gets the next entry number and is received; its
/// receipt (`receipt.pdf`) carries the number.
#[utoipa::path(post, path = "/api/v1/donations/{id}/entry", operation_id = "recordDonationEntry", tag = "donations", params(("id" = i64, Path)), request_body = EntryRequest, security(("bearer" = [])),
    responses((status = 200, body = Stored<Donation>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn entry(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<EntryRequest>,
) -> ApiResult<Json<DonationRecord>> {
    let (id, catalogue) = (parse_id(&id, "donation")?, state.catalogue.clone());
    let done = blocking(move || {
        let d = crate::catalogue::entry::EventDetails {
            date: r.date.as_deref(),
            person: r.received_by.as_deref(),
            note: r.note.as_deref(),
        };
        catalogue.record_entry(&user.name, id, r.version, &d)
    })
    .await?;
    Ok(Json(done))
}

/// Record the objects' exit: the gift was declined or returned. Refused while one of its
/// objects is accessioned and still in the collection.
#[utoipa::path(post, path = "/api/v1/donations/{id}/exit", operation_id = "recordDonationExit", tag = "donations", params(("id" = i64, Path)), request_body = ExitRequest, security(("bearer" = [])),
    responses((status = 200, body = Stored<Donation>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn exit(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<ExitRequest>,
) -> ApiResult<Json<DonationRecord>> {
    let (id, catalogue) = (parse_id(&id, "donation")?, state.catalogue.clone());
    let done = blocking(move || {
        let d = crate::catalogue::entry::EventDetails {
            date: r.date.as_deref(),
            person: r.to.as_deref(),
            note: r.note.as_deref(),
        };
        catalogue.record_exit(&user.name, id, r.version, &r.outcome, &d)
    })
    .await?;
    Ok(Json(done))
}
