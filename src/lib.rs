//! museum-catalogue: a catalogue service for museum donations.

pub mod interchange;
pub mod model;
