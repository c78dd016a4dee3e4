//! SQLite system of record: records, audit log and outbox.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction that changes the records,
//! appends an audit row (actor, time, entity, action, before/after) and appends
//! an outbox row for the search indexer. Reads use a small pool of read-only
//! connections, which WAL mode lets run beside the writer.

mod artefacts;
mod audit;
mod documents;
mod donations;
pub mod error;
mod harvest;
pub mod images;
mod import;
mod import_log;
mod inventory;
mod locations;
mod migrations;
mod outbox;
mod parties;
mod sessions;
mod sets;
mod users;
mod vocab;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::Serialize;
use utoipa::ToSchema;

pub use artefacts::ArtefactFilter;
pub use audit::{Activity, AuditEntry, Entity};
pub use documents::DocRecord;
pub use donations::{DonationFilter, DonationSummary, GiftEvent};
pub use error::{Result, Storage, StoreError, probe_disk, storage_problem};
pub use harvest::HarvestFilter;
pub use import::{ImportCounts, Importer, Planned, RegisterCounts};
pub use import_log::{ImportEntry, ImportTally, NewImportEntry};
pub use inventory::{CheckLine, InventoryCheck, Mark};
pub use locations::{LocationRecord, MoveOrder, Movement, ShelfEntry};
pub use sessions::{NewSession, Session, SessionLimits, random_token};
pub use sets::RecordSet;
pub use users::{NewToken, TokenInfo, User, UserInfo};

const READERS: usize = 4;

/// The catalogue's database.
pub struct Store {
    path: PathBuf,
    // Fields drop in order: the readers close first, so that the writer is the
    // last connection and, closing, checkpoints and removes the write-ahead log.
    readers: Vec<Mutex<Connection>>,
    writer: Mutex<Connection>,
    next_reader: AtomicUsize,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Which page of a list to read.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, per_page: 50 }
    }
}

impl PageRequest {
    fn offset(self) -> i64 {
        i64::from(self.page.max(1) - 1) * i64::from(self.per_page)
    }
}

/// The writer's page cache, in KiB.
const WRITER_CACHE_KIB: i64 = 256 * 1024;

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    // Room for every statement an import or a page runs over and over.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: a commit is on the disk before it is acknowledged, so an acknowledged
    // write survives a power cut or a file-system error, not only a crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path`, applying pending migrations.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut writer = Connection::open(path)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        configure(&writer)?;
        // An import writes a whole file in one transaction: with room for its pages
        // in memory, each is written to the log once at commit instead of spilled
        // whenever the default 2 MB cache fills.
        writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        migrations::apply(&mut writer, path)?;
        vocab::seed_if_empty(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&c)?;
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>>>()?;
        tracing::info!(path = %path.display(), "store open");
        Ok(Store { path: path.to_path_buf(), writer: Mutex::new(writer), readers, next_reader: AtomicUsize::new(0) })
    }

    /// Opens the database on a read-only disk, for reading only: every write is
    /// refused as `Storage::ReadOnly`. It reads the write-ahead log when one was left
    /// (the disk turned read-only under a running server); without one, the file
    /// is opened as immutable, since nothing can change it.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let open = || -> Result<Connection> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
            let plain = Connection::open_with_flags(path, flags)
                .and_then(|c| c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map(|_| c));
            let conn = match plain {
                Ok(c) => c,
                Err(_) => {
                    let uri = url::Url::from_file_path(std::path::absolute(path)?)
                        .map_err(|_| StoreError::Io(std::io::Error::other("the database path cannot be a URI")))?;
                    Connection::open_with_flags(format!("{uri}?immutable=1"), flags)?
                }
            };
            configure(&conn)?;
            Ok(conn)
        };
        let writer = open()?;
        let version: i64 = writer.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if !migrations::is_current(version) {
            return Err(StoreError::Migration {
                version: version as usize,
                source: rusqlite::Error::InvalidParameterName(
                    "the database needs upgrading, which cannot be done on a read-only disk".into(),
                ),
            });
        }
        let readers = (0..READERS).map(|_| open().map(Mutex::new)).collect::<Result<Vec<_>>>()?;
        tracing::warn!(path = %path.display(), "store open for reading only: the disk is read-only");
        Ok(Store { path: path.to_path_buf(), writer: Mutex::new(writer), readers, next_reader: AtomicUsize::new(0) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a read connection.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        let conn = lock(&self.readers[i]);
        f(&conn)
    }

    /// Runs `f` in one write transaction, committed only if `f` succeeds.
    /// An I/O failure is checked against the disk, so that a disk that filled up or
    /// turned read-only is reported as such rather than as SQLite's bare "disk I/O error".
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.transact(f, true)
    }

    /// As [`Store::write`], but with `keep` false the transaction is rolled back even when
    /// `f` succeeds: what a write would do, counted, with nothing kept (an import's dry run).
    fn transact<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>, keep: bool) -> Result<T> {
        self.transact_if(|tx| f(tx).map(|out| (out, keep)))
    }

    /// As [`Store::transact`], with `f` deciding whether what it wrote is kept, once it has
    /// written it (an import that finds a problem in its last row).
    pub(super) fn transact_if<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<(T, bool)>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (out, keep) = f(&tx)?;
            if keep {
                tx.commit()?
            } else {
                tx.rollback()?
            }
            Ok(out)
        })();
        result.map_err(|e| self.explain_io_failure(e))
    }

    /// Replaces an SQLite I/O error by what a write in the database's folder says now.
    pub(super) fn explain_io_failure(&self, e: StoreError) -> StoreError {
        let io_failure = matches!(
            &e,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::SystemIoFailure
        );
        if !io_failure {
            return e;
        }
        match error::probe_disk(self.path.parent().unwrap_or(Path::new("."))) {
            Err(io) if error::storage_problem(&io).is_some() => {
                tracing::error!(error = %e, disk = %io, "a database write failed");
                StoreError::Io(io)
            }
            _ => e,
        }
    }

    /// Copies the database, consistent as of one moment, to `dest` (which must not exist) while
    /// other connections keep reading and writing: SQLite's online backup, in one step.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let src = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        configure(&src)?;
        let mut dst = Connection::open(dest)?;
        {
            use rusqlite::backup::{Backup, StepResult};
            let backup = Backup::new(&src, &mut dst)?;
            // All pages in one step: one read transaction, so one consistent moment.
            while !matches!(backup.step(-1)?, StepResult::Done) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }

    /// A cheap query that proves the database answers.
    pub fn ping(&self) -> Result<()> {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    /// A setting kept in the database (e.g. that the demo catalogue is loaded).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| {
            use rusqlite::OptionalExtension;
            Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
        })
    }

    /// Changes a setting an admin makes, with its audit row (who, when, before, after).
    pub fn change_setting(&self, actor: &str, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            use rusqlite::OptionalExtension;
            let before: Option<String> =
                tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
            tx.execute("INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])?;
            let (before, after) = (serde_json::json!({ key: before }), serde_json::json!({ key: value }));
            audit::record_change(tx, actor, Entity::Setting, 0, "update", Some(&before), Some(&after))
        })
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])?;
            Ok(())
        })
    }
}

/// A poisoned lock only means another thread panicked mid-query; SQLite rolled its transaction back.
fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn parse_time(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&chrono::Utc)).unwrap_or_default()
}
