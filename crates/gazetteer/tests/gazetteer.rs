//! Integration tests of the gazetteer: keys, the bundled index, recognition and resolution, the
//! gold places of the sample reports, imports.

use vigil_gazetteer::key::{name_key, skeleton_key, variants_meet};
use vigil_gazetteer::{Gazetteer, GeoparseConfig, Near, PlaceMention, find_places, geocode};
use vigil_model::{PlacePrecision, Span, haversine_km};

fn gaz() -> Gazetteer {
    Gazetteer::bundled().expect("bundled gazetteer")
}

fn places(text: &str) -> Vec<PlaceMention> {
    find_places(&gaz(), text, &GeoparseConfig::default())
}

fn mention<'a>(found: &'a [PlaceMention], text: &str) -> &'a PlaceMention {
    found.iter().find(|m| m.text == text).unwrap_or_else(|| {
        panic!(
            "no mention {text:?} in {:?}",
            found.iter().map(|m| &m.text).collect::<Vec<_>>()
        )
    })
}

mod keys {
    use super::*;

    /// Spellings of one place that reports use: they must meet.
    const SAME_PLACE: &[(&str, &str)] = &[
        ("Baniyas", "Banias"),
        ("Baniyas", "Banyas"),
        ("Banias", "Bāniyās"),
        ("Al-Mukhtariya", "Al Mukhtareyah"),
        ("Al-Mukhtariya", "Mukhtārīyah"),
        ("Hirbnafsah", "Harbnafsah"),
        ("Hirbnafsah", "Ḩarbinafsah"),
        ("Telbeesa", "Talbiseh"),
        ("Telbeesa", "Tallbīsah"),
        ("Tsneen", "Tasnin"),
        ("Tsneen", "Tasnīn"),
        ("Deir Fuul", "Dayr Ful"),
        ("Deir Fuul", "Dayr Fūl"),
        ("Teir Maala", "Tayr Ma'la"),
        ("Teir Maala", "Tayr Ma‘lah"),
        ("Waer", "al-Waer"),
        ("Waer", "Al Wa‘r"),
        ("a-Zahraa", "al-Zahra"),
        ("Sweida", "As-Suwayda"),
        ("Sweida", "Suwayda"),
        ("Sanobar", "Aş Şanawbar"),
        ("Barabshbo", "Brābishbū"),
        ("Jableh", "Jablah"),
        ("Deir ez-Zor", "Dayr az Zawr"),
        ("Al-Zarah", "Az Zārah"),
        ("Burj Qaae", "Burj Qā‘ī"),
        ("Salhab", "سلحب"),
        ("Latakia", "Lattakia"),
        ("Hama", "Hamah"),
        ("Talbiseh", "تلبيسة"),
        ("Syria's", "Syria"),
        ("Raqqa", "Ar-Raqqah"),
        ("Harbnafsah", "Harb Nafsah"),
        ("Qusour", "Kusur"),
        ("Ladhiqiyah", "Lazikiyah"),
        ("Khan Shaykhun", "Han Shaykhun"),
    ];

    /// Names of different places that must stay apart.
    const DIFFERENT_PLACES: &[(&str, &str)] = &[
        ("Homs", "Hama"),
        ("Jableh", "Jbeil"),
        ("Tartus", "Tarsus"),
        ("Idlib", "Adana"),
        ("Raqqa", "Ruqqa Wadi"),
        ("Daraa", "Dara'a al-Kabira"),
        ("Aleppo", "Afrin"),
        ("Damascus", "Daraya"),
        ("Baniyas", "Banha"),
        ("Beirut", "Basra"),
        ("Hamas", "Homs"),
        ("Mosul", "Masyaf"),
        ("Sweida", "Suwaydiyah"),
        ("Tsneen", "Tannin"),
        ("Kobani", "Kobe"),
        ("Gaza", "Giza"),
    ];

    #[test]
    fn variants_of_one_place_meet() {
        let failures: Vec<_> = SAME_PLACE
            .iter()
            .filter(|(a, b)| !variants_meet(a, b))
            .collect();
        assert!(failures.is_empty(), "should meet: {failures:?}");
    }

    #[test]
    fn names_of_different_places_do_not_meet() {
        let failures: Vec<_> = DIFFERENT_PLACES
            .iter()
            .filter(|(a, b)| variants_meet(a, b))
            .collect();
        assert!(failures.is_empty(), "should not meet: {failures:?}");
    }

