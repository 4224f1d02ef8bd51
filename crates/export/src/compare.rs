//! Matching vigil's incidents with reference events (ACLED, UCDP): the daily check of an analyst
//! who wants to know what vigil found that the reference has not, what it missed, and where the
//! death tolls differ.
//!
//! **Candidates.** A reference event is a candidate counterpart of an incident when
//!
//! - their dates are at most `days` apart (0 when the ranges overlap), after widening each side
//!   by its own uncertainty: an ACLED date of precision 2 (a week) by 3 days, of precision 3 (a
//!   month) by 15; a UCDP or vigil range is a range already;
//! - their points are at most `km` apart, plus an allowance for coarse places on either side,
//!   because both projects put an imprecise place at a representative point (a province at its
//!   capital or centroid): +25 km for a second-level unit (ACLED geo_precision 2, UCDP where_prec
//!   2-3, vigil admin2), +75 km for a province (ACLED 3, UCDP 4, vigil admin1 or region), +150 km
//!   for a wider region or a country (UCDP 5-6, vigil country).
//!
//! **Score** of a candidate, from 0 to 1:
//!
//! ```text
//! score = 0.4 * (1 - distance / allowed distance)
//!       + 0.3 * (1 - days apart / (allowed days + 1))
//!       + 0.2 * type agreement      (1 same, 0 different, 0.5 when either side has no type)
//!       + 0.1 * toll agreement      (1 - |a - b| / max(a, b); 0.5 when either toll is unknown)
//! ```
//!
//! Type agreement compares ACLED's event type with vigil's, and UCDP's type of violence with
//! the one vigil's incident maps to ([`crate::ucdp::type_of_violence`]). The best match is the
//! candidate with the highest score, then the nearest, then the smallest event id. Place and date
//! dominate because they decide identity; type and toll separate two events on the same day and
//! place (a shelling and a clash in one town).
//!
//! Several reference events may match one incident (ACLED codes a three-day assault as three
//! events), and one reference event may be the best match of several incidents; the comparison
//! reports both sides.

use vigil_model::{
    DatePrecision, DateRange, FigureKind, Incident, PlacePrecision, ReferenceDataset,
    ReferenceEvent,
};

use crate::fields;
use crate::ucdp::{TypeOfViolence, type_of_violence};

/// How close a reference event must be to count as a counterpart.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareConfig {
    /// Days apart at most (after widening by precision).
    pub days: i64,
    /// Kilometres apart at most between two precise points (coarse places get an allowance).
    pub km: f64,
}

impl Default for CompareConfig {
    fn default() -> CompareConfig {
        CompareConfig { days: 1, km: 25.0 }
    }
}

/// The largest allowance any pair of places can get, in km: what a store query must cover.
pub const MAX_ALLOWANCE_KM: f64 = 150.0 + 150.0;

/// The largest widening of a reference date, in days.
pub const MAX_DATE_WIDENING: i64 = 15;

/// How well one reference event matches an incident.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub score: f64,
    pub km: f64,
    /// Days between the two date ranges (0 when they overlap).
    pub days_apart: i64,
}

fn vigil_allowance(precision: PlacePrecision) -> f64 {
    match precision {
        PlacePrecision::Settlement | PlacePrecision::District => 0.0,
        PlacePrecision::Admin2 => 25.0,
        PlacePrecision::Admin1 | PlacePrecision::Region => 75.0,
        PlacePrecision::Country => 150.0,
    }
}

fn reference_allowance(event: &ReferenceEvent) -> f64 {
    match (event.dataset, event.geo_precision) {
        (_, None | Some(0 | 1)) => 0.0,
        (ReferenceDataset::Acled, Some(2)) => 25.0,
        (ReferenceDataset::Acled, Some(_)) => 75.0,
        (ReferenceDataset::Ucdp, Some(2 | 3)) => 25.0,
        (ReferenceDataset::Ucdp, Some(4)) => 75.0,
        (ReferenceDataset::Ucdp, Some(_)) => 150.0,
    }
}

/// The reference event's days, widened by its precision when it is a single coded day.
pub fn reference_days(event: &ReferenceEvent) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    let (start, end) = event.date.bounds()?;
    let widen = match (event.dataset, event.date.precision) {
        (ReferenceDataset::Acled, DatePrecision::Week) => 3,
        (ReferenceDataset::Acled, DatePrecision::Month) => MAX_DATE_WIDENING,
        _ => 0,
    };
    let by = |d: jiff::civil::Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap_or(d);
    Some((by(start, -widen), by(end, widen)))
}

/// Days between two inclusive ranges; 0 when they overlap.
fn gap_days(
    a: (jiff::civil::Date, jiff::civil::Date),
    b: (jiff::civil::Date, jiff::civil::Date),
) -> i64 {
    if a.1 < b.0 {
        i64::from((b.0 - a.1).get_days())
    } else if b.1 < a.0 {
        i64::from((a.0 - b.1).get_days())
    } else {
        0
    }
}

