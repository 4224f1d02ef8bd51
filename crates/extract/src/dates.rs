//! Dates: explicit dates in their common forms, weekdays, and relative expressions resolved
//! against the publication date, each with a precision.
//!
//! Without a publication date only what the text fixes is kept ("7 March 2025", "May 2012"); a
//! weekday or "yesterday" is then unknown, and a day without a year is unknown too: no year is
//! ever invented. Expressions relative to another event ("a day after the ambush") are marked
//! and resolved by the assembler, which knows that event's date.

use jiff::civil::Date;
use vigil_model::{DatePrecision, DateRange, Span};

use crate::doc::Doc;
use crate::lexicon::{Cue, Modifier, Period, What, kinds};

/// What kind of expression a date came from; the assembler prefers specific ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// A day or days written out ("March 7", "7 March 2025", "2017-02-08").
    Explicit,
    /// A weekday resolved against the publication date ("on Thursday").
    Weekday,
    /// A day relative to the publication date ("yesterday", "overnight").
    Relative,
    /// A month ("in May 2012", "last November").
    Month,
    /// A year ("in 2012").
    Year,
    /// A vague period ("in recent days", "last week", "over the weekend").
    Vague,
    /// Days relative to another event: `+1` for "a day after X" (the dated event is after X).
    RelativeEvent(i32),
    /// "for the third consecutive day": the event runs `n` days to the date it is told with.
    Streak(u32),
}

/// A date expression found in the text.
#[derive(Debug, Clone)]
pub struct DateMention {
    pub toks: (usize, usize),
    pub span: Span,
    pub range: DateRange,
    pub kind: DateKind,
    /// The expression says "since ...": the event runs from the date to publication.
    pub since: bool,
}

impl DateMention {
    /// Specific expressions (a day, a weekday) win over vague ones in one sentence.
    pub fn specificity(&self) -> u8 {
        match self.kind {
            DateKind::Explicit | DateKind::Weekday => 4,
            DateKind::Relative => 3,
            DateKind::Month => 2,
            DateKind::Vague | DateKind::Year => 1,
            DateKind::RelativeEvent(_) | DateKind::Streak(_) => 0,
        }
    }
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().days(n)).ok()
}

fn monday_zero(d: Date) -> i64 {
    d.weekday().to_monday_zero_offset() as i64
}

fn last_day_of_month(year: i16, month: i8) -> Option<Date> {
    Date::new(year, month, 1).ok().map(|d| d.last_of_month())
}

fn month_range(year: i16, month: i8) -> Option<DateRange> {
    let start = Date::new(year, month, 1).ok()?;
    let end = last_day_of_month(year, month)?;
    Some(DateRange::between(start, end, DatePrecision::Month))
}

fn year_range(year: i16) -> Option<DateRange> {
    Some(DateRange::between(
        Date::new(year, 1, 1).ok()?,
        Date::new(year, 12, 31).ok()?,
        DatePrecision::Year,
    ))
}

/// The year a day of a month without a year falls in: the publication year, or the year before
/// when that day would be more than a week after publication.
fn infer_year(published: Date, month: i8, day: i8) -> Option<Date> {
    let this = Date::new(published.year(), month, day).ok()?;
    if this > add_days(published, 7)? {
        Date::new(published.year() - 1, month, day).ok()
    } else {
        Some(this)
    }
}

fn two_digit_year(y: u64, published: Option<Date>) -> i16 {
    let y = y as i16;
    match published {
        Some(p) => {
            let century = p.year() / 100 * 100;
            if century + y > p.year() + 1 {
                century - 100 + y
            } else {
                century + y
            }
        }
        None if y >= 50 => 1900 + y,
        None => 2000 + y,
    }
}

/// The most recent `weekday` (0 = Monday) on or before `published`; strictly before when
/// `strict` ("last Thursday").
fn resolve_weekday(published: Date, weekday: u8, strict: bool) -> Option<Date> {
    let mut back = (monday_zero(published) - weekday as i64).rem_euclid(7);
    if strict && back == 0 {
        back = 7;
    }
    add_days(published, -back)
}

struct Scan<'d, 'a> {
    doc: &'d Doc<'a>,
    published: Option<Date>,
    end: usize,
}

impl Scan<'_, '_> {
    fn number(&self, i: usize) -> Option<u64> {
        if i >= self.end {
            return None;
        }
        self.doc.number_value(i)
    }

