-- Web sessions: the cookie holds a random secret; only its SHA-256 is kept.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    address      TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins per account (`user:NAME`) and per address (`addr:IP`).
CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    last_failure  TEXT NOT NULL,
    blocked_until TEXT
);
