//! Artefacts in the store.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::audit::{Entity, record_change};
use super::documents::{check_version, note_missing_parties};
use super::{Page, PageRequest, Result, Store, StoreError, now, parse_time};
use crate::model::accession::{AccessionNumber, AccessionPattern};
use crate::model::artefact::{Artefact, ArtefactBody, Deaccession, NewArtefact, PublicationStatus};
use crate::model::validation::ValidationErrors;
use crate::model::view::ArtefactRecord;

/// Which artefacts to list.
#[derive(Debug, Clone, Default)]
pub struct ArtefactFilter {
    pub donation_id: Option<i64>,
    /// Artefacts that came with a gift of this party.
    pub donor_id: Option<i64>,
    pub status: Option<PublicationStatus>,
    pub include_deaccessioned: bool,
    /// Reproductions of the artefact of this accession number.
    pub reproduction_of: Option<String>,
    pub page: PageRequest,
}

const COLUMNS: &str = "id, version, created_at, updated_at, doc";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<ArtefactRecord> {
    let doc: String = r.get(4)?;
    let record: Artefact = serde_json::from_str(&doc)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(ArtefactRecord {
        id: r.get(0)?,
        version: r.get(1)?,
        created_at: parse_time(&r.get::<_, String>(2)?),
        updated_at: parse_time(&r.get::<_, String>(3)?),
        record,
    })
}

fn load(tx: &Transaction<'_>, accession: &str) -> Result<ArtefactRecord> {
    tx.prepare_cached(&format!("SELECT {COLUMNS} FROM artefacts WHERE accession_number = ?1"))?
        .query_row([accession], from_row)
        .optional()?
        .ok_or_else(|| StoreError::not_found("artefact", accession))
}

/// Checks that the records an artefact refers to exist.
pub(super) fn check_references(tx: &Transaction<'_>, a: &Artefact) -> Result<()> {
    let mut e = ValidationErrors::default();
    if let Some(d) = a.body.donation_id {
        let found: bool =
            tx.prepare_cached("SELECT EXISTS(SELECT 1 FROM donations WHERE id = ?1)")?.query_row([d], |r| r.get(0))?;
        if !found {
            e.push("donation_id", format!("there is no donation {d}"));
        }
    }
    let makers =
        a.body.makers.iter().enumerate().filter_map(|(i, m)| Some((format!("makers[{i}].party_id"), m.party_id?)));
    let owners = a
        .body
        .provenance
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((format!("provenance[{i}].party_id"), p.party_id?)));
    note_missing_parties(tx, makers.chain(owners), &mut e)?;
    if e.is_empty() { Ok(()) } else { Err(e.into()) }
}

pub(super) fn next_accession_in(
    tx: &rusqlite::Connection,
    donation_id: i64,
    pattern: &AccessionPattern,
) -> Result<AccessionNumber> {
    let doc: Option<String> =
        tx.query_row("SELECT doc FROM donations WHERE id = ?1", [donation_id], |r| r.get(0)).optional()?;
    let donation: crate::model::donation::Donation = serde_json::from_str(
        &doc.ok_or_else(|| ValidationErrors::single("donation_id", format!("there is no donation {donation_id}")))?,
    )?;
    let (Some(year), Some(number)) = (donation.accession_year(), donation.number) else {
        return Err(ValidationErrors::single(
            "donation_id",
            format!("donation {donation_id} needs a number and a year (or date) before accession numbers can be assigned from it; give the accession_number instead"),
        )
        .into());
    };
    let mut st = tx.prepare_cached("SELECT accession_number FROM artefacts WHERE donation_id = ?1")?;
    let used: Vec<String> = st.query_map([donation_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut item = used
        .iter()
        .filter_map(|n| pattern.parts(n))
        .filter(|p| p.year == year && p.donation == number)
        .map(|p| p.item)
        .max()
        .unwrap_or(0)
        + 1;
    loop {
        let candidate = pattern.format(year, number, item);
        let taken: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM artefacts WHERE accession_number = ?1)",
            [candidate.as_str()],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(candidate);
        }
        item += 1;
    }
}

pub(super) fn write_row(tx: &Transaction<'_>, id: Option<i64>, a: &Artefact, version: i64) -> Result<i64> {
    write_row_json(tx, id, a, &serde_json::to_string(a)?, version)
}

