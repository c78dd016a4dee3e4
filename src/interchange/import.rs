//! Reading an import file into validated artefacts, with every problem
//! reported by row, column, value and what is wrong, before anything is written.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::open_data::{SourceRecord, open_lines};
use crate::model::artefact::{ArtefactInput, DimensionsInput, NewArtefact, Rules};
use crate::model::common::LocalText;
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

/// A file read and checked.
#[derive(Debug, Default)]
pub struct Plan {
    pub items: Vec<NewArtefact>,
    /// Problems that stop the import.
    pub errors: Vec<RowProblem>,
    /// Rows left out or changed on the way in, and why.
    pub warnings: Vec<RowProblem>,
    pub skipped: u64,
}

fn value_of(input: &ArtefactInput, field: &str) -> String {
    let mut value = serde_json::to_value(input).ok();
    for part in field.split(['.', '[', ']']).filter(|p| !p.is_empty()) {
        value = value.and_then(|v| match part.parse::<usize>() {
            Ok(i) => v.get(i).cloned(),
            Err(_) => v.get(part).cloned(),
        });
    }
    match value {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The non-empty lines of a (possibly gzipped) file with their 1-based numbers, telling
/// `progress` every thousand lines.
fn numbered_lines<'a>(
    path: &Path,
    progress: &'a dyn Fn(u64),
) -> std::io::Result<impl Iterator<Item = std::io::Result<(u64, String)>> + 'a> {
    Ok(open_lines(path)?.split(b'\n').enumerate().filter_map(move |(i, line)| {
        let row = i as u64 + 1;
        if row.is_multiple_of(1000) {
            progress(row);
        }
        let line = line.and_then(|mut bytes| {
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            String::from_utf8(bytes).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {row} is not UTF-8 text (at byte {}); JSON lines are UTF-8: convert the file, or import it as CSV with its encoding",
                        e.utf8_error().valid_up_to() + 1
                    ),
                )
            })
        });
        match line {
            Ok(l) if l.trim().is_empty() => None,
            Ok(l) => Some(Ok((row, l))),
            Err(e) => Some(Err(e)),
        }
    }))
}

/// Reads and validates every record of an open-dataset JSON-lines file
/// (only those whose `source` starts with `source`, when given).
pub fn read_jsonl(
    path: &Path,
    source: Option<&str>,
    vocab: &Vocabularies,
    progress: &dyn Fn(u64),
) -> std::io::Result<Plan> {
    let mut plan = Plan::default();
    let mut items = Vec::new();
    stream_jsonl(path, source, vocab, progress, &mut plan, &mut |_, a| {
        items.push(a);
        Ok(())
    })?;
    plan.items = items;
    Ok(plan)
}

