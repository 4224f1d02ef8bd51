//! The `claims-csv` layout: one row per figure claim, so that researchers can audit every number
//! behind an incident's estimate: who said it, in which report, in which words, and how it was
//! qualified. An incident without claims writes no row.

use std::io::Write;

use vigil_model::Incident;

use crate::fields::{self, iso_date, num};
use crate::{Config, Error};

/// The columns, in order.
pub const COLUMNS: [&str; 21] = [
    "incident_id",
    "kind",
    "claimant",
    "claimant_mention",
    "qualifier",
    "low",
    "high",
    "text",
    "report_id",
    "report_published",
    "superseded",
    "partisan",
    "span_start",
    "span_end",
    "figure_low",
    "figure_best",
    "figure_high",
    "event_date_start",
    "event_date_end",
    "location",
    "country",
];

const NUMERIC: [&str; 9] = [
    "low",
    "high",
    "span_start",
    "span_end",
    "figure_low",
    "figure_best",
    "figure_high",
    "superseded",
    "partisan",
];

pub(crate) fn numeric_mask() -> Vec<bool> {
    COLUMNS.iter().map(|c| NUMERIC.contains(c)).collect()
}

/// The claim rows of one incident, in figure-kind order, then in the incident's claim order.
pub fn rows(incident: &Incident) -> Vec<Vec<String>> {
    let bounds = incident.date.bounds();
    let place = incident.place.as_ref();
    let mut rows = Vec::new();
    for (kind, figure) in &incident.figures {
        for claim in &figure.claims {
            rows.push(vec![
                incident.id.clone(),
                kind.code().to_string(),
                claim.claimant.clone().unwrap_or_default(),
                claim.claimant_mention.clone().unwrap_or_default(),
                fields::qualifier_code(claim.qualifier).to_string(),
                num(claim.low),
                num(claim.high),
                claim.text.clone(),
                claim.report.clone().unwrap_or_default(),
                claim.published.map(iso_date).unwrap_or_default(),
                u8::from(claim.superseded).to_string(),
                u8::from(claim.partisan).to_string(),
                claim.span.start.to_string(),
                claim.span.end.to_string(),
                num(figure.low),
                num(figure.best),
                num(figure.high),
                bounds.map(|(s, _)| iso_date(s)).unwrap_or_default(),
                bounds.map(|(_, e)| iso_date(e)).unwrap_or_default(),
                place.map(|p| p.name.clone()).unwrap_or_default(),
                place.and_then(|p| p.country.clone()).unwrap_or_default(),
            ]);
        }
    }
    rows
}

pub(crate) struct ClaimsWriter<W: Write> {
    csv: crate::csvout::CsvOut<W>,
}

impl<W: Write> ClaimsWriter<W> {
    pub fn new(out: W, config: &Config) -> Result<Self, Error> {
        let csv = crate::csvout::CsvOut::new(out, config, &COLUMNS, numeric_mask())?;
        Ok(ClaimsWriter { csv })
    }

    pub fn write(&mut self, incident: &Incident) -> Result<u64, Error> {
        let rows = rows(incident);
        for row in &rows {
            self.csv.record(row)?;
        }
        Ok(rows.len() as u64)
    }

    pub fn finish(self) -> Result<W, Error> {
        self.csv.finish()
    }
}
