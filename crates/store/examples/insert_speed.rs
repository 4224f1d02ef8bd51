//! Times `Store::insert_batch` alone (no reading, no parsing): 10,000 reports of about 5 KB in
//! batches of 500 into a fresh file database, three runs. Run in release mode:
//! `cargo run --release -p vigil-store --example insert_speed`.

use std::time::Instant;

use vigil_model::{IncomingReport, SourceFormat};
use vigil_store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paragraph = "Residents said gunmen entered homes in the village at dawn and shot several men, according to a local monitor. ";
    let reports: Vec<IncomingReport> = (0..10_000)
        .map(|i| {
            let body = format!("Report {i}. {}", paragraph.repeat(44));
            IncomingReport {
                source: format!("reports/{i}.txt"),
                url: Some(format!("https://news.example/{i}")),
                title: Some(format!("Report {i}")),
                outlet: Some("Coastal Post".into()),
                published: Some("2025-03-08".into()),
                language: Some("en".into()),
                language_detected: false,
                content_hash: vigil_text::content_hash(&body),
                original: body.clone().into_bytes(),
                body,
                format: SourceFormat::Text,
                encoding: "UTF-8".into(),
                extra: Default::default(),
            }
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("vigil-insert-speed-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut rates = Vec::new();
    for run in 0..3 {
        let path = dir.join(format!("run{run}.db"));
        let mut store = Store::open(&path)?;
        let start = Instant::now();
        for batch in reports.chunks(500) {
            store.insert_batch(batch, "2025-03-09T10:00:00Z")?;
        }
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(store.report_count()?, reports.len() as u64);
        rates.push(reports.len() as f64 / seconds);
        println!(
            "run {}: {seconds:.2} s, {:.0} reports/s",
            run + 1,
            rates[run]
        );
    }
    rates.sort_by(f64::total_cmp);
    println!("median {:.0} reports/s", rates[1]);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
