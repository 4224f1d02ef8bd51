//! Quantities: numerals ("7,300", "1.5 million"), number words ("twenty-five", "two hundred"),
//! fixed phrases ("a dozen"), vague quantities ("dozens", "hundreds"), ranges ("10 to 15"), and
//! the qualifiers around them ("at least", "nearly", "or more").

use vigil_model::Qualifier;

use crate::doc::Doc;
use crate::lexicon::{What, kinds};

/// A quantity in the text, with the closed range it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// First token, qualifier included.
    pub start: usize,
    /// First token of the number itself.
    pub num_start: usize,
    /// One past the last token.
    pub end: usize,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
    /// The number as written (the low end of a vague quantity or a range).
    pub value: u64,
}

/// A bare number at token `i`: value range, whether vague, and the end.
fn bare(doc: &Doc, i: usize, end: usize) -> Option<(u64, u64, bool, usize)> {
    if i >= end
        || !(doc.is_number(i)
            || doc.has(
                i,
                kinds::NUM_PHRASE | kinds::VAGUE | kinds::NUM_TENS | kinds::NUM_UNIT,
            ))
    {
        return None;
    }
    // Fixed phrases and vague quantities first: "a dozen", "tens of thousands".
    if let Some(hit) = doc.find_within(i, end, |w| {
        matches!(w, What::NumPhrase(_) | What::Vague(..))
    }) {
        return match hit.what {
            What::NumPhrase(n) => Some((n, n, false, hit.end())),
            What::Vague(lo, hi) => Some((lo, hi, true, hit.end())),
            _ => None,
        };
    }
    let mut value: u64;
    let mut j;
    if doc.is_number(i) {
        let text = doc.norm(i);
        // Times ("0630", "0400 this morning") and codes, not counts: counts have no leading zero.
        if text.len() >= 2 && text.starts_with('0') {
            return None;
        }
        j = i + 1;
        if text.contains('.') {
            // Only with a scale: "1.5 million".
            let f: f64 = text.parse().ok()?;
            let scale = scale_at(doc, j, end)?;
            return Some((
                (f * scale as f64).round() as u64,
                (f * scale as f64).round() as u64,
                false,
                j + 1,
            ));
        }
        value = text.parse().ok()?;
    } else if let Some(hit) =
        doc.find_within(i, end, |w| matches!(w, What::NumTens(_) | What::NumUnit(_)))
    {
        value = match hit.what {
            What::NumTens(n) | What::NumUnit(n) => n,
            _ => return None,
        };
        j = hit.end();
        if matches!(hit.what, What::NumTens(_))
            && let Some(unit) = doc.find_within(
                j,
                end,
                |w| matches!(w, What::NumUnit(n) if *n < 10 && *n > 0),
            )
        {
            let What::NumUnit(u) = unit.what else {
                return None;
            };
            value += u;
            j = unit.end();
        }
    } else {
        return None;
    }
    // Scales: "two hundred", "3 thousand", "one hundred and twenty".
    while let Some(scale) = scale_at(doc, j, end) {
        value = value.saturating_mul(scale);
        j += 1;
        if scale >= 100
            && doc.norm(j) == "and"
            && let Some((rest, _, false, e)) = bare(doc, j + 1, end)
            && rest < scale
        {
            value += rest;
            j = e;
        }
    }
    Some((value, value, false, j))
}

fn scale_at(doc: &Doc, i: usize, end: usize) -> Option<u64> {
    match doc
        .find_within(i, end, |w| matches!(w, What::NumScale(_)))?
        .what
    {
        What::NumScale(n) => Some(n),
        _ => None,
    }
}

/// The quantity whose number starts at token `i` (a qualifier before it is included), within
/// tokens `..end`.
pub fn quantity_at(doc: &Doc, sentence_start: usize, i: usize, end: usize) -> Option<Quantity> {
    // "between 10 and 15"
    let between = i > sentence_start && doc.norm(i - 1) == "between";
    let (lo, hi, vague, mut j) = bare(doc, i, end)?;
    let (low, mut high) = (lo, hi);
    let mut ranged = false;
    // Ranges: "10 to 15", "10-15", "two or three", "between 10 and 15".
    let joiner = doc.norm(j);
    let hyphen_joined = doc.toks.list.get(j).is_some_and(|t| t.joined);
    if !vague
        && (hyphen_joined || matches!(joiner, "to" | "or" | "-") || (between && joiner == "and"))
    {
        let k = if hyphen_joined { j } else { j + 1 };
        if let Some((l2, h2, false, e2)) = bare(doc, k, end)
            && l2 > lo
        {
            high = h2;
            j = e2;
            ranged = true;
        }
    }
    let mut start = if between { i - 1 } else { i };
    let mut qualifier = if vague {
        Qualifier::Vague
    } else if ranged {
        Qualifier::About
    } else {
        Qualifier::Exact
    };
    if !between
        && let Some(q) = doc.find_ending_at(i, 4, |w| matches!(w, What::QualBefore(_)))
        && q.start as usize >= sentence_start
    {
        let What::QualBefore(kind) = q.what else {
            return None;
        };
        qualifier = kind;
        start = q.start as usize;
    }
    if let Some(q) = doc.find_within(j, end, |w| matches!(w, What::QualAfter(_))) {
        let What::QualAfter(kind) = q.what else {
            return None;
        };
        // "20 or more": but "two or three" was taken above as a range.
        qualifier = kind;
        j = q.end();
    }
    let (l, h) = match qualifier {
        Qualifier::Exact => (Some(low), Some(high)),
        Qualifier::About => (Some(low), Some(high)),
        Qualifier::Vague => (Some(low), Some(high)),
        Qualifier::AtLeast | Qualifier::MoreThan => (Some(low), None),
        Qualifier::UpTo | Qualifier::LessThan | Qualifier::Nearly => (None, Some(high)),
    };
    Some(Quantity {
        start,
        num_start: i,
        end: j,
        low: l,
        high: h,
        qualifier,
        value: lo,
    })
}
