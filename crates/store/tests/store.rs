//! Tests of the store: identity, versions, sightings, lookups, search, statistics, durability.

use proptest::prelude::*;
use vigil_model::{IncomingReport, SourceFormat};
use vigil_store::{Error, Inserted, ListQuery, RunRecord, SearchQuery, Store};

const AT: &str = "2025-03-09T10:00:00Z";

fn report(source: &str, url: Option<&str>, title: &str, body: &str) -> IncomingReport {
    IncomingReport {
        source: source.into(),
        url: url.map(Into::into),
        title: Some(title.into()),
        outlet: Some("Coastal Post".into()),
        published: Some("2025-03-08".into()),
        language: Some("en".into()),
        language_detected: false,
        body: body.into(),
        content_hash: vigil_text::content_hash(body),
        original: body.as_bytes().to_vec(),
        format: SourceFormat::Text,
        encoding: "UTF-8".into(),
        extra: Default::default(),
    }
}

fn search(store: &Store, text: &str) -> Vec<String> {
    store
        .search(&SearchQuery {
            text: text.into(),
            limit: 50,
            raw: false,
        })
        .unwrap()
        .into_iter()
        .map(|hit| hit.report.title.unwrap())
        .collect()
}

#[test]
fn same_text_is_one_report_within_and_across_batches() {
    let mut store = Store::open_in_memory().unwrap();
    let a = report("a.txt", None, "A", "At least 12 civilians were killed.");
    let a_elsewhere = report(
        "copy/a.txt",
        None,
        "A copy",
        "At least 12  civilians were killed.\n",
    );
    let b = report("b.txt", None, "B", "Nine people were wounded.");
    let first = store
        .insert_batch(&[a.clone(), b, a_elsewhere.clone()], AT)
        .unwrap();
    assert!(matches!(
        &first[0],
        Inserted::Stored {
            id: 1,
            version: 1,
            previous_id: None,
            ..
        }
    ));
    assert!(matches!(&first[1], Inserted::Stored { id: 2, .. }));
    let Inserted::Duplicate { id, uid } = &first[2] else {
        panic!("{first:?}")
    };
    assert_eq!(*id, 1);
    assert_eq!(uid, &a.content_hash[..16]);

    let again = store.insert_batch(&[a, a_elsewhere], AT).unwrap();
    assert!(
        again
            .iter()
            .all(|o| matches!(o, Inserted::Duplicate { id: 1, .. }))
    );
    assert_eq!(store.report_count().unwrap(), 2);
    // The copy was seen twice but is one sighting; the original source is no sighting of itself.
    assert_eq!(store.stats().unwrap().sightings, 1);
}

#[test]
fn changed_text_at_an_address_is_the_next_version() {
    let mut store = Store::open_in_memory().unwrap();
    let url = Some("https://news.example/coast");
    let v1 = report(
        "feed.xml#item=1",
        url,
        "Toll 180",
        "At least 180 people were killed.",
    );
    let v2 = report(
        "feed.xml#item=4",
        url,
        "Toll 532",
        "Over 532 people were killed.",
    );
    let other = report(
        "other.jsonl#line=1",
        None,
        "No address",
        "At least 180 people were killed on the coast.",
    );
    store.insert_batch(&[v1], AT).unwrap();
    let outcomes = store.insert_batch(&[v2, other], AT).unwrap();
    assert!(matches!(
        outcomes[0],
        Inserted::Stored {
            id: 2,
            version: 2,
            previous_id: Some(1),
            ..
        }
    ));
    assert!(matches!(
        outcomes[1],
        Inserted::Stored {
            version: 1,
            previous_id: None,
            ..
        }
    ));

    let versions = store.versions(2).unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.id, v.version))
            .collect::<Vec<_>>(),
        vec![(1, 1), (2, 2)]
    );
    assert_eq!(store.versions(3).unwrap().len(), 1);
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.addresses_with_versions, stats.newer_versions),
        (1, 1)
    );

    // A file path is an address too: the same file edited is a new version.
    let f1 = report("notes/report.md", None, "Draft", "Two killed.");
    let f2 = report("notes/report.md", None, "Final", "Three killed.");
    store.insert_batch(&[f1, f2], AT).unwrap();
    let last = store.report("5").unwrap().unwrap();
    assert_eq!((last.version, last.previous_id), (2, Some(4)));
}

