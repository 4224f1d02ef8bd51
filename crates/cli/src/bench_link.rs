//! `vigil bench link` and `vigil bench link-incremental`: the linking benchmarks behind
//! BENCHMARKS.md.
//!
//! `bench link` runs each size in a child process (`vigil bench link-run`), so that each run's
//! peak memory is its own: the child generates synthetic mentions, links them in memory
//! (features, blocking, scoring, clustering, assembling every incident with reconciled figures,
//! waves), checks the clustering against the generator's truth (B-cubed), and reports.
//!
//! `bench link-incremental` builds a store of about N incidents (2.5 synthetic mentions each)
//! through the same code `vigil ingest` and `vigil link --rebuild` use, then times adding
//! reports about the store's last days to it: storing the reports and their mentions, and
//! linking them incrementally. `--check` then compares every incident with a full rebuild.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use clap::Args;
use serde::{Deserialize, Serialize};
use vigil_link::{Claimants, Config};
use vigil_model::{IncomingReport, SourceFormat};
use vigil_store::{Inserted, Store};

use crate::{Global, link_cmd, output, synth_mentions};

#[derive(Args, Debug)]
#[command(after_help = "Example:\n  vigil bench link --sizes 10000,100000,1000000 --runs 3")]
pub struct LinkBenchArgs {
    /// Numbers of mentions, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    sizes: Vec<usize>,
    /// Timed runs per size (the median is reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
    runs: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Args, Debug)]
