//! Building an incident from the mentions of one cluster: its id, kind, date, place, actors,
//! victims, reports, reconciled figures and flags.
//!
//! - **Date and place** are the most precise ones the mentions support: the finest precision any
//!   mention gives (a day before a range, a district before a town before a province), and among
//!   those the value most mentions give, then the earliest. A wave's days are the union of its
//!   mentions' days: a wave lasts as long as any report says it did.
//! - **Event type**: the one most mentions give (ties: the anchor mention's); mentions that
//!   disagree raise an `event_type_disagreement` flag.
//! - **Actors**: every actor any mention names, once per (name, role).
//! - **Perpetrators claimed differently** (two reports naming disjoint sets of identified
//!   perpetrators) raise `conflicting_perpetrators`: the record shows both, never picks one.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use vigil_model::{
    ActorKind, ActorRole, Claim, DatePrecision, DateRange, FigureKind, Flag, Incident,
    IncidentReport, Mention, Place, Span, Victims,
};

use crate::claimants::{Claimants, normalise};
use crate::features::{day_number, stable_hash};
use crate::reconcile::{SourcedClaim, canonical_claims, reconcile};

/// A mention with where it comes from: what assembling an incident needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedMention {
    /// The same key the mention's [`crate::Features`] carry.
    pub key: u64,
    /// The mention's position among its report's mentions.
    pub ordinal: u32,
    /// The report (its uid as `id`).
    pub report: IncidentReport,
    /// The report's outlet, when known: claims a report makes in its own voice belong to it.
    pub outlet: Option<String>,
    pub mention: Mention,
}

/// The public id of the incident anchored at a mention: 12 hex digits of a hash of the anchor's
/// report uid and position, so the same anchor always gives the same id.
pub fn incident_id(report: &str, ordinal: u32) -> String {
    let h = stable_hash(format!("{report}/{ordinal}").as_bytes());
    format!("{:012x}", h >> 16)
}

