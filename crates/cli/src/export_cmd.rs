//! `vigil export` (incidents to ACLED / UCDP CSV, GeoJSON, Parquet, JSON Lines, claims CSV),
//! `vigil import acled|ucdp FILE` (reference events into the store) and `vigil compare --with
//! acled|ucdp` (which incidents have a counterpart there, which do not, and the toll differences).

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;
use vigil_export::compare::{self, CompareConfig};
use vigil_export::{Config, Format, Summary, Unlocated, Writer};
use vigil_model::{Incident, ReferenceDataset, ReferenceEvent};
use vigil_store::{ReferenceCounts, ReferenceFilter, ReferenceImport, ReferenceQuery, Store};

use crate::incidents_cmd::ListArgs;
use crate::output::{self, Table, or_dash};
use crate::{Global, now_utc, open_store};

/// Write incidents in a format other tools read.
#[derive(Args, Debug)]
#[command(after_help = "Formats:
  acled-csv   ACLED's public export columns, names and codes, one row per incident
  ucdp-csv    UCDP GED's 49 columns and precision codes, one row per incident
  geojson     an RFC 7946 FeatureCollection with flat properties (QGIS)
  parquet     typed columns, nested claims (pyarrow, pandas, DuckDB, R arrow)
  jsonl       every incident whole, one per line: the lossless form
  claims-csv  one row per figure claim: who claims what, in which report and words

Examples:
  vigil export --format acled-csv --out incidents.csv
  vigil export --format parquet --out incidents.parquet --since 2025-03-01 --country SY
  vigil export --format geojson --skip-unlocated > incidents.geojson

CSV text cells that a spreadsheet would run as a formula (starting with = + - @) get a leading
apostrophe; docs/EXPORTS.md describes every column.")]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, short, value_name = "FORMAT",
          value_parser = clap::builder::PossibleValuesParser::new(Format::names()))]
    format: String,
    /// Write to this file instead of standard output (written beside it, then renamed into place
    /// when complete).
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    filter: ListArgs,
    /// CSV: start with a UTF-8 byte order mark, which Excel needs to read Arabic and other
    /// non-Latin text correctly.
    #[arg(long)]
    bom: bool,
    /// CSV: write text cells exactly as they are, without the apostrophe that stops spreadsheets
    /// running cells that start with = + - @ as formulas.
    #[arg(long)]
    no_formula_guard: bool,
    /// GeoJSON: leave out incidents without coordinates (by default they are written with a null
    /// geometry).
    #[arg(long)]
    skip_unlocated: bool,
    /// Parquet: rows per row group (memory grows with it).
    #[arg(long, value_name = "N", default_value_t = 65_536,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    row_group: u64,
}

#[derive(Serialize)]
struct ExportReport<'a> {
    format: &'a str,
    out: Option<String>,
    incidents: u64,
    rows: u64,
    skipped: u64,
}

