//! Synthetic mentions for the linking benchmark: incidents at real places (GeoNames towns of
//! the countries with most armed violence, weighted by a rough share of news and by population),
//! at a constant volume of news (a million mentions span three years, fewer a shorter time), each told by one or more reports with the noise real reports carry:
//! other spellings, a day off, a range instead of a day, no date at all, a province instead of a
//! town, tolls that grow, vague words, claimants named in different ways; some waves of
//! violence; some reports telling two incidents. Every mention knows its true incident, so the
//! benchmark checks its answer.
//!
//! Deterministic: the same seed gives the same mentions.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use vigil_link::SourcedMention;
use vigil_model::*;

use crate::synth::Rng;

/// A place the generator draws from.
struct Town {
    name: String,
    lat: f64,
    lon: f64,
    country: String,
    admin1: String,
}

struct Towns {
    towns: Vec<Town>,
    /// Cumulative weights.
    cumulative: Vec<u64>,
}

fn towns() -> &'static Towns {
    static TOWNS: OnceLock<Towns> = OnceLock::new();
    TOWNS.get_or_init(|| {
        let gz: &[u8] = include_bytes!("../data/synth_places.tsv.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_string(&mut text)
            .expect("the bundled place list is gzip-compressed UTF-8");
        let mut towns = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 6 {
                continue;
            }
            let (Ok(lat), Ok(lon), Ok(w)) = (f[1].parse(), f[2].parse(), f[5].parse::<u64>())
            else {
                continue;
            };
            total += w.max(1);
            cumulative.push(total);
            towns.push(Town {
                name: f[0].to_string(),
                lat,
                lon,
                country: f[3].to_string(),
                admin1: f[4].to_string(),
            });
        }
        Towns { towns, cumulative }
    })
}

fn pick_town(rng: &mut Rng) -> &'static Town {
    let t = towns();
    let total = *t.cumulative.last().expect("places are bundled");
    let x = rng.next_u64() % total;
    let i = t.cumulative.partition_point(|&c| c <= x);
    &t.towns[i.min(t.towns.len() - 1)]
}

fn unit(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

const TYPES: &[(SubEventType, u32)] = &[
    (SubEventType::ArmedClash, 30),
    (SubEventType::AirDroneStrike, 14),
    (SubEventType::ShellingArtilleryMissileAttack, 16),
    (SubEventType::RemoteExplosiveLandmineIed, 5),
    (SubEventType::Attack, 22),
    (SubEventType::AbductionForcedDisappearance, 4),
    (SubEventType::PeacefulProtest, 5),
    (SubEventType::MobViolence, 2),
    (SubEventType::Arrests, 2),
];

const CLAIMANTS: &[&[&str]] = &[
    &[
        "the Syrian Observatory for Human Rights",
        "SOHR",
        "the Syrian Observatory",
        "Rami Abdulrahman of the Syrian Observatory",
    ],
    &["the United Nations", "the UN", "UN officials"],
    &["Airwars", "the monitoring group Airwars"],
    &["the health ministry", "health ministry officials"],
    &["local officials", "a local official"],
    &["medics", "a medical source", "hospital officials"],
    &["residents", "a resident", "local residents"],
    &["state media", "the state news agency"],
    &["the army", "a military spokesman"],
];

const PERPETRATORS: &[(&str, ActorKind)] = &[
    ("government forces", ActorKind::StateForces),
    ("security forces", ActorKind::StateForces),
    ("rebel fighters", ActorKind::RebelGroup),
    ("Islamic State", ActorKind::RebelGroup),
    ("a local militia", ActorKind::IdentityMilitia),
    ("foreign forces", ActorKind::ForeignForces),
    ("gunmen", ActorKind::UnidentifiedArmedGroup),
    ("unidentified assailants", ActorKind::UnidentifiedArmedGroup),
];

/// A spelling variant of a place name, as another outlet might transliterate it.
fn respell(name: &str, rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("Al-{name}"),
        1 => name.replacen("ou", "u", 1).replacen("ah", "a", 1),
        2 => name.replacen('e', "a", 1),
        3 => name.replacen("ya", "ia", 1).replacen('y', "i", 1),
        4 => {
            // A doubled consonant.
            let mut out = String::new();
            let mut doubled = false;
            for c in name.chars() {
                out.push(c);
                if !doubled && "bdlmnrst".contains(c) {
                    out.push(c);
                    doubled = true;
                }
            }
            out
        }
        _ => name.to_string(),
    }
}

