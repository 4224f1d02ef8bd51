//! Casualty figures: a quantity, the people it counts, and what happened to them.
//!
//! Four shapes carry a figure in news text (`data/figures.toml` has the words):
//! the counted people before a predicate ("at least 12 civilians were killed", "three died"), an
//! active verb before the number ("killing one local resident"), a noun the number counts ("nearly
//! twenty corpses", "30 deaths"), and a toll ("the death toll rose to 30"). A list of relatives
//! after a possessive counts its people ("his parents, brother, sister and her two children were
//! shot dead" is 6). Numbers that count no people, or people to whom nothing is said to have
//! happened ("home to 50,000 people", "7,300 detainees"), are no figures; nor are denied,
//! conditional or planned ones ("would have been killed", "threatened to kill").

use vigil_model::{FigureKind, Qualifier, Victims};

use crate::dates::DateMention;
use crate::doc::Doc;
use crate::lexicon::{Cue, Kin, PredRole, What, kinds};
use crate::numbers::{Quantity, quantity_at};

/// A figure found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureMention {
    pub kind: FigureKind,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
    /// Tokens of the words that state the figure.
    pub start: usize,
    pub end: usize,
    /// The first token of the number (or of the list of relatives).
    pub anchor: usize,
    /// The token of the predicate.
    pub predicate: usize,
    /// The class of the people counted.
    pub victims: Victims,
}

impl FigureMention {
    pub fn best(&self) -> Option<u64> {
        self.low.or(self.high)
    }
}

fn is_hit(doc: &Doc, i: usize, f: impl Fn(&What) -> bool) -> bool {
    doc.find_at(i, f).is_some()
}

fn is_stop_punct(doc: &Doc, i: usize) -> bool {
    doc.is_punct(i) && matches!(doc.norm(i), "." | ";" | ":" | "?" | "!" | "(" | ")")
}

/// True when a negation or a modal ("not", "would have been", "to") governs the predicate at `p`.
pub fn denied_or_modal(doc: &Doc, p: usize, floor: usize) -> bool {
    governed(doc, p, floor, false)
}

/// "No 4", "No. 12": the abbreviation of "number", not a negation.
pub fn number_sign(doc: &Doc, k: usize) -> bool {
    let next = if doc.toks.is_punct(k + 1, ".") {
        k + 2
    } else {
        k + 1
    };
    doc.norm(k) == "no" && doc.toks.shape(next) == Some(crate::tokens::Shape::Number)
}

/// As [`denied_or_modal`]; for a noun ("subjected villagers to summary executions") the
/// infinitive "to" does not count.
pub fn governed(doc: &Doc, p: usize, floor: usize, noun: bool) -> bool {
    let lo = p.saturating_sub(4).max(floor);
    let mut k = p;
    while k > lo {
        k -= 1;
        if doc.is_punct(k) && !matches!(doc.norm(k), "'" | "\"") {
            return false;
        }
        if let Some(h) = doc
            .find_at(k, |w| matches!(w, What::Cue(Cue::Negation | Cue::Modal)))
            .filter(|h| h.end() <= p && !number_sign(doc, k))
        {
            if noun && doc.norm(k) == "to" && h.len == 1 {
                continue;
            }
            return true;
        }
    }
    false
}

