//! `catalogue bench import`: importing the shared records (checked, written,
//! then indexed) beside the same text bulk-loaded into SQLite FTS5, in one run;
//! as the datasets' JSON lines, or (`--format csv`) as registers built from them,
//! the Palace Museum's under the census headers in Traditional characters and the
//! English records under MoMA's column names.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::catalogue::Catalogue;
use crate::catalogue::import::{Format, ReadOptions};
use crate::interchange::open_data::{SourceRecord, open_lines};

/// The text a record gives a full-text engine: every descriptive field.
fn text_of(r: &SourceRecord) -> String {
    let maker = r.makers().join(" ");
    let dims = r.dimensions.as_ref().map(|d| d.to_string()).unwrap_or_default();
    [
        r.title.as_deref(),
        Some(maker.as_str()),
        r.date.as_deref(),
        r.medium.as_deref(),
        Some(dims.as_str()),
        r.credit_line.as_deref(),
        r.provenance.as_deref(),
        r.description.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
}

/// Bulk-loads what `load` gives (accession, text) into a new FTS5 table in one
/// transaction: the time it took, from opening the database, and the rows.
fn fts5_load(
    path: &Path,
    load: impl FnOnce(&mut dyn FnMut(&str, &str) -> anyhow::Result<()>) -> anyhow::Result<()>,
) -> anyhow::Result<(Duration, u64)> {
    let _ = std::fs::remove_file(path);
    let start = Instant::now();
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE VIRTUAL TABLE docs USING fts5(accession UNINDEXED, body, tokenize = 'trigram');",
    )?;
    let tx = conn.transaction()?;
    let mut n = 0;
    {
        let mut st = tx.prepare("INSERT INTO docs(accession, body) VALUES (?1, ?2)")?;
        load(&mut |accession, body| {
            st.execute([accession, body])?;
            n += 1;
            Ok(())
        })?;
    }
    tx.commit()?;
    Ok((start.elapsed(), n))
}

/// The records' lines parsed and loaded into FTS5.
fn fts5(files: &[PathBuf], path: &Path) -> anyhow::Result<(Duration, u64)> {
    fts5_load(path, |put| {
        for file in files {
            for line in open_lines(file)?.lines() {
                let line = line?;
                let Ok(r) = SourceRecord::parse_line(&line) else { continue };
                put(r.accession_number.as_deref().unwrap_or_default(), &text_of(&r))?;
            }
        }
        Ok(())
    })
}

/// A register's columns: its header and the dataset's field each holds.
type Columns = &'static [(&'static str, &'static str)];

/// The census headers, in Traditional characters, as the Palace Museum's records are kept.
const CENSUS: Columns = &[
    ("總登記號", "accession_number"),
    ("藏品名稱", "title"),
    ("作者", "maker"),
    ("具體年代", "date"),
    ("具體尺寸", "dimensions"),
    ("備註", "description"),
];

/// MoMA's `Artworks.csv` column names.
pub const MOMA: Columns = &[
    ("AccessionNumber", "accession_number"),
    ("Title", "title"),
    ("Artist", "maker"),
    ("Date", "date"),
    ("Medium", "medium"),
    ("Dimensions", "dimensions"),
    ("CreditLine", "credit_line"),
    ("DateAcquired", "acquisition_date"),
    ("Department", "department"),
];

/// The Metropolitan Museum's `MetObjects.csv` column names.
pub const MET: Columns = &[
    ("Object Number", "accession_number"),
    ("Title", "title"),
    ("Artist Display Name", "maker"),
    ("Object Date", "date"),
    ("Medium", "medium"),
    ("Dimensions", "dimensions"),
    ("Credit Line", "credit_line"),
    ("Department", "department"),
];

/// Writes a register built from a dataset's JSON lines under `columns`, `repeat` times over
/// (the copies' numbers suffixed `~2`, `~3` …, which no dataset's number has). Rows without a number, or with a number seen
/// before, are left out, as a museum's own register has none such. The rows written.
pub fn write_register(dataset: &Path, columns: Columns, to: &Path, repeat: u32) -> anyhow::Result<u64> {
    let mut w = csv::Writer::from_path(to)?;
    w.write_record(columns.iter().map(|(h, _)| *h))?;
    let mut rows = 0;
    for copy in 1..=repeat.max(1) {
        let mut seen = std::collections::HashSet::new();
        for line in open_lines(dataset)?.lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            let Some(number) = v["accession_number"].as_str().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            if !seen.insert(number.to_string()) {
                continue;
            }
            let cell = |field: &str| {
                let value = match field {
                    "department" => &v["extra"]["department"],
                    f => &v[f],
                };
                match value {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(a) => {
                        a.iter().filter_map(serde_json::Value::as_str).collect::<Vec<_>>().join("; ")
                    }
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                }
            };
            w.write_record(columns.iter().map(|(_, f)| match (*f, copy) {
                ("accession_number", 2..) => format!("{number}~{copy}"),
                _ => cell(f),
            }))?;
            rows += 1;
        }
    }
    w.flush()?;
    Ok(rows)
}

