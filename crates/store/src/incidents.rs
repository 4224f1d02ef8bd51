//! Mentions, claims and incidents: what extraction found in each report and what linking made
//! of it, with the indexes incremental linking searches and a streaming, filtered read of
//! incidents.
//!
//! The store knows nothing of how linking decides: it keeps the encoded features and search
//! keys the caller computes (`vigil_link`), and answers the questions linking asks ("which
//! mentions have a box overlapping this one?", "which mentions make up this incident?").
//!
//! The `component` columns (of mentions and incidents) date from when incremental linking
//! re-linked whole components; linking now writes the incident's anchor mention there, and a
//! mention with no `component` is one waiting to be linked.

use std::collections::HashMap;

use rusqlite::{Row, params};
use serde::Serialize;
use vigil_model::{Incident, IncidentReport, Mention};

use crate::{Error, Result, Store};

/// A mention to store, with what linking computed from it.
#[derive(Debug, Clone)]
pub struct NewMention<'a> {
    pub mention: &'a Mention,
    /// `vigil_link::Features::encode` of the mention.
    pub features: Vec<u8>,
    /// The search keys; `None` when the mention has no date or no place (it links to nothing).
    pub keys: Option<MentionKeys>,
}

/// One report's new extraction, for [`Store::replace_mentions_many`].
#[derive(Debug, Clone, Copy)]
pub struct NewExtraction<'a> {
    pub report_id: i64,
    pub extractor_version: &'a str,
    pub extracted_at: &'a str,
    pub mentions: &'a [NewMention<'a>],
    pub diagnostics: &'a serde_json::Value,
}

/// Where a mention is indexed for incremental linking (the store's form of
/// `vigil_link::SearchKeys`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MentionKeys {
    pub day_min: i32,
    pub day_max: i32,
    pub lat_min: f64,
    pub lat_max: f64,
    pub lon_min: f64,
    pub lon_max: f64,
    /// 0 for none.
    pub name_key: u32,
    /// 0 for none.
    pub admin_key: u64,
    pub coarse: bool,
}

/// A mention's id, encoded linking features and incident row id (when linked).
pub type FeatureRow = (i64, Vec<u8>, Option<i64>);

/// What [`Store::replace_mentions`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replaced {
    /// Ids of the stored mentions, in the order given.
    pub inserted: Vec<i64>,
    /// Incidents (row ids) removed because they held the report's earlier mentions, and the
    /// parts of waves among them: their other mentions wait to be linked again.
    pub stale_incidents: Vec<i64>,
}

/// A mention as read back, with its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredMention {
    pub id: i64,
    pub ordinal: u32,
    pub report: IncidentReport,
    pub outlet: Option<String>,
    pub extractor_version: String,
    pub incident: Option<String>,
    pub mention: Mention,
}

/// A report waiting for extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingReport {
    pub id: i64,
    pub uid: String,
    pub source: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub body: String,
}

/// An incident to store: the assembled incident and its linking bookkeeping.
#[derive(Debug, Clone)]
pub struct NewIncident<'a> {
    pub incident: &'a Incident,
    /// The anchor mention's id (also written to the legacy `component` column).
    pub anchor: i64,
    /// Days for wave assignment (`vigil_link::Extent::days`) and whether a report dated it.
    pub days: Option<(i32, i32)>,
    pub dated: bool,
    /// The incident's mentions.
    pub members: &'a [i64],
}

/// What wave assignment needs of a stored incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentExtent {
    pub uid: String,
    pub anchor: i64,
    pub event_type: String,
    pub aggregate: bool,
    pub days: Option<(i32, i32)>,
    pub dated: bool,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub place_precision: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub part_of: Option<String>,
}

/// Which incidents [`Store::for_each_incident`] reads. Every field narrows; the default reads all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentFilter {
    /// Incidents whose dates reach this day or later (undated ones are left out).
    pub since: Option<jiff::civil::Date>,
    /// Incidents whose dates start on this day or earlier (undated ones are left out).
    pub until: Option<jiff::civil::Date>,
    /// ISO 3166-1 alpha-2 of the place.
    pub country: Option<String>,
    /// `(lat, lon, km)`: within this distance of the point.
    pub near: Option<(f64, f64, f64)>,
    /// An event type or sub-event type code (`battles`, `air_drone_strike`).
    pub event_type: Option<String>,
    /// Part of an actor's name, case-insensitive.
    pub actor: Option<String>,
    /// Best killed figure at least this.
    pub min_killed: Option<u64>,
    /// Leave out incidents reported only as background.
    pub exclude_historical: bool,
    /// At most this many incidents; `None` for all.
    pub limit: Option<u64>,
}

