//! `catalogue backup DIR` and `catalogue restore DIR`.
//!
//! A backup folder holds `catalogue.sqlite3` (SQLite's online backup: consistent
//! as of one moment, taken while the server runs), `originals/` (every image
//! original the copied database refers to, byte for byte), `SHA256SUMS` (in
//! the format `sha256sum -c` checks) and `backup.json` (when, what version,
//! how much). It is written beside its destination and renamed into place
//! when complete, so a folder named as a backup is a whole backup.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::images::bar;
use crate::catalogue::Catalogue;
use crate::catalogue::config::Config;

const FORMAT: u32 = 1;

/// `backup.json`.
#[derive(Debug, Serialize, Deserialize)]
struct About {
    format: u32,
    created_at: String,
    catalogue_version: String,
    schema_version: i64,
    artefacts: i64,
    originals: usize,
    bytes: u64,
}

fn is_empty_dir(dir: &Path) -> std::io::Result<bool> {
    Ok(!dir.exists() || std::fs::read_dir(dir)?.next().is_none())
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf)? {
            0 => break,
            n => hasher.update(&buf[..n]),
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

fn original_rel(sha: &str) -> String {
    format!("originals/{}/{sha}", &sha[..2])
}

/// Backs the catalogue up into `dir` (new or empty) while it may be in use.
pub async fn backup(state: &Catalogue, dir: &Path) -> anyhow::Result<()> {
    if !is_empty_dir(dir)? {
        bail!("{} is not empty: back up into a new or empty folder", dir.display());
    }
    let name = dir.file_name().context("the backup folder needs a name")?.to_string_lossy().to_string();
    let partial = dir.with_file_name(format!(".{name}.partial"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(partial.join("originals"))?;
    let db = partial.join("catalogue.sqlite3");
    eprintln!("copying the database…");
    state.store.backup_to(&db).context("copying the database")?;
    // The originals the copy refers to: the copy, not the live database, says what the backup holds.
    let (originals, artefacts, schema): (Vec<String>, i64, i64) = {
        let c = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut st = c.prepare("SELECT DISTINCT sha256 FROM images ORDER BY sha256")?;
        let shas = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let artefacts = c.query_row("SELECT count(*) FROM artefacts", [], |r| r.get(0))?;
        let schema = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        (shas, artefacts, schema)
    };
    let mut sums = vec![(sha256_file(&db)?, "catalogue.sqlite3".to_string())];
    let progress = bar(originals.len() as u64, "copying originals");
    let mut bytes = 0;
    for sha in &originals {
        let rel = original_rel(sha);
        let dest = partial.join(&rel);
        std::fs::create_dir_all(dest.parent().expect("a parent folder"))?;
        bytes += state
            .images
            .export_original(sha, &dest)
            .await
            .with_context(|| format!("copying the original {sha}; run `catalogue fixity`"))?;
        sums.push((sha.clone(), rel));
        progress.inc(1);
    }
    progress.finish_and_clear();
    let listing: String = sums.iter().map(|(sum, path)| format!("{sum}  {path}\n")).collect();
    std::fs::write(partial.join("SHA256SUMS"), listing)?;
    let about = About {
        format: FORMAT,
        created_at: chrono::Utc::now().to_rfc3339(),
        catalogue_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: schema,
        artefacts,
        originals: originals.len(),
        bytes,
    };
    std::fs::write(partial.join("backup.json"), serde_json::to_string_pretty(&about)?)?;
    if dir.exists() {
        std::fs::remove_dir(dir)?;
    }
    std::fs::rename(&partial, dir).with_context(|| format!("moving the backup into {}", dir.display()))?;
    println!(
        "backed up {artefacts} artefacts and {} originals ({bytes} bytes) into {}; check it with `sha256sum -c SHA256SUMS` there",
        originals.len(),
        dir.display()
    );
    Ok(())
}

/// Checks every file of a backup against `SHA256SUMS`; the listed files, or what is wrong.
fn verify(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let listing = std::fs::read_to_string(dir.join("SHA256SUMS"))
        .with_context(|| format!("{} is not a catalogue backup: it has no SHA256SUMS", dir.display()))?;
    let about: About = serde_json::from_str(
        &std::fs::read_to_string(dir.join("backup.json")).context("reading backup.json of the backup")?,
    )
    .context("reading backup.json of the backup")?;
    if about.format != FORMAT {
        bail!("the backup is in format {}; this program reads format {FORMAT}", about.format);
    }
    let entries: Vec<(String, PathBuf)> = listing
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (sum, path) = l.split_once("  ").with_context(|| format!("SHA256SUMS has a malformed line: {l}"))?;
            if path.contains("..") || path.starts_with('/') {
                bail!("SHA256SUMS names a path outside the backup: {path}");
            }
            Ok((sum.to_string(), PathBuf::from(path)))
        })
        .collect::<anyhow::Result<_>>()?;
    if !entries.iter().any(|(_, p)| p == Path::new("catalogue.sqlite3")) {
        bail!("the backup's SHA256SUMS does not list catalogue.sqlite3");
    }
    let progress = bar(entries.len() as u64, "checking the backup");
    let mut problems = Vec::new();
    for (sum, rel) in &entries {
        match sha256_file(&dir.join(rel)) {
            Ok(actual) if actual == *sum => {}
            Ok(_) => problems.push(format!("{} has changed since the backup was made", rel.display())),
            Err(e) => problems.push(format!("{} cannot be read: {e}", rel.display())),
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    if !problems.is_empty() {
        bail!("the backup is damaged; nothing was restored:\n  {}", problems.join("\n  "));
    }
    Ok(entries)
}

/// Restores a backup into the configured data directory (new or empty), then makes the
/// derivatives and both search indexes again.
pub async fn restore(config: Config, dir: &Path) -> anyhow::Result<()> {
    let data = config.data_dir.clone();
    if !is_empty_dir(&data)? {
        bail!("{} is not empty: restore into a new or empty data directory (--data-dir)", data.display());
    }
    let entries = verify(dir)?;
    std::fs::create_dir_all(&data)?;
    std::fs::copy(dir.join("catalogue.sqlite3"), config.database_path()).context("copying the database")?;
    let state = Catalogue::open(config)?;
    let originals: Vec<(String, PathBuf)> = entries.into_iter().filter(|(_, p)| p.starts_with("originals")).collect();
    let progress = bar(originals.len() as u64, "restoring originals");
    for (sha, rel) in &originals {
        state
            .images
            .import_original(sha, &dir.join(rel))
            .await
            .with_context(|| format!("storing {}", rel.display()))?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    super::images::rebuild(&state).await?;
    super::search::reindex(&state)?;
    println!(
        "restored {} artefacts and {} originals into {}",
        state.store.artefact_count()?,
        originals.len(),
        data.display()
    );
    Ok(())
}
