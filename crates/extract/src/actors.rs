//! Armed actors: names from the dictionary (`data/actors.tsv`), generic phrases ("gunmen",
//! "security forces", "warplanes"), actors described by whom they serve ("militants loyal to
//! X"), and unknown armed groups named the way armed groups name themselves ("Faylaq Homs",
//! "Homs Operations Room", "Sultan Murad Division").
//!
//! An alias shared by several entries resolves to the one active at the report's date in the
//! report's country; the generic "security forces" resolves to that country's state forces at
//! that date. A state force outside its own country is a foreign force.

use jiff::civil::Date;
use vigil_model::ActorKind;

use crate::doc::Doc;
use crate::lexicon::{GenericKind, Lexicon, What, kinds};

/// An actor named in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    pub toks: (usize, usize),
    /// Canonical name (dictionary), or the words of the report for an unknown group.
    pub name: String,
    pub kind: ActorKind,
    pub mention: String,
    /// A generic phrase ("gunmen", "security forces"), not a name.
    pub generic: bool,
    /// Aircraft ("warplanes"): a means as much as an actor.
    pub aircraft: bool,
}

/// The report's context for resolving names.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActorContext<'a> {
    pub country: Option<&'a str>,
    pub date: Option<Date>,
}

/// Words that open an armed group's own name ("Faylaq Homs", "Jaysh al-Izza").
const GROUP_OPENERS: &[&str] = &[
    "faylaq", "jaysh", "jaish", "liwa", "harakat", "katibat", "kataib", "ajnad", "ansar", "jabhat",
    "jund", "saraya", "firqat", "quwat", "tajamu", "alwiyat", "ahl", "hayat", "tahrir",
];

/// Words that close an armed group's own name ("Homs Operations Room", "Sultan Murad Division").
const GROUP_CLOSERS: &[&str] = &[
    "brigade",
    "brigades",
    "division",
    "battalion",
    "battalions",
    "regiment",
    "army",
    "front",
    "legion",
    "corps",
    "militia",
    "militias",
    "room",
    "forces",
    "guard",
    "guards",
    "commandos",
    "units",
    "unit",
    "force",
    "squad",
    "squads",
    "column",
    "cartel",
];

/// Resolves a dictionary entry among those sharing an alias.
fn choose(lexicon: &Lexicon, ids: &[(u16, bool)], ctx: ActorContext) -> Option<u16> {
    let score = |&(id, local): &(u16, bool)| -> Option<i32> {
        let def = &lexicon.actors[id as usize];
        let same_country = ctx.country.is_some_and(|c| c == def.country);
        if local && !same_country {
            return None;
        }
        let mut s = 0;
        if def.active_on(ctx.date) {
            s += 4;
        }
        if same_country {
            s += 2;
        } else if def.country.is_empty() {
            s += 1;
        }
        Some(s)
    };
    ids.iter()
        .filter_map(|x| score(x).map(|s| (s, x.0)))
        .max_by_key(|&(s, id)| (s, -(id as i32)))
        .map(|(_, id)| id)
}

/// The state forces of `country` at `date`: the first state-forces entry of that country active
/// then.
pub fn state_forces(lexicon: &Lexicon, ctx: ActorContext) -> Option<u16> {
    let country = ctx.country?;
    lexicon
        .actors
        .iter()
        .position(|a| {
            a.kind == ActorKind::StateForces && a.country == country && a.active_on(ctx.date)
        })
        .map(|i| i as u16)
}

fn from_def(
    lexicon: &Lexicon,
    id: u16,
    ctx: ActorContext,
    doc: &Doc,
    a: usize,
    b: usize,
    generic: bool,
) -> ActorMention {
    let def = &lexicon.actors[id as usize];
    let mut kind = def.kind;
    if kind == ActorKind::StateForces
        && let Some(c) = ctx.country
        && !def.country.is_empty()
        && c != def.country
    {
        kind = ActorKind::ForeignForces;
    }
    ActorMention {
        toks: (a, b),
        name: def.name.clone(),
        kind,
        mention: doc.text(a, b).to_string(),
        generic,
        aircraft: false,
    }
}

/// The actor named by the hit(s) at token `k`, if any: (mention, end token).
fn actor_at(
    doc: &Doc,
    lexicon: &Lexicon,
    k: usize,
    end: usize,
    ctx: ActorContext,
) -> Option<ActorMention> {
    let hits = doc.hits_at(k);
    // The longest actor-ish hit; dictionary entries before generic phrases of the same length.
    let best_len = hits
        .iter()
        .filter(|h| h.end() <= end && matches!(h.what, What::Actor(..) | What::Generic(_)))
        .map(|h| h.len)
        .max()?;
    let same: Vec<_> = hits
        .iter()
        .filter(|h| h.len == best_len && h.end() <= end)
        .collect();
    let b = k + best_len as usize;
    let ids: Vec<(u16, bool)> = same
        .iter()
        .filter_map(|h| match h.what {
            What::Actor(id, local) => Some((id, local)),
            _ => None,
        })
        .collect();
    if let Some(id) = choose(lexicon, &ids, ctx) {
        return Some(from_def(lexicon, id, ctx, doc, k, b, false));
    }
    let generic = same.iter().find_map(|h| match h.what {
        What::Generic(g) => Some(g),
        _ => None,
    })?;
    Some(generic_actor(doc, lexicon, generic, k, b, ctx))
}

