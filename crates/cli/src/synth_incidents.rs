//! Synthetic incidents for the export benchmark: linked, reconciled incidents shaped like the ones
//! vigil stores (one to five reports each, several claims per figure from named claimants, some
//! in Arabic, two or three actors, places across the countries with most armed violence, dates
//! of every precision, some without place or date, flags, waves). Deterministic per seed and
//! index, so a run can be regenerated and checked without keeping anything in memory.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use vigil_model::*;

use crate::synth::Rng;

/// (name, admin1, ISO alpha-2, lat, lon)
const PLACES: &[(&str, &str, &str, f64, f64)] = &[
    ("Baniyas", "Tartus", "SY", 35.1822, 35.9403),
    ("Jableh", "Latakia", "SY", 35.3609, 35.9256),
    ("Maarat al-Numan", "Idlib", "SY", 35.6478, 36.6744),
    ("معرة النعمان", "إدلب", "SY", 35.6478, 36.6744),
    ("Douma", "Rif Dimashq", "SY", 33.5711, 36.4026),
    ("Deir ez-Zor", "Deir ez-Zor", "SY", 35.3359, 40.1408),
    ("Mosul", "Nineveh", "IQ", 36.335, 43.1189),
    ("Tikrit", "Salah ad-Din", "IQ", 34.6071, 43.6782),
    ("Taiz", "Taiz", "YE", 13.5795, 44.0209),
    ("Marib", "Marib", "YE", 15.4629, 45.3253),
    ("El Fasher", "North Darfur", "SD", 13.6279, 25.3494),
    ("Omdurman", "Khartoum", "SD", 15.6445, 32.4777),
    ("Sévaré", "Mopti", "ML", 14.5333, -4.1),
    ("Ménaka", "Ménaka", "ML", 15.9182, 2.4022),
    ("Maiduguri", "Borno", "NG", 11.8464, 13.1571),
    ("Zamfara", "Zamfara", "NG", 12.1222, 6.2236),
    ("Goma", "North Kivu", "CD", -1.6792, 29.2228),
    ("Bunia", "Ituri", "CD", 1.5667, 30.25),
    ("Kharkiv", "Kharkiv Oblast", "UA", 49.9935, 36.2304),
    ("Pokrovsk", "Donetsk Oblast", "UA", 48.282, 37.1758),
    ("Lashio", "Shan", "MM", 22.9359, 97.7498),
    ("Khan Younis", "Khan Yunis", "PS", 31.3462, 34.3063),
    ("Rafah", "Rafah", "PS", 31.2969, 34.2436),
    ("Djibo", "Sahel", "BF", 14.1022, -1.6306),
    ("Mogadishu", "Banaadir", "SO", 2.0371, 45.3438),
    ("Cabo Delgado", "Cabo Delgado", "MZ", -12.3335, 39.3206),
];

const STATE: &[&str] = &[
    "Syrian government forces",
    "Iraqi Security Forces",
    "Sudanese Armed Forces",
    "Malian Armed Forces",
    "Nigerian Army",
    "Armed Forces of the DRC",
    "Myanmar military",
];
const REBELS: &[&str] = &[
    "Hay'at Tahrir al-Sham",
    "Islamic State",
    "Rapid Support Forces",
    "JNIM",
    "M23",
    "Arakan Army",
    "al-Shabaab",
];
const MILITIAS: &[&str] = &[
    "Popular Mobilization Forces",
    "Wagner Group",
    "Imbonerakure",
    "local self-defence militia",
];
const FOREIGN: &[&str] = &[
    "Russian forces",
    "Turkish forces",
    "US-led coalition",
    "Israeli forces",
];
const CLAIMANTS: &[&str] = &[
    "Syrian Observatory for Human Rights",
    "local health officials",
    "the United Nations",
    "state media",
    "residents",
    "المرصد السوري لحقوق الإنسان",
    "the Ministry of Health",
    "eyewitnesses",
    "a military spokesman",
    "Médecins Sans Frontières",
];
const OUTLETS: &[&str] = &[
    "https://www.reuters.com/world/",
    "https://apnews.com/article/",
    "https://www.aljazeera.com/news/",
    "https://www.bbc.com/news/",
    "https://www.france24.com/en/",
    "https://www.enabbaladi.net/",
    "https://sana.sy/en/",
    "https://www.theguardian.com/world/",
];
const IDENTITIES: &[&str] = &[
    "Alawite",
    "Druze",
    "Kurdish",
    "Fulani",
    "Masalit",
    "Rohingya",
    "Christian",
];

