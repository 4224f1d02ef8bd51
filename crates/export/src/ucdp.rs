//! The `ucdp-csv` layout: the 49 columns of the UCDP Georeferenced Event Dataset (GED) CSV, in
//! its order, one row per incident.
//!
//! How each column is filled (UCDP GED Codebook, versions 23.1 / 24.1):
//!
//! | column | from vigil |
//! |---|---|
//! | `id` | the vigil incident id (UCDP's ids are its own integers) |
//! | `relid`, `active_year`, `code_status`, `conflict_dset_id`, `conflict_new_id`, `conflict_name`, `dyad_dset_id`, `dyad_new_id`, `side_a_dset_id`, `side_a_new_id`, `side_b_dset_id`, `side_b_new_id`, `source_office` | empty: they are UCDP's own registries (conflicts, dyads, actors passing its 25-death threshold) that vigil cannot know |
//! | `year` | year of `date_start` |
//! | `type_of_violence` | 1 state-based (one side is state or foreign state forces), 2 non-state (two organised non-state sides), 3 one-sided (an organised actor against civilians: violence against civilians, or civilian victims and no armed target); empty for protests, riots, strategic developments and undetermined cases, which fall outside UCDP's scope |
//! | `side_a`, `side_b`, `dyad_name` | state-based: the state side as A; one-sided: the perpetrator as A and "Civilians" as B; vigil's actor names, not UCDP's ("Government of Syria") |
//! | `number_of_sources` | the number of reports |
//! | `source_article`, `source_date`, `source_headline` | each report as "outlet, date, title"; its publication date; its title; joined by "; " |
//! | `source_original` | the claimants of the figures ("SOHR", "local residents"), which is what UCDP records there |
//! | `where_prec` | 1 a settlement or city district; 3 a second-level unit; 4 a province; 5 a named region larger than a province or part of a country; 6 the country |
//! | `where_coordinates`, `where_description` | the place's name; the words of the report that named it |
//! | `adm_1`, `adm_2`, `latitude`, `longitude` | the place (4 decimals) |
//! | `geom_wkt` | `POINT (lon lat)` |
//! | `priogrid_gid` | the PRIO-GRID 0.5° cell of the point: `row * 720 + col + 1` from the south-west corner |
//! | `country`, `country_id`, `region` | UCDP's name, Gleditsch & Ward number and region of the place's country |
//! | `event_clarity` | 2 when the incident sums up a wave (vigil's `aggregate`), else 1 |
//! | `date_prec` | 1 a day; 2 a range of 2-6 days; 3 a week (7 days); 4 8-31 days or a month; 5 longer, up to a year |
//! | `date_start`, `date_end` | the range |
//! | `deaths_a`, `deaths_b` | 0: vigil does not split deaths by side |
//! | `deaths_civilians`, `deaths_unknown` | the best killed figure: civilian deaths when the victims are civilians or the violence one-sided, unknown otherwise |
//! | `best`, `low`, `high` | the reconciled killed figure (best else low; low else best; high, empty when the claims leave it open); all 0 when no report gives a death toll |
//! | `gwnoa`, `gwnob` | the G&W number of a side that is the state forces of the country |

use std::io::Write;

use vigil_model::{
    Actor, ActorKind, DatePrecision, EventType, FigureKind, Incident, PlacePrecision, Victims,
};

use crate::countries;
use crate::fields::{self, iso_date, num};
use crate::{Config, Error};

/// The columns of the UCDP GED CSV, in its order.
pub const COLUMNS: [&str; 49] = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
];

const NUMERIC: [&str; 19] = [
    "year",
    "type_of_violence",
    "number_of_sources",
    "where_prec",
    "latitude",
    "longitude",
    "priogrid_gid",
    "country_id",
    "event_clarity",
    "date_prec",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
];

pub(crate) fn numeric_mask() -> Vec<bool> {
    COLUMNS.iter().map(|c| NUMERIC.contains(c)).collect()
}

/// UCDP's three types of organised violence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeOfViolence {
    StateBased = 1,
    NonState = 2,
    OneSided = 3,
}

fn is_state(actor: &Actor) -> bool {
    matches!(
        actor.kind,
        ActorKind::StateForces | ActorKind::ForeignForces
    )
}

