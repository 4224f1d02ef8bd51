//! `vigil incidents list` and `vigil incidents show`: the linked incidents, filtered, as a table
//! or JSON; one incident with its mentions, reports, claims, rationale and evidence.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use vigil_model::{Figure, FigureKind, Incident};
use vigil_store::{IncidentFilter, Store, StoredMention};

use crate::output::{self, Table, clean, or_dash};
use crate::{Global, open_store};

/// The incidents linked from the stored reports.
#[derive(Subcommand, Debug)]
pub enum IncidentsCommand {
    /// List incidents, oldest first, filtered (JSON Lines with --json: one incident per line).
    #[command(
        after_help = "Examples:\n  vigil incidents list\n  vigil incidents list --since 2025-03-01 --country SY --min-killed 10\n  vigil incidents list --near 35.18,35.95,25 --type violence_against_civilians --json"
    )]
    List(ListArgs),
    /// One incident: what, when, where, who; its reports, every claim and how the figures were
    /// reconciled; the evidence sentences of each mention.
    #[command(after_help = "Example:\n  vigil incidents show 3f2a9c")]
    Show {
        /// The incident's id, or a unique prefix of it (at least 4 characters).
        id: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct ListArgs {
    /// Incidents on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<jiff::civil::Date>,
    /// Incidents on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    until: Option<jiff::civil::Date>,
    /// Country of the place (ISO 3166-1 alpha-2, e.g. SY).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Within KM kilometres of a point.
    #[arg(long, value_name = "LAT,LON,KM", value_parser = parse_near)]
    near: Option<(f64, f64, f64)>,
    /// Event type or sub-event type (ACLED, snake case: battles, air_drone_strike ...).
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type)]
    event_type: Option<String>,
    /// An actor's name or part of it (case-insensitive).
    #[arg(long)]
    actor: Option<String>,
    /// Best killed figure at least this.
    #[arg(long, value_name = "N")]
    min_killed: Option<u64>,
    /// Leave out incidents that reports mention only as background.
    #[arg(long)]
    no_historical: bool,
    /// At most this many incidents.
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
}

fn parse_near(text: &str) -> Result<(f64, f64, f64), String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [lat, lon, km] = parts.as_slice() else {
        return Err("expected LAT,LON,KM, e.g. 35.18,35.95,25".into());
    };
    let number = |s: &str| s.parse::<f64>().map_err(|_| format!("not a number: {s:?}"));
    let (lat, lon, km) = (number(lat)?, number(lon)?, number(km)?);
    let km_ok = km > 0.0 && km <= 20_000.0;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || !km_ok {
        return Err(
            "latitude must be within ±90, longitude within ±180, and the distance above 0 km"
                .into(),
        );
    }
    Ok((lat, lon, km))
}

fn parse_type(text: &str) -> Result<String, String> {
    let code = text
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-', '/'], "_");
    if vigil_model::EventType::from_code(&code).is_some()
        || vigil_model::SubEventType::from_code(&code).is_some()
    {
        Ok(code)
    } else {
        Err(format!(
            "unknown event type {text:?} (e.g. battles, explosions_remote_violence, violence_against_civilians, air_drone_strike)"
        ))
    }
}

impl ListArgs {
    /// The store filter these flags select (shared with `vigil export` and `vigil compare`).
    pub fn filter(&self) -> IncidentFilter {
        IncidentFilter {
            since: self.since,
            until: self.until,
            country: self.country.as_ref().map(|c| c.to_ascii_uppercase()),
            near: self.near,
            event_type: self.event_type.clone(),
            actor: self.actor.clone(),
            min_killed: self.min_killed,
            exclude_historical: self.no_historical,
            limit: self.limit,
        }
    }
}

pub fn run(global: &Global, command: IncidentsCommand) -> Result<ExitCode> {
    let store = open_store(global)?;
    match command {
        IncidentsCommand::List(args) => {
            let filter = IncidentFilter {
                since: args.since,
                until: args.until,
                country: args.country.map(|c| c.to_ascii_uppercase()),
                near: args.near,
                event_type: args.event_type,
                actor: args.actor,
                min_killed: args.min_killed,
                exclude_historical: args.no_historical,
                limit: args.limit,
            };
            list(global, &store, &filter)
        }
        IncidentsCommand::Show { id } => show(global, &store, &id),
    }
}

