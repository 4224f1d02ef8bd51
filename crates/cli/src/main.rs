//! `vigil`: the command-line program. It composes the stages (ingest, store) and reports to the user.
//!
//! Exit codes: 0 when everything asked for was done, 1 when some inputs failed or an operation
//! failed, 2 for usage errors (clap's convention).

mod bench;
mod bench_export;
mod bench_link;
mod eval_links_cmd;
mod export_cmd;
mod extract_cmd;
mod incidents_cmd;
mod ingest_cmd;
mod link_cmd;
mod output;
mod places_cmd;
mod reports_cmd;
mod synth;
mod synth_incidents;
mod synth_mentions;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

/// vigil turns news reports of armed violence into a sourced record of incidents.
///
/// Reports are kept in an embedded SQLite database: `vigil.db` in the current directory unless
/// --db or VIGIL_DB says otherwise.
#[derive(Parser, Debug)]
#[command(name = "vigil", version, propagate_version = true)]
#[command(after_help = "Example:\n  vigil ingest examples/reports && vigil reports list")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
struct Global {
    /// Database file (created if missing).
    #[arg(long, global = true, env = "VIGIL_DB", default_value = "vigil.db")]
    db: PathBuf,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every report as it is handled.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    Ingest(ingest_cmd::IngestArgs),
    #[command(subcommand)]
    Reports(reports_cmd::ReportsCommand),
    /// Counts of what the database holds.
    #[command(after_help = "Example:\n  vigil stats --json")]
    Stats,
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    Places(places_cmd::PlacesArgs),
    Geocode(places_cmd::GeocodeArgs),
    /// The place index: build it, import GeoNames dumps, inspect it.
    #[command(subcommand)]
    Gazetteer(places_cmd::GazetteerCommand),
    Extract(extract_cmd::ExtractArgs),
    Eval(extract_cmd::EvalArgs),
    Link(link_cmd::LinkArgs),
    #[command(subcommand)]
    Incidents(incidents_cmd::IncidentsCommand),
    EvalLinks(eval_links_cmd::EvalLinksArgs),
    Export(export_cmd::ExportArgs),
    Import(export_cmd::ImportArgs),
    Compare(export_cmd::CompareArgs),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let global = cli.global;
    match cli.command {
        Command::Ingest(args) => ingest_cmd::run(&global, &args),
        Command::Reports(command) => reports_cmd::run(&global, command),
        Command::Stats => reports_cmd::stats(&global),
        Command::Bench(command) => bench::run(&global, command),
        Command::Places(args) => places_cmd::places(&global, &args),
        Command::Geocode(args) => places_cmd::geocode(&global, &args),
        Command::Gazetteer(command) => places_cmd::gazetteer(&global, command),
        Command::Extract(args) => extract_cmd::extract(&global, &args),
        Command::Eval(args) => extract_cmd::eval(&global, &args),
        Command::Link(args) => link_cmd::run(&global, &args),
        Command::Incidents(command) => incidents_cmd::run(&global, command),
        Command::EvalLinks(args) => eval_links_cmd::run(&global, &args),
        Command::Export(args) => export_cmd::export(&global, &args),
        Command::Import(args) => export_cmd::import(&global, &args),
        Command::Compare(args) => export_cmd::compare(&global, &args),
    }
}

/// Opens the database named by --db / VIGIL_DB, creating its folder when needed.
fn open_store(global: &Global) -> Result<vigil_store::Store> {
    if let Some(parent) = global.db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create folder {}", parent.display()))?;
    }
    vigil_store::Store::open(&global.db)
        .with_context(|| format!("cannot open database {}", global.db.display()))
}

/// Now, as RFC 3339 in UTC to the second.
fn now_utc() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Rust ignores SIGPIPE, so `vigil reports list | head` would end in a "broken pipe" error; a
/// command-line tool should stop quietly instead, as the classic Unix tools do.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
