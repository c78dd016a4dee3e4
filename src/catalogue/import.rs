//! Importing a file: read and check it (`interchange`), write it all or nothing (`store`),
//! and log what came of it with its report.

use std::path::Path;

use crate::interchange::import::{PREVIEW, preview, strictly};
// What an import takes and gives.
pub use crate::interchange::import::{Format, ImportReport, ReadOptions};
use crate::interchange::jsonl::{is_export, read_export, stream_jsonl_beside};
pub use crate::interchange::problems::Problems;
pub use crate::interchange::report::{SHOWN, csv_file as report_csv_file, write_csv as write_report_csv};
pub use crate::interchange::sheet::{Mapping, SheetFormat, TextEncoding};
use crate::model::vocab::Vocabularies;

impl super::Catalogue {
    /// Reads, checks and (unless a dry run, or there are errors) writes one file, all or
    /// nothing, as `actor`; rows without an accession number are numbered by the configured
    /// pattern. Not logged: see [`import`](Self::import).
    pub fn import_unlogged(
        &self,
        actor: &str,
        path: &Path,
        format: Format,
        options: &ReadOptions,
        progress: &dyn Fn(u64),
    ) -> Result<ImportReport, crate::store::StoreError> {
        let vocab = self.vocabularies();
        let to = Destination { store: &self.store, vocab: &vocab, pattern: &self.config.accession_pattern, actor };
        import_file(&to, path, format, options, progress)
    }

    /// As [`import_unlogged`](Self::import_unlogged), and logs the import, whatever came of
    /// it, with its report, under `file_name` (the name its sender gave the file): the
    /// report's `id` is its entry.
    pub fn import(
        &self,
        actor: &str,
        path: &Path,
        file_name: &str,
        format: Format,
        options: &ReadOptions,
        progress: &dyn Fn(u64),
    ) -> Result<ImportReport, crate::store::StoreError> {
        let mut report = self.import_unlogged(actor, path, format, options, progress)?;
        let tally = crate::store::ImportTally {
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            skipped: report.skipped,
            warnings: report.warnings.len() as u64,
            errors: report.errors.len() as u64,
        };
        let (mut packed, len) = crate::interchange::report::pack_to_file(&report)?;
        let entry =
            crate::store::NewImportEntry { actor, file_name, format: format.name(), dry_run: options.dry_run, tally };
        report.id = Some(self.store.log_import(&entry, &mut packed, len)?);
        Ok(report)
    }

    /// One logged import with its report, if there is one of that id.
    pub fn import_entry(
        &self,
        id: i64,
    ) -> Result<Option<(crate::store::ImportEntry, ImportReport)>, crate::store::StoreError> {
        let Some((entry, packed)) = self.store.import_entry(id)? else { return Ok(None) };
        let report = crate::interchange::report::unpack(packed).map_err(|e| {
            tracing::error!(import = id, error = %e, "the stored import report cannot be read");
            crate::store::StoreError::Io(e)
        })?;
        Ok(Some((entry, report)))
    }
}

/// Where an import writes, and as whom.
struct Destination<'a> {
    store: &'a crate::store::Store,
    vocab: &'a Vocabularies,
    /// For numbering rows that come without an accession number.
    pattern: &'a crate::model::accession::AccessionPattern,
    actor: &'a str,
}

fn import_file(
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
                (report.created, report.updated, report.unchanged, report.placed) =
                    (a.created, a.updated, a.unchanged, a.placed);
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
                (report.created, report.updated, report.unchanged, report.placed) =
                    (counts.created, counts.updated, counts.unchanged, counts.placed);
                report.preview = preview(first.iter());
            }
        }
        Format::Sheet(f) => {
            let table = match crate::interchange::sheet::open_table(path, f, options.encoding) {
                Ok(table) => table,
                Err(p) => {
                    report.errors.push(p);
                    return Ok(report);
                }
            };
            report.encoding = table.encoding.map(|e| e.name().to_string());
            let mut planner =
                crate::interchange::register::Planner::new(table.headers.clone(), &options.mapping, vocab);
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
                (report.created, report.updated, report.unchanged, report.placed) =
                    (a.created, a.updated, a.unchanged, a.placed);
                (report.donors_created, report.donations_created) = (counts.donors_created, counts.donations_created);
                report.preview = preview(first.iter());
            }
        }
    }
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
