//! One integration test binary. Modules mirror the URL tree and the CLI;
//! every test runs a real server on 127.0.0.1:0 over a real SQLite file.

mod api;
mod backup;
mod browser;
mod cli;
mod crash;
mod defects;
mod demo;
mod dimensions_data;
mod disk;
mod export;
mod fuzz_inputs;
mod hardening;
mod helpers;
mod images;
mod images_cli;
mod import;
mod import_sheets;
mod lido;
mod metrics;
mod numbers;
mod oai;
mod pages;
mod restart;
mod search_quality;
pub mod search_recovery;
mod workspace;
