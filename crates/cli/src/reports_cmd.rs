//! `vigil reports list | show | search` and `vigil stats`: reading the store back.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::Serialize;
use vigil_store::{ListQuery, ReportSummary, SearchQuery};

use crate::output::{self, Table, clean, or_dash};
use crate::{Global, open_store};

/// Browse the stored reports.
#[derive(Subcommand, Debug)]
pub enum ReportsCommand {
    /// List stored reports, oldest first.
    #[command(
        after_help = "Examples:\n  vigil reports list\n  vigil reports list --language ar --limit 20 --json"
    )]
    List {
        /// How many to show (0 for all).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// How many to skip first.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only reports in this language (ISO 639-1 code, e.g. en, ar).
        #[arg(long)]
        language: Option<String>,
        /// Only reports from this outlet.
        #[arg(long)]
        outlet: Option<String>,
        /// Only reports read from this format (text, markdown, html, json, jsonl, rss, atom, warc).
        #[arg(long)]
        format: Option<String>,
    },
    /// Show one report: metadata, versions and text.
    #[command(
        after_help = "Examples:\n  vigil reports show 3\n  vigil reports show e5f14023\n  vigil reports show e5f14023 --original > page.html"
    )]
    Show {
        /// Row number, id (16 hex digits) or a unique prefix of at least 4 of its digits.
        id: String,
        /// Write the original bytes exactly as read instead of the metadata and text.
        #[arg(long, conflicts_with = "json")]
        original: bool,
    },
    /// Full-text search over titles and text (diacritics and case ignored).
    #[command(
        after_help = "Examples:\n  vigil reports search Baniyas\n  vigil reports search 'massacre Homs' --limit 5\n  vigil reports search --raw 'Alawite NEAR(killed, 5)'"
    )]
    Search {
        /// Words that must all appear (a trailing * matches prefixes).
        query: String,
        /// How many results to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Pass the query to SQLite FTS5 as written (AND, OR, NOT, NEAR, "phrases", column:term).
        #[arg(long)]
        raw: bool,
    },
}

