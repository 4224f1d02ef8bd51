//! The `jsonl` layout: one incident per line, as vigil's own JSON (the serde form of
//! `vigil_model::Incident`): every actor, claim, report, flag and rationale. It is the lossless
//! export: reading a line back with serde gives the same incident.

use std::io::{BufWriter, Write};

use vigil_model::Incident;

use crate::Error;

pub(crate) struct JsonlWriter<W: Write> {
    out: BufWriter<W>,
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W) -> Self {
        JsonlWriter {
            out: BufWriter::with_capacity(64 * 1024, out),
        }
    }

    pub fn write(&mut self, incident: &Incident) -> Result<u64, Error> {
        serde_json::to_writer(&mut self.out, incident)?;
        self.out.write_all(b"\n")?;
        Ok(1)
    }

    pub fn finish(self) -> Result<W, Error> {
        self.out.into_inner().map_err(|e| Error::Io(e.into_error()))
    }
}
