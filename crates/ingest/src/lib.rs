//! Reading reports: files, directories, standard input; text, Markdown, HTML, JSON, feeds, WARC.
//! (Being written: see ARCHITECTURE.md for the contract.)

use std::fmt;
use std::path::{Path, PathBuf};

use vigil_model::IncomingReport;

/// Limits that keep hostile or accidental input from exhausting memory.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest body or single report (a text file, a JSON line, a WARC record) accepted.
    pub max_report_bytes: u64,
    /// Largest container parsed whole (a JSON array, a feed). Streamed containers (JSON Lines,
    /// WARC) have no whole-file limit; each record is held to `max_report_bytes`.
    pub max_document_bytes: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config { max_report_bytes: 20 * 1024 * 1024, max_document_bytes: 512 * 1024 * 1024 }
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

/// Expands the paths a user gave into the inputs to read: files as they are, directories
/// recursively (sorted, following symlinks, each loop reported once), `-` as standard input.
/// Paths that do not exist or cannot be listed come back as failures.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Failure>) {
    let _ = paths;
    todo!()
}

/// Reads one file and hands each report or failure to `sink` as soon as it is read, so that
/// containers of any size stream.
pub fn read_file(path: &Path, config: &Config, sink: &mut dyn FnMut(Result<IncomingReport, Failure>)) {
    let _ = (path, config, sink);
    todo!()
}

/// Reads reports from bytes already in memory (standard input). `source` names them in reports
/// and failures; `name_hint` is a file name whose extension helps detect the format.
pub fn read_bytes(
    bytes: &[u8],
    source: &str,
    name_hint: Option<&str>,
    config: &Config,
    sink: &mut dyn FnMut(Result<IncomingReport, Failure>),
) {
    let _ = (bytes, source, name_hint, config, sink);
    todo!()
}