    /// A day of the month at `i`: "7" or "7th".
    fn day_at(&self, i: usize) -> Option<(u8, usize)> {
        if i >= self.end {
            return None;
        }
        if let Some(n) = self.number(i) {
            if (1..=31).contains(&n) && self.doc.norm(i).len() <= 2 {
                return Some((n as u8, i + 1));
            }
            return None;
        }
        let w = self.doc.norm(i);
        for suffix in ["st", "nd", "rd", "th"] {
            if let Some(digits) = w.strip_suffix(suffix)
                && let Ok(n) = digits.parse::<u8>()
                && (1..=31).contains(&n)
            {
                return Some((n, i + 1));
            }
        }
        None
    }

    /// A year at `i`: four digits 1900-2100, or two digits when `short` is allowed.
    fn year_at(&self, i: usize, short: bool) -> Option<(i16, usize)> {
        let n = self.number(i)?;
        let digits = self.doc.norm(i).len();
        if digits == 4 && (1900..=2100).contains(&n) {
            return Some((n as i16, i + 1));
        }
        if short && digits == 2 {
            return Some((two_digit_year(n, self.published), i + 1));
        }
        None
    }

    fn month_at(&self, i: usize) -> Option<(u8, usize)> {
        if i >= self.end {
            return None;
        }
        let hit = self
            .doc
            .find_within(i, self.end, |w| matches!(w, What::Month(_)))?;
        let What::Month(m) = hit.what else {
            return None;
        };
        let mut next = hit.end();
        // "Jan." / "Sept."
        if self.doc.toks.is_punct(next, ".") && self.doc.norm(i).len() <= 4 {
            next += 1;
        }
        Some((m, next))
    }

    fn weekday_at(&self, i: usize) -> Option<(u8, usize)> {
        if i >= self.end {
            return None;
        }
        let hit = self
            .doc
            .find_within(i, self.end, |w| matches!(w, What::Weekday(_)))?;
        let What::Weekday(d) = hit.what else {
            return None;
        };
        Some((d, hit.end()))
    }

    fn modifier_before(&self, i: usize, start: usize) -> Option<(Modifier, usize)> {
        if i == 0 || i <= start {
            return None;
        }
        let hit = self
            .doc
            .find_ending_at(i, 2, |w| matches!(w, What::DateModifier(_)))?;
        let What::DateModifier(m) = hit.what else {
            return None;
        };
        Some((m, hit.start as usize))
    }
}

/// Finds the date expressions of tokens `start..end` (one sentence).
pub fn find_dates(
    doc: &Doc,
    start: usize,
    end: usize,
    published: Option<Date>,
) -> Vec<DateMention> {
    let scan = Scan {
        doc,
        published,
        end,
    };
    let mut out: Vec<DateMention> = Vec::new();
    let mut i = start;
    while i < end {
        // Every date expression begins with a month, a weekday, a relative day or period
        // ("yesterday", "last week"), a number word, "the same day", a numeral ("7", "7th", "2012") or "a", "an", "the": other tokens are passed
        // over without trying each form.
        let opens = doc.has(
            i,
            kinds::MONTH
                | kinds::WEEKDAY
                | kinds::RELATIVE
                | kinds::PERIOD
                | kinds::NUM_UNIT
                | kinds::cue(Cue::RelSameDay),
        ) || doc.norm(i).starts_with(|c: char| c.is_ascii_digit())
            || matches!(doc.norm(i), "a" | "an" | "the");
        if !opens {
            i += 1;
            continue;
        }
        if let Some(m) = match_at(&scan, start, i) {
            i = m.toks.1.max(i + 1);
            out.push(m);
        } else {
            i += 1;
        }
    }
    // "since X": the event runs from X to publication.
    for m in &mut out {
        let (a, _) = m.toks;
        let since = (a.saturating_sub(5).max(start)..a).any(|k| doc.norm(k) == "since");
        if since
            && let (Some(s), Some(p)) = (m.range.start, published)
            && s <= p
            && matches!(
                m.kind,
                DateKind::Explicit | DateKind::Weekday | DateKind::Month
            )
        {
            m.range = DateRange::between(s, p, DatePrecision::Range);
            m.since = true;
        }
    }
    out
}

fn mention(doc: &Doc, a: usize, b: usize, range: DateRange, kind: DateKind) -> DateMention {
    DateMention {
        toks: (a, b),
        span: doc.span(a, b),
        range,
        kind,
        since: false,
    }
}

