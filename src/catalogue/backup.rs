//! Backing the catalogue up and restoring it.
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

use super::config::Config;
use super::{Catalogue, Progress};

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

/// What a backup holds, or a restore brought back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub artefacts: i64,
    pub originals: usize,
    pub bytes: u64,
}

impl Catalogue {
    /// Backs the catalogue up into `dir` (new or empty) while it may be in use.
    pub async fn backup(&self, dir: &Path, progress: &dyn Progress) -> anyhow::Result<Held> {
        let state = self;
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
        progress.stage("copying the database", 0);
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
        progress.stage("copying originals", originals.len() as u64);
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
            progress.advance(1);
        }
        progress.done();
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
        Ok(Held { artefacts, originals: originals.len(), bytes })
    }
}

/// Checks every file of a backup against `SHA256SUMS`; the listed files, or what is wrong.
fn verify(dir: &Path, progress: &dyn Progress) -> anyhow::Result<Vec<(String, PathBuf)>> {
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
    progress.stage("checking the backup", entries.len() as u64);
    let mut problems = Vec::new();
    for (sum, rel) in &entries {
        match sha256_file(&dir.join(rel)) {
            Ok(actual) if actual == *sum => {}
            Ok(_) => problems.push(format!("{} has changed since the backup was made", rel.display())),
            Err(e) => problems.push(format!("{} cannot be read: {e}", rel.display())),
        }
        progress.advance(1);
    }
    progress.done();
    if !problems.is_empty() {
        bail!("the backup is damaged; nothing was restored:\n  {}", problems.join("\n  "));
    }
    Ok(entries)
}

/// Restores a backup into the configured data directory (new or empty), then makes the
/// derivatives and both search indexes again.
pub async fn restore(config: Config, dir: &Path, progress: &dyn Progress) -> anyhow::Result<Held> {
    let data = config.data_dir.clone();
    if !is_empty_dir(&data)? {
        bail!("{} is not empty: restore into a new or empty data directory (--data-dir)", data.display());
    }
    let entries = verify(dir, progress)?;
    std::fs::create_dir_all(&data)?;
    std::fs::copy(dir.join("catalogue.sqlite3"), config.database_path()).context("copying the database")?;
    let state = Catalogue::open(config)?;
    let originals: Vec<(String, PathBuf)> = entries.into_iter().filter(|(_, p)| p.starts_with("originals")).collect();
    progress.stage("restoring originals", originals.len() as u64);
    let mut bytes = 0;
    for (sha, rel) in &originals {
        let path = dir.join(rel);
        bytes += std::fs::metadata(&path)?.len();
        state.images.import_original(sha, &path).await.with_context(|| format!("storing {}", rel.display()))?;
        progress.advance(1);
    }
    progress.done();
    let (_, failed) = state.rebuild_all_derivatives(progress).await?;
    if failed > 0 {
        bail!("{failed} originals could not be read; run `catalogue fixity` to check them");
    }
    let total = state.artefact_count()?;
    progress.stage("reindexing", total as u64);
    state.reindex(&|done, _| progress.set(done))?;
    progress.done();
    Ok(Held { artefacts: total, originals: originals.len(), bytes })
}