#[test]
fn reports_round_trip_and_are_found_by_id_uid_and_prefix() {
    let mut store = Store::open_in_memory().unwrap();
    let mut incoming = report(
        "a.html",
        Some("https://x.example/a"),
        "Title",
        "Body text with Arabic: قتل مدنيون",
    );
    incoming.format = SourceFormat::Html;
    incoming.encoding = "windows-1256".into();
    incoming.original = vec![0xC7, 0xE1, 0x00, 0xFF];
    incoming
        .extra
        .insert("tags".into(), serde_json::json!(["coast", "Baniyas"]));
    incoming.language_detected = true;
    store
        .insert_batch(std::slice::from_ref(&incoming), AT)
        .unwrap();

    let by_id = store.report("1").unwrap().unwrap();
    assert_eq!(by_id.incoming, incoming);
    assert_eq!(by_id.uid, &incoming.content_hash[..16]);
    assert_eq!(by_id.ingested_at, AT);
    assert_eq!(store.report(&by_id.uid).unwrap().unwrap().id, 1);
    assert_eq!(
        store
            .report(&by_id.uid[..6].to_uppercase())
            .unwrap()
            .unwrap()
            .id,
        1
    );
    assert!(store.report("99").unwrap().is_none());
    assert!(store.report("zz-not-an-id").unwrap().is_none());
    assert!(
        store.report("abc").unwrap().is_none(),
        "prefixes shorter than 4 digits are not looked up"
    );
}

#[test]
fn an_ambiguous_prefix_is_an_error() {
    let mut store = Store::open_in_memory().unwrap();
    let mut a = report("a", None, "A", "first");
    let mut b = report("b", None, "B", "second");
    a.content_hash = format!("abcd1{}", "0".repeat(59));
    b.content_hash = format!("abcd2{}", "0".repeat(59));
    store.insert_batch(&[a, b], AT).unwrap();
    assert!(matches!(
        store.report("abcd"),
        Err(Error::AmbiguousId { matches: 2, .. })
    ));
    assert_eq!(store.report("abcd2").unwrap().unwrap().id, 2);
}

#[test]
fn uids_grow_when_hashes_share_their_first_digits() {
    let mut store = Store::open_in_memory().unwrap();
    let mut a = report("a", None, "A", "first");
    let mut b = report("b", None, "B", "second");
    a.content_hash = format!("{}1{}", "e".repeat(16), "0".repeat(47));
    b.content_hash = format!("{}2{}", "e".repeat(16), "0".repeat(47));
    let outcomes = store.insert_batch(&[a, b], AT).unwrap();
    let uids: Vec<&str> = outcomes
        .iter()
        .map(|o| match o {
            Inserted::Stored { uid, .. } => uid.as_str(),
            Inserted::Duplicate { .. } => panic!("distinct hashes"),
        })
        .collect();
    assert_eq!(uids, vec!["eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee2000"]);
}

#[test]
fn list_filters_and_pages() {
    let mut store = Store::open_in_memory().unwrap();
    let mut reports: Vec<IncomingReport> = (0..7)
        .map(|i| {
            report(
                &format!("{i}.txt"),
                None,
                &format!("R{i}"),
                &format!("report {i}"),
            )
        })
        .collect();
    reports[3].language = Some("ar".into());
    reports[4].outlet = Some("Syria Direct".into());
    reports[5].format = SourceFormat::Rss;
    store.insert_batch(&reports, AT).unwrap();
    let titles = |q: ListQuery| -> Vec<String> {
        store
            .list(&q)
            .unwrap()
            .into_iter()
            .map(|r| r.title.unwrap())
            .collect()
    };
    assert_eq!(titles(ListQuery::default()).len(), 7);
    assert_eq!(
        titles(ListQuery {
            limit: 2,
            offset: 1,
            ..Default::default()
        }),
        vec!["R1", "R2"]
    );
    assert_eq!(
        titles(ListQuery {
            language: Some("ar".into()),
            ..Default::default()
        }),
        vec!["R3"]
    );
    assert_eq!(
        titles(ListQuery {
            outlet: Some("syria direct".into()),
            ..Default::default()
        }),
        vec!["R4"]
    );
    assert_eq!(
        titles(ListQuery {
            format: Some("rss".into()),
            ..Default::default()
        }),
        vec!["R5"]
    );
    let first = &store
        .list(&ListQuery {
            limit: 1,
            ..Default::default()
        })
        .unwrap()[0];
    assert_eq!(first.body_bytes, "report 0".len() as u64);
}