    #[test]
    fn keys_fold_what_transliterations_disagree_on() {
        let cases = [
            ("Deir Fuul", "dairful"),
            ("Dayr-Fūl", "dairful"),
            ("al-Waer", "war"),
            ("Telbeesa", "talbisa"),
            ("Ash Shīr", "shir"),
            ("Jableh", "jabla"),
            ("a-Zahraa", "zahra"),
            ("", ""),
            ("---", ""),
            ("السويداء", "سويدا"),
            ("مُحافظة", "محافظه"),
        ];
        for (name, key) in cases {
            assert_eq!(name_key(name), key, "key of {name:?}");
        }
        // A combining mark the Arabic folding does not list stays out of the key (proptest).
        assert_eq!(name_key("\u{C0}\u{8F0}"), "");
        assert_eq!(
            name_key(&name_key("\u{C0}\u{8F0}")),
            name_key("\u{C0}\u{8F0}")
        );
        assert_eq!(skeleton_key("Telbeesa"), skeleton_key("تلبيسة"));
        assert_eq!(skeleton_key("Barabshbo"), "brbshb");
    }

    proptest::proptest! {
        #[test]
        fn keys_are_idempotent_and_never_panic(name in "\\PC{0,40}") {
            let k = name_key(&name);
            proptest::prop_assert_eq!(name_key(&k), k.clone());
            let _ = skeleton_key(&name);
            let _ = variants_meet(&name, &k);
        }

        #[test]
        fn latin_keys_are_idempotent(name in "[A-Za-z'` -]{0,30}") {
            let k = name_key(&name);
            proptest::prop_assert_eq!(name_key(&k), k);
        }

        /// The edit-distance rule of two Latin keys that share a skeleton is Levenshtein's
        /// distance within a quarter of the shorter key (checked against strsim's, including
        /// keys longer than the stack table).
        #[test]
        fn skeleton_match_is_levenshtein_within_max_edits(
            a in "[a-e]{0,70}",
            b in "[a-e]{0,70}",
        ) {
            let expected =
                strsim::levenshtein(&a, &b) <= vigil_gazetteer::key::max_edits(&a, &b);
            proptest::prop_assert_eq!(
                vigil_gazetteer::key::skeleton_match(&a, "skel", &b, "skel"),
                expected
            );
        }
    }
}

mod index {
    use super::*;

    #[test]
    fn the_bundled_index_holds_the_world_and_the_detailed_countries() {
        let g = gaz();
        assert!(g.len() > 300_000, "{} places", g.len());
        let homs = g.lookup("Homs");
        assert!(
            homs.iter()
                .any(|e| e.country.as_deref() == Some("SY") && e.feature_code == "PPLA")
        );
        // A village with population 0 (detailed data), its Arabic name, and a world city.
        assert!(g.lookup("Tasnīn").iter().any(|e| e.geonameid == Some(2872)));
        assert!(
            g.lookup("تلبيسة")
                .iter()
                .any(|e| e.geonameid == Some(163779))
        );
        assert!(
            g.lookup("Lyon")
                .iter()
                .any(|e| e.country.as_deref() == Some("FR"))
        );
        // Countries and admin areas outside the detailed countries get representative points.
        let fr = g.country("FR").unwrap();
        assert!(haversine_km(fr.lat, fr.lon, 46.6, 2.4) < 100.0);
        let bavaria = g.lookup("Bavaria");
        assert!(
            bavaria
                .iter()
                .any(|e| e.feature_code == "ADM1" && e.country.as_deref() == Some("DE"))
        );
    }

    #[test]
    fn lookups_by_coordinates_find_the_nearest_place_and_its_admin_areas() {
        let g = gaz();
        let (e, d) = g.nearest(34.7325, 36.7137, 20.0).unwrap();
        assert!(d < 5.0, "{e:?} at {d} km");
        let (admin1, _, country) = g.admin_of(35.18, 35.95, 20.0).unwrap();
        assert_eq!(admin1.as_deref(), Some("Tartus"));
        assert_eq!(country.as_deref(), Some("SY"));
        assert!(
            g.nearest(0.0, -140.0, 50.0).is_none(),
            "the middle of the Pacific"
        );
    }

