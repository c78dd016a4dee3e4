//! Importing a file: its format, how it is read, where it is written and as whom,
//! and what came of it (the report). The file is read and checked by `jsonl.rs`
//! (JSON lines) or `sheet.rs` and `register.rs` (registers), and written, all or
//! nothing, by the store.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::jsonl::{is_export, read_export, stream_jsonl_beside};
use super::problems::Problems;
use crate::model::vocab::Vocabularies;

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

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// 1-based line or row number.
    pub row: u64,
    pub column: String,
    pub value: String,
    pub problem: String,
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
const PREVIEW: usize = 5;

/// The first records as they will be stored.
fn preview<'a>(items: impl Iterator<Item = &'a crate::model::artefact::NewArtefact>) -> Vec<serde_json::Value> {
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
fn strictly(strict: bool, errors: &mut Problems, warnings: &mut Problems) -> std::io::Result<()> {
    if strict && !warnings.is_empty() {
        *errors = Problems::merged(std::mem::take(errors), std::mem::take(warnings))?;
    }
    Ok(())
}

/// Where an import writes, and as whom.
pub struct Destination<'a> {
    pub store: &'a crate::store::Store,
    pub vocab: &'a Vocabularies,
    /// For numbering rows that come without an accession number.
    pub pattern: &'a crate::model::accession::AccessionPattern,
    pub actor: &'a str,
}

/// Reads, checks and (unless a dry run, or there are errors) writes one file, all or nothing.
pub fn import_file(
    to: &Destination<'_>,
    path: &Path,
    format: Format,
    options: &ReadOptions,
    progress: &dyn Fn(u64),
) -> Result<ImportReport, crate::store::StoreError> {
    let Destination { store, vocab, pattern, actor } = *to;
    let mut report = ImportReport { dry_run: options.dry_run, ..Default::default() };
    match format {
        Format::Jsonl if is_export(path).map_err(unreadable)? => {
            let (lines, errors) = read_export(path, vocab, progress).map_err(unreadable)?;
            report.valid = lines.len() as u64;
            report.errors = errors.into();
            if report.errors.is_empty() && !options.dry_run {
                let counts = store.import_exported(actor, lines, progress)?;
                let a = counts.artefacts;
                (report.created, report.updated, report.unchanged) = (a.created, a.updated, a.unchanged);
                (report.donors_created, report.donations_created) = (counts.donors_created, counts.donations_created);
            }
        }
        Format::Jsonl => {
            // One pass: each record is checked and written as it is read, in one transaction
            // that is committed only if no row had a problem (and never on a dry run).
            let mut first: Vec<crate::model::artefact::NewArtefact> = Vec::new();
            let (plan, counts, committed) = store.import_with(actor, |importer| {
                let mut valid = 0u64;
                let (mut plan, read) = stream_jsonl_beside(path, vocab, &mut |row, item| {
                    valid += 1;
                    if row.is_multiple_of(1000) {
                        progress(row);
                    }
                    if first.len() < PREVIEW {
                        first.push(item.clone());
                    }
                    // Written on a dry run too, and rolled back: the counts say what would happen.
                    importer.put(item)
                })?;
                read.map_err(unreadable)?;
                strictly(options.strict, &mut plan.errors, &mut plan.warnings).map_err(unreadable)?;
                let commit = plan.errors.is_empty() && !options.dry_run;
                Ok(((plan, valid), commit))
            })?;
            let (plan, valid) = plan;
            report.valid = valid;
            report.skipped = plan.skipped;
            report.errors = plan.errors;
            report.warnings = plan.warnings;
            if committed || (options.dry_run && report.errors.is_empty()) {
                (report.created, report.updated, report.unchanged) = (counts.created, counts.updated, counts.unchanged);
                report.preview = preview(first.iter());
            }
        }
        Format::Sheet(f) => {
            let table = match super::sheet::open_table(path, f, options.encoding) {
                Ok(table) => table,
                Err(p) => {
                    report.errors.push(p);
                    return Ok(report);
                }
            };
            report.encoding = table.encoding.map(|e| e.name().to_string());
            let mut planner = super::sheet::Planner::new(table.headers.clone(), &options.mapping, vocab);
            let number_column = planner.header_of("accession");
            if planner.unusable() {
                report.errors = planner.errors;
                return Ok(report);
            }
            let strict = options.strict && !planner.warnings.is_empty();
            let mut first = Vec::new();
            // Each row is checked and written as it is read; a refused row keeps the
            // transaction from being committed, and reading goes on to find every problem.
            let mut rows = table.map(|line| {
                use crate::store::Planned;
                let (warned, erred) = (planner.warnings.len(), planner.errors.len());
                let planned = match line {
                    Ok((row, cells)) => planner.row(row, cells),
                    Err(p) => {
                        planner.errors.push(p);
                        None
                    }
                };
                let refused = planner.errors.len() > erred || (options.strict && planner.warnings.len() > warned);
                match planned {
                    _ if refused => Planned::Refused,
                    None => Planned::LeftOut,
                    Some(r) => {
                        if first.len() < PREVIEW {
                            first.push(r.item.clone());
                        }
                        Planned::Row(Box::new(r))
                    }
                }
            });
            let (counts, conflicts) = store.import_register(
                actor,
                &mut rows,
                &number_column,
                pattern,
                progress,
                !options.dry_run && !strict,
            )?;
            drop(rows);
            report.valid = planner.valid;
            report.skipped = planner.skipped;
            let mut conflicts = conflicts;
            conflicts.sort_by_key(|p| p.row);
            report.errors = Problems::merged(planner.errors, conflicts.into())?;
            report.warnings = planner.warnings;
            strictly(options.strict, &mut report.errors, &mut report.warnings)?;
            if report.errors.is_empty() {
                let a = counts.artefacts;
                (report.created, report.updated, report.unchanged) = (a.created, a.updated, a.unchanged);
                (report.donors_created, report.donations_created) = (counts.donors_created, counts.donations_created);
                report.preview = preview(first.iter());
            }
        }
    }
    Ok(report)
}

/// As [`import_file`], and logs the import, whatever came of it, with its report, under
/// `file_name` (the name its sender gave the file): the report's `id` is its entry.
pub fn import_logged(
    to: &Destination<'_>,
    path: &Path,
    file_name: &str,
    format: Format,
    options: &ReadOptions,
    progress: &dyn Fn(u64),
) -> Result<ImportReport, crate::store::StoreError> {
    let mut report = import_file(to, path, format, options, progress)?;
    let tally = crate::store::ImportTally {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        skipped: report.skipped,
        warnings: report.warnings.len() as u64,
        errors: report.errors.len() as u64,
    };
    let (mut packed, len) = super::report::pack_to_file(&report)?;
    let entry = crate::store::NewImportEntry {
        actor: to.actor,
        file_name,
        format: format.name(),
        dry_run: options.dry_run,
        tally,
    };
    report.id = Some(to.store.log_import(&entry, &mut packed, len)?);
    Ok(report)
}

/// A file that could not be read as what it claims to be: a 4xx for its sender, not
/// a failure of the catalogue's disk.
fn unreadable(e: std::io::Error) -> crate::store::StoreError {
    let why = match e.kind() {
        std::io::ErrorKind::UnexpectedEof => format!("{e} (the file ends too early: a truncated upload or download?)"),
        _ => e.to_string(),
    };
    crate::store::StoreError::Unreadable(why)
}
