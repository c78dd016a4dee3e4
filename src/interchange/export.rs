//! Exports: JSON lines that carry every field of a record with its donation
//! and donors (and import back into an empty catalogue as the same records),
//! and CSV with the census template's headers. `--public` exports only what a
//! visitor may see: published records, through the public view types.

use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::artefact::{Artefact, PublicationStatus};
use crate::model::donation::Donation;
use crate::model::party::Party;
use crate::model::view::{ArtefactRecord, PublicArtefact};
use crate::model::vocab::{Vocabularies, names};
use crate::store::{ArtefactFilter, PageRequest, Store, StoreError};

/// The version of the JSON-lines export format, in every line.
pub const FORMAT_VERSION: u32 = 1;

/// A donation with its donors, as exported (references to other records become names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DonationExport {
    #[serde(flatten)]
    pub donation: Donation,
    pub donors: Vec<Party>,
}

/// One line of a full export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportLine {
    /// [`FORMAT_VERSION`]: tells this format from the open datasets' lines.
    pub catalogue_export: u32,
    pub artefact: Artefact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donation: Option<DonationExport>,
}

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every record and field (for curators, backups and moving catalogues).
    Full,
    /// Published records, public fields only.
    Public,
    /// Every record, but no private field (researchers' result lists).
    Research,
}

impl Scope {
    /// What a signed-in user may export: everything for curators, all records without private
    /// fields for researchers, published ones for the public.
    pub fn for_viewer(viewer: &crate::model::role::Viewer) -> Scope {
        if viewer.sees_private() {
            Scope::Full
        } else if viewer.role().is_some() {
            Scope::Research
        } else {
            Scope::Public
        }
    }
}

/// Every artefact in accession order... of id, in pages, with `f` called on each.
pub fn each_artefact(
    store: &Store,
    mut f: impl FnMut(ArtefactRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut page = PageRequest { page: 1, per_page: 200 };
    loop {
        let filter = ArtefactFilter { include_deaccessioned: true, page, ..Default::default() };
        let found = store.artefacts(&filter)?;
        let n = found.items.len();
        for a in found.items {
            f(a)?;
        }
        if n < page.per_page as usize {
            return Ok(());
        }
        page.page += 1;
    }
}

/// A record without links to other records' ids (they would mean nothing in another catalogue).
fn unlinked(mut a: Artefact) -> Artefact {
    a.body.donation_id = None;
    for m in &mut a.body.makers {
        m.party_id = None;
    }
    for p in &mut a.body.provenance {
        p.party_id = None;
    }
    a
}

fn unlinked_party(mut p: Party) -> Party {
    for r in &mut p.relations {
        r.party_id = None;
    }
    p
}

/// Cached lookups of donations and their donors.
struct Donations<'a> {
    store: &'a Store,
    cache: std::collections::HashMap<i64, Option<DonationExport>>,
}

impl Donations<'_> {
    fn get(&mut self, id: i64) -> Result<Option<DonationExport>, StoreError> {
        if let Some(d) = self.cache.get(&id) {
            return Ok(d.clone());
        }
        let found = match self.store.donation(id)? {
            None => None,
            Some(d) => {
                let mut donors = Vec::new();
                for p in &d.record.donor_ids {
                    if let Some(party) = self.store.party(*p)? {
                        donors.push(unlinked_party(party.record));
                    }
                }
                let mut donation = d.record;
                donation.donor_ids.clear();
                Some(DonationExport { donation, donors })
            }
        };
        self.cache.insert(id, found.clone());
        Ok(found)
    }
}

