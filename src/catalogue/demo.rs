//! The demo catalogue: the first real donation (the 15th donation ceremony)
//! and a few hundred real records of the open museum datasets, so a newcomer
//! sees a living catalogue. Loading is idempotent.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::interchange::open_data::SourceRecord;
use crate::model::accession::AccessionPattern;
use crate::model::artefact::{ArtefactInput, Rules};
use crate::model::donation::DonationInput;
use crate::model::party::PartyInput;
use crate::model::validation::{Validate, ValidationErrors};
use crate::model::vocab::Vocabularies;
use crate::store::{DonationFilter, MoveOrder, PageRequest, Store, StoreError};

const SEED: &str = include_str!("../../assets/demo/seed.json");
const RECORDS: &str = include_str!("../../assets/demo/records.jsonl");
/// Records of real photographs, each described as what it shows, with the photograph attached.
const PHOTOGRAPHS: &str = include_str!("../../assets/demo/photographs.jsonl");

/// Each photograph record's image: accession number, bytes, caption (zh, en), rights.
const PHOTOGRAPH_FILES: &[(&str, &[u8], &str, &str, &str)] = &[
    (
        "DEMO-PH-1",
        include_bytes!("../../assets/demo/images/coins.png"),
        "希腊钱币照片",
        "Greek coins",
        "No known copyright restrictions (Brooklyn Museum)",
    ),
    (
        "DEMO-PH-2",
        include_bytes!("../../assets/demo/images/grace_hopper.jpg"),
        "葛丽丝·霍普肖像照片",
        "Portrait of Grace M. Hopper",
        "Public domain (United States Navy)",
    ),
    ("DEMO-PH-3", include_bytes!("../../assets/demo/images/page.png"), "印刷文字页扫描件", "Scanned page", "CC0 1.0"),
];
const ACTOR: &str = "system:demo";
const LOADED: &str = "demo_loaded";

/// What a load did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub parties: usize,
    pub donations: usize,
    pub artefacts: usize,
    /// Records already present (e.g. a second load).
    pub skipped: usize,
}

#[derive(Deserialize)]
struct Seed {
    parties: Vec<Map<String, Value>>,
    donations: Vec<Map<String, Value>>,
    artefacts: Vec<Map<String, Value>>,
    /// Where the demo keeps its objects.
    #[serde(default)]
    locations: Vec<crate::model::location::LocationInput>,
    /// The objects' movements, in order, dated the day the demo is loaded.
    #[serde(default)]
    movements: Vec<DemoMove>,
}

#[derive(Deserialize)]
struct DemoMove {
    accession: String,
    to: String,
    reason: crate::model::location::MoveReason,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("demo record {0} is invalid: {1}")]
    Invalid(String, ValidationErrors),
    #[error("demo data is malformed: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error(transparent)]
    Interrupted(#[from] super::Interrupted),
}

/// Replaces `key` references (`"key": "li-qi"`) with the ids they stand for.
fn resolve_keys(v: &mut Value, ids: &HashMap<String, i64>) {
    match v {
        Value::Object(m) => {
            for (from, to) in [("key", "party_id"), ("donation_key", "donation_id")] {
                if let Some(Value::String(k)) = m.remove(from)
                    && let Some(id) = ids.get(&k)
                {
                    m.insert(to.into(), (*id).into());
                }
            }
            if let Some(Value::Array(keys)) = m.remove("donor_keys") {
                let donors: Vec<Value> =
                    keys.iter().filter_map(|k| ids.get(k.as_str()?)).map(|id| (*id).into()).collect();
                m.insert("donor_ids".into(), donors.into());
            }
            m.values_mut().for_each(|v| resolve_keys(v, ids));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| resolve_keys(v, ids)),
        _ => {}
    }
}

