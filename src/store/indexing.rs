//! What the search indexer reads: outbox rows and the artefacts they touch.

use rusqlite::params;

use super::audit::Entity;
use super::{Result, Store};
use crate::model::view::ArtefactRecord;

impl Store {
    /// Outbox rows after `after`, oldest first: what the indexer has yet to apply.
    pub fn outbox_after(&self, after: i64, limit: u32) -> Result<Vec<(i64, String, i64)>> {
        self.read(|c| {
            let mut st =
                c.prepare_cached("SELECT id, entity, entity_id FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2")?;
            let rows = st.query_map(params![after, limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The newest outbox id (0 when empty).
    pub fn last_outbox_id(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT coalesce(max(id), 0) FROM outbox", [], |r| r.get(0))?))
    }

    /// The artefacts whose index documents a change to `entity` `id` affects.
    pub fn artefacts_affected(&self, entity: &str, id: i64) -> Result<Vec<i64>> {
        let sql = match entity {
            e if e == Entity::Artefact.as_str() => return Ok(vec![id]),
            e if e == Entity::Donation.as_str() => "SELECT id FROM artefacts WHERE donation_id = ?1",
            e if e == Entity::Party.as_str() => {
                "SELECT a.id FROM artefacts a JOIN donation_donors d ON d.donation_id = a.donation_id WHERE d.party_id = ?1"
            }
            e if e == Entity::Image.as_str() => "SELECT artefact_id FROM images WHERE seq = ?1",
            // Records hold a term by its code, as a JSON string: every record that holds the
            // code anywhere (a few more than use the term, at worst) is indexed again.
            e if e == Entity::Vocabulary.as_str() => {
                "SELECT a.id FROM artefacts a, vocabulary_terms t WHERE t.rowid = ?1 AND instr(a.doc, json_quote(t.code)) > 0"
            }
            _ => return Ok(Vec::new()),
        };
        self.read(|c| {
            let mut st = c.prepare_cached(sql)?;
            let ids = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
    }

    /// Artefacts with id above `after`, in id order: for rebuilding an index in batches.
    pub fn artefacts_after(&self, after: i64, limit: u32) -> Result<Vec<ArtefactRecord>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, version, created_at, updated_at, doc FROM artefacts WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = st.query_map(params![after, limit], super::artefacts::from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// Which published artefacts a harvester asks for.
#[derive(Debug, Clone, Default)]
pub struct HarvestFilter {
    /// Changed at or after this instant (RFC 3339, UTC).
    pub from: Option<String>,
    /// Changed at or before this instant.
    pub until: Option<String>,
    /// Only this category code.
    pub category: Option<String>,
}

impl Store {
    /// Published artefacts in the order of their last change (then id), `limit` from `offset`,
    /// with how many match in all: what OAI-PMH harvesters page through.
    pub fn harvest(&self, f: &HarvestFilter, offset: u64, limit: u32) -> Result<(Vec<ArtefactRecord>, u64)> {
        // Stored instants carry microseconds: compare against the same form.
        let from = f.from.as_deref().map(|t| format!("{}.000000Z", t.trim_end_matches('Z')));
        let until = f.until.as_deref().map(|t| format!("{}.999999Z", t.trim_end_matches('Z')));
        let filter = "status = 'published' AND NOT deaccessioned
            AND (?1 IS NULL OR updated_at >= ?1) AND (?2 IS NULL OR updated_at <= ?2)
            AND (?3 IS NULL OR json_extract(doc, '$.category') = ?3)";
        self.read(|c| {
            let total: i64 = c.query_row(&format!("SELECT count(*) FROM artefacts WHERE {filter}"), params![from, until, f.category], |r| r.get(0))?;
            let mut st = c.prepare_cached(&format!(
                "SELECT id, version, created_at, updated_at, doc FROM artefacts WHERE {filter} ORDER BY updated_at, id LIMIT ?4 OFFSET ?5"
            ))?;
            let rows = st.query_map(params![from, until, f.category, limit, offset as i64], super::artefacts::from_row)?;
            Ok((rows.collect::<rusqlite::Result<_>>()?, total as u64))
        })
    }

    /// The category codes of published artefacts, with counts: OAI-PMH sets.
    pub fn published_categories(&self) -> Result<Vec<(String, u64)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT json_extract(doc, '$.category') AS cat, count(*) FROM artefacts
                 WHERE status = 'published' AND NOT deaccessioned AND cat IS NOT NULL GROUP BY cat ORDER BY cat",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}
