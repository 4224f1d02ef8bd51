//! Integration tests of the export crate: every format is written, then read back with an
//! independent reader (the csv crate, the geojson crate, parquet's Arrow reader, serde) and
//! checked field by field against the incidents written; snapshots of the text formats; property
//! tests that arbitrary text survives every format; reading ACLED and UCDP files; matching.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::date;
use proptest::prelude::*;
use vigil_export::reference::{BadRow, read_rows};
use vigil_export::{Config, Format, Unlocated, compare, export, unguard};
use vigil_model::*;

// ---------------------------------------------------------------------------------------------
// Fixed incidents

fn claim(
    low: Option<u64>,
    high: Option<u64>,
    q: Qualifier,
    text: &str,
    who: Option<&str>,
) -> Claim {
    Claim {
        low,
        high,
        qualifier: q,
        text: text.into(),
        claimant: who.map(Into::into),
        span: Span::new(10, 10 + text.len()),
        report: Some("r-a".into()),
        published: Some(date(2025, 3, 8)),
        claimant_mention: None,
        superseded: false,
        partisan: false,
    }
}

fn actor(name: &str, role: ActorRole, kind: ActorKind) -> Actor {
    Actor {
        name: name.into(),
        mention: name.to_lowercase(),
        role,
        kind,
        span: None,
        claimant: None,
    }
}

fn place(name: &str, country: &str, lat: f64, lon: f64, precision: PlacePrecision) -> Place {
    Place {
        name: name.into(),
        geonames_id: Some(1000),
        admin1: None,
        admin2: None,
        country: Some(country.into()),
        lat,
        lon,
        precision,
        mention: Some(name.to_lowercase()),
        span: None,
    }
}

fn report(id: &str, source: &str, title: Option<&str>, day: Option<i8>) -> IncidentReport {
    IncidentReport {
        id: id.into(),
        source: source.into(),
        title: title.map(Into::into),
        published: day.map(|d| date(2025, 3, d)),
        outlet: None,
    }
}

/// A massacre told by two reports with disagreeing tolls.
fn baniyas() -> Incident {
    let mut p = place(
        "Baniyas",
        "SY",
        35.18221,
        35.94031,
        PlacePrecision::Settlement,
    );
    p.admin1 = Some("Tartus".into());
    p.admin2 = Some("Baniyas District".into());
    p.geonames_id = Some(173576);
    let mut perpetrator = actor(
        "Syrian government forces",
        ActorRole::Perpetrator,
        ActorKind::StateForces,
    );
    perpetrator.claimant = Some("SOHR".into());
    let mut low = claim(
        Some(180),
        None,
        Qualifier::AtLeast,
        "at least 180 people were killed",
        Some("Syrian Observatory for Human Rights"),
    );
    low.superseded = true;
    let mut high = claim(
        Some(532),
        None,
        Qualifier::MoreThan,
        "more than 532, according to the Observatory",
        Some("Syrian Observatory for Human Rights"),
    );
    high.report = Some("r-b".into());
    high.published = Some(date(2025, 3, 9));
    high.claimant_mention = Some("the Observatory".into());
    let mut figures = BTreeMap::new();
    figures.insert(
        FigureKind::Killed,
        Figure {
            low: Some(180),
            high: None,
            best: Some(532),
            claims: vec![low, high],
            rationale: Some("best 532: newest figure of the Syrian Observatory".into()),
        },
    );
    figures.insert(
        FigureKind::Injured,
        Figure {
            low: Some(20),
            high: Some(30),
            best: Some(20),
            claims: vec![claim(
                Some(20),
                Some(30),
                Qualifier::Vague,
                "scores wounded",
                None,
            )],
            rationale: None,
        },
    );
    Incident {
        id: "inc-baniyas".into(),
        event_type: EventType::ViolenceAgainstCivilians,
        sub_event_type: SubEventType::Attack,
        date: DateRange::day(date(2025, 3, 7)),
        place: Some(p),
        actors: vec![
            perpetrator,
            actor(
                "Pro-government militia",
                ActorRole::Perpetrator,
                ActorKind::PoliticalMilitia,
            ),
        ],
        victims: Victims::Civilians,
        victim_identity: Some("Alawite".into()),
        figures,
        historical: false,
        aggregate: false,
        reports: vec![
            IncidentReport {
                outlet: Some("SANA".into()),
                ..report(
                    "r-a",
                    "https://www.sana.sy/en/?p=1",
                    Some("Attack on Baniyas"),
                    Some(8),
                )
            },
            report("r-b", "/data/reports/report-b.txt", None, Some(9)),
        ],
        part_of: Some("inc-coast".into()),
        flags: vec![Flag {
            code: "conflicting_figures".into(),
            detail: "180 and 532".into(),
        }],
    }
}

/// A three-day clash in a province, rebels against the state.
fn nineveh() -> Incident {
    let mut p = place("Nineveh", "IQ", 36.0, 42.5, PlacePrecision::Admin1);
    p.admin1 = Some("Nineveh".into());
    Incident {
        id: "inc-nineveh".into(),
        event_type: EventType::Battles,
        sub_event_type: SubEventType::ArmedClash,
        date: DateRange::between(date(2025, 1, 10), date(2025, 1, 12), DatePrecision::Range),
        place: Some(p),
        actors: vec![
            actor(
                "Islamic State",
                ActorRole::Perpetrator,
                ActorKind::RebelGroup,
            ),
            actor(
                "Iraqi Security Forces",
                ActorRole::Target,
                ActorKind::StateForces,
            ),
        ],
        victims: Victims::Combatants,
        victim_identity: None,
        figures: [(
            FigureKind::Killed,
            Figure {
                low: Some(10),
                high: Some(15),
                best: Some(12),
                claims: vec![claim(
                    Some(10),
                    Some(15),
                    Qualifier::About,
                    "10 to 15 fighters",
                    Some("Iraqi army"),
                )],
                rationale: None,
            },
        )]
        .into(),
        historical: false,
        aggregate: false,
        reports: vec![report("r-c", "https://example.org/news/1", None, Some(13))],
        part_of: None,
        flags: vec![],
    }
}