    #[test]
    fn geocode_ranks_by_country_and_distance() {
        let g = gaz();
        let c = geocode(&g, "Sweida", Some(&Near::Country("SY".into())));
        assert_eq!(c[0].place.geonames_id, Some(172408), "{:?}", c[0]);
        let c = geocode(&g, "Tripoli", Some(&Near::Country("LB".into())));
        assert_eq!(c[0].place.country.as_deref(), Some("LB"));
        let c = geocode(&g, "Tripoli", Some(&Near::Country("LY".into())));
        assert_eq!(c[0].place.country.as_deref(), Some("LY"));
        let c = geocode(
            &g,
            "Salhab",
            Some(&Near::Point {
                lat: 35.25,
                lon: 36.38,
            }),
        );
        assert!(
            haversine_km(c[0].place.lat, c[0].place.lon, 35.2588, 36.3846) < 5.0,
            "{:?}",
            c[0]
        );
        assert!(geocode(&g, "", None).is_empty());
        assert!(geocode(&g, "Xqzzyv", None).is_empty());
    }
}

mod recognition {
    use super::*;

    #[test]
    fn cues_and_document_context_choose_the_village() {
        let found = places(
            "Warplanes raided Burj Qaae, Tsneen and Hirbnafsah in the northern Homs countryside, \
             near the village of Al-Zarah.",
        );
        for (name, id) in [
            ("Burj Qaae", 11432488),
            ("Tsneen", 2872),
            ("Hirbnafsah", 169886),
            ("Al-Zarah", 162520),
        ] {
            let m = mention(&found, name);
            assert_eq!(
                m.place.as_ref().and_then(|p| p.geonames_id),
                Some(id),
                "{name}: {:?}",
                m.candidates
            );
        }
        let region = mention(&found, "northern Homs countryside");
        let p = region.place.as_ref().unwrap();
        assert_eq!(p.precision, PlacePrecision::Region);
        assert!(p.lat > 34.73, "north of Homs city: {p:?}");
        assert_eq!(
            mention(&found, "Al-Zarah").cue.as_deref(),
            Some("village of")
        );
    }

    #[test]
    fn demonyms_person_names_and_page_furniture_are_not_places() {
        let found = places(
            "Hassan Harfoush, an Alawite from the town, said Syrian and Druze families fled. \
             Adnan Khalil lost his daughter. Khalil told reporters.\n\nShare this article\nLeave A Reply",
        );
        let texts: Vec<&str> = found.iter().map(|m| m.text.as_str()).collect();
        for word in [
            "Hassan", "Harfoush", "Alawite", "Syrian", "Druze", "Khalil", "Share", "Reply", "Leave",
        ] {
            assert!(
                !texts.contains(&word),
                "{word} taken for a place: {texts:?}"
            );
        }
    }

    #[test]
    fn excluded_spans_are_honoured() {
        let text = "Fighters of Faylaq Homs attacked Al-Zarah.";
        let start = text.find("Faylaq").unwrap();
        let config = GeoparseConfig {
            exclude: vec![Span::new(start, start + "Faylaq Homs".len())],
            ..Default::default()
        };
        let found = find_places(&gaz(), text, &config);
        assert!(
            found
                .iter()
                .all(|m| m.span.end <= start || m.span.start >= start + 11),
            "{found:?}"
        );
        assert!(found.iter().any(|m| m.text == "Al-Zarah"));
    }

    #[test]
    fn districts_resolve_to_the_district_or_their_city() {
        let found = places(
            "An explosive device killed three residents in the regime-held a-Zahraa district of Homs city. \
             Pro-government fighters fell on the neighborhood of Al-Qusour in the city of Baniyas. \
             The siege on Waer continued.",
        );
        let qusour = mention(&found, "Al-Qusour").place.clone().unwrap();
        assert_eq!(qusour.precision, PlacePrecision::District);
        assert!(
            haversine_km(qusour.lat, qusour.lon, 35.1819, 35.9487) < 6.0,
            "{qusour:?}"
        );
        let zahraa = mention(&found, "a-Zahraa").place.clone().unwrap();
        assert_eq!(zahraa.precision, PlacePrecision::District);
        assert!(
            haversine_km(zahraa.lat, zahraa.lon, 34.724, 36.7256) < 6.0,
            "{zahraa:?}"
        );
        let waer = mention(&found, "Waer").place.clone().unwrap();
        assert_eq!(waer.precision, PlacePrecision::District);
        assert!(
            haversine_km(waer.lat, waer.lon, 34.7827, 36.6512) < 2.0,
            "{waer:?}"
        );
    }

