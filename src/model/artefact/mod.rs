//! The artefact (藏品): what is catalogued, and its input form.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::accession::AccessionNumber;
use super::common::{DateInput, LocalText, Money, RecordSource};
use super::date::HistoricalDate;
use super::dimensions::Dimension;

mod input;

pub use input::{ArtefactInput, Rules};

/// Titles, names, credit lines: generous, since real catalogues write long ones.
const SHORT: usize = 2_000;
const LONG: usize = 20_000;

/// Who may see a record outside the museum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// Being catalogued.
    #[default]
    Draft,
    /// Catalogued, visible to staff and researchers only.
    Internal,
    /// Visible to everyone.
    Published,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationStatus::Draft => "draft",
            PublicationStatus::Internal => "internal",
            PublicationStatus::Published => "published",
        }
    }
}

/// A maker of the artefact with their role (`painter`, `calligrapher`, `printer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Maker {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The party record of the maker, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_id: Option<i64>,
}

/// An inscription or mark: transcription, where it is, what it says in translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Inscription {
    /// `dedication` (上款), `signature` (落款), `seal`, `colophon`, `mark` …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The transcription as written on the object.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// Notes on the reading, e.g. who is addressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How an object passed from one owner or custodian to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferMethod {
    Creation,
    ByDescent,
    Gift,
    Bequest,
    Purchase,
    Commission,
    Exchange,
    Transfer,
    Excavation,
    Unknown,
}

/// One step in an artefact's history of ownership or custody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProvenanceEvent {
    /// The owner or custodian.
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<TransferMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The source of the claim: a letter, a newspaper report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// False keeps the step off public pages (e.g. a living private owner).
    #[serde(default = "yes")]
    pub public: bool,
}

fn yes() -> bool {
    true
}

/// Input form of a provenance event (its date may be plain text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceInput {
    pub owner: Option<String>,
    #[serde(default)]
    pub party_id: Option<i64>,
    #[serde(default)]
    pub method: Option<TransferMethod>,
    #[serde(default)]
    pub date: Option<DateInput>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default = "yes")]
    pub public: bool,
}

/// The artefact is a copy (e.g. a 1:1 printed reproduction), not the original work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reproduction {
    /// What kind of copy and how it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The original work, described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// The original's accession number, where this or another catalogue holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_accession: Option<String>,
}

/// A count with its measure word (`1件`, `2套`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    pub count: u32,
    /// 件 (piece), 套 (set) …
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum QuantityInput {
    Text(String),
    Full(Quantity),
}

crate::model::common::text_or_object!(
    QuantityInput,
    Quantity,
    "the quantity as text, e.g. \"1件\", or an object with `count` and `unit`"
);

/// Dimensions: the text as written and the structured values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dimensions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The text says there is no measurement yet (`待测量`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_measured: bool,
    #[serde(default)]
    pub items: Vec<Dimension>,
}

/// Dimensions given as text to parse, or as text with structured values.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum DimensionsInput {
    Text(String),
    Full(Dimensions),
}

crate::model::common::text_or_object!(
    DimensionsInput,
    Dimensions,
    "the dimensions as text, e.g. \"纵23.7厘米，横20.6厘米\", or an object with `text` and `items`"
);

/// Fields only curators see: never on a public page, in the public index, or shown to researchers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtefactPrivate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valuation: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
}

impl ArtefactPrivate {
    pub fn is_empty(&self) -> bool {
        *self == ArtefactPrivate::default()
    }
}

/// The recorded removal of an artefact from the collection. Nothing is hard-deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Deaccession {
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// An artefact's catalogue fields (everything but its accession number and deaccession).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArtefactBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donation_id: Option<i64>,
    pub title: LocalText,
    /// Other titles (曾用名).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_titles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    /// Code of the 类别 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub makers: Vec<Maker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    /// Code of the 年代 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Codes of the 质地 vocabulary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    /// Medium or technique as written (`ink on paper`, `Gelatin silver photograph`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technique: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inscriptions: Vec<Inscription>,
    #[serde(default, skip_serializing_if = "LocalText::is_empty")]
    pub description: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// Code of the 完残程度 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<String>,
    /// Code of the 保存状态 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preservation: Option<String>,
    /// Code of the 级别 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Code of the 来源方式 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquisition_method: Option<String>,
    /// 具体来源: where it came from, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
    /// 入藏日期: when it entered the collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquired: Option<HistoricalDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduction: Option<Reproduction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line: Option<String>,
    /// The curatorial department that keeps it, as the museum names it (`Drawings & Prints`, 书画部).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<ProvenanceEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_source: Option<RecordSource>,
    #[serde(default)]
    pub status: PublicationStatus,
    #[serde(default, skip_serializing_if = "ArtefactPrivate::is_empty")]
    pub private: ArtefactPrivate,
}

/// A stored artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Artefact {
    /// 总登记号.
    #[schema(value_type = String, example = "2023.15.1")]
    pub accession_number: AccessionNumber,
    #[serde(flatten)]
    pub body: ArtefactBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deaccession: Option<Deaccession>,
}

/// A validated artefact not yet stored; without a number the store assigns the donation's next one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArtefact {
    pub accession_number: Option<AccessionNumber>,
    pub body: ArtefactBody,
}

/// Object fields of an artefact a PATCH merges key by key rather than replacing.
pub const PATCH_MERGED: &[&str] = &["title", "description", "private", "reproduction", "record_source"];
