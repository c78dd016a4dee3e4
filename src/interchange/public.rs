//! What the public may know of a published object beyond its own record: its
//! donation and donors (each named only as they consented), its public images,
//! and the credit line to print. The object page, Linked Art, LIDO and OAI-PMH
//! all read it from here, so they agree. `catalogue::export::public_context` reads it
//! from the store.

use crate::model::common::LocalText;
use crate::model::date::HistoricalDate;
use crate::model::image::ImageRecord;
use crate::model::view::PublicArtefact;

use super::linked_art::Acquisition;

/// The credit line of a gift with no credit to print, in exports for aggregators
/// (the object page says it in the visitor's language).
pub const ANONYMOUS_CREDIT: &str = "匿名捐赠";

pub struct PublicContext {
    /// The images the public may see, in order.
    pub images: Vec<ImageRecord>,
    /// The donation's id and occasion.
    pub donation: Option<(i64, LocalText)>,
    /// Credit lines of the donation's donors, as each consented.
    pub donor_credits: Vec<String>,
    /// The donors' names where they consented to be named.
    pub donor_names: Vec<Option<String>>,
    pub donation_date: Option<HistoricalDate>,
}

impl PublicContext {
    /// The credit line to print: the record's own, else the donors', else the
    /// source dataset's attribution, else `anonymous`.
    pub fn credit_line(&self, p: &PublicArtefact, anonymous: &str) -> String {
        p.credit_line
            .clone()
            .or_else(|| (!self.donor_credits.is_empty()).then(|| self.donor_credits.join("；")))
            .or_else(|| p.record_source.as_ref().and_then(|s| s.attribution.clone()))
            .unwrap_or_else(|| anonymous.to_string())
    }

    /// The donation as an acquisition event, when the object came by one.
    pub fn acquisition(&self, p: &PublicArtefact) -> Option<Acquisition> {
        self.donation.as_ref().map(|(_, occasion)| Acquisition {
            donors: self.donor_names.clone(),
            date: self.donation_date.clone().or_else(|| p.acquired.clone()),
            label: occasion.zh.clone().or_else(|| occasion.en.clone()),
        })
    }
}
