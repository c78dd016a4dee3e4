//! Importing many artefacts at once: one transaction for a whole file, so a
//! file is imported completely or not at all; records matched on accession
//! number are updated rather than duplicated.

use rusqlite::OptionalExtension;

use super::artefacts::{check_references, next_accession_in, write_row_json};
use super::audit::{Entity, record_change_json};
use super::{Result, Store};
use crate::model::accession::{AccessionNumber, AccessionPattern};
use crate::model::artefact::{Artefact, ArtefactBody, NewArtefact};
use crate::model::donation::Donation;
use crate::model::party::Party;
use crate::model::register::{RegisterRow, RowProblem};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    /// Already present with the same content.
    pub unchanged: u64,
    /// Records whose written storage location named a location (by code or name): placed
    /// there, the text no longer kept as a note.
    pub placed: u64,
}

/// Creates the artefact with this accession number, or updates it if its content changed.
fn upsert(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    accession_number: AccessionNumber,
    body: ArtefactBody,
    counts: &mut ImportCounts,
) -> Result<()> {
    upsert_with(tx, actor, accession_number, body, None, counts)
}

/// As [`upsert`]; a new record starts with `deaccession` (an existing one keeps its own).
fn upsert_with(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    accession_number: AccessionNumber,
    body: ArtefactBody,
    deaccession: Option<crate::model::artefact::Deaccession>,
    counts: &mut ImportCounts,
) -> Result<()> {
    let mut body = body;
    let place = super::locations::written_place(tx, body.private.storage_location.as_deref())?;
    if place.is_some() {
        body.private.storage_location = None;
    }
    let accession = accession_number.as_str().to_string();
    upsert_body(tx, actor, accession_number, body, deaccession, counts)?;
    if let Some(code) = place
        && super::locations::place_if_elsewhere(tx, actor, &accession, &code)?
    {
        counts.placed += 1;
    }
    Ok(())
}

