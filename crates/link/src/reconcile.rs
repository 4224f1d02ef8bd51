//! Reconciliation of one figure kind across an incident's claims: every claim kept, low / best /
//! high derived by a fixed rule, with a rationale in words and a flag when claims contradict.
//!
//! # The rule
//!
//! 1. **Claimants.** Each claim's claimant is put in canonical form ([`crate::Claimants`]); a
//!    claim a report makes in its own voice belongs to the report's outlet, or to the report when
//!    the outlet is unknown.
//! 2. **Supersession.** For each claimant only its newest claim counts: the one in its most
//!    recently published report (the larger figure when two are equally new). Its earlier claims
//!    are kept, marked `superseded` (180 then 532 from the same monitor: 532 counts).
//! 3. **Partisan claims** (parties to the conflict and their media) are kept and marked; they
//!    count only when no other claimant gives the figure.
//! 4. **Outdated counts.** Tolls rise as bodies are found: a claim whose whole range lies below
//!    the lower bound of a claim published later (by anyone) is an earlier count, not a
//!    contradiction; it is kept and shown but does not count.
//!    A count of one report below the lower bound of another count of the same report is a
//!    detail of it ("dozens of men were shot", then "the murder of his son"): a report does not
//!    contradict itself. It is kept and shown but does not count.
//! 5. **Range.** Each counting claim is a range: exact `n` is `[n, n]`, "at least n" and "more
//!    than n" `[n, ∞)`, "up to n" `[0, n]`, "about n" `[0.8n, 1.2n]`, "nearly n" `[0.8n, n]`, a
//!    vague word its conventional range ("dozens" 24 to 99). `low` and `high` are the
//!    intersection of these ranges: what every counting claimant allows.
//! 6. **Contradiction.** When the ranges do not meet, no figure satisfies every claimant: the
//!    incident gets a `conflicting_figures` flag, and `low` / `high` span all counting claims.
//! 7. **Best.** The newest counting claim that states a number (not a vague word), moved into
//!    `[low, high]`; when all are vague, `low`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use vigil_model::{Claim, FigureKind, Flag, Qualifier};

use crate::claimants::Claimants;

/// A claim with what reconciliation needs to know of its source.
#[derive(Debug, Clone)]
pub struct SourcedClaim {
    pub claim: Claim,
    /// The outlet of the report, when known (own-voice claims belong to it).
    pub outlet: Option<String>,
}

/// The reconciled figure and, when claims contradict, the flag to raise.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciled {
    pub figure: vigil_model::Figure,
    pub flags: Vec<Flag>,
}

/// The range a claim allows, `u64::MAX` for an open top.
pub fn claim_range(claim: &Claim) -> (u64, u64) {
    let low = claim.low;
    let high = claim.high;
    match claim.qualifier {
        Qualifier::About => {
            let n = low.or(high).unwrap_or(0);
            (n * 4 / 5, (n * 6).div_ceil(5))
        }
        Qualifier::Nearly => {
            let n = high.or(low).unwrap_or(0);
            (n * 4 / 5, n)
        }
        _ => (low.unwrap_or(0), high.unwrap_or(u64::MAX)),
    }
}

/// Who a claim belongs to for supersession, and its display name.
fn owner(claim: &Claim, outlet: Option<&str>) -> (String, String) {
    match (&claim.claimant, outlet) {
        (Some(c), _) => (format!("c:{c}"), c.clone()),
        (None, Some(o)) if !o.trim().is_empty() => (format!("o:{o}"), format!("{o} (own voice)")),
        (None, _) => {
            let report = claim.report.clone().unwrap_or_default();
            (
                format!("r:{report}"),
                format!("report {report} (own voice)"),
            )
        }
    }
}

