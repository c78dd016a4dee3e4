//! The application: its shared state, its router, and serving it.

use std::sync::{Arc, RwLock};

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::model::vocab::Vocabularies;
use crate::store::Store;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    /// The vocabularies as last read from the store.
    pub vocab: Arc<RwLock<Arc<Vocabularies>>>,
}

impl AppState {
    /// Opens the store in the configured data directory.
    pub fn open(config: Config) -> anyhow::Result<AppState> {
        let path = config.database_path();
        let store = Store::open(&path).with_context(|| format!("opening the catalogue database {}", path.display()))?;
        let vocab = store.vocabularies().context("reading vocabularies")?;
        Ok(AppState { config: Arc::new(config), store: Arc::new(store), vocab: Arc::new(RwLock::new(Arc::new(vocab))) })
    }

    pub fn vocabularies(&self) -> Arc<Vocabularies> {
        self.vocab.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

pub fn router(state: AppState) -> Router {
    crate::web::router(state).layer(TraceLayer::new_for_http())
}

/// Serves the catalogue on an already bound listener until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "serving the catalogue at http://{addr}/");
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await.context("serving HTTP")
}
