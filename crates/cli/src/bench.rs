//! `vigil bench`: measurements that back the figures in BENCHMARKS.md, run as a user would run
//! the program (each run is a child `vigil ingest` process, so its wall time and peak memory are
//! those of the real command).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use clap::Subcommand;
use serde::Serialize;

use crate::{Global, output, synth};

/// Benchmarks and benchmark data.
#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Generate synthetic reports and time `vigil ingest` on them over several runs.
    #[command(after_help = "Example:\n  vigil bench ingest --reports 10000 --runs 5")]
    Ingest {
        /// How many reports (3-8 KB each, half without a language tag).
        #[arg(long, default_value_t = 10_000)]
        reports: u64,
        /// How many timed runs, each into a fresh database.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
        runs: u32,
        /// Work folder (default: a new folder under the system's temporary folder, removed after).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write synthetic reports to a folder, for benchmarks and tests of your own.
    #[command(after_help = "Example:\n  vigil bench generate /tmp/reports --reports 1000")]
    Generate {
        /// Folder to write to (created).
        dir: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        reports: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Time linking synthetic mentions in memory (10k, 100k, 1M), each run in a child process.
    Link(crate::bench_link::LinkBenchArgs),
    /// One run of `vigil bench link` (prints JSON figures).
    #[command(hide = true)]
    LinkRun(crate::bench_link::LinkRunArgs),
    /// Time adding reports to a store of many incidents (storing their mentions, linking them).
    LinkIncremental(crate::bench_link::IncrementalArgs),
    /// Time `vigil export` to every format on a store of synthetic incidents (1M by default).
    Export(crate::bench_export::ExportBenchArgs),
    /// One run of the writers alone for `vigil bench export --writers-only`.
    #[command(hide = true)]
    ExportRun(crate::bench_export::ExportRunArgs),
}

#[derive(Serialize)]
struct IngestBench {
    reports: u64,
    input_bytes: u64,
    runs: Vec<RunFigures>,
    median_seconds: f64,
    median_reports_per_second: f64,
    min_reports_per_second: f64,
    max_reports_per_second: f64,
    peak_rss_mb: f64,
    cores: usize,
}

#[derive(Serialize)]
struct RunFigures {
    seconds: f64,
    reports_per_second: f64,
}

pub fn run(global: &Global, command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Link(args) => crate::bench_link::run_bench(global, &args)?,
        BenchCommand::LinkRun(args) => crate::bench_link::run_child(&args)?,
        BenchCommand::LinkIncremental(args) => crate::bench_link::run_incremental(global, &args)?,
        BenchCommand::Export(args) => crate::bench_export::run_bench(global, &args)?,
        BenchCommand::ExportRun(args) => crate::bench_export::run_child(&args)?,
        BenchCommand::Generate { dir, reports, seed } => {
            synth::write_reports(&dir, seed, reports)
                .with_context(|| format!("cannot write to {}", dir.display()))?;
            if !global.quiet {
                eprintln!("wrote {reports} reports to {}", dir.display());
            }
        }
        BenchCommand::Ingest {
            reports,
            runs,
            dir,
            seed,
        } => {
            let (work, remove_after) = match dir {
                Some(dir) => (dir, false),
                None => (
                    std::env::temp_dir().join(format!("vigil-bench-{}", std::process::id())),
                    true,
                ),
            };
            let result = bench_ingest(global, &work, reports, runs, seed);
            if remove_after {
                let _ = std::fs::remove_dir_all(&work);
            }
            result?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_ingest(global: &Global, work: &Path, reports: u64, runs: u32, seed: u64) -> Result<()> {
    let corpus = work.join("reports");
    if corpus.exists() {
        std::fs::remove_dir_all(&corpus)?;
    }
    synth::write_reports(&corpus, seed, reports).context("cannot write the synthetic reports")?;
    let input_bytes = folder_bytes(&corpus)?;
    let exe = std::env::current_exe().context("cannot find the vigil executable")?;

    let mut figures = Vec::new();
    for run in 0..runs {
        let db = work.join(format!("bench-{run}.db"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let started = Instant::now();
        let out = Command::new(&exe)
            .arg("ingest")
            .arg(&corpus)
            .arg("--db")
            .arg(&db)
            .arg("--json")
            .stdin(Stdio::null())
            .output()
            .context("cannot run vigil ingest")?;
        let seconds = started.elapsed().as_secs_f64();
        ensure!(
            out.status.success(),
            "vigil ingest failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A benchmark that stopped storing anything must fail, not get faster.
        let summary: serde_json::Value =
            serde_json::from_slice(&out.stdout).context("ingest printed no JSON summary")?;
        let stored = summary["stored"].as_u64().unwrap_or(0);
        if stored != reports {
            bail!("run {run} stored {stored} reports, expected {reports}");
        }
        let store = vigil_store::Store::open(&db)?;
        ensure!(
            store.report_count()? == reports,
            "database of run {run} does not hold {reports} reports"
        );
        let hits = store.search(&vigil_store::SearchQuery {
            text: "killed".into(),
            limit: 1,
            raw: false,
        })?;
        ensure!(!hits.is_empty(), "full-text index of run {run} is empty");
        let rate = reports as f64 / seconds;
        if !global.quiet && !global.json {
            eprintln!("run {}: {seconds:.2} s, {rate:.0} reports/s", run + 1);
        }
        figures.push(RunFigures {
            seconds,
            reports_per_second: rate,
        });
    }

    let mut seconds: Vec<f64> = figures.iter().map(|f| f.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let median_seconds = median(&seconds);
    let rates: Vec<f64> = figures.iter().map(|f| f.reports_per_second).collect();
    let result = IngestBench {
        reports,
        input_bytes,
        median_seconds,
        median_reports_per_second: reports as f64 / median_seconds,
        min_reports_per_second: rates.iter().copied().fold(f64::INFINITY, f64::min),
        max_reports_per_second: rates.iter().copied().fold(0.0, f64::max),
        peak_rss_mb: children_peak_rss_bytes() as f64 / (1024.0 * 1024.0),
        cores: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        runs: figures,
    };
    if global.json {
        output::print_json(&result)?;
    } else {
        println!(
            "ingest {} reports ({:.1} MB) x {} runs on {} cores: median {:.2} s = {:.0} reports/s (min {:.0}, max {:.0}); peak memory {:.0} MB",
            result.reports,
            result.input_bytes as f64 / 1e6,
            result.runs.len(),
            result.cores,
            result.median_seconds,
            result.median_reports_per_second,
            result.min_reports_per_second,
            result.max_reports_per_second,
            result.peak_rss_mb,
        );
    }
    Ok(())
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn folder_bytes(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            folder_bytes(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// The largest resident set of any child process waited for so far (Linux reports kilobytes).
fn children_peak_rss_bytes() -> u64 {
    // SAFETY: getrusage only writes into the struct we pass; a zeroed rusage is a valid value.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) != 0 {
            return 0;
        }
        usage
    };
    let max_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    if cfg!(target_os = "macos") {
        max_rss
    } else {
        max_rss * 1024
    }
}
