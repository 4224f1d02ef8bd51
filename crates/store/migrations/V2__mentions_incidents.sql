-- Mentions (incidents as one report tells them), their claims, and incidents (mentions linked
-- across reports), with the indexes incremental linking searches.

-- Which extractor version last read each report: re-extraction with a new version replaces the
-- report's mentions; the same version is not run twice. A report with no mention has a row too.
CREATE TABLE report_extractions (
    report_id         INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    extractor_version TEXT    NOT NULL,
    extracted_at      TEXT    NOT NULL,
    mentions          INTEGER NOT NULL,
    diagnostics       TEXT    NOT NULL DEFAULT '[]'
) STRICT;

CREATE TABLE mentions (
    id                INTEGER PRIMARY KEY,
    report_id         INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    -- Position among the report's mentions, in text order.
    ordinal           INTEGER NOT NULL CHECK (ordinal >= 0),
    extractor_version TEXT    NOT NULL,
    event_type        TEXT    NOT NULL,
    sub_event_type    TEXT    NOT NULL,
    date_start        TEXT,
    date_end          TEXT,
    place_name        TEXT,
    country           TEXT,
    lat               REAL,
    lon               REAL,
    historical        INTEGER NOT NULL CHECK (historical IN (0, 1)),
    aggregate         INTEGER NOT NULL CHECK (aggregate IN (0, 1)),
    -- The mention as JSON (vigil_model::Mention): the record of what the report says.
    data              TEXT    NOT NULL,
    -- What linking compares, encoded by vigil-link (read back by a rebuild without parsing JSON).
    features          BLOB    NOT NULL,
    -- Search keys of incremental linking (see vigil_link::SearchKeys); NULL when absent.
    day_min           INTEGER,
    day_max           INTEGER,
    name_key          INTEGER,
    admin_key         INTEGER,
    coarse            INTEGER NOT NULL DEFAULT 0 CHECK (coarse IN (0, 1)),
    -- The linking component (smallest mention id of the mentions joined by strong pairs) and
    -- the incident; NULL until linked.
    component         INTEGER,
    incident_id       INTEGER REFERENCES incidents (id) ON DELETE SET NULL,
    UNIQUE (report_id, ordinal)
) STRICT;
CREATE INDEX mentions_component ON mentions (component);
CREATE INDEX mentions_incident ON mentions (incident_id);
CREATE INDEX mentions_unlinked ON mentions (id) WHERE component IS NULL;
CREATE INDEX mentions_name ON mentions (name_key, day_min) WHERE name_key IS NOT NULL;
CREATE INDEX mentions_admin ON mentions (admin_key, day_min) WHERE admin_key IS NOT NULL;

-- Each mention's search box in (day, latitude, longitude), widened by its reach and the date
-- slack. R*Tree rounds stored boxes outward, so a search never misses a box.
CREATE VIRTUAL TABLE mentions_box USING rtree (id, day_min, day_max, lat_min, lat_max, lon_min, lon_max);
CREATE TRIGGER mentions_box_delete AFTER DELETE ON mentions BEGIN
    DELETE FROM mentions_box WHERE id = old.id;
END;

-- Every figure claim as the report states it (the claimant as written).
CREATE TABLE claims (
    id         INTEGER PRIMARY KEY,
    mention_id INTEGER NOT NULL REFERENCES mentions (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    low        INTEGER,
    high       INTEGER,
    qualifier  TEXT    NOT NULL,
    claimant   TEXT,
    text       TEXT    NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL
) STRICT;
CREATE INDEX claims_mention ON claims (mention_id);
CREATE INDEX claims_claimant ON claims (claimant) WHERE claimant IS NOT NULL;

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    -- Public identifier (vigil_link::incident_id of the anchor mention).
    uid             TEXT    NOT NULL UNIQUE,
    -- The anchor mention's id: the incident's key in linking.
    anchor          INTEGER NOT NULL,
    component       INTEGER NOT NULL,
    event_type      TEXT    NOT NULL,
    sub_event_type  TEXT    NOT NULL,
    date_start      TEXT,
    date_end        TEXT,
    -- Days for wave assignment: the date, or the window before publication when undated.
    day_min         INTEGER,
    day_max         INTEGER,
    dated           INTEGER NOT NULL CHECK (dated IN (0, 1)),
    place_name      TEXT,
    place_precision TEXT,
    country         TEXT,
    admin1          TEXT,
    lat             REAL,
    lon             REAL,
    aggregate       INTEGER NOT NULL CHECK (aggregate IN (0, 1)),
    historical      INTEGER NOT NULL CHECK (historical IN (0, 1)),
    killed_best     INTEGER,
    -- uid of the wave this incident is part of.
    part_of         TEXT,
    -- The incident as JSON (vigil_model::Incident; part_of is the column above).
    data            TEXT    NOT NULL
) STRICT;
CREATE INDEX incidents_date ON incidents (date_start);
CREATE INDEX incidents_component ON incidents (component);
CREATE INDEX incidents_days ON incidents (day_min);
CREATE INDEX incidents_waves ON incidents (day_min) WHERE aggregate = 1;
CREATE INDEX incidents_part_of ON incidents (part_of) WHERE part_of IS NOT NULL;

CREATE TABLE incident_actors (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    PRIMARY KEY (incident_id, name, role)
) STRICT, WITHOUT ROWID;

CREATE TABLE incident_flags (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL,
    detail      TEXT    NOT NULL
) STRICT;
CREATE INDEX incident_flags_incident ON incident_flags (incident_id);
CREATE INDEX incident_flags_code ON incident_flags (code);