/// Assembles the incident of one cluster. `members` must not be empty; the anchor (the member
/// with the smallest key) names the incident. `part_of` is left for wave assignment.
pub fn assemble(members: &[&SourcedMention], claimants: &Claimants) -> Incident {
    let mut members: Vec<&SourcedMention> = members.to_vec();
    members.sort_by_key(|m| m.key);
    let anchor = members[0];
    let mentions: Vec<&Mention> = members.iter().map(|m| &m.mention).collect();
    let aggregate = mentions.iter().any(|m| m.aggregate);
    let mut flags = Vec::new();

    // Event type by vote; the anchor breaks ties.
    let event_type = vote(
        mentions.iter().map(|m| m.event_type),
        anchor.mention.event_type,
    );
    let sub_event_type = vote(
        mentions
            .iter()
            .filter(|m| m.event_type == event_type)
            .map(|m| m.sub_event_type),
        if anchor.mention.event_type == event_type {
            anchor.mention.sub_event_type
        } else {
            mentions
                .iter()
                .find(|m| m.event_type == event_type)
                .map(|m| m.sub_event_type)
                .unwrap_or(anchor.mention.sub_event_type)
        },
    );
    let mut types: Vec<&str> = mentions.iter().map(|m| m.event_type.code()).collect();
    types.sort_unstable();
    types.dedup();
    if types.len() > 1 {
        flags.push(Flag {
            code: "event_type_disagreement".into(),
            detail: format!("reports classify it differently: {}", types.join(", ")),
        });
    }

    let date = if aggregate {
        union_date(&mentions)
    } else {
        most_precise_date(&mentions)
    };
    let place = most_precise_place(&mentions);

    // Actors, once per (name, role), in order of first appearance.
    let mut actors = Vec::new();
    let mut seen = HashMap::new();
    for m in &mentions {
        for a in &m.actors {
            let k = (normalise(&a.name), a.role);
            if let std::collections::hash_map::Entry::Vacant(e) = seen.entry(k) {
                e.insert(());
                actors.push(a.clone());
            }
        }
    }
    actors.sort_by_key(|a| a.role);
    if let Some(flag) = perpetrator_conflict(&members) {
        flags.push(flag);
    }

    let victims = {
        let known: Vec<Victims> = mentions
            .iter()
            .map(|m| m.victims)
            .filter(|v| *v != Victims::Unknown)
            .collect();
        if known.contains(&Victims::Civilians) && known.contains(&Victims::Combatants) {
            Victims::Mixed
        } else {
            vote(
                known.iter().copied(),
                known.first().copied().unwrap_or(Victims::Unknown),
            )
        }
    };
    let identities: Vec<String> = mentions
        .iter()
        .filter_map(|m| m.victim_identity.clone())
        .collect();
    let victim_identity = identities
        .first()
        .map(|first| vote(identities.iter().cloned(), first.clone()));

    // Reports, oldest first.
    let mut reports: Vec<IncidentReport> = Vec::new();
    for m in &members {
        if !reports.iter().any(|r| r.id == m.report.id) {
            reports.push(m.report.clone());
        }
    }
    reports.sort_by(|a, b| (a.published, &a.id).cmp(&(b.published, &b.id)));

    // Claims of every kind, canonical claimants resolved across the whole incident.
    let mut claims: Vec<(FigureKind, SourcedClaim)> = Vec::new();
    for m in &members {
        for (kind, figure) in &m.mention.figures {
            let mut own: Vec<Claim> = figure.claims.clone();
            if own.is_empty() && (figure.low.is_some() || figure.high.is_some()) {
                own.push(Claim {
                    low: figure.low,
                    high: figure.high,
                    qualifier: if figure.low == figure.high {
                        vigil_model::Qualifier::Exact
                    } else {
                        vigil_model::Qualifier::Vague
                    },
                    text: String::new(),
                    claimant: None,
                    span: Span::new(0, 0),
                    report: None,
                    published: None,
                    claimant_mention: None,
                    superseded: false,
                    partisan: false,
                });
            }
            for mut claim in own {
                claim.report = Some(m.report.id.clone());
                claim.published = m.report.published;
                claims.push((
                    *kind,
                    SourcedClaim {
                        claim,
                        outlet: m.outlet.clone(),
                    },
                ));
            }
        }
    }
    let (kinds, mut sourced): (Vec<FigureKind>, Vec<SourcedClaim>) = claims.into_iter().unzip();
    canonical_claims(&mut sourced, claimants);
    let mut by_kind: BTreeMap<FigureKind, Vec<SourcedClaim>> = BTreeMap::new();
    for (kind, claim) in kinds.into_iter().zip(sourced) {
        by_kind.entry(kind).or_default().push(claim);
    }
    let mut figures = BTreeMap::new();
    for (kind, claims) in by_kind {
        let reconciled = reconcile(kind, claims);
        flags.extend(reconciled.flags);
        figures.insert(kind, reconciled.figure);
    }

    Incident {
        id: incident_id(&anchor.report.id, anchor.ordinal),
        event_type,
        sub_event_type,
        date,
        place,
        actors,
        victims,
        victim_identity,
        figures,
        historical: mentions.iter().all(|m| m.historical),
        aggregate,
        reports,
        part_of: None,
        flags,
    }
}

/// The most frequent value; `fallback` wins ties it is part of, else the first seen.
fn vote<T: PartialEq + Clone>(values: impl Iterator<Item = T>, fallback: T) -> T {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let top = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if counts.iter().any(|(v, n)| *n == top && *v == fallback) || counts.is_empty() {
        return fallback;
    }
    counts
        .into_iter()
        .find(|(_, n)| *n == top)
        .map(|(v, _)| v)
        .unwrap_or(fallback)
}

fn precision_rank(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 0,
        DatePrecision::Range => 1,
        DatePrecision::Week => 2,
        DatePrecision::Month => 3,
        DatePrecision::Year => 4,
        DatePrecision::Unknown => 5,
    }
}

