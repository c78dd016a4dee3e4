//! `catalogue images add|rebuild` and `catalogue fixity`.

use std::path::PathBuf;

use anyhow::bail;

use super::progress::{Bars, bar};
use crate::catalogue::images::AddError;
use crate::catalogue::{Catalogue, ImageError};
use crate::model::image::{ImageOptions, Visibility};

/// Adds each file to the artefact; every file is tried, and the command fails if any was refused.
pub async fn add(
    state: &Catalogue,
    accession: &str,
    files: &[PathBuf],
    options: ImageOptions,
    id: Option<String>,
    as_user: Option<&str>,
) -> anyhow::Result<()> {
    if id.is_some() && files.len() > 1 {
        bail!("--id names one image; add the files one at a time to give each its identifier");
    }
    let actor = super::actor_name(state, as_user, "system:images")?;
    if state.artefact(accession)?.is_none() {
        bail!("there is no artefact {accession}; check the accession number");
    }
    let progress = bar(files.len() as u64, "adding images");
    let mut refused = 0;
    for file in files {
        progress.set_message(file.display().to_string());
        let result = async {
            let upload = state.upload_from_path(file).map_err(AddError::from)?;
            state.add_image(&actor, accession, upload, &options, id.clone()).await
        }
        .await;
        progress.inc(1);
        match result {
            Ok(outcome) => {
                let m = &outcome.image.meta;
                let verb = if outcome.created { "added" } else { "already there" };
                progress.suspend(|| {
                    println!(
                        "{verb}: {} → image {} ({}×{} {}, {:?}, {:?})",
                        file.display(),
                        m.id,
                        m.width,
                        m.height,
                        m.format,
                        m.role,
                        m.visibility
                    )
                });
                for w in outcome.warnings {
                    progress.suspend(|| println!("  note: {w}"));
                }
            }
            Err(e) => {
                refused += 1;
                let why = match &e {
                    AddError::Image(ImageError::Io(io)) if io.kind() == std::io::ErrorKind::NotFound => {
                        "no such file".to_string()
                    }
                    other => other.to_string(),
                };
                progress.suspend(|| println!("refused: {}: {why}", file.display()));
            }
        }
    }
    progress.finish_and_clear();
    if refused > 0 {
        bail!("{refused} of {} files were refused; nothing was stored for them", files.len());
    }
    Ok(())
}

pub fn options(
    role: Option<crate::model::image::ImageRole>,
    internal: bool,
    caption_zh: Option<String>,
    caption_en: Option<String>,
    photographer: Option<String>,
    rights: Option<String>,
) -> ImageOptions {
    let caption = (caption_zh.is_some() || caption_en.is_some())
        .then_some(crate::model::common::LocalText { zh: caption_zh, en: caption_en });
    ImageOptions {
        role,
        visibility: internal.then_some(Visibility::Internal),
        caption,
        order: None,
        photographer,
        rights,
    }
}

/// Makes every original's derivatives again.
pub async fn rebuild(state: &Catalogue) -> anyhow::Result<()> {
    let (total, failed) = state.rebuild_all_derivatives(&Bars::default()).await?;
    println!("rebuilt the derivatives of {} originals", total - failed);
    if failed > 0 {
        bail!("{failed} originals could not be read; run `catalogue fixity` to check them");
    }
    Ok(())
}

/// Re-hashes every original; lists the missing and the changed, and fails if there are any.
pub async fn fixity(state: &Catalogue) -> anyhow::Result<()> {
    let (total, problems) = state.fixity(&Bars::default()).await?;
    if problems.is_empty() {
        println!("fixity: all {total} originals present and intact");
        Ok(())
    } else {
        bail!("fixity: {} of {total} originals are missing or changed", problems.len())
    }
}
