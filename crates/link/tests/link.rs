//! Integration tests of vigil-link: the gold cross-report links of the sample reports, the
//! reconciliation rule, claimant names, blocking completeness, order independence and exact
//! incremental linking.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use serde_json::Value;
use vigil_link::*;
use vigil_model::*;

// ------------------------------------------------------------------ gold annotations as mentions

const GOLD: &[(&str, &str)] = &[
    (
        "000_e5f14023a5c21753",
        include_str!("gold/000_e5f14023a5c21753.json"),
    ),
    (
        "001_acac6afa8d60ef28",
        include_str!("gold/001_acac6afa8d60ef28.json"),
    ),
    (
        "002_e588b089f4cf3d7a",
        include_str!("gold/002_e588b089f4cf3d7a.json"),
    ),
    (
        "003_5566f96bc46958ba",
        include_str!("gold/003_5566f96bc46958ba.json"),
    ),
    (
        "004_412e8a489ef0d1c4",
        include_str!("gold/004_412e8a489ef0d1c4.json"),
    ),
];
const LINKS: &str = include_str!("gold/links.json");

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// The claimant a gold note names ("at least 180 per SOHR" → "SOHR").
fn claimant_of(note: &str) -> Option<String> {
    let (_, after) = note.split_once(" per ")?;
    Some(after.split(';').next()?.trim().to_string())
}

fn qualifier_of(note: &str, low: Option<u64>, high: Option<u64>) -> Qualifier {
    let note = note.to_lowercase();
    if note.starts_with("over") || note.contains("more than") {
        Qualifier::MoreThan
    } else if note.contains("at least") {
        Qualifier::AtLeast
    } else if note.contains("up to") {
        Qualifier::UpTo
    } else if note.contains("nearly") {
        Qualifier::Nearly
    } else if note.contains("about") {
        Qualifier::About
    } else {
        match (low, high) {
            (Some(l), Some(h)) if l == h => Qualifier::Exact,
            (Some(_), Some(_)) => Qualifier::Vague,
            (Some(_), None) => Qualifier::AtLeast,
            _ => Qualifier::UpTo,
        }
    }
}

/// One gold incident as the mention a perfect extractor would produce. Gold has no `aggregate`
/// field: an incident placed at a region, province or country is taken as an aggregate.
fn gold_mention(incident: &Value) -> Mention {
    let s = |v: &Value| v.as_str().map(str::to_string);
    let place = &incident["place"];
    let precision = match place["precision"].as_str().unwrap() {
        "settlement" => PlacePrecision::Settlement,
        "district" => PlacePrecision::District,
        "admin2" => PlacePrecision::Admin2,
        "admin1" => PlacePrecision::Admin1,
        "country" => PlacePrecision::Country,
        _ => PlacePrecision::Region,
    };
    let dates = match incident["date"].as_object() {
        Some(d) => DateRange::between(
            date(d["start"].as_str().unwrap()),
            date(d["end"].as_str().unwrap()),
            DatePrecision::Range,
        ),
        None => DateRange::unknown(),
    };
    let actors = incident["perpetrators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let name = p.as_str().unwrap().to_string();
            // Gold writes descriptions ("armed groups", "pro-government fighters") in lower case.
            let kind = if name.starts_with(char::is_lowercase) {
                ActorKind::UnidentifiedArmedGroup
            } else {
                ActorKind::Other
            };
            Actor {
                name: name.clone(),
                mention: name,
                role: ActorRole::Perpetrator,
                kind,
                span: None,
                claimant: None,
            }
        })
        .collect();
    let mut figures = BTreeMap::new();
    for kind in [
        FigureKind::Killed,
        FigureKind::Injured,
        FigureKind::Abducted,
    ] {
        let f = &incident[kind.code()];
        if f["stated"].as_bool() != Some(true) {
            continue;
        }
        let (low, high) = (f["low"].as_u64(), f["high"].as_u64());
        let note = f["note"].as_str().unwrap_or("");
        let claim = Claim {
            low,
            high,
            qualifier: qualifier_of(note, low, high),
            text: note.to_string(),
            claimant: claimant_of(note),
            span: Span::new(0, 0),
            report: None,
            published: None,
            claimant_mention: None,
            superseded: false,
            partisan: false,
        };
        figures.insert(
            kind,
            Figure {
                low,
                high,
                best: low.or(high),
                claims: vec![claim],
                rationale: None,
            },
        );
    }
    let victims = match incident["victims"].as_str() {
        Some("civilians") => Victims::Civilians,
        Some("combatants") => Victims::Combatants,
        Some("mixed") => Victims::Mixed,
        _ => Victims::Unknown,
    };
    Mention {
        event_type: EventType::from_code(incident["event_type"].as_str().unwrap()).unwrap(),
        sub_event_type: SubEventType::from_code(incident["sub_event_type"].as_str().unwrap())
            .unwrap(),
        date: dates,
        place: Some(Place {
            name: s(&place["name"]).unwrap(),
            geonames_id: None,
            admin1: s(&place["admin1"]),
            admin2: None,
            country: s(&place["country"]),
            lat: place["lat"].as_f64().unwrap(),
            lon: place["lon"].as_f64().unwrap(),
            precision,
            mention: None,
            span: None,
        }),
        actors,
        victims,
        victim_identity: s(&incident["victim_identity"]),
        figures,
        historical: incident["historical"].as_bool().unwrap_or(false),
        aggregate: matches!(
            precision,
            PlacePrecision::Region | PlacePrecision::Admin1 | PlacePrecision::Country
        ) && !incident["historical"].as_bool().unwrap_or(false),
        evidence: vec![Evidence {
            span: Span::new(0, 0),
            text: s(&incident["summary"]).unwrap_or_default(),
        }],
    }
}

