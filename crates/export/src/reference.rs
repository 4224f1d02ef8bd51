//! Reading reference datasets: an ACLED export CSV or a UCDP GED CSV, row by row, into
//! [`ReferenceEvent`]s.
//!
//! Columns are found by name (case-insensitive, any order, extra columns kept), because both
//! projects have added, removed and moved columns between releases. A file without the columns
//! that identify its dataset (ACLED: `event_id_cnty`, `event_date`; UCDP: `id`, `date_start`) is
//! refused as a whole. After that, each row either becomes an event or a [`BadRow`] with its line
//! number and reason; a bad row never stops the file.
//!
//! Reading is streaming: [`ReferenceRows`] is an iterator holding one row at a time.
//!
//! - **ACLED** `event_date` is read as `YYYY-MM-DD` (the API and current exports), `DD Month
//!   YYYY` or `DD-Month-YYYY` (older exports, full or three-letter month names) and `DD/MM/YYYY`.
//!   `time_precision` becomes the date's precision (1 day, 2 week, 3 month): the date stays the
//!   day ACLED coded, and comparison widens its window by the precision. `fatalities` is best,
//!   low and high at once. The country code comes from `iso` (ISO numeric), else from `country`.
//! - **UCDP** `date_start` / `date_end` may carry a time (`2017-01-01 00:00:00.000`), which is
//!   dropped. `date_prec` 1-5 becomes day, range, week, month, year. `type_of_violence` 1-3 is
//!   kept as "state-based", "non-state", "one-sided". The country code comes from `country_id`
//!   (Gleditsch & Ward), else from `country`.

use std::io::Read;

use jiff::civil::Date;
use serde_json::{Map, Value};
use vigil_model::{DatePrecision, DateRange, EventType, ReferenceDataset, ReferenceEvent};

use crate::{Error, countries};

/// A row that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// 1-based line number in the file where the row starts.
    pub line: u64,
    pub reason: String,
}

/// Rows of a reference file, one at a time.
pub struct ReferenceRows<R: Read> {
    dataset: ReferenceDataset,
    csv: csv::Reader<R>,
    headers: Vec<String>,
    record: csv::ByteRecord,
    /// Set after an I/O error: the reader cannot go on.
    done: bool,
}

/// Opens a reference file: reads and checks its header.
pub fn read_rows<R: Read>(dataset: ReferenceDataset, input: R) -> Result<ReferenceRows<R>, Error> {
    // Records end at `\n` only, and a `\r` before it is removed from the last cell: with the
    // csv crate's default CRLF handling, line numbers after a `\r\n` line end are one short.
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input);
    let not_reference = |reason: String| Error::NotReference {
        dataset: dataset_name(dataset),
        reason,
    };
    let headers: Vec<String> = csv
        .byte_headers()
        .map_err(|e| not_reference(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
        .collect();
    let required: &[&str] = match dataset {
        ReferenceDataset::Acled => &["event_id_cnty", "event_date"],
        ReferenceDataset::Ucdp => &["id", "date_start"],
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        return Err(not_reference(format!(
            "the header has no {} column",
            missing.join(", ")
        )));
    }
    Ok(ReferenceRows {
        dataset,
        csv,
        headers,
        record: csv::ByteRecord::new(),
        done: false,
    })
}

fn dataset_name(dataset: ReferenceDataset) -> &'static str {
    match dataset {
        ReferenceDataset::Acled => "ACLED",
        ReferenceDataset::Ucdp => "UCDP GED",
    }
}

