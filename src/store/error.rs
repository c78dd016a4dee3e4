//! Errors of the store.

use crate::model::validation::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {key} not found")]
    NotFound { entity: &'static str, key: String },
    /// The record changed since the client read it, or a unique value is taken.
    #[error("{message}")]
    Conflict { message: String, current_version: Option<i64> },
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The caller's role may not see or do this; the message says who may.
    #[error("{0}")]
    Forbidden(String),
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is not valid JSON")]
    Json(#[from] serde_json::Error),
    #[error("cannot open the data directory")]
    Io(#[from] std::io::Error),
    #[error("database migration {version} failed")]
    Migration { version: usize, source: rusqlite::Error },
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// A file given to import could not be read: damaged, truncated, not text.
    #[error("the file could not be read: {0}")]
    Unreadable(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        StoreError::NotFound { entity, key: key.to_string() }
    }

    pub fn stale(entity: &str, sent: i64, current: i64) -> Self {
        StoreError::Conflict {
            message: format!(
                "this {entity} was changed by someone else since you read it (you sent version {sent}, it is now at version {current}); reload it, reapply your change and send version {current}"
            ),
            current_version: Some(current),
        }
    }
}

/// What went wrong with the data directory's disk, if that is what an error comes down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Full,
    ReadOnly,
}

/// Walks an error's causes for a full or read-only disk (SQLite's or the file system's word for it).
pub fn storage_problem(e: &(dyn std::error::Error + 'static)) -> Option<Storage> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(rusqlite::Error::SqliteFailure(f, _)) = err.downcast_ref::<rusqlite::Error>() {
            match f.code {
                rusqlite::ErrorCode::DiskFull => return Some(Storage::Full),
                rusqlite::ErrorCode::ReadOnly => return Some(Storage::ReadOnly),
                _ => {}
            }
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match (io.kind(), io.raw_os_error()) {
                (std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded, _) | (_, Some(28 | 122)) => {
                    return Some(Storage::Full);
                }
                (std::io::ErrorKind::ReadOnlyFilesystem, _) | (_, Some(30)) => return Some(Storage::ReadOnly),
                _ => {}
            }
        }
        cur = err.source();
    }
    None
}

/// Writes (and syncs, then removes) a small file in `dir`: the disk's answer says whether it
/// can take writes now, when SQLite's own error does not say why it could not.
pub fn probe_disk(dir: &std::path::Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        use std::io::Write;
        f.write_all(&[0; 4096])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written
}

impl Storage {
    pub fn message(self) -> &'static str {
        match self {
            Storage::Full => {
                "the catalogue's disk is full, so nothing was changed; reading and searching still work. Free space on the data directory's disk and try again"
            }
            Storage::ReadOnly => {
                "the catalogue's data directory is read-only just now, so nothing was changed; reading and searching still work"
            }
        }
    }
}
