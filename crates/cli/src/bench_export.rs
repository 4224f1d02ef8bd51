//! `vigil bench export`: time `vigil export` to every format on a store of synthetic incidents
//! (1,000,000 by default), each run a child process so that its wall time and peak memory are
//! those of the real command; and `--writers-only` runs that feed the writers generated incidents
//! without a store, to separate reading the store from writing the format.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use clap::Args;
use serde::{Deserialize, Serialize};
use vigil_export::{Config, Format, Writer};
use vigil_store::{NewIncident, Store};

use crate::{Global, output, synth_incidents};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  vigil bench export --incidents 1000000 --runs 3 --dir /tmp/vigil-bench-export
  vigil bench export --incidents 100000 --formats parquet,acled-csv --writers-only")]
pub struct ExportBenchArgs {
    /// Synthetic incidents in the store.
    #[arg(long, default_value_t = 1_000_000)]
    incidents: u64,
    /// Timed runs per format.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
    runs: u32,
    /// Formats to time, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    formats: Vec<String>,
    /// Work folder; the store built there is kept and reused by later runs with the same
    /// --incidents and --seed (default: a temporary folder, removed after).
    #[arg(long)]
    dir: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Feed the writers generated incidents instead of reading a store.
    #[arg(long)]
    writers_only: bool,
}

/// One run of the writers alone: generate incidents and write them (hidden; used by the bench).
#[derive(Args, Debug)]
pub struct ExportRunArgs {
    /// A format name, or `none` to time generating the incidents alone.
    #[arg(long)]
    format: String,
    #[arg(long)]
    incidents: u64,
    #[arg(long)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct StoreInfo {
    incidents: u64,
    seed: u64,
    claims: u64,
    located: u64,
}

#[derive(Serialize)]
struct FormatFigures {
    format: String,
    runs: Vec<f64>,
    median_seconds: f64,
    /// User + system time of the export process, all threads: the figure that does not depend
    /// on what else the machine runs.
    median_cpu_seconds: f64,
    min_seconds: f64,
    max_seconds: f64,
    incidents_per_second: f64,
    peak_rss_mb: f64,
    output_mb: f64,
}

#[derive(Serialize)]
struct ExportBench {
    incidents: u64,
    source: &'static str,
    store_mb: Option<f64>,
    cores: usize,
    formats: Vec<FormatFigures>,
}