pub fn run(global: &Global, command: ReportsCommand) -> Result<ExitCode> {
    let store = open_store(global)?;
    match command {
        ReportsCommand::List {
            limit,
            offset,
            language,
            outlet,
            format,
        } => {
            let query = ListQuery {
                limit,
                offset,
                language,
                outlet,
                format,
            };
            let reports = store.list(&query)?;
            if global.json {
                for report in &reports {
                    output::print_json(report)?;
                }
            } else if reports.is_empty() {
                if !global.quiet {
                    eprintln!("no reports (add some with: vigil ingest PATH)");
                }
            } else {
                summary_table(&reports)?;
            }
        }
        ReportsCommand::Show { id, original } => {
            let Some(report) = store.report(&id)? else {
                bail!("no report with id {id:?} (see vigil reports list)");
            };
            if original {
                let mut out = std::io::stdout().lock();
                out.write_all(&report.incoming.original)?;
                out.flush()?;
            } else {
                let versions = store.versions(report.id)?;
                show(global, &report, &versions)?;
            }
        }
        ReportsCommand::Search { query, limit, raw } => {
            let hits = store.search(&SearchQuery {
                text: query.clone(),
                limit,
                raw,
            })?;
            if global.json {
                for hit in &hits {
                    output::print_json(hit)?;
                }
            } else if hits.is_empty() {
                if !global.quiet {
                    eprintln!("no report matches {query:?}");
                }
            } else {
                for hit in &hits {
                    let r = &hit.report;
                    println!(
                        "{}  {}  {}",
                        r.uid,
                        or_dash(r.published.as_deref().map(|p| p.get(..10).unwrap_or(p))),
                        clean(
                            r.title
                                .as_deref()
                                .filter(|t| !t.is_empty())
                                .unwrap_or(&r.source)
                        )
                    );
                    println!("    {}", clean(&hit.snippet));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn summary_table(reports: &[ReportSummary]) -> Result<()> {
    let mut table = Table::new(&[
        ("#", 8),
        ("id", 16),
        ("published", 10),
        ("lang", 4),
        ("format", 8),
        ("v", 3),
        ("outlet", 22),
        ("title / source", 60),
    ]);
    for r in reports {
        let label = r
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| r.source.clone());
        table.row(vec![
            r.id.to_string(),
            r.uid.clone(),
            or_dash(r.published.as_deref().map(|p| p.get(..10).unwrap_or(p))),
            or_dash(r.language.as_deref()),
            r.format.clone(),
            r.version.to_string(),
            or_dash(r.outlet.as_deref()),
            label,
        ]);
    }
    table.print()?;
    Ok(())
}

/// The JSON form of `reports show`: the report without its original bytes (use --original),
/// plus its versions.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    report: ShownReport<'a>,
    original_bytes: usize,
    versions: &'a [ReportSummary],
}

#[derive(Serialize)]
struct ShownReport<'a> {
    id: i64,
    uid: &'a str,
    content_hash: &'a str,
    ingested_at: &'a str,
    version: u32,
    previous_id: Option<i64>,
    source: &'a str,
    url: Option<&'a str>,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<&'a str>,
    language: Option<&'a str>,
    language_detected: bool,
    format: &'static str,
    encoding: &'a str,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    body: &'a str,
}

fn show(global: &Global, report: &vigil_model::Report, versions: &[ReportSummary]) -> Result<()> {
    let r = &report.incoming;
    if global.json {
        return output::print_json(&ShowJson {
            report: ShownReport {
                id: report.id,
                uid: &report.uid,
                content_hash: &r.content_hash,
                ingested_at: &report.ingested_at,
                version: report.version,
                previous_id: report.previous_id,
                source: &r.source,
                url: r.url.as_deref(),
                title: r.title.as_deref(),
                outlet: r.outlet.as_deref(),
                published: r.published.as_deref(),
                language: r.language.as_deref(),
                language_detected: r.language_detected,
                format: r.format.name(),
                encoding: &r.encoding,
                extra: &r.extra,
                body: &r.body,
            },
            original_bytes: r.original.len(),
            versions,
        });
    }
    let mut out = std::io::stdout().lock();
    let field = |out: &mut std::io::StdoutLock, name: &str, value: &str| {
        writeln!(out, "{name:<12} {}", clean(value))
    };
    field(&mut out, "id", &format!("{} (#{})", report.uid, report.id))?;
    field(&mut out, "title", &or_dash(r.title.as_deref()))?;
    field(&mut out, "outlet", &or_dash(r.outlet.as_deref()))?;
    field(&mut out, "published", &or_dash(r.published.as_deref()))?;
    let language = match (&r.language, r.language_detected) {
        (Some(l), true) => format!("{l} (detected)"),
        (Some(l), false) => l.clone(),
        (None, _) => "-".into(),
    };
    field(&mut out, "language", &language)?;
    field(&mut out, "url", &or_dash(r.url.as_deref()))?;
    field(&mut out, "source", &r.source)?;
    field(
        &mut out,
        "format",
        &format!(
            "{} ({}, {} bytes read)",
            r.format,
            r.encoding,
            r.original.len()
        ),
    )?;
    field(&mut out, "ingested", &report.ingested_at)?;
    field(&mut out, "hash", &r.content_hash)?;
    if versions.len() > 1 {
        let list: Vec<String> = versions
            .iter()
            .map(|v| {
                let mark = if v.id == report.id { " (this)" } else { "" };
                format!("v{} {} {}{mark}", v.version, v.uid, v.ingested_at)
            })
            .collect();
        field(&mut out, "versions", &list.join("; "))?;
    }
    for (key, value) in &r.extra {
        field(&mut out, key, &value.to_string())?;
    }
    writeln!(out)?;
    // The body is printed with its line breaks but without other control characters.
    for line in r.body.lines() {
        writeln!(out, "{}", clean(line))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct StatsJson<'a> {
    database: String,
    #[serde(flatten)]
    stats: &'a vigil_store::Stats,
}

pub fn stats(global: &Global) -> Result<ExitCode> {
    let store = open_store(global)?;
    let stats = store.stats().context("cannot read statistics")?;
    if global.json {
        output::print_json(&StatsJson {
            database: global.db.display().to_string(),
            stats: &stats,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let counts = |map: &std::collections::BTreeMap<String, u64>| {
        map.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "database     {} ({:.1} MB)",
        global.db.display(),
        stats.database_bytes as f64 / 1e6
    );
    println!("reports      {}", stats.reports);
    println!(
        "versions     {} newer versions of {} addresses",
        stats.newer_versions, stats.addresses_with_versions
    );
    println!(
        "sightings    {} (same text seen again elsewhere)",
        stats.sightings
    );
    println!(
        "text         {:.1} MB ({:.1} MB as read)",
        stats.body_bytes as f64 / 1e6,
        stats.original_bytes as f64 / 1e6
    );
    println!("formats      {}", or_dash(Some(&counts(&stats.by_format))));
    println!(
        "languages    {}",
        or_dash(Some(&counts(&stats.by_language)))
    );
    let outlets: Vec<String> = stats
        .top_outlets
        .iter()
        .map(|(o, n)| format!("{} {n}", clean(o)))
        .collect();
    println!("outlets      {}", or_dash(Some(&outlets.join(", "))));
    println!(
        "published    {} to {}",
        or_dash(stats.published_first.as_deref()),
        or_dash(stats.published_last.as_deref())
    );
    println!(
        "ingested     {} to {} in {} runs ({} failures in the last)",
        or_dash(stats.ingested_first.as_deref()),
        or_dash(stats.ingested_last.as_deref()),
        stats.runs,
        stats.failures_last_run
    );
    Ok(ExitCode::SUCCESS)
}
