//! Fuzzes the ACLED and UCDP readers: any bytes give events or bad rows, never a panic, and
//! every event read has a date and a non-empty id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil_model::ReferenceDataset;

fuzz_target!(|data: &[u8]| {
    for dataset in ReferenceDataset::ALL {
        let Ok(rows) = vigil_export::reference::read_rows(dataset, data) else {
            continue;
        };
        for row in rows.take(10_000) {
            if let Ok(event) = row {
                assert!(event.date.is_known());
                assert!(!event.event_id.is_empty());
            }
        }
    }
});
