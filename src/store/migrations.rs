//! Schema migrations, embedded in the binary and applied at start.
//! `PRAGMA user_version` records how many have been applied.

use std::path::Path;

use rusqlite::Connection;

use super::error::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_images.sql"),
    include_str!("migrations/0003_sessions.sql"),
    include_str!("migrations/0004_import_log.sql"),
    include_str!("migrations/0005_sets.sql"),
    include_str!("migrations/0006_reproductions.sql"),
    include_str!("migrations/0007_locations.sql"),
];

/// Whether a database at schema `applied` is the one this program knows.
pub(super) fn is_current(applied: i64) -> bool {
    applied == MIGRATIONS.len() as i64
}

/// Applies the pending migrations. A database that already holds a catalogue is copied to
/// `backups/` beside it first (SQLite's backup), so an upgrade can always be undone.
pub(super) fn apply(conn: &mut Connection, path: &Path) -> Result<()> {
    let applied: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if applied > MIGRATIONS.len() {
        return Err(StoreError::Migration {
            version: applied,
            source: rusqlite::Error::InvalidParameterName(format!(
                "the database is at schema version {applied}, newer than this program knows ({}); run a newer version",
                MIGRATIONS.len()
            )),
        });
    }
    if applied > 0 && applied < MIGRATIONS.len() {
        let dir = path.parent().unwrap_or(Path::new(".")).join("backups");
        std::fs::create_dir_all(&dir)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let copy = dir.join(format!("catalogue-schema{applied}-{stamp}.sqlite3"));
        let mut dst = Connection::open(&copy)?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut dst)?;
            while !matches!(backup.step(-1)?, rusqlite::backup::StepResult::Done) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        drop(dst);
        tracing::warn!(from = applied, to = MIGRATIONS.len(), backup = %copy.display(), "upgrading the database; a copy was taken first");
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let version = i + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|source| StoreError::Migration { version, source })?;
        tx.pragma_update(None, "user_version", version as i64)?;
        tx.commit()?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}
