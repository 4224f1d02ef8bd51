//! Reference events: rows of another project's event data (ACLED, UCDP GED) imported so that
//! vigil's incidents can be compared with them.
//!
//! The fields are the handful a comparison needs (when, where, what, who, how many), in vigil's
//! vocabulary where the two agree (dates, coordinates, ISO country codes); everything else stays
//! in `original`, the row as read, so nothing of the source is lost.

use serde::{Deserialize, Serialize};

use crate::{DateRange, EventType};

/// The project a reference event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceDataset {
    /// Armed Conflict Location & Event Data (acleddata.com): a public export CSV.
    Acled,
    /// UCDP Georeferenced Event Dataset (ucdp.uu.se): the GED CSV.
    Ucdp,
}

impl ReferenceDataset {
    pub const ALL: [ReferenceDataset; 2] = [ReferenceDataset::Acled, ReferenceDataset::Ucdp];

    pub fn code(self) -> &'static str {
        match self {
            ReferenceDataset::Acled => "acled",
            ReferenceDataset::Ucdp => "ucdp",
        }
    }

    pub fn from_code(code: &str) -> Option<ReferenceDataset> {
        ReferenceDataset::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// One event of a reference dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceEvent {
    pub dataset: ReferenceDataset,
    /// The dataset's own identifier (ACLED `event_id_cnty`, UCDP `id`).
    pub event_id: String,
    pub date: DateRange,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The dataset's own location precision code (ACLED `geo_precision` 1-3, UCDP `where_prec` 1-7).
    pub geo_precision: Option<u8>,
    /// Country as the dataset names it.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code, when the country could be identified.
    pub country_code: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub location: Option<String>,
    /// The dataset's own event classification (ACLED `event_type`; UCDP `type_of_violence` as
    /// "state-based", "non-state" or "one-sided").
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    /// The event type in vigil's vocabulary, when the dataset's classification maps onto it
    /// (ACLED's event types do; UCDP's types of violence do not).
    pub vigil_event_type: Option<EventType>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    /// Fatalities: ACLED's `fatalities` is one number (best = low = high); UCDP gives best, low, high.
    pub fatalities_best: Option<u64>,
    pub fatalities_low: Option<u64>,
    pub fatalities_high: Option<u64>,
    pub notes: Option<String>,
    /// The row as read: a JSON object from column name to cell text.
    pub original: serde_json::Map<String, serde_json::Value>,
}