impl<R: Read> Iterator for ReferenceRows<R> {
    type Item = Result<ReferenceEvent, BadRow>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let read = loop {
            let read = self.csv.read_byte_record(&mut self.record);
            // A blank line with a CRLF ending reads as one cell holding `\r`.
            let blank = matches!(read, Ok(true))
                && self.record.len() == 1
                && self.record.get(0) == Some(b"\r".as_slice());
            if !blank {
                break read;
            }
        };
        match read {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map(|p| p.line()).unwrap_or(0);
                Some(self.parse().map_err(|reason| BadRow { line, reason }))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                // An I/O error ends the file; a CSV syntax error is one bad row.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                    return Some(Err(BadRow {
                        line,
                        reason: format!("read failed, rest of the file abandoned: {e}"),
                    }));
                }
                Some(Err(BadRow {
                    line,
                    reason: e.to_string(),
                }))
            }
        }
    }
}

/// The cells of one row by column name.
struct Row {
    map: Map<String, Value>,
}

impl Row {
    fn get(&self, name: &str) -> Option<&str> {
        self.map
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => {
                // Some spreadsheets write integers as "3.0".
                let v = v.strip_suffix(".0").unwrap_or(v);
                v.parse()
                    .map(Some)
                    .map_err(|_| format!("{name} {v:?} is not a number"))
            }
        }
    }

    fn coordinate(&self, name: &str, limit: f64) -> Result<Option<f64>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x.abs() <= limit => Ok(Some(x)),
                _ => Err(format!("{name} {v:?} is not a coordinate")),
            },
        }
    }
}

impl<R: Read> ReferenceRows<R> {
    fn parse(&self) -> Result<ReferenceEvent, String> {
        if self.record.len() != self.headers.len() {
            return Err(format!(
                "the row has {} fields, the header {}",
                self.record.len(),
                self.headers.len()
            ));
        }
        let mut map = Map::new();
        let last = self.headers.len().saturating_sub(1);
        for (i, (header, cell)) in self.headers.iter().zip(self.record.iter()).enumerate() {
            let cell = if i == last {
                cell.strip_suffix(b"\r").unwrap_or(cell)
            } else {
                cell
            };
            let cell = std::str::from_utf8(cell)
                .map_err(|_| format!("column {header} is not valid UTF-8"))?;
            map.insert(header.clone(), Value::String(cell.to_string()));
        }
        let row = Row { map };
        match self.dataset {
            ReferenceDataset::Acled => acled_event(row),
            ReferenceDataset::Ucdp => ucdp_event(row),
        }
    }
}

fn acled_event(row: Row) -> Result<ReferenceEvent, String> {
    let event_id = row.text("event_id_cnty").ok_or("event_id_cnty is empty")?;
    let raw_date = row.get("event_date").ok_or("event_date is empty")?;
    let day =
        parse_date(raw_date).ok_or_else(|| format!("event_date {raw_date:?} is not a date"))?;
    let precision = match row.number::<u8>("time_precision")? {
        None | Some(1) => DatePrecision::Day,
        Some(2) => DatePrecision::Week,
        Some(3) => DatePrecision::Month,
        Some(other) => return Err(format!("time_precision {other} is not 1, 2 or 3")),
    };
    let fatalities: Option<u64> = row.number("fatalities")?;
    let country = row.text("country");
    let country_code = row
        .number::<u16>("iso")
        .ok()
        .flatten()
        .and_then(countries::alpha2_from_numeric)
        .or_else(|| country.as_deref().and_then(countries::alpha2_from_name))
        .map(str::to_string);
    let event_type = row.text("event_type");
    let vigil_event_type = event_type.as_deref().and_then(|t| {
        EventType::ALL
            .into_iter()
            .find(|e| e.acled_name().eq_ignore_ascii_case(t))
    });
    Ok(ReferenceEvent {
        dataset: ReferenceDataset::Acled,
        event_id,
        date: DateRange {
            start: Some(day),
            end: Some(day),
            precision,
        },
        lat: row.coordinate("latitude", 90.0)?,
        lon: row.coordinate("longitude", 180.0)?,
        geo_precision: row.number("geo_precision")?,
        country,
        country_code,
        admin1: row.text("admin1"),
        admin2: row.text("admin2"),
        location: row.text("location"),
        event_type,
        sub_event_type: row.text("sub_event_type"),
        vigil_event_type,
        actor1: row.text("actor1"),
        actor2: row.text("actor2"),
        fatalities_best: fatalities,
        fatalities_low: fatalities,
        fatalities_high: fatalities,
        notes: row.text("notes"),
        original: row.map,
    })
}

