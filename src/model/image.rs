//! Image metadata. The files themselves are handled by `crate::images`.

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
    pub width: u32,
    pub height: u32,
    /// `jpeg`, `png`, `tiff`, `webp`.
    pub format: String,
    /// SHA-256 of the original file, hex.
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photographer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
}
