//! `vigil link`: link stored mentions into incidents, incrementally or by a full rebuild; and the
//! linking engine `vigil ingest` runs after extraction.
//!
//! Incremental linking replays the clustering around the unlinked mentions
//! ([`vigil_link::replay`]): it finds candidates through the store's indexes (box, name,
//! administrative unit), loads the stored incidents a changed cluster meets, writes the clusters
//! that are not stored incidents in place of those that are gone, and re-assigns waves around
//! what changed. The replay takes the edges in the order a full clustering takes them, so the
//! result is the one `vigil link --rebuild` gives (tests and `vigil bench link-incremental
//! --check` compare them).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use vigil_link::{Claimants, Config, Extent, Features, SourcedMention, StoredFeatures};
use vigil_model::{EventType, ExtractedReport, Incident, Mention, PlacePrecision};
use vigil_store::{
    IncidentExtent, MentionKeys, NewExtraction, NewIncident, NewMention, Replaced, Store,
    StoredMention,
};

use crate::{Global, now_utc, open_store, output};

/// Link stored mentions into incidents.
///
/// Without options, links the mentions not linked yet (what `vigil ingest` does after
/// extraction). --rebuild forgets every incident and links all mentions again; the result is the
/// same as linking them incrementally. --mentions stores mentions produced elsewhere (JSON Lines
/// in the format of `vigil extract --format jsonl`) for reports already stored, then links.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  vigil link\n  vigil link --rebuild\n  vigil link --mentions extracted.jsonl"
)]
pub struct LinkArgs {
    /// Forget every incident and link all mentions again.
    #[arg(long)]
    rebuild: bool,
    /// Store the mentions in this JSON Lines file (one report per line) before linking; each
    /// line's `report.id` names a stored report by uid, or by the file name of its source.
    #[arg(long, value_name = "FILE")]
    mentions: Option<PathBuf>,
    /// Extractor version recorded for --mentions.
    #[arg(long, default_value = "imported", requires = "mentions")]
    extractor_version: String,
}

/// What a linking run did.
#[derive(Debug, Default, Serialize)]
pub struct LinkSummary {
    pub mentions_linked: u64,
    /// Mentions incremental linking loaded (the new ones and the members of the stored
    /// incidents it replayed); every mention for a rebuild.
    pub mentions_replayed: u64,
    /// Mentions whose candidates incremental linking searched in the store.
    pub mentions_searched: u64,
    pub incidents_written: u64,
    pub incidents_removed: u64,
    pub waves_assigned: u64,
    pub seconds: f64,
    /// Uids of the incidents written.
    #[serde(skip)]
    pub written: Vec<String>,
}

pub fn run(global: &Global, args: &LinkArgs) -> Result<ExitCode> {
    let mut store = open_store(global)?;
    let config = Config::default();
    if let Some(path) = &args.mentions {
        let stored = import_mentions(&mut store, path, &args.extractor_version, &config)?;
        if !global.quiet && !global.json {
            eprintln!(
                "stored the mentions of {stored} reports from {}",
                path.display()
            );
        }
    }
    let summary = if args.rebuild {
        rebuild(&mut store, &config)?
    } else {
        link_pending(&mut store, &config)?
    };
    if global.json {
        output::print_json(&summary)?;
    } else if !global.quiet {
        let stats = store.link_stats()?;
        println!(
            "linked {} mentions in {:.2} s: {} incidents written, {} replaced; the store holds {} incidents ({} waves, {} parts of waves, {} flagged) from {} mentions",
            summary.mentions_linked,
            summary.seconds,
            summary.incidents_written,
            summary.incidents_removed,
            stats.incidents,
            stats.waves,
            stats.parts,
            stats.flagged,
            stats.mentions,
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The encoded features and search keys of a mention about to be stored.
pub fn prepare<'m>(
    mention: &'m Mention,
    report_uid: &str,
    published: Option<jiff::civil::Date>,
    config: &Config,
) -> NewMention<'m> {
    let features = Features::of(
        mention,
        0,
        vigil_link::report_number(report_uid),
        published,
        config,
    );
    let keys = features.search_keys(config).map(mention_keys);
    NewMention {
        mention,
        features: features.encode(),
        keys,
    }
}

/// The stored report some mentions come from.
#[derive(Debug, Clone, Copy)]
pub struct ReportKey<'a> {
    /// Row id.
    pub id: i64,
    pub uid: &'a str,
    pub published: Option<jiff::civil::Date>,
}

