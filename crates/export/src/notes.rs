//! The one-paragraph summary of an incident that fills ACLED's `notes` column: what, when,
//! where, who, and every figure with who claims it. It reports claims and never settles them:
//! each number keeps its claimant.

use std::fmt::Write as _;

use vigil_model::{DatePrecision, Incident};

use crate::fields::{self, iso_date, qualifier_code};

/// At most this many claims are spelt out per figure; the rest are counted.
const MAX_CLAIMS_LISTED: usize = 5;

/// The summary of an incident, e.g. "On 2025-03-07, Attack in Baniyas (Tartus, SY). Perpetrator:
/// Syrian government forces. Victims: civilians (Alawite). Killed: best 3, low 3, high 3; claims:
/// 3 (exact) according to Samir Haidar. Reports: 1."
pub fn notes(incident: &Incident) -> String {
    let mut s = String::with_capacity(256);
    match (incident.date.bounds(), incident.date.precision) {
        (None, _) => s.push_str("On an unknown date"),
        (Some((a, b)), _) if a == b => {
            let _ = write!(s, "On {}", iso_date(a));
        }
        (Some((a, _)), DatePrecision::Month) => {
            let _ = write!(s, "In {:04}-{:02}", a.year(), a.month());
        }
        (Some((a, _)), DatePrecision::Year) => {
            let _ = write!(s, "In {:04}", a.year());
        }
        (Some((a, b)), DatePrecision::Week) => {
            let _ = write!(s, "In the week {} to {}", iso_date(a), iso_date(b));
        }
        (Some((a, b)), _) => {
            let _ = write!(s, "Between {} and {}", iso_date(a), iso_date(b));
        }
    }
    let _ = write!(s, ", {}", incident.sub_event_type.acled_name());
    if let Some(place) = &incident.place {
        let _ = write!(s, " in {}", place.name);
        let context: Vec<&str> = [
            place.admin2.as_deref(),
            place.admin1.as_deref(),
            place.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|v| !v.is_empty() && *v != place.name)
        .collect();
        if !context.is_empty() {
            let _ = write!(s, " ({})", context.join(", "));
        }
    }
    s.push('.');

    for (label, role) in [
        ("Perpetrator", vigil_model::ActorRole::Perpetrator),
        ("Target", vigil_model::ActorRole::Target),
    ] {
        let actors: Vec<String> = incident
            .actors
            .iter()
            .filter(|a| a.role == role)
            .map(|a| match &a.claimant {
                Some(c) => format!("{} (according to {c})", a.name),
                None => a.name.clone(),
            })
            .collect();
        if !actors.is_empty() {
            let _ = write!(s, " {label}: {}.", actors.join("; "));
        }
    }
    if incident.victims != vigil_model::Victims::Unknown || incident.victim_identity.is_some() {
        let _ = write!(s, " Victims: {}", fields::victims_code(incident.victims));
        if let Some(identity) = &incident.victim_identity {
            let _ = write!(s, " ({identity})");
        }
        s.push('.');
    }

    for (kind, figure) in &incident.figures {
        let mut head = format!(" {}{}:", kind.code()[..1].to_uppercase(), &kind.code()[1..]);
        for (name, value) in [
            ("best", figure.best),
            ("low", figure.low),
            ("high", figure.high),
        ] {
            if let Some(v) = value {
                let _ = write!(head, " {name} {v},");
            }
        }
        s.push_str(head.trim_end_matches(','));
        if !figure.claims.is_empty() {
            let listed: Vec<String> = figure
                .claims
                .iter()
                .take(MAX_CLAIMS_LISTED)
                .map(|c| {
                    let range = match (c.low, c.high) {
                        (Some(l), Some(h)) if l == h => l.to_string(),
                        (Some(l), Some(h)) => format!("{l}-{h}"),
                        (Some(l), None) => format!("{l}+"),
                        (None, Some(h)) => format!("up to {h}"),
                        (None, None) => "?".to_string(),
                    };
                    let mut c_text = format!("{range} ({})", qualifier_code(c.qualifier));
                    if let Some(who) = &c.claimant {
                        let _ = write!(c_text, " according to {who}");
                    }
                    if let Some(day) = c.published {
                        let _ = write!(c_text, " on {}", iso_date(day));
                    }
                    if c.partisan {
                        c_text.push_str(", a party to the conflict");
                    }
                    if c.superseded {
                        c_text.push_str(", since revised");
                    }
                    c_text
                })
                .collect();
            let _ = write!(s, "; claims: {}", listed.join("; "));
            if figure.claims.len() > MAX_CLAIMS_LISTED {
                let _ = write!(s, "; and {} more", figure.claims.len() - MAX_CLAIMS_LISTED);
            }
        }
        s.push('.');
    }
    let _ = write!(s, " Reports: {}.", incident.reports.len());
    if !incident.flags.is_empty() {
        let codes: Vec<&str> = incident.flags.iter().map(|f| f.code.as_str()).collect();
        let _ = write!(s, " Flags: {}.", codes.join(", "));
    }
    s
}
