//! Measures the gazetteer: index load time, place recognition and resolution throughput on one
//! core, and resident memory.
//!
//! ```sh
//! cargo run --release -p vigil-gazetteer --example geoparse_speed -- [TEXT_FILES_OR_GWN_XML...]
//! ```
//!
//! Without arguments it reads the sample reports in `crates/gazetteer/tests/gold/`. A GWN.xml
//! argument contributes its 200 article texts. Each run checks its answer: the number of place
//! mentions found must be the same in every round and above zero. `ROUNDS` (default 5) and
//! `ROUND_MB` (megabytes of text a round, default 2) make it shorter, e.g. under
//! `valgrind --tool=callgrind`, whose instruction counts are steady on a busy machine;
//! `CANDIDATES=N` sets `GeoparseConfig::max_candidates` (default 5, with their reasons).

use std::time::Instant;

use vigil_gazetteer::{Gazetteer, GeoparseConfig, bundled_index_path, find_places};

fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU seconds this process has used (user + system), from /proc/self/stat: on a shared, busy
/// machine the CPU time per megabyte is steadier than the wall-clock rate.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of the whole line (utime, stime) are 11 and 12 after the ")".
    (ticks(11) + ticks(12)) / 100.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn documents(args: &[String]) -> Vec<String> {
    let mut docs = Vec::new();
    let paths: Vec<String> = if args.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold");
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path().display().to_string()))
            .filter(|p| p.ends_with(".txt"))
            .collect();
        v.sort();
        v
    } else {
        args.to_vec()
    };
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        if p.ends_with(".xml") {
            for chunk in text.split("<text>").skip(1) {
                if let Some(end) = chunk.find("</text>") {
                    docs.push(
                        chunk[..end]
                            .replace("&amp;", "&")
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&apos;", "'"),
                    );
                }
            }
        } else {
            docs.push(text);
        }
    }
    docs
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (rss0, _) = rss_kib();
    // Make sure the cached index exists (compiled at first use), then time opening it.
    Gazetteer::bundled().expect("bundled gazetteer");
    let path = bundled_index_path();
    let mut loads = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let g = Gazetteer::open(&path).expect("open index");
        loads.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(g);
    }
    let gaz = Gazetteer::open(&path).expect("open index");
    let (rss_loaded, _) = rss_kib();

    let docs = documents(&args);
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    // CANDIDATES=0 measures what a caller that wants the choices alone gets (extraction).
    let config = GeoparseConfig {
        max_candidates: std::env::var("CANDIDATES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(GeoparseConfig::default().max_candidates),
        ..GeoparseConfig::default()
    };
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut expected = None;
    // Repeat the corpus so that one round takes long enough to time.
    let env_f64 = |name: &str, default: f64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(default)
    };
    let rounds = env_f64("ROUNDS", 5.0).max(1.0) as usize;
    let repeat = ((env_f64("ROUND_MB", 2.0) * 1e6) as usize / bytes.max(1)).max(1);
    for _ in 0..rounds {
        let t = Instant::now();
        let cpu = cpu_seconds();
        let mut found = 0usize;
        for _ in 0..repeat {
            for d in &docs {
                found += find_places(&gaz, d, &config).len();
            }
        }
        let secs = t.elapsed().as_secs_f64();
        rates.push((bytes * repeat) as f64 / 1e6 / secs);
        cpu_rates.push((bytes * repeat) as f64 / 1e6 / (cpu_seconds() - cpu).max(0.01));
        assert!(found > 0, "no place found: the benchmark measures nothing");
        assert!(
            expected.is_none_or(|e| e == found),
            "results changed between rounds"
        );
        expected = Some(found);
    }
    let (rss_end, hwm) = rss_kib();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "index: {} ({} places, {} names)",
        path.display(),
        gaz.len(),
        gaz.name_count()
    );
    println!(
        "load (open + lexicon), 7 runs: median {:.1} ms (min {:.1}, max {:.1})",
        median(&mut loads.clone()),
        loads.iter().copied().fold(f64::MAX, f64::min),
        loads.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "find_places, one thread, {} documents ({:.2} MB) x {repeat}, {rounds} rounds: median {:.1} MB/s (min {:.1}, max {:.1}); {} mentions per round",
        docs.len(),
        bytes as f64 / 1e6,
        median(&mut rates.clone()),
        rates.iter().copied().fold(f64::MAX, f64::min),
        rates.iter().copied().fold(0.0, f64::max),
        expected.unwrap_or(0) / repeat
    );
    println!(
        "  by CPU time: median {:.1} MB per CPU second; machine load average {}",
        median(&mut cpu_rates.clone()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "resident memory: {:.0} MB at start, {:.0} MB after loading, {:.0} MB at the end, peak {:.0} MB",
        rss0 as f64 / 1024.0,
        rss_loaded as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
}