/// The predicate after the counted people: scans forward from `from` within the clause.
/// Coordinated counted groups ("5 soldiers and 3 civilians were killed") are passed over and
/// returned so that the caller sums them.
fn predicate_after(
    doc: &Doc,
    from: usize,
    end: usize,
    floor: usize,
    sentence_start: usize,
) -> Option<(FigureKind, usize, usize, bool, Vec<Quantity>)> {
    let mut k = from;
    let limit = (from + 14).min(end);
    let mut coordinated = Vec::new();
    while k < limit {
        if is_stop_punct(doc, k) {
            return None;
        }
        // ", including 5 children," is skipped.
        if let Some(sub) = doc.find_at(k, |w| matches!(w, What::Subset)) {
            let mut j = sub.end();
            while j < end && !(doc.is_punct(j) && matches!(doc.norm(j), "," | "-" | ")")) {
                if is_stop_punct(doc, j) {
                    return None;
                }
                j += 1;
            }
            k = j + 1;
            continue;
        }
        if let Some(hit) = doc.find_at(k, |w| {
            matches!(w, What::Pred(_, PredRole::After) | What::Shot)
        }) {
            if denied_or_modal(doc, k, floor) {
                return None;
            }
            return match hit.what {
                What::Pred(kind, _) => Some((kind, k, hit.end(), false, coordinated)),
                _ => Some((FigureKind::Killed, k, hit.end(), true, coordinated)),
            };
        }
        // "twenty-six people, four of whom are policemen, were injured": the share is passed over.
        if (doc.is_number(k) || doc.has(k, kinds::NUM_UNIT | kinds::NUM_TENS))
            && let Some(sub) = doc.find_at(k + 1, |w| matches!(w, What::Subset))
        {
            let mut j = sub.end();
            while j < end && !doc.toks.is_punct(j, ",") {
                if is_stop_punct(doc, j) {
                    return None;
                }
                j += 1;
            }
            k = j + 1;
            continue;
        }
        // Another number: a coordinated group ("and 3 civilians") is passed over; any other
        // number ends the search.
        if doc.is_number(k)
            || doc.has(
                k,
                kinds::NUM_UNIT | kinds::NUM_TENS | kinds::VAGUE | kinds::NUM_PHRASE,
            )
        {
            if k > 0
                && doc.norm(k - 1) == "and"
                && let Some(q) = quantity_at(doc, sentence_start, k, end)
            {
                coordinated.push(q);
                k = q.end;
                continue;
            }
            return None;
        }
        if doc.has(k, kinds::cue(Cue::Subordinator)) {
            return None;
        }
        k += 1;
    }
    None
}

/// The counted people right after a quantity: (class, first token after them), or a noun the
/// number counts directly (a head predicate).
enum Counted {
    Group(Victims, usize),
    Head(FigureKind, usize),
    /// Nothing named: the next word may still be a predicate or an auxiliary.
    Bare,
    /// Something that is not people ("two mass graves", "4 sq. km").
    NotPeople,
}

fn counted_after(doc: &Doc, q: &Quantity, end: usize) -> Counted {
    let mut j = q.end;
    if doc.norm(j) == "of" {
        j += 1;
        if doc.norm(j) == "the" {
            j += 1;
        }
    }
    if let Some(h) = doc.find_within(j, end, |w| matches!(w, What::GroupPronoun)) {
        return Counted::Group(Victims::Unknown, h.end());
    }
    if j >= end || doc.is_punct(j) {
        return Counted::Bare;
    }
    let mut m = j;
    let mut identity: Option<usize> = None;
    while m < end && m < j + 4 {
        if let Some(h) = doc.find_within(m, end, |w| matches!(w, What::Pred(_, PredRole::Head))) {
            let What::Pred(kind, _) = h.what else {
                unreachable!()
            };
            return Counted::Head(kind, h.end());
        }
        if let Some(h) = doc.find_within(m, end, |w| matches!(w, What::Group(_))) {
            let What::Group(class) = h.what else {
                unreachable!()
            };
            return Counted::Group(class, h.end());
        }
        if m <= j + 1
            && let Some(h) = doc.find_within(m, end, |w| matches!(w, What::Kin(_)))
        {
            return Counted::Group(Victims::Civilians, h.end());
        }
        if m == j
            && is_hit(doc, m, |w| {
                matches!(
                    w,
                    What::Pred(_, PredRole::After) | What::Aux | What::Shot | What::FunctionWord
                )
            })
        {
            return Counted::Bare;
        }
        if doc.is_punct(m) || doc.is_number(m) {
            break;
        }
        // Modifiers are adjectives and names, not possessives, determiners, verbs in -ing or
        // speech verbs ("one user saying her mother ...").
        let word = doc.norm(m);
        if m > j
            && (doc.has(
                m,
                kinds::POSSESSIVE | kinds::CLAIM_VERB | kinds::cue(Cue::AnaphorDet),
            ) || (word.ends_with("ing") && word.len() > 5))
        {
            break;
        }
        if doc.has(m, kinds::IDENTITY) {
            identity = Some(m + 1);
        }
        m += 1;
    }
    if let Some(after) = identity {
        return Counted::Group(Victims::Unknown, after);
    }
    Counted::NotPeople
}