/// Reconciles the claims of one figure kind. Claimant names must already be canonical (see
/// [`canonical_claims`]); `claimants` supplies partisanship for names the claims do not mark.
pub fn reconcile(kind: FigureKind, mut claims: Vec<SourcedClaim>) -> Reconciled {
    // Stable order: oldest first, then report, then position.
    claims.sort_by(|a, b| {
        (a.claim.published, &a.claim.report, a.claim.span.start).cmp(&(
            b.claim.published,
            &b.claim.report,
            b.claim.span.start,
        ))
    });
    // 2. Newest claim per owner.
    let mut newest: BTreeMap<String, usize> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        let (key, _) = owner(&c.claim, c.outlet.as_deref());
        let rank = |c: &Claim| (c.published, c.best().unwrap_or(0));
        match newest.get(&key) {
            Some(&j) if rank(&claims[j].claim) >= rank(&c.claim) => {}
            _ => {
                newest.insert(key, i);
            }
        }
    }
    for (i, c) in claims.iter_mut().enumerate() {
        let (key, _) = owner(&c.claim, c.outlet.as_deref());
        c.claim.superseded = newest.get(&key) != Some(&i);
    }
    let current: Vec<usize> = (0..claims.len())
        .filter(|&i| !claims[i].claim.superseded)
        .collect();
    // 3. Partisan claims count only when nothing else does.
    let neutral: Vec<usize> = current
        .iter()
        .copied()
        .filter(|&i| !claims[i].claim.partisan)
        .collect();
    let counting = if neutral.is_empty() {
        current.clone()
    } else {
        neutral
    };
    // 3b. Earlier counts below a later claim's lower bound are outdated.
    let outdated: Vec<usize> = counting
        .iter()
        .copied()
        .filter(|&i| {
            let (_, high) = claim_range(&claims[i].claim);
            claims[i].claim.published.is_some()
                && counting.iter().any(|&j| {
                    claims[j].claim.published > claims[i].claim.published
                        && claim_range(&claims[j].claim).0 > high
                })
        })
        .collect();
    // 3c. A report does not contradict itself: a count of one report below the lower bound of
    // another of its counts is a detail of it ("dozens of men were shot" and, later, "the
    // murder of his son").
    let details: Vec<usize> = counting
        .iter()
        .copied()
        .filter(|&i| {
            let (_, high) = claim_range(&claims[i].claim);
            claims[i].claim.report.is_some()
                && !outdated.contains(&i)
                && counting.iter().any(|&j| {
                    claims[j].claim.report == claims[i].claim.report
                        && claim_range(&claims[j].claim).0 > high
                })
        })
        .collect();
    let partisan_left_out: Vec<usize> = current
        .iter()
        .copied()
        .filter(|i| !counting.contains(i))
        .collect();
    let counting: Vec<usize> = counting
        .into_iter()
        .filter(|i| !outdated.contains(i) && !details.contains(i))
        .collect();

    let mut flags = Vec::new();
    let mut figure = vigil_model::Figure::default();
    if counting.is_empty() {
        figure.claims = claims.into_iter().map(|c| c.claim).collect();
        return Reconciled { figure, flags };
    }
    // 5. Intersection of ranges.
    let ranges: Vec<(u64, u64)> = counting
        .iter()
        .map(|&i| claim_range(&claims[i].claim))
        .collect();
    let lo = ranges.iter().map(|r| r.0).max().unwrap_or(0);
    let hi = ranges.iter().map(|r| r.1).min().unwrap_or(u64::MAX);
    let consistent = lo <= hi;
    let (low, high) = if consistent {
        (lo, hi)
    } else {
        // 6. Contradiction: span all counting claims.
        (
            ranges.iter().map(|r| r.0).min().unwrap_or(0),
            ranges.iter().map(|r| r.1).max().unwrap_or(u64::MAX),
        )
    };
    // 7. Best: the newest counting claim that states a number.
    let precise: Vec<usize> = counting
        .iter()
        .copied()
        .filter(|&i| {
            claims[i].claim.qualifier != Qualifier::Vague && claims[i].claim.best().is_some()
        })
        .collect();
    let chosen = precise.iter().copied().max_by(|&a, &b| {
        let rank = |c: &Claim| (c.published, c.best().unwrap_or(0));
        rank(&claims[a].claim)
            .cmp(&rank(&claims[b].claim))
            .then(b.cmp(&a))
    });
    let best = match chosen {
        Some(i) => {
            let v = claims[i].claim.best().unwrap_or(low);
            if consistent { v.clamp(low, high) } else { v }
        }
        None => low,
    };

    // Rationale.
    let describe = |i: usize| {
        let c = &claims[i];
        let (_, name) = owner(&c.claim, c.outlet.as_deref());
        match c.claim.published {
            Some(d) => format!("{name}, {}", short_date(d)),
            None => name,
        }
    };
    let superseded = claims.iter().filter(|c| c.claim.superseded).count();
    let show = |v: u64| {
        if v == u64::MAX {
            "open".to_string()
        } else {
            v.to_string()
        }
    };
    let mut rationale = match chosen {
        Some(i) if counting.len() == 1 && precise.len() == 1 => {
            format!("best {best}: the only current figure, from {}", describe(i))
        }
        Some(i) => format!("best {best}: newest figure of {}", describe(i)),
        None => format!("best {best}: lowest value every claim allows (only vague figures)"),
    };
    rationale.push_str(&format!(
        "; range {} to {} across {} claim{}",
        low,
        show(high),
        claims.len(),
        if claims.len() == 1 { "" } else { "s" }
    ));
    if superseded > 0 {
        rationale.push_str(&format!(
            ", {superseded} superseded by newer figures of the same claimant"
        ));
    }
    if !outdated.is_empty() {
        rationale.push_str(&format!(
            ", {} earlier lower count{} outdated by later figures",
            outdated.len(),
            if outdated.len() == 1 { "" } else { "s" }
        ));
    }
    if !details.is_empty() {
        rationale.push_str(&format!(
            ", {} smaller count{} within a larger one of the same report",
            details.len(),
            if details.len() == 1 { "" } else { "s" }
        ));
    }
    if !partisan_left_out.is_empty() {
        let mut names: Vec<String> = partisan_left_out
            .iter()
            .map(|&i| owner(&claims[i].claim, claims[i].outlet.as_deref()).1)
            .collect();
        names.dedup();
        rationale.push_str(&format!(
            "; {} claim{} by parties to the conflict not used ({})",
            partisan_left_out.len(),
            if partisan_left_out.len() == 1 {
                ""
            } else {
                "s"
            },
            names.join(", ")
        ));
    } else if counting.iter().all(|&i| claims[i].claim.partisan) {
        rationale.push_str("; every figure comes from a party to the conflict");
        flags.push(Flag {
            code: "partisan_only".into(),
            detail: format!("{kind}: every figure comes from a party to the conflict or its media"),
        });
    }
    if !consistent {
        let parts: Vec<String> = counting
            .iter()
            .map(|&i| {
                let (l, h) = claim_range(&claims[i].claim);
                let range = if l == h {
                    l.to_string()
                } else if h == u64::MAX {
                    format!("at least {l}")
                } else if l == 0 {
                    format!("at most {h}")
                } else {
                    format!("{l} to {h}")
                };
                format!("{range} ({})", describe(i))
            })
            .collect();
        let detail = format!(
            "{kind}: figures that cannot all be true: {}",
            parts.join("; ")
        );
        rationale.push_str("; the claims contradict each other (flagged)");
        flags.push(Flag {
            code: "conflicting_figures".into(),
            detail,
        });
    }
    figure.low = Some(low);
    figure.high = (high != u64::MAX).then_some(high);
    figure.best = Some(best);
    figure.rationale = Some(rationale);
    figure.claims = claims.into_iter().map(|c| c.claim).collect();
    Reconciled { figure, flags }
}

