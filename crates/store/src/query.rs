//! Reading reports back: by id, lists, versions, full-text search and statistics.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use vigil_model::{IncomingReport, Report, SourceFormat};

use crate::{Error, Result, Store};

/// Filters and paging for [`Store::list`].
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// How many rows at most; 0 for all.
    pub limit: usize,
    pub offset: usize,
    pub language: Option<String>,
    pub outlet: Option<String>,
    pub format: Option<String>,
}

/// A full-text query for [`Store::search`].
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    pub limit: usize,
    /// Pass `text` to FTS5 as written instead of quoting each word.
    pub raw: bool,
}

/// A report without its body and original bytes: what lists show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSummary {
    pub id: i64,
    pub uid: String,
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub format: String,
    pub ingested_at: String,
    pub version: u32,
    pub previous_id: Option<i64>,
    pub body_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub report: ReportSummary,
    /// The best-matching passage of the body, matches in `[ ]`, cuts marked `…`.
    pub snippet: String,
    /// FTS5 bm25 rank: lower is better.
    pub rank: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub reports: u64,
    pub addresses_with_versions: u64,
    pub newer_versions: u64,
    pub sightings: u64,
    pub body_bytes: u64,
    pub original_bytes: u64,
    pub by_format: BTreeMap<String, u64>,
    pub by_language: BTreeMap<String, u64>,
    pub top_outlets: Vec<(String, u64)>,
    pub published_first: Option<String>,
    pub published_last: Option<String>,
    pub ingested_first: Option<String>,
    pub ingested_last: Option<String>,
    pub runs: u64,
    pub failures_last_run: u64,
    pub database_bytes: u64,
}

const SUMMARY_COLUMNS: &str =
    "r.id, r.uid, r.source, r.url, r.title, r.outlet, r.published, r.language, r.format,
     r.ingested_at, r.version, r.previous_id, length(CAST(r.body AS BLOB))";

fn summary(row: &Row<'_>) -> rusqlite::Result<ReportSummary> {
    Ok(ReportSummary {
        id: row.get(0)?,
        uid: row.get(1)?,
        source: row.get(2)?,
        url: row.get(3)?,
        title: row.get(4)?,
        outlet: row.get(5)?,
        published: row.get(6)?,
        language: row.get(7)?,
        format: row.get(8)?,
        ingested_at: row.get(9)?,
        version: row.get(10)?,
        previous_id: row.get(11)?,
        body_bytes: row.get(12)?,
    })
}

impl Store {
    /// A report by row number, public id, or a unique prefix of at least 4 digits of its id.
    pub fn report(&self, key: &str) -> Result<Option<Report>> {
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>()
            && let Some(report) = self.report_by_id(id)?
        {
            return Ok(Some(report));
        }
        if key.len() < 4 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let pattern = key.to_ascii_lowercase();
        let mut statement = self.conn.prepare_cached(
            "SELECT id FROM reports WHERE content_hash >= ?1 AND content_hash < ?1 || 'g' LIMIT 10",
        )?;
        let ids: Vec<i64> = statement
            .query_map([pattern], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [] => Ok(None),
            [id] => self.report_by_id(*id),
            _ => Err(Error::AmbiguousId {
                key: key.to_string(),
                matches: ids.len(),
            }),
        }
    }