/// Counts of mentions and incidents.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LinkStats {
    pub reports_extracted: u64,
    pub mentions: u64,
    pub unlinked_mentions: u64,
    pub incidents: u64,
    pub waves: u64,
    pub parts: u64,
    pub flagged: u64,
}

/// Search windows (of mentions and of incidents) up to this many days long are found through a
/// bounded range of their `day_min` index; longer ones through partial indexes of their own
/// (migration V4 spells the number out in those indexes and the queries repeat it).
pub const SHORT_SPAN_DAYS: i32 = 40;

/// Ids per `IN (...)` list (SQLite allows 32,766 parameters).
const IN_CHUNK: usize = 500;

/// Splits `ids` into `IN` lists, each padded (by repeating its last id, which changes nothing in
/// an `IN`) to one of a few lengths, so that few distinct statements enter the statement cache.
fn in_lists(ids: &[i64]) -> impl Iterator<Item = Vec<i64>> + '_ {
    ids.chunks(IN_CHUNK).map(|chunk| {
        let len = [8, 64, IN_CHUNK]
            .into_iter()
            .find(|&l| l >= chunk.len())
            .unwrap_or(IN_CHUNK);
        let mut list = chunk.to_vec();
        list.resize(len, chunk[chunk.len() - 1]);
        list
    })
}

/// `?, ?, ...` for an `IN` list of `n` parameters.
fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('?');
    }
    s
}

fn json_err(e: serde_json::Error) -> Error {
    Error::Json(e)
}