/// "9 Mar 2025".
pub fn short_date(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[(d.month() - 1) as usize],
        d.year()
    )
}

/// Puts the claimants of a set of claims in canonical form (recording the words as written in
/// `claimant_mention`) and marks partisan ones. Names are resolved twice: first alone, then
/// short forms ("the Observatory") against the names found in the first pass.
pub fn canonical_claims(claims: &mut [SourcedClaim], table: &Claimants) {
    let first: Vec<Option<crate::claimants::Resolved>> = claims
        .iter()
        .map(|c| c.claim.claimant.as_deref().map(|raw| table.resolve(raw)))
        .collect();
    let mut known: Vec<String> = first
        .iter()
        .flatten()
        .filter(|r| r.known)
        .map(|r| r.name.clone())
        .collect();
    known.sort();
    known.dedup();
    let context: Vec<&str> = known.iter().map(String::as_str).collect();
    for (c, resolved) in claims.iter_mut().zip(first) {
        let Some(resolved) = resolved else { continue };
        let raw = c.claim.claimant.clone().unwrap_or_default();
        let resolved = if resolved.known {
            resolved
        } else {
            table.resolve_in_context(&raw, &context)
        };
        if resolved.name != raw {
            c.claim.claimant_mention = Some(raw);
        }
        c.claim.claimant = Some(resolved.name);
        c.claim.partisan = c.claim.partisan || resolved.partisan;
    }
}