/// A protest with no place and a week for a date.
fn unlocated_protest() -> Incident {
    Incident {
        id: "inc-protest".into(),
        event_type: EventType::Protests,
        sub_event_type: SubEventType::PeacefulProtest,
        date: DateRange::between(date(2025, 3, 3), date(2025, 3, 9), DatePrecision::Week),
        place: None,
        actors: vec![actor(
            "Protesters",
            ActorRole::Perpetrator,
            ActorKind::Protesters,
        )],
        victims: Victims::Unknown,
        victim_identity: None,
        figures: BTreeMap::new(),
        historical: false,
        aggregate: false,
        reports: vec![],
        part_of: None,
        flags: vec![],
    }
}

/// Foreign air strikes on a country, date unknown, background wave; text that attacks
/// spreadsheets and bidirectional display.
fn hostile_text() -> Incident {
    let mut p = place(
        "\u{202e}Sévaré = Sevare",
        "ML",
        14.5333,
        -4.1,
        PlacePrecision::Settlement,
    );
    p.admin1 = Some("@Mopti".into());
    let mut figures = BTreeMap::new();
    figures.insert(
        FigureKind::Abducted,
        Figure {
            low: Some(12),
            high: None,
            best: Some(12),
            claims: vec![claim(
                Some(12),
                None,
                Qualifier::Exact,
                "=cmd|' /C calc'!A0, \"twelve\"\nabducted",
                Some("+شهود عيان"),
            )],
            rationale: None,
        },
    );
    Incident {
        id: "inc-hostile".into(),
        event_type: EventType::ExplosionsRemoteViolence,
        sub_event_type: SubEventType::AirDroneStrike,
        date: DateRange::unknown(),
        place: Some(p),
        actors: vec![actor(
            "=HYPERLINK(\"http://x.invalid\",\"click\")",
            ActorRole::Perpetrator,
            ActorKind::ForeignForces,
        )],
        victims: Victims::Mixed,
        victim_identity: Some("-Fulani\u{200f}".into()),
        figures,
        historical: true,
        aggregate: true,
        reports: vec![report(
            "r-d",
            "feed.xml#item=3",
            Some("'quoted' title"),
            None,
        )],
        part_of: None,
        flags: vec![],
    }
}

fn incidents() -> Vec<Incident> {
    vec![baniyas(), nineveh(), unlocated_protest(), hostile_text()]
}

fn config() -> Config {
    Config {
        timestamp: Some(1_741_392_000),
        ..Config::default()
    }
}

fn write(format: Format, incidents: &[Incident], config: &Config) -> Vec<u8> {
    let mut out = Vec::new();
    export(format, incidents, &mut out, config).unwrap();
    out
}

/// A CSV file as rows of (column -> unguarded cell), read by the csv crate.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(|c| unguard(c).to_string()))
                .collect()
        })
        .collect();
    (headers, rows)
}