fn upsert_body(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    accession_number: AccessionNumber,
    body: ArtefactBody,
    deaccession: Option<crate::model::artefact::Deaccession>,
    counts: &mut ImportCounts,
) -> Result<()> {
    // Cached statements: an import runs these once per row.
    let existing: Option<(i64, i64, String)> = tx
        .prepare_cached("SELECT id, version, doc FROM artefacts WHERE accession_number = ?1")?
        .query_row([accession_number.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    // Each state is written as JSON once: the same text goes to the record and to the audit log.
    match existing {
        None => {
            let artefact = Artefact { accession_number, body, deaccession };
            check_references(tx, &artefact)?;
            counts.created += 1;
            let after = serde_json::to_string(&artefact)?;
            let id = write_row_json(tx, None, &artefact, &after, 1)?;
            record_change_json(tx, actor, Entity::Artefact, id, "import", None, Some(&after))
        }
        Some((id, version, before)) => {
            let current: Artefact = serde_json::from_str(&before)?;
            let deaccession = current.deaccession.clone();
            let artefact = Artefact { accession_number, body, deaccession };
            if artefact == current {
                counts.unchanged += 1;
                return Ok(());
            }
            check_references(tx, &artefact)?;
            let after = serde_json::to_string(&artefact)?;
            write_row_json(tx, Some(id), &artefact, &after, version + 1)?;
            counts.updated += 1;
            record_change_json(tx, actor, Entity::Artefact, id, "import", Some(&before), Some(&after))
        }
    }
}

/// One row of a register as checked: to write, left out (with a warning), or refused
/// (with an error: the file is not to be kept).
#[derive(Debug)]
pub enum Planned {
    Row(Box<RegisterRow>),
    LeftOut,
    Refused,
}

/// What a register import did besides the artefacts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterCounts {
    pub artefacts: ImportCounts,
    pub donors_created: u64,
    pub donations_created: u64,
}

impl Store {
    /// Imports a register (a curator's spreadsheet) in one transaction, as its rows are read:
    /// donors named in it are found by name or created (without naming consent until a curator
    /// records it), donations found by receipt number or by donor and year, or created with the
    /// year's next number; rows without an accession number update the same-titled item of
    /// their donation, or are numbered from the donation with `pattern`.
    /// A number twice in the file, or already another donation's, is a problem, returned under
    /// `number_column` (the register's header for it). The numbers seen are kept in a temporary
    /// table, not in memory: a file of millions of rows is checked in little.
    /// The rows are all written, so that the counts say what the import would do, but nothing
    /// is kept if a row was refused, nor unless `commit` is true (false for a dry run).
    pub fn import_register(
        &self,
        actor: &str,
        rows: &mut dyn Iterator<Item = Planned>,
        number_column: &str,
        pattern: &AccessionPattern,
        progress: &dyn Fn(u64),
        commit: bool,
    ) -> Result<(RegisterCounts, Vec<RowProblem>)> {
        let run = |tx: &rusqlite::Transaction<'_>| {
            let mut counts = RegisterCounts::default();
            let mut problems = Vec::new();
            let mut refused = false;
            let mut donors: std::collections::HashMap<String, i64> = Default::default();
            let mut donations: std::collections::HashMap<(i64, Option<String>, Option<i32>), i64> = Default::default();
            tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS import_numbers(number TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
                 DELETE FROM temp.import_numbers;",
            )?;
            for (i, row) in rows.enumerate() {
                if i % 1000 == 999 {
                    progress(i as u64 + 1);
                }
                let row = match row {
                    Planned::Row(row) => *row,
                    Planned::LeftOut => continue,
                    Planned::Refused => {
                        refused = true;
                        continue;
                    }
                };
                if let Some(number) = &row.item.accession_number {
                    let inserted = tx
                        .prepare_cached("INSERT OR IGNORE INTO temp.import_numbers(number, row) VALUES (?1, ?2)")?
                        .execute(rusqlite::params![number.as_str(), row.row as i64])?;
                    if inserted == 0 {
                        let first: i64 = tx
                            .prepare_cached("SELECT row FROM temp.import_numbers WHERE number = ?1")?
                            .query_row([number.as_str()], |r| r.get(0))?;
                        problems.push(RowProblem {
                            row: row.row,
                            column: number_column.to_string(),
                            value: number.to_string(),
                            problem: format!("appears in row {first} too"),
                        });
                        continue;
                    }
                }
                let mut body = row.item.body;
                if let Some(donor) = &row.donor {
                    let donor_id = match donors.get(&donor.name) {
                        Some(id) => *id,
                        None => {
                            let party = Party {
                                name: crate::model::common::LocalText { zh: Some(donor.name.clone()), en: None },
                                contact: donor.contact.clone().unwrap_or_default(),
                                ..serde_json::from_value(serde_json::json!({"kind": "person", "name": {}}))?
                            };
                            let id = find_or_create_party(tx, actor, &party, &mut counts)?;
                            donors.insert(donor.name.clone(), id);
                            id
                        }
                    };
                    let year = row.acquired.as_ref().and_then(|d| d.earliest);
                    let key = (donor_id, row.receipt.clone(), if row.receipt.is_some() { None } else { year });
                    let donation_id = match donations.get(&key) {
                        Some(id) => *id,
                        None => {
                            let id = find_donation(tx, donor_id, row.receipt.as_deref(), year)?;
                            let id = match id {
                                Some(id) => id,
                                None => {
                                    let year = year.unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now()));
                                    let number: i64 = tx.query_row(
                                        "SELECT coalesce(max(json_extract(doc, '$.number')), 0) + 1 FROM donations WHERE json_extract(doc, '$.year') = ?1",
                                        [year],
                                        |r| r.get(0),
                                    )?;
                                    let donation = Donation {
                                        number: u32::try_from(number).ok(),
                                        year: Some(year),
                                        date: row.acquired.clone(),
                                        donor_ids: vec![donor_id],
                                        receipt_number: row.receipt.clone(),
                                        // Its items arrive with accession numbers: it is accessioned.
                                        status: crate::model::donation::DonationStatus::Accessioned,
                                        ..serde_json::from_value(serde_json::json!({"donor_ids": []}))?
                                    };
                                    counts.donations_created += 1;
                                    super::documents::insert_record(tx, actor, &donation)?
                                }
                            };
                            donations.insert(key, id);
                            id
                        }
                    };
                    body.donation_id = Some(donation_id);
                }
                let accession = match row.item.accession_number {
                    Some(a) => a,
                    None => match (body.donation_id, body.title.zh.clone().or(body.title.en.clone())) {
                        (Some(d), Some(title)) => {
                            let same: Option<String> = tx
                                .query_row(
                                    "SELECT accession_number FROM artefacts WHERE donation_id = ?1
                                     AND (json_extract(doc, '$.title.zh') = ?2 OR json_extract(doc, '$.title.en') = ?2)",
                                    rusqlite::params![d, title],
                                    |r| r.get(0),
                                )
                                .optional()?;
                            match same {
                                Some(a) => AccessionNumber::parse(&a).map_err(|e| {
                                    crate::model::validation::ValidationErrors::single(format!("row {}", row.row), e)
                                })?,
                                None => next_accession_in(tx, d, pattern)?,
                            }
                        }
                        _ => {
                            return Err(crate::model::validation::ValidationErrors::single(
                                format!("row {}", row.row),
                                "has no accession number (总登记号) and no donor (捐赠人) to number it from",
                            )
                            .into());
                        }
                    },
                };
                if let Some(d) = body.donation_id
                    && let Some(other) = donation_elsewhere(tx, &accession, d)?
                {
                    problems.push(RowProblem {
                        row: row.row,
                        column: number_column.to_string(),
                        value: accession.to_string(),
                        problem: format!(
                            "is already the number of an object of another donation ({other}), not of this row's donor: correct the number or the donor"
                        ),
                    });
                    continue;
                }
                upsert(tx, actor, accession, body, &mut counts.artefacts)?;
            }
            tx.execute_batch("DROP TABLE temp.import_numbers")?;
            let keep = commit && !refused && problems.is_empty();
            Ok(((counts, problems), keep))
        };
        self.transact_if(run)
    }
}

