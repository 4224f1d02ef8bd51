//! Prints every mention `find_places` finds in the 200 GeoWebNews articles as JSON lines: a
//! fingerprint of the geoparser's results, to compare before and after a change that must not
//! alter them (speed work).
//!
//! ```sh
//! cargo run --release -p vigil-gazetteer --example dump_places -- ../shared/benchmarks/geoparsing/GWN.xml > before.jsonl
//! # ... change, rebuild ...
//! cargo run --release -p vigil-gazetteer --example dump_places -- ../shared/benchmarks/geoparsing/GWN.xml | cmp - before.jsonl
//! ```
//!
//! `CANDIDATES=N` sets `GeoparseConfig::max_candidates` (default 5).

use vigil_gazetteer::{Gazetteer, GeoparseConfig, find_places};

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_places GWN.xml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let gaz = Gazetteer::bundled().expect("bundled gazetteer");
    let config = GeoparseConfig {
        max_candidates: std::env::var("CANDIDATES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(GeoparseConfig::default().max_candidates),
        ..GeoparseConfig::default()
    };
    for chunk in text.split("<text>").skip(1) {
        let end = chunk.find("</text>").unwrap_or(chunk.len());
        let doc = chunk[..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        for m in find_places(&gaz, &doc, &config) {
            println!(
                "{}",
                serde_json::to_string(&m).expect("a mention serialises")
            );
        }
    }
}
