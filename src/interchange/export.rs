//! The export formats, a record at a time: JSON lines that carry every field of a
//! record with its donation and donors (and import back into an empty catalogue as
//! the same records), CSV with the census template's headers, LIDO and Linked Art.
//! The public scope holds only what a visitor may see: published records, through
//! the public view types. `catalogue::export` walks the store and writes them.

use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::artefact::{Artefact, PublicationStatus};
use crate::model::donation::DonationExport;
use crate::model::party::Party;
use crate::model::role::Scope;
use crate::model::view::{ArtefactRecord, PublicArtefact};
use crate::model::vocab::{Vocabularies, names};

/// The version of the JSON-lines export format, in every line.
pub const FORMAT_VERSION: u32 = 1;

/// One line of a full export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportLine {
    /// [`FORMAT_VERSION`]: tells this format from the open datasets' lines.
    pub catalogue_export: u32,
    pub artefact: Artefact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donation: Option<DonationExport>,
}

/// A record without links to other records' ids (they would mean nothing in another catalogue).
pub fn unlinked(mut a: Artefact) -> Artefact {
    a.body.donation_id = None;
    for m in &mut a.body.makers {
        m.party_id = None;
    }
    for p in &mut a.body.provenance {
        p.party_id = None;
    }
    a
}

pub fn unlinked_party(mut p: Party) -> Party {
    for r in &mut p.relations {
        r.party_id = None;
    }
    p
}

/// The line of the JSON-lines export for one record with its donation, or `None` when
/// `scope` leaves the record out.
pub fn jsonl_line(scope: Scope, r: ArtefactRecord, donation: Option<DonationExport>) -> Option<Value> {
    Some(match scope {
        Scope::Full => serde_json::to_value(ExportLine {
            catalogue_export: FORMAT_VERSION,
            artefact: unlinked(r.record),
            donation,
        })
        .expect("an export line serialises"),
        Scope::Research => {
            use crate::model::view::Redact;
            let mut artefact = unlinked(r.record);
            artefact.redact_private();
            let donation = donation.map(|mut d| {
                d.donation.redact_private();
                d.donors.iter_mut().for_each(Redact::redact_private);
                d
            });
            serde_json::to_value(ExportLine { catalogue_export: FORMAT_VERSION, artefact, donation })
                .expect("an export line serialises")
        }
        Scope::Public => {
            let p = PublicArtefact::of(&r.record)?;
            let mut v = serde_json::json!({"catalogue_export": FORMAT_VERSION, "public": true, "artefact": p});
            if let Some(d) = donation {
                let donors: Vec<Value> = d
                    .donors
                    .iter()
                    .map(|p| {
                        if p.naming_consent {
                            serde_json::json!({"name": p.name, "credit": p.public_credit()})
                        } else {
                            serde_json::json!({"credit": p.public_credit()})
                        }
                    })
                    .collect();
                v["donation"] = serde_json::json!({
                    "occasion": d.donation.occasion, "date": d.donation.date, "venue": d.donation.venue,
                    "credit_line": d.donation.credit_line, "donors": donors,
                });
            }
            v
        }
    })
}

fn label(vocab: &Vocabularies, vocabulary: &str, code: &str) -> String {
    vocab.resolve(vocabulary, code).map(|t| t.zh.clone()).unwrap_or_else(|_| code.to_string())
}

/// The fields of the CSV export's columns, in order, private ones last; each column is headed
/// by its field's census header (`headers::FIELDS`, the table imports read), so an export
/// imports back.
const CSV_PUBLIC: &[&str] = &[
    "accession",
    "title",
    "title_en",
    "other_titles",
    "maker",
    "period",
    "date",
    "category",
    "material",
    "quantity",
    "dimensions",
    "completeness",
    "preservation",
    "acquisition_method",
    "source",
    "donor",
    "receipt",
    "acquired",
    "description",
    "published",
];
const CSV_PRIVATE: &[&str] = &["storage_location", "valuation", "internal_notes", "donor_contact"];

/// A CSV export being written, a record at a time.
pub struct CsvRows<'a> {
    vocab: &'a Vocabularies,
    scope: Scope,
    w: csv::Writer<&'a mut dyn Write>,
    pub rows: u64,
}

fn csv_err(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}

