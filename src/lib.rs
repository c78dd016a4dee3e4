//! museum-catalogue: a catalogue service for museum donations.
//!
//! Four layers, arrows pointing down: the faces (`web`, `cli`) call the application
//! (`catalogue`: the use cases), which joins the parts (`store`, the SQLite system of
//! record; `search`; `images`, the scans and IIIF; `interchange`, the formats of other
//! systems; `paperwork`, the documents it prints), all over the domain (`model`: validated types). See ARCHITECTURE.md.

pub mod catalogue;
pub mod cli;
pub mod fuzzing;
pub mod images;
pub mod interchange;
pub mod model;
pub mod paperwork;
pub mod search;
pub mod store;
pub mod web;
