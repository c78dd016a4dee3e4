//! `catalogue dimensions check`: which dimension texts of a file yield no structured value.

use std::io::BufRead;

use anyhow::{Context, bail};

use crate::interchange::open_data::{SourceRecord, open_lines};
use crate::model::dimensions::{self, ParseOptions, Parsed, Unit};

/// Counts of a dimensions check.
#[derive(Debug, Default)]
struct Tally {
    texts: u64,
    structured: u64,
    not_measured: u64,
    unreadable: u64,
    /// Unreadable texts with no number at all (not counted against the rate).
    unreadable_without_number: u64,
}

pub fn check_dimensions(
    file: &std::path::Path,
    implied_unit: Option<Unit>,
    min_rate: Option<f64>,
) -> anyhow::Result<()> {
    let name = file.to_string_lossy();
    let records = name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".ndjson");
    let reader = open_lines(file).with_context(|| format!("opening {}", file.display()))?;
    let progress = indicatif::ProgressBar::new_spinner().with_message("checking dimensions");
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} texts ({per_sec})").expect("valid template"),
    );
    let mut tally = Tally::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading line {} of {}", i + 1, file.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let (text, parsed) = if records {
            let r: SourceRecord =
                serde_json::from_str(&line).with_context(|| format!("line {} is not a record", i + 1))?;
            let Some(parsed) = r.parsed_dimensions() else { continue };
            (r.dimension_text().unwrap_or("(structured)").to_string(), parsed)
        } else {
            (line.clone(), dimensions::parse(&line, ParseOptions { implied_unit }))
        };
        tally.texts += 1;
        progress.inc(1);
        match parsed {
            Parsed::Measured(_) => tally.structured += 1,
            Parsed::NotMeasured => tally.not_measured += 1,
            Parsed::Unreadable(why) => {
                if text.chars().any(|c| c.is_ascii_digit()) {
                    tally.unreadable += 1;
                    use std::io::Write;
                    writeln!(out, "line {}\t{:?}\t{why}", i + 1, text)?;
                } else {
                    tally.unreadable_without_number += 1;
                }
            }
        }
    }
    progress.finish_and_clear();
    let with_number = tally.structured + tally.unreadable;
    let rate = if with_number == 0 { 100.0 } else { tally.structured as f64 * 100.0 / with_number as f64 };
    eprintln!(
        "{} dimension texts: {} structured, {} state no measurement, {} with a number unreadable (listed above), {} without a number unreadable; {rate:.2}% of texts with a number parsed",
        tally.texts, tally.structured, tally.not_measured, tally.unreadable, tally.unreadable_without_number
    );
    if let Some(min) = min_rate
        && rate < min
    {
        bail!("{rate:.2}% parsed, below the required {min}%");
    }
    Ok(())
}