fn is_age(doc: &Doc, q: &Quantity, start: usize) -> bool {
    let n = q.end;
    // "95-year-old", "30 years old", "aged 30"
    if doc.toks.list.get(n).is_some_and(|t| t.joined) && matches!(doc.norm(n), "year" | "years") {
        return true;
    }
    if matches!(doc.norm(n), "year" | "years") && doc.norm(n + 1) == "old" {
        return true;
    }
    if q.start > start && matches!(doc.norm(q.start - 1), "aged" | "age") {
        return true;
    }
    // "Samir Haidar, 67, told": a number between commas after a name.
    q.num_start == q.start
        && q.start >= start + 2
        && doc.toks.is_punct(q.start - 1, ",")
        && doc.is_proper(q.start - 2)
        && (doc.toks.is_punct(n, ",") || doc.toks.is_punct(n, "."))
}

/// A list of relatives after a possessive: "his parents, brother, sister and her two children",
/// "two of his brothers and his niece". Returns (count, first token, one past the last).
fn kin_list(doc: &Doc, s: usize, i: usize, end: usize) -> Option<(u64, usize, usize)> {
    let mut total = 0u64;
    let mut k = i;
    let mut items = 0;
    let mut last_end = i;
    loop {
        let mut j = k;
        let mut count: Option<u64> = None;
        // "two of his brothers"
        if let Some(q) = quantity_at(doc, s, j, end).filter(|q| q.qualifier == Qualifier::Exact)
            && doc.norm(q.end) == "of"
            && doc.has(q.end + 1, kinds::POSSESSIVE)
        {
            count = q.low;
            j = q.end + 2;
        } else if doc.has(j, kinds::POSSESSIVE) {
            j += 1;
        } else if items == 0 {
            return None;
        }
        if count.is_none()
            && let Some(q) = quantity_at(doc, s, j, end).filter(|q| q.qualifier == Qualifier::Exact)
        {
            count = q.low;
            j = q.end;
        }
        // Up to two modifiers: "his young daughter", "her two little children".
        let mut found = None;
        for m in j..(j + 3).min(end) {
            if let Some(h) = doc.find_within(m, end, |w| matches!(w, What::Kin(_))) {
                found = Some(h);
                break;
            }
            if !doc.is_word(m) || doc.has(m, kinds::PRED | kinds::GROUP | kinds::FUNCTION_WORD) {
                break;
            }
        }
        let Some(h) = found else {
            if items == 0 {
                return None;
            }
            break;
        };
        let What::Kin(kin) = h.what else {
            unreachable!()
        };
        let n = match (kin, count) {
            (_, Some(n)) => n,
            (Kin::Single, None) => 1,
            (Kin::Dual, None) => 2,
            (Kin::Plural, None) => return None,
        };
        total += n;
        items += 1;
        last_end = h.end();
        // Next item: ", brother", " and her two children", ", and"
        let mut next = last_end;
        if doc.toks.is_punct(next, ",") {
            next += 1;
        }
        if doc.norm(next) == "and" {
            next += 1;
        }
        if next == last_end {
            break;
        }
        // Only continue when another relative follows before any predicate.
        let continues = (next..(next + 5).min(end))
            .take_while(|&m| !doc.has(m, kinds::PRED))
            .any(|m| doc.has(m, kinds::KIN));
        if !continues {
            break;
        }
        k = next;
    }
    (items > 0).then_some((total, i, last_end))
}

