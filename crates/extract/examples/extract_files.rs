//! Extracts the incident mentions of text files with YAML front matter (the sample reports'
//! format) and prints one JSON object per report, as `vigil extract` does; `--explain` prints
//! the annotations instead. A development aid that needs no other vigil crate:
//! `cargo run -p vigil-extract --example extract_files -- crates/extract/tests/reports/seeds/*.txt`

use vigil_extract::{Config, ReportInput, Resources, annotate, extract_report};

fn main() {
    let resources = Resources::bundled().expect("resources");
    let mut explain = false;
    for arg in std::env::args().skip(1) {
        if arg == "--explain" {
            explain = true;
            continue;
        }
        let text = std::fs::read_to_string(&arg).expect("readable file");
        let (published, body) = split_front_matter(&text);
        let input = ReportInput {
            body,
            title: None,
            published,
            language: Some("en"),
        };
        if explain {
            let a = annotate(&input, &resources, &Config::default());
            let x = extract_report(&input, &resources, &Config::default());
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({"annotations": a, "diagnostics": x.diagnostics})
                )
                .unwrap()
            );
            continue;
        }
        let extraction = extract_report(&input, &resources, &Config::default());
        let stem = std::path::Path::new(&arg)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let value = serde_json::json!({
            "report": {"id": stem, "source": arg, "published": published},
            "incidents": extraction.mentions,
        });
        println!("{}", serde_json::to_string(&value).unwrap());
    }
}

/// The publication date of a front matter block and the body after it.
fn split_front_matter(text: &str) -> (Option<jiff::civil::Date>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text);
    };
    let Some(end) = rest.find("\n---\n") else {
        return (None, text);
    };
    let published = rest[..end]
        .lines()
        .find_map(|l| l.strip_prefix("published:"))
        .and_then(|v| v.trim().trim_matches('"').get(..10)?.parse().ok());
    (published, &rest[end + 5..])
}