fn generic_actor(
    doc: &Doc,
    lexicon: &Lexicon,
    generic: GenericKind,
    a: usize,
    b: usize,
    ctx: ActorContext,
) -> ActorMention {
    let mention = doc.text(a, b).to_string();
    match generic {
        GenericKind::State | GenericKind::Aircraft => {
            let aircraft = generic == GenericKind::Aircraft;
            if let Some(id) = state_forces(lexicon, ctx) {
                let mut m = from_def(lexicon, id, ctx, doc, a, b, true);
                m.aircraft = aircraft;
                return m;
            }
            ActorMention {
                toks: (a, b),
                name: if aircraft {
                    "unidentified military aircraft".to_string()
                } else {
                    "state forces".to_string()
                },
                kind: ActorKind::StateForces,
                mention,
                generic: true,
                aircraft,
            }
        }
        GenericKind::Kind(kind) => ActorMention {
            toks: (a, b),
            name: match kind {
                ActorKind::UnidentifiedArmedGroup => "unidentified armed group".to_string(),
                _ => mention.to_lowercase(),
            },
            kind,
            mention,
            generic: true,
            aircraft: false,
        },
    }
}

/// Finds the actors of tokens `s..e`.
pub fn find_actors(
    doc: &Doc,
    lexicon: &Lexicon,
    s: usize,
    e: usize,
    ctx: ActorContext,
) -> Vec<ActorMention> {
    let mut out: Vec<ActorMention> = Vec::new();
    let mut k = s;
    while k < e {
        // Every actor starts with a dictionary name, a generic phrase, a head of "X loyal to
        // Y" or a capitalised word.
        if !doc.has(k, kinds::LINK_HEAD | kinds::ACTOR | kinds::GENERIC) && !doc.is_proper(k) {
            k += 1;
            continue;
        }
        // "militants loyal to X": the whole phrase, resolved to X.
        if let Some(head) = doc.find_within(k, e, |w| matches!(w, What::LinkHead))
            && let Some(link) = doc.find_within(head.end(), e, |w| matches!(w, What::Linker))
            && doc.norm(link.start as usize) != "of"
        {
            let from = link.end();
            let mut found = None;
            let mut j = from;
            while j < e && j < from + 9 && (!doc.is_punct(j) || matches!(doc.norm(j), "'" | "-")) {
                if let Some(m) = actor_at(doc, lexicon, j, e, ctx) {
                    found = Some(m);
                    break;
                }
                if matches!(
                    doc.norm(j),
                    "government" | "regime" | "state" | "junta" | "authorities"
                ) && let Some(id) = state_forces(lexicon, ctx)
                {
                    found = Some(from_def(lexicon, id, ctx, doc, j, j + 1, true));
                    break;
                }
                j += 1;
            }
            if let Some(target) = found {
                let end = target.toks.1;
                out.push(ActorMention {
                    toks: (k, end),
                    mention: doc.text(k, end).to_string(),
                    generic: false,
                    ..target
                });
                k = end;
                continue;
            }
        }
        if let Some(m) = actor_at(doc, lexicon, k, e, ctx) {
            k = m.toks.1;
            out.push(m);
            continue;
        }
        // An armed group's own name: "Faylaq Homs", "Homs Operations Room".
        if let Some(m) = named_group(doc, k, e) {
            k = m.toks.1;
            out.push(m);
            continue;
        }
        k += 1;
    }
    out
}

fn named_group(doc: &Doc, k: usize, e: usize) -> Option<ActorMention> {
    if !doc.is_proper(k)
        || (k > 0
            && doc.is_proper(k - 1)
            && !doc.toks.list[k].joined
            && !doc.toks.is_punct(k - 1, "."))
    {
        return None;
    }
    // The run of capitalised words, with connectors inside ("Ahl al-Sunna wa al-Jamaa").
    let connector = |j: usize| {
        matches!(
            doc.norm(j),
            "al" | "el"
                | "wa"
                | "of"
                | "the"
                | "'s"
                | "bin"
                | "ibn"
                | "ad"
                | "ash"
                | "as"
                | "ar"
                | "an"
                | "at"
        )
    };
    let mut b = k;
    while b < e {
        if doc.is_proper(b) {
            b += 1;
            continue;
        }
        // Connectors followed (possibly after more connectors) by a capitalised word.
        let mut c = b;
        while c < e && connector(c) {
            c += 1;
        }
        if c > b && c < e && doc.is_proper(c) {
            b = c;
            continue;
        }
        break;
    }
    if b - k < 2 {
        return None;
    }
    let first = doc.norm(k);
    let last = doc.norm(b - 1);
    if GROUP_OPENERS.contains(&first) || GROUP_CLOSERS.contains(&last) {
        let mention = doc.text(k, b).to_string();
        return Some(ActorMention {
            toks: (k, b),
            name: mention.clone(),
            kind: ActorKind::RebelGroup,
            mention,
            generic: false,
            aircraft: false,
        });
    }
    None
}