/// Every gold incident of every sample report, keyed `doc/id`.
fn gold_mentions() -> (Vec<SourcedMention>, Vec<String>) {
    let mut mentions = Vec::new();
    let mut names = Vec::new();
    for (doc, text) in GOLD {
        let gold: Value = serde_json::from_str(text).unwrap();
        let published = gold["published"].as_str().map(date);
        for (ordinal, incident) in gold["incidents"].as_array().unwrap().iter().enumerate() {
            mentions.push(SourcedMention {
                key: mentions.len() as u64 + 1,
                ordinal: ordinal as u32,
                report: IncidentReport {
                    id: doc.to_string(),
                    source: format!("{doc}.txt"),
                    title: None,
                    published,
                    outlet: gold["outlet"].as_str().map(str::to_string),
                },
                outlet: gold["outlet"].as_str().map(str::to_string),
                mention: gold_mention(incident),
            });
            names.push(format!("{doc}/{}", incident["id"].as_str().unwrap()));
        }
    }
    (mentions, names)
}

#[test]
fn gold_links_of_the_sample_reports_hold() {
    let (mentions, names) = gold_mentions();
    let names = &names;
    let linked = link_mentions(&mentions, Claimants::bundled(), &Config::default());
    let incident_of: HashMap<&str, usize> = linked
        .members
        .iter()
        .enumerate()
        .flat_map(|(i, members)| members.iter().map(move |&m| (names[m].as_str(), i)))
        .collect();
    let links: Value = serde_json::from_str(LINKS).unwrap();

    // Every "same" group is exactly one incident; every other mention stands alone.
    let mut expected: BTreeSet<BTreeSet<&str>> = BTreeSet::new();
    let mut grouped = BTreeSet::new();
    for group in links["same"].as_array().unwrap() {
        let set: BTreeSet<&str> = group
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        grouped.extend(set.iter().copied());
        expected.insert(set);
    }
    for name in names {
        if !grouped.contains(name.as_str()) {
            expected.insert([name.as_str()].into());
        }
    }
    let actual: BTreeSet<BTreeSet<&str>> = linked
        .members
        .iter()
        .map(|members| members.iter().map(|&m| names[m].as_str()).collect())
        .collect();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let extra: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "expected but not found: {missing:#?}\nfound but not expected: {extra:#?}"
    );

    // part_of relations hold at incident level.
    for pair in links["part_of"].as_array().unwrap() {
        let (local, wave) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        let (l, w) = (incident_of[local], incident_of[wave]);
        assert_eq!(
            linked.incidents[l].part_of.as_deref(),
            Some(linked.incidents[w].id.as_str()),
            "{local} should be part of {wave}"
        );
    }
    // Waves are never part of anything, and nothing else is part of a wave it is not in.
    for incident in &linked.incidents {
        if incident.aggregate {
            assert_eq!(incident.part_of, None, "{incident:?}");
        }
    }

    // The coastal wave: three claims kept, 180 superseded by 532 of the same monitor.
    let wave = &linked.incidents[incident_of["001_acac6afa8d60ef28/coast-wave"]];
    let killed = &wave.figures[&FigureKind::Killed];
    assert_eq!(killed.claims.len(), 3, "{killed:#?}");
    assert_eq!(killed.best, Some(532));
    assert_eq!(killed.low, Some(532));
    assert_eq!(killed.high, Some(999));
    let sohr: Vec<&Claim> = killed
        .claims
        .iter()
        .filter(|c| c.claimant.as_deref() == Some("Syrian Observatory for Human Rights"))
        .collect();
    assert_eq!(sohr.len(), 2, "both SOHR spellings meet: {killed:#?}");
    assert!(sohr.iter().any(|c| c.low == Some(180) && c.superseded));
    assert!(sohr.iter().any(|c| c.low == Some(532) && !c.superseded));
    assert_eq!(
        killed.rationale.as_deref(),
        Some(
            "best 532: newest figure of Syrian Observatory for Human Rights, 9 Mar 2025; range 532 to 999 across 3 claims, 1 superseded by newer figures of the same claimant"
        )
    );
    assert_eq!(wave.reports.len(), 3);
    assert_eq!(wave.date.start, Some(date("2025-03-06")));
    assert_eq!(wave.date.end, Some(date("2025-03-10")));

    // The Baniyas killings: the district (most precise place) and the one day all support.
    let baniyas = &linked.incidents[incident_of["002_e588b089f4cf3d7a/baniyas-haidar"]];
    assert_eq!(baniyas.place.as_ref().unwrap().name, "Al-Qusour, Baniyas");
    assert_eq!(baniyas.date, DateRange::day(date("2025-03-07")));
}

