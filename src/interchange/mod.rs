//! Interchange with other systems: spreadsheets, the open museum datasets'
//! JSON lines, exports, Linked Art, LIDO.

pub mod export;
pub mod headers;
pub mod import;
pub mod jsonl;
pub mod lido;
pub mod linked_art;
pub mod open_data;
pub mod problems;
pub mod public;
pub mod register;
pub mod report;
pub mod sheet;
pub mod xml;
