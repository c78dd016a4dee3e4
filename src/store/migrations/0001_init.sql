-- The system of record. Records keep their typed fields as a JSON document
-- (`doc`), with the columns the catalogue filters, joins and constrains on
-- pulled out beside it.

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    doc         TEXT NOT NULL CHECK (json_valid(doc)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE donations (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    doc         TEXT NOT NULL CHECK (json_valid(doc)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE donation_donors (
    donation_id INTEGER NOT NULL REFERENCES donations(id),
    party_id    INTEGER NOT NULL REFERENCES parties(id),
    PRIMARY KEY (donation_id, party_id)
) WITHOUT ROWID;
CREATE INDEX donation_donors_party ON donation_donors(party_id);

CREATE TABLE artefacts (
    id               INTEGER PRIMARY KEY,
    accession_number TEXT NOT NULL UNIQUE,
    donation_id      INTEGER REFERENCES donations(id),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'internal', 'published')),
    deaccessioned    INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL,
    doc              TEXT NOT NULL CHECK (json_valid(doc)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX artefacts_donation ON artefacts(donation_id);
CREATE INDEX artefacts_status ON artefacts(status, deaccessioned);

-- Who changed what, when: one row per write, never updated or deleted.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT CHECK (before IS NULL OR json_valid(before)),
    after      TEXT CHECK (after IS NULL OR json_valid(after))
);
CREATE INDEX audit_entity ON audit(entity, entity_id, id);

-- Changes for the search indexer, appended in the same transaction as the change.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    at         TEXT NOT NULL
);

CREATE TABLE vocabularies (
    name  TEXT PRIMARY KEY,
    zh    TEXT NOT NULL,
    en    TEXT NOT NULL
);

CREATE TABLE vocabulary_terms (
    vocabulary TEXT NOT NULL REFERENCES vocabularies(name),
    position   INTEGER NOT NULL,
    code       TEXT NOT NULL,
    zh         TEXT NOT NULL,
    en         TEXT NOT NULL,
    aliases    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    earliest   INTEGER,
    latest     INTEGER,
    PRIMARY KEY (vocabulary, code)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'curator', 'researcher')),
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