/// As [`read_jsonl`], handing each valid record and its row number to `sink` as it is read
/// (so a file of any size takes little memory); problems and skips go to `plan`, whose
/// `items` stay empty.
pub fn stream_jsonl(
    path: &Path,
    source: Option<&str>,
    vocab: &Vocabularies,
    progress: &dyn Fn(u64),
    plan: &mut Plan,
    sink: &mut dyn FnMut(u64, NewArtefact) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut seen: HashSet<String> = HashSet::new();
    for item in numbered_lines(path, progress)? {
        let (row, line) = item?;
        let record: SourceRecord = match SourceRecord::parse_line(&line) {
            Ok(r) => r,
            Err(e) => {
                plan.errors.push(RowProblem {
                    row,
                    column: "(line)".into(),
                    value: line.chars().take(80).collect(),
                    problem: format!("not a record: {e}"),
                });
                continue;
            }
        };
        if source.is_some_and(|s| !record.source.starts_with(s)) {
            continue;
        }
        let mut input = record.to_input();
        let Some(number) = input.accession_number.clone() else {
            plan.skipped += 1;
            plan.warnings.push(RowProblem {
                row,
                column: "accession_number".into(),
                value: String::new(),
                problem: "no accession number; row left out".into(),
            });
            continue;
        };
        if !seen.insert(number.clone()) {
            plan.skipped += 1;
            plan.warnings.push(RowProblem {
                row,
                column: "accession_number".into(),
                value: number,
                problem: "appears earlier in the file; this row is left out".into(),
            });
            continue;
        }
        if input.title.as_ref().is_none_or(LocalText::is_empty) {
            input.title = Some(LocalText { zh: None, en: Some("[untitled]".into()) });
            plan.warnings.push(RowProblem {
                row,
                column: "title".into(),
                value: String::new(),
                problem: "no title; recorded as [untitled]".into(),
            });
        }
        let rules = Rules::legacy(vocab, record.dimension_options().implied_unit);
        let mut result = input.validate(&rules);
        // A measurement the parser cannot read is kept as written, without structured values.
        if let Err(e) = &result
            && e.0.iter().all(|p| p.field == "dimensions")
            && let Some(DimensionsInput::Text(text)) = input.dimensions.take()
        {
            plan.warnings.push(RowProblem {
                row,
                column: "dimensions".into(),
                value: text.clone(),
                problem: e.0[0].problem.clone(),
            });
            result = input.validate(&rules).map(|mut a| {
                a.body.dimensions = Some(crate::model::artefact::Dimensions {
                    text: Some(text),
                    not_measured: false,
                    items: Vec::new(),
                });
                a
            });
        }
        // Records whose number cannot be one (dataset templates such as `PIB Template - Graham`) are left out.
        if let Err(e) = &result
            && e.0.iter().all(|p| p.field == "accession_number")
        {
            plan.skipped += 1;
            plan.warnings.push(RowProblem {
                row,
                column: "accession_number".into(),
                value: number,
                problem: format!("{}; row left out", e.0[0].problem),
            });
            continue;
        }
        match result {
            Ok(a) => sink(row, a)?,
            Err(e) => plan.errors.extend(e.0.into_iter().map(|p| RowProblem {
                row,
                value: value_of(&input, &p.field),
                column: p.field,
                problem: p.problem,
            })),
        }
    }
    Ok(())
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
    pub errors: Vec<RowProblem>,
    /// Every warning, or (in an answer) the first thousand: see `warnings_total`.
    pub warnings: Vec<RowProblem>,
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

/// Under `strict`, the warnings become errors.
fn strictly(strict: bool, errors: &mut Vec<RowProblem>, warnings: &mut Vec<RowProblem>) {
    if strict && !warnings.is_empty() {
        errors.append(warnings);
        errors.sort_by_key(|p| p.row);
    }
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
            report.errors = errors;
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
                strictly(options.strict, &mut plan.errors, &mut plan.warnings);
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
            report.errors = planner.errors;
            report.errors.extend(conflicts);
            report.warnings = planner.warnings;
            strictly(options.strict, &mut report.errors, &mut report.warnings);
            report.errors.sort_by_key(|p| p.row);
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
    let packed = super::report::pack(&report)?;
    report.id = Some(to.store.log_import(&crate::store::NewImportEntry {
        actor: to.actor,
        file_name,
        format: format.name(),
        dry_run: options.dry_run,
        tally,
        report: &packed,
    })?);
    Ok(report)
}

/// Reads and checks a JSON-lines file on a thread of its own, handing each valid record
/// to `write` on this one as it comes: reading and writing a large file take two cores.
/// A failed `write` stops both and is returned; otherwise the plan, with whether reading
/// the file went wrong.
fn stream_jsonl_beside(
    path: &Path,
    vocab: &Vocabularies,
    write: &mut dyn FnMut(u64, NewArtefact) -> Result<(), crate::store::StoreError>,
) -> Result<(Plan, std::io::Result<()>), crate::store::StoreError> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<(u64, NewArtefact)>(256);
        let reader = scope.spawn(move || {
            let mut plan = Plan::default();
            let read = stream_jsonl(path, None, vocab, &|_| {}, &mut plan, &mut |row, item| {
                send.send((row, item)).map_err(|_| std::io::Error::other("writing stopped"))
            });
            (plan, read)
        });
        let mut failed = None;
        for (row, item) in receive.iter() {
            if let Err(e) = write(row, item) {
                failed = Some(e);
                break;
            }
        }
        // Dropping the receiver ends the reader at its next record.
        drop(receive);
        let read = reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match failed {
            Some(e) => Err(e),
            None => Ok(read),
        }
    })
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

