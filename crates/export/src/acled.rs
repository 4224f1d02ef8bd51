//! The `acled-csv` layout: ACLED's public export columns, in ACLED's order, with ACLED's names
//! and codes, one row per incident.
//!
//! How each column is filled (ACLED Codebook 2023 and the 2023 column-change guide):
//!
//! | column | from vigil |
//! |---|---|
//! | `event_id_cnty` | the vigil incident id (not ACLED's `ISO3` + number scheme: it joins back to vigil) |
//! | `event_date` | the day, `YYYY-MM-DD`; for a range, week, month or year the middle day, as ACLED codes such events; empty when the date is unknown |
//! | `year` | the year of `event_date` |
//! | `time_precision` | 1 a known day; 2 a range of up to 7 days or a week; 3 a longer range, a month or a year |
//! | `disorder_type` | from the sub-event type: Political violence (battles, explosions/remote violence, violence against civilians, mob violence); Demonstrations (peaceful protest, protest with intervention, violent demonstration); "Political violence; Demonstrations" (excessive force against protesters); Strategic developments |
//! | `event_type`, `sub_event_type` | ACLED's names ("Explosions/Remote violence", "Air/drone strike") |
//! | `actor1`, `assoc_actor_1` | the first perpetrator; the other perpetrators, joined by "; " |
//! | `actor2`, `assoc_actor_2` | the first target; when there is none and the victims are civilians, "Civilians (Country)"; then the other targets and the victims' identity |
//! | `inter1`, `inter2` | ACLED's actor type codes 1-8 from each actor's kind; 7 for civilians |
//! | `interaction` | the two codes, lower first (13, 17); one actor alone: its code times ten (10, 20 ...) |
//! | `civilian_targeting` | "Civilian targeting" for violence against civilians, and for explosions/remote violence and riots whose victims are civilians |
//! | `iso`, `region`, `country` | ISO 3166-1 numeric code, ACLED region and country name, from the place's country code |
//! | `admin1`, `admin2`, `location`, `latitude`, `longitude` | the place (coordinates to 4 decimals, as ACLED publishes them) |
//! | `admin3` | empty: vigil's gazetteer keeps two administrative levels |
//! | `geo_precision` | 1 a settlement or city district; 2 a second-level unit; 3 a province, a region or a country |
//! | `source` | the reports' outlets (or address hosts), distinct, joined by "; " |
//! | `source_scale` | empty: vigil does not classify outlets by scale |
//! | `notes` | a summary vigil writes: date, type, place, actors, every figure with its claims and claimants, flags |
//! | `fatalities` | the reconciled best killed figure (else its low end); 0 when no report gives a death toll, as ACLED codes "no reported fatalities" |
//! | `tags` | vigil's flags (`conflicting_figures` ...) and `historical` / `aggregate`, joined by "; " |
//! | `timestamp` | [`Config::timestamp`](crate::Config::timestamp): the export time as Unix seconds (ACLED: last update), empty when not set |
//!
//! ACLED names generic actors "Civilians (Syria)", "Unidentified Armed Group (Syria)",
//! "Protesters (Syria)", "Rioters (Syria)"; vigil's actors of those kinds are written that way.
//! Named actors keep vigil's canonical names (ACLED's own actor list is not public data).

use std::io::Write;

use vigil_model::{
    ActorKind, DatePrecision, EventType, FigureKind, Incident, PlacePrecision, SubEventType,
    Victims,
};

use crate::countries::{self, Country};
use crate::fields::{self, iso_date, num};
use crate::{Config, Error};

