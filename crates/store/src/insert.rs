//! Storing reports (identity, versions, sightings) and logging ingest runs.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use vigil_model::IncomingReport;

use crate::{Error, Result, Store};

/// What happened to one report given to [`Store::insert_batch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Inserted {
    /// New text: stored as `version` of its address (1 when the address is new or absent).
    Stored {
        id: i64,
        uid: String,
        version: u32,
        previous_id: Option<i64>,
    },
    /// This text was already stored (earlier, or earlier in the same batch).
    Duplicate { id: i64, uid: String },
}

/// One `vigil ingest` run, as logged.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    pub started_at: String,
    pub finished_at: String,
    pub inputs: Vec<String>,
    pub stored: u64,
    pub duplicates: u64,
    pub new_versions: u64,
    pub failed: u64,
    /// (source, reason) of each failure.
    pub failures: Vec<(String, String)>,
}

/// The public id's usual length; longer only when two content hashes share their first 16 digits.
const UID_DIGITS: usize = 16;

impl Store {
    /// Stores a batch in one transaction and says, in input order, what happened to each report.
    pub fn insert_batch(
        &mut self,
        reports: &[IncomingReport],
        ingested_at: &str,
    ) -> Result<Vec<Inserted>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(reports.len());
        {
            let mut by_hash =
                tx.prepare_cached("SELECT id, uid, source FROM reports WHERE content_hash = ?1")?;
            let mut sighting = tx.prepare_cached(
                "INSERT OR IGNORE INTO report_sightings (report_id, source, url, seen_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut latest_version = tx.prepare_cached(
                "SELECT id, version FROM reports WHERE address = ?1 ORDER BY version DESC LIMIT 1",
            )?;
            // A uid is taken when any stored hash starts with it: a range on the hash index ('g' sorts
            // after every hex digit).
            let mut uid_taken = tx.prepare_cached(
                "SELECT 1 FROM reports WHERE content_hash >= ?1 AND content_hash < ?1 || 'g'",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO reports (uid, content_hash, source, address, url, title, outlet, published, language,
                     language_detected, format, encoding, body, original, original_prefix, extra, ingested_at, version, previous_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?;

            for report in reports {
                if report.content_hash.len() < UID_DIGITS
                    || !report.content_hash.bytes().all(|b| b.is_ascii_hexdigit())
                {
                    return Err(Error::Corrupt(format!(
                        "content hash {:?} is not hex",
                        report.content_hash
                    )));
                }
                let existing = by_hash
                    .query_row([&report.content_hash], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                        ))
                    })
                    .optional()?;
                if let Some((id, uid, source)) = existing {
                    if source != report.source {
                        sighting.execute(params![id, report.source, report.url, ingested_at])?;
                    }
                    outcomes.push(Inserted::Duplicate { id, uid });
                    continue;
                }

                let address = report.address();
                let (version, previous_id) = match address {
                    Some(address) => match latest_version
                        .query_row([address], |row| {
                            Ok((row.get::<_, i64>(0)?, row.get::<_, u32>(1)?))
                        })
                        .optional()?
                    {
                        Some((id, version)) => (version + 1, Some(id)),
                        None => (1, None),
                    },
                    None => (1, None),
                };

                let mut digits = UID_DIGITS;
                let uid = loop {
                    let candidate = &report.content_hash[..digits];
                    if digits == report.content_hash.len() || !uid_taken.exists([candidate])? {
                        break candidate.to_ascii_lowercase();
                    }
                    digits = (digits + 4).min(report.content_hash.len());
                };

                let (original, original_prefix) =
                    match report.original.strip_suffix(report.body.as_bytes()) {
                        Some(prefix) => (None, Some(prefix)),
                        None => (Some(report.original.as_slice()), None),
                    };
                insert.execute(params![
                    uid,
                    report.content_hash,
                    report.source,
                    address,
                    report.url,
                    report.title,
                    report.outlet,
                    report.published,
                    report.language,
                    report.language_detected,
                    report.format.name(),
                    report.encoding,
                    report.body,
                    original,
                    original_prefix,
                    serde_json::to_string(&report.extra)?,
                    ingested_at,
                    version,
                    previous_id,
                ])?;
                outcomes.push(Inserted::Stored {
                    id: tx.last_insert_rowid(),
                    uid,
                    version,
                    previous_id,
                });
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Logs one ingest run and its failures; returns the run's id.
    pub fn record_run(&mut self, run: &RunRecord) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO ingest_runs (started_at, finished_at, inputs, stored, duplicates, new_versions, failed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                run.started_at,
                run.finished_at,
                serde_json::to_string(&run.inputs)?,
                run.stored as i64,
                run.duplicates as i64,
                run.new_versions as i64,
                run.failed as i64,
            ],
        )?;
        let run_id = tx.last_insert_rowid();
        {
            let mut failure = tx.prepare_cached(
                "INSERT INTO ingest_failures (run_id, source, reason) VALUES (?1, ?2, ?3)",
            )?;
            for (source, reason) in &run.failures {
                failure.execute(params![run_id, source, reason])?;
            }
        }
        tx.commit()?;
        Ok(run_id)
    }
}