/// As [`write_row`], with the record already written as JSON (`doc`).
pub(super) fn write_row_json(
    tx: &Transaction<'_>,
    id: Option<i64>,
    a: &Artefact,
    doc: &str,
    version: i64,
) -> Result<i64> {
    let ts = now();
    let status = a.body.status.as_str();
    let deaccessioned = a.deaccession.is_some();
    match id {
        None => {
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO artefacts(accession_number, donation_id, status, deaccessioned, version, doc, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                )?
                .execute(params![a.accession_number.as_str(), a.body.donation_id, status, deaccessioned, version, doc, ts]);
            match inserted {
                Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                    Err(StoreError::Conflict {
                        message: format!("accession number {} is already used by another artefact", a.accession_number),
                        current_version: None,
                    })
                }
                other => {
                    other?;
                    Ok(tx.last_insert_rowid())
                }
            }
        }
        Some(id) => {
            tx.prepare_cached(
                "UPDATE artefacts SET donation_id = ?2, status = ?3, deaccessioned = ?4, version = ?5, doc = ?6, updated_at = ?7 WHERE id = ?1",
            )?
            .execute(params![id, a.body.donation_id, status, deaccessioned, version, doc, ts])?;
            Ok(id)
        }
    }
}

/// Writes the next version of a stored artefact with its audit and outbox rows, and reads it back.
fn save_change(
    tx: &Transaction<'_>,
    actor: &str,
    current: &ArtefactRecord,
    next: &Artefact,
    action: &str,
) -> Result<ArtefactRecord> {
    write_row(tx, Some(current.id), next, current.version + 1)?;
    let before = serde_json::to_value(&current.record)?;
    record_change(tx, actor, Entity::Artefact, current.id, action, Some(&before), Some(&serde_json::to_value(next)?))?;
    load(tx, current.record.accession_number.as_str())
}

/// An artefact before and after a change.
pub type Changed = (ArtefactRecord, ArtefactRecord);

impl Store {
    /// Stores a new artefact; without a number it gets its donation's next free one.
    pub fn create_artefact(&self, actor: &str, new: NewArtefact, pattern: &AccessionPattern) -> Result<ArtefactRecord> {
        self.write(|tx| {
            let accession_number = match new.accession_number {
                Some(n) => n,
                None => {
                    let donation = new
                        .body
                        .donation_id
                        .ok_or_else(|| ValidationErrors::single("accession_number", "is required"))?;
                    next_accession_in(tx, donation, pattern)?
                }
            };
            let artefact = Artefact { accession_number, body: new.body, deaccession: None };
            check_references(tx, &artefact)?;
            let id = write_row(tx, None, &artefact, 1)?;
            record_change(tx, actor, Entity::Artefact, id, "create", None, Some(&serde_json::to_value(&artefact)?))?;
            load(tx, artefact.accession_number.as_str())
        })
    }

