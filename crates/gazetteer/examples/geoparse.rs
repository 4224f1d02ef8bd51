//! Prints the places found in text files: `cargo run --release -p vigil-gazetteer --example geoparse FILE...`
//! (`HINT=SY` sets the country hint, `VERBOSE=1` prints every mention's candidates and reasons;
//! a YAML front matter is skipped, so spans are offsets into the body). A `.xml` file is read as
//! GeoWebNews: each `<text>` is one document.

/// The documents of a file: its body, or the article texts of a GeoWebNews XML file.
fn documents(path: &str) -> Vec<(String, String)> {
    let all = std::fs::read_to_string(path).expect("read");
    if path.ends_with(".xml") {
        return all
            .split("<text>")
            .skip(1)
            .filter_map(|chunk| chunk.find("</text>").map(|end| &chunk[..end]))
            .enumerate()
            .map(|(i, t)| {
                let text = t
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&");
                (format!("{path}#{i}"), text)
            })
            .collect();
    }
    let text = all
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
        .map(|(_, b)| b.to_string())
        .unwrap_or(all);
    vec![(path.to_string(), text)]
}

fn main() {
    let gaz = vigil_gazetteer::Gazetteer::bundled().expect("gazetteer");
    let docs: Vec<(String, String)> = std::env::args()
        .skip(1)
        .flat_map(|p| documents(&p))
        .collect();
    for (path, text) in &docs {
        let text = text.as_str();
        let config = vigil_gazetteer::GeoparseConfig {
            country_hint: std::env::var("HINT").ok().filter(|h| !h.is_empty()),
            ..Default::default()
        };
        let found = vigil_gazetteer::find_places(&gaz, text, &config);
        println!("== {path}");
        for m in found {
            match &m.place {
                Some(p) => println!(
                    "{:>6} {:<28} -> {} [{}] {:?} {:.4},{:.4} {:?} score {:.2}{}{}",
                    m.span.start,
                    m.text,
                    p.name,
                    p.country.as_deref().unwrap_or("-"),
                    p.admin1,
                    p.lat,
                    p.lon,
                    p.precision,
                    m.score,
                    m.cue
                        .as_ref()
                        .map(|c| format!(" cue '{c}'"))
                        .unwrap_or_default(),
                    if m.modifier { " modifier" } else { "" }
                ),
                None => println!(
                    "{:>6} {:<28} -> none (score {:.2})",
                    m.span.start, m.text, m.score
                ),
            }
            if std::env::var_os("VERBOSE").is_some() {
                for c in &m.candidates {
                    println!(
                        "         {:.2} {} [{}] {} {:.4},{:.4} {:?}",
                        c.score,
                        c.place.name,
                        c.place.country.as_deref().unwrap_or("-"),
                        c.feature_code,
                        c.place.lat,
                        c.place.lon,
                        c.reasons
                    );
                }
            }
        }
    }
}
