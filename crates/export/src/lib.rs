//! Exports: vigil's incidents in the formats analysts already load into their own tools, and the
//! reading of the two reference datasets they compare them with.
//!
//! An analyst's incident table goes to Excel and pandas (CSV), to R and DuckDB (Parquet), to
//! QGIS (GeoJSON), and next to ACLED and UCDP (their own column layouts, so that the same scripts
//! read both). Each [`Format`] is a streaming writer: a [`Writer`] takes one
//! [`vigil_model::Incident`] at a time and keeps nothing of it once written, except Parquet,
//! which holds one record batch and one row group at most. A store of millions of incidents
//! exports in constant memory.
//!
//! | format | what | one row per |
//! |---|---|---|
//! | [`Format::AcledCsv`] | ACLED's public export columns, names and codes ([`acled`]) | incident |
//! | [`Format::UcdpCsv`] | UCDP GED's 49 columns and precision codes ([`ucdp`]) | incident |
//! | [`Format::GeoJson`] | an RFC 7946 FeatureCollection with flat properties ([`geojson`]) | incident |
//! | [`Format::Parquet`] | typed columns, nested claims, Snappy, row groups ([`parquet`], feature `parquet`) | incident |
//! | [`Format::Jsonl`] | vigil's own JSON of the whole incident: the lossless form ([`jsonl`]) | incident |
//! | [`Format::ClaimsCsv`] | every figure claim with its claimant, report and words ([`claims`]) | claim |
//!
//! Every mapping decision, and every column vigil's data cannot fill, is written in the module of
//! its format and collected in `docs/EXPORTS.md`.
//!
//! **CSV and spreadsheets.** A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is run as a formula when the file is opened in Excel, LibreOffice or Google Sheets
//! (CSV injection); report text is untrusted, so by default such a cell is written with a leading
//! apostrophe, which spreadsheets show as text. A cell that itself begins with an apostrophe gets
//! a second one, so the rule is exactly reversible: [`unguard`] (remove one leading apostrophe)
//! gives back the text. Numeric columns are never touched. [`Config::formula_guard`] turns the
//! guard off for pipelines that never meet a spreadsheet; [`Config::byte_order_mark`] adds the
//! UTF-8 mark Excel needs to read Arabic text correctly.
//!
//! **Reference datasets.** [`reference`] reads ACLED and UCDP CSV files row by row into
//! [`vigil_model::ReferenceEvent`]s (bad rows are reported with their line and skipped), and
//! [`compare`] scores how well a reference event matches an incident, for `vigil compare`.
//!
//! The crate depends on `vigil-model` alone and reads nothing but what it is given.
//!
//! ```
//! use vigil_export::{Config, Format, export};
//! use vigil_model::*;
//!
//! let incident = Incident {
//!     id: "inc-1".into(), event_type: EventType::ViolenceAgainstCivilians,
//!     sub_event_type: SubEventType::Attack, date: DateRange::day(jiff::civil::date(2025, 3, 7)),
//!     place: Some(Place { name: "Baniyas".into(), geonames_id: Some(173576),
//!         admin1: Some("Tartus".into()), admin2: None, country: Some("SY".into()),
//!         lat: 35.18, lon: 35.94, precision: PlacePrecision::Settlement, mention: None, span: None }),
//!     actors: vec![], victims: Victims::Civilians, victim_identity: None,
//!     figures: Default::default(), historical: false, aggregate: false, reports: vec![],
//!     part_of: None, flags: vec![],
//! };
//! let mut out = Vec::new();
//! let summary = export(Format::AcledCsv, [incident], &mut out, &Config::default())?;
//! assert_eq!(summary.rows, 1);
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.starts_with("event_id_cnty,event_date,year,time_precision,disorder_type"));
//! assert!(text.contains("inc-1,2025-03-07,2025,1,Political violence,Violence against civilians,Attack"));
//! assert!(text.contains("Civilians (Syria),,7,70,Civilian targeting,760,Middle East,Syria,Tartus"));
//! # Ok::<(), vigil_export::Error>(())
//! ```