fn claim(n: u64, q: Qualifier, who: Option<&str>) -> Claim {
    let (low, high) = match q {
        Qualifier::Exact => (Some(n), Some(n)),
        Qualifier::AtLeast | Qualifier::MoreThan => (Some(n), None),
        Qualifier::UpTo => (None, Some(n)),
        Qualifier::Vague => (Some(24), Some(99)),
        _ => (Some(n), Some(n)),
    };
    Claim {
        low,
        high,
        qualifier: q,
        text: format!("{n} killed"),
        claimant: who.map(str::to_string),
        span: Span::new(0, 8),
        report: None,
        published: None,
        claimant_mention: None,
        superseded: false,
        partisan: false,
    }
}

/// The days the generated incidents happen on (reports are published up to a few days after,
/// and a wave's reports after its last day).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub start: jiff::civil::Date,
    pub days: usize,
}

impl Period {
    /// The period `count` mentions fill at a constant, realistic volume of news from
    /// 1 January 2023: a million mentions is three years of world news (about 900 a day), a
    /// hundred thousand is a hundred and ten days.
    pub fn at_news_volume(count: usize) -> Period {
        Period {
            start: jiff::civil::date(2023, 1, 1),
            days: (1095 * count / 1_000_000).max(1),
        }
    }

    /// The day after the period.
    pub fn end(&self) -> jiff::civil::Date {
        self.start + jiff::Span::new().days(self.days as i64)
    }

    /// The last `days` days of the period.
    pub fn last_days(&self, days: usize) -> Period {
        let days = days.clamp(1, self.days);
        Period {
            start: self.end() - jiff::Span::new().days(days as i64),
            days,
        }
    }
}

/// Calls `f(mention, true incident)` for `count` mentions from seed `seed`, in order, without
/// holding them (mentions of one report come one after another), over the period `count`
/// mentions fill at a realistic volume of news.
pub fn generate_each(count: usize, seed: u64, f: impl FnMut(SourcedMention, u32)) {
    generate_each_in(count, seed, Period::at_news_volume(count), f);
}