/// UCDP's type of violence and its two sides (A, B), or `None` outside UCDP's scope.
pub fn type_of_violence(incident: &Incident) -> Option<(TypeOfViolence, String, String)> {
    if !matches!(
        incident.event_type,
        EventType::Battles
            | EventType::ExplosionsRemoteViolence
            | EventType::ViolenceAgainstCivilians
    ) {
        return None;
    }
    let perpetrator = fields::perpetrators(incident).next();
    let target = fields::targets(incident).next();
    let name = |a: Option<&Actor>| a.map(|a| a.name.clone()).unwrap_or_default();
    match (perpetrator, target) {
        (p, Some(t))
            if incident.event_type != EventType::ViolenceAgainstCivilians
                && t.kind != ActorKind::Civilians =>
        {
            if is_state(t) && !p.is_some_and(is_state) {
                Some((TypeOfViolence::StateBased, t.name.clone(), name(p)))
            } else if p.is_some_and(is_state) {
                Some((TypeOfViolence::StateBased, name(p), t.name.clone()))
            } else {
                Some((TypeOfViolence::NonState, name(p), t.name.clone()))
            }
        }
        (p, _)
            if incident.event_type == EventType::ViolenceAgainstCivilians
                || incident.victims == Victims::Civilians =>
        {
            Some((TypeOfViolence::OneSided, name(p), "Civilians".to_string()))
        }
        _ => None,
    }
}

/// UCDP's `where_prec` of a place precision.
pub fn where_prec(precision: PlacePrecision) -> u8 {
    match precision {
        PlacePrecision::Settlement | PlacePrecision::District => 1,
        PlacePrecision::Admin2 => 3,
        PlacePrecision::Admin1 => 4,
        PlacePrecision::Region => 5,
        PlacePrecision::Country => 6,
    }
}

/// UCDP's `date_prec` of a date range, or `None` when the date is unknown.
pub fn date_prec(incident: &Incident) -> Option<u8> {
    let (start, end) = incident.date.bounds()?;
    let days = fields::days_spanned(start, end);
    Some(match incident.date.precision {
        _ if days == 1 => 1,
        DatePrecision::Week => 3,
        DatePrecision::Month => 4,
        DatePrecision::Year => 5,
        _ if days <= 6 => 2,
        _ if days == 7 => 3,
        _ if days <= 31 => 4,
        _ => 5,
    })
}

/// The PRIO-GRID cell id of a point (0.5° cells numbered from 1 at the south-west corner,
/// row by row eastwards).
pub fn priogrid_gid(lat: f64, lon: f64) -> u32 {
    let row = ((lat + 90.0) / 0.5).floor().clamp(0.0, 359.0) as u32;
    let col = ((lon + 180.0) / 0.5).floor().clamp(0.0, 719.0) as u32;
    row * 720 + col + 1
}

