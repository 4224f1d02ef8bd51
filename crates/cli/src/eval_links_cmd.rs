//! `vigil eval-links`: scores vigil's report-to-incident clustering, end to end, on the Gun
//! Violence Corpus test split (74 news reports about 34 US shooting incidents).
//!
//! Each report's text is rebuilt from the CoNLL tokens (the first token line is the document
//! date, used as publication date; the first sentence is the headline), stored, extracted and
//! linked exactly as `vigil ingest` does, in a temporary database. A report's predicted incident
//! is the incident of its lead mention (its first mention that is not background, as a news
//! report leads with its story); a report without one stands alone. The clustering is scored against the GVC incident ids with B-cubed
//! precision, recall and F1, and the reports that went wrong are listed with what their
//! extraction found, so that the errors can be traced to their stage.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use vigil_model::{IncomingReport, SourceFormat};
use vigil_store::{IncidentFilter, Inserted, Store};

use crate::{Global, link_cmd, now_utc, output};

/// Score the report-to-incident clustering on the Gun Violence Corpus (B-cubed).
#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  vigil eval-links ../shared/benchmarks/gvc\n  vigil eval-links ../shared/benchmarks/gvc --split val --json"
)]
pub struct EvalLinksArgs {
    /// The GVC folder (holding GVC-prep/output_data/<split>/dataset.conll).
    dir: PathBuf,
    /// Which split: test (74 reports, 34 incidents) or val.
    #[arg(long, default_value = "test", value_parser = ["test", "val"])]
    split: String,
    /// Also write the rebuilt reports to this folder (to inspect or ingest them).
    #[arg(long, value_name = "DIR")]
    write_reports: Option<PathBuf>,
}

/// One report of the corpus.
struct Doc {
    key: String,
    incident: String,
    date: Option<String>,
    title: String,
    body: String,
}

/// Reads a CoNLL file of the GVC export: `topic/incident/doc  sentence  token  text  coref`.
fn read_conll(path: &Path) -> Result<Vec<Doc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut order: Vec<String> = Vec::new();
    let mut sentences: HashMap<String, BTreeMap<u32, Vec<String>>> = HashMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 4 {
            continue;
        }
        let (doc, sentence, token) = (fields[0], fields[1].parse::<u32>().unwrap_or(0), fields[3]);
        if !sentences.contains_key(doc) {
            order.push(doc.to_string());
        }
        sentences
            .entry(doc.to_string())
            .or_default()
            .entry(sentence)
            .or_default()
            .push(token.to_string());
    }
    let mut docs = Vec::new();
    for key in order {
        let parts: Vec<&str> = key.split('/').collect();
        if parts.len() < 3 {
            continue;
        }
        let sents = &sentences[&key];
        let mut date = None;
        let mut title = String::new();
        let mut body = String::new();
        for (&n, tokens) in sents {
            if n == 0
                && tokens.len() == 1
                && tokens[0].len() == 10
                && tokens[0].as_bytes()[4] == b'-'
            {
                date = Some(tokens[0].clone());
                continue;
            }
            let sentence = detokenise(tokens);
            if title.is_empty() {
                title = sentence.replace("\n", " ").trim().to_string();
            }
            if !body.is_empty() && !body.ends_with('\n') {
                body.push(' ');
            }
            body.push_str(sentence.trim_start());
        }
        docs.push(Doc {
            key: key.clone(),
            incident: parts[1].to_string(),
            date,
            title,
            body,
        });
    }
    Ok(docs)
}

/// Joins tokens into text: no space before closing punctuation or after opening brackets;
/// the corpus's paragraph mark `//n` becomes a blank line.
fn detokenise(tokens: &[String]) -> String {
    let mut out = String::new();
    let mut open_quote = false;
    for t in tokens {
        if t == "//n" {
            out.push_str("\n\n");
            continue;
        }
        let no_space_before = matches!(
            t.as_str(),
            "," | "."
                | ";"
                | ":"
                | "!"
                | "?"
                | ")"
                | "]"
                | "'s"
                | "n't"
                | "%"
                | "'re"
                | "'ve"
                | "'ll"
                | "'d"
                | "'m"
                | "’s"
                | "-"
        ) || (t == "\"" && open_quote);
        let after_open = out.ends_with('(')
            || out.ends_with('[')
            || out.ends_with('$')
            || out.ends_with('-')
            || out.ends_with('\n')
            || (out.ends_with('"') && open_quote);
        if !out.is_empty() && !no_space_before && !after_open {
            out.push(' ');
        }
        if t == "\"" {
            open_quote = !open_quote;
        }
        out.push_str(t);
    }
    out
}

#[derive(Debug, Serialize)]
struct Scores {
    split: String,
    reports: usize,
    gold_incidents: usize,
    predicted_clusters: usize,
    reports_without_mentions: usize,
    b_cubed_precision: f64,
    b_cubed_recall: f64,
    b_cubed_f1: f64,
    errors: Vec<ReportError>,
}

#[derive(Debug, Serialize)]
struct ReportError {
    report: String,
    gold_incident: String,
    /// "split": apart from reports of its incident; "merged": with reports of another incident.
    kind: &'static str,
    lead_mention: Option<String>,
}

