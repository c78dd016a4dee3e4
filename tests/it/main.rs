//! One integration test binary over real parts: a real server on 127.0.0.1:0, a real
//! SQLite file and real indexes in a temporary data directory, the real binary.
//!
//! The faces, as a user meets them: the URL tree (`api/`, `pages/`, `workspace/`, `iiif`,
//! `oai`, `metrics`) and the command line (`cli/`, one file per command). Then what holds
//! across them: crash safety, a full disk, hostile and careless clients, restarts and
//! recovery, the layers of the source tree, and the checks over the shared data.
//! `helpers` has the one in-process server ([`helpers::TestApp`]), the one server
//! started as a process and the one command line runner.

mod helpers;

// The URL tree.
mod api;
mod iiif;
mod metrics;
mod oai;
mod pages;
mod workspace;

// The command line.
mod cli;

// Across the faces.
mod browser;
mod crash;
mod defects;
mod demo;
mod dimensions_data;
mod disk;
mod fuzz_inputs;
mod hardening;
mod layers;
mod numbers;
mod restart;
mod search_quality;
mod search_recovery;
mod valid_html;