/// The donation (its number and year, or its id) an existing artefact of this number
/// belongs to, when that is not `donation`.
fn donation_elsewhere(
    tx: &rusqlite::Transaction<'_>,
    accession: &AccessionNumber,
    donation: i64,
) -> Result<Option<String>> {
    let found: Option<(i64, Option<i64>, Option<i64>)> = tx
        .prepare_cached(
            "SELECT d.id, json_extract(d.doc, '$.number'), json_extract(d.doc, '$.year')
             FROM artefacts a JOIN donations d ON d.id = a.donation_id
             WHERE a.accession_number = ?1 AND a.donation_id IS NOT ?2",
        )?
        .query_row(rusqlite::params![accession.as_str(), donation], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(found.map(|(id, number, year)| match (number, year) {
        (Some(n), Some(y)) => format!("{y}, no. {n}"),
        _ => format!("#{id}"),
    }))
}

/// A donation of this donor: by receipt number if given, else by its year.
fn find_donation(
    tx: &rusqlite::Transaction<'_>,
    donor: i64,
    receipt: Option<&str>,
    year: Option<i32>,
) -> Result<Option<i64>> {
    let mut st = tx.prepare_cached(
        "SELECT d.id, json_extract(d.doc, '$.receipt_number'), json_extract(d.doc, '$.year'), json_extract(d.doc, '$.date.earliest')
         FROM donations d JOIN donation_donors dd ON dd.donation_id = d.id WHERE dd.party_id = ?1 ORDER BY d.id",
    )?;
    // (id, receipt number, year, earliest year of its date)
    type Row = (i64, Option<String>, Option<i32>, Option<i32>);
    let rows: Vec<Row> = st
        .query_map([donor], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match receipt {
        Some(rc) => rows.iter().find(|r| r.1.as_deref() == Some(rc)).map(|r| r.0),
        None => rows.iter().find(|r| year.is_some() && (r.2 == year || (r.2.is_none() && r.3 == year))).map(|r| r.0),
    })
}

/// A party by its name, or a new one.
fn find_or_create_party(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    party: &Party,
    counts: &mut RegisterCounts,
) -> Result<i64> {
    let name = party.name.best().unwrap_or_default().to_string();
    let found: Option<i64> =
        tx.query_row("SELECT id FROM parties WHERE name = ?1 ORDER BY id LIMIT 1", [&name], |r| r.get(0)).optional()?;
    match found {
        Some(id) => Ok(id),
        None => {
            counts.donors_created += 1;
            super::documents::insert_record(tx, actor, party)
        }
    }
}

impl Store {
    /// Imports this catalogue's own JSON-lines export in one transaction: donors found by name or
    /// created with every field exported, donations found by number and year (or receipt number)
    /// or created, artefacts created or updated by accession number.
    pub fn import_exported(
        &self,
        actor: &str,
        lines: Vec<(
            NewArtefact,
            Option<crate::model::artefact::Deaccession>,
            Option<crate::model::donation::DonationExport>,
        )>,
        progress: &dyn Fn(u64),
    ) -> Result<RegisterCounts> {
        self.write(|tx| {
            let mut counts = RegisterCounts::default();
            let mut donations: std::collections::HashMap<String, i64> = Default::default();
            for (i, (item, deaccession, donation)) in lines.into_iter().enumerate() {
                let mut body = item.body;
                body.donation_id = match donation {
                    None => None,
                    Some(d) => {
                        let key = serde_json::to_string(&(&d.donation.number, &d.donation.year, &d.donation.receipt_number, &d.donation.occasion))?;
                        match donations.get(&key) {
                            Some(id) => Some(*id),
                            None => {
                                let mut donor_ids = Vec::new();
                                for p in &d.donors {
                                    donor_ids.push(find_or_create_party(tx, actor, p, &mut counts)?);
                                }
                                let found: Option<i64> = match (d.donation.number, d.donation.year) {
                                    (Some(n), Some(y)) => tx
                                        .query_row(
                                            "SELECT id FROM donations WHERE json_extract(doc, '$.number') = ?1 AND json_extract(doc, '$.year') = ?2",
                                            rusqlite::params![n, y],
                                            |r| r.get(0),
                                        )
                                        .optional()?,
                                    _ => None,
                                };
                                let id = match found {
                                    Some(id) => id,
                                    None => {
                                        counts.donations_created += 1;
                                        super::documents::insert_record(tx, actor, &Donation { donor_ids, ..d.donation })?
                                    }
                                };
                                donations.insert(key, id);
                                Some(id)
                            }
                        }
                    }
                };
                let Some(accession) = item.accession_number else {
                    return Err(crate::model::validation::ValidationErrors::single(format!("line {}", i + 1), "has no accession number").into());
                };
                upsert_with(tx, actor, accession, body, deaccession, &mut counts.artefacts)?;
                if i % 1000 == 999 {
                    progress(i as u64 + 1);
                }
            }
            Ok(counts)
        })
    }
}

/// Writes records one at a time inside one open transaction, for imports that stream.
pub struct Importer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    actor: &'a str,
    pub counts: ImportCounts,
}

impl Importer<'_> {
    /// Creates or updates one record (it must carry its accession number).
    pub fn put(&mut self, item: NewArtefact) -> Result<()> {
        let Some(accession) = item.accession_number else {
            return Err(crate::model::validation::ValidationErrors::single("accession_number", "is required").into());
        };
        upsert(self.tx, self.actor, accession, item.body, &mut self.counts)
    }
}

impl Store {
    /// Runs `f` with an [`Importer`] over one transaction, committed only if `f` returns
    /// `Ok((_, true))`: a file can be read, checked and written in one pass, and still be
    /// all or nothing.
    pub fn import_with<T>(
        &self,
        actor: &str,
        f: impl FnOnce(&mut Importer<'_>) -> Result<(T, bool)>,
    ) -> Result<(T, ImportCounts, bool)> {
        let mut conn = super::lock(&self.writer);
        let result = (|| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut importer = Importer { tx: &tx, actor, counts: ImportCounts::default() };
            let (out, commit) = f(&mut importer)?;
            let counts = importer.counts;
            if commit {
                tx.commit()?;
            }
            Ok((out, counts, commit))
        })();
        result.map_err(|e| self.explain_io_failure(e))
    }
}