/// Stores one report's mentions (replacing an earlier extraction).
pub fn store_mentions(
    store: &mut Store,
    report: ReportKey<'_>,
    extractor_version: &str,
    mentions: &[Mention],
    diagnostics: &serde_json::Value,
    config: &Config,
) -> Result<Replaced> {
    let prepared: Vec<NewMention<'_>> = mentions
        .iter()
        .map(|m| prepare(m, report.uid, report.published, config))
        .collect();
    Ok(store.replace_mentions(
        report.id,
        extractor_version,
        &now_utc(),
        &prepared,
        diagnostics,
    )?)
}

/// Stores the mentions (and extraction diagnostics) of many reports in one transaction,
/// replacing earlier extractions.
pub fn store_mentions_many(
    store: &mut Store,
    reports: &[(ReportKey<'_>, &[Mention], &serde_json::Value)],
    extractor_version: &str,
    config: &Config,
) -> Result<Vec<Replaced>> {
    let at = now_utc();
    let prepared: Vec<Vec<NewMention<'_>>> = reports
        .iter()
        .map(|(report, mentions, _)| {
            mentions
                .iter()
                .map(|m| prepare(m, report.uid, report.published, config))
                .collect()
        })
        .collect();
    let extractions: Vec<NewExtraction<'_>> = reports
        .iter()
        .zip(&prepared)
        .map(|((report, _, diagnostics), mentions)| NewExtraction {
            report_id: report.id,
            extractor_version,
            extracted_at: &at,
            mentions,
            diagnostics,
        })
        .collect();
    Ok(store.replace_mentions_many(&extractions)?)
}

fn import_mentions(
    store: &mut Store,
    path: &PathBuf,
    version: &str,
    config: &Config,
) -> Result<u64> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut by_stem: HashMap<String, i64> = HashMap::new();
    for summary in store.list(&vigil_store::ListQuery::default())? {
        let stem = std::path::Path::new(&summary.source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        by_stem.insert(stem, summary.id);
    }
    let mut stored = 0;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let extracted: ExtractedReport = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not an extracted report", path.display(), n + 1))?;
        let report = match store.report(&extracted.report.id).ok().flatten() {
            Some(report) => report,
            None => match by_stem
                .get(&extracted.report.id)
                .and_then(|&id| store.report(&id.to_string()).ok().flatten())
            {
                Some(report) => report,
                None => bail!(
                    "{}:{}: no stored report {:?}",
                    path.display(),
                    n + 1,
                    extracted.report.id
                ),
            },
        };
        let published = report
            .incoming
            .published
            .as_deref()
            .and_then(vigil_store::parse_day);
        store_mentions(
            store,
            ReportKey {
                id: report.id,
                uid: &report.uid,
                published,
            },
            version,
            &extracted.incidents,
            &serde_json::Value::Array(vec![]),
            config,
        )?;
        stored += 1;
    }
    Ok(stored)
}

fn decode(id: i64, bytes: &[u8]) -> Result<Features> {
    let mut f = Features::decode(bytes)
        .with_context(|| format!("mention {id}: stored features cannot be read; run `vigil link --rebuild` after re-extraction"))?;
    f.key = id as u64;
    Ok(f)
}

fn sourced(m: StoredMention) -> SourcedMention {
    SourcedMention {
        key: m.id as u64,
        ordinal: m.ordinal,
        report: m.report,
        outlet: m.outlet,
        mention: m.mention,
    }
}

/// An assembled incident with its anchor mention, wave days, whether a report dated it, and its
/// mentions.
type Built = (Incident, i64, Option<(i32, i32)>, bool, Vec<i64>);

/// Assembles the incidents of `clusters` (mention ids) and the bookkeeping the store keeps.
fn assemble_clusters(store: &Store, clusters: &[Vec<i64>], config: &Config) -> Result<Vec<Built>> {
    use rayon::prelude::*;
    let claimants = Claimants::bundled();
    // Reading is sequential (one connection); assembling runs on every core.
    let mut loaded = Vec::with_capacity(clusters.len());
    for ids in clusters {
        let stored: Vec<SourcedMention> = store
            .stored_mentions(ids)?
            .into_iter()
            .map(sourced)
            .collect();
        if !stored.is_empty() {
            loaded.push((stored, ids));
        }
    }
    Ok(loaded
        .into_par_iter()
        .map(|(stored, ids)| {
            let members: Vec<&SourcedMention> = stored.iter().collect();
            let incident = vigil_link::assemble(&members, claimants);
            let anchor = ids.iter().copied().min().unwrap_or(0);
            let extent = vigil_link::extent_of(&incident, anchor as u64, config);
            (incident, anchor, extent.days, extent.dated, ids.clone())
        })
        .collect())
}

/// Stores built incidents: all of a rebuild's, or (incrementally) in place of the incidents
/// `remove`.
fn write_incidents(
    store: &mut Store,
    remove: &[i64],
    built: &[Built],
    rebuild: bool,
) -> Result<Vec<String>> {
    let new: Vec<NewIncident<'_>> = built
        .iter()
        .map(|(incident, anchor, days, dated, members)| NewIncident {
            incident,
            anchor: *anchor,
            days: *days,
            dated: *dated,
            members,
        })
        .collect();
    if rebuild {
        store.insert_incidents(&new)?;
        Ok(Vec::new())
    } else {
        Ok(store.replace_incidents(remove, &new)?)
    }
}

/// The store as [`vigil_link::replay`] sees it: candidates through the search indexes, and the
/// mentions of a stored incident. Decoded features are kept for the run.
struct Neighbourhood<'s> {
    store: &'s Store,
    config: &'s Config,
    seen: HashMap<i64, (Features, Option<i64>)>,
}

