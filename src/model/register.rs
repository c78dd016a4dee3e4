//! A register's rows as the catalogue reads them: a row ready to write (its artefact,
//! donor and donation), and a problem found in a row. The interchange formats make them,
//! the store writes them.

use serde::{Deserialize, Serialize};

use super::artefact::NewArtefact;
use super::date::HistoricalDate;
use super::party::Contact;

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// 1-based line or row number.
    pub row: u64,
    pub column: String,
    pub value: String,
    pub problem: String,
}

/// The donor a row names.
#[derive(Debug, Clone, PartialEq)]
pub struct DonorRef {
    pub name: String,
    pub contact: Option<Contact>,
}

/// One row, ready to write: the artefact and the donation it came with.
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub row: u64,
    pub item: NewArtefact,
    pub donor: Option<DonorRef>,
    pub receipt: Option<String>,
    /// The acquisition date as written, and its year.
    pub acquired: Option<HistoricalDate>,
}