    #[test]
    fn regions_and_provinces() {
        let found = places(
            "Killings were reported in the coastal regions of Syria, in the Latakia mountains, in \
             eastern Ghouta and across Idlib province.",
        );
        let coast = mention(&found, "coastal regions").place.clone().unwrap();
        assert_eq!(coast.precision, PlacePrecision::Region);
        assert!(haversine_km(coast.lat, coast.lon, 35.3, 35.95) < 60.0);
        assert_eq!(
            mention(&found, "Latakia mountains")
                .place
                .as_ref()
                .unwrap()
                .precision,
            PlacePrecision::Region
        );
        assert_eq!(
            mention(&found, "eastern Ghouta")
                .place
                .as_ref()
                .unwrap()
                .precision,
            PlacePrecision::Region
        );
        let idlib = mention(&found, "Idlib province").place.clone().unwrap();
        assert_eq!(idlib.precision, PlacePrecision::Admin1);
        // Generic names count only in a report about the region's country.
        let found = places("Storms hit the coast of Norway near Bergen and Stavanger.");
        assert!(found.iter().all(|m| m.text != "coast"), "{found:?}");
    }

    #[test]
    fn a_bare_name_shared_by_an_admin_area_and_its_city_is_the_city() {
        // (text, name, precision, a point it must lie within 30 km of)
        for (text, name, precision, (lat, lon)) in [
            (
                "Police in New York said two men were shot on Tuesday.",
                "New York",
                PlacePrecision::Settlement,
                (40.71, -74.01),
            ),
            (
                "A bomb exploded in a dance hall in Ayacucho, a city south of Lima.",
                "Ayacucho",
                PlacePrecision::Settlement,
                (-13.16, -74.22),
            ),
            (
                "Troops were sent to Ayacucho department after the attacks.",
                "Ayacucho department",
                PlacePrecision::Admin1,
                (-13.83, -74.06),
            ),
        ] {
            let found = places(text);
            let p = mention(&found, name).place.clone().unwrap();
            assert_eq!(p.precision, precision, "{name} in {text:?}: {p:?}");
            assert!(
                haversine_km(p.lat, p.lon, lat, lon) < 30.0,
                "{name} in {text:?}: {p:?}"
            );
        }
    }

    #[test]
    fn the_world_layer_resolves_places_of_other_wars() {
        let found = places(
            "Russian missiles struck Kharkiv and Zaporizhzhia overnight, officials in Kyiv said. \
             In Sudan, the RSF shelled El Fasher, the capital of North Darfur.",
        );
        for (name, cc) in [
            ("Kharkiv", "UA"),
            ("Zaporizhzhia", "UA"),
            ("Kyiv", "UA"),
            ("Sudan", "SD"),
            ("El Fasher", "SD"),
        ] {
            let m = mention(&found, name);
            assert_eq!(
                m.place.as_ref().and_then(|p| p.country.as_deref()),
                Some(cc),
                "{name}: {:?}",
                m.candidates
            );
        }
    }

    #[test]
    fn arabic_script_names_are_found() {
        let found = places("قصفت الطائرات مدينة حمص وبلدة تلبيسة في ريف حمص الشمالي");
        let homs = found.iter().find(|m| m.text == "حمص").expect("حمص");
        assert_eq!(
            homs.place.as_ref().and_then(|p| p.geonames_id),
            Some(169577)
        );
        assert!(
            found.iter().any(|m| m.text == "تلبيسة"
                && m.place.as_ref().and_then(|p| p.geonames_id) == Some(163779))
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn find_places_never_panics_and_spans_point_into_the_text(text in "\\PC{0,300}") {
            let found = places(&text);
            for m in found {
                proptest::prop_assert_eq!(m.span.slice(&text), Some(m.text.as_str()));
            }
        }
    }
}

mod gold {
    use super::*;

    /// Gold places the report does not name in its text (the gold infers them from the story).
    const NOT_NAMED: &[(&str, &str)] = &[("001_acac6afa8d60ef28", "Jableh")];

    fn body(report: &str) -> &str {
        // After the YAML front matter.
        report
            .strip_prefix("---\n")
            .and_then(|r| r.split_once("\n---\n"))
            .map(|(_, b)| b)
            .unwrap_or(report)
    }

