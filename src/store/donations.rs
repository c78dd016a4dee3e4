//! Donations in the store.

use rusqlite::{Connection, Transaction, params};

use super::audit::Entity;
use super::documents::{DocRecord, check_parties, get_or_404, insert_record, list_ordered};
use super::{Page, PageRequest, Result, Store};
use crate::model::donation::{Donation, DonationStatus};
use crate::model::text::{to_simplified, to_traditional};
use crate::model::view::DonationRecord;

/// Which donations to list.
#[derive(Debug, Clone, Default)]
pub struct DonationFilter {
    pub donor_id: Option<i64>,
    pub status: Option<DonationStatus>,
    /// Donations whose record holds this text (an occasion, a venue, a date, the terms) in
    /// either script; never matched against the private notes.
    pub text: Option<String>,
    /// The newest first (otherwise in the order they were recorded).
    pub newest_first: bool,
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
        if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let mut any = Vec::new();
            for form in [t.to_string(), to_simplified(t), to_traditional(t)] {
                args.push(form.into());
                any.push(format!("instr(json_remove(doc, '$.internal_notes'), ?{}) > 0", args.len()));
            }
            clauses.push(format!("({})", any.join(" OR ")));
        }
        let order = if f.newest_first { "id DESC" } else { "id" };
        self.read(|c| list_ordered(c, &clauses.join(" AND "), &args, f.page, order))
    }
}

/// A donation with how far its items have come.
#[derive(Debug, Clone)]
pub struct DonationSummary {
    pub donation: DonationRecord,
    pub drafts: i64,
    pub accessioned: i64,
    pub published: i64,
}

impl Store {
    /// The donations `f` asks for, each with its items counted by status.
    pub fn donation_summaries(&self, f: &DonationFilter) -> Result<Page<DonationSummary>> {
        let found = self.donations(f)?;
        let mut items = Vec::with_capacity(found.items.len());
        for donation in found.items {
            let (drafts, accessioned, published) = self.read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FILTER (WHERE status = 'internal'),
                            count(*) FILTER (WHERE status = 'published')
                     FROM artefacts WHERE donation_id = ?1 AND deaccessioned = 0",
                    [donation.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })?;
            items.push(DonationSummary { donation, drafts, accessioned, published });
        }
        Ok(Page { items, total: found.total, page: found.page, per_page: found.per_page })
    }

    /// The newest donations first, with their items counted by status.
    pub fn recent_donations(&self, limit: u32) -> Result<Vec<DonationSummary>> {
        let filter =
            DonationFilter { newest_first: true, page: PageRequest { page: 1, per_page: limit }, ..Default::default() };
        Ok(self.donation_summaries(&filter)?.items)
    }
}

impl Store {
    /// Stores a new donation. One without a number takes the next free number of its year
    /// (numbers count donations within their year), read in the transaction that writes, so
    /// two donations recorded at once never share a number.
    pub fn create_donation(&self, actor: &str, mut donation: Donation) -> Result<DonationRecord> {
        self.write(|tx| {
            if donation.number.is_none()
                && let Some(year) = donation.accession_year()
            {
                donation.number = Some(next_number(tx, year)?);
            }
            let id = insert_record(tx, actor, &donation)?;
            get_or_404(tx, id)
        })
    }
}

/// The next free donation number of `year`.
fn next_number(c: &Connection, year: i32) -> Result<u32> {
    let mut st = c.prepare("SELECT doc FROM donations")?;
    let docs = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let highest = docs
        .iter()
        .filter_map(|d| serde_json::from_str::<Donation>(d).ok())
        .filter(|d| d.accession_year() == Some(year))
        .filter_map(|d| d.number)
        .max()
        .unwrap_or(0);
    Ok(highest + 1)
}
