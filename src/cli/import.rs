//! `catalogue import`: files into the catalogue, each all or nothing.

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::catalogue::import::{Format, ImportReport, Mapping, Problems, ReadOptions, TextEncoding};
use crate::catalogue::{Catalogue, StoreError};

const SHOWN: usize = 50;

fn show(kind: &str, problems: &Problems) {
    for p in problems.first().iter().take(SHOWN) {
        match (p.row, p.column.starts_with('(') && p.value.is_empty()) {
            // The file as a whole (not a table, empty, undecodable).
            (0, _) => eprintln!("  {kind}: {}", p.problem),
            (row, true) => eprintln!("  {kind}: row {row}: {}", p.problem),
            (row, false) => eprintln!("  {kind}: row {row}, {} = {:?}: {}", p.column, p.value, p.problem),
        }
    }
    if problems.len() > SHOWN {
        eprintln!("  … and {} more {kind}s", problems.len() - SHOWN);
    }
}

/// How `catalogue import` reads its files.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// The files' format (default: from each name).
    pub format: Option<Format>,
    pub dry_run: bool,
    /// Header mapping for spreadsheets.
    pub mapping: Option<PathBuf>,
    /// Text encoding of CSV/TSV (detected if not given).
    pub encoding: Option<String>,
    /// Warnings refuse a file too.
    pub strict: bool,
    /// Where to write the report of every warning and error, as CSV.
    pub report: Option<PathBuf>,
}

pub fn run(state: &Catalogue, files: &[PathBuf], options: &Options, actor: Option<&str>) -> anyhow::Result<()> {
    let actor = super::actor_name(state, actor, "system:import")?;
    let read = ReadOptions {
        encoding: match &options.encoding {
            Some(e) => Some(
                TextEncoding::parse(e)
                    .with_context(|| format!("unknown encoding `{e}`; use utf-8, gbk, gb18030 or big5"))?,
            ),
            None => None,
        },
        mapping: match &options.mapping {
            Some(path) => Mapping::read(path).map_err(|e| anyhow::anyhow!(e))?,
            None => Mapping::default(),
        },
        dry_run: options.dry_run,
        strict: options.strict,
    };
    let mut failed = 0;
    let mut problems: Vec<(String, ImportReport)> = Vec::new();
    for file in files {
        let format = options.format.or_else(|| Format::of(file)).with_context(|| {
            format!("{}: cannot tell the format from the name; give --format (jsonl, csv, tsv, xlsx)", file.display())
        })?;
        let progress = indicatif::ProgressBar::new_spinner()
            .with_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} rows ({per_sec})")
                    .expect("valid template"),
            )
            .with_message(file.display().to_string());
        let file_name =
            file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let report = state.import(&actor, file, &file_name, format, &read, &|n| progress.set_position(n)).map_err(
            |e| match e {
                StoreError::Invalid(v) => anyhow::anyhow!("{}: {v}", file.display()),
                StoreError::Io(io) => anyhow::anyhow!("reading {}: {io}", file.display()),
                StoreError::Unreadable(why) => anyhow::anyhow!("reading {}: {why}", file.display()),
                other => anyhow::Error::from(other),
            },
        )?;
        progress.finish_and_clear();
        // Kept for the report file; the problems past the first thousand are on disk.
        problems.push((file.display().to_string(), report));
        let report = &problems.last().expect("just pushed").1;
        let name = match &report.encoding {
            Some(e) => format!("{} ({e})", file.display()),
            None => file.display().to_string(),
        };
        show("warning", &report.warnings);
        if !report.errors.is_empty() {
            show("error", &report.errors);
            eprintln!("{name}: {} errors; nothing imported from this file", report.errors.len());
            failed += 1;
            continue;
        }
        if report.dry_run {
            eprintln!(
                "{name}: {} records valid, {} skipped, {} warnings; would create {}, update {}, leave {} unchanged, \
                 and create {} donors and {} donations; nothing written (dry run)",
                report.valid,
                report.skipped,
                report.warnings.len(),
                report.created,
                report.updated,
                report.unchanged,
                report.donors_created,
                report.donations_created
            );
            for row in &report.preview {
                let title = row["title"]["zh"].as_str().or(row["title"]["en"].as_str()).unwrap_or_default();
                let number = row["accession_number"].as_str().unwrap_or("(numbered from its donation)");
                eprintln!("  as stored: {number} {title} {}", serde_json::to_string(row).unwrap_or_default());
            }
            continue;
        }
        let mut summary = format!(
            "{name}: created {}, updated {}, unchanged {}, skipped {}, errors 0, warnings {}",
            report.created,
            report.updated,
            report.unchanged,
            report.skipped,
            report.warnings.len()
        );
        if matches!(format, Format::Sheet(_)) || report.donors_created + report.donations_created > 0 {
            summary.push_str(&format!(
                "; donors created {}, donations created {}",
                report.donors_created, report.donations_created
            ));
        }
        if report.placed > 0 {
            summary.push_str(&format!("; placed in the location their storage location names {}", report.placed));
        }
        eprintln!("{summary}");
    }
    if let Some(path) = &options.report {
        write_report(path, &problems).with_context(|| format!("writing the report {}", path.display()))?;
        eprintln!("report: {}", path.display());
    }
    if failed > 0 {
        bail!("{failed} file(s) had errors and were not imported");
    }
    Ok(())
}

/// Every warning and error of the files imported, as CSV that opens in Excel.
fn write_report(path: &std::path::Path, files: &[(String, ImportReport)]) -> anyhow::Result<()> {
    let files: Vec<(&str, &ImportReport)> = files.iter().map(|(f, r)| (f.as_str(), r)).collect();
    crate::catalogue::import::write_report_csv(std::io::BufWriter::new(std::fs::File::create(path)?), &files)?;
    Ok(())
}
