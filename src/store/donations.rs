//! Donations in the store.

use rusqlite::{Transaction, params};

use super::audit::Entity;
use super::records::{DocRecord, check_parties, list};
use super::{Page, PageRequest, Result, Store};
use crate::model::donation::{Donation, DonationStatus};
use crate::model::view::DonationRecord;

/// Which donations to list.
#[derive(Debug, Clone, Default)]
pub struct DonationFilter {
    pub donor_id: Option<i64>,
    pub status: Option<DonationStatus>,
    pub page: PageRequest,
}

impl DocRecord for Donation {
    const TABLE: &'static str = "donations";
    const ENTITY: Entity = Entity::Donation;
    const MERGED: &'static [&'static str] = &["occasion"];

    fn columns(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        vec![("status", self.status.as_str().to_string().into())]
    }

    fn after_write(&self, tx: &Transaction<'_>, id: i64) -> Result<()> {
        check_parties(tx, self.donor_ids.iter().enumerate().map(|(i, d)| (format!("donor_ids[{i}]"), *d)))?;
        tx.execute("DELETE FROM donation_donors WHERE donation_id = ?1", [id])?;
        for donor in &self.donor_ids {
            tx.execute(
                "INSERT OR IGNORE INTO donation_donors(donation_id, party_id) VALUES (?1, ?2)",
                params![id, donor],
            )?;
        }
        Ok(())
    }
}

impl Store {
    pub fn create_donation(&self, actor: &str, donation: &Donation) -> Result<DonationRecord> {
        self.create_record(actor, donation)
    }

    pub fn donation(&self, id: i64) -> Result<Option<DonationRecord>> {
        self.record(id)
    }

    pub fn donations(&self, f: &DonationFilter) -> Result<Page<DonationRecord>> {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(d) = f.donor_id {
            args.push(d.into());
            clauses.push(format!("id IN (SELECT donation_id FROM donation_donors WHERE party_id = ?{})", args.len()));
        }
        if let Some(s) = f.status {
            args.push(s.as_str().to_string().into());
            clauses.push(format!("status = ?{}", args.len()));
        }
        self.read(|c| list(c, &clauses.join(" AND "), &args, f.page))
    }
}
