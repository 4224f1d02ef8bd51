//! Whether two mentions may tell the same incident (the blocking predicate), and how strongly
//! their values say they do (the pairwise score).
//!
//! The score is a sum of evidence in points, each part readable on its own (see [`ScoreParts`]):
//!
//! | part | evidence |
//! |---|---|
//! | event | same sub-event type +1.0; same event type +0.5; neighbouring types (battles, explosions and violence against civilians among themselves; protests and riots) −1.0 |
//! | place | same gazetteer entry +2.0 (an area: +0.8); otherwise closeness within the two reaches up to +1.6; names that meet (same skeleton, close spelling, or one inside the other) +0.8; an area against a point inside its unit +0.4 |
//! | date | the same day +1.5; overlapping ranges up to +1.0 by their overlap; a day apart +0.5; an undated mention +0.2 |
//! | actors | a shared identified perpetrator +0.8; identified perpetrators and none shared −0.3 |
//! | victims | same identity +0.4; same class +0.2; civilians against combatants −0.4 |
//! | figures | killed ranges that meet +0.5 (the same exact number +0.8); ranges more than 3 times apart −0.6 (not for waves, whose tolls grow) |
//!
//! Pairs of different event-type families (a protest and an air strike, looting and a killing),
//! a wave and a local incident, and mentions of one report are never candidates.

use vigil_model::{EventType, PlacePrecision, Victims, haversine_km};

use crate::Config;
use crate::features::Features;

/// The parts of a pair's score, in points.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScoreParts {
    pub event: f32,
    pub place: f32,
    pub date: f32,
    pub actors: f32,
    pub victims: f32,
    pub figures: f32,
}

