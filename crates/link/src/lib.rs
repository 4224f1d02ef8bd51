//! Linking: the mentions of many reports become incidents, incidents join the waves they belong
//! to, and every figure claim is reconciled into low / best / high with its reasons.
//!
//! Several outlets tell one massacre, each with its own spelling of the village, its own date
//! ("on Thursday") and its own toll, often quoted from a third party, and the tolls change as
//! days pass. Linking decides which mentions tell the same incident in three steps:
//!
//! 1. **Blocking** ([`is_candidate`], [`block`]): only mentions whose days overlap (give or take
//!    `date_slack_days`) and whose places lie within each other's reach (what their precision
//!    allows), or whose place names meet, or that share a province when one of them names only
//!    the province, are compared. This keeps the work near-linear in the number of mentions.
//! 2. **Scoring** ([`score`]): evidence in points from event type, place (same gazetteer entry,
//!    distance, name), date overlap, perpetrators, victims and killed figures.
//! 3. **Clustering** ([`cluster`]): pairs above `threshold` merge, best first, but never two
//!    mentions of one report (the extractor kept them apart) and never into a cluster holding a
//!    mention that contradicts the newcomer.
//!
//! Then [`assemble`] builds each incident (the most precise place and date its mentions
//! support, every actor, every claim, reconciled figures, flags for disagreements), and
//! [`waves`] relates local incidents to the wider aggregate incidents that cover them.
//!
//! **Incremental linking is exact.** Everything is a function of the mentions and their keys,
//! never of input order: clustering takes the pairs in one total order. [`replay`] walks that
//! order around what changed: it keeps the stored (old) linking's state of the incidents it
//! loads beside the new state, follows the edges of the clusters whose state may differ (found
//! through the store's search indexes, [`Features::search_keys`]), and loads an incident only
//! when such a cluster meets it. Its result is the one [`cluster`] of every mention gives, at a
//! cost that follows what changed, not the size of the store.
//!
//! The crate does no I/O: callers hand it mentions and take incidents back.
//!
//! ```
//! use vigil_link::{Claimants, Config, SourcedMention, link_mentions};
//! use vigil_model::*;
//!
//! let place = Place { name: "Baniyas".into(), geonames_id: Some(173576), admin1: Some("Tartus".into()),
//!     admin2: None, country: Some("SY".into()), lat: 35.18, lon: 35.95,
//!     precision: PlacePrecision::Settlement, mention: None, span: None };
//! let claim = |n: u64, who: &str| Claim { low: Some(n), high: None, qualifier: Qualifier::AtLeast,
//!     text: format!("at least {n} killed"), claimant: Some(who.into()), span: Span::new(0, 10),
//!     report: None, published: None, claimant_mention: None, superseded: false, partisan: false };
//! let mention = |n: u64, who: &str| Mention {
//!     event_type: EventType::ViolenceAgainstCivilians, sub_event_type: SubEventType::Attack,
//!     date: DateRange::day(jiff::civil::date(2025, 3, 7)), place: Some(place.clone()),
//!     actors: vec![], victims: Victims::Civilians, victim_identity: None,
//!     figures: [(FigureKind::Killed, Figure { low: Some(n), high: None, best: Some(n),
//!         claims: vec![claim(n, who)], rationale: None })].into(),
//!     historical: false, aggregate: false, evidence: vec![] };
//! let report = |id: &str, day: i8| IncidentReport { id: id.into(), source: format!("{id}.txt"),
//!     title: None, published: Some(jiff::civil::date(2025, 3, day)), outlet: None };
//! let mentions = vec![
//!     SourcedMention { key: 1, ordinal: 0, report: report("a", 8), outlet: None, mention: mention(180, "SOHR") },
//!     SourcedMention { key: 2, ordinal: 0, report: report("b", 9), outlet: None,
//!         mention: mention(532, "the Syrian Observatory for Human Rights") },
//! ];
//! let incidents = link_mentions(&mentions, Claimants::bundled(), &Config::default()).incidents;
//! assert_eq!(incidents.len(), 1);
//! let killed = &incidents[0].figures[&FigureKind::Killed];
//! assert_eq!(killed.best, Some(532));
//! assert!(killed.claims[0].superseded);
//! assert_eq!(killed.rationale.as_deref(), Some("best 532: the only current figure, from Syrian \
//!     Observatory for Human Rights, 9 Mar 2025; range 532 to open across 2 claims, 1 superseded by \
//!     newer figures of the same claimant"));
//! ```

pub mod assemble;
pub mod block;
pub mod claimants;
pub mod cluster;
pub mod features;
pub mod reconcile;
pub mod replay;
pub mod score;
pub mod waves;

use std::collections::HashMap;

use vigil_model::{Incident, PlacePrecision};

pub use assemble::{SourcedMention, assemble, incident_id};
pub use claimants::{ClaimantKind, Claimants, Resolved};
pub use cluster::{Edge, Linking, cluster, scored_edges};
pub use features::{Day, Features, SearchKeys, date_of, day_number, stable_hash};
pub use reconcile::{claim_range, reconcile};
pub use replay::{Neighbourhood, Replay, StoredFeatures, replay};
pub use score::{ScoreParts, is_candidate, score};
pub use waves::{Extent, assign_waves, covers};

