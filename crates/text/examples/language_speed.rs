//! Times `detect_language` and `content_hash` on report-sized English text (run in release mode).

use std::time::Instant;

fn main() {
    let paragraph = "At least 45 civilians were killed and dozens wounded on Thursday when government forces shelled the town, according to a local monitoring group. Residents described a night of heavy gunfire followed by hours of silence. ";
    let texts: Vec<String> = (0..2000)
        .map(|i| format!("Report {i}. {}", paragraph.repeat(25)))
        .collect();
    let _ = vigil_text::detect_language(&texts[0]); // load the models
    for _ in 0..3 {
        let start = Instant::now();
        for t in &texts {
            assert_eq!(vigil_text::detect_language(t), Some("en"));
        }
        let lang = start.elapsed().as_secs_f64() / texts.len() as f64;
        let start = Instant::now();
        for t in &texts {
            std::hint::black_box(vigil_text::content_hash(t));
        }
        let hash = start.elapsed().as_secs_f64() / texts.len() as f64;
        println!(
            "per report ({} bytes): detect_language {:.0} us, content_hash {:.0} us",
            texts[0].len(),
            lang * 1e6,
            hash * 1e6
        );
    }
}
