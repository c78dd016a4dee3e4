//! Parties and donations: records kept as a JSON document with a version.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::audit::{Entity, record_change};
use super::{Page, PageRequest, Result, Store, StoreError, now, parse_time};
use crate::model::validation::ValidationErrors;
use crate::model::view::Stored;

/// A record type kept in a table of its own with `id, version, doc, created_at, updated_at`.
pub trait DocRecord: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    const ENTITY: Entity;
    /// Object fields a PATCH merges key by key.
    const MERGED: &'static [&'static str];
    /// Extra columns kept beside the document, as (name, value).
    fn columns(&self) -> Vec<(&'static str, rusqlite::types::Value)>;
    /// Writes what else the record implies (link tables) and checks its references.
    fn after_write(&self, tx: &Transaction<'_>, id: i64) -> Result<()>;
}

pub(super) fn from_row<T: DocRecord>(r: &Row<'_>) -> rusqlite::Result<Stored<T>> {
    let doc: String = r.get(4)?;
    let record = serde_json::from_str(&doc)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(Stored {
        id: r.get(0)?,
        version: r.get(1)?,
        created_at: parse_time(&r.get::<_, String>(2)?),
        updated_at: parse_time(&r.get::<_, String>(3)?),
        record,
    })
}

pub(super) fn get<T: DocRecord>(c: &Connection, id: i64) -> Result<Option<Stored<T>>> {
    let sql = format!("SELECT id, version, created_at, updated_at, doc FROM {} WHERE id = ?1", T::TABLE);
    Ok(c.query_row(&sql, [id], from_row::<T>).optional()?)
}

pub(super) fn get_or_404<T: DocRecord>(c: &Connection, id: i64) -> Result<Stored<T>> {
    get(c, id)?.ok_or_else(|| StoreError::not_found(T::ENTITY.as_str(), id))
}

/// Records of `T` matching `filter` (an SQL condition over `args`), oldest first.
pub(super) fn list<T: DocRecord>(
    c: &Connection,
    filter: &str,
    args: &[rusqlite::types::Value],
    page: PageRequest,
) -> Result<Page<Stored<T>>> {
    list_ordered(c, filter, args, page, "id")
}

/// As [`list`], in `order` (an `ORDER BY` clause over the table's columns).
pub(super) fn list_ordered<T: DocRecord>(
    c: &Connection,
    filter: &str,
    args: &[rusqlite::types::Value],
    page: PageRequest,
    order: &str,
) -> Result<Page<Stored<T>>> {
    let total: i64 = c.query_row(
        &format!("SELECT count(*) FROM {} WHERE {filter}", T::TABLE),
        rusqlite::params_from_iter(args),
        |r| r.get(0),
    )?;
    let mut all = args.to_vec();
    all.push(i64::from(page.per_page).into());
    all.push(page.offset().into());
    let n = all.len();
    let sql = format!(
        "SELECT id, version, created_at, updated_at, doc FROM {} WHERE {filter} ORDER BY {order} LIMIT ?{} OFFSET ?{n}",
        T::TABLE,
        n - 1
    );
    let items = c
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(&all), from_row::<T>)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page { items, total: total as u64, page: page.page.max(1), per_page: page.per_page })
}

fn write<T: DocRecord>(tx: &Transaction<'_>, id: Option<i64>, record: &T, version: i64) -> Result<i64> {
    let cols = record.columns();
    let doc = serde_json::to_string(record)?;
    let ts = now();
    let mut values: Vec<rusqlite::types::Value> = vec![version.into(), doc.into(), ts.into()];
    values.extend(cols.iter().map(|(_, v)| v.clone()));
    let id = match id {
        None => {
            let names: String = cols.iter().map(|(n, _)| format!(", {n}")).collect();
            let marks: String = (0..cols.len()).map(|i| format!(", ?{}", i + 4)).collect();
            let sql = format!(
                "INSERT INTO {}(version, doc, created_at, updated_at{names}) VALUES (?1, ?2, ?3, ?3{marks})",
                T::TABLE
            );
            tx.execute(&sql, rusqlite::params_from_iter(&values))?;
            tx.last_insert_rowid()
        }
        Some(id) => {
            let sets: String = cols.iter().enumerate().map(|(i, (n, _))| format!(", {n} = ?{}", i + 4)).collect();
            values.push(id.into());
            let sql = format!(
                "UPDATE {} SET version = ?1, doc = ?2, updated_at = ?3{sets} WHERE id = ?{}",
                T::TABLE,
                values.len()
            );
            tx.execute(&sql, rusqlite::params_from_iter(&values))?;
            id
        }
    };
    record.after_write(tx, id)?;
    Ok(id)
}