#[test]
fn search_is_safe_diacritic_blind_and_multilingual() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .insert_batch(
            &[
                report(
                    "1",
                    None,
                    "Coast",
                    "Gunmen entered homes in Baniyas and killed a family.",
                ),
                report(
                    "2",
                    None,
                    "Homs",
                    "Shelling of the Waer district of Homs continued for three days.",
                ),
                report(
                    "3",
                    None,
                    "Montréal",
                    "Une manifestation à Montréal contre la guerre.",
                ),
                report("4", None, "Arabic", "قتل عشرات المدنيين في بانياس"),
            ],
            AT,
        )
        .unwrap();
    assert_eq!(search(&store, "baniyas"), vec!["Coast"]);
    assert_eq!(search(&store, "killed family"), vec!["Coast"]);
    assert!(
        search(&store, "killed Homs").is_empty(),
        "all words must match"
    );
    assert_eq!(search(&store, "Bani*"), vec!["Coast"]);
    assert_eq!(search(&store, "montreal"), vec!["Montréal"]);
    assert_eq!(search(&store, "بانياس"), vec!["Arabic"]);
    for hostile in [
        r#""AND OR NEAR("#,
        "*",
        "-- ; DROP TABLE reports",
        "title:",
        "\u{0}",
        "",
    ] {
        store
            .search(&SearchQuery {
                text: hostile.into(),
                limit: 5,
                raw: false,
            })
            .unwrap();
    }
    assert_eq!(store.report_count().unwrap(), 4);

    let hit = &store
        .search(&SearchQuery {
            text: "Waer".into(),
            limit: 5,
            raw: false,
        })
        .unwrap()[0];
    assert!(hit.snippet.contains("[Waer]"), "{}", hit.snippet);

    let raw = store
        .search(&SearchQuery {
            text: "Waer OR Baniyas".into(),
            limit: 5,
            raw: true,
        })
        .unwrap();
    assert_eq!(raw.len(), 2);
    let bad = store.search(&SearchQuery {
        text: "NEAR(".into(),
        limit: 5,
        raw: true,
    });
    assert!(matches!(bad, Err(Error::BadQuery(_))), "{bad:?}");
}

#[test]
fn runs_and_statistics() {
    let mut store = Store::open_in_memory().unwrap();
    let mut a = report("a", None, "A", "alpha report");
    a.published = Some("2016-05-13".into());
    let mut b = report("b", None, "B", "beta report");
    b.language = None;
    b.outlet = None;
    store.insert_batch(&[a, b], AT).unwrap();
    store
        .record_run(&RunRecord {
            started_at: AT.into(),
            finished_at: AT.into(),
            inputs: vec!["examples".into()],
            stored: 2,
            failed: 1,
            failures: vec![("x.png".into(), "binary file (PNG image)".into())],
            ..Default::default()
        })
        .unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.reports, 2);
    assert_eq!(
        stats.body_bytes,
        ("alpha report".len() + "beta report".len()) as u64
    );
    assert_eq!(stats.by_language.get("en"), Some(&1));
    assert_eq!(stats.by_language.get("unknown"), Some(&1));
    assert_eq!(stats.top_outlets, vec![("Coastal Post".to_string(), 1)]);
    assert_eq!(stats.published_first.as_deref(), Some("2016-05-13"));
    assert_eq!(stats.published_last.as_deref(), Some("2025-03-08"));
    assert_eq!((stats.runs, stats.failures_last_run), (1, 1));
    assert!(stats.database_bytes > 0);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_file_database_keeps_its_data_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .insert_batch(&[report("a", None, "A", "kept")], AT)
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.report_count().unwrap(), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let applied: i64 = conn
        .query_row("SELECT count(*) FROM refinery_schema_history", [], |r| {
            r.get(0)
        })
        .unwrap();
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(applied as usize, migrations, "each migration applied once");
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.db");
    let mut store = Store::open(&path).unwrap();
    store
        .insert_batch(&[report("a", None, "A", "kept")], AT)
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let orphan = conn.execute(
        "INSERT INTO report_sightings (report_id, source, seen_at) VALUES (999, 'x', 'now')",
        [],
    );
    assert!(orphan.is_err());
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
        [],
    )
    .unwrap();
    drop(conn);
    assert!(matches!(Store::open(&path), Err(Error::Migration(_))));
}