#[test]
fn linking_does_not_depend_on_input_order() {
    let (mentions, _) = gold_mentions();
    let config = Config::default();
    let forward = link_mentions(&mentions, Claimants::bundled(), &config);
    let mut reversed = mentions.clone();
    reversed.reverse();
    let backward = link_mentions(&reversed, Claimants::bundled(), &config);
    assert_eq!(forward.incidents, backward.incidents);
}

// ------------------------------------------------------------------ synthetic mentions

/// A small deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const TOWNS: &[(&str, f64, f64, &str)] = &[
    ("Baniyas", 35.18, 35.95, "Tartus"),
    ("Banias", 35.19, 35.94, "Tartus"),
    ("Jableh", 35.36, 35.93, "Latakia"),
    ("Latakia", 35.52, 35.79, "Latakia"),
    ("Homs", 34.73, 36.71, "Homs"),
    ("Talbiseh", 34.84, 36.73, "Homs"),
    ("Hama", 35.13, 36.75, "Hama"),
    ("Idlib", 35.93, 36.63, "Idlib"),
    ("Maarat al-Numan", 35.64, 36.67, "Idlib"),
    ("Ma'arrat an-Nu'man", 35.65, 36.68, "Idlib"),
];

/// Mentions of `incidents` incidents in a small area and a few weeks, each told by 1 to 4
/// reports with noise in spelling, date and toll; some areas and undated mentions among them.
fn synthetic(seed: u64, incidents: usize) -> Vec<SourcedMention> {
    synthetic_in(seed, incidents, TOWNS.len(), 30, 3, 4)
}

