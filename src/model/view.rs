//! What each kind of reader is shown. Response types are not storage types:
//! the public view is built from an allowlist, so a new private field can
//! never reach the public by default.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::artefact::{
    Artefact, ArtefactPrivate, Dimensions, Inscription, PublicationStatus, Quantity, Reproduction, TransferMethod,
};
use super::common::{LocalText, RecordSource};
use super::date::HistoricalDate;
use super::donation::Donation;
use super::party::{Contact, Party};
use super::role::Viewer;

/// A stored record with its identity and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Stored<T> {
    pub id: i64,
    /// Send it back with an update; a stale version is refused with 409.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub record: T,
}

pub type ArtefactRecord = Stored<Artefact>;
pub type PartyRecord = Stored<Party>;
pub type DonationRecord = Stored<Donation>;

/// Removes what only curators may see.
pub trait Redact {
    fn redact_private(&mut self);
}

impl Redact for Artefact {
    fn redact_private(&mut self) {
        self.body.private = ArtefactPrivate::default();
    }
}

impl Redact for Party {
    fn redact_private(&mut self) {
        self.contact = Contact::default();
        self.internal_notes = None;
    }
}

impl Redact for Donation {
    fn redact_private(&mut self) {
        self.internal_notes = None;
    }
}

impl<T: Redact> Stored<T> {
    /// The record as `viewer` may see it (staff only; the public gets a public view type).
    pub fn for_staff(mut self, viewer: &Viewer) -> Self {
        if !viewer.sees_private() {
            self.record.redact_private();
        }
        self
    }
}

/// A maker as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublicMaker {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A provenance step as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublicProvenance {
    pub owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<TransferMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A published artefact as anyone may see it: an allowlist of public fields.
// `deny_unknown_fields` only tells the OpenAPI schema that nothing else appears
// (`additionalProperties: false`), so a staff record cannot pass for a public one.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicArtefact {
    /// The record's id, used by the search indexes; not shown.
    #[serde(skip)]
    pub id: i64,
    pub accession_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub donation_id: Option<i64>,
    pub title: LocalText,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_titles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub makers: Vec<PublicMaker>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technique: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inscriptions: Vec<Inscription>,
    #[serde(skip_serializing_if = "LocalText::is_empty")]
    pub description: LocalText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acquisition_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acquired: Option<HistoricalDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reproduction: Option<Reproduction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<PublicProvenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_source: Option<RecordSource>,
}

impl PublicArtefact {
    /// The public view of a record, or `None` when the public may not see it at all.
    pub fn of(a: &Artefact) -> Option<PublicArtefact> {
        PublicArtefact::with_id(0, a)
    }

    /// The public view of stored record `id`.
    pub fn with_id(id: i64, a: &Artefact) -> Option<PublicArtefact> {
        if a.body.status != PublicationStatus::Published || a.deaccession.is_some() {
            return None;
        }
        Some(PublicArtefact::fields(id, a))
    }

    /// The public fields of a record whatever its status (for staff previewing what will be published).
    pub fn fields(id: i64, a: &Artefact) -> PublicArtefact {
        let b = &a.body;
        PublicArtefact {
            id,
            accession_number: a.accession_number.to_string(),
            donation_id: b.donation_id,
            title: b.title.clone(),
            other_titles: b.other_titles.clone(),
            object_name: b.object_name.clone(),
            category: b.category.clone(),
            makers: b.makers.iter().map(|m| PublicMaker { name: m.name.clone(), role: m.role.clone() }).collect(),
            date: b.date.clone(),
            period: b.period.clone(),
            materials: b.materials.clone(),
            technique: b.technique.clone(),
            dimensions: b.dimensions.clone(),
            inscriptions: b.inscriptions.clone(),
            description: b.description.clone(),
            quantity: b.quantity.clone(),
            acquisition_method: b.acquisition_method.clone(),
            acquired: b.acquired.clone(),
            reproduction: b.reproduction.clone(),
            rights: b.rights.clone(),
            credit_line: b.credit_line.clone(),
            department: b.department.clone(),
            provenance: b
                .provenance
                .iter()
                .filter(|p| p.public)
                .map(|p| PublicProvenance {
                    owner: p.owner.clone(),
                    method: p.method,
                    date: p.date.clone(),
                    place: p.place.clone(),
                    source: p.source.clone(),
                })
                .collect(),
            record_source: b.record_source.clone(),
        }
    }
}
