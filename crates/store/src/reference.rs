//! Reference events (ACLED, UCDP GED rows) in the store: idempotent upserts keyed by the
//! dataset's own event id, lookups by date and place for `vigil compare`, and an import log.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use vigil_model::{DatePrecision, DateRange, EventType, ReferenceDataset, ReferenceEvent};

use crate::{Error, Result, Store, parse_day};

/// What [`Store::upsert_reference_events`] did with a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReferenceCounts {
    /// Events not stored before.
    pub inserted: u64,
    /// Events stored before whose row changed (ACLED revises tolls and actors in place).
    pub updated: u64,
    /// Events stored before with the very same row.
    pub unchanged: u64,
}

impl std::ops::AddAssign for ReferenceCounts {
    fn add_assign(&mut self, other: ReferenceCounts) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// Reference events whose date range meets `from..=to` and whose point lies in the box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceQuery {
    pub dataset: ReferenceDataset,
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

/// Which reference events [`Store::for_each_reference_event`] reads.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceFilter {
    pub dataset: ReferenceDataset,
    /// Events whose dates reach this day or later.
    pub since: Option<jiff::civil::Date>,
    /// Events whose dates start on this day or earlier.
    pub until: Option<jiff::civil::Date>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// `(lat, lon, km)`.
    pub near: Option<(f64, f64, f64)>,
}

/// One `vigil import` run, as logged.
#[derive(Debug, Clone)]
pub struct ReferenceImport {
    pub dataset: ReferenceDataset,
    pub source: String,
    pub started_at: String,
    pub finished_at: String,
    pub counts: ReferenceCounts,
    pub failed: u64,
}

fn precision_code(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "day",
        DatePrecision::Range => "range",
        DatePrecision::Week => "week",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
        DatePrecision::Unknown => "unknown",
    }
}

fn precision_from(code: &str) -> DatePrecision {
    match code {
        "day" => DatePrecision::Day,
        "range" => DatePrecision::Range,
        "week" => DatePrecision::Week,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        _ => DatePrecision::Unknown,
    }
}