fn match_at(scan: &Scan, start: usize, i: usize) -> Option<DateMention> {
    let doc = scan.doc;
    let published = scan.published;
    // ISO dates: 2017-02-08.
    if let Some((y, _)) = scan.year_at(i, false)
        && doc.toks.list.get(i + 1).is_some_and(|t| t.joined)
        && doc.toks.list.get(i + 2).is_some_and(|t| t.joined)
        && let (Some(m), Some(d)) = (scan.number(i + 1), scan.number(i + 2))
        && let Ok(date) = Date::new(y, m as i8, d as i8)
    {
        return Some(mention(
            doc,
            i,
            i + 3,
            DateRange::day(date),
            DateKind::Explicit,
        ));
    }
    // "7 March 2025", "7th of March", "23 Aug 88", "6-8 March".
    if let Some((day, next)) = scan.day_at(i) {
        let mut j = next;
        let mut day_end = None;
        // "6-8 March", "6 to 8 March", "6 and 7 March"
        if let Some((d2, n2)) = scan.day_at(j + 1).filter(|_| {
            doc.toks.list.get(j + 1).is_some_and(|t| t.joined)
                || matches!(doc.norm(j), "to" | "and" | "-")
        }) {
            day_end = Some(d2);
            j = n2;
        } else if doc.toks.list.get(j).is_some_and(|t| t.joined)
            && let Some((d2, n2)) = scan.day_at(j)
        {
            day_end = Some(d2);
            j = n2;
        }
        if doc.norm(j) == "of" {
            j += 1;
        }
        if let Some((month, after)) = scan.month_at(j) {
            let (year, end) = match scan.year_at(after, true) {
                Some((y, e)) => (Some(y), e),
                None if doc.toks.is_punct(after, ",") => match scan.year_at(after + 1, false) {
                    Some((y, e)) => (Some(y), e),
                    None => (None, after),
                },
                None => (None, after),
            };
            return Some(day_month(doc, i, end, year, month, day, day_end, published));
        }
    }
    // "March 7", "March 7, 2025", "March 6-8", "May 2012", "in December", "last November".
    if let Some((month, next)) = scan.month_at(i) {
        if let Some((day, after_day)) = scan.day_at(next) {
            let mut j = after_day;
            let mut day_end = None;
            if let Some((d2, n2)) = scan
                .day_at(j)
                .filter(|_| doc.toks.list.get(j).is_some_and(|t| t.joined))
            {
                day_end = Some(d2);
                j = n2;
            } else if matches!(doc.norm(j), "to" | "and" | "-")
                && let Some((d2, n2)) = scan.day_at(j + 1)
                && scan.month_at(j + 1).is_none()
            {
                day_end = Some(d2);
                j = n2;
            }
            let (year, end) = if doc.toks.is_punct(j, ",") {
                match scan.year_at(j + 1, false) {
                    Some((y, e)) => (Some(y), e),
                    None => (None, j),
                }
            } else {
                match scan.year_at(j, false) {
                    Some((y, e)) => (Some(y), e),
                    None => (None, j),
                }
            };
            return Some(day_month(doc, i, end, year, month, day, day_end, published));
        }
        if let Some((year, end)) = scan.year_at(next, false) {
            let range = month_range(year, month as i8)?;
            return Some(mention(doc, i, end, range, DateKind::Month));
        }
        // A bare month needs a cue before it ("in", "last", "since", "early"), or it is more
        // likely a name or a verb ("May", "march").
        let (modifier, from) = scan
            .modifier_before(i, start)
            .map_or((None, i), |(m, at)| (Some(m), at));
        let cued = modifier.is_some()
            || (i > start
                && matches!(
                    doc.norm(i - 1),
                    "in" | "since"
                        | "early"
                        | "late"
                        | "mid"
                        | "of"
                        | "during"
                        | "until"
                        | "by"
                        | "from"
                        | "throughout"
                        | "before"
                        | "after"
                        | "end"
                ));
        if !cued {
            return None;
        }
        let p = published?;
        let year = match modifier {
            Some(Modifier::Next) => return None,
            Some(Modifier::Last) => {
                if (month as i8) < p.month() {
                    p.year()
                } else {
                    p.year() - 1
                }
            }
            Some(Modifier::This) => p.year(),
            None => {
                if (month as i8) <= p.month() {
                    p.year()
                } else {
                    p.year() - 1
                }
            }
        };
        let range = month_range(year, month as i8)?;
        return Some(mention(doc, from, next, range, DateKind::Month));
    }
    // Weekdays: "on Thursday", "Thursday morning", "last Tuesday", "Thursday and Friday".
    if let Some((weekday, next)) = scan.weekday_at(i) {
        // "Friday, March 7" or "March 7, a Friday": the written date decides.
        if doc.toks.is_punct(next, ",") && scan.month_at(next + 1).is_some() {
            return None;
        }
        // "March 7, a Friday" or "March 7, Friday": the written date before it decides.
        let k = if i > start && doc.norm(i - 1) == "a" {
            i - 1
        } else {
            i
        };
        if k >= start + 2 && doc.toks.is_punct(k - 1, ",") && doc.is_number(k - 2) {
            return None;
        }
        let (modifier, from) = scan
            .modifier_before(i, start)
            .map_or((None, i), |(m, at)| (Some(m), at));
        let mut end = next;
        while end < scan.end
            && doc
                .find_within(end, scan.end, |w| matches!(w, What::DayPart))
                .is_some()
        {
            end += 1;
        }
        let p = published?;
        let strict = matches!(modifier, Some(Modifier::Last));
        if matches!(modifier, Some(Modifier::Next)) {
            return None;
        }
        let day = resolve_weekday(p, weekday, strict)?;
        // "Thursday and Friday", "Thursday to Saturday", "between Thursday and Saturday".
        if matches!(doc.norm(end), "and" | "to" | "through" | "-" | "until")
            && let Some((w2, n2)) = scan.weekday_at(end + 1)
        {
            let mut day2 = resolve_weekday(p, w2, false)?;
            if day2 < day {
                day2 = add_days(day2, 7)?.min(p);
            }
            let mut e = n2;
            while e < scan.end
                && doc
                    .find_within(e, scan.end, |w| matches!(w, What::DayPart))
                    .is_some()
            {
                e += 1;
            }
            return Some(mention(
                doc,
                from,
                e,
                DateRange::between(day, day2, DatePrecision::Range),
                DateKind::Weekday,
            ));
        }
        return Some(mention(
            doc,
            from,
            end,
            DateRange::day(day),
            DateKind::Weekday,
        ));
    }
    // Relative days and periods.
    if let Some(hit) = doc.find_within(i, scan.end, |w| {
        matches!(w, What::Relative(..) | What::Period(_))
    }) {
        let range = match (hit.what, published) {
            (What::Relative(a, b), Some(p)) => {
                let s = add_days(p, a as i64)?;
                let e = add_days(p, b as i64)?;
                DateRange::between(s, e, DatePrecision::Range)
            }
            (What::Period(period), Some(p)) => period_range(period, p)?,
            _ => DateRange::unknown(),
        };
        let kind = match hit.what {
            What::Relative(a, b) if b - a <= 1 => DateKind::Relative,
            _ => DateKind::Vague,
        };
        return Some(mention(doc, i, hit.end(), range, kind));
    }
    // "two days ago", "a week ago".
    if let Some((n, next)) = small_count(doc, i, scan.end)
        && let Some(unit) = doc.find_within(next, scan.end, |w| matches!(w, What::AgoUnit(_)))
        && doc.norm(unit.end()) == "ago"
    {
        let What::AgoUnit(days) = unit.what else {
            return None;
        };
        let range = match published {
            Some(p) => DateRange::day(add_days(p, -(n as i64 * days as i64))?),
            None => DateRange::unknown(),
        };
        return Some(mention(doc, i, unit.end() + 1, range, DateKind::Relative));
    }
    // Days relative to another event: "a day after", "two days before", "the next day".
    if let Some((n, next)) = small_count(doc, i, scan.end)
        && let Some(unit) = doc.find_within(next, scan.end, |w| matches!(w, What::AgoUnit(_)))
        && let Some(rel) = doc.find_within(unit.end(), scan.end, |w| {
            matches!(w, What::Cue(Cue::RelAfter | Cue::RelBefore))
        })
    {
        let What::AgoUnit(days) = unit.what else {
            return None;
        };
        let sign = if matches!(rel.what, What::Cue(Cue::RelAfter)) {
            1
        } else {
            -1
        };
        return Some(mention(
            doc,
            i,
            rel.end(),
            DateRange::unknown(),
            DateKind::RelativeEvent(sign * (n as i32) * days as i32),
        ));
    }
    if matches!(doc.norm(i), "the")
        && matches!(doc.norm(i + 1), "next" | "following")
        && doc.norm(i + 2) == "day"
    {
        return Some(mention(
            doc,
            i,
            i + 3,
            DateRange::unknown(),
            DateKind::RelativeEvent(1),
        ));
    }
    if let Some(hit) = doc.find_within(i, scan.end, |w| matches!(w, What::Cue(Cue::RelSameDay))) {
        return Some(mention(
            doc,
            i,
            hit.end(),
            DateRange::unknown(),
            DateKind::RelativeEvent(0),
        ));
    }
    // "for the third consecutive day"
    if doc.norm(i) == "the"
        && let Some(ord) = doc.find_within(i + 1, scan.end, |w| matches!(w, What::Ordinal(_)))
        && matches!(
            doc.norm(ord.end()),
            "consecutive" | "straight" | "successive"
        )
        && doc.norm(ord.end() + 1) == "day"
    {
        let What::Ordinal(n) = ord.what else {
            return None;
        };
        return Some(mention(
            doc,
            i,
            ord.end() + 2,
            DateRange::unknown(),
            DateKind::Streak(n),
        ));
    }
    // A year after a cue: "in 2012", "since 2011", "the year 2014", "mid-2015".
    if let Some((year, end)) = scan.year_at(i, false)
        && i > start
        && (doc
            .find_ending_at(i, 1, |w| matches!(w, What::YearCue))
            .is_some())
        && !doc.toks.list.get(end).is_some_and(|t| t.joined)
    {
        // Not a count ("in 2012 people"): a year is not followed by a noun it counts.
        if doc.has(end, kinds::GROUP) {
            return None;
        }
        return Some(mention(doc, i, end, year_range(year)?, DateKind::Year));
    }
    None
}

