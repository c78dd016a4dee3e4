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
}

impl AppState {
    /// Opens the store in the configured data directory.
    pub fn open(config: Config) -> anyhow::Result<AppState> {
        let path = config.database_path();
        let store = Store::open(&path).with_context(|| format!("opening the catalogue database {}", path.display()))?;
        let vocab = store.vocabularies().context("reading vocabularies")?;
        let search_config = match &config.index_config {
            Some(dir) => SearchConfig::from_dir(dir)
                .with_context(|| format!("reading the search configuration in {}", dir.display()))?,
            None => SearchConfig::default(),
        };
        let search = SearchService::open(&config.data_dir, &search_config).context("opening the search indexes")?;
        let images = ImageService::open(&config).context("opening the image store")?;
        Ok(AppState {
            config: Arc::new(config),
            store: Arc::new(store),
            vocab: Arc::new(RwLock::new(Arc::new(vocab))),
            search,
            images,
            metrics: Default::default(),
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
    let indexer = tokio::spawn(indexer::run(state.search.clone(), state.store.clone(), state.vocabularies(), stopped));
    tracing::info!(%addr, "serving the catalogue at http://{addr}/");
    let limits = state.config.limits;
    let served = crate::web::serve::serve(listener, router(state), limits, shutdown).await.context("serving HTTP");
    let _ = stop.send(true);
    indexer.await.context("stopping the indexer")?;
    served
}