pub struct LinkRunArgs {
    #[arg(long)]
    mentions: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  vigil bench link-incremental --incidents 1000000 --reports 1000"
)]
pub struct IncrementalArgs {
    /// Incidents in the store before the new reports come (the generator makes about 2.5
    /// mentions per linked incident).
    #[arg(long, default_value_t = 1_000_000)]
    incidents: usize,
    /// New reports added in each run (three mentions each).
    #[arg(long, default_value_t = 1000)]
    reports: usize,
    /// The new reports tell incidents of the store's last this many days (as news does).
    #[arg(long, default_value_t = 7)]
    recent_days: usize,
    /// After the runs, link the whole store again (`vigil link --rebuild`) and check that it
    /// gives the incidents incremental linking gave.
    #[arg(long)]
    check: bool,
    /// Timed additions, each of new reports.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    runs: u32,
    /// Keep the store of linked incidents here (and reuse it when it exists) instead of in a
    /// temporary folder; the timed runs add their reports to a copy, so the kept store stays as
    /// it was built.
    /// (Not --db: that global option names the user's own database.)
    #[arg(long, value_name = "PATH")]
    store: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// What one `link-run` child reports.
#[derive(Debug, Serialize, Deserialize)]
pub struct RunFigures {
    pub mentions: usize,
    pub incidents: usize,
    /// Candidate pairs scoring at least the threshold.
    pub edges: usize,
    /// Of `link_seconds`: features, blocking and scoring (the rest is clustering).
    pub edges_seconds: f64,
    pub generate_seconds: f64,
    pub link_seconds: f64,
    pub assemble_seconds: f64,
    pub total_seconds: f64,
    /// CPU time (user + system, all threads) of linking and assembling: what the work costs
    /// whatever else the machine is doing.
    pub cpu_seconds: f64,
    pub peak_rss_mb: f64,
    pub b_cubed_precision: f64,
    pub b_cubed_recall: f64,
    pub b_cubed_f1: f64,
}

/// A mention held the way a store holds it: its report's fields and the mention as JSON, read
/// back when its incident is assembled.
struct Held {
    key: u64,
    ordinal: u32,
    report: vigil_model::IncidentReport,
    json: Box<str>,
}

pub fn run_child(args: &LinkRunArgs) -> Result<()> {
    let config = Config::default();
    let trace = std::env::var_os("VIGIL_BENCH_TRACE").is_some();
    let t0 = Instant::now();
    let mut held = Vec::with_capacity(args.mentions);
    let mut truth = Vec::with_capacity(args.mentions);
    let mut features = Vec::with_capacity(args.mentions);
    let mut features_seconds = 0.0;
    synth_mentions::generate_each(args.mentions, args.seed, |m, t| {
        let tf = Instant::now();
        features.push(vigil_link::features_of(&m, &config));
        features_seconds += tf.elapsed().as_secs_f64();
        held.push(Held {
            key: m.key,
            ordinal: m.ordinal,
            report: m.report,
            json: serde_json::to_string(&m.mention)
                .unwrap_or_default()
                .into_boxed_str(),
        });
        truth.push(t);
    });
    let generate_seconds = t0.elapsed().as_secs_f64() - features_seconds;
    if trace {
        eprintln!(
            "after generation: peak {:.0} MB",
            self_peak_rss_bytes() as f64 / 1048576.0
        );
    }
    let cpu0 = self_cpu_seconds();
    let t1 = Instant::now();
    let edges = vigil_link::scored_edges(&features, &config);
    let edges_seconds = t1.elapsed().as_secs_f64() + features_seconds;
    let edge_count = edges.len();
    if trace {
        eprintln!(
            "after scoring: peak {:.0} MB",
            self_peak_rss_bytes() as f64 / 1048576.0
        );
    }
    let linking = vigil_link::cluster(&features, edges, &config);
    drop(features);
    let link_seconds = t1.elapsed().as_secs_f64() + features_seconds;
    if trace {
        eprintln!(
            "after clustering: peak {:.0} MB",
            self_peak_rss_bytes() as f64 / 1048576.0
        );
    }
    let t2 = Instant::now();
    let claimants = Claimants::bundled();
    // Incidents are assembled on every core (as `vigil link --rebuild` does); an export would
    // write each one out, the benchmark keeps what wave assignment needs.
    use rayon::prelude::*;
    let assembled: Vec<Result<vigil_link::Extent>> = linking
        .clusters
        .par_iter()
        .map(|cluster| {
            let members: Vec<vigil_link::SourcedMention> = cluster
                .iter()
                .map(|&i| {
                    let h = &held[i];
                    Ok(vigil_link::SourcedMention {
                        key: h.key,
                        ordinal: h.ordinal,
                        report: h.report.clone(),
                        outlet: None,
                        mention: serde_json::from_str(&h.json)?,
                    })
                })
                .collect::<Result<_>>()?;
            let refs: Vec<&vigil_link::SourcedMention> = members.iter().collect();
            let incident = vigil_link::assemble(&refs, claimants);
            Ok(vigil_link::extent_of(&incident, members[0].key, &config))
        })
        .collect();
    let extents: Vec<vigil_link::Extent> = assembled.into_iter().collect::<Result<_>>()?;
    let incidents = extents.len();
    let waves = vigil_link::assign_waves(&extents, &config);
    let parts = waves.iter().filter(|w| w.is_some()).count();
    let assemble_seconds = t2.elapsed().as_secs_f64();
    let mut predicted = vec![0u32; held.len()];
    for (c, cluster) in linking.clusters.iter().enumerate() {
        for &i in cluster {
            predicted[i] = c as u32;
        }
    }
    let (p, r, f1) = synth_mentions::b_cubed(&predicted, &truth);
    ensure!(
        incidents > 0 && parts <= incidents,
        "linking produced nothing"
    );
    output::print_json(&RunFigures {
        mentions: held.len(),
        incidents,
        edges: edge_count,
        edges_seconds,
        generate_seconds,
        link_seconds,
        assemble_seconds,
        total_seconds: link_seconds + assemble_seconds,
        cpu_seconds: self_cpu_seconds() - cpu0 + features_seconds,
        peak_rss_mb: self_peak_rss_bytes() as f64 / (1024.0 * 1024.0),
        b_cubed_precision: p,
        b_cubed_recall: r,
        b_cubed_f1: f1,
    })
}

#[derive(Serialize)]
struct SizeFigures {
    mentions: usize,
    runs: Vec<RunFigures>,
    median_total_seconds: f64,
    median_link_seconds: f64,
    median_assemble_seconds: f64,
    median_cpu_seconds: f64,
    peak_rss_mb: f64,
    b_cubed_f1: f64,
}

pub fn run_bench(global: &Global, args: &LinkBenchArgs) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the vigil executable")?;
    let mut sizes = Vec::new();
    for &size in &args.sizes {
        let mut runs = Vec::new();
        for run in 0..args.runs {
            let out = Command::new(&exe)
                .args([
                    "bench",
                    "link-run",
                    "--mentions",
                    &size.to_string(),
                    "--seed",
                ])
                .arg((args.seed + u64::from(run)).to_string())
                .stdin(Stdio::null())
                .output()
                .context("cannot run vigil bench link-run")?;
            ensure!(
                out.status.success(),
                "link-run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let figures: RunFigures =
                serde_json::from_slice(&out.stdout).context("link-run printed no figures")?;
            // A benchmark whose linking stopped working must fail, not get faster.
            ensure!(
                figures.b_cubed_f1 >= 0.8,
                "{size} mentions: B-cubed F1 {:.3} against the generator's truth is below 0.8",
                figures.b_cubed_f1
            );
            if !global.quiet && !global.json {
                eprintln!(
                    "{size} mentions, run {}: link {:.2} s + assemble {:.2} s = {:.2} s (CPU {:.2} s), {} incidents, peak {:.0} MB, B-cubed F1 {:.3}",
                    run + 1,
                    figures.link_seconds,
                    figures.assemble_seconds,
                    figures.total_seconds,
                    figures.cpu_seconds,
                    figures.incidents,
                    figures.peak_rss_mb,
                    figures.b_cubed_f1
                );
            }
            runs.push(figures);
        }
        let median = |f: &dyn Fn(&RunFigures) -> f64| {
            let mut v: Vec<f64> = runs.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        sizes.push(SizeFigures {
            mentions: size,
            median_total_seconds: median(&|r| r.total_seconds),
            median_link_seconds: median(&|r| r.link_seconds),
            median_assemble_seconds: median(&|r| r.assemble_seconds),
            median_cpu_seconds: median(&|r| r.cpu_seconds),
            peak_rss_mb: runs.iter().map(|r| r.peak_rss_mb).fold(0.0, f64::max),
            b_cubed_f1: median(&|r| r.b_cubed_f1),
            runs,
        });
    }
    if global.json {
        return output::print_json(&sizes);
    }
    println!(
        "mentions   link+assemble (median)  link     assemble  CPU       peak memory  B-cubed F1  growth (CPU) vs n·log n"
    );
    let mut previous: Option<&SizeFigures> = None;
    for s in &sizes {
        let growth = previous.map(|p| {
            let measured = s.median_cpu_seconds / p.median_cpu_seconds.max(1e-9);
            let nlogn = (s.mentions as f64 * (s.mentions as f64).ln())
                / (p.mentions as f64 * (p.mentions as f64).ln());
            format!("x{measured:.1} (n log n: x{nlogn:.1})")
        });
        println!(
            "{:<10} {:>10.2} s             {:>6.2} s {:>7.2} s {:>7.2} s {:>8.0} MB  {:>10.3}  {}",
            s.mentions,
            s.median_total_seconds,
            s.median_link_seconds,
            s.median_assemble_seconds,
            s.median_cpu_seconds,
            s.peak_rss_mb,
            s.b_cubed_f1,
            growth.unwrap_or_default()
        );
        previous = Some(s);
    }
    Ok(())
}

/// Stores synthetic reports and their mentions as `vigil ingest` would.
fn store_synthetic(
    store: &mut Store,
    mentions: &[vigil_link::SourcedMention],
    tag: &str,
    config: &Config,
) -> Result<usize> {
    // Group mentions by report id (they come grouped).
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        match groups.last_mut() {
            Some((id, members)) if *id == m.report.id => members.push(i),
            _ => groups.push((m.report.id.clone(), vec![i])),
        }
    }
    for chunk in groups.chunks(5000) {
        let reports: Vec<IncomingReport> = chunk
            .iter()
            .map(|(id, members)| {
                let body = format!(
                    "Synthetic report {tag}-{id} with {} mentions.",
                    members.len()
                );
                IncomingReport {
                    source: format!("synthetic/{tag}/{id}.txt"),
                    url: None,
                    title: None,
                    outlet: None,
                    published: mentions[members[0]].report.published.map(|d| d.to_string()),
                    language: Some("en".into()),
                    language_detected: false,
                    content_hash: format!(
                        "{:064x}",
                        vigil_link::stable_hash(body.as_bytes()) as u128
                            | ((vigil_link::stable_hash(tag.as_bytes()) as u128) << 64)
                    ),
                    original: body.clone().into_bytes(),
                    body,
                    format: SourceFormat::Text,
                    encoding: "UTF-8".into(),
                    extra: Default::default(),
                }
            })
            .collect();
        let outcomes = store.insert_batch(&reports, &crate::now_utc())?;
        let keys: Vec<(i64, String)> = outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Inserted::Stored { id, uid, .. } | Inserted::Duplicate { id, uid } => (id, uid),
            })
            .collect();
        let held: Vec<Vec<vigil_model::Mention>> = chunk
            .iter()
            .map(|(_, members)| {
                members
                    .iter()
                    .map(|&i| mentions[i].mention.clone())
                    .collect()
            })
            .collect();
        // The whole chunk's mentions in one transaction.
        let no_diagnostics = serde_json::Value::Array(vec![]);
        let batch: Vec<(
            link_cmd::ReportKey<'_>,
            &[vigil_model::Mention],
            &serde_json::Value,
        )> = chunk
            .iter()
            .zip(&keys)
            .zip(&held)
            .map(|(((_, members), (id, uid)), ms)| {
                (
                    link_cmd::ReportKey {
                        id: *id,
                        uid,
                        published: mentions[members[0]].report.published,
                    },
                    ms.as_slice(),
                    &no_diagnostics,
                )
            })
            .collect();
        link_cmd::store_mentions_many(store, &batch, "synthetic", config)?;
    }
    Ok(groups.len())
}

