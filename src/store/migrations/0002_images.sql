-- Images of artefacts. The original file lives in the object store under its
-- SHA-256, once however many records use it; this table holds what the
-- catalogue says about each use of it.
CREATE TABLE images (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 128),
    artefact_id INTEGER NOT NULL REFERENCES artefacts(id),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    ord         INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    doc         TEXT NOT NULL CHECK (json_valid(doc)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (artefact_id, sha256)
);
CREATE INDEX images_artefact ON images(artefact_id, ord);
CREATE INDEX images_sha256 ON images(sha256);
