//! The `parquet` layout: one row per incident with typed columns, Snappy-compressed, written in
//! row groups so that memory stays bounded whatever the number of incidents.
//!
//! Types are the ones every reader maps cleanly (pyarrow, pandas, DuckDB, R's arrow, Spark):
//! dates are `Date32` (days since 1970), figures and ids are `Int64` (a figure above
//! 9,223,372,036,854,775,807, which no report gives, is written as null), coordinates `Float64`,
//! flags `Boolean`, and vigil's enum values their snake-case codes as strings. Nested data are
//! lists of structs: `actors`, `figures` (with the rationale of each estimate), `claims`,
//! `reports` and `flags`. Flat convenience columns (`actor1`, `actor2`, `killed_best` ... ,
//! `sources`) repeat what an analyst filters on most, so that no unnesting is needed for it.
//!
//! Incidents are gathered into record batches of [`Config::batch_rows`](crate::Config) rows;
//! the Arrow writer closes a row group every
//! [`Config::row_group_rows`](crate::Config) rows or 64 MiB of encoded data, whichever comes
//! first. Peak memory is one batch of incidents plus one row group of encoded pages.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, OffsetBufferBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use vigil_model::{FigureKind, Incident};

use crate::fields::{self, epoch_days};
use crate::{Config, Error};

fn utf8(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}
fn int64(name: &str) -> Field {
    Field::new(name, DataType::Int64, true)
}
fn date32(name: &str) -> Field {
    Field::new(name, DataType::Date32, true)
}
fn boolean(name: &str) -> Field {
    Field::new(name, DataType::Boolean, false)
}
fn list_of(name: &str, fields: Fields) -> Field {
    Field::new_list(
        name,
        Field::new_list_field(DataType::Struct(fields), false),
        false,
    )
}

fn actor_fields() -> Fields {
    Fields::from(vec![
        Field::new("name", DataType::Utf8, false),
        Field::new("mention", DataType::Utf8, false),
        Field::new("role", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        utf8("claimant"),
    ])
}

fn figure_fields() -> Fields {
    Fields::from(vec![
        Field::new("kind", DataType::Utf8, false),
        int64("low"),
        int64("best"),
        int64("high"),
        utf8("rationale"),
    ])
}

fn claim_fields() -> Fields {
    Fields::from(vec![
        Field::new("kind", DataType::Utf8, false),
        int64("low"),
        int64("high"),
        Field::new("qualifier", DataType::Utf8, false),
        Field::new("text", DataType::Utf8, false),
        utf8("claimant"),
        utf8("claimant_mention"),
        utf8("report"),
        date32("published"),
        boolean("superseded"),
        boolean("partisan"),
        Field::new("span_start", DataType::Int64, false),
        Field::new("span_end", DataType::Int64, false),
    ])
}

fn report_fields() -> Fields {
    Fields::from(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("source", DataType::Utf8, false),
        utf8("title"),
        date32("published"),
    ])
}

fn flag_fields() -> Fields {
    Fields::from(vec![
        Field::new("code", DataType::Utf8, false),
        Field::new("detail", DataType::Utf8, false),
    ])
}

/// The kinds with flat `<kind>_best/_low/_high` columns, in column order.
const FLAT_KINDS: [FigureKind; 5] = FigureKind::ALL;

/// The Arrow schema of the file.
pub fn schema() -> Schema {
    let mut fields = vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("event_type", DataType::Utf8, false),
        Field::new("sub_event_type", DataType::Utf8, false),
        date32("date_start"),
        date32("date_end"),
        Field::new("date_precision", DataType::Utf8, false),
        utf8("location"),
        utf8("admin1"),
        utf8("admin2"),
        utf8("country"),
        int64("geonames_id"),
        Field::new("latitude", DataType::Float64, true),
        Field::new("longitude", DataType::Float64, true),
        utf8("place_precision"),
        utf8("place_mention"),
        utf8("actor1"),
        utf8("actor2"),
        list_of("actors", actor_fields()),
        Field::new("victims", DataType::Utf8, false),
        utf8("victim_identity"),
    ];
    for kind in FLAT_KINDS {
        for part in ["best", "low", "high"] {
            fields.push(int64(&format!("{}_{part}", kind.code())));
        }
    }
    fields.extend([
        list_of("figures", figure_fields()),
        list_of("claims", claim_fields()),
        boolean("historical"),
        boolean("aggregate"),
        list_of("reports", report_fields()),
        Field::new("sources", DataType::Utf8, false),
        utf8("part_of"),
        list_of("flags", flag_fields()),
    ]);
    let metadata: std::collections::HashMap<String, String> = [(
        "vigil:layout".to_string(),
        "incidents; see docs/EXPORTS.md".to_string(),
    )]
    .into();
    Schema::new(fields).with_metadata(metadata)
}

fn int(value: Option<u64>) -> Option<i64> {
    value.and_then(|v| i64::try_from(v).ok())
}