pub mod acled;
pub mod claims;
pub mod compare;
pub mod countries;
mod csvout;
pub mod fields;
pub mod geojson;
pub mod jsonl;
mod notes;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod reference;
pub mod ucdp;

use std::borrow::Borrow;
use std::fmt;
use std::io::Write;

use vigil_model::Incident;

pub use fields::{guard, unguard};
pub use notes::notes;

/// Everything that can go wrong while exporting or reading a reference file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[cfg(feature = "parquet")]
    #[error("parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
    #[cfg(feature = "parquet")]
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error("unknown format {0:?} (expected one of: {list})", list = Format::names().join(", "))]
    UnknownFormat(String),
    #[error("this build of vigil has no {0} support (cargo feature `parquet`)")]
    Unavailable(&'static str),
    #[error("not a {dataset} file: {reason}")]
    NotReference {
        dataset: &'static str,
        reason: String,
    },
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    AcledCsv,
    UcdpCsv,
    GeoJson,
    Parquet,
    Jsonl,
    ClaimsCsv,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::AcledCsv,
        Format::UcdpCsv,
        Format::GeoJson,
        Format::Parquet,
        Format::Jsonl,
        Format::ClaimsCsv,
    ];

    /// The name on the command line (`acled-csv`).
    pub fn name(self) -> &'static str {
        match self {
            Format::AcledCsv => "acled-csv",
            Format::UcdpCsv => "ucdp-csv",
            Format::GeoJson => "geojson",
            Format::Parquet => "parquet",
            Format::Jsonl => "jsonl",
            Format::ClaimsCsv => "claims-csv",
        }
    }

    pub fn names() -> Vec<&'static str> {
        Format::ALL.iter().map(|f| f.name()).collect()
    }

    pub fn from_name(name: &str) -> Result<Format, Error> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| Error::UnknownFormat(name.to_string()))
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::AcledCsv | Format::UcdpCsv | Format::ClaimsCsv => "csv",
            Format::GeoJson => "geojson",
            Format::Parquet => "parquet",
            Format::Jsonl => "jsonl",
        }
    }

    /// True for formats that are not text (not to be printed on a terminal).
    pub fn is_binary(self) -> bool {
        self == Format::Parquet
    }

    /// True when this build can write the format.
    pub fn is_available(self) -> bool {
        self != Format::Parquet || cfg!(feature = "parquet")
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do with an incident that has no usable coordinates, in formats that need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unlocated {
    /// Write it with a null geometry (RFC 7946 §3.2: an unlocated feature).
    #[default]
    NullGeometry,
    /// Leave it out, and count it in [`Summary::skipped`].
    Skip,
}

/// Export options. `Config::default()` is what `vigil export` uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Neutralise CSV cells that a spreadsheet would run as formulas (see the crate docs).
    pub formula_guard: bool,
    /// Start CSV files with a UTF-8 byte order mark, which Excel needs to detect UTF-8.
    pub byte_order_mark: bool,
    /// ACLED's `timestamp` column, in Unix seconds: when the rows were exported. `None` leaves it
    /// empty (and keeps output byte-for-byte reproducible).
    pub timestamp: Option<i64>,
    /// GeoJSON: what to do with incidents without coordinates.
    pub unlocated: Unlocated,
    /// Parquet: incidents per record batch handed to the Parquet writer.
    pub batch_rows: usize,
    /// Parquet: rows per row group at most (a row group also closes at 64 MiB encoded).
    pub row_group_rows: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            formula_guard: true,
            byte_order_mark: false,
            timestamp: None,
            unlocated: Unlocated::NullGeometry,
            batch_rows: 8192,
            row_group_rows: 65_536,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Incidents given to the writer.
    pub incidents: u64,
    /// Rows (features, lines) written: one per incident, or one per claim for `claims-csv`.
    pub rows: u64,
    /// Incidents left out (GeoJSON with [`Unlocated::Skip`]).
    pub skipped: u64,
}

enum Inner<W: Write + Send> {
    Acled(acled::AcledWriter<W>),
    Ucdp(ucdp::UcdpWriter<W>),
    Claims(claims::ClaimsWriter<W>),
    GeoJson(geojson::GeoJsonWriter<W>),
    Jsonl(jsonl::JsonlWriter<W>),
    #[cfg(feature = "parquet")]
    Parquet(Box<parquet::ParquetWriter<W>>),
}