/// The UCDP row of one incident, cell by cell in [`COLUMNS`] order (before the formula guard).
pub fn row(incident: &Incident) -> Vec<String> {
    let place = incident.place.as_ref();
    let point = fields::located(place);
    let country = place
        .and_then(|p| p.country.as_deref())
        .and_then(countries::by_alpha2);
    let violence = type_of_violence(incident);
    let (side_a, side_b) = violence
        .as_ref()
        .map(|(_, a, b)| (a.clone(), b.clone()))
        .unwrap_or_default();
    let gwno_of_side = |side: &str| {
        let state = incident
            .actors
            .iter()
            .any(|a| a.name == side && a.kind == ActorKind::StateForces);
        if state {
            country.and_then(|c| c.gwno).map(|g| g.to_string())
        } else {
            None
        }
        .unwrap_or_default()
    };

    let killed = fields::figure(incident, FigureKind::Killed);
    let best = killed.and_then(|f| f.best.or(f.low));
    let (best, low, high) = match killed {
        Some(f) => (best, f.low.or(best), f.high),
        None => (Some(0), Some(0), Some(0)),
    };
    let civilian_deaths = incident.victims == Victims::Civilians
        || violence
            .as_ref()
            .is_some_and(|(t, _, _)| *t == TypeOfViolence::OneSided);
    let (deaths_civilians, deaths_unknown) = match best {
        Some(b) if civilian_deaths => (b, 0),
        Some(b) => (0, b),
        None => (0, 0),
    };

    let articles: Vec<String> = incident
        .reports
        .iter()
        .map(|r| {
            let mut parts = vec![fields::outlet_of(r).into_owned()];
            if let Some(d) = r.published {
                parts.push(iso_date(d));
            }
            if let Some(t) = r.title.as_deref().filter(|t| !t.is_empty()) {
                parts.push(format!("\"{t}\""));
            }
            parts.join(", ")
        })
        .collect();
    let dates: Vec<String> = incident
        .reports
        .iter()
        .filter_map(|r| r.published.map(iso_date))
        .collect();
    let claimants = fields::join_distinct(
        incident
            .figures
            .values()
            .flat_map(|f| &f.claims)
            .filter_map(|c| c.claimant.as_deref()),
    );
    let bounds = incident.date.bounds();

    vec![
        incident.id.clone(),
        String::new(),
        bounds
            .map(|(s, _)| s.year().to_string())
            .unwrap_or_default(),
        String::new(),
        String::new(),
        violence
            .as_ref()
            .map(|(t, _, _)| (*t as u8).to_string())
            .unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        if !side_a.is_empty() && !side_b.is_empty() {
            format!("{side_a} - {side_b}")
        } else {
            String::new()
        },
        String::new(),
        String::new(),
        side_a.clone(),
        String::new(),
        String::new(),
        side_b.clone(),
        incident.reports.len().to_string(),
        articles.join("; "),
        String::new(),
        fields::join_distinct(dates.iter().map(String::as_str)),
        fields::join_distinct(incident.reports.iter().filter_map(|r| r.title.as_deref())),
        claimants,
        place
            .map(|p| where_prec(p.precision).to_string())
            .unwrap_or_default(),
        place.map(|p| p.name.clone()).unwrap_or_default(),
        place.and_then(|p| p.mention.clone()).unwrap_or_default(),
        place.and_then(|p| p.admin1.clone()).unwrap_or_default(),
        place.and_then(|p| p.admin2.clone()).unwrap_or_default(),
        point.map(|p| format!("{:.4}", p.lat)).unwrap_or_default(),
        point.map(|p| format!("{:.4}", p.lon)).unwrap_or_default(),
        point
            .map(|p| format!("POINT ({:.4} {:.4})", p.lon, p.lat))
            .unwrap_or_default(),
        point
            .map(|p| priogrid_gid(p.lat, p.lon).to_string())
            .unwrap_or_default(),
        country
            .map(|c| c.name.to_string())
            .or_else(|| place.and_then(|p| p.country.clone()))
            .unwrap_or_default(),
        country
            .and_then(|c| c.gwno)
            .map(|g| g.to_string())
            .unwrap_or_default(),
        country
            .map(|c| c.ucdp_region.to_string())
            .unwrap_or_default(),
        if incident.aggregate { "2" } else { "1" }.to_string(),
        date_prec(incident)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        bounds.map(|(s, _)| iso_date(s)).unwrap_or_default(),
        bounds.map(|(_, e)| iso_date(e)).unwrap_or_default(),
        "0".to_string(),
        "0".to_string(),
        deaths_civilians.to_string(),
        deaths_unknown.to_string(),
        num(best),
        num(high),
        num(low),
        gwno_of_side(&side_a),
        gwno_of_side(&side_b),
    ]
}

/// Streams incidents as UCDP GED CSV rows.
pub(crate) struct UcdpWriter<W: Write> {
    csv: crate::csvout::CsvOut<W>,
}

impl<W: Write> UcdpWriter<W> {
    pub fn new(out: W, config: &Config) -> Result<Self, Error> {
        let csv = crate::csvout::CsvOut::new(out, config, &COLUMNS, numeric_mask())?;
        Ok(UcdpWriter { csv })
    }

    pub fn write(&mut self, incident: &Incident) -> Result<u64, Error> {
        self.csv.record(&row(incident))?;
        Ok(1)
    }

    pub fn finish(self) -> Result<W, Error> {
        self.csv.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priogrid_cells_count_from_the_south_west() {
        assert_eq!(priogrid_gid(-90.0, -180.0), 1);
        assert_eq!(priogrid_gid(-89.9, -179.4), 2);
        assert_eq!(priogrid_gid(-89.4, -180.0), 721);
        assert_eq!(priogrid_gid(90.0, 180.0), 259_200);
        // Damascus: row floor(123.51 / 0.5) = 247, column floor(216.29 / 0.5) = 432.
        assert_eq!(priogrid_gid(33.51, 36.29), 247 * 720 + 432 + 1);
    }
}
