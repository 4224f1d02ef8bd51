//! `vigil ingest`: read inputs in parallel, store them in batched transactions, summarise.
//!
//! Reading (decoding, parsing, hashing, language identification) runs on a pool of worker
//! threads; one writer thread owns the database and commits a batch per transaction. A crash at
//! any moment loses at most the batch in flight, and running the same command again stores it:
//! identity is the content hash, so nothing is doubled.

use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use vigil_ingest::{Config, Failure, Input};
use vigil_model::IncomingReport;
use vigil_store::{Inserted, RunRecord, Store};

use crate::output::{self, Table, or_dash};
use crate::{Global, now_utc, open_store};

/// Read reports from files, folders and standard input, and store them.
///
/// Formats: plain text and Markdown (with optional YAML front matter), HTML pages (main article
/// text and metadata), JSON Lines and JSON arrays of report objects, RSS and Atom feeds, WARC
/// archives (.warc, .warc.gz). Encodings: UTF-8, UTF-16 with BOM, and legacy single-byte
/// encodings detected from content. Ingesting the same text again changes nothing; a changed text
/// at the same address is stored as a new version. Each input that cannot be read is named with a
/// one-line reason and the rest goes on; the exit code is 1 when any input failed.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  vigil ingest examples/reports\n  vigil ingest ~/saved-articles feeds/*.xml crawl.warc.gz\n  curl -s https://example.org/feed.xml | vigil ingest --stdin-format rss -"
)]
pub struct IngestArgs {
    /// Files or folders to read (folders recursively); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Largest single report accepted (a file, a JSON line, a WARC record): 20MB, 500KB, 1048576.
    #[arg(long, default_value = "20MB", value_parser = parse_size, value_name = "SIZE")]
    max_report_size: u64,
    /// Reports stored per transaction.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    batch_size: u32,
    /// Threads reading inputs (default: one per core).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u32).range(1..=256))]
    jobs: Option<u32>,
    /// Format of standard input when it cannot be told from the content: text, markdown, html,
    /// json, jsonl, rss, atom, warc.
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "markdown", "html", "json", "jsonl", "rss", "atom", "warc"])]
    stdin_format: Option<String>,
    /// Only store the reports: do not extract incidents from them nor link them (a later
    /// `vigil ingest` or `vigil link` does).
    #[arg(long)]
    no_extract: bool,
}

/// What the workers send to the writer.
enum Event {
    Report(Box<IncomingReport>),
    Failed(Failure),
    InputDone,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    inputs: u64,
    stored: u64,
    new_versions: u64,
    duplicates: u64,
    failed: u64,
    seconds: f64,
    reports_per_second: f64,
    failures: Vec<FailureLine>,
}

#[derive(Debug, Serialize)]
struct FailureLine {
    source: String,
    reason: String,
}

/// One handled report, as shown in the table after the run and in --verbose output.
#[derive(Debug, Serialize)]
struct Handled {
    #[serde(flatten)]
    outcome: Inserted,
    source: String,
    title: Option<String>,
    published: Option<String>,
    language: Option<String>,
    format: &'static str,
}

/// How many handled reports the closing table shows; the rest are a `vigil reports list` away.
const TABLE_ROWS: usize = 25;