fn sub_types(event: EventType) -> &'static [SubEventType] {
    use SubEventType::*;
    match event {
        EventType::Battles => &[
            ArmedClash,
            ArmedClash,
            GovernmentRegainsTerritory,
            NonStateActorOvertakesTerritory,
        ],
        EventType::ExplosionsRemoteViolence => &[
            AirDroneStrike,
            ShellingArtilleryMissileAttack,
            RemoteExplosiveLandmineIed,
            SuicideBomb,
        ],
        EventType::ViolenceAgainstCivilians => {
            &[Attack, Attack, AbductionForcedDisappearance, SexualViolence]
        }
        EventType::Protests => &[
            PeacefulProtest,
            ProtestWithIntervention,
            ExcessiveForceAgainstProtesters,
        ],
        EventType::Riots => &[ViolentDemonstration, MobViolence],
        EventType::StrategicDevelopments => &[Arrests, LootingPropertyDestruction, Agreement],
    }
}

fn day(rng: &mut Rng) -> Date {
    date(2023, 1, 1)
        .checked_add(jiff::Span::new().days(rng.below(3 * 365) as i64))
        .unwrap_or(date(2023, 1, 1))
}

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).unwrap_or(d)
}

fn actor(rng: &mut Rng, role: ActorRole) -> Actor {
    let (kind, pool) = match rng.below(10) {
        0..=3 => (ActorKind::StateForces, STATE),
        4..=6 => (ActorKind::RebelGroup, REBELS),
        7 => (ActorKind::PoliticalMilitia, MILITIAS),
        8 => (ActorKind::ForeignForces, FOREIGN),
        _ => (
            ActorKind::UnidentifiedArmedGroup,
            &["gunmen", "unidentified assailants"][..],
        ),
    };
    let name = rng.pick(pool).to_string();
    Actor {
        mention: name.to_lowercase(),
        claimant: (rng.below(4) == 0).then(|| rng.pick(CLAIMANTS).to_string()),
        name,
        role,
        kind,
        span: Some(Span::new(rng.below(3000), 3100)),
    }
}

fn figure(rng: &mut Rng, reports: &[IncidentReport], scale: u64) -> Figure {
    let base = 1 + rng.below(scale as usize) as u64;
    let claims: Vec<Claim> = (0..1 + rng.below(5))
        .map(|i| {
            let n = base + (i as u64) * rng.below(4) as u64;
            let (low, high, qualifier, text) = match rng.below(5) {
                0 => (
                    Some(n),
                    None,
                    Qualifier::AtLeast,
                    format!("at least {n} people were killed"),
                ),
                1 => (None, Some(n), Qualifier::UpTo, format!("up to {n} killed")),
                2 => (
                    Some(n),
                    Some(n * 3),
                    Qualifier::Vague,
                    "dozens of people, \"mostly civilians\"".to_string(),
                ),
                _ => (
                    Some(n),
                    Some(n),
                    Qualifier::Exact,
                    format!("{n} were killed, including children"),
                ),
            };
            let report = &reports[rng.below(reports.len())];
            let start = rng.below(4000);
            Claim {
                low,
                high,
                qualifier,
                text,
                claimant: (rng.below(5) > 0).then(|| rng.pick(CLAIMANTS).to_string()),
                span: Span::new(start, start + 40),
                report: Some(report.id.clone()),
                published: report.published,
                claimant_mention: None,
                superseded: i > 0 && rng.below(3) == 0,
                partisan: rng.below(6) == 0,
            }
        })
        .collect();
    let lows: Vec<u64> = claims.iter().filter_map(|c| c.low).collect();
    let highs: Vec<u64> = claims.iter().filter_map(|c| c.high).collect();
    let best = lows.iter().max().copied().or(highs.iter().min().copied());
    Figure {
        low: lows.iter().min().copied(),
        high: highs.iter().max().copied(),
        best,
        rationale: best.map(|b| {
            format!(
                "best {b}: newest figure of the most specific claimant, {} claims",
                claims.len()
            )
        }),
        claims,
    }
}