pub fn export(global: &Global, args: &ExportArgs) -> Result<ExitCode> {
    let format = Format::from_name(&args.format)?;
    if !format.is_available() {
        bail!("this vigil was built without {format} support (cargo feature `parquet`)");
    }
    let config = Config {
        formula_guard: !args.no_formula_guard,
        byte_order_mark: args.bom,
        timestamp: Some(jiff::Timestamp::now().as_second()),
        unlocated: if args.skip_unlocated {
            Unlocated::Skip
        } else {
            Unlocated::NullGeometry
        },
        row_group_rows: usize::try_from(args.row_group).unwrap_or(65_536),
        ..Config::default()
    };
    let store = open_store(global)?;
    let filter = args.filter.filter();
    let summary = match &args.out {
        Some(path) => write_file(path, |file| {
            export_to(store, &filter, format, file, &config)
        })?,
        None => {
            let stdout = io::stdout();
            if format.is_binary() && stdout.is_terminal() {
                bail!("{format} is a binary format: give --out FILE or redirect standard output");
            }
            export_to(store, &filter, format, stdout, &config)?
        }
    };
    let report = ExportReport {
        format: format.name(),
        out: args.out.as_ref().map(|p| p.display().to_string()),
        incidents: summary.incidents,
        rows: summary.rows,
        skipped: summary.skipped,
    };
    if global.json && args.out.is_some() {
        output::print_json(&report)?;
    } else if !global.quiet {
        let to = report.out.as_deref().unwrap_or("standard output");
        let skipped = if summary.skipped > 0 {
            format!(", {} without coordinates left out", summary.skipped)
        } else {
            String::new()
        };
        eprintln!(
            "exported {} incidents ({} rows) as {format} to {to}{skipped}",
            summary.incidents, summary.rows
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Incidents per message from the reading thread to the writing thread.
const PIPE_BATCH: usize = 256;
/// Messages in flight at most: with [`PIPE_BATCH`], at most 2,048 incidents wait in memory.
const PIPE_DEPTH: usize = 8;

/// Reads the incidents on one thread (SQLite and JSON decoding) and writes them on this one, so
/// that the two halves of the work use two cores; a bounded channel keeps memory constant.
fn export_to<W: Write + Send>(
    store: Store,
    filter: &vigil_store::IncidentFilter,
    format: Format,
    out: W,
    config: &Config,
) -> Result<Summary> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Incident>>(PIPE_DEPTH);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<()> {
            let mut batch = Vec::with_capacity(PIPE_BATCH);
            store.for_each_incident(filter, |incident| -> Result<()> {
                batch.push(incident);
                if batch.len() == PIPE_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(PIPE_BATCH));
                    // The writer hung up because it failed: stop; its error is the one reported.
                    sender
                        .send(full)
                        .map_err(|_| anyhow::anyhow!("the writer stopped"))?;
                }
                Ok(())
            })?;
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
            Ok(())
        });
        let written = (|| -> Result<Summary> {
            let mut writer =
                Writer::new(format, BufWriter::with_capacity(256 * 1024, out), config)?;
            for batch in receiver.iter() {
                for incident in &batch {
                    writer.write(incident)?;
                }
            }
            let (summary, mut out) = writer.finish()?;
            out.flush()?;
            Ok(summary)
        })();
        // Dropping the receiver unblocks a reader still sending after a failed write.
        drop(receiver);
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the thread reading incidents panicked"))?;
        let summary = written?;
        read?;
        Ok(summary)
    })
}

/// Writes through `f` into a temporary file beside `path`, renamed to `path` only when `f`
/// succeeds: an interrupted export never leaves a truncated file under the name asked for.
fn write_file<T>(path: &Path, f: impl FnOnce(File) -> Result<T>) -> Result<T> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let file =
        File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
    match f(file) {
        Ok(value) => match std::fs::rename(&partial, path) {
            Ok(()) => Ok(value),
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                Err(anyhow::Error::new(error)
                    .context(format!("cannot move the export to {}", path.display())))
            }
        },
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            Err(error)
        }
    }
}

/// The reference datasets on the command line.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetArg {
    /// An ACLED export CSV (acleddata.com).
    Acled,
    /// A UCDP Georeferenced Event Dataset CSV (ucdp.uu.se).
    Ucdp,
}

impl DatasetArg {
    fn dataset(self) -> ReferenceDataset {
        match self {
            DatasetArg::Acled => ReferenceDataset::Acled,
            DatasetArg::Ucdp => ReferenceDataset::Ucdp,
        }
    }
}

/// Load reference events (an ACLED or UCDP GED CSV) for `vigil compare`.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  vigil import acled 2025-03-syria.csv
  vigil import ucdp GEDEvent_v24_1.csv

Rows are read one at a time. A row that cannot be read is reported with its line number and
skipped; the rest of the file goes on. Importing a file again updates the events that changed
(same event id) and adds nothing twice.")]
pub struct ImportArgs {
    /// Which dataset the file comes from.
    dataset: DatasetArg,
    /// The CSV file (`-` for standard input).
    file: PathBuf,
}

#[derive(Serialize)]
struct ImportReport {
    dataset: &'static str,
    file: String,
    rows: u64,
    #[serde(flatten)]
    counts: ReferenceCounts,
    failed: u64,
    failures: Vec<Failure>,
}

