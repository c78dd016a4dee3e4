//! One change made to many artefacts at once: publish or unpublish them, accession drafts,
//! or set one field. A batch is previewed first (what will change, what will be refused and
//! why), then applied in one transaction, all or nothing, each record at the version the
//! preview read: if anyone changed one in between, nothing is changed.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::Catalogue;
use super::records::artefact_patched;
use crate::model::artefact::{Artefact, PublicationStatus};
use crate::model::role::Scope;
use crate::model::validation::ValidationErrors;
use crate::search::{SearchRequest, Sort};
use crate::store::{Result, StoreError};

/// Most records one batch may change.
pub const MAX_RECORDS: usize = 10_000;

/// What a batch does to each record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum BatchChange {
    /// Show them on the public site.
    Publish,
    /// Take them off the public site (they stay accessioned, internal).
    Unpublish,
    /// Accession drafts: they become internal records.
    Accession,
    /// Give every record the same value of one field; an empty value clears it.
    Set { field: BatchField, value: String },
}

/// The fields a batch can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchField {
    Category,
    Material,
    Period,
    StorageLocation,
    Grade,
    Rights,
}

impl BatchField {
    pub const ALL: [BatchField; 6] = [
        BatchField::Category,
        BatchField::Material,
        BatchField::Period,
        BatchField::StorageLocation,
        BatchField::Grade,
        BatchField::Rights,
    ];

    /// The record's field it sets, as the audit log and the labels name it.
    pub fn name(self) -> &'static str {
        match self {
            BatchField::Category => "category",
            BatchField::Material => "materials",
            BatchField::Period => "period",
            BatchField::StorageLocation => "storage_location",
            BatchField::Grade => "grade",
            BatchField::Rights => "rights",
        }
    }

    /// The PATCH that sets it to `value` (cleared when empty).
    fn patch(self, value: &str) -> Map<String, Value> {
        let v = if value.trim().is_empty() { Value::Null } else { json!(value.trim()) };
        let patch = match self {
            BatchField::Material => json!({"materials": if v.is_null() { json!([]) } else { json!([v]) }}),
            BatchField::StorageLocation => json!({"private": {"storage_location": v}}),
            _ => json!({ self.name(): v }),
        };
        patch.as_object().cloned().unwrap_or_default()
    }
}

/// One record chosen, at the version it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Chosen {
    pub accession: String,
    pub version: i64,
}

/// What one record came to.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BatchLine {
    pub accession: String,
    /// The version the change starts from (send it back to apply a preview).
    pub version: i64,
    /// The record's title in either language, to recognise it by.
    pub title: String,
    /// The field the change touches (`status` for publishing and accessioning).
    pub field: String,
    /// The field's value before and after: a text, a list, an object or null, as the field is.
    pub before: Value,
    pub after: Value,
}

/// A record the batch cannot change, and why.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Refusal {
    pub accession: String,
    pub kind: RefusalKind,
    /// The reason in words.
    pub reason: String,
}

/// Why a record cannot take a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// Someone changed it after it was read.
    Stale,
    NotFound,
    Deaccessioned,
    /// Accessioning a record that is no longer a draft.
    NotDraft,
    /// Unpublishing a draft, which was never published.
    Draft,
    /// The change would make the record invalid (a term that is not in the vocabulary).
    Invalid,
}

/// What a batch did, or would do.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BatchReport {
    /// Whether the change was made: never for a preview, never when a record was refused.
    pub applied: bool,
    pub changes: Vec<BatchLine>,
    /// Chosen, but already as the change would make them.
    pub unchanged: Vec<BatchLine>,
    pub refused: Vec<Refusal>,
}

impl Catalogue {
    /// The records a search finds (as staff see them), at their current versions: a whole
    /// result as a batch's selection. Refused past [`MAX_RECORDS`].
    pub fn choose_by_search(&self, q: &str, filters: Vec<(String, String)>) -> Result<Vec<Chosen>> {
        let request = SearchRequest {
            q: q.to_string(),
            filters,
            sort: Sort::Accession,
            page: 1,
            per_page: 200,
            exact_total: true,
            ..Default::default()
        };
        let mut chosen = Vec::new();
        let mut page = 1;
        loop {
            let found = self
                .search(&SearchRequest { page, ..request.clone() }, Scope::Full)
                .map_err(|e| ValidationErrors::single("search", e.to_string()))?;
            if found.total as usize > MAX_RECORDS {
                return Err(too_many(found.total as usize));
            }
            for hit in &found.hits {
                if let Some(a) = self.store.artefact(&hit.accession)? {
                    chosen.push(Chosen { accession: hit.accession.clone(), version: a.version });
                }
            }
            if found.hits.is_empty() || (page as u64) * 200 >= found.total {
                break;
            }
            page += 1;
        }
        Ok(chosen)
    }

