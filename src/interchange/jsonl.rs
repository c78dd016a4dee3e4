//! JSON-lines files: the open museum datasets' records (Palace Museum, MoMA,
//! Tate, Carnegie), read and checked as they are read, and this catalogue's own
//! full export. Problems are reported by row, column, value and what is wrong;
//! nothing is written here.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use serde_json::Value;

use super::open_data::{SourceRecord, open_lines};
use super::problems::Problems;
use crate::model::artefact::{ArtefactInput, DimensionsInput, NewArtefact, Rules};
use crate::model::common::LocalText;
use crate::model::register::RowProblem;
use crate::model::vocab::Vocabularies;

/// A file read and checked.
#[derive(Debug, Default)]
pub struct Checked {
    pub items: Vec<NewArtefact>,
    /// Problems that stop the import.
    pub errors: Problems,
    /// Rows left out or changed on the way in, and why.
    pub warnings: Problems,
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
) -> std::io::Result<Checked> {
    let mut plan = Checked::default();
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
    plan: &mut Checked,
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
        // Records whose number cannot be one (`Box #3`: a character no address can carry) are left out.
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

/// Reads and checks a JSON-lines file on a thread of its own, handing each valid record
/// to `write` on this one as it comes: reading and writing a large file take two cores.
/// A failed `write` stops both and is returned; otherwise the plan, with whether reading
/// the file went wrong.
pub fn stream_jsonl_beside<E>(
    path: &Path,
    vocab: &Vocabularies,
    write: &mut dyn FnMut(u64, NewArtefact) -> Result<(), E>,
) -> Result<(Checked, std::io::Result<()>), E> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<(u64, NewArtefact)>(256);
        let reader = scope.spawn(move || {
            let mut plan = Checked::default();
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

/// Whether a JSON-lines file is this catalogue's own export.
pub fn is_export(path: &Path) -> std::io::Result<bool> {
    let first = open_lines(path)?.lines().map_while(Result::ok).find(|l| !l.trim().is_empty());
    Ok(first.is_some_and(|l| l.contains("\"catalogue_export\"")))
}

pub type ExportedItem =
    (NewArtefact, Option<crate::model::artefact::Deaccession>, Option<crate::model::donation::DonationExport>);

/// Reads this catalogue's full export, checking every record as new input is checked.
pub fn read_export(
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
        let (plan, read) = stream_jsonl_beside::<std::io::Error>(&sample(), &vocab, &mut |row, a| {
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
                3 => Err("the third row"),
                _ => Ok(()),
            }
        });
        assert!(matches!(result, Err("the third row")));
        assert_eq!(writes, 3, "nothing is written after the failure");
    }
}