fn check(row: &HashMap<String, String>, expected: &[(&str, &str)]) {
    for (column, value) in expected {
        assert_eq!(
            row.get(*column).map(String::as_str),
            Some(*value),
            "column {column} of row {}",
            row.values().next().map(String::as_str).unwrap_or("?")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// ACLED

#[test]
fn acled_csv_reads_back_field_by_field() {
    let bytes = write(Format::AcledCsv, &incidents(), &config());
    let (headers, rows) = read_csv(&bytes);
    assert_eq!(headers, vigil_export::acled::COLUMNS);
    assert_eq!(rows.len(), 4);
    check(
        &rows[0],
        &[
            ("event_id_cnty", "inc-baniyas"),
            ("event_date", "2025-03-07"),
            ("year", "2025"),
            ("time_precision", "1"),
            ("disorder_type", "Political violence"),
            ("event_type", "Violence against civilians"),
            ("sub_event_type", "Attack"),
            ("actor1", "Syrian government forces"),
            ("assoc_actor_1", "Pro-government militia"),
            ("inter1", "1"),
            ("actor2", "Civilians (Syria)"),
            ("assoc_actor_2", "Alawite"),
            ("inter2", "7"),
            ("interaction", "17"),
            ("civilian_targeting", "Civilian targeting"),
            ("iso", "760"),
            ("region", "Middle East"),
            ("country", "Syria"),
            ("admin1", "Tartus"),
            ("admin2", "Baniyas District"),
            ("admin3", ""),
            ("location", "Baniyas"),
            ("latitude", "35.1822"),
            ("longitude", "35.9403"),
            ("geo_precision", "1"),
            ("source", "SANA; report-b.txt"),
            ("source_scale", ""),
            ("fatalities", "532"),
            ("tags", "conflicting_figures"),
            ("timestamp", "1741392000"),
        ],
    );
    let notes = &rows[0]["notes"];
    assert!(
        notes.starts_with("On 2025-03-07, Attack in Baniyas (Baniyas District, Tartus, SY)."),
        "{notes}"
    );
    assert!(
        notes.contains(
            "Perpetrator: Syrian government forces (according to SOHR); Pro-government militia."
        ),
        "{notes}"
    );
    assert!(notes.contains("Killed: best 532, low 180; claims: 180+ (at_least) according to Syrian Observatory for Human Rights on 2025-03-08, since revised; 532+ (more_than)"), "{notes}");
    assert!(
        notes.ends_with("Reports: 2. Flags: conflicting_figures."),
        "{notes}"
    );

    check(
        &rows[1],
        &[
            ("event_date", "2025-01-11"),
            ("time_precision", "2"),
            ("disorder_type", "Political violence"),
            ("event_type", "Battles"),
            ("sub_event_type", "Armed clash"),
            ("actor1", "Islamic State"),
            ("inter1", "2"),
            ("actor2", "Iraqi Security Forces"),
            ("inter2", "1"),
            ("interaction", "12"),
            ("civilian_targeting", ""),
            ("iso", "368"),
            ("country", "Iraq"),
            ("geo_precision", "3"),
            ("fatalities", "12"),
            ("source", "example.org"),
        ],
    );
    check(
        &rows[2],
        &[
            ("event_date", "2025-03-06"),
            ("time_precision", "2"),
            ("disorder_type", "Demonstrations"),
            ("event_type", "Protests"),
            ("actor1", "Protesters"),
            ("inter1", "6"),
            ("actor2", ""),
            ("interaction", "60"),
            ("iso", ""),
            ("location", ""),
            ("latitude", ""),
            ("geo_precision", ""),
            ("fatalities", "0"),
        ],
    );
    check(
        &rows[3],
        &[
            ("event_date", ""),
            ("year", ""),
            ("time_precision", ""),
            ("event_type", "Explosions/Remote violence"),
            ("sub_event_type", "Air/drone strike"),
            ("actor1", "=HYPERLINK(\"http://x.invalid\",\"click\")"),
            ("inter1", "8"),
            ("actor2", ""),
            ("assoc_actor_2", "-Fulani\u{200f}"),
            ("interaction", "80"),
            ("civilian_targeting", ""),
            ("iso", "466"),
            ("region", "Western Africa"),
            ("country", "Mali"),
            ("admin1", "@Mopti"),
            ("location", "\u{202e}Sévaré = Sevare"),
            ("longitude", "-4.1000"),
            ("source", "feed.xml"),
            ("fatalities", "0"),
            ("tags", "historical; aggregate"),
        ],
    );
}

#[test]
fn csv_cells_that_spreadsheets_would_run_are_neutralised() {
    for format in [Format::AcledCsv, Format::UcdpCsv, Format::ClaimsCsv] {
        let bytes = write(format, &incidents(), &config());
        let mut reader = csv::Reader::from_reader(&bytes[..]);
        let headers = reader.headers().unwrap().clone();
        for record in reader.records() {
            for (column, cell) in headers.iter().zip(record.unwrap().iter()) {
                let first = cell.chars().next();
                let numeric = cell.parse::<f64>().is_ok();
                assert!(
                    numeric || !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                    "{format}: column {column} starts a formula: {cell:?}"
                );
            }
        }
    }
    // The guard is on by default and applies to text only: a negative longitude stays a number.
    let bytes = write(Format::AcledCsv, &[hostile_text()], &config());
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains(",-4.1000,"), "{text}");
    // Off, the text is written as it is.
    let raw = Config {
        formula_guard: false,
        ..config()
    };
    let text = String::from_utf8(write(Format::AcledCsv, &[hostile_text()], &raw)).unwrap();
    assert!(text.contains(",\"=HYPERLINK(\"\"http"), "{text}");
}

#[test]
fn byte_order_mark_is_written_when_asked_and_read_past() {
    let with_bom = Config {
        byte_order_mark: true,
        ..config()
    };
    let bytes = write(Format::ClaimsCsv, &incidents(), &with_bom);
    assert!(bytes.starts_with("\u{feff}incident_id,".as_bytes()));
    let (headers, rows) = read_csv(&bytes);
    assert_eq!(headers[0], "incident_id");
    assert_eq!(rows.len(), 5);
}

// ---------------------------------------------------------------------------------------------
// UCDP

#[test]
fn ucdp_csv_reads_back_field_by_field() {
    let bytes = write(Format::UcdpCsv, &incidents(), &config());
    let (headers, rows) = read_csv(&bytes);
    assert_eq!(headers.len(), 49);
    assert_eq!(headers, vigil_export::ucdp::COLUMNS);
    check(
        &rows[0],
        &[
            ("id", "inc-baniyas"),
            ("year", "2025"),
            ("type_of_violence", "3"),
            ("side_a", "Syrian government forces"),
            ("side_b", "Civilians"),
            ("dyad_name", "Syrian government forces - Civilians"),
            ("number_of_sources", "2"),
            (
                "source_article",
                "SANA, 2025-03-08, \"Attack on Baniyas\"; report-b.txt, 2025-03-09",
            ),
            ("source_date", "2025-03-08; 2025-03-09"),
            ("source_headline", "Attack on Baniyas"),
            ("source_original", "Syrian Observatory for Human Rights"),
            ("where_prec", "1"),
            ("where_coordinates", "Baniyas"),
            ("where_description", "baniyas"),
            ("adm_1", "Tartus"),
            ("adm_2", "Baniyas District"),
            ("latitude", "35.1822"),
            ("longitude", "35.9403"),
            ("geom_wkt", "POINT (35.9403 35.1822)"),
            ("priogrid_gid", "180432"),
            ("country", "Syria"),
            ("country_id", "652"),
            ("region", "Middle East"),
            ("event_clarity", "1"),
            ("date_prec", "1"),
            ("date_start", "2025-03-07"),
            ("date_end", "2025-03-07"),
            ("deaths_a", "0"),
            ("deaths_b", "0"),
            ("deaths_civilians", "532"),
            ("deaths_unknown", "0"),
            ("best", "532"),
            ("low", "180"),
            ("high", ""),
            ("gwnoa", "652"),
            ("gwnob", ""),
            ("conflict_name", ""),
            ("relid", ""),
        ],
    );
    check(
        &rows[1],
        &[
            ("type_of_violence", "1"),
            ("side_a", "Iraqi Security Forces"),
            ("side_b", "Islamic State"),
            ("gwnoa", "645"),
            ("gwnob", ""),
            ("where_prec", "4"),
            ("date_prec", "2"),
            ("date_start", "2025-01-10"),
            ("date_end", "2025-01-12"),
            ("deaths_civilians", "0"),
            ("deaths_unknown", "12"),
            ("best", "12"),
            ("low", "10"),
            ("high", "15"),
            ("source_original", "Iraqi army"),
        ],
    );
    check(
        &rows[2],
        &[
            ("type_of_violence", ""),
            ("date_prec", "3"),
            ("best", "0"),
            ("low", "0"),
            ("high", "0"),
            ("latitude", ""),
            ("priogrid_gid", ""),
        ],
    );
    check(
        &rows[3],
        &[
            ("type_of_violence", ""),
            ("year", ""),
            ("date_prec", ""),
            ("event_clarity", "2"),
            ("country_id", "432"),
            ("region", "Africa"),
            ("best", "0"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

fn read_geojson(bytes: &[u8]) -> geojson::FeatureCollection {
    let text = std::str::from_utf8(bytes).unwrap();
    match text.parse::<geojson::GeoJson>().unwrap() {
        geojson::GeoJson::FeatureCollection(fc) => fc,
        other => panic!("not a FeatureCollection: {other:?}"),
    }
}

#[test]
fn geojson_is_a_feature_collection_with_flat_properties() {
    let bytes = write(Format::GeoJson, &incidents(), &config());
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["type"], "FeatureCollection");
    assert!(value.get("crs").is_none(), "RFC 7946 has no crs member");
    let fc = read_geojson(&bytes);
    assert_eq!(fc.features.len(), 4);
    let keys: Vec<Vec<String>> = fc
        .features
        .iter()
        .map(|f| f.properties.as_ref().unwrap().keys().cloned().collect())
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] == w[1]),
        "same keys in every feature"
    );
    for feature in &fc.features {
        for (key, value) in feature.properties.as_ref().unwrap() {
            assert!(
                !value.is_array() && !value.is_object(),
                "property {key} is not flat: {value}"
            );
        }
    }

    let first = &fc.features[0];
    assert_eq!(
        first.id,
        Some(geojson::feature::Id::String("inc-baniyas".into()))
    );
    match &first.geometry.as_ref().unwrap().value {
        geojson::GeometryValue::Point { coordinates } => {
            assert_eq!(coordinates.as_slice(), &[35.94031, 35.18221], "[lon, lat]");
        }
        other => panic!("not a point: {other:?}"),
    }
    let p = first.properties.as_ref().unwrap();
    let expect = serde_json::json!({
        "id": "inc-baniyas", "event_type": "violence_against_civilians",
        "sub_event_type": "attack", "event_type_name": "Violence against civilians",
        "sub_event_type_name": "Attack", "date_start": "2025-03-07", "date_end": "2025-03-07",
        "date_precision": "day", "location": "Baniyas", "admin1": "Tartus",
        "admin2": "Baniyas District", "country": "SY", "geonames_id": 173576,
        "place_precision": "settlement", "place_mention": "baniyas",
        "perpetrators": "Syrian government forces; Pro-government militia", "targets": "",
        "victims": "civilians", "victim_identity": "Alawite",
        "killed_best": 532, "killed_low": 180, "killed_high": null,
        "injured_best": 20, "injured_low": 20, "injured_high": 30,
        "abducted_best": null, "missing_high": null, "claims": 3, "reports": 2,
        "sources": "SANA; report-b.txt", "first_published": "2025-03-08",
        "historical": false, "aggregate": false, "part_of": "inc-coast",
        "flags": "conflicting_figures"
    });
    for (key, value) in expect.as_object().unwrap() {
        assert_eq!(p.get(key), Some(value), "property {key}");
    }

    // The unlocated protest is a feature with a null geometry.
    assert!(fc.features[2].geometry.is_none());
    assert_eq!(
        fc.features[2].properties.as_ref().unwrap()["location"],
        serde_json::Value::Null
    );
    // Arabic and bidi controls survive as they are.
    assert_eq!(
        fc.features[3].properties.as_ref().unwrap()["location"],
        "\u{202e}Sévaré = Sevare"
    );
}

#[test]
fn geojson_can_skip_unlocated_incidents_and_counts_them() {
    let skip = Config {
        unlocated: Unlocated::Skip,
        ..config()
    };
    let mut out = Vec::new();
    let summary = export(Format::GeoJson, incidents(), &mut out, &skip).unwrap();
    assert_eq!(
        (summary.incidents, summary.rows, summary.skipped),
        (4, 3, 1)
    );
    let fc = read_geojson(&out);
    assert_eq!(fc.features.len(), 3);
    assert!(fc.features.iter().all(|f| f.geometry.is_some()));
    // Coordinates out of range are no location either.
    let mut broken = baniyas();
    broken.place.as_mut().unwrap().lat = f64::NAN;
    let mut out = Vec::new();
    let summary = export(Format::GeoJson, [broken], &mut out, &skip).unwrap();
    assert_eq!(summary.skipped, 1);
    assert!(read_geojson(&out).features.is_empty());
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

#[test]
fn jsonl_is_lossless() {
    let bytes = write(Format::Jsonl, &incidents(), &config());
    let text = String::from_utf8(bytes).unwrap();
    let back: Vec<Incident> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(back, incidents());
}

// ---------------------------------------------------------------------------------------------
// Claims

#[test]
fn claims_csv_has_one_row_per_claim() {
    let bytes = write(Format::ClaimsCsv, &incidents(), &config());
    let (headers, rows) = read_csv(&bytes);
    assert_eq!(headers, vigil_export::claims::COLUMNS);
    let total: usize = incidents()
        .iter()
        .flat_map(|i| i.figures.values())
        .map(|f| f.claims.len())
        .sum();
    assert_eq!(rows.len(), total);
    check(
        &rows[0],
        &[
            ("incident_id", "inc-baniyas"),
            ("kind", "killed"),
            ("claimant", "Syrian Observatory for Human Rights"),
            ("claimant_mention", ""),
            ("qualifier", "at_least"),
            ("low", "180"),
            ("high", ""),
            ("text", "at least 180 people were killed"),
            ("report_id", "r-a"),
            ("report_published", "2025-03-08"),
            ("superseded", "1"),
            ("partisan", "0"),
            ("span_start", "10"),
            ("span_end", "41"),
            ("figure_low", "180"),
            ("figure_best", "532"),
            ("figure_high", ""),
            ("event_date_start", "2025-03-07"),
            ("location", "Baniyas"),
            ("country", "SY"),
        ],
    );
    check(
        &rows[1],
        &[
            ("claimant_mention", "the Observatory"),
            ("qualifier", "more_than"),
            ("low", "532"),
            ("report_id", "r-b"),
            ("superseded", "0"),
        ],
    );
    check(
        &rows[2],
        &[
            ("kind", "injured"),
            ("qualifier", "vague"),
            ("claimant", ""),
            ("high", "30"),
        ],
    );
    check(
        &rows[4],
        &[
            ("incident_id", "inc-hostile"),
            ("kind", "abducted"),
            ("text", "=cmd|' /C calc'!A0, \"twelve\"\nabducted"),
            ("claimant", "+شهود عيان"),
            ("event_date_start", ""),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Parquet

#[cfg(feature = "parquet")]
mod parquet_format {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Float64Type, Int64Type};
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::basic::Compression;

    fn read(bytes: Vec<u8>) -> (Vec<RecordBatch>, parquet::file::metadata::ParquetMetaData) {
        let builder = ParquetRecordBatchReaderBuilder::try_new(file_of(&bytes)).unwrap();
        let metadata = builder.metadata().as_ref().clone();
        let batches = builder.build().unwrap().map(|b| b.unwrap()).collect();
        (batches, metadata)
    }

    /// The bytes in a temporary file, which parquet's reader takes as it is.
    pub fn file_of(bytes: &[u8]) -> std::fs::File {
        use std::io::Write;
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        file
    }

    fn days(d: jiff::civil::Date) -> i32 {
        (d - date(1970, 1, 1)).get_days()
    }

    #[test]
    fn parquet_reads_back_with_typed_columns() {
        let bytes = write(Format::Parquet, &incidents(), &config());
        assert_eq!(&bytes[..4], b"PAR1");
        let (batches, metadata) = read(bytes);
        let batch = arrow_select_concat(&batches);
        assert_eq!(batch.num_rows(), 4);
        let schema = batch.schema();
        let ty = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
        assert_eq!(ty("date_start"), DataType::Date32);
        assert_eq!(ty("killed_best"), DataType::Int64);
        assert_eq!(ty("latitude"), DataType::Float64);
        assert_eq!(ty("historical"), DataType::Boolean);
        assert!(
            matches!(ty("claims"), DataType::List(f) if matches!(f.data_type(), DataType::Struct(_)))
        );
        for column in metadata.row_group(0).columns() {
            assert_eq!(
                column.compression(),
                Compression::SNAPPY,
                "{}",
                column.column_path()
            );
        }

        let col = |name: &str| batch.column_by_name(name).unwrap().clone();
        let ids = col("id");
        let ids = ids.as_string::<i32>();
        assert_eq!(ids.value(0), "inc-baniyas");
        assert_eq!(ids.value(3), "inc-hostile");
        let start = col("date_start");
        let start = start.as_primitive::<Date32Type>();
        assert_eq!(start.value(0), days(date(2025, 3, 7)));
        assert_eq!(start.value(1), days(date(2025, 1, 10)));
        assert!(start.is_null(3));
        let end = col("date_end");
        assert_eq!(
            end.as_primitive::<Date32Type>().value(1),
            days(date(2025, 1, 12))
        );
        let killed = col("killed_best");
        let killed = killed.as_primitive::<Int64Type>();
        assert_eq!((killed.value(0), killed.value(1)), (532, 12));
        assert!(killed.is_null(2));
        let low = col("killed_low");
        assert_eq!(low.as_primitive::<Int64Type>().value(0), 180);
        assert!(col("killed_high").is_null(0));
        let lat = col("latitude");
        assert_eq!(lat.as_primitive::<Float64Type>().value(0), 35.18221);
        assert!(lat.is_null(2));
        assert_eq!(
            col("longitude").as_primitive::<Float64Type>().value(3),
            -4.1
        );
        assert_eq!(col("country").as_string::<i32>().value(1), "IQ");
        assert_eq!(
            col("actor1").as_string::<i32>().value(0),
            "Syrian government forces"
        );
        assert_eq!(
            col("actor2").as_string::<i32>().value(1),
            "Iraqi Security Forces"
        );
        assert!(col("historical").as_boolean().value(3));
        assert_eq!(
            col("sources").as_string::<i32>().value(0),
            "SANA; report-b.txt"
        );
        assert_eq!(
            col("location").as_string::<i32>().value(3),
            "\u{202e}Sévaré = Sevare"
        );

        // Claims: a list of structs per incident, every claim with its words and claimant.
        let claims = col("claims");
        let claims = claims.as_list::<i32>();
        assert_eq!(claims.value_length(0), 3);
        assert_eq!(claims.value_length(2), 0);
        let first = claims.value(0);
        let first = first.as_struct();
        let text = first.column_by_name("text").unwrap().as_string::<i32>();
        assert_eq!(text.value(0), "at least 180 people were killed");
        assert_eq!(text.value(1), "more than 532, according to the Observatory");
        let kind = first.column_by_name("kind").unwrap().as_string::<i32>();
        assert_eq!((kind.value(0), kind.value(2)), ("killed", "injured"));
        let published = first.column_by_name("published").unwrap();
        assert_eq!(
            published.as_primitive::<Date32Type>().value(1),
            days(date(2025, 3, 9))
        );
        let superseded = first.column_by_name("superseded").unwrap().as_boolean();
        assert!(superseded.value(0) && !superseded.value(1));
        let claimant = first.column_by_name("claimant").unwrap();
        assert!(claimant.is_null(2));

        let figures = col("figures");
        let figures = figures.as_list::<i32>().value(0);
        let rationale = figures
            .as_struct()
            .column_by_name("rationale")
            .unwrap()
            .clone();
        assert_eq!(
            rationale.as_string::<i32>().value(0),
            "best 532: newest figure of the Syrian Observatory"
        );
        let reports = col("reports");
        let reports = reports.as_list::<i32>().value(0);
        let source = reports
            .as_struct()
            .column_by_name("source")
            .unwrap()
            .clone();
        assert_eq!(
            source.as_string::<i32>().value(1),
            "/data/reports/report-b.txt"
        );
        let flags = col("flags");
        assert_eq!(flags.as_list::<i32>().value_length(0), 1);
        let actors = col("actors");
        let actors = actors.as_list::<i32>().value(1);
        let kind = actors.as_struct().column_by_name("kind").unwrap().clone();
        assert_eq!(kind.as_string::<i32>().value(1), "state_forces");
    }

    #[test]
    fn parquet_is_written_in_bounded_row_groups() {
        let many: Vec<Incident> = (0..1000)
            .map(|i| {
                let mut incident = nineveh();
                incident.id = format!("inc-{i}");
                incident
            })
            .collect();
        let small = Config {
            batch_rows: 64,
            row_group_rows: 300,
            ..config()
        };
        let (batches, metadata) = read(write(Format::Parquet, &many, &small));
        assert_eq!(metadata.num_row_groups(), 4);
        let rows: Vec<i64> = metadata.row_groups().iter().map(|g| g.num_rows()).collect();
        assert_eq!(rows, [300, 300, 300, 100]);
        let ids: Vec<String> = batches
            .iter()
            .flat_map(|b| {
                let ids = b.column_by_name("id").unwrap().as_string::<i32>().clone();
                (0..ids.len()).map(move |i| ids.value(i).to_string())
            })
            .collect();
        assert_eq!(ids.len(), 1000);
        assert_eq!(ids[999], "inc-999");
    }

    #[test]
    fn an_empty_export_is_a_valid_file() {
        let (batches, metadata) = read(write(Format::Parquet, &[], &config()));
        assert_eq!(metadata.file_metadata().num_rows(), 0);
        assert!(batches.iter().all(|b| b.num_rows() == 0));
    }

    /// Concatenates batches by rows (a few lines, so the test needs no arrow-select).
    fn arrow_select_concat(batches: &[RecordBatch]) -> RecordBatch {
        assert_eq!(batches.len(), 1, "the fixed incidents fit one batch");
        batches[0].clone()
    }

    pub fn string_at(batch: &RecordBatch, column: &str, row: usize) -> Option<String> {
        let c = batch.column_by_name(column)?;
        let c = c.as_string::<i32>();
        (!c.is_null(row)).then(|| c.value(row).to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the text formats

#[test]
fn text_formats_snapshot() {
    let fixed = [baniyas(), nineveh(), unlocated_protest()];
    let text = |format| String::from_utf8(write(format, &fixed, &Config::default())).unwrap();
    insta::assert_snapshot!("acled_csv", text(Format::AcledCsv));
    insta::assert_snapshot!("ucdp_csv", text(Format::UcdpCsv));
    insta::assert_snapshot!("claims_csv", text(Format::ClaimsCsv));
    insta::assert_snapshot!("geojson", text(Format::GeoJson));
}

// ---------------------------------------------------------------------------------------------
// Property tests: arbitrary text round-trips through every format

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+\\-@'\t\r\n\",; a-zا-ي\u{200f}\u{200e}\u{202e}\u{2066}]{0,24}",
        Just("=cmd|' /C calc'!A0".to_string()),
        Just("'".to_string()),
        Just(String::new()),
    ]
}

fn with_text(name: String, location: String, claim_text: String, claimant: String) -> Incident {
    let mut incident = baniyas();
    incident.actors[0].name = name;
    incident.place.as_mut().unwrap().name = location.clone();
    incident.victim_identity = Some(location);
    let killed = incident.figures.get_mut(&FigureKind::Killed).unwrap();
    killed.claims[0].text = claim_text;
    killed.claims[0].claimant = Some(claimant);
    incident
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_round_trips(
        name in hostile_string(),
        location in hostile_string(),
        claim_text in hostile_string(),
        claimant in hostile_string(),
    ) {
        let incident = with_text(name.clone(), location.clone(), claim_text.clone(), claimant.clone());
        let incidents = [incident.clone()];

        let (_, rows) = read_csv(&write(Format::AcledCsv, &incidents, &config()));
        prop_assert_eq!(&rows[0]["actor1"], &name);
        prop_assert_eq!(&rows[0]["location"], &location);

        let (_, rows) = read_csv(&write(Format::ClaimsCsv, &incidents, &config()));
        prop_assert_eq!(&rows[0]["text"], &claim_text);
        prop_assert_eq!(&rows[0]["claimant"], &claimant);

        let (_, rows) = read_csv(&write(Format::UcdpCsv, &incidents, &config()));
        prop_assert_eq!(&rows[0]["where_coordinates"], &location);
        prop_assert_eq!(&rows[0]["side_a"], &name);

        let fc = read_geojson(&write(Format::GeoJson, &incidents, &config()));
        let props = fc.features[0].properties.as_ref().unwrap();
        prop_assert_eq!(props["location"].as_str(), Some(location.as_str()));
        prop_assert_eq!(props["victim_identity"].as_str(), Some(location.as_str()));

        let text = String::from_utf8(write(Format::Jsonl, &incidents, &config())).unwrap();
        prop_assert_eq!(text.lines().count(), 1);
        let back: Incident = serde_json::from_str(text.trim_end_matches('\n')).unwrap();
        prop_assert_eq!(back, incident);

        #[cfg(feature = "parquet")]
        {
            use arrow_array::cast::AsArray;
            let bytes = write(Format::Parquet, &incidents, &config());
            let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                parquet_format::file_of(&bytes)).unwrap().build().unwrap();
            let batch = reader.map(|b| b.unwrap()).next().unwrap();
            prop_assert_eq!(parquet_format::string_at(&batch, "location", 0), Some(location.clone()));
            prop_assert_eq!(parquet_format::string_at(&batch, "actor1", 0), Some(name.clone()));
            let claims = batch.column_by_name("claims").unwrap().as_list::<i32>().value(0);
            let texts = claims.as_struct().column_by_name("text").unwrap().clone();
            prop_assert_eq!(texts.as_string::<i32>().value(0), claim_text.as_str());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reference datasets

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn read_fixture(dataset: ReferenceDataset, name: &str) -> (Vec<ReferenceEvent>, Vec<BadRow>) {
    let file = std::fs::File::open(format!("{FIXTURES}/{name}")).unwrap();
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for row in read_rows(dataset, file).unwrap() {
        match row {
            Ok(event) => good.push(event),
            Err(row) => bad.push(row),
        }
    }
    (good, bad)
}

#[test]
fn acled_files_are_read_and_bad_rows_reported_with_their_lines() {
    let (good, bad) = read_fixture(ReferenceDataset::Acled, "acled.csv");
    let ids: Vec<&str> = good.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "SYR900001",
            "SYR900002",
            "IRQ900003",
            "MLI900004",
            "SYR900011"
        ]
    );
    let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [7, 8, 9, 10, 11, 12], "{bad:#?}");
    assert!(bad[0].reason.contains("not a date"), "{}", bad[0].reason);
    assert!(
        bad[1].reason.contains("fatalities \"many\""),
        "{}",
        bad[1].reason
    );
    assert!(bad[2].reason.contains("event_id_cnty is empty"));
    assert!(bad[3].reason.contains("latitude"));
    assert!(bad[4].reason.contains("3 fields"), "{}", bad[4].reason);
    assert!(bad[5].reason.contains("UTF-8"));

    let e = &good[0];
    assert_eq!(e.date, DateRange::day(date(2025, 3, 7)));
    assert_eq!((e.lat, e.lon), (Some(35.1822), Some(35.9403)));
    assert_eq!(e.geo_precision, Some(1));
    assert_eq!(e.country_code.as_deref(), Some("SY"));
    assert_eq!(
        e.vigil_event_type,
        Some(EventType::ViolenceAgainstCivilians)
    );
    assert_eq!(e.actor2.as_deref(), Some("Civilians (Syria)"));
    assert_eq!(
        (e.fatalities_best, e.fatalities_low, e.fatalities_high),
        (Some(30), Some(30), Some(30))
    );
    assert_eq!(e.original["source_scale"], "National");
    assert_eq!(e.original.len(), 31);
    // Older date forms, and time precision as the date's precision.
    assert_eq!(good[1].date.start, Some(date(2025, 3, 8)));
    assert_eq!(good[1].date.precision, DatePrecision::Week);
    assert_eq!(
        good[1].notes.as_deref(),
        Some("Fictional test row: \"clashes\", at night;\nsecond line.")
    );
    assert_eq!(good[2].date.start, Some(date(2025, 3, 9)));
    assert_eq!(good[2].date.precision, DatePrecision::Month);
    assert_eq!(
        good[2].vigil_event_type,
        Some(EventType::StrategicDevelopments)
    );
    assert_eq!(good[3].date.start, Some(date(2025, 3, 10)));
    assert_eq!(good[3].country_code.as_deref(), Some("ML"));
    assert_eq!(good[3].lon, Some(-4.1));
}

#[test]
fn ucdp_files_are_read_with_their_ranges_and_estimates() {
    let (good, bad) = read_fixture(ReferenceDataset::Ucdp, "ucdp.csv");
    assert_eq!(good.len(), 2);
    assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [4, 5]);
    assert!(bad[0].reason.contains("type_of_violence 4"));
    assert!(bad[1].reason.contains("before"));
    let e = &good[0];
    assert_eq!(e.event_id, "9000001");
    assert_eq!(e.date, DateRange::day(date(2025, 3, 7)));
    assert_eq!(e.event_type.as_deref(), Some("one-sided"));
    assert_eq!(e.country_code.as_deref(), Some("SY"));
    assert_eq!(
        (e.fatalities_low, e.fatalities_best, e.fatalities_high),
        (Some(30), Some(35), Some(60))
    );
    assert_eq!(e.location.as_deref(), Some("Baniyas town"));
    let e = &good[1];
    assert_eq!(
        e.date,
        DateRange::between(date(2025, 1, 10), date(2025, 1, 12), DatePrecision::Range)
    );
    assert_eq!(e.geo_precision, Some(4));
}

#[test]
fn a_file_of_another_kind_is_refused_whole() {
    let not_acled = "id,date_start,best\n1,2025-01-01,3\n";
    let error = read_rows(ReferenceDataset::Acled, not_acled.as_bytes())
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "not a ACLED file: the header has no event_id_cnty, event_date column"
    );
    assert!(read_rows(ReferenceDataset::Ucdp, not_acled.as_bytes()).is_ok());
}

#[test]
fn vigil_exports_read_back_as_reference_events() {
    let written = incidents();
    let bytes = write(Format::AcledCsv, &written, &config());
    let rows: Vec<_> = read_rows(ReferenceDataset::Acled, &bytes[..])
        .unwrap()
        .collect();
    assert_eq!(rows.len(), 4);
    // The incident without a date cannot be an ACLED event: its row is refused, not guessed.
    assert!(
        matches!(&rows[3], Err(BadRow { line: 5, reason }) if reason.contains("event_date is empty"))
    );
    for (incident, row) in written.iter().zip(&rows[..3]) {
        let event = row.as_ref().unwrap();
        assert_eq!(event.event_id, incident.id);
        assert_eq!(event.vigil_event_type, Some(incident.event_type));
        assert_eq!(
            event.sub_event_type.as_deref(),
            Some(incident.sub_event_type.acled_name())
        );
        let (start, end) = incident.date.bounds().unwrap();
        let day = event.date.start.unwrap();
        assert!(start <= day && day <= end);
        match &incident.place {
            Some(p) => {
                assert!((event.lat.unwrap() - p.lat).abs() < 1e-4);
                assert!((event.lon.unwrap() - p.lon).abs() < 1e-4);
                assert_eq!(event.country_code, p.country);
            }
            None => assert_eq!((event.lat, event.country_code.as_deref()), (None, None)),
        }
        let killed = incident
            .figures
            .get(&FigureKind::Killed)
            .and_then(|f| f.best)
            .unwrap_or(0);
        assert_eq!(event.fatalities_best, Some(killed));
    }
}

// ---------------------------------------------------------------------------------------------
// Matching

fn acled_event(
    id: &str,
    day: jiff::civil::Date,
    lat: f64,
    lon: f64,
    event_type: EventType,
    fatalities: u64,
) -> ReferenceEvent {
    ReferenceEvent {
        dataset: ReferenceDataset::Acled,
        event_id: id.into(),
        date: DateRange::day(day),
        lat: Some(lat),
        lon: Some(lon),
        geo_precision: Some(1),
        country: Some("Syria".into()),
        country_code: Some("SY".into()),
        admin1: None,
        admin2: None,
        location: None,
        event_type: Some(event_type.acled_name().into()),
        sub_event_type: None,
        vigil_event_type: Some(event_type),
        actor1: None,
        actor2: None,
        fatalities_best: Some(fatalities),
        fatalities_low: Some(fatalities),
        fatalities_high: Some(fatalities),
        notes: None,
        original: Default::default(),
    }
}

#[test]
fn the_best_match_is_near_in_place_time_type_and_toll() {
    let incident = baniyas();
    let config = compare::CompareConfig::default();
    let day = date(2025, 3, 7);
    let events = vec![
        // Same day, 2 km away, a battle.
        acled_event("battle", day, 35.19, 35.96, EventType::Battles, 2),
        // Next day, 3 km away, the same type and a close toll: the counterpart.
        acled_event(
            "attack",
            date(2025, 3, 8),
            35.20,
            35.97,
            EventType::ViolenceAgainstCivilians,
            500,
        ),
        // Same everything but 40 km away: no candidate.
        acled_event(
            "far",
            day,
            35.53,
            35.94,
            EventType::ViolenceAgainstCivilians,
            532,
        ),
        // Three days later: no candidate.
        acled_event(
            "late",
            date(2025, 3, 10),
            35.18,
            35.94,
            EventType::ViolenceAgainstCivilians,
            532,
        ),
    ];
    let (best, m) = compare::best_match(&incident, &events, &config).unwrap();
    assert_eq!(best.event_id, "attack");
    assert_eq!(m.days_apart, 1);
    assert!((m.km - 3.3).abs() < 0.5, "{}", m.km);
    assert!(compare::score(&incident, &events[2], &config).is_none());
    assert!(compare::score(&incident, &events[3], &config).is_none());
    // Widened windows bring them in.
    let wide = compare::CompareConfig { days: 3, km: 50.0 };
    assert!(compare::score(&incident, &events[2], &wide).is_some());
    assert!(compare::score(&incident, &events[3], &wide).is_some());
    // A month-precision ACLED date reaches 15 days.
    let mut month = events[3].clone();
    month.date.precision = DatePrecision::Month;
    assert_eq!(
        compare::score(&incident, &month, &config)
            .unwrap()
            .days_apart,
        0
    );
    // No coordinates, no match.
    assert!(compare::score(&unlocated_protest(), &events[0], &config).is_none());
    let window = compare::search_window(&incident, &config).unwrap();
    assert!(window.from <= date(2025, 3, 6) && window.to >= date(2025, 3, 8));
    for e in &events {
        let (lat, lon) = (e.lat.unwrap(), e.lon.unwrap());
        assert!(
            window.min_lat <= lat
                && lat <= window.max_lat
                && window.min_lon <= lon
                && lon <= window.max_lon
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any bytes: rows or bad rows, never a panic; every event read has an id and a date.
    #[test]
    fn reference_readers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048), header in 0usize..3) {
        let prefix: &[u8] = match header {
            0 => b"event_id_cnty,event_date,latitude,longitude,fatalities,time_precision\n",
            1 => b"id,date_start,date_end,best,low,high,date_prec,type_of_violence\n",
            _ => b"",
        };
        let bytes = [prefix, &data].concat();
        for dataset in ReferenceDataset::ALL {
            if let Ok(rows) = read_rows(dataset, &bytes[..]) {
                for event in rows.flatten() {
                    prop_assert!(event.date.is_known());
                    prop_assert!(!event.event_id.is_empty());
                }
            }
        }
    }

    /// Text cells of an ACLED file come back exactly, whatever they hold.
    #[test]
    fn reference_text_cells_round_trip(location in hostile_string(), notes in hostile_string(), crlf in any::<bool>()) {
        let mut writer = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        writer.write_record(["event_id_cnty", "event_date", "location", "notes"]).unwrap();
        writer.write_record(["X1", "2025-03-07", location.as_str(), notes.as_str()]).unwrap();
        writer.write_record(["X2", "2025-03-08", "", ""]).unwrap();
        let bytes = writer.into_inner().unwrap();
        let events: Vec<ReferenceEvent> = read_rows(ReferenceDataset::Acled, &bytes[..])
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(events.len(), 2);
        // Cells are trimmed of surrounding white space and empty cells read as absent.
        let expect = |s: &str| Some(s.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        prop_assert_eq!(events[0].location.clone(), expect(&location));
        // The last cell of a CRLF row loses a trailing carriage return it never had.
        let notes_back = events[0].notes.clone();
        prop_assert_eq!(notes_back, expect(&notes));
        prop_assert_eq!(events[1].event_id.as_str(), "X2");
    }
}
