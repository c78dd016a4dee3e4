//! What every request handler can reach, and serving it.

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::catalogue::Catalogue;

/// The catalogue, and what only the web needs beside it.
#[derive(Clone)]
pub struct AppState {
    pub catalogue: Catalogue,
    /// Request counts and latencies for `/metrics`.
    pub metrics: Arc<super::metrics::Metrics>,
}

impl AppState {
    pub fn new(catalogue: Catalogue) -> AppState {
        AppState { catalogue, metrics: Default::default() }
    }
}

pub fn router(state: AppState) -> Router {
    super::router(state).layer(TraceLayer::new_for_http())
}

/// Serves the catalogue on an already bound listener until `shutdown` completes,
/// with the search indexer following the store; both stop cleanly.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    state.catalogue.recover_images().await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let indexer = state.catalogue.start_indexer(stopped);
    tracing::info!(%addr, "serving the catalogue at http://{addr}/");
    let limits = state.catalogue.config.limits;
    let served = super::serve::serve(listener, router(state), limits, shutdown).await.context("serving HTTP");
    let _ = stop.send(true);
    if let Some(indexer) = indexer {
        indexer.await.context("stopping the indexer")?;
    }
    served
}
