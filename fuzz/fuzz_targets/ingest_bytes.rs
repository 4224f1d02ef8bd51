//! Fuzzes report intake: any bytes, read as any format, must end as reports or one-line
//! failures, never a panic. The first byte picks the file name the bytes pretend to have.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil_ingest::{Config, read_bytes};

const HINTS: [Option<&str>; 11] = [
    None,
    Some("a.txt"),
    Some("a.md"),
    Some("a.html"),
    Some("a.json"),
    Some("a.jsonl"),
    Some("a.rss"),
    Some("a.atom"),
    Some("a.warc"),
    Some("a.warc.gz"),
    Some("a.bin"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let hint = HINTS[selector as usize % HINTS.len()];
    let config = Config { max_report_bytes: 1 << 16, max_document_bytes: 1 << 18 };
    let mut items = 0;
    read_bytes(bytes, "fuzz", hint, &config, &mut |item| {
        items += 1;
        match item {
            Ok(report) => assert_eq!(report.content_hash, vigil_text::content_hash(&report.body)),
            Err(failure) => assert!(!failure.reason.contains('\n')),
        }
    });
    assert!(items >= 1);
});
