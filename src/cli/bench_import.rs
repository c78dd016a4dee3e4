//! `catalogue bench import`: importing the shared records (checked, written,
//! then indexed) beside the same text bulk-loaded into SQLite FTS5, in one run.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::app::AppState;
use crate::interchange::import::{Destination, Format, ReadOptions, import_file};
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

fn fts5(files: &[PathBuf], path: &std::path::Path) -> anyhow::Result<(Duration, u64)> {
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
        for file in files {
            for line in open_lines(file)?.lines() {
                let line = line?;
                let Ok(r) = SourceRecord::parse_line(&line) else { continue };
                st.execute([r.accession_number.clone().unwrap_or_default(), text_of(&r)])?;
                n += 1;
            }
        }
    }
    tx.commit()?;
    Ok((start.elapsed(), n))
}

pub fn run(state: &AppState, files: &[PathBuf], work_dir: &std::path::Path) -> anyhow::Result<String> {
    eprintln!("SQLite FTS5: parsing and bulk-loading the same records");
    let (fts_time, fts_rows) = fts5(files, &work_dir.join("fts5.sqlite3")).context("loading SQLite FTS5")?;
    let vocab = state.vocabularies();
    let to = Destination {
        store: &state.store,
        vocab: &vocab,
        pattern: &state.config.accession_pattern,
        actor: "system:bench",
    };
    let progress = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("{spinner} importing: {pos} rows ({per_sec})").expect("valid template"),
    );
    let start = Instant::now();
    let mut created = 0;
    for file in files {
        let report = import_file(&to, file, Format::Jsonl, &ReadOptions::default(), &|n| progress.set_position(n))?;
        anyhow::ensure!(report.errors.is_empty(), "{}: {} errors", file.display(), report.errors.len());
        created += report.created;
    }
    let import_time = start.elapsed();
    progress.finish_and_clear();
    let total = state.store.artefact_count()? as u64;
    let bar = indicatif::ProgressBar::new(total).with_style(
        indicatif::ProgressStyle::with_template("indexing [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let start = Instant::now();
    crate::search::indexer::rebuild(&state.store, &vocab, &state.search, &|done, _| bar.set_position(done))?;
    let index_time = start.elapsed();
    bar.finish_and_clear();
    let ours = import_time + index_time;
    let secs = |d: Duration| d.as_secs_f64();
    Ok(format!(
        "| step | records | time | records/s |\n|---|---|---|---|\n\
         | ours: read, check and write (SQLite, audit, outbox) | {created} | {:.1} s | {:.0} |\n\
         | ours: index both search indexes | {total} | {:.1} s | {:.0} |\n\
         | ours: total | {created} | {:.1} s | {:.0} |\n\
         | SQLite FTS5 (trigram): parse and bulk-load the same text | {fts_rows} | {:.1} s | {:.0} |\n\
         \nours / FTS5: {:.2} (goal ≤ 2)\n",
        secs(import_time),
        created as f64 / secs(import_time),
        secs(index_time),
        total as f64 / secs(index_time),
        secs(ours),
        created as f64 / secs(ours),
        secs(fts_time),
        fts_rows as f64 / secs(fts_time),
        secs(ours) / secs(fts_time),
    ))
}
