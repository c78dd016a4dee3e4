//! Locations, movements and inventory checks in the store.
//!
//! A location is a row of `locations` with its parent; an object's current location is
//! kept on its artefact row (`location_id`) and is always its last movement's. Every move
//! is one transaction: the movement, the artefact's next version, its audit and outbox rows.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::audit::{Entity, record_change, record_change_json};
use super::documents::check_version;
use super::{Result, Store, StoreError, now, parse_time};
use crate::model::location::{Location, MoveReason};
use crate::model::validation::ValidationErrors;

/// A stored location.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LocationRecord {
    pub id: i64,
    pub code: String,
    /// The code of the location it is in.
    pub parent: Option<String>,
    pub version: i64,
    #[serde(flatten)]
    pub location: Location,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One movement of one object.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Movement {
    pub id: i64,
    pub accession: String,
    /// The location's code it left; none for its first placing.
    pub from: Option<String>,
    pub to: String,
    /// The day it moved, in the museum's calendar.
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub reason: MoveReason,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who moved it (who recorded the movement).
    pub by: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// One object on a shelf list.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ShelfEntry {
    pub accession: String,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    /// The code of the location it is in (the one listed, or one below it).
    pub location: String,
}

/// What a move sends: where to, when and why.
#[derive(Debug, Clone)]
pub struct MoveOrder {
    pub to: String,
    pub reason: MoveReason,
    pub date: NaiveDate,
    pub note: Option<String>,
}

const LOCATION_COLUMNS: &str = "l.id, l.code, (SELECT p.code FROM locations p WHERE p.id = l.parent_id), l.version, l.doc, l.created_at, l.updated_at";

fn location_row(r: &Row<'_>) -> rusqlite::Result<LocationRecord> {
    let doc: String = r.get(4)?;
    let location = serde_json::from_str(&doc)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(LocationRecord {
        id: r.get(0)?,
        code: r.get(1)?,
        parent: r.get(2)?,
        version: r.get(3)?,
        location,
        created_at: parse_time(&r.get::<_, String>(5)?),
        updated_at: parse_time(&r.get::<_, String>(6)?),
    })
}

const MOVEMENT_COLUMNS: &str = "m.id, a.accession_number, (SELECT code FROM locations WHERE id = m.from_id),
     (SELECT code FROM locations WHERE id = m.to_id), m.moved_on, m.reason, m.note, m.actor, m.recorded_at";

fn movement_row(r: &Row<'_>) -> rusqlite::Result<Movement> {
    let date: String = r.get(4)?;
    let reason: String = r.get(5)?;
    Ok(Movement {
        id: r.get(0)?,
        accession: r.get(1)?,
        from: r.get(2)?,
        to: r.get(3)?,
        date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or_default(),
        reason: MoveReason::parse(&reason).unwrap_or(MoveReason::Recorded),
        note: r.get(6)?,
        by: r.get(7)?,
        recorded_at: parse_time(&r.get::<_, String>(8)?),
    })
}

pub(super) fn location_by_code(c: &Connection, code: &str) -> Result<Option<LocationRecord>> {
    Ok(c.prepare_cached(&format!("SELECT {LOCATION_COLUMNS} FROM locations l WHERE l.code = ?1"))?
        .query_row([code], location_row)
        .optional()?)
}

fn location_or_404(c: &Connection, code: &str) -> Result<LocationRecord> {
    location_by_code(c, code)?.ok_or_else(|| StoreError::not_found("location", code))
}

/// The id of the location coded `code`, or a problem for `field` naming it.
fn location_id_for(c: &Connection, field: &str, code: &str) -> Result<i64> {
    let id: Option<i64> =
        c.prepare_cached("SELECT id FROM locations WHERE code = ?1")?.query_row([code], |r| r.get(0)).optional()?;
    id.ok_or_else(|| {
        ValidationErrors::single(field, format!("there is no location {code}; add it first (catalogue locations add)"))
            .into()
    })
}