/// [`synthetic`] over the first `towns` towns, `days` days, `subs` sub-event types and up to
/// `reports` reports per incident (few towns and days make large clusters).
fn synthetic_in(
    seed: u64,
    incidents: usize,
    towns: usize,
    days: u64,
    subs: u64,
    reports: u64,
) -> Vec<SourcedMention> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let mut report = 0;
    for _ in 0..incidents {
        let (town, lat, lon, admin1) = TOWNS[rng.below(towns as u64) as usize];
        let day = date("2025-03-01") + jiff::Span::new().days(rng.below(days) as i64);
        let sub = [
            SubEventType::Attack,
            SubEventType::AirDroneStrike,
            SubEventType::ArmedClash,
        ][rng.below(subs) as usize];
        let killed = 1 + rng.below(40);
        for _ in 0..1 + rng.below(reports) {
            report += 1;
            let coarse = rng.below(10) == 0;
            let undated = rng.below(10) == 0;
            let shift = rng.below(3) as i64 - 1;
            let n = killed + rng.below(3);
            let mention = Mention {
                event_type: sub.event_type(),
                sub_event_type: sub,
                date: if undated {
                    DateRange::unknown()
                } else {
                    DateRange::day(day + jiff::Span::new().days(shift))
                },
                place: Some(Place {
                    name: if coarse {
                        admin1.to_string()
                    } else {
                        town.to_string()
                    },
                    geonames_id: None,
                    admin1: Some(admin1.into()),
                    admin2: None,
                    country: Some("SY".into()),
                    lat: lat + (rng.unit() - 0.5) * 0.02,
                    lon: lon + (rng.unit() - 0.5) * 0.02,
                    precision: if coarse {
                        PlacePrecision::Admin1
                    } else {
                        PlacePrecision::Settlement
                    },
                    mention: None,
                    span: None,
                }),
                actors: vec![],
                victims: Victims::Civilians,
                victim_identity: None,
                figures: [(
                    FigureKind::Killed,
                    Figure {
                        low: Some(n),
                        high: Some(n),
                        best: Some(n),
                        claims: vec![],
                        rationale: None,
                    },
                )]
                .into(),
                historical: false,
                aggregate: false,
                evidence: vec![],
            };
            out.push(SourcedMention {
                key: out.len() as u64 + 1,
                ordinal: 0,
                report: IncidentReport {
                    id: format!("r{report}"),
                    source: String::new(),
                    title: None,
                    published: Some(day + jiff::Span::new().days(1 + rng.below(3) as i64)),
                    outlet: None,
                },
                outlet: None,
                mention,
            });
        }
    }
    out
}

#[test]
fn blocking_finds_every_candidate_pair_and_no_other() {
    let config = Config::default();
    for seed in 1..6 {
        let mentions = synthetic(seed, 120);
        let features: Vec<Features> = mentions.iter().map(|m| features_of(m, &config)).collect();
        let mut found = Vec::new();
        block::candidate_pairs(&features, &config, |a, b| found.push((a, b)));
        let unique: BTreeSet<_> = found.iter().copied().collect();
        assert_eq!(unique.len(), found.len(), "a pair was emitted twice");
        let mut brute = BTreeSet::new();
        for a in 0..features.len() {
            for b in a + 1..features.len() {
                if is_candidate(&features[a], &features[b], &config) {
                    brute.insert((a, b));
                }
            }
        }
        assert!(!brute.is_empty());
        assert_eq!(unique, brute, "seed {seed}");
    }
}

#[test]
fn search_keys_find_every_candidate() {
    let config = Config::default();
    let mentions = synthetic(7, 150);
    let features: Vec<Features> = mentions.iter().map(|m| features_of(m, &config)).collect();
    for a in &features {
        for b in &features {
            if !is_candidate(a, b, &config) {
                continue;
            }
            let (ka, kb) = (
                a.search_keys(&config).unwrap(),
                b.search_keys(&config).unwrap(),
            );
            let days = ka.day_min <= kb.day_max && kb.day_min <= ka.day_max;
            let boxes = ka.lat_min <= kb.lat_max
                && kb.lat_min <= ka.lat_max
                && ka.lon_min <= kb.lon_max
                && kb.lon_min <= ka.lon_max;
            let name = ka.name_key != 0 && ka.name_key == kb.name_key;
            let admin =
                (ka.coarse || kb.coarse) && ka.admin_key != 0 && ka.admin_key == kb.admin_key;
            assert!(days && (boxes || name || admin), "{a:?}\n{b:?}");
        }
    }
}

/// A store in memory for [`replay`]: every mention is a candidate (the replay filters).
struct Memory {
    mentions: Vec<Features>,
    incident: HashMap<u64, i64>,
    members: HashMap<i64, Vec<Features>>,
}

impl Neighbourhood for Memory {
    type Error = std::convert::Infallible;
    fn candidates(&mut self, _: &[&Features]) -> Result<Vec<StoredFeatures>, Self::Error> {
        Ok(self
            .mentions
            .iter()
            .map(|f| StoredFeatures {
                features: f.clone(),
                incident: self.incident.get(&f.key).copied(),
            })
            .collect())
    }
    fn members(&mut self, incident: i64) -> Result<Vec<Features>, Self::Error> {
        Ok(self.members[&incident].clone())
    }
}

fn clusters_by_key(linking: &Linking, features: &[Features]) -> BTreeSet<Vec<u64>> {
    linking
        .clusters
        .iter()
        .map(|c| c.iter().map(|&i| features[i].key).collect())
        .collect()
}