fn ucdp_event(row: Row) -> Result<ReferenceEvent, String> {
    let event_id = row.text("id").ok_or("id is empty")?;
    let raw_start = row.get("date_start").ok_or("date_start is empty")?;
    let start =
        parse_date(raw_start).ok_or_else(|| format!("date_start {raw_start:?} is not a date"))?;
    let end = match row.get("date_end") {
        None => start,
        Some(raw) => parse_date(raw).ok_or_else(|| format!("date_end {raw:?} is not a date"))?,
    };
    if end < start {
        return Err(format!("date_end {end} is before date_start {start}"));
    }
    let precision = match row.number::<u8>("date_prec")? {
        _ if start == end => DatePrecision::Day,
        None | Some(1 | 2) => DatePrecision::Range,
        Some(3) => DatePrecision::Week,
        Some(4) => DatePrecision::Month,
        Some(5) => DatePrecision::Year,
        Some(other) => return Err(format!("date_prec {other} is not 1 to 5")),
    };
    let event_type = match row.number::<u8>("type_of_violence")? {
        None => None,
        Some(1) => Some("state-based".to_string()),
        Some(2) => Some("non-state".to_string()),
        Some(3) => Some("one-sided".to_string()),
        Some(other) => return Err(format!("type_of_violence {other} is not 1, 2 or 3")),
    };
    let country = row.text("country");
    let country_code = row
        .number::<u16>("country_id")
        .ok()
        .flatten()
        .and_then(countries::alpha2_from_gwno)
        .or_else(|| country.as_deref().and_then(countries::alpha2_from_name))
        .map(str::to_string);
    Ok(ReferenceEvent {
        dataset: ReferenceDataset::Ucdp,
        event_id,
        date: DateRange {
            start: Some(start),
            end: Some(end),
            precision,
        },
        lat: row.coordinate("latitude", 90.0)?,
        lon: row.coordinate("longitude", 180.0)?,
        geo_precision: row.number("where_prec")?,
        country,
        country_code,
        admin1: row.text("adm_1"),
        admin2: row.text("adm_2"),
        location: row.text("where_coordinates"),
        event_type,
        sub_event_type: None,
        vigil_event_type: None,
        actor1: row.text("side_a"),
        actor2: row.text("side_b"),
        fatalities_best: row.number("best")?,
        fatalities_low: row.number("low")?,
        fatalities_high: row.number("high")?,
        notes: row.text("source_headline"),
        original: row.map,
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(name: &str) -> Option<i8> {
    let name = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == name || (name.len() == 3 && m.starts_with(&name)))
        .map(|i| i as i8 + 1)
}

/// Reads the date forms the two datasets have published.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    // `2025-03-07`, optionally followed by a time.
    if text.len() >= 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' {
        let (y, m, d) = (&text[..4], &text[5..7], &text[8..10]);
        if text.len() == 10 || matches!(text.as_bytes()[10], b' ' | b'T') {
            return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok();
        }
    }
    let parts: Vec<&str> = text
        .split([' ', '-', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let [d, m, y] = parts[..] else {
        return None;
    };
    let day: i8 = d.parse().ok()?;
    let month = m.parse::<i8>().ok().or_else(|| month_number(m))?;
    let year: i16 = match y.parse::<i16>().ok()? {
        y @ 0..=99 => 2000 + y,
        y => y,
    };
    Date::new(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_every_published_form() {
        for text in [
            "2025-03-07",
            "2025-03-07 00:00:00.000",
            "07 March 2025",
            "7 March 2025",
            "07-March-2025",
            "07-Mar-2025",
            "07/03/2025",
        ] {
            assert_eq!(parse_date(text), Some(date(2025, 3, 7)), "{text}");
        }
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