/// Whether a JSON-lines file is this catalogue's own export.
fn is_export(path: &Path) -> std::io::Result<bool> {
    let first = open_lines(path)?.lines().map_while(Result::ok).find(|l| !l.trim().is_empty());
    Ok(first.is_some_and(|l| l.contains("\"catalogue_export\"")))
}

type ExportedItem = (NewArtefact, Option<crate::model::artefact::Deaccession>, Option<super::export::DonationExport>);

/// Reads this catalogue's full export, checking every record as new input is checked.
fn read_export(
    path: &Path,
    vocab: &Vocabularies,
    progress: &dyn Fn(u64),
) -> std::io::Result<(Vec<ExportedItem>, Vec<RowProblem>)> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for item in numbered_lines(path, progress)? {
        let (row, line) = item?;
        let bad =
            |column: &str, problem: String| RowProblem { row, column: column.into(), value: String::new(), problem };
        let raw: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                errors.push(bad("(line)", format!("not JSON: {e}")));
                continue;
            }
        };
        if raw.get("public").and_then(Value::as_bool) == Some(true) {
            errors.push(bad(
                "(line)",
                "a public export leaves out private fields and cannot be imported as a catalogue; use a full export"
                    .into(),
            ));
            break;
        }
        let parsed: super::export::ExportLine = match serde_json::from_value(raw) {
            Ok(l) => l,
            Err(e) => {
                errors.push(bad("(line)", format!("not an export line: {e}")));
                continue;
            }
        };
        if parsed.catalogue_export != super::export::FORMAT_VERSION {
            errors.push(bad(
                "catalogue_export",
                format!("format version {} is not {}", parsed.catalogue_export, super::export::FORMAT_VERSION),
            ));
            continue;
        }
        let number = parsed.artefact.accession_number.to_string();
        if !seen.insert(number.clone()) {
            errors.push(RowProblem {
                row,
                column: "accession_number".into(),
                value: number,
                problem: "appears earlier in the file".into(),
            });
            continue;
        }
        // Checked as any input is: the same rules, the same vocabularies.
        let mut doc = serde_json::to_value(&parsed.artefact).unwrap_or_default();
        if let Some(m) = doc.as_object_mut() {
            m.remove("deaccession");
        }
        let input: ArtefactInput = match serde_json::from_value(doc) {
            Ok(i) => i,
            Err(e) => {
                errors.push(bad("(record)", e.to_string()));
                continue;
            }
        };
        match input.validate(&Rules::legacy(vocab, None)) {
            Ok(item) => items.push((item, parsed.artefact.deaccession, parsed.donation)),
            Err(e) => errors.extend(e.0.into_iter().map(|p| RowProblem {
                row,
                value: value_of(&input, &p.field),
                column: p.field,
                problem: p.problem,
            })),
        }
    }
    Ok((items, errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    fn sample() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dimensions-sample.jsonl")
    }

    #[test]
    fn rows_read_beside_the_writer_arrive_all_and_in_order() {
        let vocab = Vocabularies::shipped();
        let expected: Vec<String> = read_jsonl(&sample(), None, &vocab, &|_| {})
            .unwrap()
            .items
            .into_iter()
            .filter_map(|a| a.accession_number.map(|n| n.to_string()))
            .collect();
        assert!(expected.len() > 2000);
        let mut got = Vec::new();
        let mut last_row = 0;
        let (plan, read) = stream_jsonl_beside(&sample(), &vocab, &mut |row, a| {
            assert!(row > last_row, "rows in file order");
            last_row = row;
            got.extend(a.accession_number.map(|n| n.to_string()));
            Ok(())
        })
        .unwrap();
        read.unwrap();
        assert!(plan.errors.is_empty());
        assert_eq!(got, expected);
    }

    #[test]
    fn a_failed_write_stops_the_reading_and_is_what_comes_back() {
        let vocab = Vocabularies::shipped();
        let mut writes = 0;
        let result = stream_jsonl_beside(&sample(), &vocab, &mut |_, _| {
            writes += 1;
            match writes {
                3 => Err(StoreError::Conflict { message: "the third row".into(), current_version: None }),
                _ => Ok(()),
            }
        });
        assert!(matches!(result, Err(StoreError::Conflict { message, .. }) if message == "the third row"));
        assert_eq!(writes, 3, "nothing is written after the failure");
    }
}
