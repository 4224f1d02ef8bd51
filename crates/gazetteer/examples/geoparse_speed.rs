//! Measures the gazetteer: index load time, place recognition and resolution throughput on one
//! core, and resident memory.
//!
//! ```sh
//! cargo run --release -p vigil-gazetteer --example geoparse_speed -- [TEXT_FILES_OR_GWN_XML...]
//! ```
//!
//! Without arguments it reads the sample reports in `crates/gazetteer/tests/gold/`. A GWN.xml
//! argument contributes its 200 article texts. Each round empties the per-thread word cache, then
//! makes one "cold" pass over the corpus (every word form and name new to the thread) and
//! further "warm" passes over the same text (the cache remembers them, as it does over a long
//! stream of news); both are reported, by CPU time of the thread and by wall clock. Each run
//! checks its answer: the number of place mentions found must be the same in every pass and
//! above zero. `ROUNDS` (default 5) and `ROUND_MB` (megabytes of text a round, default 2, at
//! least two passes) make it shorter, e.g. under
//! `valgrind --tool=callgrind`, whose instruction counts are steady on a busy machine;
//! `CANDIDATES=N` sets `GeoparseConfig::max_candidates` (default 5, with their reasons).

use std::time::Instant;

use vigil_gazetteer::{
    Gazetteer, GeoparseConfig, bundled_index_path, clear_thread_cache, find_places,
};

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

/// CPU seconds this thread has run, in nanoseconds from /proc/thread-self/schedstat (its first
/// field): on a shared, busy machine the CPU time per megabyte is steadier than the wall-clock
/// rate, and unlike the 10 ms ticks of /proc/self/stat it resolves a 0.1 s pass.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
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

/// One pass over the documents: the number of mentions found.
fn pass(gaz: &Gazetteer, docs: &[String], config: &GeoparseConfig) -> usize {
    docs.iter().map(|d| find_places(gaz, d, config).len()).sum()
}

/// The first pass of a round (empty word cache). Its own function, never inlined, so that
/// `valgrind --tool=callgrind --toggle-collect=geoparse_speed::cold_pass` counts it alone.
#[inline(never)]
fn cold_pass(gaz: &Gazetteer, docs: &[String], config: &GeoparseConfig) -> usize {
    pass(gaz, docs, config)
}

/// The further passes of a round (warm cache); `--toggle-collect=geoparse_speed::warm_passes`
/// with `ROUNDS=1 ROUND_MB=1` counts exactly one.
#[inline(never)]
fn warm_passes(gaz: &Gazetteer, docs: &[String], config: &GeoparseConfig, n: usize) -> usize {
    (0..n).map(|_| pass(gaz, docs, config)).sum()
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
    // Each round starts with an empty per-thread word cache: its first pass over the corpus is
    // text never seen before ("cold": every word form and name looked up afresh, as for the
    // first reports of a stream), the further passes repeat it ("warm": a long stream of news
    // repeats its words and names, which the cache remembers).
    let mut cold_rates = Vec::new();
    let mut cold_cpu_rates = Vec::new();
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut expected = None;
    let env_f64 = |name: &str, default: f64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(default)
    };
    let rounds = env_f64("ROUNDS", 5.0).max(1.0) as usize;
    // Repeat the corpus so that the warm part of a round takes long enough to time.
    let repeat = ((env_f64("ROUND_MB", 2.0) * 1e6) as usize / bytes.max(1)).max(2);
    for _ in 0..rounds {
        clear_thread_cache();
        let (t, cpu) = (Instant::now(), thread_cpu_seconds());
        let found = cold_pass(&gaz, &docs, &config);
        let (secs, cpu_secs) = (t.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu);
        cold_rates.push(bytes as f64 / 1e6 / secs);
        cold_cpu_rates.push(bytes as f64 / 1e6 / cpu_secs.max(1e-6));
        let (t, cpu) = (Instant::now(), thread_cpu_seconds());
        let warm_found = warm_passes(&gaz, &docs, &config, repeat - 1);
        let (secs, cpu_secs) = (t.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu);
        let warm_bytes = (bytes * (repeat - 1)) as f64;
        rates.push(warm_bytes / 1e6 / secs);
        cpu_rates.push(warm_bytes / 1e6 / cpu_secs.max(1e-6));
        assert!(found > 0, "no place found: the benchmark measures nothing");
        assert_eq!(
            warm_found,
            found * (repeat - 1),
            "results changed with the cache"
        );
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
    let spread = |v: &[f64]| {
        (
            v.iter().copied().fold(f64::MAX, f64::min),
            v.iter().copied().fold(0.0, f64::max),
        )
    };
    println!(
        "find_places, one thread, {} documents ({:.2} MB), {rounds} rounds; {} mentions per pass",
        docs.len(),
        bytes as f64 / 1e6,
        expected.unwrap_or(0)
    );
    for (what, wall, cpu) in [
        (
            "cold (first pass, empty word cache)",
            &cold_rates,
            &cold_cpu_rates,
        ),
        ("warm (further passes)", &rates, &cpu_rates),
    ] {
        let (wmin, wmax) = spread(wall);
        let (cmin, cmax) = spread(cpu);
        println!(
            "  {what}: {:.1} MB per CPU second (min {cmin:.1}, max {cmax:.1}); wall clock {:.1} MB/s (min {wmin:.1}, max {wmax:.1})",
            median(&mut cpu.clone()),
            median(&mut wall.clone()),
        );
    }
    println!(
        "  machine load average {}",
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
