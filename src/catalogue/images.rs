//! Adding an image to an artefact, the same way for the API and the command
//! line: check the record and the identifier, decode and derive, store the
//! original, then record the image with its audit row in one transaction.
//! A refused file leaves nothing behind.

use std::path::Path;

use super::{Catalogue, Progress};

use serde::Serialize;
use utoipa::ToSchema;

use crate::images::derive::Pyramid;
use crate::images::image_api::{Crop, ImageRequest, render};
use crate::images::{ImageError, Upload, UploadWriter, new_image_id};
use crate::model::image::{ImageMeta, ImageOptions, ImageRecord, ImageRole, check_image_id};
use crate::model::validation::ValidationErrors;
use crate::store::StoreError;
use crate::store::images::Added;

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

impl Catalogue {
    /// Adds `upload` to the artefact `accession` as `actor`; `id` names the image (else one is made).
    pub async fn add_image(
        &self,
        actor: &str,
        accession: &str,
        upload: Upload,
        options: &ImageOptions,
        id: Option<String>,
    ) -> Result<AddOutcome, AddError> {
        let (store, images) = (&self.store, &self.images);
        if let Some(id) = &id {
            let problem = check_image_id(id).err().or_else(|| {
                RESERVED_IDS.contains(&id.as_str()).then(|| "is a word the IIIF routes reserve".to_string())
            });
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

    /// A file on disk as an upload, checked against the size limit.
    pub fn upload_from_path(&self, path: &Path) -> Result<Upload, ImageError> {
        self.images.upload_from_path(path)
    }

    /// Somewhere to stream an upload to, refusing it past the configured size limit.
    pub fn upload_writer(&self) -> Result<UploadWriter, ImageError> {
        Ok(UploadWriter::new(self.images.temp_file()?, self.images.settings.max_upload_bytes))
    }

    /// The image's pyramid of derivatives, made again from the original if it is missing.
    pub async fn pyramid(&self, image: &ImageRecord) -> Result<Pyramid, ImageError> {
        match self.images.pyramid(&image.meta.sha256) {
            Some(p) => Ok(p),
            None => {
                tracing::warn!(image = image.meta.id, "derivatives missing; making them again");
                self.images.rebuild(&image.meta.sha256).await
            }
        }
    }

    /// The bytes of an IIIF Image API request: a stored tile when it asks for one, else rendered.
    pub async fn iiif_image(
        &self,
        image: &ImageRecord,
        req: ImageRequest,
        plan: Crop,
        pyramid: Pyramid,
    ) -> Result<Vec<u8>, ImageError> {
        let dir = self.images.derivative_dir(&image.meta.sha256);
        match req.as_tile(&plan, &pyramid) {
            // OpenSeadragon and other viewers ask for the tiles info.json lists: those are on disk already.
            Some((k, col, row)) => Ok(tokio::fs::read(dir.tile(k, col, row)).await?),
            None => super::blocking(move || render(&req, &plan, &pyramid, &dir)).await,
        }
    }

    /// Makes every original's derivatives again; returns (originals, how many could not be
    /// read), each failure noted.
    pub async fn rebuild_all_derivatives(&self, progress: &dyn Progress) -> Result<(usize, usize), AddError> {
        let originals = {
            let c = self.clone();
            super::blocking(move || c.image_originals()).await?
        };
        progress.stage("rebuilding derivatives", originals.len() as u64);
        let mut failed = 0;
        for (sha, id) in &originals {
            if let Err(e) = self.images.rebuild(sha).await {
                failed += 1;
                progress.note(&format!("failed: image {id} (original {sha}): {e}"));
            }
            progress.advance(1);
        }
        progress.done();
        Ok((originals.len(), failed))
    }

    /// Re-hashes every original; returns how many there are and the images whose original is
    /// missing or changed, each noted.
    pub async fn fixity(&self, progress: &dyn Progress) -> Result<(usize, Vec<String>), AddError> {
        let originals = {
            let c = self.clone();
            super::blocking(move || c.image_originals()).await?
        };
        progress.stage("checking originals", originals.len() as u64);
        let mut problems = Vec::new();
        for (sha, id) in &originals {
            if let Some(p) = self.images.verify(sha).await? {
                progress.note(&format!("MISMATCH image {id} (original {sha}): {p}"));
                problems.push(id.clone());
            }
            progress.advance(1);
        }
        progress.done();
        Ok((originals.len(), problems))
    }
}