/// The columns of ACLED's public export, in its order.
pub const COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Columns that hold numbers: never passed through the formula guard (a negative longitude must
/// stay a number).
const NUMERIC: [&str; 11] = [
    "year",
    "time_precision",
    "inter1",
    "inter2",
    "interaction",
    "iso",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "timestamp",
];

pub(crate) fn numeric_mask() -> Vec<bool> {
    COLUMNS.iter().map(|c| NUMERIC.contains(c)).collect()
}

/// ACLED's disorder type of a sub-event type.
pub fn disorder_type(sub: SubEventType) -> &'static str {
    use SubEventType::*;
    match sub.event_type() {
        EventType::Battles | EventType::ExplosionsRemoteViolence => "Political violence",
        EventType::ViolenceAgainstCivilians => "Political violence",
        EventType::StrategicDevelopments => "Strategic developments",
        EventType::Protests | EventType::Riots => match sub {
            ExcessiveForceAgainstProtesters => "Political violence; Demonstrations",
            MobViolence => "Political violence",
            _ => "Demonstrations",
        },
    }
}

/// ACLED's `time_precision` (1-3) and the single day ACLED would code, or `None` when the date is
/// unknown.
pub fn event_day(incident: &Incident) -> Option<(jiff::civil::Date, u8)> {
    let (start, end) = incident.date.bounds()?;
    let precision = match incident.date.precision {
        DatePrecision::Day => 1,
        DatePrecision::Week => 2,
        DatePrecision::Range if fields::days_spanned(start, end) <= 7 => 2,
        DatePrecision::Range | DatePrecision::Month | DatePrecision::Year => 3,
        // Bounds without a precision: judge by the length.
        DatePrecision::Unknown if start == end => 1,
        DatePrecision::Unknown if fields::days_spanned(start, end) <= 7 => 2,
        DatePrecision::Unknown => 3,
    };
    let precision = if start == end { 1 } else { precision };
    Some((fields::midpoint(start, end), precision))
}

/// ACLED's `geo_precision` of a place precision.
pub fn geo_precision(precision: PlacePrecision) -> u8 {
    match precision {
        PlacePrecision::Settlement | PlacePrecision::District => 1,
        PlacePrecision::Admin2 => 2,
        PlacePrecision::Admin1 | PlacePrecision::Region | PlacePrecision::Country => 3,
    }
}

/// ACLED's `interaction`: both actor codes, lower first; one code alone times ten.
pub fn interaction(inter1: Option<u8>, inter2: Option<u8>) -> Option<u8> {
    match (inter1, inter2) {
        (Some(a), Some(b)) => Some(a.min(b) * 10 + a.max(b)),
        (Some(a), None) | (None, Some(a)) => Some(a * 10),
        (None, None) => None,
    }
}

/// The name ACLED gives an actor: generic kinds get ACLED's generic names with the country.
fn actor_name(name: &str, kind: ActorKind, country: Option<&Country>) -> String {
    let generic = match kind {
        ActorKind::UnidentifiedArmedGroup => Some("Unidentified Armed Group"),
        ActorKind::Civilians => Some("Civilians"),
        ActorKind::Protesters => Some("Protesters"),
        ActorKind::Rioters => Some("Rioters"),
        _ => None,
    };
    match (generic, country) {
        (Some(g), Some(c)) => format!("{g} ({})", c.name),
        (Some(g), None) => g.to_string(),
        (None, _) => name.to_string(),
    }
}

/// True when ACLED would mark the event "Civilian targeting".
pub fn civilian_targeting(incident: &Incident) -> bool {
    match incident.event_type {
        EventType::ViolenceAgainstCivilians => true,
        EventType::ExplosionsRemoteViolence | EventType::Riots => {
            incident.victims == Victims::Civilians
        }
        _ => false,
    }
}