/// The synthetic incident number `index` of the stream for `seed`.
pub fn incident(seed: u64, index: u64) -> Incident {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED);
    let event_type = match rng.below(20) {
        0..=5 => EventType::ViolenceAgainstCivilians,
        6..=10 => EventType::ExplosionsRemoteViolence,
        11..=15 => EventType::Battles,
        16 => EventType::Protests,
        17 => EventType::Riots,
        _ => EventType::StrategicDevelopments,
    };
    let subs = sub_types(event_type);
    let sub_event_type = subs[rng.below(subs.len())];
    let start = day(&mut rng);
    let date = match rng.below(20) {
        0..=13 => DateRange::day(start),
        14..=16 => DateRange::between(
            start,
            plus(start, 1 + rng.below(4) as i64),
            DatePrecision::Range,
        ),
        17 => DateRange::between(start, plus(start, 6), DatePrecision::Week),
        18 => DateRange::between(start, plus(start, 29), DatePrecision::Month),
        _ => DateRange::unknown(),
    };
    let place = (rng.below(20) > 0).then(|| {
        let (name, admin1, country, lat, lon) = PLACES[rng.below(PLACES.len())];
        let jitter = |r: &mut Rng| (r.below(2001) as f64 - 1000.0) / 20_000.0;
        let precision = if rng.below(8) == 0 {
            PlacePrecision::Admin1
        } else {
            PlacePrecision::Settlement
        };
        Place {
            name: name.to_string(),
            geonames_id: Some(100_000 + rng.below(900_000) as u64),
            admin1: Some(admin1.to_string()),
            admin2: (rng.below(2) == 0).then(|| format!("{name} District")),
            country: Some(country.to_string()),
            lat: lat + jitter(&mut rng),
            lon: lon + jitter(&mut rng),
            precision,
            mention: Some(format!("the town of {name}")),
            span: Some(Span::new(100, 100 + name.len())),
        }
    });
    let published = date.bounds().map(|(_, end)| end).unwrap_or(start);
    let reports: Vec<IncidentReport> = (0..1 + rng.below(5))
        .map(|i| {
            let outlet = rng.pick(OUTLETS);
            let id = format!("{:016x}", rng.next_u64());
            IncidentReport {
                source: format!("{outlet}{id}"),
                title: (rng.below(5) > 0).then(|| {
                    format!(
                        "{} in {}: report {i}",
                        sub_event_type.acled_name(),
                        place
                            .as_ref()
                            .map(|p| p.name.as_str())
                            .unwrap_or("the region")
                    )
                }),
                published: Some(plus(published, rng.below(3) as i64)),
                outlet: crate::synth_incidents::outlet_name(outlet),
                id,
            }
        })
        .collect();
    let mut actors = vec![actor(&mut rng, ActorRole::Perpetrator)];
    if matches!(event_type, EventType::Battles) || rng.below(4) == 0 {
        actors.push(actor(&mut rng, ActorRole::Target));
    }
    if rng.below(5) == 0 {
        actors.push(actor(&mut rng, ActorRole::Perpetrator));
    }
    let victims = match event_type {
        EventType::ViolenceAgainstCivilians => Victims::Civilians,
        EventType::Battles => Victims::Combatants,
        _ => [Victims::Civilians, Victims::Mixed, Victims::Unknown][rng.below(3)],
    };
    let mut figures = BTreeMap::new();
    if rng.below(10) < 8 {
        figures.insert(FigureKind::Killed, figure(&mut rng, &reports, 60));
    }
    if rng.below(10) < 4 {
        figures.insert(FigureKind::Injured, figure(&mut rng, &reports, 120));
    }
    if event_type == EventType::ViolenceAgainstCivilians && rng.below(5) == 0 {
        figures.insert(FigureKind::Abducted, figure(&mut rng, &reports, 30));
    }
    let conflicting = figures
        .get(&FigureKind::Killed)
        .is_some_and(|f| f.low != f.high && f.claims.len() > 2);
    Incident {
        id: format!(
            "{:012x}",
            (seed.wrapping_mul(1_000_003) ^ index) & 0xffff_ffff_ffff
        ),
        event_type,
        sub_event_type,
        date,
        place,
        actors,
        victims,
        victim_identity: (victims == Victims::Civilians && rng.below(4) == 0)
            .then(|| rng.pick(IDENTITIES).to_string()),
        figures,
        historical: rng.below(25) == 0,
        aggregate: rng.below(50) == 0,
        reports,
        part_of: (rng.below(15) == 0)
            .then(|| format!("{:012x}", rng.next_u64() & 0xffff_ffff_ffff)),
        flags: if conflicting {
            vec![Flag {
                code: "conflicting_figures".into(),
                detail: "claims of the killed differ by more than a third".into(),
            }]
        } else {
            Vec::new()
        },
    }
}

/// The outlet of an address in [`OUTLETS`] (some left unknown, as in real feeds).
fn outlet_name(address: &str) -> Option<String> {
    let name = match address {
        a if a.contains("reuters") => "Reuters",
        a if a.contains("apnews") => "Associated Press",
        a if a.contains("aljazeera") => "Al Jazeera",
        a if a.contains("bbc") => "BBC News",
        a if a.contains("enabbaladi") => "عنب بلدي",
        a if a.contains("sana") => "SANA",
        _ => return None,
    };
    Some(name.to_string())
}

/// The number of figure claims an incident carries (what `claims-csv` writes for it).
pub fn claim_count(incident: &Incident) -> u64 {
    incident
        .figures
        .values()
        .map(|f| f.claims.len() as u64)
        .sum()
}
