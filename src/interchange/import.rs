//! Importing a file: its format, how it is read and what came of it (the report).
//! The file is read and checked by `jsonl.rs` (JSON lines) or `sheet.rs` and
//! `register.rs` (registers); `catalogue::import` writes it, all or nothing.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::problems::Problems;
use crate::model::register::RowProblem;

/// The formats `catalogue import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON lines of the open museum datasets (Palace Museum, MoMA, Tate, Carnegie), `.gz` too.
    Jsonl,
    /// A register as a spreadsheet.
    Sheet(super::sheet::SheetFormat),
}

impl Format {
    /// The format's short name: `csv`, `tsv`, `xlsx` or `jsonl`.
    pub fn name(self) -> &'static str {
        use super::sheet::SheetFormat;
        match self {
            Format::Jsonl => "jsonl",
            Format::Sheet(SheetFormat::Csv) => "csv",
            Format::Sheet(SheetFormat::Tsv) => "tsv",
            Format::Sheet(SheetFormat::Xlsx) => "xlsx",
        }
    }

    /// The format a file name suggests.
    pub fn of(path: &Path) -> Option<Format> {
        use super::sheet::SheetFormat;
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        if [".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz"].iter().any(|e| name.ends_with(e)) {
            return Some(Format::Jsonl);
        }
        match name.rsplit('.').next()? {
            "csv" => Some(Format::Sheet(SheetFormat::Csv)),
            "tsv" | "tab" => Some(Format::Sheet(SheetFormat::Tsv)),
            "xlsx" => Some(Format::Sheet(SheetFormat::Xlsx)),
            _ => None,
        }
    }
}

/// What importing one file did, or would do (a dry run); with errors, nothing was written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ImportReport {
    /// The import's entry in the import log (its report: `/api/v1/imports/{id}/report.csv`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The text encoding found (CSV and TSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Records that passed every check.
    pub valid: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Records placed in the location their storage location names.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub placed: u64,
    pub skipped: u64,
    pub donors_created: u64,
    pub donations_created: u64,
    pub dry_run: bool,
    /// Every error, or (in an answer) the first thousand: see `errors_total`.
    #[schema(value_type = Vec<RowProblem>)]
    pub errors: Problems,
    /// Every warning, or (in an answer) the first thousand: see `warnings_total`.
    #[schema(value_type = Vec<RowProblem>)]
    pub warnings: Problems,
    /// In an answer: how many errors there are in all (the report has every one).
    #[serde(skip_serializing_if = "is_zero")]
    pub errors_total: u64,
    /// In an answer: how many warnings there are in all.
    #[serde(skip_serializing_if = "is_zero")]
    pub warnings_total: u64,
    /// The first records as they will be stored (a dry run's preview).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub preview: Vec<serde_json::Value>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// How many records a dry run shows as they will be stored.
pub const PREVIEW: usize = 5;

/// The first records as they will be stored.
pub fn preview<'a>(items: impl Iterator<Item = &'a crate::model::artefact::NewArtefact>) -> Vec<serde_json::Value> {
    items
        .take(PREVIEW)
        .filter_map(|a| {
            let mut v = serde_json::to_value(&a.body).ok()?;
            // Rows without a number get their donation's next one when written.
            v["accession_number"] = a.accession_number.as_ref().map(|n| n.as_str()).into();
            Some(v)
        })
        .collect()
}

/// How a file is to be read.
#[derive(Debug, Default)]
pub struct ReadOptions {
    pub encoding: Option<super::sheet::TextEncoding>,
    pub mapping: super::sheet::Mapping,
    pub dry_run: bool,
    /// Every warning refuses the file too, as an error.
    pub strict: bool,
}

/// Under `strict`, the warnings become errors, in row order with them.
pub fn strictly(strict: bool, errors: &mut Problems, warnings: &mut Problems) -> std::io::Result<()> {
    if strict && !warnings.is_empty() {
        *errors = Problems::merged(std::mem::take(errors), std::mem::take(warnings))?;
    }
    Ok(())
}