fn most_precise_date(mentions: &[&Mention]) -> DateRange {
    let known: Vec<&DateRange> = mentions
        .iter()
        .map(|m| &m.date)
        .filter(|d| d.bounds().is_some())
        .collect();
    let Some(best_rank) = known.iter().map(|d| precision_rank(d.precision)).min() else {
        return DateRange::unknown();
    };
    let finest: Vec<(Date, Date)> = known
        .iter()
        .filter(|d| precision_rank(d.precision) == best_rank)
        .filter_map(|d| d.bounds())
        .collect();
    let mut counts: Vec<((Date, Date), usize)> = Vec::new();
    for b in &finest {
        match counts.iter_mut().find(|(x, _)| x == b) {
            Some((_, n)) => *n += 1,
            None => counts.push((*b, 1)),
        }
    }
    // Most support, then the narrowest range, then the earliest.
    let width = |b: &(Date, Date)| day_number(b.1) - day_number(b.0);
    counts.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(width(&a.0).cmp(&width(&b.0)))
            .then(a.0.cmp(&b.0))
    });
    let ((start, end), _) = counts[0];
    let precision = known
        .iter()
        .find(|d| d.bounds() == Some((start, end)) && precision_rank(d.precision) == best_rank)
        .map(|d| d.precision)
        .unwrap_or(DatePrecision::Range);
    DateRange {
        start: Some(start),
        end: Some(end),
        precision,
    }
}

fn union_date(mentions: &[&Mention]) -> DateRange {
    let bounds: Vec<(Date, Date)> = mentions.iter().filter_map(|m| m.date.bounds()).collect();
    let (Some(start), Some(end)) = (
        bounds.iter().map(|b| b.0).min(),
        bounds.iter().map(|b| b.1).max(),
    ) else {
        return DateRange::unknown();
    };
    if bounds.len() == 1 {
        return mentions
            .iter()
            .find(|m| m.date.bounds().is_some())
            .map(|m| m.date)
            .unwrap_or_default();
    }
    DateRange::between(start, end, DatePrecision::Range)
}

fn most_precise_place(mentions: &[&Mention]) -> Option<Place> {
    let places: Vec<&Place> = mentions.iter().filter_map(|m| m.place.as_ref()).collect();
    let best_rank = places.iter().map(|p| p.precision.rank()).min()?;
    let finest: Vec<&Place> = places
        .into_iter()
        .filter(|p| p.precision.rank() == best_rank)
        .collect();
    let identity = |p: &Place| match p.geonames_id {
        Some(id) => format!("g{id}"),
        None => format!("n{}", crate::features::fold_place_name(&p.name)),
    };
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (i, p) in finest.iter().enumerate() {
        let id = identity(p);
        match counts.iter_mut().find(|(x, _, _)| *x == id) {
            Some((_, n, _)) => *n += 1,
            None => counts.push((id, 1, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let chosen = finest[counts[0].2];
    let mut place = chosen.clone();
    // The words and span belong to one report; the incident's place is the gazetteer's.
    place.mention = None;
    place.span = None;
    Some(place)
}

fn perpetrator_conflict(members: &[&SourcedMention]) -> Option<Flag> {
    // Identified perpetrators per report.
    let mut per_report: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in members {
        let names: Vec<String> = m
            .mention
            .actors
            .iter()
            .filter(|a| {
                a.role == ActorRole::Perpetrator && a.kind != ActorKind::UnidentifiedArmedGroup
            })
            .map(|a| a.name.clone())
            .collect();
        if !names.is_empty() {
            per_report
                .entry(m.report.id.as_str())
                .or_default()
                .extend(names);
        }
    }
    let sets: Vec<(&str, Vec<String>)> = per_report.into_iter().collect();
    for (i, (ra, a)) in sets.iter().enumerate() {
        for (rb, b) in &sets[i + 1..] {
            let shared = a
                .iter()
                .any(|x| b.iter().any(|y| normalise(x) == normalise(y)));
            if !shared {
                return Some(Flag {
                    code: "conflicting_perpetrators".into(),
                    detail: format!(
                        "report {ra} names {} as perpetrator; report {rb} names {}",
                        a.join(", "),
                        b.join(", ")
                    ),
                });
            }
        }
    }
    None
}
