//! Reading reports: files, folders and standard input; plain text and Markdown with front
//! matter, HTML pages, JSON and JSON Lines, RSS and Atom feeds, WARC archives; in UTF-8, UTF-16
//! or a legacy encoding detected from the content.
//!
//! The crate's contract is that input can be anything. Every input ends as reports and/or
//! [`Failure`]s with a one-line reason, handed to a sink as soon as they are read; nothing panics,
//! nothing stops the batch, and nothing is read unbounded: a single report is held to
//! [`Config::max_report_bytes`], a container parsed whole (a JSON array, a feed) to
//! [`Config::max_document_bytes`], and streamed containers (JSON Lines, WARC) record by record.
//!
//! ```
//! use vigil_ingest::{Config, read_bytes};
//!
//! let text = b"---\ntitle: Shelling in Homs\npublished: 2017-02-08\n---\nThree civilians were killed.";
//! let mut reports = Vec::new();
//! read_bytes(text, "homs.md", None, &Config::default(), &mut |item| reports.push(item));
//! let report = reports.pop().unwrap().unwrap();
//! assert_eq!(report.title.as_deref(), Some("Shelling in Homs"));
//! assert_eq!(report.published.as_deref(), Some("2017-02-08"));
//! assert_eq!(report.body, "Three civilians were killed.");
//! assert_eq!(report.language.as_deref(), Some("en"));
//! ```

mod decode;
mod detect;
mod discover;
mod feed;
mod frontmatter;
mod html;
mod json;
mod meta;
mod report;
mod warc;

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use vigil_model::{IncomingReport, SourceFormat};

use crate::detect::{Kind, binary_kind, kind_from_content, kind_from_name};
pub use crate::discover::discover;
use crate::discover::io_reason;

/// Limits that keep hostile or accidental input from exhausting memory.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest single report accepted: a text or HTML file, a JSON line, a WARC record.
    pub max_report_bytes: u64,
    /// Largest container parsed whole (a JSON array, a feed). Streamed containers (JSON Lines,
    /// WARC) have no whole-file limit; each record is held to `max_report_bytes`.
    pub max_document_bytes: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_report_bytes: 20 * 1024 * 1024,
            max_document_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Why one input (a file, a line, a record) could not become a report. The batch goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file, with a locator for the record inside it (`dump.jsonl#line=12`).
    pub source: String,
    /// One line, lowercase, no trailing period.
    pub reason: String,
}

