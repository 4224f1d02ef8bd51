//! Fuzzes the writers with arbitrary text in an incident: every format writes it, and the CSV
//! and JSON forms read back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil_export::{Config, Format, export};
use vigil_model::*;

fuzz_target!(|text: &str| {
    let incident = Incident {
        id: text.to_string(),
        event_type: EventType::Battles,
        sub_event_type: SubEventType::ArmedClash,
        date: DateRange::unknown(),
        place: Some(Place {
            name: text.to_string(),
            geonames_id: None,
            admin1: Some(text.to_string()),
            admin2: None,
            country: Some(text.chars().take(2).collect()),
            lat: 1.0,
            lon: -1.0,
            precision: PlacePrecision::Settlement,
            mention: Some(text.to_string()),
            span: None,
        }),
        actors: vec![],
        victims: Victims::Unknown,
        victim_identity: Some(text.to_string()),
        figures: Default::default(),
        historical: false,
        aggregate: false,
        reports: vec![],
        part_of: None,
        flags: vec![],
    };
    for format in Format::ALL {
        let mut out = Vec::new();
        export(format, [&incident], &mut out, &Config::default()).unwrap();
        if format == Format::AcledCsv {
            let mut reader = csv::Reader::from_reader(&out[..]);
            let record = reader.records().next().unwrap().unwrap();
            assert_eq!(vigil_export::unguard(&record[21]), text);
        }
        if format == Format::Jsonl {
            let back: Incident = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, incident);
        }
    }
});
