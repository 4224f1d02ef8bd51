//! Scores the geoparser on GeoWebNews (Gritta et al. 2020): resolution given the gold toponym
//! spans (accuracy within 161 km), and end to end (vigil finds the toponyms itself: precision and
//! recall of places within 161 km, and of spans alone).
//!
//! ```sh
//! cargo run --release -p vigil-gazetteer --example eval_gwn -- ../shared/benchmarks/geoparsing/GWN.xml
//! ```
//!
//! Offsets in GWN.xml are Python string indices (code points) into the unescaped `<text>`; they
//! are converted to byte offsets here. Toponyms with negative offsets (in the title, 5 of them)
//! are left out.

use std::collections::HashSet;

use vigil_gazetteer::{Gazetteer, GeoparseConfig, PlaceId, find_places, resolve_spans};
use vigil_model::{Span, haversine_km};

struct Toponym {
    span: Span,
    text: String,
    kind: String,
    geonameid: Option<u64>,
    point: Option<(f64, f64)>,
}

struct Article {
    text: String,
    toponyms: Vec<Toponym>,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(j) = rest.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..j];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

fn parse(xml: &str) -> Vec<Article> {
    let mut out = Vec::new();
    for chunk in xml.split("<article ").skip(1) {
        let text = unescape(between(chunk, "<text>", "</text>").unwrap_or(""));
        // Code point index -> byte offset.
        let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        offsets.push(text.len());
        let mut toponyms = Vec::new();
        for t in chunk.split("<toponym>").skip(1) {
            let field =
                |name: &str| between(t, &format!("<{name}>"), &format!("</{name}>")).map(unescape);
            let (Some(start), Some(end)) = (
                field("start").and_then(|s| s.parse::<i64>().ok()),
                field("end").and_then(|s| s.parse::<i64>().ok()),
            ) else {
                continue;
            };
            if start < 0 || end < start || end as usize >= offsets.len() {
                continue;
            }
            let kind = field("type").unwrap_or_default();
            if matches!(
                kind.as_str(),
                "Non_Toponym" | "Literal_Expression" | "Non_Lit_Expression"
            ) {
                continue;
            }
            let point = match (
                field("latitude").and_then(|v| v.parse().ok()),
                field("longitude").and_then(|v| v.parse().ok()),
            ) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            toponyms.push(Toponym {
                span: Span::new(offsets[start as usize], offsets[end as usize]),
                text: field("extractedName").unwrap_or_default(),
                kind,
                geonameid: field("geonamesID").and_then(|v| v.parse().ok()),
                point,
            });
        }
        out.push(Article { text, toponyms });
    }
    out
}

