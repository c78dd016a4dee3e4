//! Cleaning up after a crash. Every process that writes images works in a
//! temporary folder of its own, locked while it runs; a crashed process's lock
//! is free, so its leftovers can be told from work in progress.
//!
//! At start the server removes dead processes' uploads and half-made
//! derivative folders, and moves originals no record refers to (stored just
//! before a crash, before their record was committed) into
//! `DATA_DIR/quarantine/originals/`, where nothing serves them and nothing is lost.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use object_store::{ObjectStore, ObjectStoreExt};

use super::{ImageError, ImageService};

/// Leftovers younger than this are left alone while another process is running.
const GRACE: Duration = Duration::from_secs(24 * 3600);

/// What recovery found and did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Uploads in flight when a process died.
    pub temp_removed: usize,
    /// Derivative folders half made, or made for an image that was never recorded.
    pub derivatives_removed: usize,
    /// Partly written originals.
    pub partial_originals_removed: usize,
    /// Checksums of originals no record refers to, moved to `quarantine/originals/`.
    pub quarantined: Vec<String>,
}

impl Recovery {
    pub fn is_empty(&self) -> bool {
        *self == Recovery::default()
    }
}

/// Makes and locks this process's temporary folder under `tmp`, removing those of dead processes.
pub fn claim_temp_dir(tmp: &Path) -> std::io::Result<(PathBuf, File)> {
    std::fs::create_dir_all(tmp)?;
    let name = format!("{}-{}", std::process::id(), super::new_image_id());
    let lock = OpenOptions::new().create(true).truncate(true).write(true).open(tmp.join(format!("{name}.lock")))?;
    lock.try_lock().map_err(|e| std::io::Error::other(format!("locking the temporary folder: {e}")))?;
    let dir = tmp.join(&name);
    std::fs::create_dir_all(&dir)?;
    Ok((dir, lock))
}

/// Removes the temporary folders of processes that are gone; says whether another is running.
fn sweep_temp(tmp: &Path, mine: &Path, out: &mut Recovery) -> std::io::Result<bool> {
    let mut others_alive = false;
    for entry in std::fs::read_dir(tmp)? {
        let path = entry?.path();
        if path == mine || path.with_extension("") == mine {
            continue;
        }
        if path.extension().is_some_and(|e| e == "lock") {
            let lock = OpenOptions::new().write(true).open(&path)?;
            match lock.try_lock() {
                Ok(()) => {
                    let dir = path.with_extension("");
                    if dir.exists() {
                        out.temp_removed += std::fs::read_dir(&dir)?.count();
                        std::fs::remove_dir_all(&dir)?;
                    }
                    std::fs::remove_file(&path)?;
                }
                Err(_) => others_alive = true,
            }
        } else if path.is_file() {
            // An upload of an older version, which kept them loose.
            std::fs::remove_file(&path)?;
            out.temp_removed += 1;
        }
    }
    Ok(others_alive)
}

fn older_than(path: &Path, age: Duration) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|a| a > age)
}

impl ImageService {
    /// Cleans up what crashed processes left behind; see the module documentation.
    /// `referenced` are the checksums of the originals the catalogue's image records name.
    pub async fn recover(&self, referenced: &std::collections::HashSet<String>) -> Result<Recovery, ImageError> {
        let mut out = Recovery::default();
        // On a read-only disk there is nothing to clean, nor any way to.
        let Some((tmp, _)) = &self.tmp else { return Ok(out) };
        let others_alive = sweep_temp(&self.data_dir.join("tmp"), tmp, &mut out)?;
        // While another process may be mid-upload, only old leftovers are touched.
        let stale = |path: &Path| !others_alive || older_than(path, GRACE);

        // Derivatives: staging folders, and folders of checksums no image has.
        if self.derivatives.is_dir() {
            for prefix in std::fs::read_dir(&self.derivatives)? {
                let prefix = prefix?.path();
                if !prefix.is_dir() {
                    continue;
                }
                for entry in std::fs::read_dir(&prefix)? {
                    let path = entry?.path();
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                    let orphan = name.starts_with(".staging-") || !referenced.contains(&name);
                    if orphan && stale(&path) {
                        std::fs::remove_dir_all(&path)?;
                        out.derivatives_removed += 1;
                    }
                }
            }
        }

        // Originals: partial writes, and files no record refers to.
        let mut listed = self.originals.list(None);
        let mut found = Vec::new();
        while let Some(meta) = listed.next().await {
            found.push(meta?);
        }
        // A local store's half-written files (object_store writes `NAME#N` and renames) are not listed.
        if self.settings.store_url.is_none() {
            let root = self.data_dir.join("originals");
            for prefix in std::fs::read_dir(&root)? {
                let prefix = prefix?.path();
                if !prefix.is_dir() {
                    continue;
                }
                for entry in std::fs::read_dir(&prefix)? {
                    let path = entry?.path();
                    if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains('#')) && stale(&path) {
                        std::fs::remove_file(&path)?;
                        out.partial_originals_removed += 1;
                    }
                }
            }
        }
        let quarantine = self.data_dir.join("quarantine").join("originals");
        for meta in found {
            let name = meta.location.filename().unwrap_or_default().to_string();
            let age = meta.last_modified.signed_duration_since(chrono::Utc::now()).abs().to_std().unwrap_or_default();
            if others_alive && age < GRACE {
                continue;
            }
            if name.contains('#') {
                self.originals.delete(&meta.location).await?;
                out.partial_originals_removed += 1;
            } else if !referenced.contains(&name) {
                std::fs::create_dir_all(&quarantine)?;
                // Streamed, not read whole: an orphaned scan may be gigabytes.
                self.copy_out(&meta.location, &quarantine.join(&name)).await?;
                self.originals.delete(&meta.location).await?;
                tracing::warn!(sha256 = %name, "an original no record refers to was moved to quarantine");
                out.quarantined.push(name);
            }
        }
        Ok(out)
    }
}