pub fn run_bench(global: &Global, args: &ExportBenchArgs) -> Result<()> {
    let formats: Vec<String> = if args.formats.is_empty() {
        Format::ALL
            .iter()
            .filter(|f| f.is_available())
            .map(|f| f.name().to_string())
            .collect()
    } else {
        args.formats.clone()
    };
    for f in &formats {
        if f != "none" {
            Format::from_name(f)?;
        }
    }
    let (work, remove_after) = match &args.dir {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("vigil-bench-export-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&work)?;
    let result = bench(global, args, &formats, &work);
    if remove_after {
        let _ = std::fs::remove_dir_all(&work);
    }
    result
}

fn bench(global: &Global, args: &ExportBenchArgs, formats: &[String], work: &Path) -> Result<()> {
    let db = work.join(format!("export-{}-{}.db", args.incidents, args.seed));
    let info = if args.writers_only {
        expected(args.incidents, args.seed)
    } else {
        prepare_store(global, &db, args.incidents, args.seed)?
    };
    let exe = std::env::current_exe().context("cannot find the vigil executable")?;
    let mut figures = Vec::new();
    for name in formats {
        let ext = Format::from_name(name)
            .map(|f| f.extension())
            .unwrap_or("out");
        let out = work.join(format!("out.{ext}"));
        let mut seconds = Vec::new();
        let mut cpu_seconds = Vec::new();
        let mut peak = 0u64;
        for run in 0..args.runs {
            let _ = std::fs::remove_file(&out);
            let mut command = Command::new(&exe);
            if args.writers_only {
                command
                    .args(["bench", "export-run", "--format", name])
                    .args([
                        "--incidents",
                        &args.incidents.to_string(),
                        "--seed",
                        &args.seed.to_string(),
                        "--out",
                    ]);
                command.arg(&out);
            } else {
                command
                    .arg("--db")
                    .arg(&db)
                    .args(["--quiet", "export", "--format", name, "--out"])
                    .arg(&out);
            }
            let started = Instant::now();
            let child = command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .context("cannot run vigil export")?;
            let (status, rss, cpu) = wait_with_rusage(child)?;
            let elapsed = started.elapsed().as_secs_f64();
            ensure!(
                status == 0,
                "vigil export --format {name} failed (status {status})"
            );
            check_output(name, &out, &info)?;
            if !global.quiet && !global.json {
                eprintln!(
                    "{name} run {}: {elapsed:.2} s (CPU {cpu:.2} s), peak {:.0} MB",
                    run + 1,
                    rss as f64 / 1048576.0
                );
            }
            seconds.push(elapsed);
            cpu_seconds.push(cpu);
            peak = peak.max(rss);
        }
        let mut sorted = seconds.clone();
        sorted.sort_by(f64::total_cmp);
        let median = median(&sorted);
        let mut cpu_sorted = cpu_seconds.clone();
        cpu_sorted.sort_by(f64::total_cmp);
        figures.push(FormatFigures {
            format: name.clone(),
            median_cpu_seconds: self::median(&cpu_sorted),
            median_seconds: median,
            min_seconds: sorted[0],
            max_seconds: sorted[sorted.len() - 1],
            incidents_per_second: args.incidents as f64 / median,
            peak_rss_mb: peak as f64 / 1048576.0,
            output_mb: std::fs::metadata(&out)
                .map(|m| m.len() as f64 / 1e6)
                .unwrap_or(0.0),
            runs: seconds,
        });
    }
    let result = ExportBench {
        incidents: args.incidents,
        source: if args.writers_only {
            "generated (no store)"
        } else {
            "store"
        },
        store_mb: (!args.writers_only).then(|| {
            std::fs::metadata(&db)
                .map(|m| m.len() as f64 / 1e6)
                .unwrap_or(0.0)
        }),
        cores: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        formats: figures,
    };
    if global.json {
        output::print_json(&result)?;
    } else {
        println!(
            "export of {} incidents from {} ({} cores), {} runs each:",
            result.incidents, result.source, result.cores, args.runs
        );
        for f in &result.formats {
            println!(
                "  {:<11} median {:>6.2} s (min {:.2}, max {:.2})  CPU {:>6.2} s  {:>9.0} incidents/s  peak {:>4.0} MB  output {:>6.0} MB",
                f.format,
                f.median_seconds,
                f.min_seconds,
                f.max_seconds,
                f.median_cpu_seconds,
                f.incidents_per_second,
                f.peak_rss_mb,
                f.output_mb
            );
        }
    }
    Ok(())
}

/// What the synthetic stream holds, computed by generating it.
fn expected(incidents: u64, seed: u64) -> StoreInfo {
    let mut info = StoreInfo {
        incidents,
        seed,
        claims: 0,
        located: 0,
    };
    for i in 0..incidents {
        let incident = synth_incidents::incident(seed, i);
        info.claims += synth_incidents::claim_count(&incident);
        info.located += u64::from(incident.place.is_some());
    }
    info
}

/// Fills a store with the synthetic incidents, or reuses one built before for the same numbers.
fn prepare_store(global: &Global, db: &Path, incidents: u64, seed: u64) -> Result<StoreInfo> {
    let sidecar = db.with_extension("json");
    if let Ok(text) = std::fs::read_to_string(&sidecar)
        && let Ok(info) = serde_json::from_str::<StoreInfo>(&text)
        && info.incidents == incidents
        && info.seed == seed
        && db.exists()
    {
        return Ok(info);
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let started = Instant::now();
    let mut store = Store::open(db)?;
    let mut info = StoreInfo {
        incidents,
        seed,
        claims: 0,
        located: 0,
    };
    let mut batch = Vec::with_capacity(10_000);
    let mut next = 0u64;
    while next < incidents {
        batch.clear();
        while batch.len() < 10_000 && next < incidents {
            let incident = synth_incidents::incident(seed, next);
            info.claims += synth_incidents::claim_count(&incident);
            info.located += u64::from(incident.place.is_some());
            batch.push(incident);
            next += 1;
        }
        let rows: Vec<NewIncident<'_>> = batch
            .iter()
            .enumerate()
            .map(|(i, incident)| NewIncident {
                incident,
                anchor: (next as i64) - (batch.len() - i) as i64,
                days: None,
                dated: incident.date.is_known(),
                members: &[],
            })
            .collect();
        store.insert_incidents(&rows)?;
        if !global.quiet && !global.json && next.is_multiple_of(100_000) {
            eprintln!(
                "stored {next} incidents ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    drop(store);
    std::fs::write(&sidecar, serde_json::to_string(&info)?)?;
    Ok(info)
}

/// Checks that a run wrote every incident: a benchmark that stopped writing must fail, not get
/// faster.
fn check_output(format: &str, out: &Path, info: &StoreInfo) -> Result<()> {
    let count_lines = |skip: usize, prefix: &str| -> Result<u64> {
        let file = std::fs::File::open(out)?;
        let mut n = 0;
        for line in BufReader::new(file).lines().skip(skip) {
            if line?.starts_with(prefix) {
                n += 1;
            }
        }
        Ok(n)
    };
    let count_csv =
        || -> Result<u64> { Ok(vigil_export::count_csv_records(std::fs::File::open(out)?)?) };
    let (got, want) = match format {
        "none" => return Ok(()),
        "jsonl" => (count_lines(0, "{")?, info.incidents),
        "geojson" => (count_lines(1, "{\"type\":\"Feature\"")?, info.incidents),
        "acled-csv" | "ucdp-csv" => (count_csv()?, info.incidents),
        "claims-csv" => (count_csv()?, info.claims),
        "parquet" => (
            vigil_export::parquet_rows(std::fs::File::open(out)?)?,
            info.incidents,
        ),
        other => bail!("unknown format {other}"),
    };
    ensure!(got == want, "{format}: wrote {got} rows, expected {want}");
    Ok(())
}

/// The hidden `vigil bench export-run`: writers fed from the generator.
pub fn run_child(args: &ExportRunArgs) -> Result<()> {
    if args.format == "none" {
        let mut claims = 0;
        for i in 0..args.incidents {
            claims += synth_incidents::claim_count(&synth_incidents::incident(args.seed, i));
        }
        std::hint::black_box(claims);
        return Ok(());
    }
    let format = Format::from_name(&args.format)?;
    let file = std::fs::File::create(&args.out)?;
    let mut writer = Writer::new(
        format,
        std::io::BufWriter::with_capacity(256 * 1024, file),
        &Config::default(),
    )?;
    for i in 0..args.incidents {
        writer.write(&synth_incidents::incident(args.seed, i))?;
    }
    writer.finish()?;
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

/// Waits for a child and returns its exit status and peak resident memory in bytes (Linux
/// `wait4`, which reports the child's own peak rather than the largest of all children).
/// Waits for `child`: its exit code, peak resident memory in bytes and CPU seconds (user +
/// system, all threads).
fn wait_with_rusage(mut child: std::process::Child) -> Result<(i32, u64, f64)> {
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut text);
        }
        text
    });
    let mut status: libc::c_int = 0;
    // SAFETY: wait4 writes the status and the usage of our own child into the two locals.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::wait4(pid, &mut status, 0, &mut usage) < 0 {
            bail!("wait4 failed: {}", std::io::Error::last_os_error());
        }
        usage
    };
    let text = reader.join().unwrap_or_default();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    if code != 0 {
        eprintln!("{}", output::clean(&text));
    }
    let max_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok((
        code,
        if cfg!(target_os = "macos") {
            max_rss
        } else {
            max_rss * 1024
        },
        seconds(usage.ru_utime) + seconds(usage.ru_stime),
    ))
}