#[derive(Default)]
struct Tally {
    n: usize,
    ok: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.n += 1;
        self.ok += usize::from(ok);
    }
    fn pct(&self) -> f64 {
        100.0 * self.ok as f64 / self.n.max(1) as f64
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/benchmarks/geoparsing/GWN.xml".into());
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let articles = parse(&xml);
    let gaz = Gazetteer::bundled().expect("gazetteer");
    let indexed: HashSet<u64> = (0..gaz.len() as u32)
        .filter_map(|i| gaz.entry(PlaceId(i)).geonameid)
        .collect();
    let config = GeoparseConfig::default();
    let verbose = std::env::var_os("VERBOSE").is_some();

    let (mut all, mut with_id, mut covered, mut uncovered) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let mut exact = Tally::default();
    // Resolved to the gold's own GeoNames id but farther than 161 km from the gold point: a
    // country or admin area whose representative point is not GeoNames' own.
    let mut same_id_far = 0usize;
    let mut by_kind: std::collections::BTreeMap<String, Tally> = Default::default();
    let (mut sys, mut tp_place, mut tp_span, mut gold_spans, mut gold_points) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let started = std::time::Instant::now();
    let mut bytes = 0usize;
    for a in &articles {
        bytes += a.text.len();
        // 1. Resolution given the gold spans (toponyms with coordinates).
        let gold: Vec<&Toponym> = a.toponyms.iter().filter(|t| t.point.is_some()).collect();
        let spans: Vec<Span> = gold.iter().map(|t| t.span).collect();
        let resolved = resolve_spans(&gaz, &a.text, &spans, &config);
        for (t, m) in gold.iter().zip(&resolved) {
            let (lat, lon) = t.point.unwrap();
            let ok = m
                .place
                .as_ref()
                .is_some_and(|p| haversine_km(p.lat, p.lon, lat, lon) <= 161.0);
            all.add(ok);
            by_kind.entry(t.kind.clone()).or_default().add(ok);
            if let Some(id) = t.geonameid {
                with_id.add(ok);
                let same = m.place.as_ref().and_then(|p| p.geonames_id) == Some(id);
                exact.add(same);
                if same && !ok {
                    same_id_far += 1;
                }
                if indexed.contains(&id) {
                    covered.add(ok);
                } else {
                    uncovered.add(ok);
                }
            }
            if verbose && !ok {
                let covered = t.geonameid.is_some_and(|id| indexed.contains(&id));
                let same = t.geonameid.is_some()
                    && m.place.as_ref().and_then(|p| p.geonames_id) == t.geonameid;
                eprint!("{}", if covered { "COVERED " } else { "" });
                eprint!("{}", if same { "SAME-ID " } else { "" });
                eprintln!(
                    "MISS {:?} [{}] gold {:.2},{:.2} got {:?}",
                    t.text,
                    t.kind,
                    lat,
                    lon,
                    m.place.as_ref().map(|p| (
                        &p.name,
                        p.country.as_deref(),
                        (p.lat * 100.0).round() / 100.0,
                        (p.lon * 100.0).round() / 100.0
                    ))
                );
            }
        }
        // 2. End to end.
        let found = find_places(&gaz, &a.text, &config);
        gold_spans += a.toponyms.len();
        gold_points += gold.len();
        let mut matched_place: HashSet<usize> = HashSet::new();
        let mut matched_span: HashSet<usize> = HashSet::new();
        for m in found.iter().filter(|m| m.place.is_some()) {
            sys += 1;
            let p = m.place.as_ref().unwrap();
            let overlapping: Vec<usize> = (0..a.toponyms.len())
                .filter(|&k| {
                    a.toponyms[k].span.start < m.span.end && m.span.start < a.toponyms[k].span.end
                })
                .collect();
            if let Some(&k) = overlapping.iter().find(|&&k| !matched_span.contains(&k)) {
                matched_span.insert(k);
                tp_span += 1;
            }
            if let Some(&k) = overlapping.iter().find(|&&k| {
                !matched_place.contains(&k)
                    && a.toponyms[k]
                        .point
                        .is_some_and(|(lat, lon)| haversine_km(p.lat, p.lon, lat, lon) <= 161.0)
            }) {
                matched_place.insert(k);
                tp_place += 1;
            } else if verbose {
                eprintln!(
                    "FP? {:?} -> {} [{}]",
                    m.text,
                    p.name,
                    p.country.as_deref().unwrap_or("-")
                );
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "GeoWebNews: {} articles, {} toponyms ({} with coordinates)",
        articles.len(),
        gold_spans,
        gold_points
    );
    println!();
    println!("Resolution given the gold spans (accuracy within 161 km):");
    println!(
        "  all toponyms with coordinates   {:>5}  {:5.1}%",
        all.n,
        all.pct()
    );
    println!(
        "  with a GeoNames id              {:>5}  {:5.1}%  (exact GeoNames id {:.1}%)",
        with_id.n,
        with_id.pct(),
        exact.pct()
    );
    println!(
        "  GeoNames id in the bundled data {:>5}  {:5.1}%",
        covered.n,
        covered.pct()
    );
    println!(
        "  GeoNames id not in the data     {:>5}  {:5.1}%",
        uncovered.n,
        uncovered.pct()
    );
    println!(
        "  right GeoNames id but > 161 km  {same_id_far:>5}  (areas whose representative point is not GeoNames' own: {:.1}% of the covered ones)",
        100.0 * same_id_far as f64 / covered.n.max(1) as f64
    );
    println!("  by type:");
    for (k, t) in &by_kind {
        println!("    {k:<22} {:>5}  {:5.1}%", t.n, t.pct());
    }
    println!();
    let p_place = 100.0 * tp_place as f64 / sys.max(1) as f64;
    let r_place = 100.0 * tp_place as f64 / gold_points.max(1) as f64;
    let p_span = 100.0 * tp_span as f64 / sys.max(1) as f64;
    let r_span = 100.0 * tp_span as f64 / gold_spans.max(1) as f64;
    let f = |p: f64, r: f64| {
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    };
    println!("End to end ({sys} places found):");
    println!(
        "  places within 161 km  precision {p_place:5.1}%  recall {r_place:5.1}% (of {gold_points})  F1 {:5.1}",
        f(p_place, r_place)
    );
    println!(
        "  toponym spans         precision {p_span:5.1}%  recall {r_span:5.1}% (of {gold_spans})  F1 {:5.1}",
        f(p_span, r_span)
    );
    println!();
    println!(
        "{:.1} MB of text, both passes, {secs:.2} s",
        bytes as f64 / 1e6
    );
}
