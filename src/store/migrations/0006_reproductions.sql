-- The reproductions of an object are found by the number of their original: an object
-- page lists them, as it links a reproduction to its original.
CREATE INDEX IF NOT EXISTS artefacts_original ON artefacts (json_extract(doc, '$.reproduction.original_accession'))
    WHERE json_extract(doc, '$.reproduction.original_accession') IS NOT NULL;
