//! The application: one place for each use case the faces (`web`, `cli`) offer, over
//! the parts (`store`, `search`, `images`, `interchange`) and the domain (`model`).
//! A use case validates once, here, and is the only caller of the store's write path.

pub mod accounts;
pub mod backup;
pub mod batch;
pub mod config;
pub mod demo;
pub mod entry;
pub mod eval;
pub mod export;
pub mod images;
pub mod import;
pub mod indexer;
pub mod locations;
mod paperwork;
mod reads;
pub mod records;
pub mod sets;

use std::sync::{Arc, RwLock};

use anyhow::Context;

use crate::catalogue::config::Config;
use crate::images::ImageService;
use crate::model::vocab::Vocabularies;
use crate::search::SearchService;
use crate::store::Store;

// The application's vocabulary: the types its use cases take and give, named here so
// that the faces need nothing below the application.
pub use crate::images::{ImageError, Upload, UploadWriter};
pub use crate::model::role::Scope;
pub use crate::paperwork::{Document, Museum, Picture, PrintError, Printed};
pub use crate::search::query::STATUSES;
pub use crate::search::query::check_filter;
pub use crate::search::schema::{COUNTED_ON_REQUEST, FACETS};
pub use crate::search::{FacetCount, Hit, MAX_WINDOW, SearchError, SearchRequest, SearchResults, Sort};
pub use crate::store::{
    Activity, ArtefactFilter, AuditEntry, CheckLine, DocRecord, DonationFilter, DonationSummary, Entity, HarvestFilter,
    ImportEntry, ImportTally, InventoryCheck, LocationRecord, Mark, Movement, Page, PageRequest, RecordSet, Result,
    Session, SessionLimits, ShelfEntry, Storage, StoreError, TokenInfo, User, UserInfo, random_token, storage_problem,
};
pub use reads::Donor;

/// The formats the faces answer in, as the parts write them: IIIF (`images`), LIDO,
/// Linked Art and XML (`interchange`).
pub mod formats {
    pub use crate::images::derive::{Pyramid, fit};
    pub use crate::images::image_api::MAX_AREA;
    pub use crate::images::{image_api, manifest};
    pub use crate::interchange::public::PublicContext;
    pub use crate::interchange::{lido, linked_art, xml};
}

/// A use case's task ended without an answer: it panicked, or the runtime is stopping.
#[derive(Debug, thiserror::Error)]
#[error("the work was interrupted: {0}")]
pub struct Interrupted(String);

impl From<Interrupted> for StoreError {
    fn from(e: Interrupted) -> Self {
        StoreError::Io(std::io::Error::other(e))
    }
}

impl From<Interrupted> for ImageError {
    fn from(e: Interrupted) -> Self {
        ImageError::Internal(e.to_string())
    }
}

/// How a long use case shows its progress: the command line draws bars, a test or a
/// server shows nothing ([`Quiet`]).
pub trait Progress: Sync {
    /// A new stage of `total` steps (0 when its length is not known).
    fn stage(&self, what: &str, total: u64);
    /// `steps` more are done.
    fn advance(&self, steps: u64);
    /// `done` of the stage's steps are done.
    fn set(&self, done: u64);
    /// Something worth a line of its own (a failure that does not stop the work).
    fn note(&self, line: &str);
    /// The stage is over.
    fn done(&self);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn set(&self, _: u64) {}
    fn note(&self, _: &str) {}
    fn done(&self) {}
}

/// Runs blocking work (SQLite, files, the indexes) on tokio's blocking pool: the one way
/// the async faces and tasks call the catalogue's synchronous use cases. Each face turns
/// the error into its own answer (JSON, a workspace page, a public page).
pub async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<Interrupted> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "blocking task failed");
            Err(Interrupted(e.to_string()).into())
        }
    }
}

/// The catalogue: its configuration and its parts, and the use cases every face
/// (the web, the command line) calls. Cheap to clone: the parts are shared.
#[derive(Clone)]
pub struct Catalogue {
    pub config: Arc<Config>,
    // The parts are the application's own: a face reaches them only through a use case.
    store: Arc<Store>,
    /// The vocabularies as last read from the store.
    vocab: Arc<RwLock<Arc<Vocabularies>>>,
    search: SearchService,
    images: ImageService,
    /// The data directory was on a read-only disk at start: everything is served
    /// for reading, every write is refused with `503 read_only`, nothing is indexed.
    pub read_only: bool,
    /// Whether researchers see where objects are: the setting, or an admin's choice.
    researchers_see_locations: Arc<std::sync::atomic::AtomicBool>,
}

