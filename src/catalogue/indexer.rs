//! The one writer of both indexes. It tails the store's outbox, applies each
//! change to the internal and the public index, and commits both with the
//! last applied outbox id as the commit payload, so after a crash it resumes
//! where the indexes stopped: nothing lost, nothing applied twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tantivy::{TantivyDocument, Term};

use crate::model::view::{ArtefactRecord, PublicArtefact};
use crate::model::vocab::Vocabularies;
use crate::search::document::{self, DonationFacts};
use crate::search::index::{
    Indexes, SearchIndex, current_generation, index_root, new_generation_name, set_current_generation,
};
use crate::search::writers::{REBUILD_MEMORY, Writers};
use crate::search::{SearchError, SearchService};
use crate::store::{Store, StoreError};

/// Why indexing stopped: the store could not be read or the index not written.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Interrupted(#[from] super::Interrupted),
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(e: tantivy::TantivyError) -> Self {
        IndexError::Search(e.into())
    }
}

pub type Result<T, E = IndexError> = std::result::Result<T, E>;
/// How often the indexer looks at the outbox when nothing woke it.
pub const POLL: Duration = Duration::from_millis(100);

/// Turns records into documents for both indexes, looking up their donations.
pub struct DocumentBuilder<'a> {
    store: &'a Store,
    vocab: &'a Vocabularies,
    donations: HashMap<i64, Option<(DonationFacts, DonationFacts)>>,
}

impl<'a> DocumentBuilder<'a> {
    pub fn new(store: &'a Store, vocab: &'a Vocabularies) -> Self {
        DocumentBuilder { store, vocab, donations: HashMap::new() }
    }

    /// The internal and the public view of a donation's facts.
    fn donation(&mut self, id: i64) -> Result<Option<&(DonationFacts, DonationFacts)>> {
        if !self.donations.contains_key(&id) {
            let facts = match self.store.donation(id)? {
                None => None,
                Some(d) => {
                    let label = d.record.occasion.best().map(String::from).unwrap_or_else(|| format!("#{id}"));
                    let mut internal = DonationFacts {
                        id,
                        label: label.clone(),
                        year: d.record.accession_year(),
                        ..Default::default()
                    };
                    let mut public = internal.clone();
                    for donor in &d.record.donor_ids {
                        let Some(p) = self.store.party(*donor)? else { continue };
                        let name = p.record.name.best().unwrap_or_default().to_string();
                        internal.donors.push(name.clone());
                        if p.record.naming_consent {
                            public.donors.push(name);
                        }
                        let c = &p.record.contact;
                        internal
                            .private
                            .extend([&c.email, &c.phone, &c.address, &c.note].into_iter().flatten().cloned());
                    }
                    internal.private.extend(d.record.internal_notes.clone());
                    Some((internal, public))
                }
            };
            self.donations.insert(id, facts);
        }
        Ok(self.donations.get(&id).and_then(Option::as_ref))
    }

    /// The documents of one artefact: always internal, public only when published.
    pub fn documents(
        &mut self,
        r: &ArtefactRecord,
        internal: &SearchIndex,
        public: &SearchIndex,
    ) -> Result<(TantivyDocument, Option<TantivyDocument>)> {
        let facts = match r.record.body.donation_id {
            Some(d) => self.donation(d)?.cloned(),
            None => None,
        };
        let vocab = self.vocab;
        let images = self.store.image_summary(r.id)?;
        let internal_doc = document::internal(
            r.id,
            &r.record,
            facts.as_ref().map(|f| &f.0),
            images.first.as_deref(),
            &internal.fields,
            vocab,
        );
        let public_doc = PublicArtefact::with_id(r.id, &r.record).map(|p| {
            document::public(&p, facts.as_ref().map(|f| &f.1), images.first_public.as_deref(), &public.fields, vocab)
        });
        Ok((internal_doc, public_doc))
    }
}

/// Applies outbox rows after the indexes' payload; returns how many artefacts were reindexed.
/// A vocabulary edit among them rereads the vocabularies from the store first, so its
/// records are indexed with the term's new labels. Each batch is searchable once committed.
pub fn catch_up(
    store: &Store,
    vocab: &mut Arc<Vocabularies>,
    indexes: &Indexes,
    writers: &mut Writers,
) -> Result<usize> {
    let mut applied = indexes.internal.applied()?.min(indexes.public.applied()?);
    let mut total = 0;
    loop {
        let rows = store.outbox_after(applied, 1000)?;
        let Some(last) = rows.last().map(|r| r.0) else { break };
        if rows.iter().any(|(_, entity, _)| entity == crate::store::Entity::Vocabulary.as_str()) {
            *vocab = Arc::new(store.vocabularies()?);
        }
        let mut builder = DocumentBuilder::new(store, vocab);
        let mut ids: Vec<i64> = Vec::new();
        for (_, entity, id) in &rows {
            ids.extend(store.artefacts_affected(entity, *id)?);
        }
        ids.sort_unstable();
        ids.dedup();
        for id in &ids {
            let term = |idx: &SearchIndex| Term::from_field_u64(idx.fields.id, *id as u64);
            writers.internal.delete_term(term(&indexes.internal));
            writers.public.delete_term(term(&indexes.public));
            if let Some(record) = store.artefact_by_id(*id)? {
                let (internal, public) = builder.documents(&record, &indexes.internal, &indexes.public)?;
                writers.internal.add_document(internal)?;
                if let Some(p) = public {
                    writers.public.add_document(p)?;
                }
            }
        }
        writers.commit(last)?;
        // Searchable at once: a long catch-up (after a large import, or a restart
        // behind the outbox) shows each committed batch, never less than before.
        indexes.internal.reader.reload()?;
        indexes.public.reader.reload()?;
        applied = last;
        total += ids.len();
    }
    Ok(total)
}

