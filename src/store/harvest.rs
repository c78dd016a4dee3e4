//! What harvesters (OAI-PMH) and the public site's lists read: published artefacts
//! by date and set, and the categories that have any.

use super::{Result, Store};
use crate::model::view::ArtefactRecord;
use rusqlite::params;

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
