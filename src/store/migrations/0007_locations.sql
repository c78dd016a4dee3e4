-- Where every object is (Spectrum's location and movement control, inventory, object entry
-- and exit).
--
-- Locations form a tree (building → room → cabinet → shelf → box). Each has a code a label
-- or a barcode carries, and is secure storage, display or off site.
CREATE TABLE locations (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    parent_id   INTEGER REFERENCES locations(id),
    version     INTEGER NOT NULL,
    doc         TEXT NOT NULL CHECK (json_valid(doc)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX locations_parent ON locations(parent_id);

-- An object's current location is its last movement's; it is kept on the artefact's row
-- so that a shelf list is one indexed read.
ALTER TABLE artefacts ADD COLUMN location_id INTEGER REFERENCES locations(id);
CREATE INDEX artefacts_location ON artefacts(location_id);

-- Every movement: from, to, when, who, why. Never updated or deleted.
CREATE TABLE movements (
    id           INTEGER PRIMARY KEY,
    artefact_id  INTEGER NOT NULL REFERENCES artefacts(id),
    from_id      INTEGER REFERENCES locations(id),
    to_id        INTEGER NOT NULL REFERENCES locations(id),
    moved_on     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    note         TEXT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX movements_artefact ON movements(artefact_id, moved_on, id);

-- Inventory checks: what was recorded in a location when the check began, and what the
-- checkers marked. A finished check is kept with its marks.
CREATE TABLE inventory_checks (
    id           INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    started_by   TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_by  TEXT,
    finished_at  TEXT,
    note         TEXT
);
CREATE TABLE inventory_expected (
    check_id     INTEGER NOT NULL REFERENCES inventory_checks(id),
    artefact_id  INTEGER NOT NULL REFERENCES artefacts(id),
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    PRIMARY KEY (check_id, artefact_id)
);
CREATE TABLE inventory_marks (
    check_id     INTEGER NOT NULL REFERENCES inventory_checks(id),
    artefact_id  INTEGER NOT NULL REFERENCES artefacts(id),
    mark         TEXT NOT NULL CHECK (mark IN ('found', 'missing', 'elsewhere')),
    found_in     INTEGER REFERENCES locations(id),
    marked_by    TEXT NOT NULL,
    marked_at    TEXT NOT NULL,
    PRIMARY KEY (check_id, artefact_id)
);

-- The free-text storage location written on records becomes a location: each distinct
-- text (up to 60 characters, not a sentence) is a location named by it, coded by it when it
-- is a code (letters, digits and . / - _), and the record's object moves there. A longer
-- text stays on the record as its location note.
CREATE TEMP TABLE written_locations AS
SELECT t AS text, row_number() OVER (ORDER BY t) AS n
FROM (
    SELECT DISTINCT trim(json_extract(doc, '$.private.storage_location')) AS t
    FROM artefacts
    WHERE json_type(doc, '$.private.storage_location') = 'text'
)
WHERE length(t) BETWEEN 1 AND 60 AND t NOT GLOB '*[,;，。；、]*';

INSERT INTO locations(code, parent_id, version, doc, created_at, updated_at)
SELECT
    CASE WHEN length(text) <= 32 AND text NOT GLOB '*[^A-Za-z0-9./_-]*'
              AND upper(text) NOT IN (SELECT printf('L-%04d', n) FROM written_locations)
         THEN upper(text) ELSE printf('L-%04d', n) END,
    NULL,
    1,
    json_object('name', json_object('zh', text), 'kind', 'storage',
                'note', 'made from the storage location written on records'),
    strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
    strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM written_locations
-- Two texts differing only in case are one location.
WHERE true
ON CONFLICT(code) DO NOTHING;

INSERT INTO movements(artefact_id, from_id, to_id, moved_on, reason, note, actor, recorded_at)
SELECT a.id, NULL, l.id, substr(a.updated_at, 1, 10), 'recorded', 'storage location written on the record',
       'system:migration', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM artefacts a
JOIN written_locations w ON w.text = trim(json_extract(a.doc, '$.private.storage_location'))
JOIN locations l ON json_extract(l.doc, '$.name.zh') = w.text COLLATE NOCASE;

INSERT INTO audit(at, actor, entity, entity_id, action, before, after)
SELECT m.recorded_at, m.actor, 'artefact', m.artefact_id, 'move',
       json_object('location', NULL, 'storage_location', json_extract(a.doc, '$.private.storage_location')),
       json_object('location', l.code, 'storage_location', NULL)
FROM movements m JOIN artefacts a ON a.id = m.artefact_id JOIN locations l ON l.id = m.to_id;

INSERT INTO outbox(entity, entity_id, at)
SELECT 'artefact', artefact_id, recorded_at FROM movements;

UPDATE artefacts SET
    location_id = (SELECT m.to_id FROM movements m WHERE m.artefact_id = artefacts.id),
    doc = json_remove(doc, '$.private.storage_location'),
    version = version + 1
WHERE id IN (SELECT artefact_id FROM movements);

DROP TABLE written_locations;