    fn report_by_id(&self, id: i64) -> Result<Option<Report>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, uid, content_hash, ingested_at, version, previous_id, source, url, title, outlet,
                    published, language, language_detected, body, original, format, encoding, extra, original_prefix
             FROM reports WHERE id = ?1",
        )?;
        let row = statement
            .query_row([id], |row| {
                Ok((
                    Report {
                        id: row.get(0)?,
                        uid: row.get(1)?,
                        ingested_at: row.get(3)?,
                        version: row.get(4)?,
                        previous_id: row.get(5)?,
                        incoming: IncomingReport {
                            content_hash: row.get(2)?,
                            source: row.get(6)?,
                            url: row.get(7)?,
                            title: row.get(8)?,
                            outlet: row.get(9)?,
                            published: row.get(10)?,
                            language: row.get(11)?,
                            language_detected: row.get(12)?,
                            body: row.get(13)?,
                            original: match row.get::<_, Option<Vec<u8>>>(14)? {
                                Some(original) => original,
                                None => {
                                    let mut original: Vec<u8> = row.get(18)?;
                                    original.extend_from_slice(row.get_ref(13)?.as_bytes()?);
                                    original
                                }
                            },
                            format: SourceFormat::Text,
                            encoding: row.get(16)?,
                            extra: BTreeMap::new(),
                        },
                    },
                    row.get::<_, String>(15)?,
                    row.get::<_, String>(17)?,
                ))
            })
            .optional()?;
        let Some((mut report, format, extra)) = row else {
            return Ok(None);
        };
        report.incoming.format = SourceFormat::from_name(&format)
            .ok_or_else(|| Error::Corrupt(format!("unknown format {format:?}")))?;
        report.incoming.extra = serde_json::from_str(&extra)?;
        Ok(Some(report))
    }

    /// Every version at the report's address, oldest first; just the report when it has no address.
    pub fn versions(&self, id: i64) -> Result<Vec<ReportSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM reports r
             WHERE r.id = ?1
                OR r.address = (SELECT address FROM reports WHERE id = ?1)
             ORDER BY r.version, r.id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement
            .query_map([id], summary)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Reports in the order they were stored, filtered and paged.
    pub fn list(&self, query: &ListQuery) -> Result<Vec<ReportSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM reports r
             WHERE (?1 IS NULL OR r.language = ?1)
               AND (?2 IS NULL OR r.outlet = ?2 COLLATE NOCASE)
               AND (?3 IS NULL OR r.format = ?3)
             ORDER BY r.id
             LIMIT ?4 OFFSET ?5"
        );
        let limit = if query.limit == 0 {
            -1
        } else {
            query.limit as i64
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement
            .query_map(
                params![
                    query.language,
                    query.outlet,
                    query.format,
                    limit,
                    query.offset as i64
                ],
                summary,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Full-text search over titles and bodies, best matches first.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let fts_query = if query.raw {
            query.text.trim().to_string()
        } else {
            quote_words(&query.text)
        };
        if fts_query.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, snippet(reports_fts, 1, '[', ']', '…', 16), reports_fts.rank
             FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid
             WHERE reports_fts MATCH ?1
             ORDER BY reports_fts.rank
             LIMIT ?2"
        );
        let limit = if query.limit == 0 {
            -1
        } else {
            query.limit as i64
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows: rusqlite::Result<Vec<SearchHit>> = statement
            .query_map(params![fts_query, limit], |row| {
                Ok(SearchHit {
                    report: summary(row)?,
                    snippet: row.get(13)?,
                    rank: row.get(14)?,
                })
            })
            .and_then(|rows| rows.collect());
        match rows {
            Ok(hits) => Ok(hits),
            Err(error) if query.raw && is_query_error(&error) => {
                Err(Error::BadQuery(error.to_string()))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Counts of what the database holds.
    pub fn stats(&self) -> Result<Stats> {
        let c = &self.conn;
        let (reports, body_bytes, original_bytes): (u64, u64, u64) = c.query_row(
            "SELECT count(*), coalesce(sum(length(CAST(body AS BLOB))), 0), coalesce(sum(coalesce(length(original), length(original_prefix) + length(CAST(body AS BLOB)))), 0) FROM reports",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let (addresses_with_versions, newer_versions): (u64, u64) = c.query_row(
            "SELECT count(DISTINCT address), count(*) FROM reports WHERE version > 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let sightings: u64 = c.query_row("SELECT count(*) FROM report_sightings", [], |row| {
            row.get(0)
        })?;
        let counts = |sql: &str| -> Result<Vec<(String, u64)>> {
            let mut statement = c.prepare(sql)?;
            let rows = statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        };
        let by_format = counts("SELECT format, count(*) FROM reports GROUP BY format")?
            .into_iter()
            .collect();
        let by_language =
            counts("SELECT coalesce(language, 'unknown'), count(*) FROM reports GROUP BY 1")?
                .into_iter()
                .collect();
        let top_outlets = counts(
            "SELECT outlet, count(*) AS n FROM reports WHERE outlet IS NOT NULL AND outlet <> ''
             GROUP BY outlet ORDER BY n DESC, outlet LIMIT 10",
        )?;
        let (published_first, published_last, ingested_first, ingested_last) = c.query_row(
            "SELECT min(published), max(published), min(ingested_at), max(ingested_at) FROM reports",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )?;
        let runs: u64 = c.query_row("SELECT count(*) FROM ingest_runs", [], |row| row.get(0))?;
        let failures_last_run: u64 = c.query_row(
            "SELECT coalesce((SELECT failed FROM ingest_runs ORDER BY id DESC LIMIT 1), 0)",
            [],
            |row| row.get(0),
        )?;
        let database_bytes: u64 = c.query_row(
            "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
            [],
            |row| row.get(0),
        )?;
        Ok(Stats {
            reports,
            addresses_with_versions,
            newer_versions,
            sightings,
            body_bytes,
            original_bytes,
            by_format,
            by_language,
            top_outlets,
            published_first,
            published_last,
            ingested_first,
            ingested_last,
            runs,
            failures_last_run,
            database_bytes,
        })
    }

    /// How many reports are stored.
    pub fn report_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM reports", [], |row| row.get(0))?)
    }
}

/// Turns user words into an FTS5 query that cannot be a syntax error: every word quoted (inner
/// quotes doubled), all required; a trailing `*` keeps prefix search. Words with no letter or
/// digit are dropped: the tokenizer would drop them anyway.
fn quote_words(text: &str) -> String {
    text.split_whitespace()
        .filter_map(|word| {
            let (stem, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            if !stem.chars().any(char::is_alphanumeric) {
                return None;
            }
            let quoted = format!("\"{}\"", stem.replace('"', "\"\""));
            Some(if prefix { quoted + "*" } else { quoted })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_query_error(error: &rusqlite::Error) -> bool {
    let text = error.to_string();
    text.contains("fts5") || text.contains("syntax error") || text.contains("no such column")
}

#[cfg(test)]
mod tests {
    use super::quote_words;

    #[test]
    fn user_words_are_quoted() {
        assert_eq!(quote_words("Baniyas killed"), r#""Baniyas" "killed""#);
        assert_eq!(quote_words("Bani*"), r#""Bani"*"#);
        assert_eq!(
            quote_words(r#"say "NEAR( AND -- *"#),
            r#""say" """NEAR(" "AND""#
        );
        assert_eq!(quote_words("  -- ** "), "");
    }
}
