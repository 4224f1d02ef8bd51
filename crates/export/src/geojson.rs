//! The `geojson` layout: one RFC 7946 FeatureCollection, one Feature per incident, written as it
//! streams (the collection is opened, features follow one per line, the collection is closed).
//!
//! - **Geometry**: a Point `[longitude, latitude]` in WGS84, as RFC 7946 requires (no `crs`
//!   member), to six decimals (RFC 7946 §11.2). An incident without usable coordinates (no place, or coordinates that are not
//!   finite or out of range) is *unlocated*: by default it is written with `"geometry": null`,
//!   which RFC 7946 §3.2 allows for unlocated features and QGIS loads as a row without a shape;
//!   with [`Unlocated::Skip`](crate::Unlocated::Skip) it is left out and counted in
//!   [`Summary::skipped`](crate::Summary::skipped).
//! - **Properties** are flat scalars (strings, integers, booleans, null), the same keys in every
//!   feature and one type per key, so that QGIS/OGR builds one attribute table with typed fields.
//!   Lists (actors, outlets, flags) are joined with "; ". Figures are `killed_best`,
//!   `killed_low`, `killed_high`, and the same for injured, abducted, detained and missing.
//! - The feature's `id` is the incident id.

use std::io::{BufWriter, Write};

use serde::Serialize;
use vigil_model::{FigureKind, Incident};

use crate::fields::{self, iso_date};
use crate::{Config, Error, Unlocated};

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Option<Point>,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

/// The properties of a feature. Field order is the attribute table's column order.
#[derive(Serialize)]
struct Properties<'a> {
    id: &'a str,
    event_type: &'static str,
    sub_event_type: &'static str,
    event_type_name: &'static str,
    sub_event_type_name: &'static str,
    date_start: Option<String>,
    date_end: Option<String>,
    date_precision: &'static str,
    location: Option<&'a str>,
    admin1: Option<&'a str>,
    admin2: Option<&'a str>,
    country: Option<&'a str>,
    geonames_id: Option<u64>,
    place_precision: Option<&'static str>,
    place_mention: Option<&'a str>,
    perpetrators: String,
    targets: String,
    victims: &'static str,
    victim_identity: Option<&'a str>,
    killed_best: Option<u64>,
    killed_low: Option<u64>,
    killed_high: Option<u64>,
    injured_best: Option<u64>,
    injured_low: Option<u64>,
    injured_high: Option<u64>,
    abducted_best: Option<u64>,
    abducted_low: Option<u64>,
    abducted_high: Option<u64>,
    detained_best: Option<u64>,
    detained_low: Option<u64>,
    detained_high: Option<u64>,
    missing_best: Option<u64>,
    missing_low: Option<u64>,
    missing_high: Option<u64>,
    claims: u64,
    reports: u64,
    sources: String,
    first_published: Option<String>,
    historical: bool,
    aggregate: bool,
    part_of: Option<&'a str>,
    flags: String,
}

fn triple(incident: &Incident, kind: FigureKind) -> [Option<u64>; 3] {
    match fields::figure(incident, kind) {
        Some(f) => [f.best, f.low, f.high],
        None => [None; 3],
    }
}

fn feature<'a>(incident: &'a Incident, geometry: Option<Point>) -> Feature<'a> {
    let place = incident.place.as_ref();
    let bounds = incident.date.bounds();
    let [killed_best, killed_low, killed_high] = triple(incident, FigureKind::Killed);
    let [injured_best, injured_low, injured_high] = triple(incident, FigureKind::Injured);
    let [abducted_best, abducted_low, abducted_high] = triple(incident, FigureKind::Abducted);
    let [detained_best, detained_low, detained_high] = triple(incident, FigureKind::Detained);
    let [missing_best, missing_low, missing_high] = triple(incident, FigureKind::Missing);
    Feature {
        kind: "Feature",
        id: &incident.id,
        geometry,
        properties: Properties {
            id: &incident.id,
            event_type: incident.event_type.code(),
            sub_event_type: incident.sub_event_type.code(),
            event_type_name: incident.event_type.acled_name(),
            sub_event_type_name: incident.sub_event_type.acled_name(),
            date_start: bounds.map(|(s, _)| iso_date(s)),
            date_end: bounds.map(|(_, e)| iso_date(e)),
            date_precision: fields::date_precision_code(incident.date.precision),
            location: place.map(|p| p.name.as_str()),
            admin1: place.and_then(|p| p.admin1.as_deref()),
            admin2: place.and_then(|p| p.admin2.as_deref()),
            country: place.and_then(|p| p.country.as_deref()),
            geonames_id: place.and_then(|p| p.geonames_id),
            place_precision: place.map(|p| p.precision.code()),
            place_mention: place.and_then(|p| p.mention.as_deref()),
            perpetrators: fields::join_names(fields::perpetrators(incident)),
            targets: fields::join_names(fields::targets(incident)),
            victims: fields::victims_code(incident.victims),
            victim_identity: incident.victim_identity.as_deref(),
            killed_best,
            killed_low,
            killed_high,
            injured_best,
            injured_low,
            injured_high,
            abducted_best,
            abducted_low,
            abducted_high,
            detained_best,
            detained_low,
            detained_high,
            missing_best,
            missing_low,
            missing_high,
            claims: incident
                .figures
                .values()
                .map(|f| f.claims.len() as u64)
                .sum(),
            reports: incident.reports.len() as u64,
            sources: fields::outlets(incident),
            first_published: incident
                .reports
                .iter()
                .filter_map(|r| r.published)
                .min()
                .map(iso_date),
            historical: incident.historical,
            aggregate: incident.aggregate,
            part_of: incident.part_of.as_deref(),
            flags: fields::join_distinct(incident.flags.iter().map(|f| f.code.as_str())),
        },
    }
}

/// Six decimals (about 10 cm), the precision RFC 7946 §11.2 recommends: more only adds bytes
/// (and the noise of single-precision gazetteer coordinates).
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub(crate) struct GeoJsonWriter<W: Write> {
    out: BufWriter<W>,
    first: bool,
    unlocated: Unlocated,
}

impl<W: Write> GeoJsonWriter<W> {
    pub fn new(out: W, config: &Config) -> Result<Self, Error> {
        let mut out = BufWriter::with_capacity(64 * 1024, out);
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
        Ok(GeoJsonWriter {
            out,
            first: true,
            unlocated: config.unlocated,
        })
    }

    /// Writes the incident's feature; returns the number of features written (0 when skipped).
    pub fn write(&mut self, incident: &Incident) -> Result<u64, Error> {
        let geometry = fields::located(incident.place.as_ref()).map(|p| Point {
            kind: "Point",
            coordinates: [round6(p.lon), round6(p.lat)],
        });
        if geometry.is_none() && self.unlocated == Unlocated::Skip {
            return Ok(0);
        }
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, &feature(incident, geometry))?;
        Ok(1)
    }

    pub fn finish(mut self) -> Result<W, Error> {
        self.out.write_all(b"\n]}\n")?;
        self.out.into_inner().map_err(|e| Error::Io(e.into_error()))
    }
}