/// A list-of-struct column: the offsets of each row's list and one builder per struct field.
macro_rules! list_column {
    ($name:ident { $($field:ident : $builder:ty),* $(,)? }) => {
        #[derive(Default)]
        struct $name {
            offsets: Vec<usize>,
            $($field: $builder,)*
        }

        impl $name {
            fn finish(&mut self, fields: Fields) -> ArrayRef {
                let mut offsets = OffsetBufferBuilder::<i32>::new(self.offsets.len());
                for len in self.offsets.drain(..) {
                    offsets.push_length(len);
                }
                let children: Vec<ArrayRef> = vec![$(Arc::new(self.$field.finish()) as ArrayRef),*];
                let values = StructArray::new(fields.clone(), children, None);
                Arc::new(ListArray::new(
                    Arc::new(Field::new_list_field(DataType::Struct(fields), false)),
                    offsets.finish(),
                    Arc::new(values),
                    None,
                ))
            }
        }
    };
}

list_column!(Actors {
    name: StringBuilder,
    mention: StringBuilder,
    role: StringBuilder,
    kind: StringBuilder,
    claimant: StringBuilder,
});
list_column!(Figures {
    kind: StringBuilder,
    low: Int64Builder,
    best: Int64Builder,
    high: Int64Builder,
    rationale: StringBuilder,
});
list_column!(Claims {
    kind: StringBuilder,
    low: Int64Builder,
    high: Int64Builder,
    qualifier: StringBuilder,
    text: StringBuilder,
    claimant: StringBuilder,
    claimant_mention: StringBuilder,
    report: StringBuilder,
    published: Date32Builder,
    superseded: BooleanBuilder,
    partisan: BooleanBuilder,
    span_start: Int64Builder,
    span_end: Int64Builder,
});
list_column!(Reports {
    id: StringBuilder,
    source: StringBuilder,
    title: StringBuilder,
    published: Date32Builder,
});
list_column!(Flags {
    code: StringBuilder,
    detail: StringBuilder,
});

/// The columns of one record batch being gathered.
#[derive(Default)]
struct Batch {
    rows: usize,
    id: StringBuilder,
    event_type: StringBuilder,
    sub_event_type: StringBuilder,
    date_start: Date32Builder,
    date_end: Date32Builder,
    date_precision: StringBuilder,
    location: StringBuilder,
    admin1: StringBuilder,
    admin2: StringBuilder,
    country: StringBuilder,
    geonames_id: Int64Builder,
    latitude: Float64Builder,
    longitude: Float64Builder,
    place_precision: StringBuilder,
    place_mention: StringBuilder,
    actor1: StringBuilder,
    actor2: StringBuilder,
    actors: Actors,
    victims: StringBuilder,
    victim_identity: StringBuilder,
    flat: [[Int64Builder; 3]; 5],
    figures: Figures,
    claims: Claims,
    historical: BooleanBuilder,
    aggregate: BooleanBuilder,
    reports: Reports,
    sources: StringBuilder,
    part_of: StringBuilder,
    flags: Flags,
}

impl Batch {
    fn push(&mut self, incident: &Incident) {
        self.rows += 1;
        let place = incident.place.as_ref();
        let point = fields::located(place);
        let bounds = incident.date.bounds();
        self.id.append_value(&incident.id);
        self.event_type.append_value(incident.event_type.code());
        self.sub_event_type
            .append_value(incident.sub_event_type.code());
        self.date_start
            .append_option(bounds.map(|(s, _)| epoch_days(s)));
        self.date_end
            .append_option(bounds.map(|(_, e)| epoch_days(e)));
        self.date_precision
            .append_value(fields::date_precision_code(incident.date.precision));
        self.location.append_option(place.map(|p| p.name.as_str()));
        self.admin1
            .append_option(place.and_then(|p| p.admin1.as_deref()));
        self.admin2
            .append_option(place.and_then(|p| p.admin2.as_deref()));
        self.country
            .append_option(place.and_then(|p| p.country.as_deref()));
        self.geonames_id
            .append_option(int(place.and_then(|p| p.geonames_id)));
        self.latitude.append_option(point.map(|p| p.lat));
        self.longitude.append_option(point.map(|p| p.lon));
        self.place_precision
            .append_option(place.map(|p| p.precision.code()));
        self.place_mention
            .append_option(place.and_then(|p| p.mention.as_deref()));
        self.actor1.append_option(
            fields::perpetrators(incident)
                .next()
                .map(|a| a.name.as_str()),
        );
        self.actor2
            .append_option(fields::targets(incident).next().map(|a| a.name.as_str()));

        for actor in &incident.actors {
            let a = &mut self.actors;
            a.name.append_value(&actor.name);
            a.mention.append_value(&actor.mention);
            a.role.append_value(fields::role_code(actor.role));
            a.kind.append_value(fields::kind_code(actor.kind));
            a.claimant.append_option(actor.claimant.as_deref());
        }
        self.actors.offsets.push(incident.actors.len());

        self.victims
            .append_value(fields::victims_code(incident.victims));
        self.victim_identity
            .append_option(incident.victim_identity.as_deref());
        for (kind, builders) in FLAT_KINDS.iter().zip(&mut self.flat) {
            let figure = fields::figure(incident, *kind);
            builders[0].append_option(int(figure.and_then(|f| f.best)));
            builders[1].append_option(int(figure.and_then(|f| f.low)));
            builders[2].append_option(int(figure.and_then(|f| f.high)));
        }

        let mut claim_count = 0;
        for (kind, figure) in &incident.figures {
            let f = &mut self.figures;
            f.kind.append_value(kind.code());
            f.low.append_option(int(figure.low));
            f.best.append_option(int(figure.best));
            f.high.append_option(int(figure.high));
            f.rationale.append_option(figure.rationale.as_deref());
            for claim in &figure.claims {
                claim_count += 1;
                let c = &mut self.claims;
                c.kind.append_value(kind.code());
                c.low.append_option(int(claim.low));
                c.high.append_option(int(claim.high));
                c.qualifier
                    .append_value(fields::qualifier_code(claim.qualifier));
                c.text.append_value(&claim.text);
                c.claimant.append_option(claim.claimant.as_deref());
                c.claimant_mention
                    .append_option(claim.claimant_mention.as_deref());
                c.report.append_option(claim.report.as_deref());
                c.published.append_option(claim.published.map(epoch_days));
                c.superseded.append_value(claim.superseded);
                c.partisan.append_value(claim.partisan);
                c.span_start
                    .append_value(i64::try_from(claim.span.start).unwrap_or(i64::MAX));
                c.span_end
                    .append_value(i64::try_from(claim.span.end).unwrap_or(i64::MAX));
            }
        }
        self.figures.offsets.push(incident.figures.len());
        self.claims.offsets.push(claim_count);

        self.historical.append_value(incident.historical);
        self.aggregate.append_value(incident.aggregate);
        for report in &incident.reports {
            let r = &mut self.reports;
            r.id.append_value(&report.id);
            r.source.append_value(&report.source);
            r.title.append_option(report.title.as_deref());
            r.published.append_option(report.published.map(epoch_days));
        }
        self.reports.offsets.push(incident.reports.len());
        self.sources.append_value(fields::outlets(incident));
        self.part_of.append_option(incident.part_of.as_deref());
        for flag in &incident.flags {
            self.flags.code.append_value(&flag.code);
            self.flags.detail.append_value(&flag.detail);
        }
        self.flags.offsets.push(incident.flags.len());
    }

    fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, Error> {
        self.rows = 0;
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.event_type.finish()),
            Arc::new(self.sub_event_type.finish()),
            Arc::new(self.date_start.finish()),
            Arc::new(self.date_end.finish()),
            Arc::new(self.date_precision.finish()),
            Arc::new(self.location.finish()),
            Arc::new(self.admin1.finish()),
            Arc::new(self.admin2.finish()),
            Arc::new(self.country.finish()),
            Arc::new(self.geonames_id.finish()),
            Arc::new(self.latitude.finish()),
            Arc::new(self.longitude.finish()),
            Arc::new(self.place_precision.finish()),
            Arc::new(self.place_mention.finish()),
            Arc::new(self.actor1.finish()),
            Arc::new(self.actor2.finish()),
            self.actors.finish(actor_fields()),
            Arc::new(self.victims.finish()),
            Arc::new(self.victim_identity.finish()),
        ];
        for builders in &mut self.flat {
            for b in builders {
                columns.push(Arc::new(b.finish()));
            }
        }
        columns.extend([
            self.figures.finish(figure_fields()),
            self.claims.finish(claim_fields()),
            Arc::new(self.historical.finish()) as ArrayRef,
            Arc::new(self.aggregate.finish()),
            self.reports.finish(report_fields()),
            Arc::new(self.sources.finish()),
            Arc::new(self.part_of.finish()),
            self.flags.finish(flag_fields()),
        ]);
        Ok(RecordBatch::try_new(schema.clone(), columns)?)
    }
}

/// Encoded size at which a row group is closed even before it has `row_group_rows` rows.
const MAX_ROW_GROUP_BYTES: usize = 64 * 1024 * 1024;

pub(crate) struct ParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    batch: Box<Batch>,
    batch_rows: usize,
}

impl<W: Write + Send> ParquetWriter<W> {
    pub fn new(out: W, config: &Config) -> Result<Self, Error> {
        let schema: SchemaRef = Arc::new(schema());
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(config.row_group_rows.max(1)))
            .set_max_row_group_bytes(Some(MAX_ROW_GROUP_BYTES))
            .set_created_by(format!("vigil {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                "vigil:version".to_string(),
                env!("CARGO_PKG_VERSION").to_string(),
            )]))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))?;
        Ok(ParquetWriter {
            writer,
            schema,
            batch: Box::default(),
            batch_rows: config.batch_rows.max(1),
        })
    }

    pub fn write(&mut self, incident: &Incident) -> Result<u64, Error> {
        self.batch.push(incident);
        if self.batch.rows >= self.batch_rows {
            self.flush_batch()?;
        }
        Ok(1)
    }

    fn flush_batch(&mut self) -> Result<(), Error> {
        if self.batch.rows == 0 {
            return Ok(());
        }
        let batch = self.batch.finish(&self.schema)?;
        self.writer.write(&batch)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, Error> {
        self.flush_batch()?;
        Ok(self.writer.into_inner()?)
    }
}
