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
    /// The same in English, where each can be said in it.
    pub donor_credits_en: Vec<Option<String>>,
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

    /// The credit line an English page prints: the record's own if it is English, else
    /// the donors' in English where every one of them can be said in it, else what
    /// [`Self::credit_line`] gives. With whether it is Chinese.
    pub fn credit_line_en(&self, p: &PublicArtefact, anonymous: &str) -> (String, bool) {
        let donors: Option<Vec<String>> = match self.donor_credits_en.is_empty() {
            true => None,
            false => self.donor_credits_en.iter().cloned().collect(),
        };
        let line = match (p.credit_line.as_deref(), donors) {
            (Some(own), _) if !crate::model::english::has_chinese(own) => own.to_string(),
            (_, Some(donors)) => donors.join("; "),
            _ => self.credit_line(p, anonymous),
        };
        let chinese = crate::model::english::has_chinese(&line);
        (line, chinese)
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
