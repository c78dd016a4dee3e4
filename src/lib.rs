//! museum-catalogue: a catalogue service for museum donations.
//!
//! `model` holds the validated domain types, `store` the SQLite system of
//! record, `web` the HTTP API, `images` the scans and IIIF, `interchange` the formats of other systems.
//! See ARCHITECTURE.md for a walk through the layers.

pub mod catalogue;
pub mod cli;
pub mod fuzzing;
pub mod images;
pub mod interchange;
pub mod model;
pub mod search;
pub mod store;
pub mod web;