fn int(value: Option<u64>) -> Option<i64> {
    value.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

const COLUMNS: &str = "dataset, event_id, date_start, date_end, date_precision, lat, lon,
    geo_precision, country, country_code, admin1, admin2, location, event_type, sub_event_type,
    vigil_event_type, actor1, actor2, fatalities_best, fatalities_low, fatalities_high, notes,
    original";

fn event_from_row(row: &Row<'_>) -> Result<ReferenceEvent> {
    let dataset: String = row.get(0)?;
    let dataset = ReferenceDataset::from_code(&dataset)
        .ok_or_else(|| Error::Corrupt(format!("unknown reference dataset {dataset:?}")))?;
    let day = |i: usize| -> Result<Option<jiff::civil::Date>> {
        let text: Option<String> = row.get(i)?;
        Ok(text.as_deref().and_then(parse_day))
    };
    let u = |i: usize| -> Result<Option<u64>> {
        Ok(row
            .get::<_, Option<i64>>(i)?
            .and_then(|v| u64::try_from(v).ok()))
    };
    let original: String = row.get(22)?;
    let vigil_event_type: Option<String> = row.get(15)?;
    let precision: String = row.get(4)?;
    Ok(ReferenceEvent {
        dataset,
        event_id: row.get(1)?,
        date: DateRange {
            start: day(2)?,
            end: day(3)?,
            precision: precision_from(&precision),
        },
        lat: row.get(5)?,
        lon: row.get(6)?,
        geo_precision: row
            .get::<_, Option<i64>>(7)?
            .and_then(|v| u8::try_from(v).ok()),
        country: row.get(8)?,
        country_code: row.get(9)?,
        admin1: row.get(10)?,
        admin2: row.get(11)?,
        location: row.get(12)?,
        event_type: row.get(13)?,
        sub_event_type: row.get(14)?,
        vigil_event_type: vigil_event_type.as_deref().and_then(EventType::from_code),
        actor1: row.get(16)?,
        actor2: row.get(17)?,
        fatalities_best: u(18)?,
        fatalities_low: u(19)?,
        fatalities_high: u(20)?,
        notes: row.get(21)?,
        original: serde_json::from_str(&original)?,
    })
}

impl Store {
    /// Stores a batch of reference events in one transaction: new events are inserted, known
    /// ones (same dataset and event id) updated when their row changed. Events without a date
    /// are refused by the caller's reader and never reach here; one given anyway is an error.
    pub fn upsert_reference_events(
        &mut self,
        events: &[ReferenceEvent],
        imported_at: &str,
    ) -> Result<ReferenceCounts> {
        let tx = self.conn.transaction()?;
        let mut counts = ReferenceCounts::default();
        {
            let mut existing = tx.prepare_cached(
                "SELECT id, original FROM reference_events WHERE dataset = ?1 AND event_id = ?2",
            )?;
            let mut insert = tx.prepare_cached(&format!(
                "INSERT INTO reference_events ({COLUMNS}, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
            ))?;
            let mut delete = tx.prepare_cached("DELETE FROM reference_events WHERE id = ?1")?;
            for event in events {
                let (start, end) = event.date.bounds().ok_or_else(|| {
                    Error::Corrupt(format!("reference event {} has no date", event.event_id))
                })?;
                let original = serde_json::to_string(&event.original)?;
                let known: Option<(i64, String)> = existing
                    .query_row(params![event.dataset.code(), event.event_id], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()?;
                match &known {
                    Some((_, stored)) if *stored == original => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some((id, _)) => {
                        delete.execute(params![id])?;
                        counts.updated += 1;
                    }
                    None => counts.inserted += 1,
                }
                insert.execute(params![
                    event.dataset.code(),
                    event.event_id,
                    start.to_string(),
                    end.to_string(),
                    precision_code(event.date.precision),
                    event.lat,
                    event.lon,
                    event.geo_precision,
                    event.country,
                    event.country_code,
                    event.admin1,
                    event.admin2,
                    event.location,
                    event.event_type,
                    event.sub_event_type,
                    event.vigil_event_type.map(|t| t.code()),
                    event.actor1,
                    event.actor2,
                    int(event.fatalities_best),
                    int(event.fatalities_low),
                    int(event.fatalities_high),
                    event.notes,
                    original,
                    imported_at,
                ])?;
            }
        }
        tx.commit()?;
        Ok(counts)
    }

    /// Logs one import run.
    pub fn log_reference_import(&mut self, import: &ReferenceImport) -> Result<()> {
        self.conn.execute(
            "INSERT INTO reference_imports (dataset, source, started_at, finished_at, inserted,
                 updated, unchanged, failed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                import.dataset.code(),
                import.source,
                import.started_at,
                import.finished_at,
                int(Some(import.counts.inserted)),
                int(Some(import.counts.updated)),
                int(Some(import.counts.unchanged)),
                int(Some(import.failed)),
            ],
        )?;
        Ok(())
    }

    /// How many reference events each dataset holds.
    pub fn reference_counts(&self) -> Result<HashMap<ReferenceDataset, u64>> {
        let mut statement = self
            .conn
            .prepare("SELECT dataset, count(*) FROM reference_events GROUP BY dataset")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut counts = HashMap::new();
        for row in rows {
            let (dataset, n) = row?;
            if let Some(d) = ReferenceDataset::from_code(&dataset) {
                counts.insert(d, u64::try_from(n).unwrap_or(0));
            }
        }
        Ok(counts)
    }

    /// The longest date range of a dataset's events, in days (0 for single days): how far before
    /// a window's first day a lookup by start date must begin.
    pub fn reference_max_span_days(&self, dataset: ReferenceDataset) -> Result<i64> {
        let days: Option<f64> = self.conn.query_row(
            "SELECT max(julianday(date_end) - julianday(date_start)) FROM reference_events
             WHERE dataset = ?1",
            params![dataset.code()],
            |row| row.get(0),
        )?;
        Ok(days.map(|d| d.max(0.0).ceil() as i64).unwrap_or(0))
    }

    /// Reference events of a dataset whose dates meet the query's days and whose point lies in
    /// its box. `max_span_days` is [`Store::reference_max_span_days`]: with it the lookup seeks
    /// the (dataset, date_start) index instead of scanning.
    pub fn reference_candidates(
        &self,
        query: &ReferenceQuery,
        max_span_days: i64,
    ) -> Result<Vec<ReferenceEvent>> {
        let earliest_start = query
            .from
            .checked_sub(jiff::Span::new().days(max_span_days.clamp(0, 366 * 200)))
            .unwrap_or(query.from);
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM reference_events INDEXED BY reference_events_date_place
             WHERE dataset = ?1 AND date_start BETWEEN ?2 AND ?3 AND date_end >= ?4
               AND lat BETWEEN ?5 AND ?6 AND lon BETWEEN ?7 AND ?8
             ORDER BY date_start, event_id"
        ))?;
        let mut rows = statement.query(params![
            query.dataset.code(),
            earliest_start.to_string(),
            query.to.to_string(),
            query.from.to_string(),
            query.min_lat,
            query.max_lat,
            query.min_lon,
            query.max_lon,
        ])?;
        let mut events = Vec::new();
        while let Some(row) = rows.next()? {
            events.push(event_from_row(row)?);
        }
        Ok(events)
    }

    /// Reads a dataset's events one at a time, in date order, narrowed by the filter.
    pub fn for_each_reference_event<E: From<Error>>(
        &self,
        filter: &ReferenceFilter,
        mut f: impl FnMut(ReferenceEvent) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM reference_events
                 WHERE dataset = ?1 AND (?2 IS NULL OR date_end >= ?2)
                   AND (?3 IS NULL OR date_start <= ?3)
                   AND (?4 IS NULL OR country_code = ?4 COLLATE NOCASE)
                 ORDER BY date_start, event_id"
            ))
            .map_err(Error::from)?;
        let mut rows = statement
            .query(params![
                filter.dataset.code(),
                filter.since.map(|d| d.to_string()),
                filter.until.map(|d| d.to_string()),
                filter.country,
            ])
            .map_err(Error::from)?;
        while let Some(row) = rows.next().map_err(Error::from)? {
            let event = event_from_row(row)?;
            if let Some((lat, lon, km)) = filter.near {
                let (Some(elat), Some(elon)) = (event.lat, event.lon) else {
                    continue;
                };
                if vigil_model::haversine_km(lat, lon, elat, elon) > km {
                    continue;
                }
            }
            f(event)?;
        }
        Ok(())
    }
}