impl<'a> CsvRows<'a> {
    pub fn new(vocab: &'a Vocabularies, scope: Scope, out: &'a mut dyn Write) -> std::io::Result<Self> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(out);
        let mut headers: Vec<&str> = CSV_PUBLIC.iter().map(|f| super::headers::census_header(f)).collect();
        if scope == Scope::Full {
            headers.extend(CSV_PRIVATE.iter().map(|f| super::headers::census_header(f)));
        }
        w.write_record(&headers).map_err(csv_err)?;
        Ok(CsvRows { vocab, scope, w, rows: 0 })
    }

    /// Writes the row of one record with its donation, if the scope includes it.
    pub fn push(&mut self, r: &ArtefactRecord, donation: Option<&DonationExport>) -> std::io::Result<()> {
        if let Some(row) = self.row(r, donation) {
            self.w.write_record(&row).map_err(csv_err)?;
            self.rows += 1;
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<u64> {
        self.w.flush()?;
        Ok(self.rows)
    }

    fn row(&self, r: &ArtefactRecord, donation: Option<&DonationExport>) -> Option<Vec<String>> {
        let (scope, vocab) = (self.scope, self.vocab);
        let a = &r.record;
        if scope == Scope::Public && PublicArtefact::of(a).is_none() {
            return None;
        }
        let b = &a.body;
        let donors: Vec<String> = donation
            .map(|d| {
                d.donors
                    .iter()
                    .filter(|p| scope != Scope::Public || p.naming_consent)
                    .filter_map(|p| p.name.best().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let mut row: Vec<String> = vec![
            a.accession_number.to_string(),
            b.title.zh.clone().or_else(|| b.title.en.clone()).unwrap_or_default(),
            if b.title.zh.is_some() { b.title.en.clone().unwrap_or_default() } else { String::new() },
            b.other_titles.join("、"),
            b.makers.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join("、"),
            b.period.as_deref().map(|p| label(vocab, names::PERIOD, p)).unwrap_or_default(),
            b.date.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
            b.category.as_deref().map(|c| label(vocab, names::CATEGORY, c)).unwrap_or_default(),
            b.materials.iter().map(|m| label(vocab, names::MATERIAL, m)).collect::<Vec<_>>().join("、"),
            b.quantity.as_ref().map(|q| format!("{}{}", q.count, q.unit)).unwrap_or_default(),
            b.dimensions.as_ref().and_then(|d| d.text.clone()).unwrap_or_default(),
            b.completeness.as_deref().map(|c| label(vocab, names::COMPLETENESS, c)).unwrap_or_default(),
            b.preservation.as_deref().map(|c| label(vocab, names::PRESERVATION, c)).unwrap_or_default(),
            b.acquisition_method.as_deref().map(|c| label(vocab, names::ACQUISITION_METHOD, c)).unwrap_or_default(),
            b.source_note.clone().unwrap_or_default(),
            donors.join("、"),
            donation.and_then(|d| d.donation.receipt_number.clone()).unwrap_or_default(),
            b.acquired.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
            b.description.zh.clone().or_else(|| b.description.en.clone()).unwrap_or_default(),
            if b.status == PublicationStatus::Published { "是" } else { "否" }.to_string(),
        ];
        if scope == Scope::Full {
            let p = &b.private;
            let contact = donation
                .and_then(|d| d.donors.first())
                .map(|p| {
                    [&p.contact.email, &p.contact.phone, &p.contact.address, &p.contact.note]
                        .into_iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("；")
                })
                .unwrap_or_default();
            row.extend([
                p.storage_location.clone().unwrap_or_default(),
                p.valuation.as_ref().map(|v| format!("{} {}", v.amount, v.currency)).unwrap_or_default(),
                p.internal_notes.clone().unwrap_or_default(),
                contact,
            ]);
        }
        Some(row)
    }
}

/// Where aggregators' formats say the records are: the museum's name and public address.
pub struct Publisher<'a> {
    pub museum_name: &'a str,
    pub base: &'a str,
}

/// The start of a LIDO 1.1 `lidoWrap` document (each record follows, then [`LIDO_END`]).
pub fn lido_start() -> String {
    use super::xml::Xml;
    let mut head = Xml::new();
    head.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    head.open("lido:lidoWrap", super::lido::ROOT_ATTRIBUTES);
    head.out.push('\n');
    head.out
}

/// The end of a `lidoWrap` document.
pub const LIDO_END: &str = "</lido:lidoWrap>\n";

/// One published record in LIDO, a line of a `lidoWrap`.
pub fn lido_record(
    vocab: &Vocabularies,
    publisher: &Publisher<'_>,
    r: &ArtefactRecord,
    p: &PublicArtefact,
    public: &super::public::PublicContext,
) -> String {
    let repo = super::lido::Repository { name: publisher.museum_name, base: publisher.base, vocab };
    let mut x = super::xml::Xml::new();
    let updated = r.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    super::lido::record(&mut x, &repo, p, public, &updated, false);
    x.out.push('\n');
    x.out
}

/// One published record as a Linked Art JSON-LD document (what `/objects/{accession}.jsonld` serves).
pub fn linked_art_record(
    publisher: &Publisher<'_>,
    p: &PublicArtefact,
    public: &super::public::PublicContext,
) -> Value {
    let credit_line = public.credit_line(p, super::public::ANONYMOUS_CREDIT);
    let acquisition = public.acquisition(p);
    super::linked_art::object(publisher.base, p, &credit_line, acquisition.as_ref(), &public.images)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_column_reads_back_as_its_field() {
        for field in CSV_PUBLIC.iter().chain(CSV_PRIVATE) {
            let header = super::super::headers::census_header(field);
            assert_eq!(super::super::headers::field_of(header), Some(*field), "{header}");
        }
        assert_eq!(super::super::headers::census_header("date"), "具体年代");
    }
}
