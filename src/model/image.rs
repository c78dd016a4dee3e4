//! Image metadata. The files themselves are handled by the images part (`images/`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::LocalText;

/// What an image shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImageRole {
    #[default]
    Primary,
    Detail,
    Verso,
    Inscription,
    Condition,
    Document,
}

impl ImageRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageRole::Primary => "primary",
            ImageRole::Detail => "detail",
            ImageRole::Verso => "verso",
            ImageRole::Inscription => "inscription",
            ImageRole::Condition => "condition",
            ImageRole::Document => "document",
        }
    }

    /// Condition photographs and scanned documents (deeds of gift) are internal unless chosen otherwise.
    pub fn default_visibility(self) -> Visibility {
        match self {
            ImageRole::Condition | ImageRole::Document => Visibility::Internal,
            _ => Visibility::Public,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Public,
    Internal,
}

/// One image of an artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImageMeta {
    /// Stable identifier, used in IIIF URLs.
    pub id: String,
    pub role: ImageRole,
    #[serde(default, skip_serializing_if = "LocalText::is_empty")]
    pub caption: LocalText,
    pub order: u32,
    pub visibility: Visibility,
    /// Pixel size as displayed (after the file's orientation is applied).
    pub width: u32,
    pub height: u32,
    /// `jpeg`, `png`, `tiff`, `webp`.
    pub format: String,
    /// SHA-256 of the original file, hex.
    pub sha256: String,
    /// Size of the original file in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Colour model and depth of the original, e.g. `rgb8`, `rgb16`, `cmyk8`.
    #[serde(default)]
    pub color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photographer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
}

impl ImageMeta {
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }
}

/// What a curator says about an image when adding or changing it; unset fields keep their value
/// (or, for a new image, take the default for its role).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<ImageRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<LocalText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photographer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
}

impl ImageOptions {
    pub fn apply(&self, meta: &mut ImageMeta) {
        if let Some(r) = self.role {
            meta.role = r;
        }
        if let Some(v) = self.visibility {
            meta.visibility = v;
        }
        if let Some(c) = &self.caption {
            meta.caption = c.clone();
        }
        if let Some(o) = self.order {
            meta.order = o;
        }
        if let Some(p) = &self.photographer {
            meta.photographer = Some(p.clone()).filter(|p| !p.trim().is_empty());
        }
        if let Some(r) = &self.rights {
            meta.rights = Some(r.clone()).filter(|r| !r.trim().is_empty());
        }
    }
}

/// Checks an image identifier chosen by a curator (e.g. kept from a former system so that its
/// IIIF URLs keep working): 1–128 letters, digits, `-`, `_` or `.`, not starting with `.`.
pub fn check_image_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 128 {
        return Err("must be 1 to 128 characters long".into());
    }
    if id.starts_with('.') {
        return Err("must not start with a dot".into());
    }
    if let Some(c) = id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(format!("may hold only letters, digits, `-`, `_` and `.`, not `{c}`"));
    }
    Ok(())
}

/// A stored image with its place in the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImageRecord {
    #[serde(flatten)]
    pub meta: ImageMeta,
    /// The artefact it shows.
    pub accession_number: String,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    #[serde(skip)]
    pub artefact_id: i64,
    /// Whether the artefact is published (and not deaccessioned).
    #[serde(skip)]
    pub artefact_published: bool,
}

impl ImageRecord {
    /// Whether the public may see this image: a public image of a published artefact.
    pub fn visible_to_public(&self) -> bool {
        self.artefact_published && self.meta.is_public()
    }
}
