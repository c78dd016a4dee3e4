//! Exporting the catalogue: every record, a page at a time, with its donation and
//! donors looked up once each, written in one of `interchange::export`'s formats.

use std::io::Write;

use super::Catalogue;
pub use crate::interchange::export::Publisher;
use crate::interchange::export::{
    CsvRows, LIDO_END, jsonl_line, lido_record, lido_start, linked_art_record, unlinked_party,
};
use crate::interchange::public::PublicContext;
use crate::model::donation::DonationExport;
use crate::model::role::Scope;
use crate::model::view::{ArtefactRecord, PublicArtefact};
use crate::store::{ArtefactFilter, PageRequest, Store, StoreError};

/// Every artefact in order of id, in pages, with `f` called on each.
fn each_artefact(store: &Store, mut f: impl FnMut(ArtefactRecord) -> Result<(), StoreError>) -> Result<(), StoreError> {
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

/// Cached lookups of donations and their donors.
struct Donations<'a> {
    store: &'a Store,
    cache: std::collections::HashMap<i64, Option<DonationExport>>,
}

impl<'a> Donations<'a> {
    fn new(store: &'a Store) -> Self {
        Donations { store, cache: Default::default() }
    }

    /// The donation of `r` with its donors, as exported.
    fn of(&mut self, r: &ArtefactRecord) -> Result<Option<DonationExport>, StoreError> {
        match r.record.body.donation_id {
            Some(id) => self.get(id),
            None => Ok(None),
        }
    }

    /// The donation `id` with its donors, as exported.
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

impl Catalogue {
    /// Writes the JSON-lines export; returns how many records it wrote.
    pub fn export_jsonl(&self, scope: Scope, out: &mut dyn Write, progress: &dyn Fn(u64)) -> Result<u64, StoreError> {
        let store = &*self.store;
        let mut donations = Donations::new(store);
        let mut n = 0;
        each_artefact(store, |r| {
            let donation = donations.of(&r)?;
            let Some(line) = jsonl_line(scope, r, donation) else { return Ok(()) };
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

    /// Writes the CSV export (UTF-8 with a byte-order mark, as Excel expects); returns the rows written.
    pub fn export_csv(&self, scope: Scope, out: &mut dyn Write, progress: &dyn Fn(u64)) -> Result<u64, StoreError> {
        let store = &*self.store;
        let vocab = self.vocabularies();
        let mut donations = Donations::new(store);
        let mut w = CsvRows::new(&vocab, scope, out)?;
        each_artefact(store, |r| {
            let donation = donations.of(&r)?;
            w.push(&r, donation.as_ref())?;
            if w.rows % 1000 == 0 {
                progress(w.rows);
            }
            Ok(())
        })?;
        Ok(w.finish()?)
    }

    /// Every published record in one LIDO 1.1 `lidoWrap` (only what the public may see, whatever
    /// the caller may see: LIDO is for aggregators).
    pub fn export_lido(
        &self,
        publisher: &Publisher<'_>,
        out: &mut dyn Write,
        progress: &dyn Fn(u64),
    ) -> Result<u64, StoreError> {
        let vocab = self.vocabularies();
        out.write_all(lido_start().as_bytes())?;
        let n = each_published(&self.store, progress, |r, p, public| {
            out.write_all(lido_record(&vocab, publisher, r, &p, &public).as_bytes())?;
            Ok(())
        })?;
        out.write_all(LIDO_END.as_bytes())?;
        Ok(n)
    }

    /// Every published record as a Linked Art JSON-LD document, one per line (the
    /// documents `/objects/{accession}.jsonld` serves).
    pub fn export_linked_art(
        &self,
        publisher: &Publisher<'_>,
        out: &mut dyn Write,
        progress: &dyn Fn(u64),
    ) -> Result<u64, StoreError> {
        each_published(&self.store, progress, |_, p, public| {
            serde_json::to_writer(&mut *out, &linked_art_record(publisher, &p, &public))?;
            out.write_all(b"\n")?;
            Ok(())
        })
    }

    /// What the public may know of a published object beyond its own record (its donation,
    /// its donors as each consented, its public images).
    pub fn public_context(&self, p: &PublicArtefact) -> Result<PublicContext, StoreError> {
        public_context(&self.store, p)
    }
}

/// Calls `f` on every published record with its public view and context; returns how many.
fn each_published(
    store: &Store,
    progress: &dyn Fn(u64),
    mut f: impl FnMut(&ArtefactRecord, PublicArtefact, PublicContext) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let (mut seen, mut n) = (0, 0);
    each_artefact(store, |r| {
        seen += 1;
        progress(seen);
        let Some(p) = PublicArtefact::with_id(r.id, &r.record) else { return Ok(()) };
        let public = public_context(store, &p)?;
        f(&r, p, public)?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

fn public_context(store: &Store, p: &PublicArtefact) -> Result<PublicContext, StoreError> {
    let images =
        store.images_of(p.id)?.into_iter().filter(crate::model::image::ImageRecord::visible_to_public).collect();
    let mut context = PublicContext {
        images,
        donation: None,
        donor_credits: Vec::new(),
        donor_credits_en: Vec::new(),
        donor_names: Vec::new(),
        donation_date: None,
    };
    if let Some(id) = p.donation_id
        && let Some(d) = store.donation(id)?
    {
        for donor in &d.record.donor_ids {
            if let Some(party) = store.party(*donor)? {
                context.donor_credits.push(party.record.public_credit());
                context.donor_credits_en.push(party.record.public_credit_en());
                context.donor_names.push(
                    party.record.naming_consent.then(|| party.record.name.best().unwrap_or_default().to_string()),
                );
            }
        }
        context.donation_date = d.record.date.clone();
        context.donation = Some((id, d.record.occasion.clone()));
    }
    Ok(context)
}

impl Catalogue {
    /// The records a search finds, as the CSV export (at most `max` rows, in the
    /// order found): `request(page, per_page)` is the search, a page at a time.
    pub fn search_csv(
        &self,
        scope: Scope,
        max: u32,
        request: &dyn Fn(u32, u32) -> crate::search::SearchRequest,
    ) -> anyhow::Result<Vec<u8>> {
        let vocab = self.vocabularies();
        let mut donations = Donations::new(&self.store);
        let mut out = Vec::new();
        let mut rows = CsvRows::new(&vocab, scope, &mut out)?;
        let per_page = 100;
        for page in 1..=max / per_page {
            let found = self.search.search(&request(page, per_page), scope)?;
            for hit in &found.hits {
                if let Some(record) = self.store.artefact(&hit.accession)? {
                    rows.push(&record, donations.of(&record)?.as_ref())?;
                }
            }
            if found.hits.len() < per_page as usize {
                break;
            }
        }
        rows.finish()?;
        Ok(out)
    }

    /// The records numbered `accessions`, in that order, as the CSV export (a set's export).
    pub fn records_csv(&self, scope: Scope, accessions: &[String]) -> anyhow::Result<Vec<u8>> {
        let vocab = self.vocabularies();
        let mut donations = Donations::new(&self.store);
        let mut out = Vec::new();
        let mut rows = CsvRows::new(&vocab, scope, &mut out)?;
        for accession in accessions {
            if let Some(record) = self.store.artefact(accession)? {
                rows.push(&record, donations.of(&record)?.as_ref())?;
            }
        }
        rows.finish()?;
        Ok(out)
    }
}
