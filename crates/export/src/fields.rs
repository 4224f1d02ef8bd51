//! Values several layouts derive the same way from an incident: codes of vigil's enums, the
//! incident's actors by role, its outlets, its dates, and the CSV formula guard.

use std::borrow::Cow;
use std::fmt::Write as _;

use jiff::civil::Date;
use vigil_model::{
    Actor, ActorKind, ActorRole, DatePrecision, Figure, FigureKind, Incident, IncidentReport,
    Place, Qualifier, Victims,
};

pub fn qualifier_code(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::AtLeast => "at_least",
        Qualifier::MoreThan => "more_than",
        Qualifier::UpTo => "up_to",
        Qualifier::LessThan => "less_than",
        Qualifier::About => "about",
        Qualifier::Nearly => "nearly",
        Qualifier::Vague => "vague",
    }
}

pub fn victims_code(v: Victims) -> &'static str {
    match v {
        Victims::Civilians => "civilians",
        Victims::Combatants => "combatants",
        Victims::Mixed => "mixed",
        Victims::Unknown => "unknown",
    }
}

pub fn role_code(r: ActorRole) -> &'static str {
    match r {
        ActorRole::Perpetrator => "perpetrator",
        ActorRole::Target => "target",
    }
}

pub fn kind_code(k: ActorKind) -> &'static str {
    match k {
        ActorKind::StateForces => "state_forces",
        ActorKind::RebelGroup => "rebel_group",
        ActorKind::PoliticalMilitia => "political_militia",
        ActorKind::IdentityMilitia => "identity_militia",
        ActorKind::ForeignForces => "foreign_forces",
        ActorKind::UnidentifiedArmedGroup => "unidentified_armed_group",
        ActorKind::Rioters => "rioters",
        ActorKind::Protesters => "protesters",
        ActorKind::Civilians => "civilians",
        ActorKind::Other => "other",
    }
}

pub fn date_precision_code(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "day",
        DatePrecision::Range => "range",
        DatePrecision::Week => "week",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
        DatePrecision::Unknown => "unknown",
    }
}

/// Perpetrators, in the incident's order.
pub fn perpetrators(incident: &Incident) -> impl Iterator<Item = &Actor> {
    incident
        .actors
        .iter()
        .filter(|a| a.role == ActorRole::Perpetrator)
}

/// Targets (armed or organised actors attacked or fought), in the incident's order.
pub fn targets(incident: &Incident) -> impl Iterator<Item = &Actor> {
    incident
        .actors
        .iter()
        .filter(|a| a.role == ActorRole::Target)
}

/// Distinct actor names in order, joined by "; " (the separator ACLED uses in its multi-valued
/// columns).
pub fn join_names<'a>(actors: impl Iterator<Item = &'a Actor>) -> String {
    join_distinct(actors.map(|a| a.name.as_str()))
}

/// Distinct non-empty values in order of first appearance, joined by "; ".
pub fn join_distinct<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values.map(str::trim).filter(|v| !v.is_empty()) {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join("; ")
}

/// The name to credit a report to: its outlet when known, else the host of its address, else its
/// source as given (a file name).
pub fn outlet_of(report: &IncidentReport) -> Cow<'_, str> {
    if let Some(outlet) = report
        .outlet
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        return Cow::Borrowed(outlet);
    }
    if let Some(host) = host_of(&report.source) {
        return Cow::Borrowed(host);
    }
    let source = report.source.rsplit(['/', '\\']).next().unwrap_or("");
    let source = source.split('#').next().unwrap_or(source);
    Cow::Borrowed(source)
}

/// The host of an `http(s)://` address, without a leading `www.`.
pub fn host_of(address: &str) -> Option<&str> {
    let rest = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// The outlets of the incident's reports, distinct, joined by "; ".
pub fn outlets(incident: &Incident) -> String {
    let names: Vec<Cow<str>> = incident.reports.iter().map(outlet_of).collect();
    join_distinct(names.iter().map(|n| n.as_ref()))
}

/// A place usable on a map: finite coordinates within WGS84 bounds.
pub fn located(place: Option<&Place>) -> Option<&Place> {
    place.filter(|p| {
        p.lat.is_finite()
            && p.lon.is_finite()
            && (-90.0..=90.0).contains(&p.lat)
            && (-180.0..=180.0).contains(&p.lon)
    })
}

/// The figure of a kind, if the incident has one.
pub fn figure(incident: &Incident, kind: FigureKind) -> Option<&Figure> {
    incident.figures.get(&kind)
}

/// The middle day of a range (the earlier of the two middle days when the length is even).
pub fn midpoint(start: Date, end: Date) -> Date {
    let days = (end - start).get_days();
    start
        .checked_add(jiff::Span::new().days(days / 2))
        .unwrap_or(start)
}

/// Days from `start` to `end`, both included (1 for a single day).
pub fn days_spanned(start: Date, end: Date) -> i64 {
    i64::from((end - start).get_days()).abs() + 1
}

/// Writes a date as `YYYY-MM-DD`.
pub fn iso_date(date: Date) -> String {
    let mut s = String::with_capacity(10);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    );
    s
}

/// A number as text, or nothing.
pub fn num(value: Option<u64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Days since 1970-01-01 (Arrow's Date32).
pub fn epoch_days(date: Date) -> i32 {
    (date - jiff::civil::date(1970, 1, 1)).get_days()
}

/// Characters that make Excel, LibreOffice and Google Sheets read a cell as a formula (OWASP's
/// CSV injection list), plus the apostrophe the guard itself adds, so that the guard can always
/// be undone.
fn starts_like_a_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    )
}

/// The formula guard for CSV text cells: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading apostrophe, so a spreadsheet shows it as text instead of
/// running it; a cell that starts with an apostrophe gets one more, so the rule is reversible
/// ([`unguard`] removes one leading apostrophe from any cell that has one).
pub fn guard(text: &str) -> Cow<'_, str> {
    if starts_like_a_formula(text) {
        let mut s = String::with_capacity(text.len() + 1);
        s.push('\'');
        s.push_str(text);
        Cow::Owned(s)
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`guard`]: the exact text that was exported.
pub fn unguard(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn guard_is_reversible_and_neutralises_formulas() {
        for text in [
            "=1+1", "+7", "-2", "@SUM(A1)", "\tx", "'quoted", "''", "plain", "",
        ] {
            let guarded = guard(text);
            assert!(!matches!(
                guarded.as_bytes().first(),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            ));
            assert_eq!(unguard(&guarded), text);
        }
    }

    #[test]
    fn hosts_and_midpoints() {
        assert_eq!(
            host_of("https://www.reuters.com/world/x?y=1"),
            Some("reuters.com")
        );
        assert_eq!(host_of("/tmp/report.txt"), None);
        assert_eq!(
            midpoint(date(2025, 3, 7), date(2025, 3, 9)),
            date(2025, 3, 8)
        );
        assert_eq!(days_spanned(date(2025, 3, 7), date(2025, 3, 7)), 1);
        assert_eq!(epoch_days(date(1970, 1, 2)), 1);
    }
}
