use clap::Parser;
use tracing_subscriber::EnvFilter;

/// mimalloc: indexing and search allocate many small, short-lived buffers
/// (tokens, postings, query parts), which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")))
        .with_writer(std::io::stderr)
        .init();
    catalogue::cli::Cli::parse().run().await
}