/// Loads the demo catalogue unless it is already loaded.
fn load(store: &Store, vocab: &Vocabularies, pattern: &AccessionPattern) -> Result<DemoSummary, DemoError> {
    let mut summary = DemoSummary::default();
    if store.setting(LOADED)?.is_some() {
        summary.skipped = 1;
        return Ok(summary);
    }
    let seed: Seed = serde_json::from_str(SEED)?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    // Parties may refer to parties listed after them: create all, then add relations.
    let mut relations = Vec::new();
    for mut p in seed.parties {
        let key = p.remove("key").and_then(|k| k.as_str().map(String::from)).unwrap_or_default();
        relations.push((key.clone(), p.remove("relations")));
        let input: PartyInput = serde_json::from_value(Value::Object(p))?;
        let party = input.validate(vocab).map_err(|e| DemoError::Invalid(key.clone(), e))?;
        // A load cut short earlier may have created it already.
        let existing = store
            .parties(party.name.zh.as_deref(), PageRequest::default())?
            .items
            .into_iter()
            .find(|p| p.record.name == party.name);
        let id = match existing {
            Some(p) => p.id,
            None => {
                summary.parties += 1;
                store.create_party(ACTOR, &party)?.id
            }
        };
        ids.insert(key, id);
    }
    for (key, rel) in relations {
        let Some(mut rel) = rel else { continue };
        resolve_keys(&mut rel, &ids);
        let party = store.party(ids[&key])?.ok_or_else(|| StoreError::not_found("party", &key))?;
        if party.record.relations.is_empty() {
            let mut changes = Map::new();
            changes.insert("relations".into(), rel);
            store.change_record(ACTOR, party.id, party.version, |p| {
                super::records::patched::<PartyInput>(p, &changes, vocab)
            })?;
        }
    }
    for d in seed.donations {
        let mut d = Value::Object(d);
        let key = d
            .as_object_mut()
            .and_then(|m| m.remove("key"))
            .and_then(|k| k.as_str().map(String::from))
            .unwrap_or_default();
        resolve_keys(&mut d, &ids);
        let input: DonationInput = serde_json::from_value(d)?;
        let donation = input.validate(vocab).map_err(|e| DemoError::Invalid(key.clone(), e))?;
        let filter = DonationFilter { donor_id: donation.donor_ids.first().copied(), ..Default::default() };
        let existing = store.donations(&filter)?.items.into_iter().find(|d| d.record.occasion == donation.occasion);
        let id = match existing {
            Some(d) => d.id,
            None => {
                summary.donations += 1;
                store.create_donation(ACTOR, donation)?.id
            }
        };
        ids.insert(key, id);
    }
    let seeded = seed.artefacts.into_iter().map(|a| {
        let mut a = Value::Object(a);
        resolve_keys(&mut a, &ids);
        serde_json::from_value::<ArtefactInput>(a).map(|i| (i, None))
    });
    let real = RECORDS.lines().chain(PHOTOGRAPHS.lines()).filter(|l| !l.trim().is_empty()).map(|l| {
        serde_json::from_str::<SourceRecord>(l).map(|r| {
            let unit = r.dimension_options().implied_unit;
            (r.to_input(), unit)
        })
    });
    for item in seeded.chain(real) {
        let (input, implied_unit) = item?;
        let number = input.accession_number.clone().unwrap_or_default();
        if store.artefact(&number)?.is_some() {
            summary.skipped += 1;
            continue;
        }
        let rules = Rules { vocab, pattern: None, implied_unit };
        let new = input.validate(&rules).map_err(|e| DemoError::Invalid(number.clone(), e))?;
        store.create_artefact(ACTOR, new, pattern)?;
        summary.artefacts += 1;
    }
    for l in &seed.locations {
        let (code, location, parent) = l.validate().map_err(|e| DemoError::Invalid(l.code.clone(), e))?;
        if store.location(&code)?.is_none() {
            store.create_location(ACTOR, &code, &location, parent.as_deref())?;
        }
    }
    let today = chrono::Utc::now().date_naive();
    for m in &seed.movements {
        // A load cut short earlier may have placed the object already.
        if store.artefact(&m.accession)?.is_none()
            || store.movements(&m.accession)?.iter().any(|done| done.to == m.to && done.reason == m.reason)
        {
            continue;
        }
        let order = MoveOrder { to: m.to.clone(), reason: m.reason, date: today, note: m.note.clone() };
        store.move_artefacts(ACTOR, &[(m.accession.clone(), None)], &order)?;
    }
    store.set_setting(LOADED, "1")?;
    Ok(summary)
}

/// Attaches the demo photographs to their records (idempotent: a record that has its photograph
/// keeps it). Returns how many were added.
async fn load_images(catalogue: &super::Catalogue) -> Result<usize, crate::catalogue::images::AddError> {
    let (store, images) = (&catalogue.store, &catalogue.images);
    use crate::images::UploadWriter;
    use crate::model::common::LocalText;
    use crate::model::image::ImageOptions;
    let mut added = 0;
    for (accession, bytes, zh, en, rights) in PHOTOGRAPH_FILES {
        if store.artefact(accession)?.is_none() || !store.images_of_accession(accession)?.is_empty() {
            continue;
        }
        let mut writer = UploadWriter::new(images.temp_file().map_err(crate::images::ImageError::from)?, u64::MAX);
        writer.push(bytes)?;
        let options = ImageOptions {
            caption: Some(LocalText { zh: Some(zh.to_string()), en: Some(en.to_string()) }),
            rights: Some(rights.to_string()),
            ..Default::default()
        };
        let outcome = catalogue.add_image(ACTOR, accession, writer.finish()?, &options, None).await?;
        added += usize::from(outcome.created);
    }
    Ok(added)
}

impl super::Catalogue {
    /// Loads the demo catalogue unless it is already loaded, numbering by the configured pattern.
    pub fn load_demo(&self) -> Result<DemoSummary, DemoError> {
        self.demo_letterhead();
        load(&self.store, &self.vocabularies(), &self.config.accession_pattern)
    }

    /// The seed museum's name on the demo's paperwork, unless the data directory has its own.
    fn demo_letterhead(&self) {
        let dir = self.config.data_dir.join("paperwork");
        let path = dir.join("museum.toml");
        if path.exists() {
            return;
        }
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, include_str!("../../assets/demo/museum.toml")));
        if let Err(e) = written {
            tracing::warn!(path = %path.display(), error = %e, "the demo letterhead could not be written");
        }
    }

    /// Attaches the demo photographs to their records (idempotent); returns how many were added.
    pub async fn load_demo_images(&self) -> Result<usize, crate::catalogue::images::AddError> {
        load_images(self).await
    }
}
