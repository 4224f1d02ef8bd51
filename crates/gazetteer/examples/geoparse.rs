//! Prints the places found in text files: `cargo run --release -p vigil-gazetteer --example geoparse FILE...`

fn main() {
    let gaz = vigil_gazetteer::Gazetteer::bundled().expect("gazetteer");
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("read");
        let found = vigil_gazetteer::find_places(&gaz, &text, &Default::default());
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
