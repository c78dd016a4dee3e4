//! The application: its shared state, its router, and serving it.

use std::sync::{Arc, RwLock};

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::images::ImageService;
use crate::model::vocab::Vocabularies;
use crate::search::{SearchConfig, SearchService, indexer};
use crate::store::Store;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    /// The vocabularies as last read from the store.
    pub vocab: Arc<RwLock<Arc<Vocabularies>>>,
    pub search: SearchService,
    pub images: ImageService,
    /// Request counts and latencies for `/metrics`.
    pub metrics: Arc<crate::web::metrics::Metrics>,
    /// The data directory was on a read-only disk at start: everything is served
    /// for reading, every write is refused with `503 read_only`, nothing is indexed.
    pub read_only: bool,
}

impl AppState {
    /// Opens the store in the configured data directory.
    pub fn open(config: Config) -> anyhow::Result<AppState> {
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
        let search_config = match &config.index_config {
            Some(dir) => SearchConfig::from_dir(dir)
                .with_context(|| format!("reading the search configuration in {}", dir.display()))?,
            None => SearchConfig::default(),
        };
        let search = match read_only {
            true => SearchService::open_read_only(&config.data_dir, &search_config),
            false => SearchService::open(&config.data_dir, &search_config),
        }
        .context("opening the search indexes")?;
        if search.outdated {
            let started = std::time::Instant::now();
            let generation = crate::search::indexer::rebuild(&store, &vocab, &search, &|_, _| {})
                .context("rebuilding the search indexes")?;
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
            true => ImageService::open_read_only(&config),
            false => ImageService::open(&config),
        }
        .context("opening the image store")?;
        Ok(AppState {
            config: Arc::new(config),
            store: Arc::new(store),
            vocab: Arc::new(RwLock::new(Arc::new(vocab))),
            search,
            images,
            metrics: Default::default(),
            read_only,
        })
    }

    pub fn vocabularies(&self) -> Arc<Vocabularies> {
        self.vocab.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Rereads the vocabularies after an edit, so forms and pages use it at once.
    pub fn reload_vocabularies(&self) -> Result<(), crate::store::StoreError> {
        let fresh = Arc::new(self.store.vocabularies()?);
        *self.vocab.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
    }
}

/// Whether `dir` exists on a disk that cannot be written: mounted read-only, or
/// turned read-only by the kernel after a file-system error.
fn on_read_only_disk(dir: &std::path::Path) -> bool {
    crate::store::probe_disk(dir)
        .is_err_and(|e| crate::store::storage_problem(&e) == Some(crate::store::Storage::ReadOnly))
}

pub fn router(state: AppState) -> Router {
    crate::web::router(state).layer(TraceLayer::new_for_http())
}

/// Serves the catalogue on an already bound listener until `shutdown` completes,
/// with the search indexer following the store; both stop cleanly.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    match state.images.recover(&state.store).await {
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
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // On a read-only disk the indexes stay as they are: there is nothing new to apply.
    let indexer = (!state.read_only)
        .then(|| tokio::spawn(indexer::run(state.search.clone(), state.store.clone(), state.vocabularies(), stopped)));
    tracing::info!(%addr, "serving the catalogue at http://{addr}/");
    let limits = state.config.limits;
    let served = crate::web::serve::serve(listener, router(state), limits, shutdown).await.context("serving HTTP");
    let _ = stop.send(true);
    if let Some(indexer) = indexer {
        indexer.await.context("stopping the indexer")?;
    }
    served
}
