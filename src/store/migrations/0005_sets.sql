-- Sets: named lists of artefacts a curator keeps (an exhibition's checklist, a loan, a
-- photography campaign), private to their owner or shared with colleagues. A set lists
-- records; it changes none of them.
CREATE TABLE record_sets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    shared      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    UNIQUE (owner, name)
);

CREATE TABLE record_set_members (
    set_id      INTEGER NOT NULL REFERENCES record_sets(id) ON DELETE CASCADE,
    artefact_id INTEGER NOT NULL REFERENCES artefacts(id),
    added_at    TEXT NOT NULL,
    PRIMARY KEY (set_id, artefact_id)
);
CREATE INDEX record_set_members_artefact ON record_set_members(artefact_id);
