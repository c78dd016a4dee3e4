//! Parties in the store.

use rusqlite::Transaction;

use super::audit::Entity;
use super::documents::{DocRecord, check_parties, from_row, list};
use super::{Page, PageRequest, Result, Store};
use crate::model::party::Party;
use crate::model::view::PartyRecord;

impl DocRecord for Party {
    const TABLE: &'static str = "parties";
    const ENTITY: Entity = Entity::Party;
    const MERGED: &'static [&'static str] = &["name", "biography", "contact"];

    fn columns(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        vec![("name", self.name.best().unwrap_or_default().to_string().into())]
    }

    fn after_write(&self, tx: &Transaction<'_>, _id: i64) -> Result<()> {
        let related = self
            .relations
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((format!("relations[{i}].party_id"), r.party_id?)));
        check_parties(tx, related)
    }
}

impl Store {
    pub fn create_party(&self, actor: &str, party: &Party) -> Result<PartyRecord> {
        self.create_record(actor, party)
    }

    pub fn party(&self, id: i64) -> Result<Option<PartyRecord>> {
        self.record(id)
    }

    /// Parties whose name contains `name` (any, if none), oldest first.
    pub fn parties(&self, name: Option<&str>, page: PageRequest) -> Result<Page<PartyRecord>> {
        self.read(|c| match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => list(c, "instr(doc, ?1) > 0", &[n.to_string().into()], page),
            None => list(c, "1 = 1", &[], page),
        })
    }

    /// Every party named as a donor of some donation, with how many donations they gave,
    /// in the order they were recorded.
    pub fn donors(&self) -> Result<Vec<(PartyRecord, i64)>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT p.id, p.version, p.created_at, p.updated_at, p.doc, count(*) FROM parties p
                 JOIN donation_donors d ON d.party_id = p.id GROUP BY p.id ORDER BY p.id",
            )?;
            let rows = st.query_map([], |r| Ok((from_row::<Party>(r)?, r.get(5)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}