impl Catalogue {
    /// Opens the store in the configured data directory.
    pub fn open(config: Config) -> anyhow::Result<Catalogue> {
        let path = config.database_path();
        let read_only = on_read_only_disk(&config.data_dir);
        if read_only {
            tracing::warn!(
                data_dir = %config.data_dir.display(),
                "the data directory is on a read-only disk: serving reads only; writes will be refused until it is writable and the catalogue restarted"
            );
        }
        let store = match read_only {
            true => Store::open_read_only(&path),
            false => Store::open(&path),
        }
        .with_context(|| format!("opening the catalogue database {}", path.display()))?;
        let vocab = store.vocabularies().context("reading vocabularies")?;
        let search_config = config.search_config()?;
        let search = match read_only {
            true => SearchService::open_read_only(&config.data_dir, &search_config),
            false => SearchService::open(&config.data_dir, &search_config),
        }
        .context("opening the search indexes")?;
        search.use_vocabularies(&vocab);
        if search.outdated {
            let started = std::time::Instant::now();
            let generation =
                indexer::rebuild(&store, &vocab, &search, &|_, _| {}).context("rebuilding the search indexes")?;
            search.reopen().context("opening the rebuilt search indexes")?;
            tracing::info!(generation, seconds = started.elapsed().as_secs_f64(), "search indexes rebuilt");
        }
        if read_only {
            let indexes = search.indexes();
            let applied = indexes.internal.applied()?.min(indexes.public.applied()?);
            let pending = (store.last_outbox_id()? - applied).max(0);
            if pending > 0 {
                tracing::warn!(
                    changes = pending,
                    "the search indexes miss the latest changes, and cannot take them on a read-only disk; records are read from the database"
                );
            }
        }
        let images = match read_only {
            true => ImageService::open_read_only(&config.data_dir, &config.images),
            false => ImageService::open(&config.data_dir, &config.images),
        }
        .context("opening the image store")?;
        if let Some(dir) = &config.font_dir {
            crate::paperwork::use_font_dir(dir.clone());
        }
        let allowed = config.researchers_see_locations
            || store.setting(locations::RESEARCHERS_SEE_LOCATIONS)?.as_deref() == Some("1");
        Ok(Catalogue {
            researchers_see_locations: Arc::new(std::sync::atomic::AtomicBool::new(allowed)),
            config: Arc::new(config),
            store: Arc::new(store),
            vocab: Arc::new(RwLock::new(Arc::new(vocab))),
            search,
            images,
            read_only,
        })
    }

    pub fn vocabularies(&self) -> Arc<Vocabularies> {
        self.vocab.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Rereads the vocabularies after an edit, so forms and pages use it at once.
    pub fn reload_vocabularies(&self) -> Result<()> {
        let fresh = Arc::new(self.store.vocabularies()?);
        self.search.use_vocabularies(&fresh);
        *self.vocab.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
    }

    /// Cleans up what a crash left of uploads and derivatives; logs what it did. Run it
    /// before this process adds an image: an image being added now has no record yet, and
    /// is taken for a crash's leftover (other processes' work is told apart by their locks).
    pub async fn recover_images(&self) {
        let store = self.store.clone();
        let referenced: std::collections::HashSet<String> = match blocking(move || store.image_originals()).await {
            Ok(rows) => rows.into_iter().map(|(sha, _)| sha).collect(),
            Err(e) => {
                return tracing::error!(
                    error = %e,
                    "could not read the image records to clean up after an earlier crash; serving anyway"
                );
            }
        };
        match self.images.recover(&referenced).await {
            Ok(r) if r.is_empty() => {}
            Ok(r) => tracing::warn!(
                uploads = r.temp_removed,
                derivatives = r.derivatives_removed,
                partial_originals = r.partial_originals_removed,
                quarantined = r.quarantined.len(),
                "cleaned up after an earlier crash"
            ),
            Err(e) => tracing::error!(error = %e, "could not clean up after an earlier crash; serving anyway"),
        }
    }

    /// Starts the indexer, which follows the store's outbox until `stop` fires; none on a
    /// read-only disk (there is nothing new to apply).
    pub fn start_indexer(&self, stop: tokio::sync::watch::Receiver<bool>) -> Option<tokio::task::JoinHandle<()>> {
        (!self.read_only)
            .then(|| tokio::spawn(indexer::run(self.search.clone(), self.store.clone(), self.vocabularies(), stop)))
    }
}

/// Whether `dir` exists on a disk that cannot be written: mounted read-only, or
/// turned read-only by the kernel after a file-system error.
fn on_read_only_disk(dir: &std::path::Path) -> bool {
    crate::store::probe_disk(dir)
        .is_err_and(|e| crate::store::storage_problem(&e) == Some(crate::store::Storage::ReadOnly))
}