    pub fn artefact(&self, accession: &str) -> Result<Option<ArtefactRecord>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT {COLUMNS} FROM artefacts WHERE accession_number = ?1"),
                [accession],
                from_row,
            )
            .optional()?)
        })
    }

    pub fn artefact_by_id(&self, id: i64) -> Result<Option<ArtefactRecord>> {
        self.read(|c| {
            Ok(c.query_row(&format!("SELECT {COLUMNS} FROM artefacts WHERE id = ?1"), [id], from_row).optional()?)
        })
    }

    /// Artefacts matching `f`, in accession order of entry.
    pub fn artefacts(&self, f: &ArtefactFilter) -> Result<Page<ArtefactRecord>> {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(d) = f.donation_id {
            args.push(d.into());
            clauses.push(format!("donation_id = ?{}", args.len()));
        }
        if let Some(p) = f.donor_id {
            args.push(p.into());
            clauses.push(format!(
                "donation_id IN (SELECT donation_id FROM donation_donors WHERE party_id = ?{})",
                args.len()
            ));
        }
        if let Some(s) = f.status {
            args.push(s.as_str().to_string().into());
            clauses.push(format!("status = ?{}", args.len()));
        }
        if !f.include_deaccessioned {
            clauses.push("deaccessioned = 0".into());
        }
        if let Some(original) = &f.reproduction_of {
            args.push(original.clone().into());
            clauses.push(format!("json_extract(doc, '$.reproduction.original_accession') = ?{}", args.len()));
        }
        let filter = clauses.join(" AND ");
        self.read(|c| {
            let total: i64 = c.query_row(
                &format!("SELECT count(*) FROM artefacts WHERE {filter}"),
                rusqlite::params_from_iter(&args),
                |r| r.get(0),
            )?;
            let mut page_args = args.clone();
            page_args.push(i64::from(f.page.per_page).into());
            page_args.push(f.page.offset().into());
            let n = page_args.len();
            let mut st = c.prepare(&format!(
                "SELECT {COLUMNS} FROM artefacts WHERE {filter} ORDER BY id LIMIT ?{} OFFSET ?{n}",
                n - 1
            ))?;
            let items =
                st.query_map(rusqlite::params_from_iter(&page_args), from_row)?.collect::<rusqlite::Result<_>>()?;
            Ok(Page { items, total: total as u64, page: f.page.page.max(1), per_page: f.page.per_page })
        })
    }

    /// Replaces the artefact's body with what `change` makes of the stored record, if
    /// `version` is still current; its number and deaccession stay. One transaction, with
    /// its audit row; the records it refers to must exist.
    pub fn change_artefact(
        &self,
        actor: &str,
        accession: &str,
        version: i64,
        change: impl FnOnce(&Artefact) -> Result<ArtefactBody>,
    ) -> Result<ArtefactRecord> {
        self.write(|tx| {
            let current = load(tx, accession)?;
            check_version(Entity::Artefact, version, current.version)?;
            let artefact = Artefact {
                accession_number: current.record.accession_number.clone(),
                body: change(&current.record)?,
                deaccession: current.record.deaccession.clone(),
            };
            check_references(tx, &artefact)?;
            save_change(tx, actor, &current, &artefact, "update")
        })
    }

    /// One change made to many artefacts in one transaction, each at the version it was read
    /// at (`selection`: accession number and version). Every record is tried and what each
    /// came to returned, in order: the record before and after, or why it was refused (not
    /// found, changed since it was read, or refused by `change`). What was written is kept
    /// only when `keep` and no record was refused: a batch is all or nothing, and a preview
    /// (`keep` false) keeps nothing. Each record changed gets its own audit and outbox rows.
    pub fn change_artefacts(
        &self,
        actor: &str,
        selection: &[(String, i64)],
        change: impl Fn(&Artefact) -> Result<ArtefactBody>,
        keep: bool,
    ) -> Result<Vec<(String, Result<Changed>)>> {
        self.transact_if(|tx| {
            let mut out = Vec::with_capacity(selection.len());
            let mut refused = false;
            for (accession, version) in selection {
                let tried = (|| {
                    let current = load(tx, accession)?;
                    check_version(Entity::Artefact, *version, current.version)?;
                    let artefact = Artefact {
                        accession_number: current.record.accession_number.clone(),
                        body: change(&current.record)?,
                        deaccession: current.record.deaccession.clone(),
                    };
                    check_references(tx, &artefact)?;
                    Ok((current, artefact))
                })();
                let outcome = match tried {
                    Ok((current, artefact)) if artefact == current.record => Ok((current.clone(), current)),
                    Ok((current, artefact)) => {
                        let after = save_change(tx, actor, &current, &artefact, "batch")?;
                        Ok((current, after))
                    }
                    Err(e @ (StoreError::NotFound { .. } | StoreError::Conflict { .. } | StoreError::Invalid(_))) => {
                        refused = true;
                        Err(e)
                    }
                    Err(e) => return Err(e),
                };
                out.push((accession.clone(), outcome));
            }
            Ok((out, keep && !refused))
        })
    }

    /// Records that the artefact left the collection, and why (`reason`, already checked by
    /// the catalogue). The record stays.
    pub fn deaccession(&self, actor: &str, accession: &str, version: i64, reason: &str) -> Result<ArtefactRecord> {
        self.write(|tx| {
            let current = load(tx, accession)?;
            check_version(Entity::Artefact, version, current.version)?;
            if current.record.deaccession.is_some() {
                return Err(StoreError::Conflict {
                    message: format!("artefact {accession} is already deaccessioned"),
                    current_version: Some(current.version),
                });
            }
            let mut artefact = current.record.clone();
            artefact.deaccession =
                Some(Deaccession { reason: reason.to_string(), at: chrono::Utc::now(), by: actor.to_string() });
            save_change(tx, actor, &current, &artefact, "deaccession")
        })
    }

    /// The number the next item of a donation would get.
    pub fn next_accession(&self, donation_id: i64, pattern: &AccessionPattern) -> Result<AccessionNumber> {
        if self.donation(donation_id)?.is_none() {
            return Err(StoreError::not_found("donation", donation_id));
        }
        self.read(|c| next_accession_in(c, donation_id, pattern))
    }

    /// How many artefacts there are, deaccessioned included.
    pub fn artefact_count(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM artefacts", [], |r| r.get(0))?))
    }
}