/// Finds the figures of the sentence `s..e`. `dates` are the sentence's date expressions,
/// whose numbers are not counts.
pub fn find_figures(doc: &Doc, s: usize, e: usize, dates: &[DateMention]) -> Vec<FigureMention> {
    let mut out = Vec::new();
    let mut used = vec![false; e.saturating_sub(s)];
    let in_date = |k: usize| dates.iter().any(|d| d.toks.0 <= k && k < d.toks.1);

    // Lists of relatives.
    let mut k = s;
    while k < e {
        let starts_list = doc.has(k, kinds::POSSESSIVE)
            || (doc.norm(k + 1) == "of" && doc.has(k + 2, kinds::POSSESSIVE));
        if !starts_list || used[k - s] {
            k += 1;
            continue;
        }
        let Some((count, a, b)) = kin_list(doc, s, k, e) else {
            k += 1;
            continue;
        };
        // The predicate: before ("lost his daughter", "the murder of his son") or after ("were
        // shot dead").
        let before = doc
            .find_ending_at(a, 4, |w| {
                matches!(w, What::Pred(_, PredRole::Before | PredRole::KinOnly))
            })
            .filter(|h| !denied_or_modal(doc, h.start as usize, s));
        let found = if let Some(h) = before {
            let What::Pred(kind, _) = h.what else {
                unreachable!()
            };
            Some((kind, h.start as usize, h.start as usize, b, false))
        } else {
            predicate_after(doc, b, e, s, s).map(|(kind, p, pe, shot, _)| (kind, p, a, pe, shot))
        };
        if let Some((kind, p, from, to, shot)) = found {
            let kind = if shot {
                resolve_shot(doc, s, e)
            } else {
                Some(kind)
            };
            if let Some(kind) = kind {
                out.push(FigureMention {
                    kind,
                    low: Some(count),
                    high: Some(count),
                    qualifier: Qualifier::Exact,
                    start: from.min(a),
                    end: to.max(b),
                    anchor: a,
                    predicate: p,
                    victims: Victims::Civilians,
                });
                for u in &mut used[a - s..b - s] {
                    *u = true;
                }
            }
        }
        k = b.max(k + 1);
    }

    // Quantities.
    let mut k = s;
    while k < e {
        if used[k - s] || in_date(k) {
            k += 1;
            continue;
        }
        if let Some(fig) = singular_at(doc, s, k, e) {
            k = fig.end.max(k + 1);
            out.push(fig);
            continue;
        }
        let Some(q) = quantity_at(doc, s, k, e) else {
            k += 1;
            continue;
        };
        let next = q.end.max(k + 1);
        if let Some(fig) = figure_of(doc, s, e, &q, &mut used) {
            out.push(fig);
        }
        k = next;
    }
    // One person at a time: "professor Herminio Parra ... was shot", "a teenager was fatally
    // shot", "killed a university professor, a policeman, and a pedestrian".
    let single = single_persons(doc, s, e, &out);
    out.extend(single);
    out.sort_by_key(|f| f.anchor);
    out
}

/// A singular person noun ending at token `end` (exclusive), with its determiner: returns the
/// first token of the phrase ("a 66-year-old man", "the teenager", "his son").
fn person_phrase_ending(doc: &Doc, s: usize, end: usize) -> Option<(usize, Victims)> {
    let head = doc.find_ending_at(end, 3, |w| {
        matches!(
            w,
            What::SingularPerson | What::Group(_) | What::Kin(Kin::Single)
        )
    })?;
    let h0 = head.start as usize;
    let last = doc.norm(end - 1);
    if last.ends_with('s') && !matches!(last, "boss" | "actress" | "waitress")
        || doc.has(end - 1, kinds::IRREGULAR_PLURAL)
    {
        return None;
    }
    let class = match head.what {
        What::Group(v) => v,
        What::Kin(_) => Victims::Civilians,
        _ => Victims::Unknown,
    };
    // Back over modifiers (hyphenated ones count as one: "66-year-old") to a determiner.
    let mut k = h0;
    let mut modifiers = 0;
    while k > s && modifiers < 4 {
        let prev = k - 1;
        if matches!(doc.norm(prev), "a" | "an" | "the" | "one") || doc.has(prev, kinds::POSSESSIVE)
        {
            return Some((prev, class));
        }
        if !(doc.is_word(prev) || doc.is_number(prev))
            || doc.has(prev, kinds::PRED | kinds::AUX | kinds::FUNCTION_WORD)
        {
            return None;
        }
        if !doc.toks.list[prev + 1].joined {
            modifiers += 1;
        }
        k = prev;
    }
    None
}

/// A personal name (two to four capitalised words) ending at token `end` (exclusive).
fn name_ending(doc: &Doc, s: usize, end: usize) -> Option<usize> {
    let mut k = end;
    while k > s && k + 4 > end && doc.is_proper(k - 1) {
        k -= 1;
    }
    let n = end - k;
    if n < 2 {
        return None;
    }
    // Not an actor, a place, a month, a claimant or a sentence-initial word run.
    if (k..end).any(|j| {
        doc.has(
            j,
            kinds::ACTOR
                | kinds::GENERIC
                | kinds::MONTH
                | kinds::WEEKDAY
                | kinds::CLAIM_KNOWN
                | kinds::IDENTITY,
        )
    }) {
        return None;
    }
    Some(k)
}