/// Stores a new party or donation inside a transaction, with its audit and outbox rows.
pub(super) fn insert_record<T: DocRecord>(tx: &Transaction<'_>, actor: &str, record: &T) -> Result<i64> {
    let id = write(tx, None, record, 1)?;
    record_change(tx, actor, T::ENTITY, id, "create", None, Some(&serde_json::to_value(record)?))?;
    Ok(id)
}

impl Store {
    /// Stores a new party or donation.
    pub fn create_record<T: DocRecord>(&self, actor: &str, record: &T) -> Result<Stored<T>> {
        self.write(|tx| {
            let id = insert_record(tx, actor, record)?;
            get_or_404(tx, id)
        })
    }

    /// Replaces a party or donation with what `change` makes of the stored one, if `version`
    /// is still current: one transaction, with its audit row.
    pub fn change_record<T: DocRecord>(
        &self,
        actor: &str,
        id: i64,
        version: i64,
        change: impl FnOnce(&T) -> Result<T>,
    ) -> Result<Stored<T>> {
        self.change_record_with(actor, id, version, "update", |_, current| change(current))
    }

    /// As [`Store::change_record`], for a change that reads the store in its transaction
    /// (a number counted over the other records), audited as `action`.
    pub(super) fn change_record_with<T: DocRecord>(
        &self,
        actor: &str,
        id: i64,
        version: i64,
        action: &str,
        change: impl FnOnce(&Transaction<'_>, &T) -> Result<T>,
    ) -> Result<Stored<T>> {
        self.write(|tx| {
            let current: Stored<T> = get_or_404(tx, id)?;
            check_version(T::ENTITY, version, current.version)?;
            let record = change(tx, &current.record)?;
            let before = serde_json::to_value(&current.record)?;
            write(tx, Some(id), &record, version + 1)?;
            record_change(tx, actor, T::ENTITY, id, action, Some(&before), Some(&serde_json::to_value(&record)?))?;
            get_or_404(tx, id)
        })
    }

    /// A party or donation by id.
    pub fn record<T: DocRecord>(&self, id: i64) -> Result<Option<Stored<T>>> {
        self.read(|c| get(c, id))
    }
}

/// Checks that every party id exists, naming the field of each one that does not.
pub(super) fn check_parties(tx: &Transaction<'_>, ids: impl IntoIterator<Item = (String, i64)>) -> Result<()> {
    let mut e = ValidationErrors::default();
    note_missing_parties(tx, ids, &mut e)?;
    if e.is_empty() { Ok(()) } else { Err(e.into()) }
}

/// Adds a problem to `e` for every party id that does not exist.
pub(super) fn note_missing_parties(
    tx: &Transaction<'_>,
    ids: impl IntoIterator<Item = (String, i64)>,
    e: &mut ValidationErrors,
) -> Result<()> {
    for (field, id) in ids {
        let found: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM parties WHERE id = ?1)", params![id], |r| r.get(0))?;
        if !found {
            e.push(field, format!("there is no party {id}"));
        }
    }
    Ok(())
}

/// Refuses a write based on a stale read.
pub(super) fn check_version(entity: Entity, sent: i64, current: i64) -> Result<()> {
    if sent == current { Ok(()) } else { Err(StoreError::stale(entity.as_str(), sent, current)) }
}
