-- Reference events: rows of other projects' event data (ACLED exports, UCDP GED) imported so
-- that vigil's incidents can be compared with them (`vigil import`, `vigil compare`).

CREATE TABLE reference_events (
    id               INTEGER PRIMARY KEY,
    dataset          TEXT    NOT NULL CHECK (dataset IN ('acled', 'ucdp')),
    -- The dataset's own identifier (ACLED event_id_cnty, UCDP id): re-importing a file updates
    -- the rows it already gave instead of adding them again.
    event_id         TEXT    NOT NULL,
    date_start       TEXT    NOT NULL, -- YYYY-MM-DD
    date_end         TEXT    NOT NULL,
    -- vigil's date precision code (day, range, week, month, year) from the dataset's own.
    date_precision   TEXT    NOT NULL,
    lat              REAL,
    lon              REAL,
    -- The dataset's own location precision code (ACLED geo_precision, UCDP where_prec).
    geo_precision    INTEGER,
    country          TEXT,
    country_code     TEXT, -- ISO 3166-1 alpha-2, when identified
    admin1           TEXT,
    admin2           TEXT,
    location         TEXT,
    event_type       TEXT,
    sub_event_type   TEXT,
    vigil_event_type TEXT,
    actor1           TEXT,
    actor2           TEXT,
    fatalities_best  INTEGER,
    fatalities_low   INTEGER,
    fatalities_high  INTEGER,
    notes            TEXT,
    -- The row as read: a JSON object from column name to cell text.
    original         TEXT    NOT NULL,
    imported_at      TEXT    NOT NULL,
    UNIQUE (dataset, event_id)
) STRICT;

-- Date and place lookup: the candidates of an incident are a date range and a box around it.
CREATE INDEX reference_events_date_place ON reference_events (dataset, date_start, lat, lon);

-- One row per `vigil import` run.
CREATE TABLE reference_imports (
    id          INTEGER PRIMARY KEY,
    dataset     TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    failed      INTEGER NOT NULL
) STRICT;