impl vigil_link::Neighbourhood for Neighbourhood<'_> {
    type Error = anyhow::Error;

    fn candidates(&mut self, mentions: &[&Features]) -> Result<Vec<StoredFeatures>> {
        let keys: Vec<MentionKeys> = mentions
            .iter()
            .filter_map(|m| m.search_keys(self.config))
            .map(mention_keys)
            .collect();
        let mut ids = Vec::new();
        // Boxes: one search over their union when it is not much larger than the largest (the
        // mentions of one cluster are usually of one place and a few days), else one each.
        if let Some(union) = union_box(&keys) {
            self.store.mentions_in_box(&union, &mut ids)?;
        } else {
            for k in &keys {
                self.store.mentions_in_box(k, &mut ids)?;
            }
        }
        // Names and units: one search per key over the union of its mentions' days.
        let mut names: HashMap<u32, (i32, i32)> = HashMap::new();
        let mut units: HashMap<u64, (i32, i32, bool)> = HashMap::new();
        for k in &keys {
            if k.name_key != 0 {
                let days = names.entry(k.name_key).or_insert((k.day_min, k.day_max));
                *days = (days.0.min(k.day_min), days.1.max(k.day_max));
            }
            if k.admin_key != 0 {
                let unit = units
                    .entry(k.admin_key)
                    .or_insert((k.day_min, k.day_max, k.coarse));
                *unit = (
                    unit.0.min(k.day_min),
                    unit.1.max(k.day_max),
                    unit.2 || k.coarse,
                );
            }
        }
        for (name, (d0, d1)) in names {
            self.store.mentions_named(name, d0, d1, &mut ids)?;
        }
        for (unit, (d0, d1, coarse)) in units {
            self.store
                .mentions_in_unit(unit, d0, d1, coarse, &mut ids)?;
        }
        ids.sort_unstable();
        ids.dedup();
        let unknown: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !self.seen.contains_key(id))
            .collect();
        for (id, bytes, incident) in self.store.mention_features(&unknown)? {
            self.seen.insert(id, (decode(id, &bytes)?, incident));
        }
        // The replay checks the pairs again; only candidates are copied out.
        let config = self.config;
        Ok(ids
            .iter()
            .filter_map(|id| self.seen.get(id))
            .filter(|(features, _)| {
                mentions
                    .iter()
                    .any(|m| vigil_link::is_candidate(m, features, config))
            })
            .map(|(features, incident)| StoredFeatures {
                features: features.clone(),
                incident: *incident,
            })
            .collect())
    }

    fn members(&mut self, incident: i64) -> Result<Vec<Features>> {
        self.store
            .incident_member_features(incident)?
            .into_iter()
            .map(|(id, bytes)| decode(id, &bytes))
            .collect()
    }
}

