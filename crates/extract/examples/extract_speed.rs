//! Extraction speed on one core with the full gazetteer loaded, and peak memory.
//!
//! Extracts the five sample reports (3-8 KB each) over and over on one thread, in several runs,
//! and prints the median rate, the spread, the CPU time per report, the resource load time and
//! the process's peak resident memory. The benchmark checks its answer: every pass must yield
//! the same incidents as the first (and some), or it fails.
//!
//! `cargo run --release -p vigil-extract --example extract_speed -- [--runs 7] [--seconds 3]`
//!
//! With `--passes N` it instead extracts the reports exactly N times and stops, with no clock
//! and no geoparser-alone runs: a fixed amount of work for instruction counts that the
//! machine's load cannot change
//! (`valgrind --tool=callgrind --toggle-collect='vigil_extract::extract_report*' ... --passes 5`).

use std::time::Instant;

use vigil_extract::{Config, ReportInput, Resources, extract_report};

/// A report file read as `vigil extract` reads it: publication date and body.
fn read_report(path: &std::path::Path) -> (Option<jiff::civil::Date>, String) {
    let mut report = None;
    vigil_ingest::read_file(path, &vigil_ingest::Config::default(), &mut |item| {
        report = item.ok();
    });
    let report = report.unwrap_or_else(|| panic!("{}: not a report", path.display()));
    let published = report
        .published
        .as_deref()
        .and_then(|p| p.get(..10)?.parse().ok());
    (published, report.body)
}

fn cpu_seconds() -> f64 {
    // utime + stime of this process, from /proc (Linux); wall time elsewhere.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            let ticks: f64 =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let mut runs = 7usize;
    let mut seconds = 3.0f64;
    let mut passes: Option<usize> = None;
    let args: Vec<String> = std::env::args().collect();
    for w in args.windows(2) {
        match w[0].as_str() {
            "--runs" => runs = w[1].parse().expect("--runs N"),
            "--seconds" => seconds = w[1].parse().expect("--seconds S"),
            "--passes" => passes = Some(w[1].parse().expect("--passes N")),
            _ => {}
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reports/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("sample reports")
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let owned: Vec<(Option<jiff::civil::Date>, String)> =
        paths.iter().map(|p| read_report(p)).collect();
    let reports: Vec<(Option<jiff::civil::Date>, &str)> =
        owned.iter().map(|(d, b)| (*d, b.as_str())).collect();
    let bytes: usize = reports.iter().map(|r| r.1.len()).sum();

    let t = Instant::now();
    let resources = Resources::bundled().expect("resources");
    let load = t.elapsed().as_secs_f64();
    let config = Config::default();

    let run_once = || -> Vec<Vec<vigil_model::Mention>> {
        reports
            .iter()
            .map(|(published, body)| {
                let input = ReportInput {
                    body,
                    title: None,
                    published: *published,
                    language: Some("en"),
                };
                extract_report(&input, &resources, &config).mentions
            })
            .collect()
    };
    let expected = run_once();
    assert!(
        expected.iter().all(|m| !m.is_empty()),
        "a sample report yielded no incident"
    );
    if let Some(passes) = passes {
        for _ in 1..passes {
            assert_eq!(run_once(), expected, "extraction changed between passes");
        }
        println!(
            "{} passes over {} reports ({} extractions)",
            passes,
            reports.len(),
            passes * reports.len()
        );
        return;
    }

    let mut rates = Vec::new();
    let mut cpu_per_report = Vec::new();
    for _ in 0..runs {
        let (wall0, cpu0) = (Instant::now(), cpu_seconds());
        let mut n = 0usize;
        while wall0.elapsed().as_secs_f64() < seconds {
            let got = run_once();
            assert_eq!(got, expected, "extraction changed between passes");
            n += reports.len();
        }
        let wall = wall0.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        rates.push(n as f64 / wall);
        cpu_per_report.push(if cpu > 0.0 {
            cpu / n as f64 * 1e6
        } else {
            wall / n as f64 * 1e6
        });
    }
    // The geoparser alone on the same reports, to tell its share from the rest of extraction.
    let mut geoparse = Vec::new();
    for _ in 0..runs {
        let (wall0, cpu0) = (Instant::now(), cpu_seconds());
        let mut n = 0usize;
        while wall0.elapsed().as_secs_f64() < seconds / 2.0 {
            for (_, body) in &reports {
                let found = vigil_gazetteer::find_places(
                    resources.gazetteer(),
                    body,
                    &vigil_gazetteer::GeoparseConfig::default(),
                );
                assert!(!found.is_empty());
                n += 1;
            }
        }
        let cpu = cpu_seconds() - cpu0;
        geoparse.push(cpu / n as f64 * 1e6);
    }
    geoparse.sort_by(f64::total_cmp);
    rates.sort_by(f64::total_cmp);
    cpu_per_report.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "{} reports of {:.1} KB on average, {} runs of {:.0} s, one thread",
        reports.len(),
        bytes as f64 / reports.len() as f64 / 1024.0,
        runs,
        seconds
    );
    println!("resources loaded in {:.2} s (lexicons and gazetteer)", load);
    println!(
        "median {:.0} reports/s (min {:.0}, max {:.0}); CPU {:.0} µs per report (median)",
        median,
        rates[0],
        rates[rates.len() - 1],
        cpu_per_report[cpu_per_report.len() / 2]
    );
    let cpu = cpu_per_report[cpu_per_report.len() / 2];
    let geo = geoparse[geoparse.len() / 2];
    println!("CPU-time rate: {:.0} reports per CPU-second", 1e6 / cpu);
    println!(
        "of which the geoparser (vigil_gazetteer::find_places): {:.0} µs; the rest of extraction: {:.0} µs ({:.0} reports per CPU-second)",
        geo,
        cpu - geo,
        1e6 / (cpu - geo).max(1.0)
    );
    println!("peak resident memory {:.0} MB", peak_rss_mb());
}