/// Rounds of changes to a store linked by `cluster`: some mentions removed (their incidents'
/// other mentions handed back unlinked, as the store does on re-extraction), others added; after
/// each round the replay's incidents must be exactly those of linking everything again.
fn replay_equals_a_rebuild(
    mentions: &[SourcedMention],
    seed: u64,
    rounds: usize,
) -> (usize, usize) {
    let config = Config::default();
    let mut rng = Rng(seed);
    let all: Vec<Features> = mentions.iter().map(|m| features_of(m, &config)).collect();
    // Pairs are symmetric, as the store's searches assume.
    for a in all.iter().take(60) {
        for b in all.iter().take(60) {
            assert_eq!(is_candidate(a, b, &config), is_candidate(b, a, &config));
        }
    }
    let mut stored: Vec<Features> = Vec::new();
    let mut waiting: Vec<Features> = all.clone();
    // Start from a third of the mentions, linked in full.
    let mut start = Vec::new();
    waiting.retain(|f| {
        if rng.below(3) == 0 {
            start.push(f.clone());
            false
        } else {
            true
        }
    });
    stored.extend(start);
    let mut incidents: BTreeSet<Vec<u64>> = clusters_by_key(&link(&stored, &config), &stored);
    let mut next_key = all.iter().map(|f| f.key).max().unwrap_or(0) + 1;
    let (mut largest, mut replayed) = (0, 0);
    for _ in 0..rounds {
        // Remove a few stored mentions (a report extracted again); some come back with new keys.
        let mut removed: BTreeSet<u64> = BTreeSet::new();
        for f in &stored {
            if rng.below(25) == 0 {
                removed.insert(f.key);
            }
        }
        let mut new: Vec<Features> = Vec::new();
        for f in stored.iter().filter(|f| removed.contains(&f.key)) {
            if rng.below(2) == 0 {
                let mut again = f.clone();
                again.key = next_key;
                next_key += 1;
                new.push(again);
            }
        }
        let take = 1 + rng.below(waiting.len().max(1) as u64 / 3 + 1) as usize;
        for _ in 0..take.min(waiting.len()) {
            let i = rng.below(waiting.len() as u64) as usize;
            new.push(waiting.swap_remove(i));
        }
        stored.retain(|f| !removed.contains(&f.key));
        let by_key: HashMap<u64, Features> = stored.iter().map(|f| (f.key, f.clone())).collect();
        // The store: incidents that lost a mention go, their other mentions wait unlinked.
        let mut memory = Memory {
            mentions: Vec::new(),
            incident: HashMap::new(),
            members: HashMap::new(),
        };
        let mut unlinked = new.clone();
        let mut kept_before = BTreeSet::new();
        for (n, incident) in incidents.iter().enumerate() {
            if incident.iter().any(|k| removed.contains(k)) {
                unlinked.extend(incident.iter().filter_map(|k| by_key.get(k).cloned()));
                continue;
            }
            let n = n as i64;
            for k in incident {
                memory.incident.insert(*k, n);
            }
            memory
                .members
                .insert(n, incident.iter().map(|k| by_key[k].clone()).collect());
            kept_before.insert(n);
        }
        stored.extend(new);
        memory.mentions = stored.clone();
        let result = replay(unlinked, &mut memory, &config).unwrap();
        replayed += result.loaded;
        let by_number: Vec<&Vec<u64>> = incidents.iter().collect();
        let mut after: BTreeSet<Vec<u64>> = kept_before
            .iter()
            .filter(|n| result.removed.binary_search(n).is_err())
            .map(|&n| by_number[n as usize].clone())
            .collect();
        after.extend(result.changed.iter().cloned());
        let expected = clusters_by_key(&link(&stored, &config), &stored);
        assert_eq!(
            after, expected,
            "seed {seed}: the replay differs from linking everything"
        );
        largest = largest.max(expected.iter().map(Vec::len).max().unwrap_or(0));
        incidents = after;
    }
    (largest, replayed)
}

#[test]
fn incremental_replay_equals_a_rebuild() {
    // Mentions of several towns over a month, added and removed in rounds.
    for seed in 1..=40 {
        let mentions = synthetic(seed, 90);
        replay_equals_a_rebuild(&mentions, seed, 6);
    }
}