/// The indexer task: catches up, then follows the outbox until `stop` fires.
/// It also moves to a new generation when `catalogue reindex` switched one in.
pub async fn run(
    search: SearchService,
    store: Arc<Store>,
    vocab: Arc<Vocabularies>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let root = index_root(&search.data_dir);
    let mut writers: Option<Writers> = None;
    let mut vocab = vocab;
    loop {
        let search2 = search.clone();
        let store2 = store.clone();
        let mut vocab2 = vocab.clone();
        let root = root.clone();
        let mut w = writers.take();
        let result = super::blocking(move || -> Result<(Option<Writers>, Arc<Vocabularies>)> {
            // A reindex switched generations: open the new one and drop the old writers.
            if current_generation(&root).is_some_and(|g| g != search2.indexes().generation) {
                w = None;
                search2.reopen()?;
            }
            let indexes = search2.indexes();
            let mut w = match w {
                Some(w) => w,
                None => {
                    // At start and after a reindex: a rebuilt generation is merged while it serves.
                    let mut w = Writers::open(&indexes, 1)?;
                    w.start_merge_into_one(&indexes)?;
                    w
                }
            };
            let n = catch_up(&store2, &mut vocab2, &indexes, &mut w)?;
            if n > 0 {
                tracing::debug!(artefacts = n, "indexed");
            }
            Ok((Some(w), vocab2))
        })
        .await;
        match result {
            Ok((w, v)) => (writers, vocab) = (w, v),
            Err(e) => tracing::error!(error = %e, "indexing failed; retrying"),
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => break,
        }
    }
    if let Some(w) = writers {
        drop(w);
    }
    tracing::info!("indexer stopped");
}

/// Rebuilds both indexes from the store into a new generation and switches to it.
pub fn rebuild(
    store: &Store,
    vocab: &Vocabularies,
    search: &SearchService,
    progress: &dyn Fn(u64, u64),
) -> Result<String> {
    let root = index_root(&search.data_dir);
    let generation = new_generation_name();
    let indexes = Indexes::open(&root, &generation, &search.segmenter)?;
    let mut writers = Writers::open_with_memory(&indexes, 2, REBUILD_MEMORY)?;
    let applied = store.last_outbox_id()?;
    let total = store.artefact_count()? as u64;
    let mut done = 0u64;
    let mut after = 0;
    let mut builder = DocumentBuilder::new(store, vocab);
    loop {
        let batch = store.artefacts_after(after, 2000)?;
        let Some(last) = batch.last().map(|r| r.id) else { break };
        for r in &batch {
            let (internal, public) = builder.documents(r, &indexes.internal, &indexes.public)?;
            writers.internal.add_document(internal)?;
            if let Some(p) = public {
                writers.public.add_document(p)?;
            }
        }
        done += batch.len() as u64;
        progress(done, total);
        after = last;
    }
    writers.commit(applied)?;
    writers.internal.wait_merging_threads()?;
    writers.public.wait_merging_threads()?;
    set_current_generation(&root, &generation)?;
    Ok(generation)
}

impl super::Catalogue {
    /// Rebuilds both indexes from the store as a new generation and moves to it; returns
    /// its name. `progress(done, total)` is told as artefacts are indexed.
    pub fn reindex(&self, progress: &dyn Fn(u64, u64)) -> Result<String> {
        rebuild(&self.store, &self.vocabularies(), &self.search, progress)
    }

    /// Brings the indexes up to date with the store when no server holds them (a running
    /// server does it itself, and then this only reloads the readers).
    pub fn catch_up_search(&self) {
        let indexes = self.search.indexes();
        match Writers::open(&indexes, 1) {
            Ok(mut w) => {
                if let Err(e) = catch_up(&self.store, &mut self.vocabularies(), &indexes, &mut w) {
                    tracing::warn!(error = %e, "could not bring the search index up to date");
                }
            }
            Err(_) => {
                let _ = self.search.refresh();
            }
        }
    }
}