fn list(global: &Global, store: &Store, filter: &IncidentFilter) -> Result<ExitCode> {
    if global.json {
        store.for_each_incident(filter, |incident| -> Result<()> {
            output::print_json(&incident)
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = incident_table();
    let mut rows = 0u64;
    store.for_each_incident(filter, |incident| -> Result<()> {
        table.row(incident_row(&incident));
        rows += 1;
        Ok(())
    })?;
    if rows == 0 {
        if !global.quiet {
            eprintln!(
                "no incidents (vigil ingest stores and links reports; vigil link links what is stored)"
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    table.print()?;
    Ok(ExitCode::SUCCESS)
}

/// The incident table `vigil incidents list` and `vigil ingest` print.
pub fn incident_table() -> Table {
    Table::new(&[
        ("id", 12),
        ("date", 23),
        ("type", 32),
        ("place", 28),
        ("killed", 14),
        ("reports", 7),
        ("part of", 12),
        ("flags", 40),
    ])
}

pub fn incident_row(incident: &Incident) -> Vec<String> {
    let date = match incident.date.bounds() {
        Some((s, e)) if s == e => s.to_string(),
        Some((s, e)) => format!("{s}..{e}"),
        None => "-".into(),
    };
    let place = incident
        .place
        .as_ref()
        .map(|p| match &p.country {
            Some(c) => format!("{}, {c}", p.name),
            None => p.name.clone(),
        })
        .unwrap_or_else(|| "-".into());
    let mut kind = incident.sub_event_type.code().to_string();
    if incident.aggregate {
        kind.push_str(" (wave)");
    }
    if incident.historical {
        kind.push_str(" (background)");
    }
    vec![
        incident.id.clone(),
        date,
        kind,
        place,
        incident
            .figures
            .get(&FigureKind::Killed)
            .map(figure_cell)
            .unwrap_or_else(|| "-".into()),
        incident.reports.len().to_string(),
        or_dash(incident.part_of.as_deref()),
        {
            let mut codes: Vec<&str> = incident.flags.iter().map(|f| f.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            codes.join(", ")
        },
    ]
}

/// "532 (532-999)": best, then the range when it is wider.
fn figure_cell(f: &Figure) -> String {
    let Some(best) = f.best else {
        return "-".into();
    };
    match (f.low, f.high) {
        (Some(l), Some(h)) if l == h => best.to_string(),
        (Some(l), Some(h)) => format!("{best} ({l}-{h})"),
        (Some(l), None) => format!("{best} ({l}+)"),
        _ => best.to_string(),
    }
}

#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    incident: &'a Incident,
    mentions: &'a [StoredMention],
}

fn show(global: &Global, store: &Store, key: &str) -> Result<ExitCode> {
    let Some(incident) = store
        .incident(key)
        .with_context(|| format!("cannot look up incident {key:?}"))?
    else {
        bail!("no incident {key:?} (vigil incidents list shows the ids)");
    };
    let mentions = store.incident_mentions(&incident.id)?;
    if global.json {
        output::print_json(&Shown {
            incident: &incident,
            mentions: &mentions,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let line = |label: &str, value: String| println!("{label:<10} {}", clean(&value));
    line("incident", incident.id.clone());
    line(
        "what",
        format!(
            "{} / {}{}{}",
            incident.event_type.code(),
            incident.sub_event_type.code(),
            if incident.aggregate {
                " (wave of violence)"
            } else {
                ""
            },
            if incident.historical {
                " (background only)"
            } else {
                ""
            }
        ),
    );
    line(
        "when",
        match incident.date.bounds() {
            Some((s, e)) if s == e => s.to_string(),
            Some((s, e)) => format!("{s} to {e} ({:?})", incident.date.precision).to_lowercase(),
            None => "unknown".into(),
        },
    );
    if let Some(p) = &incident.place {
        let admin: Vec<&str> = [
            p.admin2.as_deref(),
            p.admin1.as_deref(),
            p.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        line(
            "where",
            format!(
                "{} ({}), {} ({:.4}, {:.4}){}",
                p.name,
                p.precision.code(),
                admin.join(", "),
                p.lat,
                p.lon,
                p.geonames_id
                    .map(|g| format!(", GeoNames {g}"))
                    .unwrap_or_default()
            ),
        );
    } else {
        line("where", "unknown".into());
    }
    for a in &incident.actors {
        let role = if a.role == vigil_model::ActorRole::Perpetrator {
            "perpetrator"
        } else {
            "target"
        };
        let by = a
            .claimant
            .as_deref()
            .map(|c| format!(", according to {c}"))
            .unwrap_or_default();
        line(role, format!("{} (\"{}\"){by}", a.name, a.mention));
    }
    line(
        "victims",
        format!(
            "{}{}",
            serde_json::to_value(incident.victims)?
                .as_str()
                .unwrap_or(""),
            incident
                .victim_identity
                .as_deref()
                .map(|v| format!(", {v}"))
                .unwrap_or_default()
        ),
    );
    if let Some(wave) = &incident.part_of {
        line("part of", wave.clone());
    }
    for f in &incident.flags {
        line("FLAG", format!("{}: {}", f.code, f.detail));
    }

    println!("\nreports");
    let mut reports = Table::new(&[("id", 16), ("published", 10), ("source", 40), ("title", 60)]);
    for r in &incident.reports {
        reports.row(vec![
            r.id.clone(),
            r.published
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            r.source.clone(),
            or_dash(r.title.as_deref()),
        ]);
    }
    reports.print()?;

    for (kind, figure) in &incident.figures {
        println!(
            "\n{kind}: low {} best {} high {}",
            or_dash(figure.low.map(|v| v.to_string()).as_deref()),
            or_dash(figure.best.map(|v| v.to_string()).as_deref()),
            or_dash(figure.high.map(|v| v.to_string()).as_deref()),
        );
        if let Some(r) = &figure.rationale {
            println!("  {}", clean(r));
        }
        let mut claims = Table::new(&[
            ("claimant", 36),
            ("report", 16),
            ("published", 10),
            ("range", 12),
            ("qualifier", 10),
            ("status", 20),
            ("text", 60),
        ]);
        for c in &figure.claims {
            let range = match (c.low, c.high) {
                (Some(l), Some(h)) if l == h => l.to_string(),
                (Some(l), Some(h)) => format!("{l}-{h}"),
                (Some(l), None) => format!("{l}+"),
                (None, Some(h)) => format!("≤{h}"),
                (None, None) => "-".into(),
            };
            let mut status = Vec::new();
            if c.superseded {
                status.push("superseded");
            }
            if c.partisan {
                status.push("partisan");
            }
            claims.row(vec![
                c.claimant
                    .clone()
                    .unwrap_or_else(|| "(report itself)".into()),
                or_dash(c.report.as_deref()),
                c.published
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                range,
                serde_json::to_value(c.qualifier)?
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                if status.is_empty() {
                    "counts".into()
                } else {
                    status.join(", ")
                },
                c.text.clone(),
            ]);
        }
        claims.print()?;
    }

    println!("\nmentions and evidence");
    for m in &mentions {
        println!(
            "  report {} #{} ({}): {} / {}",
            m.report.id,
            m.ordinal,
            m.report
                .published
                .map(|d| d.to_string())
                .unwrap_or_else(|| "undated".into()),
            m.mention.sub_event_type.code(),
            m.mention
                .place
                .as_ref()
                .map(|p| p.mention.clone().unwrap_or_else(|| p.name.clone()))
                .unwrap_or_else(|| "no place".into()),
        );
        for e in &m.mention.evidence {
            println!(
                "    [{}..{}] {}",
                e.span.start,
                e.span.end,
                output::truncate(&clean(&e.text), 300)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
