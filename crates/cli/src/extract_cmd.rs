//! `vigil extract` (incident mentions from report files, without a database) and `vigil eval`
//! (their scores against gold annotations, with the rules of the reference scorer).

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use vigil_extract::{Config, ReportInput, Resources, annotate, extract_report};
use vigil_ingest::{Failure, Input};
use vigil_model::{ExtractedReport, FigureKind, IncomingReport, Mention, ReportRef};

use crate::Global;
use crate::output::{Table, clean};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per report: the contract of DESIGN.md.
    Jsonl,
    /// One line per incident mention.
    Table,
}

/// Extract incident mentions from report files, without a database.
///
/// Reads every format `vigil ingest` reads. Prints, per report, its incidents: what happened
/// (ACLED event types), when, where, who, how many killed, injured, abducted, detained or missing
/// with each figure's qualifier and claimant, whether it is background (historical) or a wave
/// of violence (aggregate), and the sentences it comes from. JSON Lines output is one
/// `{"report": ..., "incidents": [...]}` object per report.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  vigil extract examples/reports/*.txt\n  vigil extract --format table report.html\n  vigil extract --explain report.txt"
)]
pub struct ExtractArgs {
    /// Report files or folders; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// ISO 3166 alpha-2 code of the country the reports are about, when known.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Print every annotation (sentences, dates, figures, claimants, actors, triggers, places)
    /// and the extraction's diagnostics, as JSON, instead of the mentions.
    #[arg(long)]
    explain: bool,
}

/// Score extraction against gold annotations (the format of gold/SCHEMA.md).
///
/// Extracts the incidents of each report and matches them with the gold file named after the
/// report (`<stem>.json`), with the rules of the reference scorer `score.py`: a prediction
/// matches a gold incident when its dates overlap (one day of slack) and its point lies within
/// the gold tolerance. Prints the same table as `score.py` and its last `score:` line.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  vigil eval --gold crates/extract/tests/gold/seeds crates/extract/tests/reports/seeds\n  vigil extract reports/ > out.jsonl && vigil eval --gold gold/ --predictions out.jsonl"
)]
pub struct EvalArgs {
    /// Folder of gold files, one `<report stem>.json` per report.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Report files or folders to extract from and score.
    #[arg(value_name = "REPORTS", required_unless_present = "predictions")]
    reports: Vec<PathBuf>,
    /// Score the output of `vigil extract --format jsonl` (or any system's, in that format)
    /// instead of extracting.
    #[arg(long, value_name = "FILE", conflicts_with = "reports")]
    predictions: Option<PathBuf>,
    /// ISO 3166 alpha-2 code of the country the reports are about, when known.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
}

/// The date part of an ISO date or date-time.
fn published_date(report: &IncomingReport) -> Option<jiff::civil::Date> {
    report.published.as_deref()?.get(..10)?.parse().ok()
}

/// The id of a report read from a file: the stem of its source, with the locator of a report
/// inside a container.
fn report_id(source: &str) -> String {
    let (path, locator) = match source.split_once('#') {
        Some((p, l)) => (p, Some(l)),
        None => (source, None),
    };
    let stem = Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned());
    match locator {
        Some(l) => format!("{stem}#{l}"),
        None => stem,
    }
}

fn read_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Failure>) {
    vigil_ingest::discover(paths)
}

/// Reads one input into reports and failures.
fn read_input(input: &Input) -> Vec<Result<IncomingReport, Failure>> {
    let config = vigil_ingest::Config::default();
    let mut items = Vec::new();
    match input {
        Input::File(path) => vigil_ingest::read_file(path, &config, &mut |item| items.push(item)),
        Input::Stdin => {
            let mut bytes = Vec::new();
            if let Err(e) = io::Read::read_to_end(&mut io::stdin().lock(), &mut bytes) {
                items.push(Err(Failure {
                    source: "-".to_string(),
                    reason: e.to_string(),
                }));
            } else {
                vigil_ingest::read_bytes(&bytes, "-", None, &config, &mut |item| items.push(item));
            }
        }
    }
    items
}

fn extract_one(report: &IncomingReport, resources: &Resources, config: &Config) -> ExtractedReport {
    let input = ReportInput {
        body: &report.body,
        title: report.title.as_deref(),
        published: published_date(report),
        language: report.language.as_deref(),
    };
    let extraction = extract_report(&input, resources, config);
    ExtractedReport {
        report: ReportRef {
            id: report_id(&report.source),
            source: report.source.clone(),
            title: report.title.clone(),
            outlet: report.outlet.clone(),
            published: input.published,
            language: report.language.clone(),
        },
        incidents: extraction.mentions,
    }
}

/// Reads and extracts every input in parallel; results in input order.
fn extract_all(
    paths: &[PathBuf],
    resources: &Resources,
    config: &Config,
) -> (Vec<ExtractedReport>, Vec<Failure>) {
    let (inputs, mut failures) = read_inputs(paths);
    let results: Vec<Vec<Result<ExtractedReport, Failure>>> = inputs
        .par_iter()
        .map(|input| {
            read_input(input)
                .into_iter()
                .map(|item| item.map(|report| extract_one(&report, resources, config)))
                .collect()
        })
        .collect();
    let mut reports = Vec::new();
    for item in results.into_iter().flatten() {
        match item {
            Ok(r) => reports.push(r),
            Err(f) => failures.push(f),
        }
    }
    (reports, failures)
}