fn type_agreement(incident: &Incident, event: &ReferenceEvent) -> f64 {
    match event.dataset {
        ReferenceDataset::Acled => match event.vigil_event_type {
            Some(t) if t == incident.event_type => 1.0,
            Some(_) => 0.0,
            None => 0.5,
        },
        ReferenceDataset::Ucdp => {
            let ours = type_of_violence(incident).map(|(t, _, _)| match t {
                TypeOfViolence::StateBased => "state-based",
                TypeOfViolence::NonState => "non-state",
                TypeOfViolence::OneSided => "one-sided",
            });
            match (ours, event.event_type.as_deref()) {
                (Some(a), Some(b)) if a == b => 1.0,
                (Some(_), Some(_)) => 0.0,
                _ => 0.5,
            }
        }
    }
}

/// The incident's killed figure as compared with the reference's fatalities: best, else low.
pub fn vigil_killed(incident: &Incident) -> Option<u64> {
    fields::figure(incident, FigureKind::Killed).and_then(|f| f.best.or(f.low))
}

fn toll_agreement(a: Option<u64>, b: Option<u64>) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) => {
            let max = a.max(b);
            if max == 0 {
                1.0
            } else {
                1.0 - a.abs_diff(b) as f64 / max as f64
            }
        }
        _ => 0.5,
    }
}

/// The score of `event` as a counterpart of `incident`, or `None` when it is no candidate (too
/// far apart in time or space, or either side has no date or no coordinates).
pub fn score(incident: &Incident, event: &ReferenceEvent, config: &CompareConfig) -> Option<Match> {
    let place = fields::located(incident.place.as_ref())?;
    let (lat, lon) = (event.lat?, event.lon?);
    let ours = incident.date.bounds()?;
    let theirs = reference_days(event)?;
    let days_apart = gap_days(ours, theirs);
    if days_apart > config.days {
        return None;
    }
    let km = vigil_model::haversine_km(place.lat, place.lon, lat, lon);
    let allowed_km =
        config.km.max(0.0) + vigil_allowance(place.precision) + reference_allowance(event);
    if km > allowed_km {
        return None;
    }
    let place_part = if allowed_km > 0.0 {
        1.0 - km / allowed_km
    } else {
        1.0
    };
    let date_part = 1.0 - days_apart as f64 / (config.days as f64 + 1.0);
    let score = 0.4 * place_part
        + 0.3 * date_part
        + 0.2 * type_agreement(incident, event)
        + 0.1 * toll_agreement(vigil_killed(incident), event.fatalities_best);
    Some(Match {
        score,
        km,
        days_apart,
    })
}

/// The best counterpart of an incident among `events`, with its score.
pub fn best_match<'a>(
    incident: &Incident,
    events: &'a [ReferenceEvent],
    config: &CompareConfig,
) -> Option<(&'a ReferenceEvent, Match)> {
    events
        .iter()
        .filter_map(|e| score(incident, e, config).map(|m| (e, m)))
        .max_by(|(ea, a), (eb, b)| {
            a.score
                .total_cmp(&b.score)
                .then(b.km.total_cmp(&a.km))
                .then(eb.event_id.cmp(&ea.event_id))
        })
}

/// Where a store should look for an incident's candidates: the days (already widened by the
/// largest reference widening) and a latitude / longitude box that holds every point within
/// reach. `None` when the incident has no date or no coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchWindow {
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

pub fn search_window(incident: &Incident, config: &CompareConfig) -> Option<SearchWindow> {
    let place = fields::located(incident.place.as_ref())?;
    let (start, end) = incident.date.bounds()?;
    let widen = config.days.max(0) + MAX_DATE_WIDENING;
    let by = |d: jiff::civil::Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap_or(d);
    let reach = config.km.max(0.0) + vigil_allowance(place.precision) + MAX_ALLOWANCE_KM / 2.0;
    let dlat = reach / 111.0;
    let cos = place.lat.to_radians().cos().max(0.01);
    let dlon = (reach / (111.32 * cos)).min(360.0);
    Some(SearchWindow {
        from: by(start, -widen),
        to: by(end, widen),
        min_lat: place.lat - dlat,
        max_lat: place.lat + dlat,
        min_lon: place.lon - dlon,
        max_lon: place.lon + dlon,
    })
}

/// True when a reference event has what matching needs (a date and coordinates).
pub fn comparable_reference(event: &ReferenceEvent) -> bool {
    event.lat.is_some() && event.lon.is_some() && event.date.is_known()
}

/// True when an incident has what matching needs (a date and usable coordinates).
pub fn comparable_incident(incident: &Incident) -> bool {
    fields::located(incident.place.as_ref()).is_some() && incident.date.is_known()
}

/// A date range as `start..end` text for tables.
pub fn range_text(date: &DateRange) -> String {
    match date.bounds() {
        None => "-".to_string(),
        Some((a, b)) if a == b => fields::iso_date(a),
        Some((a, b)) => format!("{}..{}", fields::iso_date(a), fields::iso_date(b)),
    }
}