#[test]
fn an_unreadable_migration_history_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE refinery_schema_history SET applied_on = 'yesterday'",
        [],
    )
    .unwrap();
    drop(conn);
    assert!(matches!(Store::open(&path), Err(Error::Corrupt(_))));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_text_round_trips_exactly(title in any::<String>(), body in any::<String>(), original in any::<Vec<u8>>()) {
        let mut store = Store::open_in_memory().unwrap();
        let mut incoming = report("p", None, &title, &body);
        incoming.original = original;
        store.insert_batch(std::slice::from_ref(&incoming), AT).unwrap();
        let stored = store.report("1").unwrap().unwrap();
        prop_assert_eq!(stored.incoming, incoming);
    }
}

#[test]
fn originals_that_end_with_the_body_are_stored_once_and_read_back_whole() {
    let mut store = Store::open_in_memory().unwrap();
    let mut with_front_matter = report("a.txt", None, "A", "Body after the block.\n");
    with_front_matter.original = b"---\ntitle: A\n---\nBody after the block.\n".to_vec();
    let mut decoded = report("b.txt", None, "B", "Text decoded from windows-1256.");
    decoded.original = vec![0xC7, 0xE1, 0xDE];
    store
        .insert_batch(&[with_front_matter.clone(), decoded.clone()], AT)
        .unwrap();
    assert_eq!(
        store.report("1").unwrap().unwrap().incoming.original,
        with_front_matter.original
    );
    assert_eq!(
        store.report("2").unwrap().unwrap().incoming.original,
        decoded.original
    );
    let stats = store.stats().unwrap();
    assert_eq!(
        stats.original_bytes,
        (with_front_matter.original.len() + decoded.original.len()) as u64
    );
}

/// Identity and id lookups must use the hash index: a table scan here made ingest 40% slower
/// without failing anything else.
#[test]
fn id_lookups_use_the_hash_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in [
        "SELECT 1 FROM reports WHERE content_hash >= ?1 AND content_hash < ?1 || 'g'",
        "SELECT id, uid, source FROM reports WHERE content_hash = ?1",
        "SELECT id, version FROM reports WHERE address = ?1 ORDER BY version DESC LIMIT 1",
    ] {
        let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let plan: Vec<String> = statement
            .query_map(["abcd"], |row| row.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan.iter()
                .all(|step| step.contains("USING") && step.contains("INDEX")),
            "{sql}: {plan:?}"
        );
    }
}

/// Reference events (ACLED / UCDP rows): idempotent imports, date and place lookups.
mod reference_events {
    use jiff::civil::date;
    use vigil_model::{DatePrecision, DateRange, EventType, ReferenceDataset, ReferenceEvent};
    use vigil_store::{ReferenceCounts, ReferenceFilter, ReferenceQuery, Store};