    /// The records chosen by accession number, at their current versions (those that do not
    /// exist are kept, at version 0, to be refused by name).
    pub fn choose(&self, accessions: &[String]) -> Result<Vec<Chosen>> {
        if accessions.len() > MAX_RECORDS {
            return Err(too_many(accessions.len()));
        }
        accessions
            .iter()
            .map(|a| Ok(Chosen { accession: a.clone(), version: self.store.artefact(a)?.map_or(0, |r| r.version) }))
            .collect()
    }

    /// Makes `change` to every chosen record, or (with `preview`) says what it would do. All
    /// or nothing: when any record is refused, none is changed.
    pub fn batch(&self, actor: &str, chosen: &[Chosen], change: &BatchChange, preview: bool) -> Result<BatchReport> {
        if chosen.is_empty() {
            return Err(ValidationErrors::single("records", "choose at least one record").into());
        }
        if chosen.len() > MAX_RECORDS {
            return Err(too_many(chosen.len()));
        }
        let vocab = self.vocabularies();
        let unfit = std::cell::RefCell::new(std::collections::HashMap::new());
        let selection: Vec<(String, i64)> = chosen.iter().map(|c| (c.accession.clone(), c.version)).collect();
        let outcomes = self.store.change_artefacts(
            actor,
            &selection,
            |current| {
                if let Some((kind, problem)) = unfit_for(current, change) {
                    unfit.borrow_mut().insert(current.accession_number.as_str().to_string(), kind);
                    return Err(ValidationErrors::single("status", problem).into());
                }
                let patch = match change {
                    BatchChange::Publish => status_patch(PublicationStatus::Published),
                    BatchChange::Unpublish | BatchChange::Accession => status_patch(PublicationStatus::Internal),
                    BatchChange::Set { field, value } => field.patch(value),
                };
                artefact_patched(current, &patch, &vocab)
            },
            !preview,
        )?;
        let field = match change {
            BatchChange::Set { field, .. } => field.name(),
            _ => "status",
        };
        let mut report = BatchReport { applied: false, changes: vec![], unchanged: vec![], refused: vec![] };
        for (accession, outcome) in outcomes {
            match outcome {
                Ok((before, after)) => {
                    let line = BatchLine {
                        accession,
                        version: before.version,
                        title: before.record.body.title.best().unwrap_or_default().to_string(),
                        field: field.to_string(),
                        before: value_of(&before.record, field),
                        after: value_of(&after.record, field),
                    };
                    if before.version == after.version {
                        report.unchanged.push(line)
                    } else {
                        report.changes.push(line)
                    }
                }
                Err(e) => {
                    let (kind, reason) = match e {
                        StoreError::Conflict { message, .. } => (RefusalKind::Stale, message),
                        StoreError::NotFound { .. } => {
                            (RefusalKind::NotFound, format!("there is no artefact {accession}"))
                        }
                        StoreError::Invalid(v) => (
                            unfit.borrow().get(&accession).copied().unwrap_or(RefusalKind::Invalid),
                            v.lines().join("; "),
                        ),
                        other => (RefusalKind::Invalid, other.to_string()),
                    };
                    report.refused.push(Refusal { accession, kind, reason });
                }
            }
        }
        if preview {
            // What a preview wrote was rolled back: it shows the change, not a new version.
            for line in &mut report.changes {
                line.version =
                    chosen.iter().find(|c| c.accession == line.accession).map_or(line.version, |c| c.version);
            }
        }
        report.applied = !preview && report.refused.is_empty();
        Ok(report)
    }
}

fn too_many(n: usize) -> StoreError {
    ValidationErrors::single(
        "records",
        format!("{n} records chosen; a batch changes at most {MAX_RECORDS}: narrow the selection"),
    )
    .into()
}

fn status_patch(status: PublicationStatus) -> Map<String, Value> {
    json!({"status": status}).as_object().cloned().unwrap_or_default()
}

/// Why a change does not fit a record, if it does not: a deaccessioned record, one
/// accessioned twice, a draft unpublished that was never published.
fn unfit_for(current: &Artefact, change: &BatchChange) -> Option<(RefusalKind, &'static str)> {
    let status = current.body.status;
    if current.deaccession.is_some() {
        return Some((RefusalKind::Deaccessioned, "is deaccessioned: it can no longer be changed in a batch"));
    }
    match change {
        BatchChange::Accession if status != PublicationStatus::Draft => {
            Some((RefusalKind::NotDraft, "is not a draft: it is accessioned already"))
        }
        BatchChange::Unpublish if status == PublicationStatus::Draft => {
            Some((RefusalKind::Draft, "is a draft: it was never published"))
        }
        _ => None,
    }
}

/// The value of `field` in a record, as its JSON.
fn value_of(a: &Artefact, field: &str) -> Value {
    let doc = serde_json::to_value(a).unwrap_or_default();
    match field {
        "storage_location" => doc.pointer("/private/storage_location").cloned().unwrap_or(Value::Null),
        _ => doc.get(field).cloned().unwrap_or(Value::Null),
    }
}
