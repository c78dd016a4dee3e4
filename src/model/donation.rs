//! Donations: the acquisition event (来源方式 = 接受捐赠) that brings artefacts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{DateInput, LocalText};
use super::date::HistoricalDate;
use super::validation::{Validate, ValidationErrors, optional_text};
use super::vocab::Vocabularies;

/// Where a gift stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DonationStatus {
    #[default]
    Offered,
    Received,
    Accessioned,
    Declined,
    Returned,
}

impl DonationStatus {
    /// Every status, in the order a gift passes through them.
    pub const ALL: [DonationStatus; 5] = [
        DonationStatus::Offered,
        DonationStatus::Received,
        DonationStatus::Accessioned,
        DonationStatus::Declined,
        DonationStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DonationStatus::Offered => "offered",
            DonationStatus::Received => "received",
            DonationStatus::Accessioned => "accessioned",
            DonationStatus::Declined => "declined",
            DonationStatus::Returned => "returned",
        }
    }
}

/// A stored donation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Donation {
    /// The donation's number within its year, used in accession numbers (`2023.15.1` → 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The year its accession numbers carry; defaults to the year of `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    /// e.g. 「有实其积」第15场捐赠仪式.
    #[serde(default, skip_serializing_if = "LocalText::is_empty")]
    pub occasion: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    pub donor_ids: Vec<i64>,
    /// Deed of gift or receipt number (入馆凭证号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<String>,
    #[serde(default)]
    pub status: DonationStatus,
    /// Terms of the gift, e.g. 无偿捐赠 (free of charge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line: Option<String>,
    /// Private.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
    /// The objects' entry into the museum (Spectrum's object entry), before accession.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<ObjectEntry>,
    /// The objects' exit, when the gift was declined or returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<ObjectExit>,
}

/// Objects received into the museum's care: an entry number and the day they came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectEntry {
    /// e.g. `E2026-003`, printed on the receipt.
    pub number: String,
    #[schema(value_type = String, format = Date)]
    pub date: chrono::NaiveDate,
    /// Who received them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Objects that left: a gift declined after it came in, or returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectExit {
    /// e.g. `X2026-001`.
    pub number: String,
    #[schema(value_type = String, format = Date)]
    pub date: chrono::NaiveDate,
    /// To whom they went (the donor, an agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Donation {
    /// The year accession numbers of this donation carry.
    pub fn accession_year(&self) -> Option<i32> {
        self.year.or_else(|| self.date.as_ref().and_then(|d| d.earliest))
    }
}

/// What a client sends to create or update a donation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonationInput {
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub date: Option<DateInput>,
    #[serde(default)]
    pub occasion: Option<LocalText>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub donor_ids: Vec<i64>,
    #[serde(default)]
    pub receipt_number: Option<String>,
    #[serde(default)]
    pub status: Option<DonationStatus>,
    #[serde(default)]
    pub terms: Option<String>,
    #[serde(default)]
    pub credit_line: Option<String>,
    #[serde(default)]
    pub internal_notes: Option<String>,
    /// As recorded by `POST /api/v1/donations/{id}/entry`, or as a register wrote it.
    #[serde(default)]
    pub entry: Option<ObjectEntry>,
    /// As recorded by `POST /api/v1/donations/{id}/exit`, or as a register wrote it.
    #[serde(default)]
    pub exit: Option<ObjectExit>,
}

impl Validate for DonationInput {
    type Output = Donation;

    fn validate(&self, vocab: &Vocabularies) -> Result<Donation, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.donor_ids.is_empty() {
            e.push("donor_ids", "is required: name at least one donor (a party id)");
        }
        if self.number == Some(0) {
            e.push("number", "must be at least 1");
        }
        if let Some(y) = self.year.filter(|y| !(1000..=9999).contains(y)) {
            e.push("year", format!("{y} is not a four-digit year"));
        }
        let date = self.date.as_ref().and_then(|d| d.validate("date", vocab, &mut e));
        let text = |e: &mut ValidationErrors, f: &str, v: &Option<String>, max| {
            e.check(f, optional_text(v.as_deref(), max)).flatten()
        };
        let donation = Donation {
            number: self.number,
            year: self.year,
            date,
            occasion: self.occasion.as_ref().map(|o| o.clean("occasion", 500, &mut e)).unwrap_or_default(),
            venue: text(&mut e, "venue", &self.venue, 500),
            donor_ids: self.donor_ids.clone(),
            receipt_number: text(&mut e, "receipt_number", &self.receipt_number, 100),
            status: self.status.unwrap_or_default(),
            terms: text(&mut e, "terms", &self.terms, 2000),
            credit_line: text(&mut e, "credit_line", &self.credit_line, 500),
            internal_notes: text(&mut e, "internal_notes", &self.internal_notes, 20_000),
            entry: self.entry.clone(),
            exit: self.exit.clone(),
        };
        for (field, number) in [
            ("entry.number", self.entry.as_ref().map(|x| &x.number)),
            ("exit.number", self.exit.as_ref().map(|x| &x.number)),
        ] {
            if let Some(n) = number
                && n.trim().is_empty()
            {
                e.push(field, "is required: the number the entry or exit was recorded under");
            }
        }
        e.into_result(|| donation)
    }
}

/// A donation with its donors, as exported (references to other records become names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DonationExport {
    #[serde(flatten)]
    pub donation: Donation,
    pub donors: Vec<crate::model::party::Party>,
}
