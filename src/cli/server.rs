//! `catalogue serve` and `catalogue demo`.

use anyhow::Context;

use crate::catalogue::Catalogue;
use crate::catalogue::config::Config;

pub async fn load_demo(state: &Catalogue) -> anyhow::Result<()> {
    let catalogue = state.clone();
    let summary =
        crate::catalogue::blocking(move || catalogue.load_demo()).await.context("loading the demo catalogue")?;
    let photographs = state.load_demo_images().await.context("adding the demo photographs")?;
    if photographs > 0 {
        tracing::info!(photographs, "demo photographs added");
    }
    if summary.artefacts + summary.parties + summary.donations == 0 {
        tracing::info!("demo catalogue already loaded");
    } else {
        tracing::info!(
            parties = summary.parties,
            donations = summary.donations,
            artefacts = summary.artefacts,
            "demo catalogue loaded"
        );
    }
    Ok(())
}

pub async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let addr = config.addr;
    let state = Catalogue::open(config)?;
    if demo {
        load_demo(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    crate::web::state::serve(listener, crate::web::AppState::new(state), shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
