-- Every import tried, whatever came of it: who, when, which file, what it did, and its
-- report (every warning and error, as gzip-compressed JSON), so that a curator can read it again later.
CREATE TABLE import_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL,
    dry_run     INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    warnings    INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    report      BLOB NOT NULL
);