/// "<someone> was shot dead": the one person before the predicate at `p`.
fn passive_single(
    doc: &Doc,
    s: usize,
    p: usize,
    pred_end: usize,
    kind: FigureKind,
) -> Option<FigureMention> {
    // Back over auxiliaries, then over appositions in commas ("Martin Ibarra, 35, of South
    // Baltimore, was shot").
    let mut end = p;
    while end > s
        && doc.has(end - 1, kinds::AUX)
        && !matches!(doc.norm(end - 1), "who" | "that" | "which")
    {
        end -= 1;
    }
    if end == p && !matches!(doc.norm(p), "died" | "dies" | "die") {
        return None;
    }
    for _ in 0..3 {
        if end > s + 1 && doc.toks.is_punct(end - 1, ",") {
            let lo = end.saturating_sub(14).max(s);
            if let Some(c) = (lo..end - 1).rev().find(|&j| doc.toks.is_punct(j, ",")) {
                end = c;
                // ", 35," after a name: an age.
                if end > s + 2 && doc.is_number(end - 1) && doc.toks.is_punct(end - 2, ",") {
                    end -= 2;
                }
                continue;
            }
        }
        break;
    }
    let (k, victims) = person_phrase_ending(doc, s, end)
        .or_else(|| name_ending(doc, s, end).map(|k| (k, Victims::Unknown)))?;
    Some(FigureMention {
        kind,
        low: Some(1),
        high: Some(1),
        qualifier: Qualifier::Exact,
        start: k,
        end: pred_end,
        anchor: k,
        predicate: p,
        victims,
    })
}

fn single_persons(doc: &Doc, s: usize, e: usize, existing: &[FigureMention]) -> Vec<FigureMention> {
    let mut out: Vec<FigureMention> = Vec::new();
    let taken = |out: &[FigureMention], kind: FigureKind, p: usize| {
        existing
            .iter()
            .chain(out.iter())
            .any(|f| f.kind == kind && f.start <= p && p < f.end.max(f.predicate + 1))
    };
    for p in s..e {
        // Both shapes start at a predicate.
        if !doc.has(p, kinds::PRED | kinds::SHOT) {
            continue;
        }
        // Passive or intransitive: "<someone> was shot dead", "<someone> died".
        if let Some(h) = doc.find_at(p, |w| {
            matches!(w, What::Pred(_, PredRole::After) | What::Shot)
        }) {
            let kind = match h.what {
                What::Pred(kind, _) => Some(kind),
                _ => resolve_shot(doc, s, e),
            };
            let passive = kind.filter(|&kind| {
                !denied_or_modal(doc, p, s)
                    && !taken(&out, kind, p)
                    && !existing.iter().any(|f| f.kind == kind)
            });
            if let Some(kind) = passive
                && let Some(fig) = passive_single(doc, s, p, h.end(), kind)
            {
                out.push(fig);
                continue;
            }
        }
        // Active with a list of single people: "killed a university professor, a policeman, and
        // a pedestrian".
        if let Some(h) = doc.find_at(p, |w| matches!(w, What::Pred(_, PredRole::Before))) {
            let What::Pred(kind, _) = h.what else {
                continue;
            };
            if taken(&out, kind, p) || denied_or_modal(doc, p, s) {
                continue;
            }
            let mut k = h.end();
            let mut count = 0u64;
            let mut last = k;
            let mut victims = Victims::Unknown;
            while k < e && matches!(doc.norm(k), "a" | "an") {
                let mut m = k + 1;
                let mut found = None;
                while m < e && m <= k + 5 {
                    if let Some(hh) =
                        doc.find_at(m, |w| matches!(w, What::SingularPerson | What::Group(_)))
                        && person_phrase_ending(doc, s, hh.end()).is_some_and(|(st, _)| st == k)
                    {
                        found = Some(hh);
                        break;
                    }
                    m += 1;
                }
                let Some(hh) = found else { break };
                if let What::Group(v) = hh.what {
                    victims = v;
                }
                count += 1;
                last = hh.end();
                k = last;
                if doc.toks.is_punct(k, ",") {
                    k += 1;
                }
                if doc.norm(k) == "and" {
                    k += 1;
                }
            }
            if count > 0 {
                out.push(FigureMention {
                    kind,
                    low: Some(count),
                    high: Some(count),
                    qualifier: Qualifier::Exact,
                    start: p,
                    end: last,
                    anchor: h.end(),
                    predicate: p,
                    victims,
                });
            }
        }
    }
    out
}