impl ScoreParts {
    pub fn total(&self) -> f32 {
        self.event + self.place + self.date + self.actors + self.victims + self.figures
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kinship {
    SameSub,
    SameType,
    Neighbours,
    Apart,
}

fn kinship(a: &Features, b: &Features) -> Kinship {
    use EventType::*;
    if a.sub_event_type == b.sub_event_type {
        return Kinship::SameSub;
    }
    if a.event_type == b.event_type {
        return Kinship::SameType;
    }
    let violent = |t: EventType| {
        matches!(
            t,
            Battles | ExplosionsRemoteViolence | ViolenceAgainstCivilians
        )
    };
    let unrest = |t: EventType| matches!(t, Protests | Riots);
    if (violent(a.event_type) && violent(b.event_type))
        || (unrest(a.event_type) && unrest(b.event_type))
    {
        Kinship::Neighbours
    } else {
        Kinship::Apart
    }
}

/// Degrees of latitude and longitude a mention's reach covers at its latitude.
pub(crate) fn half_box(f: &Features, config: &Config) -> (f64, f64) {
    let Some(p) = &f.place else { return (0.0, 0.0) };
    let reach = config.reach_km(p.precision);
    let dlat = reach / 111.0 + 1e-3;
    let coslat = (f64::from(p.lat).abs().min(89.0)).to_radians().cos();
    let dlon = (reach / (111.320 * coslat.max(0.01)) + 1e-3).min(360.0);
    (dlat, dlon)
}

/// True when the two places' reach boxes overlap.
pub(crate) fn boxes_overlap(a: &Features, b: &Features, config: &Config) -> bool {
    let (Some(pa), Some(pb)) = (&a.place, &b.place) else {
        return false;
    };
    let (alat, alon) = half_box(a, config);
    let (blat, blon) = half_box(b, config);
    (f64::from(pa.lat) - f64::from(pb.lat)).abs() <= alat + blat
        && (f64::from(pa.lon) - f64::from(pb.lon)).abs() <= alon + blon
}

fn days_overlap(a: (i32, i32), b: (i32, i32), slack: i32) -> bool {
    a.0 - slack <= b.1 + slack && b.0 - slack <= a.1 + slack
}

/// The blocking predicate: true when the pair is worth scoring. A pure function of the two
/// mentions, so that a store that finds candidates through its indexes ([`Features::search_keys`])
/// and a rebuild that enumerates everything see the same pairs.
pub fn is_candidate(a: &Features, b: &Features, config: &Config) -> bool {
    if a.key == b.key || a.report == b.report || a.aggregate != b.aggregate {
        return false;
    }
    let (Some(da), Some(db)) = (a.days, b.days) else {
        return false;
    };
    if !days_overlap(da, db, config.date_slack_days) || kinship(a, b) == Kinship::Apart {
        return false;
    }
    let (Some(pa), Some(pb)) = (&a.place, &b.place) else {
        return false;
    };
    boxes_overlap(a, b, config)
        || (pa.name_key != 0
            && pa.name_key == pb.name_key
            && (pa.country == pb.country || pa.country == [0, 0] || pb.country == [0, 0]))
        || ((a.is_coarse() || b.is_coarse())
            && a.admin_key() != 0
            && a.admin_key() == b.admin_key())
}

/// The score of a pair that [`is_candidate`] accepts (for other pairs it is meaningless).
pub fn score(a: &Features, b: &Features, config: &Config) -> ScoreParts {
    let mut parts = ScoreParts {
        event: match kinship(a, b) {
            Kinship::SameSub => 1.0,
            Kinship::SameType => 0.5,
            Kinship::Neighbours => -1.0,
            Kinship::Apart => -5.0,
        },
        ..ScoreParts::default()
    };

    if let (Some(pa), Some(pb)) = (&a.place, &b.place) {
        let coarse = a.is_coarse() || b.is_coarse();
        let same_entry = pa.geonames_id != 0 && pa.geonames_id == pb.geonames_id;
        if same_entry {
            parts.place += if coarse { 0.8 } else { 2.0 };
        } else {
            let d = haversine_km(
                f64::from(pa.lat),
                f64::from(pa.lon),
                f64::from(pb.lat),
                f64::from(pb.lon),
            );
            let reach = config.reach_km(pa.precision) + config.reach_km(pb.precision);
            if d <= reach {
                parts.place += if coarse {
                    0.4
                } else {
                    (1.6 * (1.0 - d / reach)) as f32
                };
            }
            if names_meet(&pa.name, &pb.name, pa.name_key, pb.name_key) {
                parts.place += 0.8;
            }
        }
        if coarse
            && pa.precision != pb.precision
            && a.admin_key() != 0
            && a.admin_key() == b.admin_key()
        {
            parts.place += 0.4;
        }
        if coarse {
            parts.place = parts.place.min(1.6);
        }
    }

    if let (Some(da), Some(db)) = (a.days, b.days) {
        parts.date = if !a.dated || !b.dated {
            0.2
        } else {
            let overlap = da.1.min(db.1) - da.0.max(db.0) + 1;
            let len_a = da.1 - da.0 + 1;
            let len_b = db.1 - db.0 + 1;
            if len_a == 1 && len_b == 1 && da.0 == db.0 {
                1.5
            } else if overlap > 0 {
                let shorter = len_a.min(len_b).max(1);
                let longer = len_a.max(len_b);
                // Long ranges ("in November") say little about which day.
                let vagueness = if longer > 14 { 0.3 } else { 1.0 };
                (overlap as f32 / shorter as f32).min(1.0) * vagueness
            } else if da.0.max(db.0) - da.1.min(db.1) <= 1 {
                0.5
            } else {
                0.0
            }
        };
    }

    if !a.perpetrators.is_empty() && !b.perpetrators.is_empty() {
        let shared = a
            .perpetrators
            .iter()
            .any(|p| b.perpetrators.binary_search(p).is_ok());
        parts.actors = if shared { 0.8 } else { -0.3 };
    }

    if a.victim_identity != 0 && a.victim_identity == b.victim_identity {
        parts.victims += 0.4;
    }
    match (a.victims, b.victims) {
        (Victims::Unknown, _) | (_, Victims::Unknown) => {}
        (Victims::Civilians, Victims::Combatants) | (Victims::Combatants, Victims::Civilians) => {
            parts.victims -= 0.4
        }
        (x, y) if x == y => parts.victims += 0.2,
        _ => {}
    }

    if let (Some((la, ha)), Some((lb, hb))) = (a.killed, b.killed) {
        if la.max(lb) <= ha.min(hb) {
            parts.figures = if la == ha && lb == hb { 0.8 } else { 0.5 };
        } else if !(a.aggregate && b.aggregate) {
            // Disjoint: how far apart?
            let (lo_high, hi_low) = if ha < lb { (ha, lb) } else { (hb, la) };
            if u64::from(hi_low) > 3 * u64::from(lo_high.max(1)) {
                parts.figures = -0.6;
            }
        }
    }
    parts
}

/// True when two folded place names name the same place: the same skeleton, a close spelling
/// (Jaro-Winkler at least 0.88), or one name's words all inside the other's ("Baniyas" and
/// "Qusour Baniyas").
pub(crate) fn names_meet(a: &str, b: &str, key_a: u32, key_b: u32) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b || (key_a != 0 && key_a == key_b) {
        return true;
    }
    if strsim::jaro_winkler(a, b) >= 0.88 {
        return true;
    }
    let inside = |short: &str, long: &str| {
        let words: Vec<&str> = long.split(' ').collect();
        short.split(' ').all(|w| w.len() >= 4 && words.contains(&w))
    };
    inside(a, b) || inside(b, a)
}

/// Whether two mentions may sit in one incident at all: the check every pair of a merged cluster
/// must pass, so that a chain of good pairs (A like B, B like C) cannot join A and C when they
/// contradict each other.
pub(crate) fn compatible(a: &Features, b: &Features, config: &Config) -> bool {
    if a.report == b.report || a.aggregate != b.aggregate || kinship(a, b) == Kinship::Apart {
        return false;
    }
    let (Some(da), Some(db)) = (a.days, b.days) else {
        return false;
    };
    if !days_overlap(da, db, 2 * config.date_slack_days) {
        return false;
    }
    if let (Some(pa), Some(pb)) = (&a.place, &b.place) {
        let d = haversine_km(
            f64::from(pa.lat),
            f64::from(pa.lon),
            f64::from(pb.lat),
            f64::from(pb.lon),
        );
        let reach = config.reach_km(pa.precision) + config.reach_km(pb.precision);
        let coarse = matches!(pa.precision, PlacePrecision::Country)
            || matches!(pb.precision, PlacePrecision::Country);
        if d > 2.0 * reach && !coarse && !names_meet(&pa.name, &pb.name, pa.name_key, pb.name_key) {
            return false;
        }
    }
    score(a, b, config).total() >= config.min_pair_score
}
