//! Inventory checks in the store: what a location held when its check began, what the
//! checkers marked, and the discrepancies between them.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::audit::{Entity, record_change};
use super::locations::{MoveOrder, location_by_code};
use super::{Result, Store, StoreError, now, parse_time};
use crate::model::validation::ValidationErrors;

/// What a checker found of one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Seen where the check is made.
    Found,
    /// Looked for and not seen.
    Missing,
    /// Seen in another location (`found_in`).
    Elsewhere,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Found => "found",
            Mark::Missing => "missing",
            Mark::Elsewhere => "elsewhere",
        }
    }

    fn parse(s: &str) -> Mark {
        match s {
            "found" => Mark::Found,
            "elsewhere" => Mark::Elsewhere,
            _ => Mark::Missing,
        }
    }
}

/// One object in a check: where it was recorded, and what was found.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CheckLine {
    pub accession: String,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    /// Where the catalogue had it when the check began (for an object found here that was
    /// recorded elsewhere, that other location).
    pub recorded: Option<String>,
    /// None while it is not yet marked.
    pub mark: Option<Mark>,
    /// Where it was found, when found.
    pub found_in: Option<String>,
    /// Whether the check expected it here.
    pub expected: bool,
}

impl CheckLine {
    /// Whether this line disagrees with the record: missing, not seen, found in another
    /// place than recorded, or found here though recorded elsewhere.
    pub fn is_discrepancy(&self) -> bool {
        match self.mark {
            None | Some(Mark::Missing) | Some(Mark::Elsewhere) => true,
            Some(Mark::Found) => !self.expected || self.found_in != self.recorded,
        }
    }
}

/// An inventory check of one location (and everything inside it).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InventoryCheck {
    pub id: i64,
    pub location: String,
    pub started_by: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub finished_by: Option<String>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    pub note: Option<String>,
    /// How many objects were recorded in the location when the check began.
    pub expected: u64,
    /// How many of those are marked so far.
    pub marked: u64,
    /// Every object expected or marked, by accession number.
    pub lines: Vec<CheckLine>,
}

impl InventoryCheck {
    pub fn is_finished(&self) -> bool {
        self.finished_at.is_some()
    }

    /// The lines that disagree with the record: the report a finished check gives.
    pub fn discrepancies(&self) -> impl Iterator<Item = &CheckLine> {
        self.lines.iter().filter(|l| l.is_discrepancy())
    }
}

