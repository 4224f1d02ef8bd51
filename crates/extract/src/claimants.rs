//! Claimants: who says what a sentence reports ("according to the Syrian Observatory", "Samir
//! Haidar told AFP", "said Hassan Harfoush", "local sources told Syria Direct", "he said").
//!
//! A claimant covers its sentence; a quotation that runs over several sentences takes the
//! claimant named where it closes; a pronoun ("he", "his organization") stands for the nearest
//! claimant named before it.

use crate::doc::Doc;
use crate::lexicon::{Cue, Lexicon, What, kinds};

/// A claimant found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimantMention {
    pub toks: (usize, usize),
    /// The canonical name of a known claimant, or the claimant's own words.
    pub name: String,
    /// The words of the report.
    pub mention: String,
    /// A party to the conflict or its media.
    pub partisan: bool,
    /// A named organisation or person (not "local sources" or "he").
    pub named: bool,
    pub sentence: usize,
}

fn is_boundary(doc: &Doc, k: usize) -> bool {
    (doc.is_punct(k)
        && matches!(
            doc.norm(k),
            "." | ";" | ":" | "\"" | "(" | ")" | "?" | "!" | "-"
        ))
        || doc
            .find_at(k, |w| {
                matches!(w, What::Cue(Cue::Subordinator | Cue::Relative))
            })
            .is_some()
        || matches!(doc.norm(k), "that" | "and" | "but")
}

/// Trims a claimant phrase: leading determiners and trailing numbers (ages) and punctuation.
fn trim(doc: &Doc, mut a: usize, mut b: usize) -> (usize, usize) {
    while a < b && (doc.is_punct(a) || matches!(doc.norm(a), "the" | "also" | "later" | "then")) {
        a += 1;
    }
    while b > a
        && (doc.is_punct(b - 1)
            || doc.is_number(b - 1)
            || matches!(
                doc.norm(b - 1),
                "has"
                    | "had"
                    | "have"
                    | "also"
                    | "later"
                    | "then"
                    | "further"
                    | "again"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "been"
                    | "be"
                    | "did"
                    | "does"
                    | "do"
                    | "had been"
                    | "who"
            ))
    {
        b -= 1;
    }
    (a, b)
}

fn make(
    doc: &Doc,
    lexicon: &Lexicon,
    a: usize,
    b: usize,
    sentence: usize,
) -> Option<ClaimantMention> {
    let (a, b) = trim(doc, a, b);
    if a >= b || b - a > 14 {
        return None;
    }
    // A known claimant inside the phrase names it ("Rami Abdulrahman from the Syrian
    // Observatory for Human Rights").
    for k in a..b {
        if let Some(h) = doc.find_within(k, b, |w| matches!(w, What::ClaimKnown(_))) {
            let What::ClaimKnown(i) = h.what else {
                unreachable!()
            };
            let known = &lexicon.claimants[i as usize];
            return Some(ClaimantMention {
                toks: (a, b),
                name: known.name.clone(),
                mention: doc.text(h.start as usize, h.end()).to_string(),
                partisan: known.partisan,
                named: true,
                sentence,
            });
        }
    }
    // Comma-separated parts ("A resident of Baniyas, Samir Haidar, 67"): a personal name wins.
    let mut parts = Vec::new();
    let mut p = a;
    for k in a..=b {
        if k == b || doc.toks.is_punct(k, ",") {
            let (x, y) = trim(doc, p, k);
            if x < y {
                parts.push((x, y));
            }
            p = k + 1;
        }
    }
    let name = parts.iter().copied().find(|&(x, y)| {
        y - x >= 2
            && y - x <= 5
            && (x..y).all(|k| {
                doc.is_proper(k)
                    || matches!(
                        doc.norm(k),
                        "al" | "el" | "bin" | "ibn" | "abu" | "abdul" | "de" | "van"
                    )
            })
    });
    let (x, y) = name.or_else(|| parts.last().copied())?;
    let text = doc.text(x, y).to_string();
    if text.is_empty() {
        return None;
    }
    let anonymous = (x..y).any(|k| {
        doc.find_within(k, y, |w| matches!(w, What::ClaimAnonymous))
            .is_some()
    });
    // A claimant is someone: a name, an anonymous source, a pronoun or an actor; not "following"
    // in "following reports of".
    let someone = anonymous
        || (x..y).any(|k| {
            doc.is_proper(k)
                || doc
                    .find_within(k, y, |w| {
                        matches!(
                            w,
                            What::ClaimPronoun
                                | What::Generic(_)
                                | What::Actor(..)
                                | What::Group(_)
                        )
                    })
                    .is_some()
        })
        || (doc.all_caps && y - x <= 6);
    // The phrase ends in its head: a name, a source, a pronoun, an actor or people.
    let head = y - 1;
    let head_ok = doc.is_proper(head)
        || doc.all_caps
        || (x..y).any(|k| {
            doc.hits_at(k).iter().any(|h| {
                h.end() == y
                    && matches!(
                        h.what,
                        What::ClaimAnonymous
                            | What::ClaimPronoun
                            | What::ClaimKnown(_)
                            | What::Generic(_)
                            | What::Actor(..)
                            | What::Group(_)
                    )
            })
        })
        || matches!(doc.norm(head), "he" | "she" | "they" | "we" | "i" | "it");
    if !someone || !head_ok {
        return None;
    }
    Some(ClaimantMention {
        toks: (x, y),
        name: text.clone(),
        mention: text,
        partisan: false,
        named: name.is_some() || (!anonymous && (x..y).any(|k| doc.is_proper(k))),
        sentence,
    })
}

