//! The embedded store of reports: SQLite with embedded migrations, versions and full-text search.
//!
//! What the store guarantees:
//!
//! - **Identity.** A report is its content hash (`IncomingReport::content_hash`). Storing the same
//!   text again, from the same or another source, changes nothing but a *sighting* record.
//! - **Versions.** New text at an address already stored (the same URL, or the same file) is stored
//!   as the next version, linked to the previous one: tolls in updated articles change, and both
//!   claims must be kept.
//! - **Crash safety.** Each [`Store::insert_batch`] is one transaction, and both identity rules are
//!   checked inside it and backed by UNIQUE constraints. Killing the process at any moment leaves
//!   the database consistent; running the same ingest again stores what was missing and nothing
//!   twice.
//! - **Search.** An FTS5 index over title and body is written by triggers in the same transaction
//!   as the report, so it never lags behind or drifts from the table.
//! - **Safety.** Every value reaches SQL as a bound parameter; user search text is quoted word by
//!   word unless the caller asks for raw FTS5 syntax.
//!
//! ```
//! use vigil_model::{IncomingReport, SourceFormat};
//! use vigil_store::{Inserted, SearchQuery, Store};
//!
//! let mut store = Store::open_in_memory()?;
//! let body = "At least 12 civilians were killed in Baniyas, the monitor said.".to_string();
//! let report = IncomingReport {
//!     source: "report.txt".into(), url: None, title: Some("Killings in Baniyas".into()),
//!     outlet: None, published: Some("2025-03-08".into()), language: Some("en".into()),
//!     language_detected: false, content_hash: format!("{:064x}", 42), original: body.clone().into_bytes(),
//!     body, format: SourceFormat::Text, encoding: "UTF-8".into(), extra: Default::default(),
//! };
//! let outcomes = store.insert_batch(&[report.clone(), report], "2025-03-09T10:00:00Z")?;
//! assert!(matches!(outcomes[0], Inserted::Stored { version: 1, .. }));
//! assert!(matches!(outcomes[1], Inserted::Duplicate { .. }));
//! let hits = store.search(&SearchQuery { text: "baniyas".into(), limit: 10, raw: false })?;
//! assert_eq!(hits.len(), 1);
//! # Ok::<(), vigil_store::Error>(())
//! ```

mod incidents;
mod insert;
mod query;
mod reference;

use std::path::Path;

use rusqlite::Connection;

pub use incidents::{
    IncidentExtent, IncidentFilter, LinkStats, MentionKeys, NewExtraction, NewIncident, NewMention,
    PendingReport, Replaced, SHORT_SPAN_DAYS, StoredMention, parse_day,
};
pub use insert::{Inserted, RunRecord};
pub use query::{ListQuery, ReportSummary, SearchHit, SearchQuery, Stats};
pub use reference::{ReferenceCounts, ReferenceFilter, ReferenceImport, ReferenceQuery};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("schema migration failed: {0}")]
    Migration(#[from] refinery::Error),
    #[error("id {key:?} matches {matches} reports; give more digits")]
    AmbiguousId { key: String, matches: usize },
    #[error("bad search query: {0}")]
    BadQuery(String),
    #[error("stored metadata is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A handle on one database. Not shared between threads: open one per thread (SQLite in WAL mode
/// lets readers work while one writer writes).
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens the database file, creating it if needed, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::setup(Connection::open(path)?)
    }

    /// A private database in memory, for tests and one-off work.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        // A report row holds its body and its original bytes (often 10 KB together): with larger
        // pages fewer of them spill into overflow chains. Takes effect only on a new database.
        conn.execute_batch("PRAGMA page_size = 16384")?;
        // journal_mode answers with a row, so it is read rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA busy_timeout = 5000;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;",
        )?;
        // refinery panics on a migration history it cannot parse (a hand-edited or damaged
        // database); that must be an error the user reads, not a crash.
        let migrated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            embedded::migrations::runner()
                .set_abort_divergent(true)
                .set_abort_missing(true)
                .run(&mut conn)
        }));
        match migrated {
            Ok(result) => {
                result?;
            }
            Err(_) => {
                return Err(Error::Corrupt(
                    "the schema migration history cannot be read".into(),
                ));
            }
        }
        Ok(Store { conn })
    }

    /// `PRAGMA integrity_check`, then foreign key and full-text index checks: `"ok"` when sound,
    /// otherwise what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        if integrity != "ok" {
            return Ok(integrity);
        }
        let broken_keys: i64 =
            self.conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                    row.get(0)
                })?;
        if broken_keys > 0 {
            return Ok(format!("{broken_keys} rows break foreign keys"));
        }
        if let Err(error) = self.conn.execute(
            "INSERT INTO reports_fts (reports_fts) VALUES ('integrity-check')",
            [],
        ) {
            return Ok(format!("full-text index: {error}"));
        }
        Ok("ok".to_string())
    }
}
