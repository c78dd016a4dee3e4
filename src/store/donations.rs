//! Donations in the store.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::audit::Entity;
use super::documents::{DocRecord, check_parties, get_or_404, insert_record, list_ordered};
use super::{Page, PageRequest, Result, Store, StoreError};
use crate::model::donation::{Donation, DonationStatus, ObjectEntry, ObjectExit};
use crate::model::text::{to_simplified, to_traditional};
use crate::model::validation::ValidationErrors;
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

/// A gift's objects coming in or leaving: when, who (received them, or took them), and a note.
#[derive(Debug, Clone)]
pub struct GiftEvent {
    pub date: chrono::NaiveDate,
    pub person: Option<String>,
    pub note: Option<String>,
}

/// The next entry or exit number of a year: `E2026-001`, `X2026-001` (`prefix` `E` or `X`).
fn next_event_number(c: &Connection, field: &str, prefix: char, year: i32) -> Result<String> {
    let start = format!("{prefix}{year}-");
    let mut st = c.prepare(&format!(
        "SELECT json_extract(doc, '$.{field}.number') FROM donations WHERE json_extract(doc, '$.{field}.number') LIKE ?1"
    ))?;
    let highest = st
        .query_map([format!("{start}%")], |r| r.get::<_, String>(0))?
        .filter_map(|n| n.ok()?.strip_prefix(&start)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("{start}{:03}", highest + 1))
}

/// Refuses an exit while an item of the donation is accessioned and still in the collection.
fn check_nothing_accessioned(c: &Connection, id: i64) -> Result<()> {
    let kept: Option<String> = c
        .query_row(
            "SELECT accession_number FROM artefacts WHERE donation_id = ?1 AND status != 'draft' AND deaccessioned = 0
             ORDER BY accession_number LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match kept {
        Some(a) => Err(ValidationErrors::single(
            "status",
            format!("{a} is accessioned and still in the collection: deaccession it before the objects leave"),
        )
        .into()),
        None => Ok(()),
    }
}

impl Store {
    /// Records the objects' entry: the next entry number of the date's year (the receipt's
    /// number too, when it has none), and the gift is received.
    pub fn record_entry(&self, actor: &str, id: i64, version: i64, event: GiftEvent) -> Result<DonationRecord> {
        let GiftEvent { date, person: received_by, note } = event;
        self.change_record_with(actor, id, version, "entry", |tx, d: &Donation| {
            if let Some(entry) = &d.entry {
                return Err(StoreError::Conflict {
                    message: format!("the objects' entry is already recorded, as {}", entry.number),
                    current_version: None,
                });
            }
            if d.status != DonationStatus::Offered {
                return Err(ValidationErrors::single(
                    "status",
                    format!("the gift is {}; only an offered gift is received", d.status.as_str()),
                )
                .into());
            }
            let number = next_event_number(tx, "entry", 'E', chrono::Datelike::year(&date))?;
            let mut next = d.clone();
            next.receipt_number.get_or_insert_with(|| number.clone());
            next.entry = Some(ObjectEntry { number, date, received_by, note });
            next.status = DonationStatus::Received;
            Ok(next)
        })
    }

    /// Records the objects' exit: the gift was declined or returned (`status`).
    pub fn record_exit(
        &self,
        actor: &str,
        id: i64,
        version: i64,
        status: DonationStatus,
        event: GiftEvent,
    ) -> Result<DonationRecord> {
        let GiftEvent { date, person: to, note } = event;
        self.change_record_with(actor, id, version, "exit", |tx, d: &Donation| {
            if let Some(exit) = &d.exit {
                return Err(StoreError::Conflict {
                    message: format!("the objects' exit is already recorded, as {}", exit.number),
                    current_version: None,
                });
            }
            if let Some(entry) = d.entry.as_ref().filter(|e| date < e.date) {
                return Err(ValidationErrors::single(
                    "date",
                    format!("{date} is before the objects entered ({})", entry.date),
                )
                .into());
            }
            check_nothing_accessioned(tx, id)?;
            let number = next_event_number(tx, "exit", 'X', chrono::Datelike::year(&date))?;
            let mut next = d.clone();
            next.exit = Some(ObjectExit { number, date, to, note });
            next.status = status;
            Ok(next)
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
