//! The `catalogue` command line, run as a user would run it: one file per command.

mod backup;
mod batch;
mod demo;
mod dimensions;
mod export;
mod images;
mod import;
mod import_sheets;
mod lido;
mod locations;
mod print;
mod users;