#[test]
fn incremental_replay_equals_a_rebuild_with_clusters_beyond_the_checked_members() {
    // One or two towns over three days, one event type: clusters of more than 48 mentions,
    // whose compatibility checks see only their first 48 members by key.
    let mut largest = 0;
    for seed in 1..=8 {
        let mentions = synthetic_in(100 + seed, 60, 1 + (seed as usize % 2), 3, 1, 4);
        largest = largest.max(replay_equals_a_rebuild(&mentions, seed, 5).0);
    }
    assert!(largest > 48, "largest cluster {largest}");
}

#[test]
fn synthetic_duplicates_are_mostly_linked() {
    // Reports of one incident (same town, a day apart, tolls within 2) should meet.
    let config = Config::default();
    let mentions = synthetic(3, 150);
    let linked = link_mentions(&mentions, Claimants::bundled(), &config);
    assert!(
        linked.incidents.len() < mentions.len() * 3 / 4,
        "{} incidents from {} mentions",
        linked.incidents.len(),
        mentions.len()
    );
    for members in &linked.members {
        let reports: BTreeSet<&str> = members
            .iter()
            .map(|&m| mentions[m].report.id.as_str())
            .collect();
        assert_eq!(
            reports.len(),
            members.len(),
            "two mentions of one report merged"
        );
    }
}

// ------------------------------------------------------------------ reconciliation, data-driven

fn claim(
    low: Option<u64>,
    high: Option<u64>,
    q: Qualifier,
    who: Option<&str>,
    report: &str,
    day: &str,
) -> reconcile::SourcedClaim {
    reconcile::SourcedClaim {
        claim: Claim {
            low,
            high,
            qualifier: q,
            text: String::new(),
            claimant: who.map(str::to_string),
            span: Span::new(0, 0),
            report: Some(report.into()),
            published: Some(date(day)),
            claimant_mention: None,
            superseded: false,
            partisan: false,
        },
        outlet: None,
    }
}