/// The union of several search boxes, when it is at most a little larger than the largest of
/// them (half a degree, a week); `None` otherwise (or for none).
fn union_box(keys: &[MentionKeys]) -> Option<MentionKeys> {
    let first = *keys.first()?;
    let mut union = first;
    let (mut lat, mut lon, mut days) = (0.0f64, 0.0f64, 0);
    for k in keys {
        union.day_min = union.day_min.min(k.day_min);
        union.day_max = union.day_max.max(k.day_max);
        union.lat_min = union.lat_min.min(k.lat_min);
        union.lat_max = union.lat_max.max(k.lat_max);
        union.lon_min = union.lon_min.min(k.lon_min);
        union.lon_max = union.lon_max.max(k.lon_max);
        lat = lat.max(k.lat_max - k.lat_min);
        lon = lon.max(k.lon_max - k.lon_min);
        days = days.max(k.day_max - k.day_min);
    }
    (union.lat_max - union.lat_min <= lat + 0.5
        && union.lon_max - union.lon_min <= lon + 0.5
        && union.day_max - union.day_min <= days + 7)
        .then_some(union)
}

/// Links every unlinked mention with what it touches.
pub fn link_pending(store: &mut Store, config: &Config) -> Result<LinkSummary> {
    let started = Instant::now();
    let mut summary = LinkSummary::default();
    let unlinked: Vec<Features> = store
        .unlinked_features()?
        .into_iter()
        .map(|(id, bytes)| decode(id, &bytes))
        .collect::<Result<_>>()?;
    if unlinked.is_empty() {
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    summary.mentions_linked = unlinked.len() as u64;
    let replayed = vigil_link::replay(
        unlinked,
        &mut Neighbourhood {
            store,
            config,
            seen: HashMap::new(),
        },
        config,
    )?;
    summary.mentions_replayed = replayed.loaded as u64;
    summary.mentions_searched = replayed.searched as u64;
    let clusters: Vec<Vec<i64>> = replayed
        .changed
        .iter()
        .map(|c| c.iter().map(|&k| k as i64).collect())
        .collect();
    let built = assemble_clusters(store, &clusters, config)?;
    let removed = write_incidents(store, &replayed.removed, &built, false)?;
    summary.incidents_written = built.len() as u64;
    summary.written = built.iter().map(|b| b.0.id.clone()).collect();
    summary.incidents_removed = removed.len() as u64;

    // Waves around what changed: the incidents written, the local incidents a written wave
    // may cover, and the parts of removed waves. Each store read
    // covers merged day ranges once; covering is decided in memory.
    let mut locals: HashMap<String, IncidentExtent> = HashMap::new();
    let slack = config.date_slack_days;
    let mut new_waves: Vec<Extent> = Vec::new();
    let mut wave_ranges = Vec::new();
    for (incident, anchor, days, dated, _) in &built {
        let stored = stored_extent(incident, *anchor, *days, *dated);
        if incident.aggregate {
            if let Some((w0, w1)) = *days {
                wave_ranges.push((w0 - slack - config.undated_window_days, w1 + slack));
                new_waves.push(extent(&stored));
            }
        } else {
            locals.insert(stored.uid.clone(), stored);
        }
    }
    for (d0, d1) in merged(wave_ranges) {
        for e in store.incident_extents(d0, d1, false)? {
            if e.aggregate || locals.contains_key(&e.uid) {
                continue;
            }
            let mine = extent(&e);
            if new_waves
                .iter()
                .any(|w| vigil_link::covers(w, &mine, config).is_some())
            {
                locals.insert(e.uid.clone(), e);
            }
        }
    }
    // (A wave removed by re-extraction took its parts' components with it: they are linked
    // again, so no part is left pointing at a wave that is gone.)
    for e in store.parts_of(&removed)? {
        locals.insert(e.uid.clone(), e);
    }
    let mut locals: Vec<IncidentExtent> = locals.into_values().collect();
    locals.sort_by(|a, b| a.uid.cmp(&b.uid));
    // Every wave whose days may meet a local's.
    let mut waves: HashMap<String, Extent> = HashMap::new();
    let local_ranges = locals
        .iter()
        .filter_map(|l| l.days)
        .map(|(l0, l1)| (l0 - slack, l1 + slack + config.undated_window_days));
    for (d0, d1) in merged(local_ranges.collect()) {
        for w in store.incident_extents(d0, d1, true)? {
            let e = extent(&w);
            waves.insert(w.uid, e);
        }
    }
    let mut changes = Vec::new();
    for local in &locals {
        if local.days.is_none() {
            if local.part_of.is_some() {
                changes.push((local.uid.clone(), None));
            }
            continue;
        }
        let mine = extent(local);
        let best = waves
            .iter()
            .filter_map(|(uid, w)| vigil_link::covers(w, &mine, config).map(|t| (t, uid)))
            .min();
        let wave = best.map(|(_, uid)| uid.clone());
        if wave != local.part_of {
            changes.push((local.uid.clone(), wave));
        }
    }
    summary.waves_assigned = changes.iter().filter(|c| c.1.is_some()).count() as u64;
    store.set_part_of(&changes)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Day ranges merged where they meet or overlap, in order.
fn merged(mut ranges: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    ranges.sort_unstable();
    let mut out: Vec<(i32, i32)> = Vec::new();
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn stored_extent(
    incident: &Incident,
    anchor: i64,
    days: Option<(i32, i32)>,
    dated: bool,
) -> IncidentExtent {
    let place = incident.place.as_ref();
    IncidentExtent {
        uid: incident.id.clone(),
        anchor,
        event_type: incident.event_type.code().to_string(),
        aggregate: incident.aggregate,
        days,
        dated,
        lat: place.map(|p| p.lat),
        lon: place.map(|p| p.lon),
        place_precision: place.map(|p| p.precision.code().to_string()),
        country: place.and_then(|p| p.country.clone()),
        admin1: place.and_then(|p| p.admin1.clone()),
        part_of: None,
    }
}

/// The `vigil_link` form of a stored incident's extent.
fn extent(e: &IncidentExtent) -> Extent {
    let precision = e.place_precision.as_deref().and_then(|p| {
        [
            PlacePrecision::Settlement,
            PlacePrecision::District,
            PlacePrecision::Admin2,
            PlacePrecision::Admin1,
            PlacePrecision::Country,
            PlacePrecision::Region,
        ]
        .into_iter()
        .find(|x| x.code() == p)
    });
    Extent {
        key: e.anchor as u64,
        event_type: EventType::from_code(&e.event_type)
            .unwrap_or(EventType::ViolenceAgainstCivilians),
        aggregate: e.aggregate,
        days: e.days,
        dated: e.dated,
        place: match (e.lat, e.lon, precision) {
            (Some(lat), Some(lon), Some(p)) => Some((lat, lon, p)),
            _ => None,
        },
        country: e.country.clone(),
        admin1: e
            .admin1
            .as_deref()
            .map(vigil_link::features::fold_place_name),
    }
}

/// Forgets every incident and links all mentions again.
pub fn rebuild(store: &mut Store, config: &Config) -> Result<LinkSummary> {
    let started = Instant::now();
    let mut summary = LinkSummary::default();
    store.clear_incidents()?;
    let mut features = Vec::new();
    store.for_each_mention_features(|id, bytes| {
        match Features::decode(bytes) {
            Some(mut f) => {
                f.key = id as u64;
                features.push(f);
            }
            None => {
                return Err(vigil_store::Error::Corrupt(format!(
                    "mention {id}: stored features cannot be read"
                )));
            }
        }
        Ok(())
    })?;
    summary.mentions_linked = features.len() as u64;
    summary.mentions_replayed = features.len() as u64;
    let linking = vigil_link::link(&features, config);
    for chunk in linking.clusters.chunks(2000) {
        let clusters: Vec<Vec<i64>> = chunk
            .iter()
            .map(|c| c.iter().map(|&i| features[i].key as i64).collect())
            .collect();
        let built = assemble_clusters(store, &clusters, config)?;
        write_incidents(store, &[], &built, true)?;
        summary.incidents_written += built.len() as u64;
    }
    drop(features);
    // Waves over everything.
    let mut uids = Vec::new();
    let mut extents = Vec::new();
    store.for_each_incident_extent(|e| {
        extents.push(extent(&e));
        uids.push(e.uid);
    })?;
    let waves = vigil_link::assign_waves(&extents, config);
    let changes: Vec<(String, Option<String>)> = waves
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.map(|w| (uids[i].clone(), Some(uids[w].clone()))))
        .collect();
    summary.waves_assigned = changes.len() as u64;
    store.set_part_of(&changes)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The extractor version recorded with each report's mentions: a report extracted by another
/// version is extracted again (and its mentions replaced) the next time `vigil ingest` runs.
pub fn extractor_version() -> String {
    format!("vigil-extract {}", env!("CARGO_PKG_VERSION"))
}

/// What [`extract_and_link`] did.
#[derive(Debug, Default, Serialize)]
pub struct ExtractSummary {
    pub reports_extracted: u64,
    pub mentions: u64,
    pub link: LinkSummary,
}

/// Extracts every report not yet extracted by this extractor version (in parallel, in batches),
/// stores the mentions, and links them incrementally.
pub fn extract_and_link(store: &mut Store, jobs: usize) -> Result<ExtractSummary> {
    use rayon::prelude::*;
    let config = Config::default();
    let version = extractor_version();
    let mut summary = ExtractSummary::default();
    let pending_count = store.reports_to_extract(&version, 1)?.len();
    if pending_count == 0 {
        return Ok(summary);
    }
    let resources =
        vigil_extract::Resources::bundled().context("cannot load the extraction resources")?;
    let extract_config = vigil_extract::Config::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start extraction threads")?;
    loop {
        let batch = store.reports_to_extract(&version, 256)?;
        if batch.is_empty() {
            break;
        }
        let extracted: Vec<(vigil_extract::Extraction, Option<jiff::civil::Date>)> =
            pool.install(|| {
                batch
                    .par_iter()
                    .map(|r| {
                        let published = r.published.as_deref().and_then(vigil_store::parse_day);
                        let input = vigil_extract::ReportInput {
                            body: &r.body,
                            title: r.title.as_deref(),
                            published,
                            language: r.language.as_deref(),
                        };
                        (
                            vigil_extract::extract_report(&input, &resources, &extract_config),
                            published,
                        )
                    })
                    .collect()
            });
        // The batch's mentions in one transaction.
        let diagnostics: Vec<serde_json::Value> = extracted
            .iter()
            .map(|(e, _)| serde_json::to_value(&e.diagnostics))
            .collect::<serde_json::Result<_>>()?;
        let reports: Vec<(ReportKey<'_>, &[Mention], &serde_json::Value)> = batch
            .iter()
            .zip(&extracted)
            .zip(&diagnostics)
            .map(|((report, (extraction, published)), diagnostics)| {
                (
                    ReportKey {
                        id: report.id,
                        uid: &report.uid,
                        published: *published,
                    },
                    extraction.mentions.as_slice(),
                    diagnostics,
                )
            })
            .collect();
        store_mentions_many(store, &reports, &version, &config)?;
        summary.reports_extracted += reports.len() as u64;
        summary.mentions += extracted
            .iter()
            .map(|(e, _)| e.mentions.len() as u64)
            .sum::<u64>();
    }
    summary.link = link_pending(store, &config)?;
    Ok(summary)
}

/// What `vigil ingest` does after storing: extract, link, and print the incidents written.
pub fn after_ingest(global: &Global, store: &mut Store, jobs: usize) -> Result<()> {
    let started = Instant::now();
    let summary = extract_and_link(store, jobs)?;
    if global.json || global.quiet || summary.reports_extracted == 0 {
        return Ok(());
    }
    println!(
        "{} report{} extracted: {} mention{}, linked into {} incident{} in {:.2} s",
        summary.reports_extracted,
        if summary.reports_extracted == 1 {
            ""
        } else {
            "s"
        },
        summary.mentions,
        if summary.mentions == 1 { "" } else { "s" },
        summary.link.incidents_written,
        if summary.link.incidents_written == 1 {
            ""
        } else {
            "s"
        },
        started.elapsed().as_secs_f64()
    );
    const SHOWN: usize = 40;
    let mut incidents = Vec::new();
    for uid in summary.link.written.iter().take(SHOWN) {
        if let Some(incident) = store.incident(uid)? {
            incidents.push(incident);
        }
    }
    if incidents.is_empty() {
        return Ok(());
    }
    incidents.sort_by(|a, b| (a.date.start, &a.id).cmp(&(b.date.start, &b.id)));
    println!();
    let mut table = crate::incidents_cmd::incident_table();
    for incident in &incidents {
        table.row(crate::incidents_cmd::incident_row(incident));
    }
    table.print()?;
    if summary.link.written.len() > SHOWN {
        println!(
            "… and {} more (vigil incidents list)",
            summary.link.written.len() - SHOWN
        );
    }
    Ok(())
}

/// A mention's search keys as the store indexes them.
fn mention_keys(k: vigil_link::SearchKeys) -> MentionKeys {
    MentionKeys {
        day_min: k.day_min,
        day_max: k.day_max,
        lat_min: k.lat_min,
        lat_max: k.lat_max,
        lon_min: k.lon_min,
        lon_max: k.lon_max,
        name_key: k.name_key,
        admin_key: k.admin_key,
        coarse: k.coarse,
    }
}