/// [`generate_each`] with incidents on the days of `period`.
pub fn generate_each_in(
    count: usize,
    seed: u64,
    period: Period,
    mut f: impl FnMut(SourcedMention, u32),
) {
    let mut rng = Rng::new(seed);
    let start = period.start;
    let span = period.days.max(1);
    let mut made = 0usize;
    let mut report = 0u64;
    let mut incident = 0u32;
    let mut last_country = String::new();
    let total_weight: u32 = TYPES.iter().map(|t| t.1).sum();
    while made < count {
        let town = pick_town(&mut rng);
        let mut roll = rng.below(total_weight as usize) as u32;
        let mut sub = TYPES[0].0;
        for (t, w) in TYPES {
            if roll < *w {
                sub = *t;
                break;
            }
            roll -= w;
        }
        let day = start + jiff::Span::new().days(rng.below(span) as i64);
        let wave = rng.below(40) == 0;
        let span_days = if wave { 2 + rng.below(8) as i64 } else { 0 };
        let killed = if rng.below(10) < 4 {
            None
        } else if wave {
            Some(50 + rng.below(500) as u64)
        } else {
            Some(1 + (unit(&mut rng) * 4.0).exp() as u64)
        };
        let perpetrator = PERPETRATORS[rng.below(PERPETRATORS.len())];
        let claimants = CLAIMANTS[rng.below(CLAIMANTS.len())];
        let reports = 1 + (unit(&mut rng).ln() / 0.5f64.ln()).floor().min(7.0) as usize;
        for r in 0..reports {
            if made >= count {
                break;
            }
            // Some reports tell two incidents of the same country.
            let shares_report =
                r == 0 && town.country == last_country && rng.below(7) == 0 && report > 0;
            if !shares_report {
                report += 1;
            }
            let published = day + jiff::Span::new().days(span_days + rng.below(4) as i64);
            let coarse = wave || rng.below(20) == 0;
            let (lat, lon) = if coarse {
                (
                    town.lat + (unit(&mut rng) - 0.5) * 0.5,
                    town.lon + (unit(&mut rng) - 0.5) * 0.5,
                )
            } else if rng.below(10) == 0 {
                (
                    town.lat + (unit(&mut rng) - 0.5) * 0.05,
                    town.lon + (unit(&mut rng) - 0.5) * 0.05,
                )
            } else {
                (town.lat, town.lon)
            };
            let date = if wave {
                DateRange::between(
                    day,
                    day + jiff::Span::new().days(span_days - rng.below(2) as i64),
                    DatePrecision::Range,
                )
            } else {
                match rng.below(100) {
                    0..70 => DateRange::day(day),
                    70..85 => DateRange::day(day + jiff::Span::new().days(rng.below(3) as i64 - 1)),
                    85..93 => DateRange::between(
                        day - jiff::Span::new().days(1),
                        day + jiff::Span::new().days(1),
                        DatePrecision::Range,
                    ),
                    _ => DateRange::unknown(),
                }
            };
            let mut figures = BTreeMap::new();
            if let Some(n) = killed
                && rng.below(10) != 0
            {
                let grown = n + if r > 0 { rng.below(3) as u64 } else { 0 };
                let q = match rng.below(10) {
                    0..5 => Qualifier::Exact,
                    5..8 => Qualifier::AtLeast,
                    8 => Qualifier::UpTo,
                    _ if (24..100).contains(&grown) => Qualifier::Vague,
                    _ => Qualifier::MoreThan,
                };
                let who = if rng.below(10) < 6 {
                    Some(claimants[rng.below(claimants.len())])
                } else {
                    None
                };
                let c = claim(grown, q, who);
                figures.insert(
                    FigureKind::Killed,
                    Figure {
                        low: c.low,
                        high: c.high,
                        best: c.best(),
                        claims: vec![c],
                        rationale: None,
                    },
                );
            }
            let name = if coarse {
                town.admin1.clone()
            } else if rng.below(10) < 3 {
                respell(&town.name, &mut rng)
            } else {
                town.name.clone()
            };
            let actors = if rng.below(2) == 0 {
                vec![Actor {
                    name: perpetrator.0.to_string(),
                    mention: perpetrator.0.to_string(),
                    role: ActorRole::Perpetrator,
                    kind: perpetrator.1,
                    span: None,
                    claimant: None,
                }]
            } else {
                Vec::new()
            };
            let mention = Mention {
                event_type: sub.event_type(),
                sub_event_type: sub,
                date,
                place: Some(Place {
                    name,
                    geonames_id: None,
                    admin1: Some(town.admin1.clone()),
                    admin2: None,
                    country: Some(town.country.clone()),
                    lat,
                    lon,
                    precision: if coarse {
                        PlacePrecision::Admin1
                    } else {
                        PlacePrecision::Settlement
                    },
                    mention: None,
                    span: None,
                }),
                actors,
                victims: if matches!(sub.event_type(), EventType::ViolenceAgainstCivilians) {
                    Victims::Civilians
                } else {
                    Victims::Unknown
                },
                victim_identity: None,
                figures,
                historical: false,
                aggregate: wave,
                evidence: Vec::new(),
            };
            let ordinal = if shares_report { 1 } else { 0 };
            made += 1;
            f(
                SourcedMention {
                    key: made as u64,
                    ordinal,
                    report: IncidentReport {
                        id: format!("{report:016x}"),
                        source: String::new(),
                        title: None,
                        published: Some(published),
                        outlet: None,
                    },
                    outlet: None,
                    mention,
                },
                incident,
            );
        }
        last_country = town.country.clone();
        incident += 1;
    }
}

/// B-cubed precision, recall and F1 of a clustering against the truth (both as one label per
/// item).
pub fn b_cubed(predicted: &[u32], truth: &[u32]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let n = predicted.len().min(truth.len());
    if n == 0 {
        return (1.0, 1.0, 1.0);
    }
    let mut both: HashMap<(u32, u32), u64> = HashMap::new();
    let mut pred: HashMap<u32, u64> = HashMap::new();
    let mut gold: HashMap<u32, u64> = HashMap::new();
    for i in 0..n {
        *both.entry((predicted[i], truth[i])).or_default() += 1;
        *pred.entry(predicted[i]).or_default() += 1;
        *gold.entry(truth[i]).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for ((pc, gc), k) in &both {
        let k = *k as f64;
        p += k * k / pred[pc] as f64;
        r += k * k / gold[gc] as f64;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}
