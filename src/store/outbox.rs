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