fn config(country: &Option<String>) -> Config {
    Config {
        country_hint: country.as_ref().map(|c| c.to_ascii_uppercase()),
        ..Config::default()
    }
}

fn load_resources() -> Result<Resources> {
    Resources::bundled().context("cannot load the extraction resources")
}

pub fn extract(global: &Global, args: &ExtractArgs) -> Result<ExitCode> {
    let resources = load_resources()?;
    let config = config(&args.country);
    if args.explain {
        return explain(args, &resources, &config);
    }
    let (reports, failures) = extract_all(&args.files, &resources, &config);
    let mut out = io::stdout().lock();
    match args.format {
        Format::Jsonl => {
            for r in &reports {
                serde_json::to_writer(&mut out, r)?;
                writeln!(out)?;
            }
        }
        Format::Table => {
            drop(out);
            print_table(&reports)?;
        }
    }
    for f in &failures {
        if !global.quiet {
            eprintln!("{}: {}", clean(&f.source), f.reason);
        }
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn explain(args: &ExtractArgs, resources: &Resources, config: &Config) -> Result<ExitCode> {
    let (inputs, failures) = read_inputs(&args.files);
    let mut out = io::stdout().lock();
    for input in &inputs {
        for item in read_input(input) {
            let Ok(report) = item else { continue };
            let ri = ReportInput {
                body: &report.body,
                title: report.title.as_deref(),
                published: published_date(&report),
                language: report.language.as_deref(),
            };
            let annotations = annotate(&ri, resources, config);
            let extraction = extract_report(&ri, resources, config);
            let value = serde_json::json!({
                "report": report_id(&report.source),
                "annotations": annotations,
                "diagnostics": extraction.diagnostics,
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
    }
    for f in &failures {
        eprintln!("{}: {}", clean(&f.source), f.reason);
    }
    Ok(ExitCode::SUCCESS)
}

fn figure_cell(m: &Mention, kind: FigureKind) -> String {
    m.figures
        .get(&kind)
        .and_then(|f| f.best)
        .map_or_else(|| "-".to_string(), |b| b.to_string())
}

fn print_table(reports: &[ExtractedReport]) -> Result<()> {
    let mut table = Table::new(&[
        ("report", 24),
        ("type", 34),
        ("date", 23),
        ("place", 28),
        ("killed", 7),
        ("injured", 7),
        ("abducted", 8),
        ("perpetrators", 40),
        ("flags", 12),
    ]);
    for r in reports {
        for m in &r.incidents {
            let date = match (m.date.start, m.date.end) {
                (Some(s), Some(e)) if s == e => s.to_string(),
                (Some(s), Some(e)) => format!("{s}..{e}"),
                _ => "unknown".to_string(),
            };
            let place = m
                .place
                .as_ref()
                .map_or_else(|| "-".to_string(), |p| p.name.clone());
            let perpetrators: Vec<&str> = m
                .actors
                .iter()
                .filter(|a| a.role == vigil_model::ActorRole::Perpetrator)
                .map(|a| a.mention.as_str())
                .collect();
            let mut flags = Vec::new();
            if m.historical {
                flags.push("historical");
            }
            if m.aggregate {
                flags.push("aggregate");
            }
            table.row(vec![
                r.report.id.clone(),
                format!("{}/{}", m.event_type.code(), m.sub_event_type.code()),
                date,
                place,
                figure_cell(m, FigureKind::Killed),
                figure_cell(m, FigureKind::Injured),
                figure_cell(m, FigureKind::Abducted),
                perpetrators.join("; "),
                flags.join(","),
            ]);
        }
    }
    table.print()?;
    Ok(())
}

pub fn eval(global: &Global, args: &EvalArgs) -> Result<ExitCode> {
    let gold = vigil_extract::eval::load_gold_dir(&args.gold)
        .with_context(|| format!("cannot read gold files in {}", args.gold.display()))?;
    if gold.is_empty() {
        bail!("no gold files in {}", args.gold.display());
    }
    let reports = match &args.predictions {
        Some(path) => read_predictions(path)?,
        None => {
            let resources = load_resources()?;
            let (reports, failures) =
                extract_all(&args.reports, &resources, &config(&args.country));
            for f in &failures {
                eprintln!("{}: {}", clean(&f.source), f.reason);
            }
            reports
        }
    };
    let predictions = pair_with_gold(&reports, &gold);
    let (scores, lines) = vigil_extract::eval::score(&predictions, &gold);
    if global.json {
        crate::output::print_json(&scores)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = io::stdout().lock();
    if global.verbose {
        for line in &lines {
            writeln!(out, "{}", clean(line))?;
        }
    }
    write!(out, "{}", scores.table())?;
    Ok(ExitCode::SUCCESS)
}

/// Pairs each extracted report with its gold file by the stem of its source, else its id, as
/// `score.py` does.
fn pair_with_gold(
    reports: &[ExtractedReport],
    gold: &BTreeMap<String, vigil_extract::eval::GoldReport>,
) -> BTreeMap<String, Vec<Mention>> {
    let mut out = BTreeMap::new();
    for r in reports {
        let stem = Path::new(&r.report.source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for key in [stem, r.report.id.clone()] {
            if !key.is_empty() && gold.contains_key(&key) {
                out.insert(key, r.incidents.clone());
                break;
            }
        }
    }
    out
}

fn read_predictions(path: &Path) -> Result<Vec<ExtractedReport>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let r: ExtractedReport = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not an extracted report", path.display(), n + 1))?;
        out.push(r);
    }
    Ok(out)
}