impl Store {
    /// Reports never extracted, or extracted by another extractor version, oldest first.
    pub fn reports_to_extract(
        &self,
        extractor_version: &str,
        limit: usize,
    ) -> Result<Vec<PendingReport>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT r.id, r.uid, r.source, r.title, r.outlet, r.published, r.language, r.body
             FROM reports r LEFT JOIN report_extractions e ON e.report_id = r.id
             WHERE e.report_id IS NULL OR e.extractor_version <> ?1
             ORDER BY r.id LIMIT ?2",
        )?;
        let rows = statement
            .query_map(params![extractor_version, limit as i64], |row| {
                Ok(PendingReport {
                    id: row.get(0)?,
                    uid: row.get(1)?,
                    source: row.get(2)?,
                    title: row.get(3)?,
                    outlet: row.get(4)?,
                    published: row.get(5)?,
                    language: row.get(6)?,
                    body: row.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Replaces a report's mentions with a new extraction, in one transaction: the earlier
    /// mentions (and their claims) go, the new ones are stored unlinked.
    pub fn replace_mentions(
        &mut self,
        report_id: i64,
        extractor_version: &str,
        extracted_at: &str,
        mentions: &[NewMention<'_>],
        diagnostics: &serde_json::Value,
    ) -> Result<Replaced> {
        let mut done = self.replace_mentions_many(&[NewExtraction {
            report_id,
            extractor_version,
            extracted_at,
            mentions,
            diagnostics,
        }])?;
        Ok(done.pop().unwrap_or_default())
    }

    /// [`Store::replace_mentions`] for many reports in one transaction (far faster than one
    /// transaction each when storing thousands of reports). Says what was replaced, in input
    /// order.
    pub fn replace_mentions_many(
        &mut self,
        extractions: &[NewExtraction<'_>],
    ) -> Result<Vec<Replaced>> {
        let tx = self.conn.transaction()?;
        let mut out = Vec::with_capacity(extractions.len());
        for e in extractions {
            out.push(replace_mentions_in(&tx, e)?);
        }
        tx.commit()?;
        Ok(out)
    }

    /// Ids of mentions indexed under keys that may make them candidates of a mention with
    /// `keys`: overlapping boxes, or the same name skeleton, or the same first-level unit when one
    /// side is an area, each with overlapping days. A superset: the caller filters.
    pub fn candidate_mentions(&self, keys: &MentionKeys) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        self.mentions_in_box(keys, &mut ids)?;
        if keys.name_key != 0 {
            self.mentions_named(keys.name_key, keys.day_min, keys.day_max, &mut ids)?;
        }
        if keys.admin_key != 0 {
            self.mentions_in_unit(
                keys.admin_key,
                keys.day_min,
                keys.day_max,
                keys.coarse,
                &mut ids,
            )?;
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Adds to `ids` the mentions whose box (days, latitude, longitude) overlaps that of `keys`
    /// (the box part of [`Store::candidate_mentions`]).
    pub fn mentions_in_box(&self, keys: &MentionKeys, ids: &mut Vec<i64>) -> Result<()> {
        let mut by_box = self.conn.prepare_cached(
            "SELECT id FROM mentions_box
             WHERE day_min <= ?2 AND day_max >= ?1 AND lat_min <= ?4 AND lat_max >= ?3
               AND lon_min <= ?6 AND lon_max >= ?5",
        )?;
        ids.extend(
            by_box
                .query_map(
                    params![
                        keys.day_min,
                        keys.day_max,
                        keys.lat_min,
                        keys.lat_max,
                        keys.lon_min,
                        keys.lon_max
                    ],
                    |row| row.get::<_, i64>(0),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
        Ok(())
    }

    /// Adds to `ids` the mentions with this name skeleton whose days meet `[day_min, day_max]`.
    pub fn mentions_named(
        &self,
        name_key: u32,
        day_min: i32,
        day_max: i32,
        ids: &mut Vec<i64>,
    ) -> Result<()> {
        // A match has day_min <= our day_max and day_max >= our day_min. A short window
        // (SHORT_SPAN_DAYS or less) then starts at most that many days before ours: a bounded
        // range of the covering index. Longer windows are few and have indexes of their own.
        for sql in [
            "SELECT id FROM mentions INDEXED BY mentions_name
                 WHERE name_key = ?1 AND day_min <= ?3 AND day_min >= ?2 - 40 AND day_max >= ?2",
            "SELECT id FROM mentions INDEXED BY mentions_name_long
                 WHERE name_key = ?1 AND day_max - day_min > 40 AND day_max >= ?2 AND day_min <= ?3",
        ] {
            let mut by_name = self.conn.prepare_cached(sql)?;
            for id in by_name.query_map(params![i64::from(name_key), day_min, day_max], |row| {
                row.get::<_, i64>(0)
            })? {
                ids.push(id?);
            }
        }
        Ok(())
    }

    /// Adds to `ids` the mentions of this first-level unit whose days meet `[day_min,
    /// day_max]`: all of them for an area (`coarse`), only the areas otherwise.
    pub fn mentions_in_unit(
        &self,
        admin_key: u64,
        day_min: i32,
        day_max: i32,
        coarse: bool,
        ids: &mut Vec<i64>,
    ) -> Result<()> {
        for sql in [
            "SELECT id FROM mentions INDEXED BY mentions_admin
                 WHERE admin_key = ?1 AND day_min <= ?3 AND day_min >= ?2 - 40 AND day_max >= ?2
                   AND (?4 OR coarse)",
            "SELECT id FROM mentions INDEXED BY mentions_admin_long
                 WHERE admin_key = ?1 AND day_max - day_min > 40 AND day_max >= ?2 AND day_min <= ?3
                   AND (?4 OR coarse)",
        ] {
            let mut by_admin = self.conn.prepare_cached(sql)?;
            for id in by_admin
                .query_map(params![admin_key as i64, day_min, day_max, coarse], |row| {
                    row.get::<_, i64>(0)
                })?
            {
                ids.push(id?);
            }
        }
        Ok(())
    }

    /// `(id, features, incident)` of the given mentions (unknown ids are skipped; the incident
    /// is `None` for a mention waiting to be linked).
    pub fn mention_features(&self, ids: &[i64]) -> Result<Vec<FeatureRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in in_lists(ids) {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT id, features, incident_id FROM mentions WHERE id IN ({})",
                placeholders(chunk.len())
            ))?;
            let rows = statement.query_map(rusqlite::params_from_iter(&chunk), |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// `(id, features)` of every mention of an incident (row id).
    pub fn incident_member_features(&self, incident: i64) -> Result<Vec<(i64, Vec<u8>)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, features FROM mentions INDEXED BY mentions_incident WHERE incident_id = ?1",
        )?;
        let rows = statement
            .query_map([incident], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// `(id, features)` of mentions not yet linked.
    pub fn unlinked_features(&self) -> Result<Vec<(i64, Vec<u8>)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, features FROM mentions WHERE component IS NULL ORDER BY id",
        )?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Calls `f(id, features)` for every mention, in id order, without holding them all.
    pub fn for_each_mention_features(
        &self,
        mut f: impl FnMut(i64, &[u8]) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self
            .conn
            .prepare("SELECT id, features FROM mentions ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let features: Vec<u8> = row.get(1)?;
            f(row.get(0)?, &features)?;
        }
        Ok(())
    }

    /// The given mentions with their reports, in the order of `ids` (unknown ids are skipped).
    pub fn stored_mentions(&self, ids: &[i64]) -> Result<Vec<StoredMention>> {
        let mut found: HashMap<i64, StoredMention> = HashMap::with_capacity(ids.len());
        for chunk in in_lists(ids) {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT m.id, m.ordinal, m.extractor_version, m.data, r.uid, r.source, r.title,
                        r.published, r.outlet, i.uid
                 FROM mentions m JOIN reports r ON r.id = m.report_id
                 LEFT JOIN incidents i ON i.id = m.incident_id
                 WHERE m.id IN ({})",
                placeholders(chunk.len())
            ))?;
            let rows = statement.query_map(rusqlite::params_from_iter(&chunk), stored_mention)?;
            for row in rows {
                let m = row??;
                found.insert(m.id, m);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The mentions of an incident, oldest report first.
    pub fn incident_mentions(&self, uid: &str) -> Result<Vec<StoredMention>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT m.id FROM mentions m JOIN incidents i ON i.id = m.incident_id
             JOIN reports r ON r.id = m.report_id
             WHERE i.uid = ?1 ORDER BY r.published, r.id, m.ordinal",
        )?;
        let ids: Vec<i64> = statement
            .query_map([uid], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.stored_mentions(&ids)
    }

    /// Removes every incident and unlinks every mention (before a full rebuild), in one
    /// transaction.
    pub fn clear_incidents(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE mentions SET component = NULL, incident_id = NULL",
            [],
        )?;
        tx.execute("DELETE FROM incident_flags", [])?;
        tx.execute("DELETE FROM incident_actors", [])?;
        tx.execute("DELETE FROM incidents", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Writes what incremental linking changed, in one transaction: removes the incidents
    /// `remove` (row ids) and any incident a member of the new ones still belongs to, stores the
    /// new incidents and records each mention's incident. Returns the uids of the incidents
    /// removed.
    pub fn replace_incidents(
        &mut self,
        remove: &[i64],
        incidents: &[NewIncident<'_>],
    ) -> Result<Vec<String>> {
        let tx = self.conn.transaction()?;
        let mut removed = Vec::new();
        {
            let mut doomed: HashMap<i64, String> = HashMap::new();
            incident_uids_into(
                &tx,
                "SELECT id, uid FROM incidents WHERE id IN",
                remove,
                &mut doomed,
            )?;
            let members: Vec<i64> = incidents
                .iter()
                .flat_map(|i| i.members.iter().copied())
                .collect();
            incident_uids_into(
                &tx,
                "SELECT i.id, i.uid FROM mentions m JOIN incidents i ON i.id = m.incident_id
                 WHERE m.id IN",
                &members,
                &mut doomed,
            )?;
            let mut ids: Vec<i64> = doomed.keys().copied().collect();
            ids.sort_unstable();
            for chunk in in_lists(&ids) {
                tx.prepare_cached(&format!(
                    "DELETE FROM incidents WHERE id IN ({})",
                    placeholders(chunk.len())
                ))?
                .execute(rusqlite::params_from_iter(&chunk))?;
            }
            removed.extend(doomed.into_values());
            insert_incidents(&tx, incidents)?;
        }
        tx.commit()?;
        removed.sort();
        removed.dedup();
        Ok(removed)
    }

    /// Stores incidents (after [`Store::clear_incidents`], a batch of a rebuild), in one
    /// transaction.
    pub fn insert_incidents(&mut self, incidents: &[NewIncident<'_>]) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_incidents(&tx, incidents)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (or clears) the wave each incident is part of, in one transaction.
    pub fn set_part_of(&mut self, changes: &[(String, Option<String>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut update =
                tx.prepare_cached("UPDATE incidents SET part_of = ?2 WHERE uid = ?1")?;
            for (uid, wave) in changes {
                update.execute(params![uid, wave])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Extents of incidents whose wave days meet `[day_min, day_max]`; `waves_only` for
    /// aggregate incidents alone. Incidents without days are left out.
    pub fn incident_extents(
        &self,
        day_min: i32,
        day_max: i32,
        waves_only: bool,
    ) -> Result<Vec<IncidentExtent>> {
        // Short extents (SHORT_SPAN_DAYS or less) start at most that many days before
        // day_min; longer ones are found by their last day through their own partial index.
        let queries = if waves_only {
            [
                "SELECT uid, anchor, event_type, aggregate, day_min, day_max, dated, lat, lon,
                        place_precision, country, admin1, part_of
                 FROM incidents INDEXED BY incidents_waves
                 WHERE aggregate = 1 AND day_min <= ?2 AND day_min >= ?1 - 40 AND day_max >= ?1",
                "SELECT uid, anchor, event_type, aggregate, day_min, day_max, dated, lat, lon,
                        place_precision, country, admin1, part_of
                 FROM incidents INDEXED BY incidents_waves_long
                 WHERE aggregate = 1 AND day_max - day_min > 40 AND day_max >= ?1 AND day_min <= ?2
                   AND day_min < ?1 - 40",
            ]
        } else {
            [
                "SELECT uid, anchor, event_type, aggregate, day_min, day_max, dated, lat, lon,
                        place_precision, country, admin1, part_of
                 FROM incidents INDEXED BY incidents_days
                 WHERE day_min <= ?2 AND day_min >= ?1 - 40 AND day_max >= ?1",
                "SELECT uid, anchor, event_type, aggregate, day_min, day_max, dated, lat, lon,
                        place_precision, country, admin1, part_of
                 FROM incidents INDEXED BY incidents_days_long
                 WHERE day_max - day_min > 40 AND day_max >= ?1 AND day_min <= ?2
                   AND day_min < ?1 - 40",
            ]
        };
        let mut rows = Vec::new();
        for sql in queries {
            let mut statement = self.conn.prepare_cached(sql)?;
            for row in statement.query_map(params![day_min, day_max], extent)? {
                rows.push(row?);
            }
        }
        Ok(rows)
    }

    /// Extents of incidents that are part of one of the given waves.
    pub fn parts_of(&self, waves: &[String]) -> Result<Vec<IncidentExtent>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT uid, anchor, event_type, aggregate, day_min, day_max, dated, lat, lon, place_precision,
                    country, admin1, part_of
             FROM incidents WHERE part_of = ?1",
        )?;
        let mut out = Vec::new();
        for w in waves {
            out.extend(
                statement
                    .query_map([w], extent)?
                    .collect::<rusqlite::Result<Vec<_>>>()?,
            );
        }
        Ok(out)
    }

    /// Calls `f(extent)` for every incident, in id order (for a rebuild's wave pass).
    pub fn for_each_incident_extent(&self, mut f: impl FnMut(IncidentExtent)) -> Result<()> {
        let mut statement = self.conn.prepare(
            "SELECT uid, anchor, event_type, aggregate, day_min, day_max, dated, lat, lon, place_precision,
                    country, admin1, part_of
             FROM incidents ORDER BY id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            f(extent(row)?);
        }
        Ok(())
    }

    /// An incident by uid or unique prefix (at least 4 characters).
    pub fn incident(&self, key: &str) -> Result<Option<Incident>> {
        let key = key.trim();
        if key.len() < 4 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let key = key.to_ascii_lowercase();
        let mut statement = self.conn.prepare_cached(
            "SELECT data, part_of FROM incidents WHERE uid >= ?1 AND uid < ?1 || 'g' LIMIT 10",
        )?;
        let rows: Vec<(String, Option<String>)> = statement
            .query_map([&key], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        match rows.len() {
            0 => Ok(None),
            1 => {
                let (data, part_of) = rows.into_iter().next().expect("one row");
                let mut incident: Incident = serde_json::from_str(&data)?;
                incident.part_of = part_of;
                Ok(Some(incident))
            }
            n => Err(Error::AmbiguousId { key, matches: n }),
        }
    }

    /// Reads incidents one at a time, ordered by first day (undated first) then id, and calls
    /// `f` with each, stopping at the first error. Memory stays constant whatever the number of
    /// incidents: rows are read from an index in order, never sorted in memory.
    pub fn for_each_incident<E: From<Error>>(
        &self,
        filter: &IncidentFilter,
        mut f: impl FnMut(Incident) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let (lat_range, lon_range) = match filter.near {
            Some((lat, lon, km)) => {
                let dlat = km / 110.0 + 0.01;
                let dlon = km / (111.32 * lat.to_radians().cos().abs().max(0.01)) + 0.01;
                (
                    Some((lat - dlat, lat + dlat)),
                    Some((lon - dlon, lon + dlon)),
                )
            }
            None => (None, None),
        };
        let actor = filter.actor.as_ref().map(|a| {
            let escaped = a
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        let sql = INCIDENT_QUERY;
        let mut statement = self.conn.prepare(sql).map_err(Error::from)?;
        let mut rows = statement
            .query(params![
                filter.since.map(|d| d.to_string()),
                filter.until.map(|d| d.to_string()),
                filter.country,
                lat_range.map(|r| r.0),
                lat_range.map(|r| r.1),
                lon_range.map(|r| r.0),
                lon_range.map(|r| r.1),
                filter.event_type,
                actor,
                filter.min_killed.map(|k| k.min(i64::MAX as u64) as i64),
                filter.exclude_historical,
            ])
            .map_err(Error::from)?;
        let mut emitted = 0u64;
        while let Some(row) = rows.next().map_err(Error::from)? {
            if filter.limit.is_some_and(|limit| emitted >= limit) {
                break;
            }
            if let Some((lat, lon, km)) = filter.near {
                let (Some(ilat), Some(ilon)) = (
                    row.get::<_, Option<f64>>(2).map_err(Error::from)?,
                    row.get::<_, Option<f64>>(3).map_err(Error::from)?,
                ) else {
                    continue;
                };
                if vigil_model::haversine_km(lat, lon, ilat, ilon) > km {
                    continue;
                }
            }
            let data: String = row.get(0).map_err(Error::from)?;
            let mut incident: Incident = serde_json::from_str(&data).map_err(Error::from)?;
            incident.part_of = row.get(1).map_err(Error::from)?;
            f(incident)?;
            emitted += 1;
        }
        Ok(())
    }

    /// Counts of mentions and incidents.
    pub fn link_stats(&self) -> Result<LinkStats> {
        let c = &self.conn;
        let one = |sql: &str| -> Result<u64> { Ok(c.query_row(sql, [], |row| row.get(0))?) };
        Ok(LinkStats {
            reports_extracted: one("SELECT count(*) FROM report_extractions")?,
            mentions: one("SELECT count(*) FROM mentions")?,
            unlinked_mentions: one("SELECT count(*) FROM mentions WHERE component IS NULL")?,
            incidents: one("SELECT count(*) FROM incidents")?,
            waves: one("SELECT count(*) FROM incidents WHERE aggregate = 1")?,
            parts: one("SELECT count(*) FROM incidents WHERE part_of IS NOT NULL")?,
            flagged: one("SELECT count(DISTINCT incident_id) FROM incident_flags")?,
        })
    }
}

/// The query of [`Store::for_each_incident`]: read in the order of the date index, so that no
/// sort ever holds the result in memory (`the_incident_query_streams` checks the plan).
/// Runs `select` (a query of (incident id, uid) pairs ending in `IN`) over `keys`, in
/// chunks of bound parameters, and adds the pairs to `out`.
fn incident_uids_into(
    tx: &rusqlite::Transaction<'_>,
    select: &str,
    keys: &[i64],
    out: &mut HashMap<i64, String>,
) -> Result<()> {
    for chunk in in_lists(keys) {
        let mut statement =
            tx.prepare_cached(&format!("{select} ({})", placeholders(chunk.len())))?;
        for row in statement.query_map(rusqlite::params_from_iter(&chunk), |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })? {
            let (id, uid) = row?;
            out.insert(id, uid);
        }
    }
    Ok(())
}

const INCIDENT_QUERY: &str =
    "SELECT i.data, i.part_of, i.lat, i.lon FROM incidents i INDEXED BY incidents_date
             WHERE (?1 IS NULL OR i.date_end >= ?1)
               AND (?2 IS NULL OR i.date_start <= ?2)
               AND (?3 IS NULL OR i.country = ?3 COLLATE NOCASE)
               AND (?4 IS NULL OR (i.lat BETWEEN ?4 AND ?5 AND i.lon BETWEEN ?6 AND ?7))
               AND (?8 IS NULL OR i.event_type = ?8 OR i.sub_event_type = ?8)
               AND (?9 IS NULL OR EXISTS (SELECT 1 FROM incident_actors a
                        WHERE a.incident_id = i.id AND a.name LIKE ?9 ESCAPE '\\'))
               AND (?10 IS NULL OR i.killed_best >= ?10)
               AND (?11 = 0 OR i.historical = 0)
             ORDER BY i.date_start, i.id";

fn stored_mention(row: &Row<'_>) -> rusqlite::Result<Result<StoredMention>> {
    let data: String = row.get(3)?;
    let published: Option<String> = row.get(7)?;
    let mention = match serde_json::from_str::<Mention>(&data) {
        Ok(m) => m,
        Err(e) => return Ok(Err(Error::Json(e))),
    };
    Ok(Ok(StoredMention {
        id: row.get(0)?,
        ordinal: row.get(1)?,
        extractor_version: row.get(2)?,
        report: IncidentReport {
            id: row.get(4)?,
            source: row.get(5)?,
            title: row.get(6)?,
            published: published.as_deref().and_then(parse_day),
            outlet: row.get(8)?,
        },
        outlet: row.get(8)?,
        incident: row.get(9)?,
        mention,
    }))
}

/// The day of an ISO date or date-time (`2025-03-08`, `2025-03-08T14:05:00Z`).
pub fn parse_day(text: &str) -> Option<jiff::civil::Date> {
    text.get(..10)?.parse().ok()
}

fn extent(row: &Row<'_>) -> rusqlite::Result<IncidentExtent> {
    let day_min: Option<i32> = row.get(4)?;
    let day_max: Option<i32> = row.get(5)?;
    Ok(IncidentExtent {
        uid: row.get(0)?,
        anchor: row.get(1)?,
        event_type: row.get(2)?,
        aggregate: row.get(3)?,
        days: day_min.zip(day_max),
        dated: row.get(6)?,
        lat: row.get(7)?,
        lon: row.get(8)?,
        place_precision: row.get(9)?,
        country: row.get(10)?,
        admin1: row.get(11)?,
        part_of: row.get(12)?,
    })
}

/// One report's part of [`Store::replace_mentions_many`], inside its transaction.
fn replace_mentions_in(tx: &rusqlite::Transaction<'_>, e: &NewExtraction<'_>) -> Result<Replaced> {
    let NewExtraction {
        report_id,
        extractor_version,
        extracted_at,
        mentions,
        diagnostics,
    } = *e;
    let mut replaced = Replaced::default();
    {
        let mut stale = tx.prepare_cached(
            "SELECT DISTINCT incident_id FROM mentions WHERE report_id = ?1 AND incident_id IS NOT NULL",
        )?;
        replaced.stale_incidents = stale
            .query_map([report_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The parts of a wave that goes are linked again too, so that linking decides their
        // wave afresh (without this, finding them would take a scan of every part).
        let mut parts = tx.prepare_cached(
            "SELECT p.id FROM incidents w
             JOIN incidents p INDEXED BY incidents_part_of ON p.part_of = w.uid
             WHERE w.id = ?1 AND w.aggregate = 1 AND p.part_of IS NOT NULL",
        )?;
        let mut of_parts = Vec::new();
        for i in &replaced.stale_incidents {
            for row in parts.query_map([i], |row| row.get::<_, i64>(0))? {
                of_parts.push(row?);
            }
        }
        replaced.stale_incidents.extend(of_parts);
        replaced.stale_incidents.sort_unstable();
        replaced.stale_incidents.dedup();
        tx.prepare_cached("DELETE FROM mentions WHERE report_id = ?1")?
            .execute([report_id])?;
        // The incidents those mentions were part of are gone; their other mentions wait to be
        // linked again (incremental linking treats them as new).
        {
            let mut unlink = tx.prepare_cached(
                "UPDATE mentions SET component = NULL, incident_id = NULL WHERE incident_id = ?1",
            )?;
            let mut drop_incident = tx.prepare_cached("DELETE FROM incidents WHERE id = ?1")?;
            for i in &replaced.stale_incidents {
                unlink.execute([i])?;
                drop_incident.execute([i])?;
            }
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO mentions (report_id, ordinal, extractor_version, event_type, sub_event_type,
                 date_start, date_end, place_name, country, lat, lon, historical, aggregate, data,
                 features, day_min, day_max, name_key, admin_key, coarse)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        )?;
        let mut boxes = tx.prepare_cached(
            "INSERT INTO mentions_box (id, day_min, day_max, lat_min, lat_max, lon_min, lon_max)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut claim = tx.prepare_cached(
            "INSERT INTO claims (mention_id, kind, low, high, qualifier, claimant, text, span_start, span_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (ordinal, new) in mentions.iter().enumerate() {
            let m = new.mention;
            let keys = new.keys;
            insert.execute(params![
                report_id,
                ordinal as i64,
                extractor_version,
                m.event_type.code(),
                m.sub_event_type.code(),
                m.date.start.map(|d| d.to_string()),
                m.date.end.map(|d| d.to_string()),
                m.place.as_ref().map(|p| p.name.as_str()),
                m.place.as_ref().and_then(|p| p.country.as_deref()),
                m.place.as_ref().map(|p| p.lat),
                m.place.as_ref().map(|p| p.lon),
                m.historical,
                m.aggregate,
                serde_json::to_string(m).map_err(json_err)?,
                new.features,
                keys.map(|k| k.day_min),
                keys.map(|k| k.day_max),
                keys.map(|k| k.name_key).filter(|&k| k != 0).map(i64::from),
                keys.map(|k| k.admin_key)
                    .filter(|&k| k != 0)
                    .map(|k| k as i64),
                keys.is_some_and(|k| k.coarse),
            ])?;
            let id = tx.last_insert_rowid();
            if let Some(k) = keys {
                boxes.execute(params![
                    id, k.day_min, k.day_max, k.lat_min, k.lat_max, k.lon_min, k.lon_max
                ])?;
            }
            for (kind, figure) in &m.figures {
                for c in &figure.claims {
                    claim.execute(params![
                        id,
                        kind.code(),
                        c.low.map(|v| v.min(i64::MAX as u64) as i64),
                        c.high.map(|v| v.min(i64::MAX as u64) as i64),
                        serde_json::to_value(c.qualifier)
                            .map_err(json_err)?
                            .as_str()
                            .unwrap_or("exact"),
                        c.claimant,
                        c.text,
                        c.span.start as i64,
                        c.span.end as i64,
                    ])?;
                }
            }
            replaced.inserted.push(id);
        }
        tx.prepare_cached(
            "INSERT INTO report_extractions (report_id, extractor_version, extracted_at, mentions, diagnostics)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (report_id) DO UPDATE SET extractor_version = excluded.extractor_version,
                 extracted_at = excluded.extracted_at, mentions = excluded.mentions,
                 diagnostics = excluded.diagnostics",
        )?
        .execute(params![
                report_id,
                extractor_version,
                extracted_at,
                mentions.len() as i64,
                serde_json::to_string(diagnostics).map_err(json_err)?
            ])?;
    }
    Ok(replaced)
}

fn insert_incidents(tx: &rusqlite::Transaction<'_>, incidents: &[NewIncident<'_>]) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO incidents (uid, anchor, component, event_type, sub_event_type, date_start, date_end,
             day_min, day_max, dated, place_name, place_precision, country, admin1, lat, lon, aggregate,
             historical, killed_best, part_of, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?;
    let mut actor = tx.prepare_cached(
        "INSERT OR IGNORE INTO incident_actors (incident_id, name, role) VALUES (?1, ?2, ?3)",
    )?;
    let mut flag = tx.prepare_cached(
        "INSERT INTO incident_flags (incident_id, code, detail) VALUES (?1, ?2, ?3)",
    )?;
    let mut member =
        tx.prepare_cached("UPDATE mentions SET component = ?2, incident_id = ?3 WHERE id = ?1")?;
    for new in incidents {
        let i = new.incident;
        let place = i.place.as_ref();
        let mut stored = i.clone();
        stored.part_of = None;
        insert.execute(params![
            i.id,
            new.anchor,
            new.anchor,
            i.event_type.code(),
            i.sub_event_type.code(),
            i.date.start.map(|d| d.to_string()),
            i.date.end.map(|d| d.to_string()),
            new.days.map(|d| d.0),
            new.days.map(|d| d.1),
            new.dated,
            place.map(|p| p.name.as_str()),
            place.map(|p| p.precision.code()),
            place.and_then(|p| p.country.as_deref()),
            place.and_then(|p| p.admin1.as_deref()),
            place.map(|p| p.lat),
            place.map(|p| p.lon),
            i.aggregate,
            i.historical,
            i.figures
                .get(&vigil_model::FigureKind::Killed)
                .and_then(|f| f.best)
                .map(|v| v.min(i64::MAX as u64) as i64),
            i.part_of,
            serde_json::to_string(&stored).map_err(json_err)?,
        ])?;
        let id = tx.last_insert_rowid();
        for a in &i.actors {
            let role = serde_json::to_value(a.role).map_err(json_err)?;
            actor.execute(params![id, a.name, role.as_str().unwrap_or("")])?;
            if a.mention != a.name {
                actor.execute(params![id, a.mention, role.as_str().unwrap_or("")])?;
            }
        }
        for f in &i.flags {
            flag.execute(params![id, f.code, f.detail])?;
        }
        for m in new.members {
            member.execute(params![m, new.anchor, id])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_incident_query_streams() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {INCIDENT_QUERY}"))
            .unwrap()
            .query_map(
                params![
                    "2025-01-01",
                    "2025-12-31",
                    "SY",
                    1.0,
                    2.0,
                    3.0,
                    4.0,
                    "battles",
                    "%x%",
                    10,
                    1
                ],
                |row| row.get::<_, String>(3),
            )
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("incidents_date"), "{plan}");
        assert!(
            !plan.contains("TEMP B-TREE"),
            "the query sorts in memory:\n{plan}"
        );
    }
}
