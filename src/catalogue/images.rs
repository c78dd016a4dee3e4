//! Adding an image to an artefact, the same way for the API and the command
//! line: check the record and the identifier, decode and derive, store the
//! original, then record the image with its audit row in one transaction.
//! A refused file leaves nothing behind.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use crate::images::{ImageError, ImageService, Upload, new_image_id};
use crate::model::image::{ImageMeta, ImageOptions, ImageRecord, ImageRole, check_image_id};
use crate::model::validation::ValidationErrors;
use crate::store::images::Added;
use crate::store::{Store, StoreError};

/// Why an image was not added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The result of adding an image.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddOutcome {
    pub image: ImageRecord,
    /// False when the artefact already had this very file (same SHA-256): nothing was added.
    pub created: bool,
    /// Things worth knowing, e.g. that only the first page of a multi-page TIFF is shown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Identifiers the IIIF routes use for themselves.
const RESERVED_IDS: &[&str] = &["manifests", "info.json"];

pub async fn add_image(
    store: &Arc<Store>,
    images: &ImageService,
    actor: &str,
    accession: &str,
    upload: Upload,
    options: &ImageOptions,
    id: Option<String>,
) -> Result<AddOutcome, AddError> {
    if let Some(id) = &id {
        let problem = check_image_id(id)
            .err()
            .or_else(|| RESERVED_IDS.contains(&id.as_str()).then(|| "is a word the IIIF routes reserve".to_string()));
        if let Some(problem) = problem {
            return Err(StoreError::from(ValidationErrors::single("id", problem)).into());
        }
    }
    let found = {
        let store = store.clone();
        let accession = accession.to_string();
        super::blocking(move || store.artefact(&accession)).await?
    };
    if found.is_none() {
        return Err(StoreError::not_found("artefact", accession).into());
    }
    let ingested = images.ingest(&upload).await?;
    let role = options.role.unwrap_or(ImageRole::Primary);
    let mut meta = ImageMeta {
        id: id.unwrap_or_else(new_image_id),
        role,
        caption: Default::default(),
        order: 0,
        visibility: role.default_visibility(),
        width: ingested.pyramid.width,
        height: ingested.pyramid.height,
        format: ingested.original.format.to_string(),
        sha256: ingested.sha256.clone(),
        bytes: ingested.bytes,
        color: ingested.original.color.clone(),
        photographer: None,
        rights: None,
    };
    options.apply(&mut meta);
    let added = {
        let store = store.clone();
        let (actor, accession) = (actor.to_string(), accession.to_string());
        super::blocking(move || store.add_image(&actor, &accession, meta)).await
    };
    match added {
        Ok(Added::Created(image)) => Ok(AddOutcome { image, created: true, warnings: ingested.warnings }),
        Ok(Added::Existing(image)) => {
            let mut warnings = ingested.warnings;
            warnings.push(format!(
                "artefact {accession} already has this file as image {}; nothing was added",
                image.meta.id
            ));
            Ok(AddOutcome { image, created: false, warnings })
        }
        Err(e) => {
            let in_use = store.original_in_use(&ingested.sha256).unwrap_or(true);
            if !in_use {
                if ingested.stored {
                    images.discard_original(&ingested.sha256).await;
                }
                let _ = std::fs::remove_dir_all(&images.derivative_dir(&ingested.sha256).0);
            }
            Err(e.into())
        }
    }
}