pub fn run(global: &Global, args: &IngestArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let started_at = now_utc();
    let mut store = open_store(global)?;
    let config = Config {
        max_report_bytes: args.max_report_size,
        ..Config::default()
    };

    let (inputs, discover_failures) = vigil_ingest::discover(&args.paths);
    let mut summary = Summary {
        inputs: inputs.len() as u64,
        ..Summary::default()
    };
    for failure in discover_failures {
        report_failure(global, &mut summary, failure);
    }

    let progress = progress_bar(global, inputs.len() as u64);
    let (sender, receiver) = sync_channel::<Event>(1024);
    let jobs = args.jobs.map(|j| j as usize).unwrap_or(0);
    let stdin_hint = args
        .stdin_format
        .as_ref()
        .map(|f| format!("stdin.{}", extension_for(f)));
    let reader = thread::spawn(move || read_all(inputs, config, jobs, stdin_hint, sender));

    let mut writer = BatchWriter {
        store: &mut store,
        batch: Vec::with_capacity(args.batch_size as usize),
        batch_size: args.batch_size as usize,
        ingested_at: now_utc(),
        shown: Vec::new(),
    };
    for event in receiver {
        match event {
            Event::Report(report) => {
                writer.batch.push(*report);
                if writer.batch.len() >= writer.batch_size {
                    writer.flush(global, &mut summary)?;
                    progress.set_message(format!("{} stored", summary.stored));
                }
            }
            Event::Failed(failure) => {
                progress.suspend(|| report_failure(global, &mut summary, failure))
            }
            Event::InputDone => progress.inc(1),
        }
    }
    writer.flush(global, &mut summary)?;
    let shown = std::mem::take(&mut writer.shown);
    progress.finish_and_clear();
    if reader.join().is_err() {
        anyhow::bail!("a reader thread panicked; the reports stored so far are kept");
    }

    summary.seconds = started.elapsed().as_secs_f64();
    let handled = summary.stored + summary.duplicates;
    summary.reports_per_second = handled as f64 / summary.seconds.max(1e-9);
    store
        .record_run(&RunRecord {
            started_at,
            finished_at: now_utc(),
            inputs: args.paths.iter().map(|p| p.display().to_string()).collect(),
            stored: summary.stored,
            duplicates: summary.duplicates,
            new_versions: summary.new_versions,
            failed: summary.failed,
            failures: summary
                .failures
                .iter()
                .map(|f| (f.source.clone(), f.reason.clone()))
                .collect(),
        })
        .context("cannot record the run")?;

    print_summary(global, &summary, &shown)?;
    if !args.no_extract {
        crate::link_cmd::after_ingest(global, &mut store, jobs)?;
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs on its own thread: reads every input on a worker pool and sends what it finds.
fn read_all(
    inputs: Vec<Input>,
    config: Config,
    jobs: usize,
    stdin_hint: Option<String>,
    sender: SyncSender<Event>,
) {
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool,
        Err(error) => {
            let _ = sender.send(Event::Failed(Failure {
                source: "vigil".into(),
                reason: format!("cannot start reader threads: {error}"),
            }));
            return;
        }
    };
    pool.install(|| {
        inputs.par_iter().for_each_with(sender, |sender, input| {
            // A send fails only when the writer has stopped (a database error): nothing to do then.
            let mut sink = |item: Result<IncomingReport, Failure>| {
                let _ = sender.send(match item {
                    Ok(report) => Event::Report(Box::new(report)),
                    Err(failure) => Event::Failed(failure),
                });
            };
            match input {
                Input::File(path) => vigil_ingest::read_file(path, &config, &mut sink),
                Input::Stdin => read_stdin(&config, stdin_hint.as_deref(), &mut sink),
            }
            let _ = sender.send(Event::InputDone);
        });
    });
}

fn read_stdin(
    config: &Config,
    hint: Option<&str>,
    sink: &mut dyn FnMut(Result<IncomingReport, Failure>),
) {
    let limit = config.max_document_bytes;
    let mut bytes = Vec::new();
    match io::stdin().lock().take(limit + 1).read_to_end(&mut bytes) {
        Err(error) => sink(Err(Failure {
            source: "-".into(),
            reason: format!("cannot read standard input: {error}"),
        })),
        Ok(_) if bytes.len() as u64 > limit => sink(Err(Failure {
            source: "-".into(),
            reason: format!("too large: standard input exceeds {limit} bytes"),
        })),
        Ok(_) => vigil_ingest::read_bytes(&bytes, "-", hint, config, sink),
    }
}

struct BatchWriter<'s> {
    store: &'s mut Store,
    batch: Vec<IncomingReport>,
    batch_size: usize,
    ingested_at: String,
    shown: Vec<Handled>,
}

