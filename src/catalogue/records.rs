//! Creating and editing records: artefacts, parties (donors) and donations. Validation
//! happens here, once, for the API, the workspace and the command line alike; the store
//! checks the version and the references in the transaction that writes.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::Catalogue;
use crate::model::artefact::{Artefact, ArtefactBody, ArtefactInput, PATCH_MERGED, Rules};
use crate::model::donation::DonationInput;
use crate::model::patch;
use crate::model::strict::from_value_with_path;
use crate::model::validation::{Validate, ValidationErrors};
use crate::model::view::{ArtefactRecord, DonationRecord, Stored};
use crate::model::vocab::Vocabularies;
use crate::store::{DocRecord, Result};

/// The merged document of a record and a PATCH.
fn merged(record: &impl serde::Serialize, changes: &Map<String, Value>, fields: &[&str]) -> Result<Value> {
    let Value::Object(mut merged) = serde_json::to_value(record)? else { unreachable!("records serialise to objects") };
    patch::apply(&mut merged, changes, fields);
    Ok(Value::Object(merged))
}

/// An artefact's body with a PATCH applied, validated whole (its number and deaccession are
/// not the PATCH's to change).
pub(super) fn artefact_patched(
    current: &Artefact,
    changes: &Map<String, Value>,
    vocab: &Vocabularies,
) -> Result<ArtefactBody> {
    let mut doc = merged(current, changes, PATCH_MERGED)?;
    if let Value::Object(o) = &mut doc {
        o.remove("deaccession");
    }
    let input: ArtefactInput = from_value_with_path(doc)?;
    Ok(input.validate(&Rules { vocab, pattern: None, implied_unit: None })?.body)
}

/// A party or donation with a PATCH applied, validated whole.
pub fn patched<I>(current: &I::Output, changes: &Map<String, Value>, vocab: &Vocabularies) -> Result<I::Output>
where
    I: Validate + DeserializeOwned,
    I::Output: DocRecord,
{
    let input: I = from_value_with_path(merged(current, changes, I::Output::MERGED)?)?;
    Ok(input.validate(vocab)?)
}

impl Catalogue {
    /// Validates and stores a new artefact; without an accession number it takes its
    /// donation's next number from the pattern.
    pub fn create_artefact(&self, actor: &str, input: ArtefactInput) -> Result<ArtefactRecord> {
        let vocab = self.vocabularies();
        let pattern = &self.config.accession_pattern;
        let new = input.validate(&Rules { vocab: &vocab, pattern: Some(pattern), implied_unit: None })?;
        self.store.create_artefact(actor, new, pattern)
    }

    /// Validates and stores a new party or donation.
    pub fn create_record<I>(&self, actor: &str, input: I) -> Result<Stored<I::Output>>
    where
        I: Validate,
        I::Output: DocRecord,
    {
        let record = input.validate(&self.vocabularies())?;
        self.store.create_record(actor, &record)
    }

    /// Validates and stores a new donation; one without a number takes the next of its year,
    /// so that its items can be numbered from the accession pattern.
    pub fn create_donation(&self, actor: &str, input: DonationInput) -> Result<DonationRecord> {
        let donation = input.validate(&self.vocabularies())?;
        self.store.create_donation(actor, donation)
    }

    /// The one edit of an artefact: `changes` (a PATCH: each field named replaces the stored one,
    /// `null` clears it, [`PATCH_MERGED`] objects merge) applied to the record read at `version`,
    /// the result validated whole. A stale version is a conflict; nothing is written.
    pub fn update_artefact(
        &self,
        actor: &str,
        accession: &str,
        version: i64,
        changes: &Map<String, Value>,
    ) -> Result<ArtefactRecord> {
        if let Some(n) = changes.get("accession_number").filter(|n| n.as_str() != Some(accession)) {
            return Err(ValidationErrors::single(
                "accession_number",
                format!("accession numbers are permanent: {accession} cannot become {n}"),
            )
            .into());
        }
        if changes.contains_key("deaccession") {
            return Err(
                ValidationErrors::single("deaccession", "use POST …/deaccession to deaccession an artefact").into()
            );
        }
        let vocab = self.vocabularies();
        self.store.change_artefact(actor, accession, version, |current| artefact_patched(current, changes, &vocab))
    }

    /// The one edit of a party or donation, as [`Catalogue::update_artefact`].
    pub fn update_record<I>(
        &self,
        actor: &str,
        id: i64,
        version: i64,
        changes: &Map<String, Value>,
    ) -> Result<Stored<I::Output>>
    where
        I: Validate + DeserializeOwned,
        I::Output: DocRecord,
    {
        let vocab = self.vocabularies();
        self.store.change_record(actor, id, version, |current: &I::Output| patched::<I>(current, changes, &vocab))
    }

    /// Accessions a donation: each of its draft items becomes an accessioned (internal) record,
    /// and the donation is marked accessioned. Items keep the numbers they were given.
    pub fn accession_donation(&self, actor: &str, id: i64) -> Result<()> {
        use crate::model::artefact::PublicationStatus;
        use crate::model::donation::{DonationInput, DonationStatus};
        use crate::store::{ArtefactFilter, PageRequest, StoreError};
        let drafts = self.store.artefacts(&ArtefactFilter {
            donation_id: Some(id),
            status: Some(PublicationStatus::Draft),
            page: PageRequest { page: 1, per_page: 200 },
            ..Default::default()
        })?;
        let change = serde_json::json!({"status": "internal"});
        for a in drafts.items {
            self.update_artefact(
                actor,
                a.record.accession_number.as_str(),
                a.version,
                change.as_object().expect("object"),
            )?;
        }
        let donation = self.store.donation(id)?.ok_or_else(|| StoreError::not_found("donation", id))?;
        if donation.record.status != DonationStatus::Accessioned {
            let change = serde_json::json!({"status": "accessioned"});
            self.update_record::<DonationInput>(actor, id, donation.version, change.as_object().expect("object"))?;
        }
        Ok(())
    }

    /// Records that the artefact left the collection, and why; the record stays. The reason
    /// is required.
    pub fn deaccession(&self, actor: &str, accession: &str, version: i64, reason: &str) -> Result<ArtefactRecord> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(
                ValidationErrors::single("reason", "is required: say why the artefact leaves the collection").into()
            );
        }
        self.store.deaccession(actor, accession, version, reason)
    }

    /// Changes an image's role, visibility, caption or rights, at the `version` read.
    pub fn update_image(
        &self,
        actor: &str,
        id: &str,
        version: i64,
        change: &crate::model::image::ImageOptions,
    ) -> Result<crate::model::image::ImageRecord> {
        self.store.update_image(actor, id, version, change)
    }

    /// Adds or changes a vocabulary term; forms and pages use the new list at once.
    pub fn save_term(&self, actor: &str, vocabulary: &str, term: &crate::model::vocab::Term) -> Result<bool> {
        let saved = self.store.save_term(actor, vocabulary, term)?;
        self.reload_vocabularies()?;
        Ok(saved)
    }
}
