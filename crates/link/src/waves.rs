//! Waves: a local incident is `part_of` a wider aggregate incident (a village massacre inside
//! "the coastal killings") when the wave covers it in kind, time and place.
//!
//! A wave covers a local incident when the wave is an aggregate and the local one is not, both
//! have the same event type, the local days lie within the wave's (give or take the date slack),
//! and the local place lies within the wave's reach, or in the same first-level unit when the
//! wave names one, or in the same country when the wave is a country; and the wave is wider, in
//! days or in place. Of several covering waves the tightest is chosen (fewest days, then
//! smallest reach, then key), so the choice is a function of the two incidents alone.
//!
//! Figures are never moved between a wave and its parts: a wave's toll is what its claimants
//! say of the wave, so the parts are not counted twice.

use vigil_model::{EventType, PlacePrecision, haversine_km};

use crate::Config;
use crate::features::Day;

/// What wave assignment needs to know of an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Extent {
    /// The incident's stable key (its anchor mention's key).
    pub key: u64,
    pub event_type: EventType,
    pub aggregate: bool,
    pub days: Option<(Day, Day)>,
    /// False when `days` is only the window before publication (no report gave a date).
    pub dated: bool,
    /// `(lat, lon, precision)`.
    pub place: Option<(f64, f64, PlacePrecision)>,
    /// ISO alpha-2 and the folded first-level unit, when known.
    pub country: Option<String>,
    pub admin1: Option<String>,
}

/// How tightly `wave` covers `local`: `None` when it does not; smaller is tighter.
pub fn covers(wave: &Extent, local: &Extent, config: &Config) -> Option<(i32, u32, u64)> {
    if !wave.aggregate || local.aggregate || wave.event_type != local.event_type {
        return None;
    }
    let ((w0, w1), (l0, l1)) = (wave.days?, local.days?);
    let slack = config.date_slack_days;
    // A dated incident lies within the wave's days; an undated one only has the window before
    // its reports' publication, which must meet the wave's days.
    let inside = if local.dated {
        l0 >= w0 - slack && l1 <= w1 + slack
    } else {
        l0 <= w1 + slack && w0 - slack <= l1
    };
    if !inside {
        return None;
    }
    let ((wlat, wlon, wp), (llat, llon, lp)) = (wave.place?, local.place?);
    let reach = config.reach_km(wp);
    let within = haversine_km(wlat, wlon, llat, llon) <= reach + config.reach_km(lp)
        || (wp == PlacePrecision::Admin1
            && wave.admin1.is_some()
            && wave.admin1 == local.admin1
            && wave.country == local.country)
        || (wp == PlacePrecision::Country
            && wave.country.is_some()
            && wave.country == local.country);
    if !within {
        return None;
    }
    let wider = (local.dated && (w1 - w0) > (l1 - l0)) || wp.rank() > lp.rank();
    if !wider {
        return None;
    }
    Some((w1 - w0, reach.round() as u32, wave.key))
}

/// For each extent, the index of the wave it is part of, if any.
pub fn assign_waves(extents: &[Extent], config: &Config) -> Vec<Option<usize>> {
    let mut out = vec![None; extents.len()];
    let mut best: Vec<Option<(i32, u32, u64)>> = vec![None; extents.len()];
    let slack = config.date_slack_days;
    // A local incident is covered only when its days meet the wave's; a dated one lies within
    // them. Locals sorted by first day: each wave looks at those that start within its days, or
    // up to `reach_back` days before (undated incidents, whose days are the window before their
    // reports). The few undated locals longer than that are checked against every wave.
    let reach_back = config.undated_window_days + LONG_UNDATED_DAYS;
    let (mut locals, mut long): (Vec<usize>, Vec<usize>) = (0..extents.len())
        .filter(|&i| !extents[i].aggregate && extents[i].days.is_some())
        .partition(|&i| {
            let e = &extents[i];
            e.dated || e.days.is_some_and(|(l0, l1)| l1 - l0 <= reach_back)
        });
    let start = |i: usize| extents[i].days.map(|d| d.0).unwrap_or(i32::MAX);
    locals.sort_unstable_by_key(|&i| (start(i), extents[i].key));
    long.sort_unstable_by_key(|&i| (start(i), extents[i].key));
    for (w, wave) in extents.iter().enumerate() {
        let Some((w0, w1)) = wave.days.filter(|_| wave.aggregate) else {
            continue;
        };
        let lo = locals.partition_point(|&i| start(i) < w0 - slack - reach_back);
        let hi = locals.partition_point(|&i| start(i) <= w1 + slack);
        let long_hi = long.partition_point(|&i| start(i) <= w1 + slack);
        for &l in locals[lo..hi.max(lo)].iter().chain(&long[..long_hi]) {
            if let Some(tight) = covers(wave, &extents[l], config)
                && best[l].is_none_or(|b| tight < b)
            {
                best[l] = Some(tight);
                out[l] = Some(w);
            }
        }
    }
    out
}

/// Undated incidents whose reports span more than this many days are few: [`assign_waves`]
/// checks them against every wave.
const LONG_UNDATED_DAYS: i32 = 7;