impl BatchWriter<'_> {
    /// Stores the batch in one transaction. Should the batch fail as a whole, each report is
    /// tried alone so that one report the database refuses cannot take its neighbours with it.
    fn flush(&mut self, global: &Global, summary: &mut Summary) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        match self.store.insert_batch(&batch, &self.ingested_at) {
            Ok(outcomes) => {
                for (report, outcome) in batch.into_iter().zip(outcomes) {
                    self.count(global, summary, report, outcome)?;
                }
            }
            Err(batch_error) => {
                for report in batch {
                    match self
                        .store
                        .insert_batch(std::slice::from_ref(&report), &self.ingested_at)
                    {
                        Ok(mut outcomes) => {
                            let outcome = outcomes.pop().context("store returned no outcome")?;
                            self.count(global, summary, report, outcome)?;
                        }
                        Err(error) => {
                            // The database itself is failing (disk full, locked): stop, keep what is stored.
                            if self.store.report_count().is_err() {
                                return Err(batch_error).context("cannot store reports");
                            }
                            let failure = Failure {
                                source: report.source.clone(),
                                reason: format!("cannot store: {error}"),
                            };
                            report_failure(global, summary, failure);
                        }
                    }
                }
            }
        }
        self.batch = Vec::with_capacity(self.batch_size);
        Ok(())
    }

    fn count(
        &mut self,
        global: &Global,
        summary: &mut Summary,
        report: IncomingReport,
        outcome: Inserted,
    ) -> Result<()> {
        match &outcome {
            Inserted::Stored { version, .. } => {
                summary.stored += 1;
                if *version > 1 {
                    summary.new_versions += 1;
                }
            }
            Inserted::Duplicate { .. } => summary.duplicates += 1,
        }
        let handled = Handled {
            outcome,
            source: report.source,
            title: report.title,
            published: report.published,
            language: report.language,
            format: report.format.name(),
        };
        if global.verbose {
            if global.json {
                output::print_json(&handled)?;
            } else {
                let (status, uid) = status_of(&handled.outcome);
                println!("{status:<10} {uid}  {}", output::clean(&handled.source));
            }
        }
        if self.shown.len() < TABLE_ROWS {
            self.shown.push(handled);
        }
        Ok(())
    }
}

fn status_of(outcome: &Inserted) -> (String, &str) {
    match outcome {
        Inserted::Stored {
            version: 1, uid, ..
        } => ("stored".into(), uid),
        Inserted::Stored { version, uid, .. } => (format!("version {version}"), uid),
        Inserted::Duplicate { uid, .. } => ("duplicate".into(), uid),
    }
}

fn report_failure(global: &Global, summary: &mut Summary, failure: Failure) {
    summary.failed += 1;
    if !global.json {
        eprintln!("error: {}", output::clean(&failure.to_string()));
    }
    summary.failures.push(FailureLine {
        source: failure.source,
        reason: failure.reason,
    });
}

fn print_summary(global: &Global, summary: &Summary, shown: &[Handled]) -> Result<()> {
    if global.json {
        return output::print_json(summary);
    }
    if global.quiet {
        return Ok(());
    }
    if !global.verbose && !shown.is_empty() {
        let mut table = Table::new(&[
            ("status", 10),
            ("id", 16),
            ("published", 10),
            ("lang", 4),
            ("format", 8),
            ("title / source", 70),
        ]);
        for handled in shown {
            let (status, uid) = status_of(&handled.outcome);
            let label = handled
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| handled.source.clone());
            table.row(vec![
                status,
                uid.to_string(),
                or_dash(
                    handled
                        .published
                        .as_deref()
                        .map(|p| p.get(..10).unwrap_or(p)),
                ),
                or_dash(handled.language.as_deref()),
                handled.format.to_string(),
                label,
            ]);
        }
        table.print()?;
        let handled = summary.stored + summary.duplicates;
        if handled > shown.len() as u64 {
            println!(
                "… and {} more (vigil reports list)",
                handled - shown.len() as u64
            );
        }
        println!();
    }
    println!(
        "{} input{} read: {} stored ({} new version{}), {} duplicate{}, {} failed in {:.2} s ({:.0} reports/s)",
        summary.inputs,
        plural(summary.inputs),
        summary.stored,
        summary.new_versions,
        plural(summary.new_versions),
        summary.duplicates,
        plural(summary.duplicates),
        summary.failed,
        summary.seconds,
        summary.reports_per_second,
    );
    Ok(())
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn progress_bar(global: &Global, inputs: u64) -> ProgressBar {
    if global.quiet || global.json || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(inputs), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{bar:30}] {human_pos}/{human_len} inputs {per_sec} eta {eta}  {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn extension_for(format: &str) -> &str {
    match format {
        "text" => "txt",
        "markdown" => "md",
        other => other,
    }
}

/// Parses a size such as `20MB`, `500KB`, `1GiB` or `1048576` into bytes (K/M/G are powers of 1024,
/// the way file sizes are shown on most systems).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("not a size: {text:?} (try 20MB)"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("unknown size unit {unit:?} (use KB, MB or GB)")),
    };
    let bytes = number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("size too large: {text}"))?;
    if bytes == 0 {
        return Err("size must be above zero".into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20MB"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("500kb"), Ok(500 * 1024));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert!(parse_size("0").is_err());
        assert!(parse_size("20 furlongs").is_err());
        assert!(parse_size("MB").is_err());
        assert!(parse_size("99999999999999GB").is_err());
    }
}