#[test]
fn reconciliation_follows_the_documented_rule() {
    use Qualifier::*;
    // (claims, low, best, high, flags, superseded count)
    type Case = (
        Vec<reconcile::SourcedClaim>,
        Option<u64>,
        Option<u64>,
        Option<u64>,
        &'static [&'static str],
        usize,
    );
    let cases: Vec<Case> = vec![
        // A single exact figure.
        (
            vec![claim(
                Some(3),
                Some(3),
                Exact,
                Some("Reuters"),
                "a",
                "2025-03-08",
            )],
            Some(3),
            Some(3),
            Some(3),
            &[],
            0,
        ),
        // The same claimant's newer figure supersedes its older one.
        (
            vec![
                claim(
                    Some(180),
                    None,
                    AtLeast,
                    Some("Syrian Observatory for Human Rights"),
                    "a",
                    "2025-03-08",
                ),
                claim(
                    Some(532),
                    None,
                    MoreThan,
                    Some("Syrian Observatory for Human Rights"),
                    "b",
                    "2025-03-09",
                ),
            ],
            Some(532),
            Some(532),
            None,
            &[],
            1,
        ),
        // Exact figures of two claimants, published the same day, that cannot both be true.
        (
            vec![
                claim(Some(3), Some(3), Exact, Some("Reuters"), "a", "2025-03-09"),
                claim(
                    Some(12),
                    Some(12),
                    Exact,
                    Some("Agence France-Presse"),
                    "b",
                    "2025-03-09",
                ),
            ],
            Some(3),
            Some(12),
            Some(12),
            &["conflicting_figures"],
            0,
        ),
        // A partisan claim is kept but not used while a neutral one exists.
        (
            vec![
                {
                    let mut c = claim(Some(2), Some(2), Exact, Some("SANA"), "a", "2025-03-09");
                    c.claim.partisan = true;
                    c
                },
                claim(
                    Some(10),
                    None,
                    AtLeast,
                    Some("Syrian Network for Human Rights"),
                    "b",
                    "2025-03-08",
                ),
            ],
            Some(10),
            Some(10),
            None,
            &[],
            0,
        ),
        // Only partisan claims: used, and flagged.
        (
            vec![{
                let mut c = claim(
                    Some(40),
                    Some(40),
                    Exact,
                    Some("Russian Ministry of Defence"),
                    "a",
                    "2025-03-09",
                );
                c.claim.partisan = true;
                c
            }],
            Some(40),
            Some(40),
            Some(40),
            &["partisan_only"],
            0,
        ),
        // Tolls rise: an earlier count below a later one is outdated, not contradictory.
        (
            vec![
                claim(Some(24), Some(99), Vague, None, "a", "2025-03-08"),
                claim(
                    Some(532),
                    None,
                    MoreThan,
                    Some("Syrian Observatory for Human Rights"),
                    "b",
                    "2025-03-09",
                ),
                claim(Some(3), Some(3), Exact, Some("Reuters"), "a", "2025-03-08"),
            ],
            Some(532),
            Some(532),
            None,
            &[],
            0,
        ),
        // A report does not contradict itself: its smaller count is a detail of its larger one.
        (
            vec![
                claim(
                    Some(24),
                    Some(99),
                    Vague,
                    Some("survivors"),
                    "a",
                    "2025-03-17",
                ),
                claim(Some(1), Some(1), Exact, None, "a", "2025-03-17"),
            ],
            Some(24),
            Some(24),
            Some(99),
            &[],
            0,
        ),
        // A later count below an earlier one is a contradiction.
        (
            vec![
                claim(
                    Some(12),
                    Some(12),
                    Exact,
                    Some("Reuters"),
                    "a",
                    "2025-03-08",
                ),
                claim(
                    Some(3),
                    Some(3),
                    Exact,
                    Some("Agence France-Presse"),
                    "b",
                    "2025-03-09",
                ),
            ],
            Some(3),
            Some(3),
            Some(12),
            &["conflicting_figures"],
            0,
        ),
        // Vague words alone: the lowest value they all allow.
        (
            vec![claim(Some(24), Some(99), Vague, None, "a", "2025-03-09")],
            Some(24),
            Some(24),
            Some(99),
            &[],
            0,
        ),
        // "about 25" and "up to 13" meet nowhere.
        (
            vec![
                claim(
                    Some(25),
                    Some(25),
                    About,
                    Some("eyewitnesses"),
                    "a",
                    "2025-03-09",
                ),
                claim(
                    None,
                    Some(13),
                    UpTo,
                    Some("Syria Direct"),
                    "b",
                    "2025-03-09",
                ),
            ],
            Some(0),
            Some(25),
            Some(30),
            &["conflicting_figures"],
            0,
        ),
    ];
    for (i, (claims, low, best, high, flags, superseded)) in cases.into_iter().enumerate() {
        let r = reconcile(FigureKind::Killed, claims);
        assert_eq!(
            (r.figure.low, r.figure.best, r.figure.high),
            (low, best, high),
            "case {i}: {r:#?}"
        );
        let codes: Vec<&str> = r.flags.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, flags, "case {i}");
        assert_eq!(
            r.figure.claims.iter().filter(|c| c.superseded).count(),
            superseded,
            "case {i}"
        );
        assert!(
            r.figure
                .rationale
                .unwrap()
                .starts_with(&format!("best {}", best.unwrap()))
        );
    }
}

// ------------------------------------------------------------------ claimant names

#[test]
fn claimant_names_meet() {
    let table = Claimants::bundled();
    let sohr = "Syrian Observatory for Human Rights";
    // (raw, context, canonical, partisan)
    let cases: &[(&str, &[&str], &str, bool)] = &[
        ("the Syrian Observatory for Human Rights", &[], sohr, false),
        ("SOHR", &[], sohr, false),
        ("the Syrian Observatory", &[], sohr, false),
        (
            "Rami Abdulrahman from the Syrian Observatory for Human Rights",
            &[],
            sohr,
            false,
        ),
        ("the Observatory", &[sohr], sohr, false),
        ("the Observatory", &[], "Observatory", false),
        ("Syrian state news agency SANA", &[], "SANA", true),
        ("Sana", &[], "SANA", true),
        (
            "the Defence ministry spokesman Hassan Abdul Ghani",
            &[],
            "Defence ministry spokesman Hassan Abdul Ghani",
            true,
        ),
        ("AFP", &[], "Agence France-Presse", false),
        ("who", &[], "who", false),
        (
            "Médecins Sans Frontières",
            &[],
            "Médecins Sans Frontières",
            false,
        ),
        (
            "Doctors Without Borders",
            &[],
            "Médecins Sans Frontières",
            false,
        ),
        ("the U.N.", &[], "United Nations", false),
        ("Samir Haidar", &[], "Samir Haidar", false),
        ("an eyewitness", &[], "eyewitnesses", false),
    ];
    for (raw, context, name, partisan) in cases {
        let r = table.resolve_in_context(raw, context);
        assert_eq!((r.name.as_str(), r.partisan), (*name, *partisan), "{raw:?}");
    }
}

