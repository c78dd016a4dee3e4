//! Domain types, validated on construction. No I/O here.

pub mod accession;
pub mod artefact;
pub mod common;
pub mod date;
pub mod dimensions;
pub mod donation;
pub mod english;
pub mod image;
pub mod location;
pub mod party;
pub mod patch;
pub mod register;
pub mod rights;
pub mod role;
pub mod strict;
pub mod text;
pub mod validation;
pub mod view;
pub mod vocab;
