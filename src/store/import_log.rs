//! The import log: every import tried (imported, checked or refused), with its counts
//! and its report kept as the bytes the importer gave (compressed JSON), to be read and
//! downloaded later. Reports go in and come out as streams (SQLite's incremental blob
//! I/O), never whole in memory: a report of a million warnings is tens of megabytes.

use std::io::{Read, Seek};

use rusqlite::{MAIN_DB, OptionalExtension};
use serde::Serialize;

use super::{Result, Store, now, parse_time};

/// What an import did, in numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportTally {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub warnings: u64,
    pub errors: u64,
}

/// One import tried.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who ran it: a user's name, or `system:cli`.
    pub actor: String,
    pub file_name: String,
    /// `csv`, `tsv`, `xlsx` or `jsonl`.
    pub format: String,
    /// A check that wrote nothing.
    pub dry_run: bool,
    #[serde(flatten)]
    pub tally: ImportTally,
}

impl ImportEntry {
    /// Nothing was imported: the file had errors.
    pub fn refused(&self) -> bool {
        self.tally.errors > 0
    }
}

/// An import to log.
pub struct NewImportEntry<'a> {
    pub actor: &'a str,
    pub file_name: &'a str,
    pub format: &'a str,
    pub dry_run: bool,
    pub tally: ImportTally,
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportEntry> {
    let count = |i: usize| r.get::<_, i64>(i).map(|n| n.max(0) as u64);
    Ok(ImportEntry {
        id: r.get(0)?,
        at: parse_time(&r.get::<_, String>(1)?),
        actor: r.get(2)?,
        file_name: r.get(3)?,
        format: r.get(4)?,
        dry_run: r.get(5)?,
        tally: ImportTally {
            created: count(6)?,
            updated: count(7)?,
            unchanged: count(8)?,
            skipped: count(9)?,
            warnings: count(10)?,
            errors: count(11)?,
        },
    })
}

const COLUMNS: &str =
    "id, at, actor, file_name, format, dry_run, created, updated, unchanged, skipped, warnings, errors";

impl Store {
    /// Logs an import with its report, `len` bytes read from `report` (as the importer
    /// packs it); its id.
    pub fn log_import(&self, e: &NewImportEntry<'_>, report: &mut dyn Read, len: u64) -> Result<i64> {
        let t = e.tally;
        let size = i64::try_from(len).map_err(|_| std::io::Error::other("the import's report is too big to keep"))?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO import_log(at, actor, file_name, format, dry_run, created, updated, unchanged, skipped, warnings, errors, report)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, zeroblob(?12))",
                rusqlite::params![
                    now(),
                    e.actor,
                    e.file_name,
                    e.format,
                    e.dry_run,
                    n(t.created),
                    n(t.updated),
                    n(t.unchanged),
                    n(t.skipped),
                    n(t.warnings),
                    n(t.errors),
                    size
                ],
            )?;
            let id = tx.last_insert_rowid();
            let mut blob = tx.blob_open(MAIN_DB, c"import_log", c"report", id, false)?;
            let copied = std::io::copy(&mut report.take(len), &mut blob)?;
            if copied != len {
                return Err(std::io::Error::other(format!("the import's report ended after {copied} of {len} bytes")).into());
            }
            Ok(id)
        })
    }

    /// The latest imports, newest first.
    pub fn import_log(&self, limit: u32) -> Result<Vec<ImportEntry>> {
        self.read(|c| {
            let mut st = c.prepare(&format!("SELECT {COLUMNS} FROM import_log ORDER BY id DESC LIMIT ?1"))?;
            Ok(st.query_map([limit], entry)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// One logged import and its report, as packed, in a temporary file read from its start.
    pub fn import_entry(&self, id: i64) -> Result<Option<(ImportEntry, std::fs::File)>> {
        self.read(|c| {
            let Some(e) =
                c.query_row(&format!("SELECT {COLUMNS} FROM import_log WHERE id = ?1"), [id], entry).optional()?
            else {
                return Ok(None);
            };
            let mut blob = c.blob_open(MAIN_DB, c"import_log", c"report", id, true)?;
            let mut file = tempfile::tempfile()?;
            std::io::copy(&mut blob, &mut file)?;
            file.rewind()?;
            Ok(Some((e, file)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_logged_newest_first_with_their_reports() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.sqlite3")).unwrap();
        assert!(store.import_log(10).unwrap().is_empty());
        let tally = ImportTally { created: 2, warnings: 1, ..Default::default() };
        let first = store
            .log_import(
                &NewImportEntry { actor: "keeper", file_name: "甲.csv", format: "csv", dry_run: true, tally },
                &mut b"{\"a\":1}".as_slice(),
                7,
            )
            .unwrap();
        let refused = ImportTally { errors: 3, ..Default::default() };
        let second = store
            .log_import(
                &NewImportEntry {
                    actor: "system:cli",
                    file_name: "b.xlsx",
                    format: "xlsx",
                    dry_run: false,
                    tally: refused,
                },
                &mut b"{}".as_slice(),
                2,
            )
            .unwrap();
        let log = store.import_log(10).unwrap();
        assert_eq!(log.iter().map(|e| e.id).collect::<Vec<_>>(), [second, first]);
        assert!(log[0].refused() && !log[1].refused());
        assert_eq!((log[1].file_name.as_str(), log[1].dry_run, log[1].tally), ("甲.csv", true, tally));
        assert!((chrono::Utc::now() - log[1].at).num_seconds() < 60);
        let (e, mut file) = store.import_entry(first).unwrap().unwrap();
        let mut report = String::new();
        file.read_to_string(&mut report).unwrap();
        assert_eq!((e.actor.as_str(), report.as_str()), ("keeper", "{\"a\":1}"));
        let short = NewImportEntry { actor: "a", file_name: "c.csv", format: "csv", dry_run: true, tally };
        assert!(store.log_import(&short, &mut b"12".as_slice(), 3).is_err(), "a report shorter than said");
        assert_eq!(store.import_log(10).unwrap().len(), 2, "and nothing was logged");
        assert!(store.import_entry(999).unwrap().is_none());
        assert_eq!(store.import_log(1).unwrap().len(), 1);
    }
}