/// Finds the claimant of the sentence `s..e`, if it names or implies one. `previous` is the last
/// claimant named before it, for pronouns.
pub fn find_claimant(
    doc: &Doc,
    lexicon: &Lexicon,
    s: usize,
    e: usize,
    sentence: usize,
    previous: Option<&ClaimantMention>,
) -> Option<ClaimantMention> {
    // "according to X"
    for k in s..e {
        if !doc.has(k, kinds::CLAIM_CUE) {
            continue;
        }
        if let Some(cue) = doc.find_within(k, e, |w| matches!(w, What::ClaimCue)) {
            let a = cue.end();
            let mut b = a;
            while b < e
                && b < a + 12
                && !(doc.toks.is_punct(b, ",")
                    || is_boundary(doc, b)
                    || doc.has(b, kinds::CLAIM_VERB))
            {
                b += 1;
            }
            if let Some(c) = make(doc, lexicon, a, b, sentence) {
                return resolve_pronoun(doc, c, previous);
            }
        }
    }
    // "X said", "said X", "X told Y".
    for k in s..e {
        if !doc.has(k, kinds::CLAIM_VERB) {
            continue;
        }
        let Some(verb) = doc.find_within(k, e, |w| matches!(w, What::ClaimVerb)) else {
            continue;
        };
        // A noun, not a verb: "following reports of", "the claims".
        if k > s
            && matches!(
                doc.norm(k - 1),
                "the"
                    | "of"
                    | "following"
                    | "amid"
                    | "after"
                    | "these"
                    | "such"
                    | "their"
                    | "its"
                    | "his"
                    | "her"
                    | "a"
                    | "an"
                    | "unconfirmed"
                    | "media"
                    | "news"
            )
        {
            continue;
        }
        // Inverted after a quotation or a comma: "..., said Hassan Harfoush, an Alawite ...".
        let inverted =
            matches!(
                doc.norm(k),
                "said" | "says" | "added" | "adds" | "explained" | "stated" | "noted" | "wrote"
            ) && (k == s || doc.toks.is_punct(k - 1, "\"") || doc.toks.is_punct(k - 1, ","));
        if inverted {
            let a = verb.end();
            let mut b = a;
            while b < e && b < a + 12 && !is_boundary(doc, b) && !doc.toks.is_punct(b, ",") {
                b += 1;
            }
            if let Some(c) = make(doc, lexicon, a, b, sentence) {
                return resolve_pronoun(doc, c, previous);
            }
        }
        // The subject before the verb, over appositive commas ("X, who claimed" is X).
        let mut verb_at = k;
        let mut relative = false;
        if verb_at > s && doc.norm(verb_at - 1) == "who" {
            verb_at -= 1;
            relative = true;
            if verb_at > s && doc.toks.is_punct(verb_at - 1, ",") {
                verb_at -= 1;
            }
        }
        let k = verb_at;
        let mut a = k;
        let mut commas = 0;
        while a > s && k - a < 14 {
            let t = a - 1;
            // "X, who claimed" names the noun phrase before "who", which may be the object of
            // the main clause ("This provoked a reaction from regime loyalists, who claimed"):
            // it starts after the preposition that governs it.
            if relative
                && matches!(
                    doc.norm(t),
                    "from" | "by" | "with" | "to" | "against" | "among" | "toward" | "towards"
                )
            {
                break;
            }
            if doc.toks.is_punct(t, ",") {
                commas += 1;
                if commas > 3 {
                    break;
                }
            } else if is_boundary(doc, t) {
                break;
            }
            a -= 1;
        }
        if a < k
            && let Some(c) = make(doc, lexicon, a, k, sentence)
        {
            return resolve_pronoun(doc, c, previous);
        }
    }
    None
}

/// A pronoun or a generic reference ("he", "the organization") stands for the last claimant.
fn resolve_pronoun(
    doc: &Doc,
    c: ClaimantMention,
    previous: Option<&ClaimantMention>,
) -> Option<ClaimantMention> {
    let (a, b) = c.toks;
    let pronoun = doc
        .find_within(a, b, |w| matches!(w, What::ClaimPronoun))
        .is_some_and(|h| h.start as usize == a && h.end() == b)
        || (b - a == 1 && matches!(doc.norm(a), "he" | "she" | "they" | "it" | "we" | "i"));
    let personal = b - a == 1 && matches!(doc.norm(a), "he" | "she" | "they" | "it" | "we" | "i");
    match previous {
        Some(p) if pronoun => Some(ClaimantMention {
            toks: c.toks,
            name: p.name.clone(),
            mention: c.mention,
            partisan: p.partisan,
            named: p.named,
            sentence: c.sentence,
        }),
        // "it was announced": nobody named.
        None if personal => None,
        _ => Some(c),
    }
}