/// Synthetic mentions per linked incident: the generator tells each incident in 2.0 mentions on
/// average, and linking merges some same-day, same-town incidents (B-cubed precision 0.8), so
/// a store holds about one incident for every 2.5 mentions (398,134 for 1,000,000), times ten.
const MENTIONS_PER_INCIDENT_X10: usize = 25;

/// `count` new reports of three mentions each, about incidents of `period` (run `run`'s).
/// Report `j` tells mentions `j`, `j + count` and `j + 2 count` of the generated stream, so the
/// several reports of one incident are different reports, as news tells it; a report is
/// published on the latest publication day of its mentions.
fn new_reports(
    count: usize,
    seed: u64,
    period: synth_mentions::Period,
    run: u32,
) -> Vec<vigil_link::SourcedMention> {
    let mut stream = Vec::with_capacity(count * 3);
    synth_mentions::generate_each_in(count * 3, seed, period, |m, _| stream.push(m));
    let mut out = Vec::with_capacity(stream.len());
    for j in 0..count {
        let slots: Vec<usize> = (0..3)
            .map(|k| j + k * count)
            .filter(|&i| i < stream.len())
            .collect();
        let published = slots
            .iter()
            .filter_map(|&i| stream[i].report.published)
            .max();
        for (ordinal, &i) in slots.iter().enumerate() {
            let mut m = stream[i].clone();
            m.report.id = format!("new{run}-{j:08}");
            m.report.published = published;
            m.ordinal = ordinal as u32;
            out.push(m);
        }
    }
    out
}

