//! The types every vigil stage shares: reports, spans, and the incident vocabulary (mentions,
//! places, dates, actors, figures and claims).
//!
//! `model` depends on no other vigil crate and does no I/O. A stage produces or consumes these
//! values; only the `cli` crate composes stages. Extraction, linking and exports all speak the
//! vocabulary of [`Mention`], [`Place`], [`DateRange`], [`Actor`], [`Figure`] and [`Claim`], whose
//! JSON form is the contract of DESIGN.md.
//!
//! ```
//! use vigil_model::{Span, SourceFormat};
//! let span = Span::new(3, 10);
//! assert_eq!(span.len(), 7);
//! assert_eq!(SourceFormat::from_name("warc"), Some(SourceFormat::Warc));
//! ```

mod incident;
mod reference;

pub use incident::*;
pub use reference::*;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A half-open range of byte offsets into a report's stored body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The spanned text, or `None` when the span does not fall on character boundaries of `text`.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }
}

/// The container format a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// Plain text, optionally with YAML front matter.
    Text,
    /// Markdown, optionally with YAML front matter (kept as written: markup is not stripped).
    Markdown,
    Html,
    /// A JSON array of report objects, or a single report object.
    Json,
    /// One JSON report object per line.
    JsonLines,
    Rss,
    Atom,
    /// A WARC archive record (plain or gzip-compressed file).
    Warc,
}

impl SourceFormat {
    pub const ALL: [SourceFormat; 8] = [
        SourceFormat::Text,
        SourceFormat::Markdown,
        SourceFormat::Html,
        SourceFormat::Json,
        SourceFormat::JsonLines,
        SourceFormat::Rss,
        SourceFormat::Atom,
        SourceFormat::Warc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Html => "html",
            SourceFormat::Json => "json",
            SourceFormat::JsonLines => "jsonl",
            SourceFormat::Rss => "rss",
            SourceFormat::Atom => "atom",
            SourceFormat::Warc => "warc",
        }
    }

    pub fn from_name(name: &str) -> Option<SourceFormat> {
        SourceFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A report as read from its source, before it is stored: what `ingest` produces and `store` keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomingReport {
    /// Where it came from: a file path, `-` for standard input, or an address; for a report inside
    /// a container, the container's path with a locator (`feed.xml#item=3`, `dump.jsonl#line=12`).
    pub source: String,
    /// The report's own address (canonical URL, WARC target URI), when known. Reports with the same
    /// address and different text are versions of one report.
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// Publication date or date-time as ISO 8601 (`2025-03-08` or `2025-03-08T14:05:00Z`).
    pub published: Option<String>,
    /// ISO 639-1 code.
    pub language: Option<String>,
    /// True when `language` was detected from the text rather than given by the source.
    pub language_detected: bool,
    /// The body text every span points into: decoded, with front matter and markup removed.
    pub body: String,
    /// SHA-256 of the normalised body (`vigil_text::content_hash`), in hex: the report's identity.
    /// Computed by `ingest`, where the work runs in parallel, and trusted by `store`.
    pub content_hash: String,
    /// The bytes the report was read from (the file, the JSON line, the feed item, the WARC
    /// record's payload), so nothing is lost if extraction improves later.
    pub original: Vec<u8>,
    pub format: SourceFormat,
    /// Name of the character encoding the original bytes were decoded from (`UTF-8`, `windows-1256`).
    pub encoding: String,
    /// Metadata the source gave beyond the fields above (unknown front matter keys, feed categories).
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A stored report: the incoming report plus what the store assigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Row number in the store.
    pub id: i64,
    /// Stable public identifier: the first 16 hex digits of the content hash.
    pub uid: String,
    /// When it was stored, RFC 3339 in UTC.
    pub ingested_at: String,
    /// 1 for the first text seen at an address, then 2, 3, ... for changed texts.
    pub version: u32,
    /// The report this one is a newer version of.
    pub previous_id: Option<i64>,
    #[serde(flatten)]
    pub incoming: IncomingReport,
}

impl IncomingReport {
    /// The address that makes two texts versions of one report: the report's URL when it has one,
    /// else the path of the file it alone fills. Reports inside containers without a URL (a JSON
    /// line, a feed item without a link) and standard input have none: their position says nothing
    /// lasting about which article they are.
    pub fn address(&self) -> Option<&str> {
        if let Some(url) = self.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            return Some(url);
        }
        let whole_file = self.source != "-" && !self.source.contains('#');
        whole_file.then_some(self.source.as_str())
    }
}