    fn event(
        id: &str,
        start: jiff::civil::Date,
        end: jiff::civil::Date,
        lat: f64,
        lon: f64,
    ) -> ReferenceEvent {
        let mut original = serde_json::Map::new();
        original.insert("event_id_cnty".into(), id.into());
        original.insert("fatalities".into(), "3".into());
        ReferenceEvent {
            dataset: ReferenceDataset::Acled,
            event_id: id.into(),
            date: DateRange::between(start, end, DatePrecision::Range),
            lat: Some(lat),
            lon: Some(lon),
            geo_precision: Some(1),
            country: Some("Syria".into()),
            country_code: Some("SY".into()),
            admin1: Some("Tartus".into()),
            admin2: None,
            location: Some("Baniyas".into()),
            event_type: Some("Battles".into()),
            sub_event_type: Some("Armed clash".into()),
            vigil_event_type: Some(EventType::Battles),
            actor1: Some("A".into()),
            actor2: None,
            fatalities_best: Some(3),
            fatalities_low: Some(3),
            fatalities_high: Some(3),
            notes: Some("fictional".into()),
            original,
        }
    }

    fn three() -> Vec<ReferenceEvent> {
        let day = date(2025, 3, 7);
        vec![
            event("SYR1", day, day, 35.18, 35.94),
            event("SYR2", date(2025, 3, 1), date(2025, 3, 20), 35.20, 35.96),
            event("SYR3", date(2025, 4, 1), date(2025, 4, 1), 35.18, 35.94),
        ]
    }

    #[test]
    fn imports_are_idempotent_and_revisions_update_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let counts = store.upsert_reference_events(&three(), super::AT).unwrap();
        assert_eq!(
            counts,
            ReferenceCounts {
                inserted: 3,
                updated: 0,
                unchanged: 0
            }
        );
        let counts = store.upsert_reference_events(&three(), super::AT).unwrap();
        assert_eq!(
            counts,
            ReferenceCounts {
                inserted: 0,
                updated: 0,
                unchanged: 3
            }
        );
        let mut revised = three();
        revised[0].fatalities_best = Some(9);
        revised[0].original.insert("fatalities".into(), "9".into());
        let counts = store.upsert_reference_events(&revised, super::AT).unwrap();
        assert_eq!(
            counts,
            ReferenceCounts {
                inserted: 0,
                updated: 1,
                unchanged: 2
            }
        );
        assert_eq!(
            store.reference_counts().unwrap()[&ReferenceDataset::Acled],
            3
        );

        let mut read = Vec::new();
        let filter = ReferenceFilter {
            dataset: ReferenceDataset::Acled,
            since: None,
            until: None,
            country: None,
            near: None,
        };
        store
            .for_each_reference_event(&filter, |e| -> Result<(), vigil_store::Error> {
                read.push(e);
                Ok(())
            })
            .unwrap();
        // Read back whole, in date order; the revision replaced the old row.
        let mut expected = revised.clone();
        expected.sort_by_key(|e| e.date.start);
        assert_eq!(read, expected);
    }

    #[test]
    fn candidates_are_found_by_date_and_box() {
        let mut store = Store::open_in_memory().unwrap();
        store.upsert_reference_events(&three(), super::AT).unwrap();
        let span = store
            .reference_max_span_days(ReferenceDataset::Acled)
            .unwrap();
        assert_eq!(span, 19);
        let query = ReferenceQuery {
            dataset: ReferenceDataset::Acled,
            from: date(2025, 3, 6),
            to: date(2025, 3, 8),
            min_lat: 35.0,
            max_lat: 35.3,
            min_lon: 35.8,
            max_lon: 36.0,
        };
        let ids = |q: &ReferenceQuery, span| -> Vec<String> {
            store
                .reference_candidates(q, span)
                .unwrap()
                .into_iter()
                .map(|e| e.event_id)
                .collect()
        };
        // SYR2 started a week before the window and is still running: found through the span.
        assert_eq!(ids(&query, span), ["SYR2", "SYR1"]);
        let elsewhere = ReferenceQuery {
            min_lon: 36.5,
            max_lon: 37.0,
            ..query
        };
        assert!(ids(&elsewhere, span).is_empty());
        let later = ReferenceQuery {
            from: date(2025, 3, 30),
            to: date(2025, 4, 2),
            ..query
        };
        assert_eq!(ids(&later, span), ["SYR3"]);
        assert!(
            store
                .reference_candidates(&query, 0)
                .unwrap()
                .iter()
                .all(|e| e.event_id == "SYR1")
        );
        // UCDP events are another dataset.
        let ucdp = ReferenceQuery {
            dataset: ReferenceDataset::Ucdp,
            ..query
        };
        assert!(ids(&ucdp, span).is_empty());

        let mut seen = Vec::new();
        let filter = ReferenceFilter {
            dataset: ReferenceDataset::Acled,
            since: Some(date(2025, 3, 10)),
            until: None,
            country: Some("sy".into()),
            near: Some((35.18, 35.94, 5.0)),
        };
        store
            .for_each_reference_event(&filter, |e| -> Result<(), vigil_store::Error> {
                seen.push(e.event_id);
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, ["SYR2", "SYR3"]);
    }
}