#[derive(Serialize)]
struct Failure {
    line: u64,
    reason: String,
}

/// Rows stored per transaction.
const IMPORT_BATCH: usize = 5_000;
/// Bad rows listed in the report (all are counted).
const MAX_FAILURES_LISTED: usize = 1_000;

pub fn import(global: &Global, args: &ImportArgs) -> Result<ExitCode> {
    let dataset = args.dataset.dataset();
    let input: Box<dyn Read> = if args.file.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(
            File::open(&args.file)
                .with_context(|| format!("cannot open {}", args.file.display()))?,
        )
    };
    let mut store = open_store(global)?;
    let started_at = now_utc();
    let rows = vigil_export::reference::read_rows(dataset, io::BufReader::new(input))
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    let mut report = ImportReport {
        dataset: dataset.code(),
        file: args.file.display().to_string(),
        rows: 0,
        counts: ReferenceCounts::default(),
        failed: 0,
        failures: Vec::new(),
    };
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    for row in rows {
        report.rows += 1;
        match row {
            Ok(event) => {
                batch.push(event);
                if batch.len() >= IMPORT_BATCH {
                    report.counts += store.upsert_reference_events(&batch, &started_at)?;
                    batch.clear();
                }
            }
            Err(bad) => {
                report.failed += 1;
                if !global.quiet && !global.json {
                    eprintln!(
                        "{}: line {}: {}",
                        args.file.display(),
                        bad.line,
                        output::clean(&bad.reason)
                    );
                }
                if report.failures.len() < MAX_FAILURES_LISTED {
                    report.failures.push(Failure {
                        line: bad.line,
                        reason: bad.reason,
                    });
                }
            }
        }
    }
    report.counts += store.upsert_reference_events(&batch, &started_at)?;
    store.log_reference_import(&ReferenceImport {
        dataset,
        source: report.file.clone(),
        started_at,
        finished_at: now_utc(),
        counts: report.counts,
        failed: report.failed,
    })?;
    if global.json {
        output::print_json(&report)?;
    } else if !global.quiet {
        println!(
            "{}: {} rows: {} new, {} updated, {} unchanged, {} skipped (bad rows)",
            report.file,
            report.rows,
            report.counts.inserted,
            report.counts.updated,
            report.counts.unchanged,
            report.failed
        );
    }
    Ok(if report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Compare incidents with imported ACLED or UCDP events.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  vigil compare --with acled --since 2025-03-01 --country SY
  vigil compare --with ucdp --days 2 --km 50 --json

A reference event is a candidate counterpart of an incident when their dates are at most --days
apart and their points at most --km apart (more for places known only as a district or
province); the best candidate scores highest on place, date, event type and toll agreement
(docs/EXPORTS.md gives the formula). Reference events are listed as unmatched within the dates
and places the filters select (without --since/--until: the days the compared incidents span).
With --json the output is JSON Lines: one object per match, unmatched incident and unmatched
reference event, then a summary.")]
pub struct CompareArgs {
    /// The reference dataset to compare with (imported with `vigil import`).
    #[arg(long = "with", value_name = "DATASET")]
    with: DatasetArg,
    /// Days apart at most.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i64).range(0..=366))]
    days: i64,
    /// Kilometres apart at most (between two precisely placed events).
    #[arg(long, default_value_t = 25.0)]
    km: f64,
    /// Rows shown per table (all with --json).
    #[arg(long, default_value_t = 50)]
    rows: usize,
    #[command(flatten)]
    filter: ListArgs,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum CompareLine {
    Match(MatchRow),
    UnmatchedIncident(IncidentSide),
    UnmatchedReference(ReferenceSide),
    Summary(CompareSummary),
}

#[derive(Serialize, Clone)]
struct IncidentSide {
    id: String,
    date: String,
    event_type: &'static str,
    place: Option<String>,
    country: Option<String>,
    killed: Option<u64>,
    /// Why an incident could not be compared (no coordinates, no date).
    #[serde(skip_serializing_if = "Option::is_none")]
    not_comparable: Option<&'static str>,
}

#[derive(Serialize, Clone)]
struct ReferenceSide {
    dataset: &'static str,
    event_id: String,
    date: String,
    event_type: Option<String>,
    location: Option<String>,
    country: Option<String>,
    fatalities: Option<u64>,
}

#[derive(Serialize, Clone)]
struct MatchRow {
    incident: IncidentSide,
    reference: ReferenceSide,
    score: f64,
    km: f64,
    days_apart: i64,
    /// Reference fatalities minus vigil's killed (best): positive when the reference counts more.
    fatalities_difference: Option<i64>,
    /// Further candidates within the window (ACLED splits multi-day events by day).
    other_candidates: usize,
}

#[derive(Serialize, Default)]
struct CompareSummary {
    dataset: &'static str,
    days: i64,
    km: f64,
    incidents: u64,
    matched: u64,
    unmatched: u64,
    not_comparable: u64,
    reference_events_in_window: u64,
    reference_matched: u64,
    reference_unmatched: u64,
    /// Over matched pairs: vigil's killed and the reference's fatalities, summed.
    vigil_killed_matched: u64,
    reference_fatalities_matched: u64,
    /// Over matched pairs where both tolls are known: mean of |difference|.
    mean_absolute_difference: Option<f64>,
}

fn incident_side(incident: &Incident, not_comparable: Option<&'static str>) -> IncidentSide {
    IncidentSide {
        id: incident.id.clone(),
        date: compare::range_text(&incident.date),
        event_type: incident.event_type.code(),
        place: incident.place.as_ref().map(|p| p.name.clone()),
        country: incident.place.as_ref().and_then(|p| p.country.clone()),
        killed: compare::vigil_killed(incident),
        not_comparable,
    }
}

fn reference_side(event: &ReferenceEvent) -> ReferenceSide {
    ReferenceSide {
        dataset: event.dataset.code(),
        event_id: event.event_id.clone(),
        date: compare::range_text(&event.date),
        event_type: event
            .sub_event_type
            .clone()
            .or_else(|| event.event_type.clone()),
        location: event.location.clone(),
        country: event.country_code.clone().or_else(|| event.country.clone()),
        fatalities: event.fatalities_best,
    }
}

/// Rows kept for the text tables (the rest are counted).
struct Section<T> {
    rows: Vec<T>,
    more: u64,
}

impl<T> Section<T> {
    fn new() -> Self {
        Section {
            rows: Vec::new(),
            more: 0,
        }
    }
    fn push(&mut self, row: T, cap: usize) {
        if self.rows.len() < cap {
            self.rows.push(row);
        } else {
            self.more += 1;
        }
    }
}

pub fn compare(global: &Global, args: &CompareArgs) -> Result<ExitCode> {
    let dataset = args.with.dataset();
    if !(args.km >= 0.0 && args.km <= 20_000.0) {
        bail!("--km must be between 0 and 20000");
    }
    let store = open_store(global)?;
    let held = store
        .reference_counts()?
        .get(&dataset)
        .copied()
        .unwrap_or(0);
    if held == 0 {
        bail!(
            "no {} events in {}: import a file first (vigil import {} FILE.csv)",
            dataset.code(),
            global.db.display(),
            dataset.code()
        );
    }
    let config = CompareConfig {
        days: args.days,
        km: args.km,
    };
    let filter = args.filter.filter();
    let max_span = store.reference_max_span_days(dataset)?;
    let mut summary = CompareSummary {
        dataset: dataset.code(),
        days: args.days,
        km: args.km,
        ..CompareSummary::default()
    };
    let mut matched_refs: HashSet<String> = HashSet::new();
    let mut span: Option<(jiff::civil::Date, jiff::civil::Date)> = None;
    let (mut matches, mut unmatched, mut unmatched_refs) =
        (Section::new(), Section::new(), Section::new());
    let cap = if global.json { 0 } else { args.rows };
    let mut abs_diff_sum = 0.0;
    let mut abs_diff_n = 0u64;
    let mut out = io::stdout().lock();

    store.for_each_incident(&filter, |incident| -> Result<()> {
        summary.incidents += 1;
        if let Some((start, end)) = incident.date.bounds() {
            span = Some(match span {
                None => (start, end),
                Some((a, b)) => (a.min(start), b.max(end)),
            });
        }
        let reason = if incident.date.bounds().is_none() {
            Some("no date")
        } else if !compare::comparable_incident(&incident) {
            Some("no coordinates")
        } else {
            None
        };
        let window = compare::search_window(&incident, &config);
        let (Some(window), None) = (window, reason) else {
            summary.not_comparable += 1;
            let side = incident_side(&incident, reason);
            if global.json {
                json_line(&mut out, &CompareLine::UnmatchedIncident(side))?;
            } else {
                unmatched.push(side, cap);
            }
            return Ok(());
        };
        let candidates = store.reference_candidates(
            &ReferenceQuery {
                dataset,
                from: window.from,
                to: window.to,
                min_lat: window.min_lat,
                max_lat: window.max_lat,
                min_lon: window.min_lon,
                max_lon: window.max_lon,
            },
            max_span,
        )?;
        let scored: Vec<&ReferenceEvent> = candidates
            .iter()
            .filter(|e| compare::score(&incident, e, &config).is_some())
            .collect();
        for e in &scored {
            matched_refs.insert(e.event_id.clone());
        }
        match compare::best_match(&incident, &candidates, &config) {
            Some((event, m)) => {
                summary.matched += 1;
                let ours = compare::vigil_killed(&incident);
                let difference = match (ours, event.fatalities_best) {
                    (Some(a), Some(b)) => {
                        let d = i64::try_from(b).unwrap_or(i64::MAX)
                            - i64::try_from(a).unwrap_or(i64::MAX);
                        abs_diff_sum += d.unsigned_abs() as f64;
                        abs_diff_n += 1;
                        Some(d)
                    }
                    _ => None,
                };
                summary.vigil_killed_matched += ours.unwrap_or(0);
                summary.reference_fatalities_matched += event.fatalities_best.unwrap_or(0);
                let row = MatchRow {
                    incident: incident_side(&incident, None),
                    reference: reference_side(event),
                    score: (m.score * 1000.0).round() / 1000.0,
                    km: (m.km * 10.0).round() / 10.0,
                    days_apart: m.days_apart,
                    fatalities_difference: difference,
                    other_candidates: scored.len() - 1,
                };
                if global.json {
                    json_line(&mut out, &CompareLine::Match(row))?;
                } else {
                    matches.push(row, cap);
                }
            }
            None => {
                summary.unmatched += 1;
                let side = incident_side(&incident, None);
                if global.json {
                    json_line(&mut out, &CompareLine::UnmatchedIncident(side))?;
                } else {
                    unmatched.push(side, cap);
                }
            }
        }
        Ok(())
    })?;

    // Reference events without a counterpart, within the dates and places the filters select.
    let widen =
        |d: jiff::civil::Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap_or(d);
    let (since, until) = match (filter.since, filter.until, span) {
        (None, None, None) => (None, None),
        (since, until, span) => (
            since.or(span.map(|(a, _)| widen(a, -args.days))),
            until.or(span.map(|(_, b)| widen(b, args.days))),
        ),
    };
    if since.is_some() || until.is_some() {
        let reference_filter = ReferenceFilter {
            dataset,
            since,
            until,
            country: filter.country.clone(),
            near: filter.near,
        };
        let wanted_type = filter.event_type.as_deref();
        store.for_each_reference_event(&reference_filter, |event| -> Result<()> {
            if let (Some(code), Some(t)) = (wanted_type, event.vigil_event_type) {
                let sub_matches = vigil_model::SubEventType::from_code(code)
                    .is_some_and(|s| event.sub_event_type.as_deref() == Some(s.acled_name()));
                if t.code() != code && !sub_matches {
                    return Ok(());
                }
            }
            summary.reference_events_in_window += 1;
            if matched_refs.contains(&event.event_id) {
                summary.reference_matched += 1;
                return Ok(());
            }
            summary.reference_unmatched += 1;
            let side = reference_side(&event);
            if global.json {
                json_line(&mut out, &CompareLine::UnmatchedReference(side))?;
            } else {
                unmatched_refs.push(side, cap);
            }
            Ok(())
        })?;
    }
    summary.mean_absolute_difference =
        (abs_diff_n > 0).then(|| (abs_diff_sum / abs_diff_n as f64 * 10.0).round() / 10.0);

    if global.json {
        json_line(&mut out, &CompareLine::Summary(summary))?;
        return Ok(ExitCode::SUCCESS);
    }
    drop(out);
    print_compare(&summary, &matches, &unmatched, &unmatched_refs)?;
    Ok(ExitCode::SUCCESS)
}

fn json_line<T: Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn num(value: Option<u64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

fn print_compare(
    summary: &CompareSummary,
    matches: &Section<MatchRow>,
    unmatched: &Section<IncidentSide>,
    unmatched_refs: &Section<ReferenceSide>,
) -> Result<()> {
    let dataset = summary.dataset.to_uppercase();
    println!(
        "{} incidents compared with {dataset} (within {} days and {} km): {} with a counterpart, {} without, {} not comparable",
        summary.incidents,
        summary.days,
        summary.km,
        summary.matched,
        summary.unmatched,
        summary.not_comparable
    );
    println!(
        "{dataset} events in the window: {}, {} with a vigil counterpart, {} without",
        summary.reference_events_in_window, summary.reference_matched, summary.reference_unmatched
    );
    if summary.matched > 0 {
        println!(
            "killed over matched pairs: vigil {}, {dataset} {}{}",
            summary.vigil_killed_matched,
            summary.reference_fatalities_matched,
            summary
                .mean_absolute_difference
                .map(|d| format!(" (mean absolute difference {d})"))
                .unwrap_or_default()
        );
    }
    let more = |n: u64| {
        if n > 0 {
            println!("… and {n} more (--rows N, or --json for all)");
        }
    };

    println!("\nMatched");
    let mut table = Table::new(&[
        ("incident", 12),
        ("date", 21),
        ("place", 20),
        ("killed", 7),
        ("reference", 14),
        ("ref date", 21),
        ("ref location", 20),
        ("ref fatalities", 14),
        ("diff", 6),
        ("km", 6),
        ("score", 5),
    ]);
    for m in &matches.rows {
        table.row(vec![
            m.incident.id.clone(),
            m.incident.date.clone(),
            or_dash(m.incident.place.as_deref()),
            num(m.incident.killed),
            m.reference.event_id.clone(),
            m.reference.date.clone(),
            or_dash(m.reference.location.as_deref()),
            num(m.reference.fatalities),
            m.fatalities_difference
                .map(|d| format!("{d:+}"))
                .unwrap_or_else(|| "-".into()),
            format!("{:.1}", m.km),
            format!("{:.2}", m.score),
        ]);
    }
    table.print()?;
    more(matches.more);

    println!("\nvigil incidents without a {dataset} counterpart");
    let mut table = Table::new(&[
        ("incident", 12),
        ("date", 21),
        ("type", 26),
        ("place", 24),
        ("country", 7),
        ("killed", 7),
        ("note", 16),
    ]);
    for i in &unmatched.rows {
        table.row(vec![
            i.id.clone(),
            i.date.clone(),
            i.event_type.to_string(),
            or_dash(i.place.as_deref()),
            or_dash(i.country.as_deref()),
            num(i.killed),
            i.not_comparable.unwrap_or("").to_string(),
        ]);
    }
    table.print()?;
    more(unmatched.more);

    println!("\n{dataset} events without a vigil counterpart");
    let mut table = Table::new(&[
        ("event", 14),
        ("date", 21),
        ("type", 30),
        ("location", 24),
        ("country", 10),
        ("fatalities", 10),
    ]);
    for r in &unmatched_refs.rows {
        table.row(vec![
            r.event_id.clone(),
            r.date.clone(),
            or_dash(r.event_type.as_deref()),
            or_dash(r.location.as_deref()),
            or_dash(r.country.as_deref()),
            num(r.fatalities),
        ]);
    }
    table.print()?;
    more(unmatched_refs.more);
    Ok(())
}