#[test]
fn the_bundled_claimant_table_loads_and_rejects_ambiguity() {
    assert!(Claimants::bundled().entries().len() > 40);
    let clash = r#"
        [[claimant]]
        name = "Alpha Monitor"
        aliases = ["the monitor"]
        kind = "monitor"
        partisan = false
        [[claimant]]
        name = "Beta Monitor"
        aliases = ["monitor"]
        kind = "monitor"
        partisan = false
    "#;
    assert!(Claimants::from_toml(clash).is_err());
    assert!(Claimants::from_toml("not toml [").is_err());
}

// ------------------------------------------------------------------ features

#[test]
fn features_survive_encoding() {
    let config = Config::default();
    let (mentions, _) = gold_mentions();
    for m in mentions.iter().chain(&synthetic(5, 30)) {
        let f = features_of(m, &config);
        assert_eq!(Features::decode(&f.encode()).as_ref(), Some(&f));
    }
    assert_eq!(Features::decode(&[]), None);
    assert_eq!(Features::decode(&[9, 9, 9]), None);
}

proptest::proptest! {
    #[test]
    fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
        let _ = Features::decode(&bytes);
    }

    #[test]
    fn claimant_resolution_never_panics(raw in "\\PC{0,60}") {
        let r = Claimants::bundled().resolve(&raw);
        proptest::prop_assert!(r.name.len() <= raw.len() + 64);
    }
}

// ------------------------------------------------------------------ the gold mentions as a fixture

/// `tests/gold/mentions.jsonl` holds the gold mentions in the format of `vigil extract --format
/// jsonl`, for the CLI's end-to-end test of linking independent of extraction. It must match
/// what `gold_mentions` builds; `UPDATE_FIXTURES=1 cargo test -p vigil-link` rewrites it.
#[test]
fn gold_mentions_fixture_is_current() {
    let (mentions, _) = gold_mentions();
    let mut lines = String::new();
    for (doc, _) in GOLD {
        let incidents: Vec<Mention> = mentions
            .iter()
            .filter(|m| m.report.id == *doc)
            .map(|m| m.mention.clone())
            .collect();
        let first = mentions.iter().find(|m| m.report.id == *doc).unwrap();
        let report = ExtractedReport {
            report: ReportRef {
                id: doc.to_string(),
                source: first.report.source.clone(),
                title: None,
                outlet: first.outlet.clone(),
                published: first.report.published,
                language: Some("en".into()),
            },
            incidents,
        };
        lines.push_str(&serde_json::to_string(&report).unwrap());
        lines.push('\n');
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold/mentions.jsonl");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, &lines).unwrap();
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == lines,
        "tests/gold/mentions.jsonl is stale: run UPDATE_FIXTURES=1 cargo test -p vigil-link"
    );
}

#[test]
fn waves_cover_every_local_covers_accepts_however_long_its_window() {
    let config = Config::default();
    let place = Some((34.5, 36.5, PlacePrecision::Settlement));
    let local = |key: u64, days: (i32, i32), dated: bool| Extent {
        key,
        event_type: EventType::ViolenceAgainstCivilians,
        aggregate: false,
        days: Some(days),
        dated,
        place,
        country: Some("SY".into()),
        admin1: Some("latakia".into()),
    };
    let wave = Extent {
        key: 1,
        aggregate: true,
        days: Some((1000, 1005)),
        dated: true,
        place: Some((34.6, 36.4, PlacePrecision::Admin1)),
        ..local(0, (0, 0), true)
    };
    let extents = vec![
        wave,
        // Dated, inside the wave's days.
        local(2, (1002, 1002), true),
        // Undated, reports over two months: its window starts long before the wave.
        local(3, (1000 - 14 - 60, 1001), false),
        // Undated, reports a fortnight apart.
        local(4, (1000 - 14 - 14, 1000), false),
        // Dated, before the wave.
        local(5, (990, 990), true),
    ];
    let waves = assign_waves(&extents, &config);
    for (i, e) in extents.iter().enumerate().skip(1) {
        let expected = covers(&extents[0], e, &config).map(|_| 0);
        assert_eq!(waves[i], expected, "local {}", e.key);
    }
    assert_eq!(waves[1..], [Some(0), Some(0), Some(0), None]);
}