/// The searches of incremental linking: every stored window that meets the searched days is
/// found, short or long, and nothing outside is. (Each search names its index with INDEXED BY,
/// so a query the index cannot answer fails here rather than scanning.)
mod link_search {
    use super::*;
    use vigil_model::{DateRange, EventType, Mention, SubEventType, Victims};
    use vigil_store::{MentionKeys, NewMention, SHORT_SPAN_DAYS};

    fn mention() -> Mention {
        Mention {
            event_type: EventType::Battles,
            sub_event_type: SubEventType::ArmedClash,
            date: DateRange::unknown(),
            place: None,
            actors: Vec::new(),
            victims: Victims::Unknown,
            victim_identity: None,
            figures: Default::default(),
            historical: false,
            aggregate: false,
            evidence: Vec::new(),
        }
    }

    fn keys(
        day_min: i32,
        day_max: i32,
        name_key: u32,
        admin_key: u64,
        coarse: bool,
    ) -> MentionKeys {
        MentionKeys {
            day_min,
            day_max,
            lat_min: 10.0,
            lat_max: 10.1,
            lon_min: 20.0,
            lon_max: 20.1,
            name_key,
            admin_key,
            coarse,
        }
    }

    /// Stores one mention per window (all in one report) and returns their ids.
    fn stored(store: &mut Store, source: &str, windows: &[MentionKeys]) -> Vec<i64> {
        let outcome = store
            .insert_batch(&[report(source, None, "M", source)], AT)
            .unwrap();
        let Inserted::Stored { id, .. } = outcome[0] else {
            panic!("stored")
        };
        let m = mention();
        let new: Vec<NewMention<'_>> = windows
            .iter()
            .map(|k| NewMention {
                mention: &m,
                features: vec![1, 2, 3],
                keys: Some(*k),
            })
            .collect();
        store
            .replace_mentions(id, "test", AT, &new, &serde_json::json!([]))
            .unwrap()
            .inserted
    }

    fn incident(uid: &str, aggregate: bool) -> vigil_model::Incident {
        vigil_model::Incident {
            id: uid.into(),
            event_type: EventType::Battles,
            sub_event_type: SubEventType::ArmedClash,
            date: DateRange::unknown(),
            place: None,
            actors: Vec::new(),
            victims: Victims::Unknown,
            victim_identity: None,
            figures: Default::default(),
            historical: false,
            aggregate,
            reports: Vec::new(),
            part_of: None,
            flags: Vec::new(),
        }
    }