/// Options of linking. The defaults are the documented behaviour; change them to study it.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// A pair whose score reaches this many points may be merged.
    pub threshold: f32,
    /// Every pair of mentions in one incident must score at least this (no chaining).
    pub min_pair_score: f32,
    /// Days two date ranges may miss each other by and still be compared ("on Thursday" told
    /// as "on Friday" across a midnight or a time zone).
    pub date_slack_days: i32,
    /// A mention whose text gives no date is taken to lie in this many days before its report's
    /// publication.
    pub undated_window_days: i32,
    /// How far (km) a place of each precision may lie from its point and still be the same place.
    pub reach_district_km: f64,
    pub reach_settlement_km: f64,
    pub reach_admin2_km: f64,
    pub reach_admin1_km: f64,
    pub reach_region_km: f64,
    pub reach_country_km: f64,
    /// Blocking grid cell size, in degrees and in days.
    pub grid_degrees: f64,
    pub grid_days: i32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            threshold: 3.0,
            min_pair_score: 1.0,
            date_slack_days: 1,
            undated_window_days: 14,
            reach_district_km: 3.0,
            reach_settlement_km: 8.0,
            reach_admin2_km: 40.0,
            reach_admin1_km: 150.0,
            reach_region_km: 150.0,
            reach_country_km: 800.0,
            grid_degrees: 0.25,
            grid_days: 4,
        }
    }
}

impl Config {
    pub fn reach_km(&self, precision: PlacePrecision) -> f64 {
        match precision {
            PlacePrecision::District => self.reach_district_km,
            PlacePrecision::Settlement => self.reach_settlement_km,
            PlacePrecision::Admin2 => self.reach_admin2_km,
            PlacePrecision::Admin1 => self.reach_admin1_km,
            PlacePrecision::Region => self.reach_region_km,
            PlacePrecision::Country => self.reach_country_km,
        }
    }
}

/// Links a set of mentions: blocking, scoring, clustering. The clusters are the incidents.
pub fn link(features: &[Features], config: &Config) -> Linking {
    let edges = scored_edges(features, config);
    cluster(features, edges, config)
}

/// The report number linking uses for a report uid.
pub fn report_number(report_uid: &str) -> u64 {
    stable_hash(report_uid.as_bytes())
}

/// The features of a sourced mention.
pub fn features_of(mention: &SourcedMention, config: &Config) -> Features {
    Features::of(
        &mention.mention,
        mention.key,
        report_number(&mention.report.id),
        mention.report.published,
        config,
    )
}

/// What wave assignment needs of an incident (`key`: its anchor mention's key). An incident no
/// report dates gets the window before its reports' publication.
pub fn extent_of(incident: &Incident, key: u64, config: &Config) -> Extent {
    let dated = incident.date.bounds();
    let days = match dated {
        Some((s, e)) => Some((day_number(s), day_number(e))),
        None => {
            let published: Vec<Day> = incident
                .reports
                .iter()
                .filter_map(|r| r.published.map(day_number))
                .collect();
            match (published.iter().min(), published.iter().max()) {
                (Some(&first), Some(&last)) => Some((first - config.undated_window_days, last)),
                _ => None,
            }
        }
    };
    Extent {
        key,
        event_type: incident.event_type,
        aggregate: incident.aggregate,
        days,
        dated: dated.is_some(),
        place: incident.place.as_ref().map(|p| (p.lat, p.lon, p.precision)),
        country: incident.place.as_ref().and_then(|p| p.country.clone()),
        admin1: incident
            .place
            .as_ref()
            .and_then(|p| p.admin1.as_deref())
            .map(features::fold_place_name),
    }
}

/// Incidents linked in memory, with their members.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// Ordered by their anchor's key.
    pub incidents: Vec<Incident>,
    /// For each incident, the indexes of its mentions in the input, sorted by key.
    pub members: Vec<Vec<usize>>,
}

/// Everything in memory: links the mentions, assembles the incidents, and relates them to
/// their waves.
pub fn link_mentions(
    mentions: &[SourcedMention],
    claimants: &Claimants,
    config: &Config,
) -> Linked {
    let features: Vec<Features> = mentions.iter().map(|m| features_of(m, config)).collect();
    let linking = link(&features, config);
    let mut incidents: Vec<Incident> = linking
        .clusters
        .iter()
        .map(|cluster| {
            let members: Vec<&SourcedMention> = cluster.iter().map(|&i| &mentions[i]).collect();
            assemble(&members, claimants)
        })
        .collect();
    let extents: Vec<Extent> = incidents
        .iter()
        .zip(&linking.clusters)
        .map(|(incident, cluster)| extent_of(incident, mentions[cluster[0]].key, config))
        .collect();
    let waves = assign_waves(&extents, config);
    let ids: HashMap<usize, String> = incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| (i, inc.id.clone()))
        .collect();
    for (incident, wave) in incidents.iter_mut().zip(waves) {
        incident.part_of = wave.map(|w| ids[&w].clone());
    }
    Linked {
        incidents,
        members: linking.clusters,
    }
}