    #[test]
    fn gold_places_resolve_within_tolerance() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold");
        let mut checked = 0;
        let mut failures = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let doc = path.file_stem().unwrap().to_string_lossy().to_string();
            let gold: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let report = std::fs::read_to_string(path.with_extension("txt")).unwrap();
            let text = body(&report);
            let found = places(text);
            for incident in gold["incidents"].as_array().unwrap() {
                let p = &incident["place"];
                let name = p["name"].as_str().unwrap();
                let head = name.split(',').next().unwrap();
                if NOT_NAMED.contains(&(doc.as_str(), name)) {
                    assert!(
                        !found.iter().any(|m| variants_meet(&m.text, head)),
                        "{doc}: {name} is named after all"
                    );
                    continue;
                }
                let (lat, lon, tol) = (
                    p["lat"].as_f64().unwrap(),
                    p["lon"].as_f64().unwrap(),
                    p["tolerance_km"].as_f64().unwrap(),
                );
                let precision: PlacePrecision =
                    serde_json::from_value(p["precision"].clone()).unwrap();
                let ok = found.iter().any(|m| {
                    let Some(place) = &m.place else { return false };
                    let named = variants_meet(&m.text, head)
                        || (precision == PlacePrecision::Region
                            && place.precision == PlacePrecision::Region);
                    named && haversine_km(place.lat, place.lon, lat, lon) <= tol
                });
                checked += 1;
                if !ok {
                    let near: Vec<String> = found
                        .iter()
                        .filter(|m| variants_meet(&m.text, head))
                        .map(|m| {
                            format!(
                                "{} -> {:?}",
                                m.text,
                                m.place.as_ref().map(|p| (&p.name, p.lat, p.lon))
                            )
                        })
                        .collect();
                    failures.push(format!("{doc}: {name} ({lat}, {lon} ±{tol} km): {near:?}"));
                }
            }
        }
        assert!(checked >= 30, "only {checked} gold places checked");
        assert!(
            failures.is_empty(),
            "gold places not resolved:\n{}",
            failures.join("\n")
        );
    }
}

mod import {
    use super::*;

    #[test]
    fn geonames_dumps_are_imported_and_indexed() {
        let dir = tempfile_dir();
        let dump = dir.join("XX.txt");
        // Two rows in GeoNames' 19-column layout: a village and a stream (not kept).
        std::fs::write(
            &dump,
            "99000001\tQaryat Vigil\tQaryat Vigil\tVigiltown,قرية فيجيل\t34.5\t37.5\tP\tPPL\tSY\t\t11\t\t\t\t120\t\t400\tAsia/Damascus\t2024-01-01\n\
             99000002\tWadi Vigil\tWadi Vigil\t\t34.6\t37.6\tH\tSTM\tSY\t\t11\t\t\t\t0\t\t400\tAsia/Damascus\t2024-01-01\n",
        )
        .unwrap();
        let names = dir.join("alternateNamesV2.txt");
        std::fs::write(&names, "1\t99000001\ten\tVigil Village\t\t\t\t\t\t\n2\t99000001\tlink\thttps://example.invalid\t\t\t\t\t\t\n").unwrap();
        let imports = dir.join("imports");
        let s = vigil_gazetteer::import_geonames(&dump, &imports).unwrap();
        assert_eq!((s.places, s.skipped), (1, 1));
        let s = vigil_gazetteer::import_geonames(&names, &imports).unwrap();
        assert_eq!((s.names, s.skipped), (1, 1));
        let mut sources = vigil_gazetteer::Sources::bundled().unwrap();
        sources.add_import_dir(&imports).unwrap();
        let g = Gazetteer::build(&sources, &dir.join("index.vgi")).unwrap();
        for name in ["Qaryat Vigil", "Vigiltown", "Vigil Village", "قرية فيجيل"] {
            assert!(
                g.lookup(name).iter().any(|e| e.geonameid == Some(99000001)),
                "{name}"
            );
        }
        assert!(g.lookup("Wadi Vigil").is_empty());
        let reopened = Gazetteer::open(&dir.join("index.vgi")).unwrap();
        assert_eq!(reopened.len(), g.len());
        assert!(vigil_gazetteer::import_geonames(&dir.join("missing.txt"), &imports).is_err());
        std::fs::write(dir.join("bad.txt"), "just some text\n").unwrap();
        assert!(vigil_gazetteer::import_geonames(&dir.join("bad.txt"), &imports).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("vigil-gaz-test-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_corrupt_index_is_an_error_not_a_panic() {
        let d = std::env::temp_dir().join(format!("vigil-gaz-bad-{}.vgi", std::process::id()));
        std::fs::write(&d, b"VIGILGZ3 not really").unwrap();
        assert!(Gazetteer::open(&d).is_err());
        std::fs::remove_file(&d).unwrap();
    }
}