    #[test]
    fn re_extraction_removes_the_incidents_that_held_the_report_and_unlinks_their_mentions() {
        use vigil_store::NewIncident;
        let mut store = Store::open_in_memory().unwrap();
        let k = keys(100, 100, 0, 0, false);
        let a = stored(&mut store, "a", &[k, k]);
        let b = stored(&mut store, "b", &[k]);
        let c = stored(&mut store, "c", &[k, k]);
        // Incidents: a wave of a[0] and b[0]; its part, c[0]; and c[1] alone.
        let (wave, part, alone) = (
            incident("aaaa0001", true),
            incident("aaaa0002", false),
            incident("aaaa0003", false),
        );
        let wave_members = [a[0], b[0]];
        let part_members = [c[0]];
        let alone_members = [c[1]];
        store
            .insert_incidents(&[
                NewIncident {
                    incident: &wave,
                    anchor: a[0],
                    days: None,
                    dated: false,
                    members: &wave_members,
                },
                NewIncident {
                    incident: &part,
                    anchor: c[0],
                    days: None,
                    dated: false,
                    members: &part_members,
                },
                NewIncident {
                    incident: &alone,
                    anchor: c[1],
                    days: None,
                    dated: false,
                    members: &alone_members,
                },
            ])
            .unwrap();
        store
            .set_part_of(&[("aaaa0002".into(), Some("aaaa0001".into()))])
            .unwrap();
        assert_eq!(store.link_stats().unwrap().unlinked_mentions, 1); // a[1]
        // Report a extracted again (one mention now): the wave goes and so does its part; their
        // other mentions wait to be linked, the untouched incident stays.
        let outcome = store.list(&Default::default()).unwrap();
        let id_a = outcome.iter().find(|r| r.source == "a").unwrap().id;
        let m = mention();
        let replaced = store
            .replace_mentions(
                id_a,
                "test",
                AT,
                &[NewMention {
                    mention: &m,
                    features: vec![1],
                    keys: Some(k),
                }],
                &serde_json::json!([]),
            )
            .unwrap();
        assert_eq!(replaced.stale_incidents.len(), 2);
        let unlinked: Vec<i64> = store
            .unlinked_features()
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(unlinked, vec![b[0], c[0], replaced.inserted[0]]);
        assert!(store.incident("aaaa0001").unwrap().is_none());
        assert!(store.incident("aaaa0002").unwrap().is_none());
        assert!(store.incident("aaaa0003").unwrap().is_some());
        let rows = store.mention_features(&[c[1], b[0]]).unwrap();
        assert!(rows.iter().any(|r| r.0 == c[1] && r.2.is_some()));
        assert!(rows.iter().any(|r| r.0 == b[0] && r.2.is_none()));
        let members = store
            .incident_member_features(rows.iter().find(|r| r.0 == c[1]).unwrap().2.unwrap())
            .unwrap();
        assert_eq!(members.len(), 1);
    }

    #[test]
    fn name_and_admin_searches_find_short_and_long_windows() {
        let mut store = Store::open_in_memory().unwrap();
        let far = 1000; // Boxes elsewhere: only the name and admin keys can find these.
        let mut windows = vec![
            keys(100, 100, 7, 0, false),                   // 0: same day, same name
            keys(100 - SHORT_SPAN_DAYS, 100, 7, 0, false), // 1: the longest short window
            keys(99 - SHORT_SPAN_DAYS, 100, 7, 0, false),  // 2: the shortest long window
            keys(10, 59, 7, 0, false),                     // 3: ends before
            keys(101 + 1, 130, 7, 0, false),               // 4: starts after
            keys(100, 100, 8, 0, false),                   // 5: another name
            keys(90, 95, 0, 55, true),                     // 6: the same unit, an area
            keys(0, 200, 0, 55, true),                     // 7: a long area window
            keys(99, 99, 0, 55, false),                    // 8: the same unit, not an area
            keys(-500, 99, 0, 55, true),                   // 9: a very long area window
        ];
        for w in &mut windows {
            w.lat_min += f64::from(far);
            w.lat_max += f64::from(far);
        }
        let ids = stored(&mut store, "a", &windows);
        let find = |k: MentionKeys| -> Vec<usize> {
            let found = store.candidate_mentions(&k).unwrap();
            ids.iter()
                .enumerate()
                .filter(|(_, id)| found.contains(id))
                .map(|(i, _)| i)
                .collect()
        };
        assert_eq!(find(keys(100, 101, 7, 0, false)), vec![0, 1, 2]);
        // An area finds the unit's areas and places; a place finds only its areas.
        assert_eq!(find(keys(95, 99, 0, 55, true)), vec![6, 7, 8, 9]);
        assert_eq!(find(keys(95, 99, 0, 55, false)), vec![6, 7, 9]);
        // The box search finds a box in the same days and area.
        assert_eq!(find(keys(100, 100, 0, 0, false)), Vec::<usize>::new());
        let boxed = stored(&mut store, "b", &[keys(100, 100, 0, 0, false)]);
        assert_eq!(
            store
                .candidate_mentions(&keys(99, 100, 0, 0, false))
                .unwrap(),
            boxed
        );
    }
}