/// The ACLED row of one incident, cell by cell in [`COLUMNS`] order (before the CSV formula
/// guard).
pub fn row(incident: &Incident, config: &Config) -> Vec<String> {
    let place = incident.place.as_ref();
    let country = place
        .and_then(|p| p.country.as_deref())
        .and_then(countries::by_alpha2);
    let day = event_day(incident);

    let mut perpetrators = fields::perpetrators(incident);
    let actor1 = perpetrators.next();
    let assoc1 = fields::join_names(perpetrators);
    let mut targets = fields::targets(incident);
    let first_target = targets.next();
    let civilians_as_actor2 = first_target.is_none()
        && (incident.victims == Victims::Civilians
            || incident.event_type == EventType::ViolenceAgainstCivilians);
    let (actor2, inter2) = match first_target {
        Some(t) => (
            actor_name(&t.name, t.kind, country),
            Some(t.kind.acled_inter()),
        ),
        None if civilians_as_actor2 => (
            actor_name("Civilians", ActorKind::Civilians, country),
            Some(ActorKind::Civilians.acled_inter()),
        ),
        None => (String::new(), None),
    };
    let other_targets: Vec<&str> = targets.map(|a| a.name.as_str()).collect();
    let assoc2 = fields::join_distinct(
        other_targets
            .into_iter()
            .chain(incident.victim_identity.as_deref()),
    );
    let inter1 = actor1.map(|a| a.kind.acled_inter());
    let fatalities = fields::figure(incident, FigureKind::Killed)
        .and_then(|f| f.best.or(f.low))
        .unwrap_or(0);

    let mut tags: Vec<&str> = incident.flags.iter().map(|f| f.code.as_str()).collect();
    if incident.historical {
        tags.push("historical");
    }
    if incident.aggregate {
        tags.push("aggregate");
    }

    vec![
        incident.id.clone(),
        day.map(|(d, _)| iso_date(d)).unwrap_or_default(),
        day.map(|(d, _)| d.year().to_string()).unwrap_or_default(),
        day.map(|(_, p)| p.to_string()).unwrap_or_default(),
        disorder_type(incident.sub_event_type).to_string(),
        incident.event_type.acled_name().to_string(),
        incident.sub_event_type.acled_name().to_string(),
        actor1
            .map(|a| actor_name(&a.name, a.kind, country))
            .unwrap_or_default(),
        assoc1,
        inter1.map(|c| c.to_string()).unwrap_or_default(),
        actor2,
        assoc2,
        inter2.map(|c| c.to_string()).unwrap_or_default(),
        interaction(inter1, inter2)
            .map(|c| c.to_string())
            .unwrap_or_default(),
        if civilian_targeting(incident) {
            "Civilian targeting".to_string()
        } else {
            String::new()
        },
        country.map(|c| c.numeric.to_string()).unwrap_or_default(),
        country
            .map(|c| c.acled_region.to_string())
            .unwrap_or_default(),
        country
            .map(|c| c.name.to_string())
            .or_else(|| place.and_then(|p| p.country.clone()))
            .unwrap_or_default(),
        place.and_then(|p| p.admin1.clone()).unwrap_or_default(),
        place.and_then(|p| p.admin2.clone()).unwrap_or_default(),
        String::new(),
        place.map(|p| p.name.clone()).unwrap_or_default(),
        fields::located(place)
            .map(|p| format!("{:.4}", p.lat))
            .unwrap_or_default(),
        fields::located(place)
            .map(|p| format!("{:.4}", p.lon))
            .unwrap_or_default(),
        place
            .map(|p| geo_precision(p.precision).to_string())
            .unwrap_or_default(),
        fields::outlets(incident),
        String::new(),
        crate::notes::notes(incident),
        fatalities.to_string(),
        tags.join("; "),
        num(config.timestamp.and_then(|t| u64::try_from(t).ok())),
    ]
}

/// Streams incidents as ACLED CSV rows.
pub(crate) struct AcledWriter<W: Write> {
    csv: crate::csvout::CsvOut<W>,
}

impl<W: Write> AcledWriter<W> {
    pub fn new(out: W, config: &Config) -> Result<Self, Error> {
        let csv = crate::csvout::CsvOut::new(out, config, &COLUMNS, numeric_mask())?;
        Ok(AcledWriter { csv })
    }

    pub fn write(&mut self, incident: &Incident, config: &Config) -> Result<u64, Error> {
        self.csv.record(&row(incident, config))?;
        Ok(1)
    }

    pub fn finish(self) -> Result<W, Error> {
        self.csv.finish()
    }
}
