-- Reports as read, their versions and sightings, ingest runs, and the full-text index.

CREATE TABLE reports (
    id                INTEGER PRIMARY KEY,
    -- Public identifier: the first 16 hex digits of content_hash, longer if two hashes share them.
    -- Unique by construction and looked up through content_hash's index (a uid is its prefix),
    -- so it needs no index of its own.
    uid               TEXT    NOT NULL,
    -- SHA-256 of the normalised body: the report's identity.
    content_hash      TEXT    NOT NULL UNIQUE,
    source            TEXT    NOT NULL,
    -- What makes texts versions of one report (URL, or the path of a file it alone fills).
    address           TEXT,
    url               TEXT,
    title             TEXT,
    outlet            TEXT,
    published         TEXT,
    language          TEXT,
    language_detected INTEGER NOT NULL DEFAULT 0 CHECK (language_detected IN (0, 1)),
    format            TEXT    NOT NULL,
    encoding          TEXT    NOT NULL,
    body              TEXT    NOT NULL,
    -- The bytes as read. When they end with the body verbatim (a UTF-8 text file: front matter,
    -- then the body), only the part before the body is kept, in original_prefix, and original is
    -- NULL: the same bytes, without storing the text twice.
    original          BLOB,
    original_prefix   BLOB,
    extra             TEXT    NOT NULL DEFAULT '{}',
    ingested_at       TEXT    NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    previous_id       INTEGER REFERENCES reports (id),
    CHECK ((original IS NULL) <> (original_prefix IS NULL))
) STRICT;

-- One row per (address, version): a re-run after a crash can never store a version twice.
CREATE UNIQUE INDEX reports_address_version ON reports (address, version) WHERE address IS NOT NULL;
CREATE INDEX reports_published ON reports (published);
CREATE INDEX reports_language ON reports (language);
CREATE INDEX reports_outlet ON reports (outlet);

-- Every further place a stored text was seen: the same article saved twice, syndicated copies.
CREATE TABLE report_sightings (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    source    TEXT    NOT NULL,
    url       TEXT,
    seen_at   TEXT    NOT NULL,
    UNIQUE (report_id, source)
) STRICT;

CREATE TABLE ingest_runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT    NOT NULL,
    inputs       TEXT    NOT NULL, -- JSON array of the paths given
    stored       INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL,
    new_versions INTEGER NOT NULL,
    failed       INTEGER NOT NULL
) STRICT;

CREATE TABLE ingest_failures (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    source TEXT    NOT NULL,
    reason TEXT    NOT NULL
) STRICT;
CREATE INDEX ingest_failures_run ON ingest_failures (run_id);

-- Full-text index over title and body, kept in step with reports by triggers, so that it is
-- always written in the same transaction as the row it indexes.
CREATE VIRTUAL TABLE reports_fts USING fts5 (
    title, body,
    content = 'reports', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Merge index segments less eagerly than the default (4): bulk ingest is dominated by merge work,
-- and searches stay fast with up to 16 segments per level.
INSERT INTO reports_fts (reports_fts, rank) VALUES ('automerge', 16);

CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), new.body);
END;
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, title, body)
    VALUES ('delete', old.id, coalesce(old.title, ''), old.body);
END;
CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, body ON reports BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, title, body)
    VALUES ('delete', old.id, coalesce(old.title, ''), old.body);
    INSERT INTO reports_fts (rowid, title, body) VALUES (new.id, coalesce(new.title, ''), new.body);
END;
