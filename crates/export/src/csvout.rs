//! The CSV writer every CSV layout shares: RFC 4180 quoting (csv crate), an optional UTF-8 byte
//! order mark for Excel, and the formula guard on text columns.

use std::io::Write;

use crate::{Config, Error, fields};

pub(crate) struct CsvOut<W: Write> {
    csv: csv::Writer<W>,
    numeric: Vec<bool>,
    guard: bool,
}

impl<W: Write> CsvOut<W> {
    /// Writes the byte order mark (when asked) and the header.
    pub fn new(
        mut out: W,
        config: &Config,
        columns: &[&str],
        numeric: Vec<bool>,
    ) -> Result<Self, Error> {
        if config.byte_order_mark {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut csv = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        csv.write_record(columns)?;
        Ok(CsvOut {
            csv,
            numeric,
            guard: config.formula_guard,
        })
    }

    pub fn record(&mut self, cells: &[String]) -> Result<(), Error> {
        debug_assert_eq!(cells.len(), self.numeric.len());
        for (cell, &numeric) in cells.iter().zip(&self.numeric) {
            if self.guard && !numeric {
                self.csv.write_field(fields::guard(cell).as_bytes())?;
            } else {
                self.csv.write_field(cell.as_bytes())?;
            }
        }
        self.csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub fn finish(self) -> Result<W, Error> {
        self.csv.into_inner().map_err(|e| Error::Io(e.into_error()))
    }
}