/// "a civilian was killed", "an officer died": one person.
fn singular_at(doc: &Doc, s: usize, k: usize, e: usize) -> Option<FigureMention> {
    if !matches!(doc.norm(k), "a" | "an") {
        return None;
    }
    let mut m = k + 1;
    let mut group = None;
    while m < e && m <= k + 3 {
        if let Some(h) = doc.find_within(m, e, |w| matches!(w, What::Group(_))) {
            group = Some(h);
            break;
        }
        if !doc.is_word(m) || doc.has(m, kinds::PRED | kinds::FUNCTION_WORD | kinds::AUX) {
            return None;
        }
        m += 1;
    }
    let h = group?;
    let What::Group(class) = h.what else {
        return None;
    };
    let last = h.end() - 1;
    let word = doc.norm(last);
    if word.ends_with('s') || doc.has(last, kinds::IRREGULAR_PLURAL) {
        return None;
    }
    // Passive only, right after: "a civilian was killed", "a child died of wounds".
    let mut p = h.end();
    while p < e && doc.has(p, kinds::AUX) && !doc.has(p, kinds::PRED) {
        p += 1;
    }
    let pred = doc.find_within(p, e, |w| matches!(w, What::Pred(_, PredRole::After)))?;
    if p > h.end() + 3 || denied_or_modal(doc, p, s) {
        return None;
    }
    let What::Pred(kind, _) = pred.what else {
        return None;
    };
    Some(FigureMention {
        kind,
        low: Some(1),
        high: Some(1),
        qualifier: Qualifier::Exact,
        start: k,
        end: pred.end(),
        anchor: k,
        predicate: p,
        victims: class,
    })
}

