//! The audit log (who, when, what, before/after) and the outbox beside it.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::{Result, Store, now, parse_time};

/// The kinds of record the audit log speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Artefact,
    Party,
    Donation,
    User,
    Image,
    Vocabulary,
    Location,
    InventoryCheck,
    /// A setting an admin changed.
    Setting,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Artefact => "artefact",
            Entity::Party => "party",
            Entity::Donation => "donation",
            Entity::User => "user",
            Entity::Image => "image",
            Entity::Vocabulary => "vocabulary",
            Entity::Location => "location",
            Entity::InventoryCheck => "inventory_check",
            Entity::Setting => "setting",
        }
    }

    /// Records the search indexes show; their changes go to the outbox.
    fn indexed(self) -> bool {
        // A vocabulary term's labels are indexed with every record that uses it.
        matches!(self, Entity::Artefact | Entity::Party | Entity::Donation | Entity::Image | Entity::Vocabulary)
    }
}

/// One change in a record's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The user who made the change (`system:…` for the catalogue's own work).
    pub actor: String,
    /// `create`, `update`, `deaccession` …
    pub action: String,
    /// The top-level fields that changed.
    pub changed: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// One change in the activity log, with the record it touched.
#[derive(Debug, Clone)]
pub struct Activity {
    /// `artefact`, `party`, `donation`, `user`, `image`.
    pub entity: String,
    pub entity_id: i64,
    pub entry: AuditEntry,
}

/// Appends the audit row and, for indexed records, the outbox row of one change.
pub(super) fn record_change(
    tx: &Transaction<'_>,
    actor: &str,
    entity: Entity,
    entity_id: i64,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    let (before, after) = (before.map(Value::to_string), after.map(Value::to_string));
    record_change_json(tx, actor, entity, entity_id, action, before.as_deref(), after.as_deref())
}

/// As [`record_change`], with the states already written as JSON.
pub(super) fn record_change_json(
    tx: &Transaction<'_>,
    actor: &str,
    entity: Entity,
    entity_id: i64,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let at = now();
    tx.prepare_cached(
        "INSERT INTO audit(at, actor, entity, entity_id, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![at, actor, entity.as_str(), entity_id, action, before, after])?;
    if entity.indexed() {
        tx.prepare_cached("INSERT INTO outbox(entity, entity_id, at) VALUES (?1, ?2, ?3)")?.execute(params![
            entity.as_str(),
            entity_id,
            at
        ])?;
    }
    Ok(())
}

fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<String> = b.keys().chain(a.keys()).filter(|k| b.get(*k) != a.get(*k)).cloned().collect();
    keys.sort();
    keys.dedup();
    keys
}

/// An audit entry from a row of `id, at, actor, action, before, after`.
fn entry_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok());
    let before = parse(r.get(4)?);
    let after = parse(r.get(5)?);
    Ok(AuditEntry {
        id: r.get(0)?,
        at: parse_time(&r.get::<_, String>(1)?),
        actor: r.get(2)?,
        action: r.get(3)?,
        changed: changed_fields(before.as_ref(), after.as_ref()),
        before,
        after,
    })
}

impl Store {
    /// Every change to one record, oldest first.
    pub fn history(&self, entity: Entity, entity_id: i64) -> Result<Vec<AuditEntry>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, at, actor, action, before, after FROM audit WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
            )?;
            let rows = st.query_map(params![entity.as_str(), entity_id], entry_of)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The newest changes to any record, newest first: the activity log.
    pub fn activity(&self, limit: u32, offset: u64) -> Result<(Vec<Activity>, u64)> {
        self.read(|c| {
            let total: i64 = c.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
            let mut st = c.prepare_cached(
                "SELECT id, at, actor, action, before, after, entity, entity_id FROM audit ORDER BY id DESC LIMIT ?1 OFFSET ?2",
            )?;
            let rows = st.query_map(params![limit, offset as i64], |r| {
                Ok(Activity { entity: r.get(6)?, entity_id: r.get(7)?, entry: entry_of(r)? })
            })?;
            Ok((rows.collect::<rusqlite::Result<_>>()?, total as u64))
        })
    }

    /// How many audit rows there are in all (for checks that nothing was written).
    pub fn audit_count(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?))
    }
}