pub fn run(global: &Global, args: &EvalLinksArgs) -> Result<ExitCode> {
    let conll = args
        .dir
        .join("GVC-prep/output_data")
        .join(&args.split)
        .join("dataset.conll");
    let docs = read_conll(&conll)?;
    if docs.is_empty() {
        bail!("no documents in {}", conll.display());
    }
    let tmp = tempdir()?;
    let db = tmp.join("eval.db");
    let mut store = Store::open(&db)?;
    let mut reports = Vec::new();
    for doc in &docs {
        let file_name = doc.key.replace('/', "_");
        if let Some(dir) = &args.write_reports {
            std::fs::create_dir_all(dir)?;
            let text = format!(
                "---\ntitle: {:?}\npublished: {}\nlanguage: en\n---\n\n{}\n",
                doc.title,
                doc.date.clone().unwrap_or_default(),
                doc.body
            );
            std::fs::write(dir.join(format!("{file_name}.txt")), text)?;
        }
        reports.push(IncomingReport {
            source: format!("gvc/{file_name}.txt"),
            url: None,
            title: Some(doc.title.clone()),
            outlet: None,
            published: doc.date.clone(),
            language: Some("en".into()),
            language_detected: false,
            content_hash: vigil_text::content_hash(&doc.body),
            original: doc.body.clone().into_bytes(),
            body: doc.body.clone(),
            format: SourceFormat::Text,
            encoding: "UTF-8".into(),
            extra: Default::default(),
        });
    }
    let outcomes = store.insert_batch(&reports, &now_utc())?;
    let uid_of: Vec<String> = outcomes
        .into_iter()
        .map(|o| match o {
            Inserted::Stored { uid, .. } | Inserted::Duplicate { uid, .. } => uid,
        })
        .collect();
    link_cmd::extract_and_link(&mut store, 0)?;

    // Each report's lead mention and its incident.
    let mut lead: HashMap<String, (u32, String, String)> = HashMap::new();
    let mut incident_ids = Vec::new();
    store.for_each_incident(&IncidentFilter::default(), |i| -> Result<()> {
        incident_ids.push(i.id);
        Ok(())
    })?;
    for id in &incident_ids {
        for m in store.incident_mentions(id)? {
            if m.mention.historical {
                continue;
            }
            let describe = format!(
                "{} / {} / {}",
                m.mention.sub_event_type.code(),
                m.mention
                    .place
                    .as_ref()
                    .map(|p| format!(
                        "{} ({}, {})",
                        p.name,
                        p.precision.code(),
                        p.country.clone().unwrap_or_default()
                    ))
                    .unwrap_or_else(|| "no place".into()),
                m.mention
                    .date
                    .bounds()
                    .map(|(s, e)| if s == e {
                        s.to_string()
                    } else {
                        format!("{s}..{e}")
                    })
                    .unwrap_or_else(|| "no date".into())
            );
            let entry =
                lead.entry(m.report.id.clone())
                    .or_insert((u32::MAX, String::new(), String::new()));
            if m.ordinal < entry.0 {
                *entry = (m.ordinal, id.clone(), describe);
            }
        }
    }
    let mut predicted = Vec::new();
    let mut truth = Vec::new();
    let mut labels: HashMap<String, u32> = HashMap::new();
    let mut gold_labels: HashMap<String, u32> = HashMap::new();
    let mut without = 0;
    for (doc, uid) in docs.iter().zip(&uid_of) {
        let cluster = match lead.get(uid) {
            Some((_, incident, _)) => incident.clone(),
            None => {
                without += 1;
                format!("alone:{uid}")
            }
        };
        let n = labels.len() as u32;
        predicted.push(*labels.entry(cluster).or_insert(n));
        let n = gold_labels.len() as u32;
        truth.push(*gold_labels.entry(doc.incident.clone()).or_insert(n));
    }
    let (p, r, f1) = crate::synth_mentions::b_cubed(&predicted, &truth);
    let mut errors = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let same_gold: Vec<usize> = (0..docs.len())
            .filter(|&j| truth[j] == truth[i] && j != i)
            .collect();
        let split = same_gold.iter().any(|&j| predicted[j] != predicted[i]);
        let merged =
            (0..docs.len()).any(|j| j != i && predicted[j] == predicted[i] && truth[j] != truth[i]);
        if split || merged {
            errors.push(ReportError {
                report: doc.key.clone(),
                gold_incident: doc.incident.clone(),
                kind: if merged { "merged" } else { "split" },
                lead_mention: lead.get(&uid_of[i]).map(|l| l.2.clone()),
            });
        }
    }
    let scores = Scores {
        split: args.split.clone(),
        reports: docs.len(),
        gold_incidents: gold_labels.len(),
        predicted_clusters: labels.len(),
        reports_without_mentions: without,
        b_cubed_precision: p,
        b_cubed_recall: r,
        b_cubed_f1: f1,
        errors,
    };
    let _ = std::fs::remove_dir_all(&tmp);
    if global.json {
        output::print_json(&scores)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !global.quiet {
        for e in &scores.errors {
            println!(
                "{:<7} {}  (gold {}): {}",
                e.kind,
                e.report,
                e.gold_incident,
                e.lead_mention.as_deref().unwrap_or("no mention")
            );
        }
        println!();
    }
    println!(
        "GVC {}: {} reports, {} gold incidents, {} predicted clusters ({} reports without a mention): B-cubed precision {:.3}, recall {:.3}, F1 {:.3}",
        scores.split,
        scores.reports,
        scores.gold_incidents,
        scores.predicted_clusters,
        scores.reports_without_mentions,
        p,
        r,
        f1
    );
    Ok(ExitCode::SUCCESS)
}

fn tempdir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "vigil-eval-links-{}-{}",
        std::process::id(),
        now_utc().replace(':', "")
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