/// Every stored incident as a JSON line (`vigil incidents list --json` compares the same way).
fn incident_lines(store: &Store) -> Result<std::collections::BTreeSet<String>> {
    let mut lines = std::collections::BTreeSet::new();
    store.for_each_incident(
        &vigil_store::IncidentFilter::default(),
        |incident| -> Result<()> {
            lines.insert(serde_json::to_string(&incident)?);
            Ok(())
        },
    )?;
    Ok(lines)
}

pub fn run_incremental(global: &Global, args: &IncrementalArgs) -> Result<()> {
    let config = Config::default();
    let (dir, remove) = match &args.store {
        Some(path) => (path.parent().unwrap_or(Path::new(".")).to_path_buf(), false),
        None => (
            std::env::temp_dir().join(format!("vigil-bench-link-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&dir)?;
    let db = args.store.clone().unwrap_or_else(|| dir.join("bench.db"));
    let result = (|| -> Result<()> {
        let mut store = Store::open(&db)?;
        let existing = store.link_stats()?.incidents as usize;
        let base_mentions = args.incidents * MENTIONS_PER_INCIDENT_X10 / 10;
        let period = synth_mentions::Period::at_news_volume(base_mentions);
        if existing < args.incidents * 8 / 10 {
            let t = Instant::now();
            let mut reports = 0;
            let mut buffer: Vec<vigil_link::SourcedMention> = Vec::new();
            let mut failure = None;
            synth_mentions::generate_each_in(base_mentions, args.seed, period, |m, _| {
                // Flush whole reports only.
                if buffer.len() >= 20_000
                    && buffer.last().is_some_and(|l| l.report.id != m.report.id)
                {
                    match store_synthetic(&mut store, &buffer, "base", &config) {
                        Ok(n) => reports += n,
                        Err(e) => failure = failure.take().or(Some(e)),
                    }
                    buffer.clear();
                }
                buffer.push(m);
            });
            if let Some(e) = failure {
                return Err(e);
            }
            reports += store_synthetic(&mut store, &buffer, "base", &config)?;
            drop(buffer);
            if !global.quiet {
                eprintln!(
                    "stored {reports} reports in {:.1} s; linking them (rebuild) ...",
                    t.elapsed().as_secs_f64()
                );
            }
            let t = Instant::now();
            let summary = link_cmd::rebuild(&mut store, &config)?;
            if !global.quiet {
                eprintln!(
                    "rebuild: {} mentions into {} incidents in {:.1} s",
                    summary.mentions_linked,
                    summary.incidents_written,
                    t.elapsed().as_secs_f64()
                );
            }
        }
        let base = store.link_stats()?;
        if args.store.is_some() {
            // Closing the last connection checkpoints the write-ahead log into the file.
            drop(store);
            let copy = dir.join("bench-runs.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
            }
            std::fs::copy(&db, &copy).context("cannot copy the benchmark store")?;
            store = Store::open(&copy)?;
        }
        ensure!(
            base.incidents as usize >= args.incidents * 8 / 10,
            "the store holds only {} incidents",
            base.incidents
        );
        let recent = period.last_days(args.recent_days);
        let mut seconds = Vec::new();
        let mut cpu_seconds = Vec::new();
        let mut written = Vec::new();
        let mut replaced = Vec::new();
        for run in 0..args.runs {
            let mentions =
                new_reports(args.reports, args.seed + 1000 + u64::from(run), recent, run);
            let t = Instant::now();
            let cpu0 = self_cpu_seconds();
            let stored = store_synthetic(
                &mut store,
                &mentions,
                &format!("run{run}-{}", base.incidents),
                &config,
            )?;
            let summary = link_cmd::link_pending(&mut store, &config)?;
            let s = t.elapsed().as_secs_f64();
            let cpu = self_cpu_seconds() - cpu0;
            ensure!(
                stored == args.reports,
                "stored {stored} reports, expected {}",
                args.reports
            );
            ensure!(
                summary.mentions_linked as usize == args.reports * 3,
                "linked {} mentions",
                summary.mentions_linked
            );
            if !global.quiet {
                eprintln!(
                    "run {}: {} reports ({} mentions) stored and linked in {:.2} s, CPU {:.2} s ({} incidents written, {} replaced, {} mentions replayed, {} searched)",
                    run + 1,
                    stored,
                    summary.mentions_linked,
                    s,
                    cpu,
                    summary.incidents_written,
                    summary.incidents_removed,
                    summary.mentions_replayed,
                    summary.mentions_searched
                );
            }
            seconds.push(s);
            cpu_seconds.push(cpu);
            written.push(summary.incidents_written);
            replaced.push(summary.incidents_removed);
        }
        let stats = store.link_stats()?;
        if stats.unlinked_mentions > 0 {
            bail!("{} mentions were left unlinked", stats.unlinked_mentions);
        }
        let checked = if args.check {
            let t = Instant::now();
            let incremental = incident_lines(&store)?;
            link_cmd::rebuild(&mut store, &config)?;
            let rebuilt = incident_lines(&store)?;
            let differ = incremental.symmetric_difference(&rebuilt).count();
            ensure!(
                differ == 0,
                "incremental linking and a rebuild differ in {differ} of {} incidents; incremental only: {}; rebuild only: {}",
                rebuilt.len(),
                incremental
                    .difference(&rebuilt)
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" | "),
                rebuilt
                    .difference(&incremental)
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            if !global.quiet {
                eprintln!(
                    "check: a rebuild gives the same {} incidents ({:.1} s)",
                    rebuilt.len(),
                    t.elapsed().as_secs_f64()
                );
            }
            Some(rebuilt.len())
        } else {
            None
        };
        let mut sorted = seconds.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let mut sorted_cpu = cpu_seconds.clone();
        sorted_cpu.sort_by(f64::total_cmp);
        let median_cpu = sorted_cpu[sorted_cpu.len() / 2];
        if global.json {
            output::print_json(&serde_json::json!({
                "store_incidents": base.incidents, "store_mentions": base.mentions,
                "new_reports": args.reports, "new_mentions": args.reports * 3,
                "recent_days": recent.days, "runs": seconds, "median_seconds": median,
                "cpu_seconds": cpu_seconds, "median_cpu_seconds": median_cpu,
                "incidents_written": written, "incidents_replaced": replaced,
                "checked_incidents": checked,
            }))?;
        } else {
            println!(
                "adding {} reports ({} mentions, incidents of the last {} days) to a store of {} incidents ({} mentions): median {:.2} s (CPU {:.2} s) over {} runs (min {:.2}, max {:.2})",
                args.reports,
                args.reports * 3,
                recent.days,
                base.incidents,
                base.mentions,
                median,
                median_cpu,
                sorted.len(),
                sorted[0],
                sorted[sorted.len() - 1]
            );
        }
        Ok(())
    })();
    if remove {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ =
                std::fs::remove_file(format!("{}{suffix}", dir.join("bench-runs.db").display()));
        }
    }
    result
}

/// User and system CPU time of this process so far, all threads.
fn self_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass; a zeroed rusage is a valid value.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return 0.0;
        }
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// The peak resident set of this process (Linux reports kilobytes).
fn self_peak_rss_bytes() -> u64 {
    // SAFETY: getrusage only writes into the struct we pass; a zeroed rusage is a valid value.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
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
