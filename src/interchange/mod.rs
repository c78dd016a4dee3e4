//! Interchange with other systems: the open museum datasets' JSON lines.

pub mod export;
pub mod import;
pub mod linked_art;
pub mod open_data;
pub mod sheet;
