//! Sets in the store: named lists of artefacts, each kept by its owner.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Result, Store, StoreError, now, parse_time};

/// A named list of artefacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecordSet {
    pub id: i64,
    pub name: String,
    /// The user who keeps it.
    pub owner: String,
    /// Shared sets are seen by all staff; the others by their owner alone.
    pub shared: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// How many records it holds.
    pub count: i64,
}

const COLUMNS: &str =
    "s.id, s.name, s.owner, s.shared, s.created_at, (SELECT count(*) FROM record_set_members m WHERE m.set_id = s.id)";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordSet> {
    Ok(RecordSet {
        id: r.get(0)?,
        name: r.get(1)?,
        owner: r.get(2)?,
        shared: r.get(3)?,
        created_at: parse_time(&r.get::<_, String>(4)?),
        count: r.get(5)?,
    })
}

impl Store {
    /// A new, empty set; a name its owner already gave another set is a conflict.
    pub fn create_set(&self, owner: &str, name: &str, shared: bool) -> Result<RecordSet> {
        self.write(|tx| {
            let taken: Option<i64> = tx
                .query_row("SELECT id FROM record_sets WHERE owner = ?1 AND name = ?2", params![owner, name], |r| {
                    r.get(0)
                })
                .optional()?;
            if taken.is_some() {
                return Err(StoreError::Conflict {
                    message: format!("you already keep a set named “{name}”; choose another name"),
                    current_version: None,
                });
            }
            tx.execute(
                "INSERT INTO record_sets(name, owner, shared, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, owner, shared, now()],
            )?;
            let id = tx.last_insert_rowid();
            Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM record_sets s WHERE s.id = ?1"), [id], from_row)?)
        })
    }

    /// The sets `user` keeps and those shared with everyone, by name.
    pub fn sets_for(&self, user: &str) -> Result<Vec<RecordSet>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {COLUMNS} FROM record_sets s WHERE s.owner = ?1 OR s.shared = 1 ORDER BY s.name, s.id"
            ))?;
            Ok(st.query_map([user], from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    pub fn record_set(&self, id: i64) -> Result<Option<RecordSet>> {
        self.read(|c| {
            Ok(c.query_row(&format!("SELECT {COLUMNS} FROM record_sets s WHERE s.id = ?1"), [id], from_row)
                .optional()?)
        })
    }

    /// Adds the artefacts numbered `accessions` to the set, in one transaction: all, or none
    /// when one of them does not exist (named in the error). Returns how many were new to it.
    pub fn add_to_set(&self, id: i64, accessions: &[String]) -> Result<u64> {
        self.write(|tx| {
            let mut added = 0;
            for accession in accessions {
                let artefact: Option<i64> = tx
                    .query_row("SELECT id FROM artefacts WHERE accession_number = ?1", [accession], |r| r.get(0))
                    .optional()?;
                let artefact = artefact.ok_or_else(|| StoreError::not_found("artefact", accession))?;
                added += tx.execute(
                    "INSERT OR IGNORE INTO record_set_members(set_id, artefact_id, added_at) VALUES (?1, ?2, ?3)",
                    params![id, artefact, now()],
                )? as u64;
            }
            Ok(added)
        })
    }

    /// Takes the artefacts numbered `accessions` out of the set; returns how many were in it.
    pub fn remove_from_set(&self, id: i64, accessions: &[String]) -> Result<u64> {
        self.write(|tx| {
            let mut removed = 0;
            for accession in accessions {
                removed += tx.execute(
                    "DELETE FROM record_set_members WHERE set_id = ?1
                     AND artefact_id = (SELECT id FROM artefacts WHERE accession_number = ?2)",
                    params![id, accession],
                )? as u64;
            }
            Ok(removed)
        })
    }

    /// The accession numbers of a set's records, in the order they were added.
    pub fn set_members(&self, id: i64) -> Result<Vec<String>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT a.accession_number FROM record_set_members m JOIN artefacts a ON a.id = m.artefact_id
                 WHERE m.set_id = ?1 ORDER BY m.added_at, a.accession_number",
            )?;
            Ok(st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
        })
    }
}