fn load(c: &Connection, id: i64) -> Result<InventoryCheck> {
    let head = c
        .prepare_cached(
            "SELECT l.code, c.started_by, c.started_at, c.finished_by, c.finished_at, c.note
             FROM inventory_checks c JOIN locations l ON l.id = c.location_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::not_found("inventory check", id))?;
    let mut st = c.prepare_cached(
        "WITH lines(artefact_id) AS (
             SELECT artefact_id FROM inventory_expected WHERE check_id = ?1
             UNION SELECT artefact_id FROM inventory_marks WHERE check_id = ?1)
         SELECT a.accession_number, json_extract(a.doc, '$.title.zh'), json_extract(a.doc, '$.title.en'),
                coalesce((SELECT code FROM locations WHERE id = e.location_id),
                         (SELECT code FROM locations WHERE id = a.location_id)),
                m.mark, (SELECT code FROM locations WHERE id = m.found_in), e.artefact_id IS NOT NULL
         FROM lines x JOIN artefacts a ON a.id = x.artefact_id
         LEFT JOIN inventory_expected e ON e.check_id = ?1 AND e.artefact_id = x.artefact_id
         LEFT JOIN inventory_marks m ON m.check_id = ?1 AND m.artefact_id = x.artefact_id
         ORDER BY a.accession_number",
    )?;
    let lines: Vec<CheckLine> = st
        .query_map([id], |r| {
            Ok(CheckLine {
                accession: r.get(0)?,
                title_zh: r.get(1)?,
                title_en: r.get(2)?,
                recorded: r.get(3)?,
                mark: r.get::<_, Option<String>>(4)?.map(|m| Mark::parse(&m)),
                found_in: r.get(5)?,
                expected: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (location, started_by, started_at, finished_by, finished_at, note) = head;
    Ok(InventoryCheck {
        id,
        location,
        started_by,
        started_at: parse_time(&started_at),
        finished_by,
        finished_at: finished_at.as_deref().map(parse_time),
        note,
        expected: lines.iter().filter(|l| l.expected).count() as u64,
        marked: lines.iter().filter(|l| l.expected && l.mark.is_some()).count() as u64,
        lines,
    })
}

fn open_check(tx: &Transaction<'_>, id: i64) -> Result<InventoryCheck> {
    let check = load(tx, id)?;
    if check.is_finished() {
        return Err(StoreError::Conflict {
            message: format!("inventory check {id} is finished; start a new check to mark objects again"),
            current_version: None,
        });
    }
    Ok(check)
}

fn audit_check(tx: &Transaction<'_>, actor: &str, check: &InventoryCheck, action: &str) -> Result<()> {
    let after = json!({
        "location": check.location,
        "expected": check.expected,
        "marked": check.marked,
        "discrepancies": check.discrepancies().count(),
    });
    record_change(tx, actor, Entity::InventoryCheck, check.id, action, None, Some(&after))
}

impl Store {
    /// Starts a check of the location coded `code` and everything inside it: what the
    /// catalogue records there now is what the check expects to find.
    pub fn start_check(&self, actor: &str, code: &str, note: Option<&str>) -> Result<InventoryCheck> {
        self.write(|tx| {
            let here = location_by_code(tx, code)?.ok_or_else(|| StoreError::not_found("location", code))?;
            tx.execute(
                "INSERT INTO inventory_checks(location_id, started_by, started_at, note) VALUES (?1, ?2, ?3, ?4)",
                params![here.id, actor, now(), note],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "WITH RECURSIVE below(id) AS (SELECT ?2 UNION SELECT l.id FROM locations l JOIN below b ON l.parent_id = b.id)
                 INSERT INTO inventory_expected(check_id, artefact_id, location_id)
                 SELECT ?1, a.id, a.location_id FROM artefacts a WHERE a.location_id IN (SELECT id FROM below)",
                params![id, here.id],
            )?;
            let check = load(tx, id)?;
            audit_check(tx, actor, &check, "start")?;
            Ok(check)
        })
    }

    /// Marks objects of an open check, in one transaction: each `(accession, mark, found_in)`.
    /// An object found here that the check did not expect is marked found here; `found_in`
    /// names the location an object was seen in, for `elsewhere`.
    pub fn mark_check(&self, actor: &str, id: i64, marks: &[(String, Mark, Option<String>)]) -> Result<InventoryCheck> {
        self.write(|tx| {
            let check = open_check(tx, id)?;
            let here: i64 = tx.query_row("SELECT location_id FROM inventory_checks WHERE id = ?1", [id], |r| r.get(0))?;
            let at = now();
            for (i, (accession, mark, found_in)) in marks.iter().enumerate() {
                let artefact: i64 = tx
                    .prepare_cached("SELECT id FROM artefacts WHERE accession_number = ?1")?
                    .query_row([accession], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| {
                        ValidationErrors::single(format!("marks[{i}].accession"), format!("there is no object {accession}"))
                    })?;
                let place = match (mark, found_in.as_deref()) {
                    (Mark::Elsewhere, None) => {
                        return Err(ValidationErrors::single(
                            format!("marks[{i}].found_in"),
                            "say where it was found: the code of that location",
                        )
                        .into());
                    }
                    (Mark::Elsewhere, Some(code)) | (Mark::Found, Some(code)) => {
                        let found = location_by_code(tx, code)?.ok_or_else(|| {
                            ValidationErrors::single(format!("marks[{i}].found_in"), format!("there is no location {code}"))
                        })?;
                        Some(found.id)
                    }
                    // Found in the place checked: where it was recorded, when that is in it.
                    (Mark::Found, None) => Some(
                        tx.prepare_cached(
                            "SELECT location_id FROM inventory_expected WHERE check_id = ?1 AND artefact_id = ?2",
                        )?
                        .query_row(params![id, artefact], |r| r.get(0))
                        .optional()?
                        .unwrap_or(here),
                    ),
                    (Mark::Missing, _) => None,
                };
                let expected = check.lines.iter().any(|l| l.expected && l.accession == *accession);
                if !expected && *mark == Mark::Missing {
                    return Err(ValidationErrors::single(
                        format!("marks[{i}].mark"),
                        format!("{accession} is not recorded in {}; only what a check expects can be missing", check.location),
                    )
                    .into());
                }
                tx.prepare_cached(
                    "INSERT INTO inventory_marks(check_id, artefact_id, mark, found_in, marked_by, marked_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(check_id, artefact_id) DO UPDATE SET mark = excluded.mark, found_in = excluded.found_in,
                        marked_by = excluded.marked_by, marked_at = excluded.marked_at",
                )?
                .execute(params![id, artefact, mark.as_str(), place, actor, at])?;
            }
            load(tx, id)
        })
    }

    /// Finishes a check: objects expected and never marked count as not seen. With
    /// `correct`, every object found somewhere other than its record says is moved there
    /// (reason: inventory), in the same transaction.
    pub fn finish_check(&self, actor: &str, id: i64, correct: Option<&MoveOrder>) -> Result<InventoryCheck> {
        self.write(|tx| {
            let check = open_check(tx, id)?;
            if let Some(order) = correct {
                for line in check.lines.iter().filter(|l| l.mark != Some(Mark::Missing)) {
                    let (Some(found), true) = (&line.found_in, line.found_in != line.recorded) else { continue };
                    let current: Option<String> = tx.query_row(
                        "SELECT l.code FROM artefacts a JOIN locations l ON l.id = a.location_id WHERE a.accession_number = ?1",
                        [&line.accession],
                        |r| r.get(0),
                    ).optional()?;
                    if current.as_deref() == Some(found.as_str()) {
                        continue;
                    }
                    let order = MoveOrder { to: found.clone(), ..order.clone() };
                    super::locations::move_in(tx, actor, &line.accession, &order)?;
                }
            }
            tx.execute(
                "UPDATE inventory_checks SET finished_by = ?2, finished_at = ?3 WHERE id = ?1",
                params![id, actor, now()],
            )?;
            let check = load(tx, id)?;
            audit_check(tx, actor, &check, "finish")?;
            Ok(check)
        })
    }

    pub fn inventory_check(&self, id: i64) -> Result<InventoryCheck> {
        self.read(|c| load(c, id))
    }

    /// The latest checks, newest first, without their lines.
    pub fn inventory_checks(&self, limit: u32) -> Result<Vec<InventoryCheck>> {
        self.read(|c| {
            let ids: Vec<i64> = c
                .prepare_cached("SELECT id FROM inventory_checks ORDER BY id DESC LIMIT ?1")?
                .query_map([limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.into_iter()
                .map(|id| {
                    let mut check = load(c, id)?;
                    check.lines.clear();
                    Ok(check)
                })
                .collect()
        })
    }
}