/// A streaming export: push incidents one at a time with [`Writer::write`], then
/// [`Writer::finish`] to close the file (a GeoJSON collection, a Parquet footer) and get the
/// output back.
pub struct Writer<W: Write + Send> {
    inner: Inner<W>,
    config: Config,
    summary: Summary,
}

impl<W: Write + Send> Writer<W> {
    /// Starts an export to `out`; writes the header at once.
    pub fn new(format: Format, out: W, config: &Config) -> Result<Writer<W>, Error> {
        let inner = match format {
            Format::AcledCsv => Inner::Acled(acled::AcledWriter::new(out, config)?),
            Format::UcdpCsv => Inner::Ucdp(ucdp::UcdpWriter::new(out, config)?),
            Format::ClaimsCsv => Inner::Claims(claims::ClaimsWriter::new(out, config)?),
            Format::GeoJson => Inner::GeoJson(geojson::GeoJsonWriter::new(out, config)?),
            Format::Jsonl => Inner::Jsonl(jsonl::JsonlWriter::new(out)),
            #[cfg(feature = "parquet")]
            Format::Parquet => Inner::Parquet(Box::new(parquet::ParquetWriter::new(out, config)?)),
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => return Err(Error::Unavailable("parquet")),
        };
        Ok(Writer {
            inner,
            config: config.clone(),
            summary: Summary::default(),
        })
    }

    /// Writes one incident.
    pub fn write(&mut self, incident: &Incident) -> Result<(), Error> {
        let rows = match &mut self.inner {
            Inner::Acled(w) => w.write(incident, &self.config)?,
            Inner::Ucdp(w) => w.write(incident)?,
            Inner::Claims(w) => w.write(incident)?,
            Inner::GeoJson(w) => {
                let n = w.write(incident)?;
                if n == 0 {
                    self.summary.skipped += 1;
                }
                n
            }
            Inner::Jsonl(w) => w.write(incident)?,
            #[cfg(feature = "parquet")]
            Inner::Parquet(w) => w.write(incident)?,
        };
        self.summary.incidents += 1;
        self.summary.rows += rows;
        Ok(())
    }

    /// What has been written so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Completes the file and returns the summary and the output, flushed.
    pub fn finish(self) -> Result<(Summary, W), Error> {
        let mut out = match self.inner {
            Inner::Acled(w) => w.finish()?,
            Inner::Ucdp(w) => w.finish()?,
            Inner::Claims(w) => w.finish()?,
            Inner::GeoJson(w) => w.finish()?,
            Inner::Jsonl(w) => w.finish()?,
            #[cfg(feature = "parquet")]
            Inner::Parquet(w) => w.finish()?,
        };
        out.flush()?;
        Ok((self.summary, out))
    }
}

/// The number of records (rows after the header) of a CSV file: what a check of a CSV export
/// counts, quoted newlines included.
pub fn count_csv_records(input: impl std::io::Read) -> Result<u64, Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while reader.read_byte_record(&mut record)? {
        n += 1;
    }
    Ok(n)
}

/// The number of rows a Parquet file declares in its footer.
pub fn parquet_rows(file: std::fs::File) -> Result<u64, Error> {
    #[cfg(feature = "parquet")]
    {
        use ::parquet::file::reader::FileReader;
        let reader = ::parquet::file::serialized_reader::SerializedFileReader::new(file)?;
        Ok(u64::try_from(reader.metadata().file_metadata().num_rows()).unwrap_or(0))
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = file;
        Err(Error::Unavailable("parquet"))
    }
}

/// Writes every incident of `incidents` to `out` in `format`: the one-call form of [`Writer`].
pub fn export<W, I>(format: Format, incidents: I, out: W, config: &Config) -> Result<Summary, Error>
where
    W: Write + Send,
    I: IntoIterator,
    I::Item: Borrow<Incident>,
{
    let mut writer = Writer::new(format, out, config)?;
    for incident in incidents {
        writer.write(incident.borrow())?;
    }
    Ok(writer.finish()?.0)
}