fn figure_of(
    doc: &Doc,
    s: usize,
    e: usize,
    q: &Quantity,
    used: &mut [bool],
) -> Option<FigureMention> {
    // Part of a group already counted ("including 5 children"), an age, or a share ("one of
    // the victims").
    if doc
        .find_ending_at(q.start, 3, |w| matches!(w, What::Subset))
        .is_some()
    {
        return None;
    }
    if is_age(doc, q, s) {
        return None;
    }
    if q.qualifier != Qualifier::Vague
        && doc.norm(q.end) == "of"
        && matches!(
            doc.norm(q.end + 1),
            "the" | "them" | "those" | "these" | "us" | "whom"
        )
    {
        return None;
    }
    let counted = counted_after(doc, q, e);
    let (victims, after_group) = match counted {
        Counted::Group(v, end) => (Some(v), end),
        Counted::Head(kind, end) => {
            // "threatened to kill 10 hostages": a threat, not a toll.
            if q.start > s
                && (q.start.saturating_sub(6).max(s)..q.start).any(|k| {
                    is_hit(doc, k, |w| {
                        matches!(w, What::Cue(Cue::Modal | Cue::Negation))
                    }) && doc.norm(k) != "to"
                })
            {
                return None;
            }
            return Some(make(q, kind, q.start, end, q.num_start, Victims::Unknown));
        }
        Counted::Bare => (None, q.end),
        Counted::NotPeople => return None,
    };
    let victims_or_unknown = victims.unwrap_or(Victims::Unknown);
    // An active verb before the number: "killing one local resident", "injured at least 150
    // others", "took 25 residents prisoner".
    let mut b = q.start;
    while b > s
        && let Some(h) = doc.find_ending_at(b, 2, |w| matches!(w, What::VerbNumberLink))
    {
        if h.start as usize >= b {
            break;
        }
        b = h.start as usize;
    }
    if let Some(h) = doc.find_ending_at(b, 5, |w| matches!(w, What::Pred(_, PredRole::Before)))
        && h.start as usize >= s
        && !denied_or_modal(doc, h.start as usize, s)
    {
        let What::Pred(kind, _) = h.what else {
            unreachable!()
        };
        let mut fig = make(
            q,
            kind,
            h.start as usize,
            after_group,
            q.num_start,
            victims_or_unknown,
        );
        // "killed nine policemen and nine civilians" is 18.
        if doc.norm(after_group) == "and"
            && let Some(c) = quantity_at(doc, s, after_group + 1, e)
            && c.qualifier == q.qualifier
            && matches!(counted_after(doc, &c, e), Counted::Group(..))
        {
            fig.low = fig.low.zip(c.low).map(|(a, b)| a + b);
            fig.high = fig.high.zip(c.high).map(|(a, b)| a + b);
            let end = match counted_after(doc, &c, e) {
                Counted::Group(_, end) => end,
                _ => c.end,
            };
            fig.end = end;
            for u in &mut used[c.start - s..c.end.min(e) - s] {
                *u = true;
            }
        }
        return Some(fig);
    }
    if victims.is_some()
        && let Some(v) = doc.find_ending_at(b, 2, |w| matches!(w, What::CaptiveVerb))
        && doc.has(after_group, kinds::CAPTIVE_COMPLEMENT)
    {
        return Some(make(
            q,
            FigureKind::Abducted,
            v.start as usize,
            after_group + 1,
            q.num_start,
            victims_or_unknown,
        ));
    }
    // A toll before the number: "the death toll rose to 30", "the number of prisoners includes
    // about 25".
    let lo = q.start.saturating_sub(8).max(s);
    for t in (lo..q.start).rev() {
        if doc.is_punct(t) && doc.norm(t) != "-" {
            break;
        }
        if let Some(h) = doc.find_within(t, q.start, |w| matches!(w, What::Pred(_, PredRole::Toll)))
        {
            let What::Pred(kind, _) = h.what else {
                unreachable!()
            };
            return Some(make(
                q,
                kind,
                t,
                after_group,
                q.num_start,
                victims_or_unknown,
            ));
        }
    }
    // A noun the number counts, before it in apposition: "a pile of corpses, nearly twenty,".
    if q.start >= s + 2
        && doc.toks.is_punct(q.start - 1, ",")
        && let Some(h) = doc.find_ending_at(q.start - 1, 3, |w| {
            matches!(w, What::Pred(_, PredRole::Head))
        })
    {
        let What::Pred(kind, _) = h.what else {
            unreachable!()
        };
        return Some(make(
            q,
            kind,
            h.start as usize,
            q.end,
            q.num_start,
            victims_or_unknown,
        ));
    }
    // The predicate after the people: "12 civilians were killed", "three died".
    let (kind, p, pe, shot, coordinated) = predicate_after(doc, after_group, e, s, s)?;
    let kind = if shot { resolve_shot(doc, s, e)? } else { kind };
    let mut fig = make(q, kind, q.start, pe, q.num_start, victims_or_unknown);
    fig.predicate = p;
    // "5 soldiers and 3 civilians were killed" is 8.
    for c in coordinated {
        if c.qualifier == q.qualifier || c.qualifier == Qualifier::Exact {
            fig.low = fig.low.zip(c.low).map(|(a, b)| a + b).or(fig.low);
            fig.high = fig.high.zip(c.high).map(|(a, b)| a + b).or(fig.high);
            for u in &mut used[c.start - s..c.end - s] {
                *u = true;
            }
        }
    }
    Some(fig)
}

fn make(
    q: &Quantity,
    kind: FigureKind,
    start: usize,
    end: usize,
    anchor: usize,
    victims: Victims,
) -> FigureMention {
    FigureMention {
        kind,
        low: q.low,
        high: q.high,
        qualifier: q.qualifier,
        start: start.min(q.start),
        end: end.max(q.end),
        anchor,
        predicate: start,
        victims,
    }
}

/// "shot" alone: killed when the sentence or the next one tells of killing, wounded when it
/// tells of wounds, else nothing.
fn resolve_shot(doc: &Doc, s: usize, e: usize) -> Option<FigureKind> {
    let sentence = doc.sentence_of(s);
    let until = doc.sentences.get(sentence + 1).map_or(e, |n| n.toks.end);
    let mut killed = false;
    let mut injured = false;
    for k in s..until {
        for h in doc.hits_at(k) {
            match h.what {
                What::Pred(FigureKind::Killed, _) => killed = true,
                What::Pred(FigureKind::Injured, _) => injured = true,
                _ => {}
            }
        }
    }
    match (killed, injured) {
        (true, false) => Some(FigureKind::Killed),
        (false, true) => Some(FigureKind::Injured),
        _ => None,
    }
}