/// The same registers bulk-loaded into FTS5: each row's cells, parsed from the CSV, as one text.
fn fts5_csv(files: &[PathBuf], path: &Path) -> anyhow::Result<(Duration, u64)> {
    fts5_load(path, |put| {
        for file in files {
            for record in csv::Reader::from_path(file)?.records() {
                let record = record?;
                let body = record.iter().skip(1).filter(|c| !c.is_empty()).collect::<Vec<_>>().join("\n");
                put(&record[0], &body)?;
            }
        }
        Ok(())
    })
}

/// The process's peak resident memory so far, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// How `catalogue bench import` runs.
pub struct ImportBench<'a> {
    pub records: &'a [PathBuf],
    pub work_dir: &'a Path,
    /// Registers built from the records (CSV) rather than the records' JSON lines.
    pub csv: bool,
    /// Each register this many times over (`--format csv`): a file of any size.
    pub repeat: u32,
    /// Leave out indexing (a large file's memory is the reading and writing).
    pub no_index: bool,
}

pub fn run(state: &Catalogue, bench: &ImportBench<'_>) -> anyhow::Result<String> {
    let ImportBench { records: files, work_dir, csv, repeat, no_index } = *bench;
    let registers: Vec<PathBuf> = if csv {
        let mut out = Vec::new();
        for (i, file) in files.iter().enumerate() {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let columns = if name.contains("npm") { CENSUS } else { MOMA };
            let to = work_dir.join(format!("register-{i}.csv"));
            eprintln!(
                "writing a register from {} under {} headers",
                file.display(),
                if name.contains("npm") { "census" } else { "MoMA" }
            );
            let rows = write_register(file, columns, &to, repeat)?;
            let bytes = std::fs::metadata(&to)?.len();
            eprintln!("  {}: {rows} rows, {:.0} MB", to.display(), bytes as f64 / 1e6);
            out.push(to);
        }
        out
    } else {
        files.to_vec()
    };
    let bytes: u64 = registers.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    eprintln!("SQLite FTS5: parsing and bulk-loading the same records");
    let (fts_time, fts_rows) = if csv {
        fts5_csv(&registers, &work_dir.join("fts5.sqlite3"))
    } else {
        fts5(files, &work_dir.join("fts5.sqlite3"))
    }
    .context("loading SQLite FTS5")?;
    let files = &registers;
    let format = if csv { Format::Sheet(crate::catalogue::import::SheetFormat::Csv) } else { Format::Jsonl };
    let progress = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("{spinner} importing: {pos} rows ({per_sec})").expect("valid template"),
    );
    let start = Instant::now();
    let mut created = 0;
    for file in files {
        let report = state
            .import_unlogged("system:bench", file, format, &ReadOptions::default(), &|n| progress.set_position(n))?;
        anyhow::ensure!(report.errors.is_empty(), "{}: {} errors", file.display(), report.errors.len());
        created += report.created;
    }
    let import_time = start.elapsed();
    progress.finish_and_clear();
    let import_peak = peak_mib();
    let secs = |d: Duration| d.as_secs_f64();
    let what = if csv { "CSV registers" } else { "JSON lines" };
    let mut out = format!(
        "input: {what}, {:.0} MB\n\n| step | records | time | records/s |\n|---|---|---|---|\n\
         | ours: read, check and write (SQLite, audit, outbox) | {created} | {:.1} s | {:.0} |\n",
        bytes as f64 / 1e6,
        secs(import_time),
        created as f64 / secs(import_time),
    );
    let mut ours = import_time;
    if !no_index {
        let total = state.artefact_count()? as u64;
        let bar = indicatif::ProgressBar::new(total).with_style(
            indicatif::ProgressStyle::with_template("indexing [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
                .expect("valid template")
                .progress_chars("=> "),
        );
        let start = Instant::now();
        state.reindex(&|done, _| bar.set_position(done))?;
        let index_time = start.elapsed();
        bar.finish_and_clear();
        ours += index_time;
        out.push_str(&format!(
            "| ours: index both search indexes | {total} | {:.1} s | {:.0} |\n| ours: total | {created} | {:.1} s | {:.0} |\n",
            secs(index_time),
            total as f64 / secs(index_time),
            secs(ours),
            created as f64 / secs(ours),
        ));
    }
    out.push_str(&format!(
        "| SQLite FTS5 (trigram): parse and bulk-load the same text | {fts_rows} | {:.1} s | {:.0} |\n\
         \nours / FTS5: {:.2} (goal ≤ 2)\n",
        secs(fts_time),
        fts_rows as f64 / secs(fts_time),
        secs(ours) / secs(fts_time),
    ));
    if let Some(peak) = import_peak {
        out.push_str(&format!("peak resident memory while importing: {peak:.0} MiB\n"));
    }
    Ok(out)
}