/// The ids of a location and of every location below it.
fn subtree(c: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "WITH RECURSIVE below(id) AS (SELECT ?1 UNION SELECT l.id FROM locations l JOIN below b ON l.parent_id = b.id)
         SELECT id FROM below",
    )?;
    Ok(st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// Refuses a parent that is the location itself or lies below it.
fn check_parent(tx: &Transaction<'_>, id: i64, parent: i64, code: &str, parent_code: &str) -> Result<()> {
    if subtree(tx, id)?.contains(&parent) {
        return Err(ValidationErrors::single(
            "parent",
            format!("{parent_code} is {code} itself or inside it: a location cannot contain itself"),
        )
        .into());
    }
    Ok(())
}

fn audit_location(
    tx: &Transaction<'_>,
    actor: &str,
    r: &LocationRecord,
    action: &str,
    before: Option<&LocationRecord>,
) -> Result<()> {
    let after = serde_json::to_value(r)?;
    let before = before.map(serde_json::to_value).transpose()?;
    record_change(tx, actor, Entity::Location, r.id, action, before.as_ref(), Some(&after))
}

/// The artefact numbered `accession`: id, version and current location id.
fn artefact_place(tx: &Connection, accession: &str) -> Result<(i64, i64, Option<i64>)> {
    tx.prepare_cached("SELECT id, version, location_id FROM artefacts WHERE accession_number = ?1")?
        .query_row([accession], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::not_found("artefact", accession))
}

/// The day an object entered the museum, when its donation's entry is recorded.
fn entered_on(tx: &Connection, artefact_id: i64) -> Result<Option<NaiveDate>> {
    let day: Option<String> = tx
        .prepare_cached(
            "SELECT json_extract(d.doc, '$.entry.date') FROM artefacts a JOIN donations d ON d.id = a.donation_id
             WHERE a.id = ?1",
        )?
        .query_row([artefact_id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(day.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// Moves one artefact (at `version`, when given) to `to_id`, checking the date against its
/// entry and its last movement. Returns the movement's id.
#[allow(clippy::too_many_arguments)]
fn move_one(
    tx: &Transaction<'_>,
    actor: &str,
    field: &str,
    accession: &str,
    version: Option<i64>,
    to: (i64, &str),
    order: &MoveOrder,
    at: &str,
) -> Result<i64> {
    let (id, current_version, from) = artefact_place(tx, accession)?;
    if let Some(v) = version {
        check_version(Entity::Artefact, v, current_version)?;
    }
    if from == Some(to.0) {
        return Err(ValidationErrors::single(field, format!("{accession} is already in {}", to.1)).into());
    }
    if let Some(entered) = entered_on(tx, id)?
        && order.date < entered
    {
        return Err(ValidationErrors::single(
            "date",
            format!("{} is before {accession} entered the museum ({entered})", order.date),
        )
        .into());
    }
    let last: Option<String> = tx
        .prepare_cached("SELECT max(moved_on) FROM movements WHERE artefact_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if let Some(last) = last.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        && order.date < last
    {
        return Err(ValidationErrors::single(
            "date",
            format!(
                "{} is before {accession}'s last movement ({last}); record movements in the order they happened",
                order.date
            ),
        )
        .into());
    }
    let from_code: Option<String> = match from {
        Some(f) => {
            tx.prepare_cached("SELECT code FROM locations WHERE id = ?1")?.query_row([f], |r| r.get(0)).optional()?
        }
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO movements(artefact_id, from_id, to_id, moved_on, reason, note, actor, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![id, from, to.0, order.date.to_string(), order.reason.as_str(), order.note, actor, at])?;
    let movement = tx.last_insert_rowid();
    tx.prepare_cached("UPDATE artefacts SET location_id = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, to.0, at])?;
    let before = json!({ "location": from_code }).to_string();
    let after =
        json!({ "location": to.1, "reason": order.reason.as_str(), "moved_on": order.date.to_string() }).to_string();
    record_change_json(tx, actor, Entity::Artefact, id, "move", Some(&before), Some(&after))?;
    Ok(movement)
}

/// Moves one object to `order.to` inside a transaction already open.
pub(super) fn move_in(tx: &Transaction<'_>, actor: &str, accession: &str, order: &MoveOrder) -> Result<i64> {
    let to = location_id_for(tx, "to", &order.to)?;
    move_one(tx, actor, "to", accession, None, (to, &order.to), order, &now())
}

/// The location a storage location written on a record (a register's 存放位置) names: by its
/// code, or by its Chinese or English name, when exactly one location has it.
pub(super) fn written_place(tx: &Connection, written: Option<&str>) -> Result<Option<String>> {
    let Some(text) = written.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if let Some(l) = location_by_code(tx, text)? {
        return Ok(Some(l.code));
    }
    let named: Vec<String> = tx
        .prepare_cached(
            "SELECT code FROM locations WHERE json_extract(doc, '$.name.zh') = ?1
             OR json_extract(doc, '$.name.en') = ?1 COLLATE NOCASE LIMIT 2",
        )?
        .query_map([text], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if named.len() == 1 { named.into_iter().next() } else { None })
}

/// Places an object in the location coded `code`, recorded today, unless it is there already.
/// Returns whether it moved.
pub(super) fn place_if_elsewhere(tx: &Transaction<'_>, actor: &str, accession: &str, code: &str) -> Result<bool> {
    let (_, _, at) = artefact_place(tx, accession)?;
    let to = location_id_for(tx, "to", code)?;
    if at == Some(to) {
        return Ok(false);
    }
    let order = MoveOrder {
        to: code.to_string(),
        reason: MoveReason::Recorded,
        date: chrono::Utc::now().date_naive(),
        note: Some("storage location written in an imported record".into()),
    };
    move_one(tx, actor, "to", accession, None, (to, code), &order, &now())?;
    Ok(true)
}

fn movements_by_ids(c: &Connection, ids: &[i64]) -> Result<Vec<Movement>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {MOVEMENT_COLUMNS} FROM movements m JOIN artefacts a ON a.id = m.artefact_id WHERE m.id = ?1"
    ))?;
    ids.iter().map(|id| Ok(st.query_row([id], movement_row)?)).collect()
}

impl Store {
    /// A new location; a code already used is a conflict, an unknown parent a problem.
    pub fn create_location(
        &self,
        actor: &str,
        code: &str,
        location: &Location,
        parent: Option<&str>,
    ) -> Result<LocationRecord> {
        self.write(|tx| {
            if location_by_code(tx, code)?.is_some() {
                return Err(StoreError::Conflict {
                    message: format!("location code {code} is already used; choose another code"),
                    current_version: None,
                });
            }
            let parent_id = parent.map(|p| location_id_for(tx, "parent", p)).transpose()?;
            let ts = now();
            tx.execute(
                "INSERT INTO locations(code, parent_id, version, doc, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?4)",
                params![code, parent_id, serde_json::to_string(location)?, ts],
            )?;
            let created = location_or_404(tx, code)?;
            audit_location(tx, actor, &created, "create", None)?;
            Ok(created)
        })
    }

    /// Changes a location at `version`: its name, kind, note, code or parent. A parent
    /// inside the location itself is refused.
    pub fn change_location(
        &self,
        actor: &str,
        code: &str,
        version: i64,
        new_code: &str,
        location: &Location,
        parent: Option<&str>,
    ) -> Result<LocationRecord> {
        self.write(|tx| {
            let current = location_or_404(tx, code)?;
            check_version(Entity::Location, version, current.version)?;
            if new_code != current.code && location_by_code(tx, new_code)?.is_some_and(|o| o.id != current.id) {
                return Err(StoreError::Conflict {
                    message: format!("location code {new_code} is already used; choose another code"),
                    current_version: Some(current.version),
                });
            }
            let parent_id = match parent {
                Some(p) => {
                    let pid = location_id_for(tx, "parent", p)?;
                    check_parent(tx, current.id, pid, &current.code, p)?;
                    Some(pid)
                }
                None => None,
            };
            tx.execute(
                "UPDATE locations SET code = ?2, parent_id = ?3, version = version + 1, doc = ?4, updated_at = ?5 WHERE id = ?1",
                params![current.id, new_code, parent_id, serde_json::to_string(location)?, now()],
            )?;
            let changed = location_or_404(tx, new_code)?;
            audit_location(tx, actor, &changed, "update", Some(&current))?;
            Ok(changed)
        })
    }

    pub fn location(&self, code: &str) -> Result<Option<LocationRecord>> {
        self.read(|c| location_by_code(c, code))
    }

    /// Every location, by code.
    pub fn locations(&self) -> Result<Vec<LocationRecord>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!("SELECT {LOCATION_COLUMNS} FROM locations l ORDER BY l.code"))?;
            Ok(st.query_map([], location_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// How many objects each location holds itself, by location id.
    pub fn location_counts(&self) -> Result<Vec<(i64, u64)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT location_id, count(*) FROM artefacts WHERE location_id IS NOT NULL GROUP BY location_id",
            )?;
            Ok(st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The objects in a location and, with `below`, in every location inside it, by
    /// location and accession number: a shelf list.
    pub fn shelf_list(&self, code: &str, below: bool) -> Result<Vec<ShelfEntry>> {
        self.read(|c| {
            let here = location_or_404(c, code)?;
            let ids = if below { subtree(c, here.id)? } else { vec![here.id] };
            let mut st = c.prepare_cached(
                "SELECT a.accession_number, json_extract(a.doc, '$.title.zh'), json_extract(a.doc, '$.title.en'), l.code
                 FROM artefacts a JOIN locations l ON l.id = a.location_id
                 WHERE a.location_id IN (SELECT value FROM json_each(?1))
                 ORDER BY l.code, a.accession_number",
            )?;
            let ids = serde_json::to_string(&ids)?;
            Ok(st
                .query_map([ids], |r| {
                    Ok(ShelfEntry {
                        accession: r.get(0)?,
                        title_zh: r.get(1)?,
                        title_en: r.get(2)?,
                        location: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Where an object is now: its location's code, if it has one.
    pub fn current_location(&self, accession: &str) -> Result<Option<LocationRecord>> {
        self.read(|c| {
            let (_, _, at) = artefact_place(c, accession)?;
            match at {
                Some(id) => Ok(c
                    .prepare_cached(&format!("SELECT {LOCATION_COLUMNS} FROM locations l WHERE l.id = ?1"))?
                    .query_row([id], location_row)
                    .optional()?),
                None => Ok(None),
            }
        })
    }

    /// Every movement of an object, oldest first.
    pub fn movements(&self, accession: &str) -> Result<Vec<Movement>> {
        self.read(|c| {
            let (id, _, _) = artefact_place(c, accession)?;
            let mut st = c.prepare_cached(&format!(
                "SELECT {MOVEMENT_COLUMNS} FROM movements m JOIN artefacts a ON a.id = m.artefact_id
                 WHERE m.artefact_id = ?1 ORDER BY m.moved_on, m.id"
            ))?;
            Ok(st.query_map([id], movement_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Moves the objects `selection` names (accession number, and the version read, when
    /// known) to `order.to`: all in one transaction, or none when one cannot move (not found,
    /// changed since it was read, already there, or a date before its entry or last move).
    pub fn move_artefacts(
        &self,
        actor: &str,
        selection: &[(String, Option<i64>)],
        order: &MoveOrder,
    ) -> Result<Vec<Movement>> {
        self.write(|tx| {
            let to = location_id_for(tx, "to", &order.to)?;
            let at = now();
            let mut ids = Vec::with_capacity(selection.len());
            for (i, (accession, version)) in selection.iter().enumerate() {
                let field = if selection.len() == 1 { "to".to_string() } else { format!("accessions[{i}]") };
                ids.push(move_one(tx, actor, &field, accession, *version, (to, &order.to), order, &at)?);
            }
            movements_by_ids(tx, &ids)
        })
    }

    /// Moves every object in location `from` (and, with `below`, in the locations inside
    /// it) to `order.to`, in one transaction.
    pub fn move_contents(&self, actor: &str, from: &str, below: bool, order: &MoveOrder) -> Result<Vec<Movement>> {
        self.write(|tx| {
            let here = location_or_404(tx, from)?;
            let to = location_id_for(tx, "to", &order.to)?;
            if to == here.id {
                return Err(ValidationErrors::single("to", format!("the objects are already in {from}")).into());
            }
            let ids = if below { subtree(tx, here.id)? } else { vec![here.id] };
            let accessions: Vec<String> = tx
                .prepare_cached(
                    "SELECT accession_number FROM artefacts WHERE location_id IN (SELECT value FROM json_each(?1))
                     AND location_id != ?2 ORDER BY accession_number",
                )?
                .query_map(params![serde_json::to_string(&ids)?, to], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if accessions.is_empty() {
                return Err(ValidationErrors::single("from", format!("{from} holds no objects to move")).into());
            }
            let at = now();
            let mut moved = Vec::with_capacity(accessions.len());
            for a in &accessions {
                moved.push(move_one(tx, actor, "to", a, None, (to, &order.to), order, &at)?);
            }
            movements_by_ids(tx, &moved)
        })
    }
}