/// Writes the JSON-lines export; returns how many records it wrote.
pub fn write_jsonl(
    store: &Store,
    scope: Scope,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> Result<u64, StoreError> {
    let mut donations = Donations { store, cache: Default::default() };
    let mut n = 0;
    each_artefact(store, |r| {
        let donation = match r.record.body.donation_id {
            Some(id) => donations.get(id)?,
            None => None,
        };
        let line: Value = match scope {
            Scope::Full => serde_json::to_value(ExportLine {
                catalogue_export: FORMAT_VERSION,
                artefact: unlinked(r.record),
                donation,
            })?,
            Scope::Research => {
                use crate::model::view::Redact;
                let mut artefact = unlinked(r.record);
                artefact.redact_private();
                let donation = donation.map(|mut d| {
                    d.donation.redact_private();
                    d.donors.iter_mut().for_each(Redact::redact_private);
                    d
                });
                serde_json::to_value(ExportLine { catalogue_export: FORMAT_VERSION, artefact, donation })?
            }
            Scope::Public => {
                let Some(p) = PublicArtefact::of(&r.record) else { return Ok(()) };
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
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
        n += 1;
        if n % 1000 == 0 {
            progress(n);
        }
        Ok(())
    })?;
    Ok(n)
}

fn label(vocab: &Vocabularies, vocabulary: &str, code: &str) -> String {
    vocab.resolve(vocabulary, code).map(|t| t.zh.clone()).unwrap_or_else(|_| code.to_string())
}

/// The census headers of the CSV export, private ones last.
const CSV_PUBLIC: &[&str] = &[
    "总登记号",
    "藏品名称",
    "英文名称",
    "曾用名",
    "作者",
    "年代",
    "具体年代",
    "类别",
    "质地",
    "数量",
    "具体尺寸",
    "完残程度",
    "保存状态",
    "来源方式",
    "具体来源",
    "捐赠人",
    "入馆凭证号",
    "入藏日期",
    "备注",
    "公开",
];
const CSV_PRIVATE: &[&str] = &["存放位置", "估价", "内部备注", "捐赠人联系方式"];

/// Writes the CSV export (UTF-8 with a byte-order mark, as Excel expects); returns the rows written.
pub fn write_csv(
    store: &Store,
    vocab: &Vocabularies,
    scope: Scope,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> Result<u64, StoreError> {
    let mut w = CsvRows::new(store, vocab, scope, out)?;
    each_artefact(store, |r| {
        w.push(&r)?;
        if w.rows % 1000 == 0 {
            progress(w.rows);
        }
        Ok(())
    })?;
    w.finish()
}

/// A CSV export being written, a record at a time.
pub struct CsvRows<'a> {
    vocab: &'a Vocabularies,
    scope: Scope,
    donations: Donations<'a>,
    w: csv::Writer<&'a mut dyn Write>,
    pub rows: u64,
}

fn csv_err(e: csv::Error) -> StoreError {
    StoreError::Io(std::io::Error::other(e))
}

impl<'a> CsvRows<'a> {
    pub fn new(
        store: &'a Store,
        vocab: &'a Vocabularies,
        scope: Scope,
        out: &'a mut dyn Write,
    ) -> Result<Self, StoreError> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(out);
        let mut headers: Vec<&str> = CSV_PUBLIC.to_vec();
        if scope == Scope::Full {
            headers.extend(CSV_PRIVATE);
        }
        w.write_record(&headers).map_err(csv_err)?;
        Ok(CsvRows { vocab, scope, donations: Donations { store, cache: Default::default() }, w, rows: 0 })
    }

    /// Writes the row of one record, if the scope includes it.
    pub fn push(&mut self, r: &ArtefactRecord) -> Result<(), StoreError> {
        if let Some(row) = self.row(r)? {
            self.w.write_record(&row).map_err(csv_err)?;
            self.rows += 1;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<u64, StoreError> {
        self.w.flush()?;
        Ok(self.rows)
    }

    fn row(&mut self, r: &ArtefactRecord) -> Result<Option<Vec<String>>, StoreError> {
        let (scope, vocab, donations) = (self.scope, self.vocab, &mut self.donations);
        let a = &r.record;
        if scope == Scope::Public && PublicArtefact::of(a).is_none() {
            return Ok(None);
        }
        let b = &a.body;
        let donation = match b.donation_id {
            Some(id) => donations.get(id)?,
            None => None,
        };
        let donors: Vec<String> = donation
            .as_ref()
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
            donation.as_ref().and_then(|d| d.donation.receipt_number.clone()).unwrap_or_default(),
            b.acquired.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
            b.description.zh.clone().or_else(|| b.description.en.clone()).unwrap_or_default(),
            if b.status == PublicationStatus::Published { "是" } else { "否" }.to_string(),
        ];
        if scope == Scope::Full {
            let p = &b.private;
            let contact = donation
                .as_ref()
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
        Ok(Some(row))
    }
}

/// Where aggregators' formats say the records are: the museum's name and public address.
pub struct Publisher<'a> {
    pub museum_name: &'a str,
    pub base: &'a str,
}

/// Every published record in one LIDO 1.1 `lidoWrap` (only what the public may see, whatever
/// the caller may see: LIDO is for aggregators).
pub fn write_lido(
    store: &Store,
    vocab: &Vocabularies,
    publisher: &Publisher<'_>,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> Result<u64, StoreError> {
    use super::xml::Xml;
    let repo = super::lido::Repository { name: publisher.museum_name, base: publisher.base, vocab };
    let mut head = Xml::new();
    head.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    head.open("lido:lidoWrap", super::lido::ROOT_ATTRIBUTES);
    head.out.push('\n');
    out.write_all(head.out.as_bytes())?;
    let n = each_published(store, progress, |r, p, public| {
        let mut x = Xml::new();
        let updated = r.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        super::lido::record(&mut x, &repo, &p, &public, &updated, false);
        x.out.push('\n');
        out.write_all(x.out.as_bytes())?;
        Ok(())
    })?;
    out.write_all(b"</lido:lidoWrap>\n")?;
    Ok(n)
}

/// Calls `f` on every published record with its public view and context; returns how many.
fn each_published(
    store: &Store,
    progress: &dyn Fn(u64),
    mut f: impl FnMut(&ArtefactRecord, PublicArtefact, super::public::PublicContext) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let (mut seen, mut n) = (0, 0);
    each_artefact(store, |r| {
        seen += 1;
        progress(seen);
        let Some(p) = PublicArtefact::with_id(r.id, &r.record) else { return Ok(()) };
        let public = super::public::PublicContext::load(store, &p)?;
        f(&r, p, public)?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Every published record as a Linked Art JSON-LD document, one per line (the
/// documents `/objects/{accession}.jsonld` serves).
pub fn write_linked_art(
    store: &Store,
    publisher: &Publisher<'_>,
    out: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> Result<u64, StoreError> {
    each_published(store, progress, |_, p, public| {
        let credit_line = public.credit_line(&p, super::public::ANONYMOUS_CREDIT);
        let acquisition = public.acquisition(&p);
        let doc = super::linked_art::object(publisher.base, &p, &credit_line, acquisition.as_ref(), &public.images);
        serde_json::to_writer(&mut *out, &doc)?;
        out.write_all(b"\n")?;
        Ok(())
    })
}