/// "a", "one", "two" ... "ten" or a small numeral, for "two days ago".
fn small_count(doc: &Doc, i: usize, end: usize) -> Option<(u32, usize)> {
    if i >= end {
        return None;
    }
    if matches!(doc.norm(i), "a" | "an") {
        return Some((1, i + 1));
    }
    if let Some(n) = doc.number_value(i).filter(|n| *n <= 366) {
        return Some((n as u32, i + 1));
    }
    match doc
        .find_within(i, end, |w| matches!(w, What::NumUnit(_)))?
        .what
    {
        What::NumUnit(n) if n > 0 => Some((n as u32, i + 1)),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn day_month(
    doc: &Doc,
    a: usize,
    b: usize,
    year: Option<i16>,
    month: u8,
    day: u8,
    day_end: Option<u8>,
    published: Option<Date>,
) -> DateMention {
    let resolve = |d: u8| -> Option<Date> {
        match (year, published) {
            (Some(y), _) => Date::new(y, month as i8, d as i8).ok(),
            (None, Some(p)) => infer_year(p, month as i8, d as i8),
            (None, None) => None,
        }
    };
    let range = match (resolve(day), day_end.and_then(resolve)) {
        (Some(s), Some(e)) if e >= s => DateRange::between(s, e, DatePrecision::Range),
        (Some(s), _) => DateRange::day(s),
        _ => DateRange::unknown(),
    };
    mention(doc, a, b, range, DateKind::Explicit)
}

fn period_range(period: Period, p: Date) -> Option<DateRange> {
    let monday = add_days(p, -monday_zero(p))?;
    Some(match period {
        Period::ThisWeek => DateRange::between(monday, p, DatePrecision::Week),
        Period::LastWeek => DateRange::between(
            add_days(monday, -7)?,
            add_days(monday, -1)?,
            DatePrecision::Week,
        ),
        Period::ThisMonth => DateRange::between(p.first_of_month(), p, DatePrecision::Month),
        Period::LastMonth => {
            let last = add_days(p.first_of_month(), -1)?;
            DateRange::between(last.first_of_month(), last, DatePrecision::Month)
        }
        Period::ThisYear => {
            DateRange::between(Date::new(p.year(), 1, 1).ok()?, p, DatePrecision::Year)
        }
        Period::LastYear => year_range(p.year() - 1)?,
        Period::Weekend => {
            // The most recent Saturday and Sunday on or before publication.
            if monday_zero(p) == 5 {
                return Some(DateRange::day(p));
            }
            let sunday = resolve_weekday(p, 6, false)?;
            let saturday = add_days(sunday, -1)?;
            if saturday > p {
                return None;
            }
            DateRange::between(saturday, sunday.min(p), DatePrecision::Range)
        }
    })
}
