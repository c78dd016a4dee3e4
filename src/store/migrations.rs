//! Schema migrations, embedded in the binary and applied at start.
//! `PRAGMA user_version` records how many have been applied.

use rusqlite::Connection;

use super::error::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_images.sql"),
    include_str!("migrations/0003_sessions.sql"),
];

pub(super) fn apply(conn: &mut Connection) -> Result<()> {
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
