//! The handlers parties and donations share, both being document records: read, create, update, history.

use axum::Json;
use axum::http::{StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::parse_id;
use crate::catalogue::{AuditEntry, DocRecord};
use crate::model::role::{Principal, Viewer};
use crate::model::validation::Validate;
use crate::model::view::{Redact, Stored};
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::Patch;

/// A record by the id in the path, as `viewer` may see it.
pub async fn read<T>(state: &AppState, raw_id: &str, viewer: &Viewer) -> ApiResult<Stored<T>>
where
    T: DocRecord + Redact + Send + 'static,
{
    let name = T::ENTITY.as_str();
    let id = parse_id(raw_id, name)?;
    let catalogue = state.catalogue.clone();
    let found = blocking(move || catalogue.record::<T>(id)).await?;
    Ok(found.ok_or_else(|| AppError::not_found(format!("there is no {name} {id}")))?.for_staff(viewer))
}

pub type Created<T> = (StatusCode, [(header::HeaderName, String); 1], Json<Stored<T>>);

/// Validates and stores a new record, answering 201 with its location.
pub async fn create<I>(state: &AppState, user: Principal, input: I, collection: &str) -> ApiResult<Created<I::Output>>
where
    I: Validate + Send + 'static,
    I::Output: DocRecord + Send + Sync + 'static,
{
    let catalogue = state.catalogue.clone();
    let stored = blocking(move || catalogue.create_record(&user.name, input)).await?;
    let location = format!("/api/v1/{collection}/{}", stored.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(stored)))
}

/// Applies a PATCH as `user`.
pub async fn update<I>(
    state: &AppState,
    user: Principal,
    raw_id: &str,
    patch: Patch,
) -> ApiResult<Json<Stored<I::Output>>>
where
    I: Validate + DeserializeOwned + 'static,
    I::Output: DocRecord + Serialize + Send + 'static,
{
    let id = parse_id(raw_id, I::Output::ENTITY.as_str())?;
    let catalogue = state.catalogue.clone();
    let stored = blocking(move || catalogue.update_record::<I>(&user.name, id, patch.version, &patch.changes)).await?;
    Ok(Json(stored))
}

/// Every change to the record, oldest first, as `viewer` may see it.
pub async fn history<T>(state: &AppState, raw_id: &str, viewer: &Viewer) -> ApiResult<Json<Vec<AuditEntry>>>
where
    T: DocRecord + Redact + Send + 'static,
{
    let record = read::<T>(state, raw_id, viewer).await?;
    let catalogue = state.catalogue.clone();
    let viewer = viewer.clone();
    let entries = blocking(move || catalogue.history_as::<T>(T::ENTITY, record.id, &viewer)).await?;
    Ok(Json(entries))
}
