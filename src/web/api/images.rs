//! `/api/v1/artefacts/{accession}/images` and `/api/v1/images/{id}`

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use serde_json::Value;

use crate::catalogue::images::AddOutcome;
use crate::web::AppState;

use crate::catalogue::AuditEntry;
use crate::model::image::{ImageOptions, ImageRecord};
use crate::model::role::Viewer;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{Caller, Editor, Patch, Staff, receive_file};

/// What an image upload must hold, for error messages.
const EXPECTED: &str = "the image in a field named `file`";

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    crate::web::extract::multipart_error(e, EXPECTED)
}

/// Upload an image of an artefact (curators).
///
/// A `multipart/form-data` body: the file in the field `file` (JPEG, PNG, TIFF or WebP, told
/// from its bytes), and optionally `role`, `visibility`, `caption_zh`, `caption_en`, `order`,
/// `photographer`, `rights` and `id` (to keep an identifier, and so IIIF URLs, from a former system).
#[utoipa::path(post, path = "/api/v1/artefacts/{accession}/images", operation_id = "uploadArtefactImage", tag = "images", security(("bearer" = [])),
    params(("accession" = String, Path, description = "Accession number")),
    request_body(content = super::forms::ImageUploadForm, content_type = "multipart/form-data", description = "the image in `file`, and its description"),
    responses((status = 201, body = AddOutcome, description = "added"),
        (status = 200, body = AddOutcome, description = "the artefact already had this file; nothing added"),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    Editor(who): Editor,
    Path(accession): Path<String>,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<AddOutcome>)> {
    let mut options = ImageOptions::default();
    let mut id = None;
    let mut upload = None;
    while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                if upload.is_some() {
                    return Err(AppError::field(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "validation_failed",
                        "file",
                        "send one image per request",
                    ));
                }
                upload = Some(receive_file(&state, &mut field, EXPECTED).await?);
            }
            "id" => id = Some(field.text().await.map_err(multipart_error)?.trim().to_string()),
            "role" | "visibility" | "caption_zh" | "caption_en" | "order" | "photographer" | "rights" => {
                let value = field.text().await.map_err(multipart_error)?;
                crate::web::uploads::image_option(&mut options, &name, value)?;
            }
            other => {
                return Err(AppError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    other,
                    "is not a field of an image upload (file, role, visibility, caption_zh, caption_en, order, photographer, rights, id)",
                ));
            }
        }
    }
    let upload = upload.ok_or_else(|| {
        AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "file", "is required: the image itself")
    })?;
    tracing::info!(%accession, bytes = upload.bytes, sha256 = %upload.sha256, "image upload");
    let outcome = state.catalogue.add_image(&who.name, &accession, upload, &options, id).await?;
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(outcome)))
}

/// An artefact's images, in order (the public sees the public images of published artefacts).
#[utoipa::path(get, path = "/api/v1/artefacts/{accession}/images", operation_id = "listArtefactImages", tag = "images",
    params(("accession" = String, Path, description = "Accession number")),
    responses((status = 200, body = Vec<ImageRecord>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(accession): Path<String>,
) -> ApiResult<Json<Vec<ImageRecord>>> {
    let catalogue = state.catalogue.clone();
    let a = accession.clone();
    let (artefact, images) = blocking(move || {
        Ok::<_, crate::catalogue::StoreError>((catalogue.artefact(&a)?, catalogue.images_of_accession(&a)?))
    })
    .await?;
    let artefact = artefact.ok_or_else(|| AppError::not_found(format!("there is no artefact {accession}")))?;
    if viewer == Viewer::Public {
        if crate::model::view::PublicArtefact::of(&artefact.record).is_none() {
            return Err(AppError::not_found(format!("there is no artefact {accession}")));
        }
        return Ok(Json(images.into_iter().filter(ImageRecord::visible_to_public).collect()));
    }
    Ok(Json(images))
}

async fn visible(state: &AppState, viewer: &Viewer, id: String) -> ApiResult<ImageRecord> {
    let catalogue = state.catalogue.clone();
    let shown = id.clone();
    let image = blocking(move || catalogue.image(&id)).await?;
    if *viewer == Viewer::Public && !image.visible_to_public() {
        return Err(AppError::not_found(format!("there is no image {shown}")));
    }
    Ok(image)
}

/// One image's description.
#[utoipa::path(get, path = "/api/v1/images/{id}", operation_id = "getImage", tag = "images",
    params(("id" = String, Path, description = "The image identifier, as in its IIIF URLs")),
    responses((status = 200, body = ImageRecord), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ImageRecord>> {
    Ok(Json(visible(&state, &viewer, id).await?))
}

/// Change an image's role, caption, order, visibility, photographer or rights (curators),
/// sending the `version` read.
#[utoipa::path(patch, path = "/api/v1/images/{id}", operation_id = "updateImage", tag = "images", security(("bearer" = [])),
    params(("id" = String, Path, description = "The image identifier, as in its IIIF URLs")),
    request_body = ImageOptions,
    responses((status = 200, body = ImageRecord), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Editor(who): Editor,
    Path(id): Path<String>,
    patch: Patch,
) -> ApiResult<Json<ImageRecord>> {
    let change: ImageOptions = serde_path_to_error::deserialize(Value::Object(patch.changes)).map_err(|e| {
        let field = e.path().to_string();
        AppError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            if field == "." { "body" } else { &field },
            e.into_inner().to_string(),
        )
    })?;
    let catalogue = state.catalogue.clone();
    let version = patch.version;
    Ok(Json(blocking(move || catalogue.update_image(&who.name, &id, version, &change)).await?))
}

/// An image's change history (staff).
#[utoipa::path(get, path = "/api/v1/images/{id}/history", operation_id = "imageHistory", tag = "images", security(("bearer" = [])),
    params(("id" = String, Path, description = "The image identifier, as in its IIIF URLs")),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    Staff(_): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let catalogue = state.catalogue.clone();
    Ok(Json(blocking(move || catalogue.image_history(&id)).await?))
}