impl Failure {
    pub(crate) fn new(source: &str, reason: impl Into<String>) -> Failure {
        let reason: String = reason.into();
        // One line, whatever a parser's message looked like.
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        Failure {
            source: source.to_string(),
            reason,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

/// Something to read: a file found on disk or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// Where reports and failures go as they are read.
pub type Sink<'a> = &'a mut dyn FnMut(Result<IncomingReport, Failure>);

/// Reads one file, handing each report or failure to `sink` as soon as it is read.
pub fn read_file(path: &Path, config: &Config, sink: Sink<'_>) {
    let source = path.display().to_string();
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => return sink(Err(Failure::new(&source, io_reason(&error)))),
    };
    if !metadata.is_file() {
        return sink(Err(Failure::new(&source, "not a regular file")));
    }
    if metadata.len() == 0 {
        return sink(Err(Failure::new(&source, "empty file")));
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) => return sink(Err(Failure::new(&source, io_reason(&error)))),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let head = match reader.fill_buf() {
        Ok(head) => head.to_vec(),
        Err(error) => return sink(Err(Failure::new(&source, io_reason(&error)))),
    };
    let named = kind_from_name(&source);
    let sniffed = named.or_else(|| kind_from_content(&String::from_utf8_lossy(&head)));
    match sniffed {
        Some(Kind::WarcGzip) if head.starts_with(b"\x1f\x8b") => {
            return read_warc_gzip(reader, &source, config, sink);
        }
        Some(Kind::Warc) if head.starts_with(b"WARC/") => {
            return warc::read(&mut reader, &source, config, sink);
        }
        Some(Kind::JsonLines)
            if binary_kind(&head).is_none()
                && !head.starts_with(b"\xff\xfe")
                && !head.starts_with(b"\xfe\xff") =>
        {
            return json::read_lines(&mut reader, &source, config, sink);
        }
        _ => {}
    }
    let limit = match sniffed {
        Some(kind) if kind.is_single_report() => config.max_report_bytes,
        None => config.max_report_bytes,
        Some(_) => config.max_document_bytes,
    };
    if metadata.len() > limit {
        return sink(Err(Failure::new(
            &source,
            format!("too large: {} bytes, limit {limit} bytes", metadata.len()),
        )));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    if let Err(error) = reader.take(limit + 1).read_to_end(&mut bytes) {
        return sink(Err(Failure::new(&source, io_reason(&error))));
    }
    read_document(&bytes, &source, named, config, sink);
}

/// Reads reports from bytes already in memory (standard input). `source` names them in reports
/// and failures; `name_hint` is a file name whose extension tells the format when the content
/// does not.
pub fn read_bytes(
    bytes: &[u8],
    source: &str,
    name_hint: Option<&str>,
    config: &Config,
    sink: Sink<'_>,
) {
    let named = name_hint
        .and_then(kind_from_name)
        .or_else(|| kind_from_name(source));
    read_document(bytes, source, named, config, sink);
}

fn read_document(bytes: &[u8], source: &str, named: Option<Kind>, config: &Config, sink: Sink<'_>) {
    if bytes.is_empty() {
        return sink(Err(Failure::new(source, "empty file")));
    }
    if bytes.starts_with(b"\x1f\x8b") && named == Some(Kind::WarcGzip) {
        return read_warc_gzip(Cursor::new(bytes), source, config, sink);
    }
    if bytes.starts_with(b"WARC/") && matches!(named, None | Some(Kind::Warc)) {
        return warc::read(&mut Cursor::new(bytes), source, config, sink);
    }
    if let Some(binary) = binary_kind(bytes) {
        return sink(Err(Failure::new(source, format!("binary file ({binary})"))));
    }
    let declared = matches!(named, Some(Kind::Html) | None)
        .then(|| html::declared_charset(bytes))
        .flatten();
    let decoded = match decode::decode(bytes, declared.as_deref()) {
        Ok(decoded) => decoded,
        Err(reason) => return sink(Err(Failure::new(source, reason))),
    };
    let kind = match named {
        Some(Kind::Warc | Kind::WarcGzip) => {
            return sink(Err(Failure::new(source, "not a WARC archive")));
        }
        Some(kind) => kind,
        None => kind_from_content(&decoded.text).unwrap_or(Kind::Text),
    };
    if kind.is_single_report() && bytes.len() as u64 > config.max_report_bytes {
        let reason = format!(
            "too large: {} bytes, limit {} bytes",
            bytes.len(),
            config.max_report_bytes
        );
        return sink(Err(Failure::new(source, reason)));
    }
    let text = decoded.text;
    let single = |format: SourceFormat, meta, body: String| {
        report::build(
            source.to_string(),
            body,
            bytes.to_vec(),
            format,
            decoded.encoding,
            meta,
            config.max_report_bytes,
        )
        .map_err(|reason| Failure::new(source, reason))
    };
    match kind {
        Kind::Text | Kind::Markdown => {
            let format = if kind == Kind::Markdown {
                SourceFormat::Markdown
            } else {
                SourceFormat::Text
            };
            let (meta, body) = frontmatter::split(&text);
            sink(single(format, meta, body.to_string()));
        }
        Kind::Html => match html::extract(&text, None) {
            Ok((meta, body)) => sink(single(SourceFormat::Html, meta, body)),
            Err(reason) => sink(Err(Failure::new(source, reason))),
        },
        Kind::Json => json::read_document(&text, source, config, sink),
        Kind::JsonLines => {
            json::read_lines(&mut Cursor::new(text.as_bytes()), source, config, sink)
        }
        Kind::Feed => feed::read(without_xml_encoding(&text).as_bytes(), source, config, sink),
        Kind::Warc | Kind::WarcGzip => unreachable!("handled above"),
    }
}

fn read_warc_gzip<R: Read>(reader: R, source: &str, config: &Config, sink: Sink<'_>) {
    match libflate::gzip::MultiDecoder::new(reader) {
        Ok(decoder) => warc::read(
            &mut BufReader::with_capacity(64 * 1024, decoder),
            source,
            config,
            sink,
        ),
        Err(error) => sink(Err(Failure::new(
            source,
            format!("not a gzip file: {error}"),
        ))),
    }
}

/// The text is already decoded, so an XML declaration's `encoding` must not make the parser
/// decode it a second time.
fn without_xml_encoding(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("<?xml")
        && let Some(end) = rest.find("?>")
    {
        return format!("<?xml version=\"1.0\"?>{}", &rest[end + 2..]).into();
    }
    text.into()
}
