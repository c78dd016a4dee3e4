//! Object entry and exit (Spectrum): a gift's objects are received with an entry number and
//! a receipt before they are accessioned, and leave with an exit record when the gift is
//! declined or returned. The donation's status follows: offered → received → accessioned,
//! or declined / returned.

use super::Catalogue;
use crate::model::donation::DonationStatus;
use crate::model::validation::{ValidationErrors, optional_text};
use crate::model::view::DonationRecord;
use crate::store::{GiftEvent, Result};

/// What an entry or an exit records besides its date.
#[derive(Debug, Clone, Default)]
pub struct EventDetails<'a> {
    /// `2026-12-07`; today when none.
    pub date: Option<&'a str>,
    /// Who received the objects (entry), or to whom they went (exit).
    pub person: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl Catalogue {
    /// Records that a gift's objects came in: the next entry number, and the gift is received.
    pub fn record_entry(&self, actor: &str, id: i64, version: i64, d: &EventDetails<'_>) -> Result<DonationRecord> {
        let event = self.event(d, "received_by")?;
        self.store.record_entry(actor, id, version, event)
    }

    /// Records that a gift's objects left: `outcome` is `declined` or `returned`.
    pub fn record_exit(
        &self,
        actor: &str,
        id: i64,
        version: i64,
        outcome: &str,
        d: &EventDetails<'_>,
    ) -> Result<DonationRecord> {
        let status = match outcome.trim() {
            "declined" => DonationStatus::Declined,
            "returned" => DonationStatus::Returned,
            other => {
                return Err(ValidationErrors::single(
                    "outcome",
                    format!("`{other}` is not how a gift leaves: use declined or returned"),
                )
                .into());
            }
        };
        let event = self.event(d, "to")?;
        self.store.record_exit(actor, id, version, status, event)
    }

    fn event(&self, d: &EventDetails<'_>, person_field: &str) -> Result<GiftEvent> {
        let mut e = ValidationErrors::default();
        let date = e.check("date", self.past_day(d.date));
        let person = e.check(person_field, optional_text(d.person, 200)).flatten();
        let note = e.check("note", optional_text(d.note, 2000)).flatten();
        match date {
            Some(date) if e.is_empty() => Ok(GiftEvent { date, person, note }),
            _ => Err(e.into()),
        }
    }
}
