//! Event triggers and victim identities: the words that tell what happened, and the
//! communities named as its victims.

use crate::doc::Doc;
use crate::lexicon::{Lexicon, TriggerClass, What, kinds};

/// An event trigger in the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TriggerMention {
    pub toks: (usize, usize),
    pub class: TriggerClass,
    pub weight: u32,
    pub weapon: bool,
    pub noun: bool,
    pub plural: bool,
}

/// A victim identity named in the text ("Alawite", "Rohingya").
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityMention {
    pub toks: (usize, usize),
    pub name: String,
}

/// The triggers of tokens `s..e`: at each token the longest trigger phrase; tokens inside
/// `skip` (actor names) are passed over.
pub fn find_triggers(
    doc: &Doc,
    lexicon: &Lexicon,
    s: usize,
    e: usize,
    skip: &[(usize, usize)],
) -> Vec<TriggerMention> {
    let mut out = Vec::new();
    let mut k = s;
    while k < e {
        if !doc.has(k, kinds::TRIGGER | kinds::NOT_TRIGGER)
            || skip.iter().any(|&(a, b)| a <= k && k < b)
        {
            k += 1;
            continue;
        }
        // A longer phrase that is no trigger hides the ones inside it ("bomb shelter").
        if let Some(h) = doc.find_within(k, e, |w| matches!(w, What::NotTrigger))
            && doc
                .find_within(k, e, |w| matches!(w, What::Trigger(_)))
                .is_none_or(|t| t.len <= h.len)
        {
            k = h.end();
            continue;
        }
        if let Some(h) = doc.find_within(k, e, |w| matches!(w, What::Trigger(_))) {
            let What::Trigger(id) = h.what else {
                unreachable!()
            };
            let def = &lexicon.triggers[id as usize];
            // "captured all the men": people taken, not ground.
            let class = if def.class == TriggerClass::Territory
                && (h.end()..(h.end() + 3).min(e))
                    .any(|m| doc.has(m, kinds::GROUP | kinds::GROUP_PRONOUN))
            {
                TriggerClass::Sub(vigil_model::SubEventType::AbductionForcedDisappearance)
            } else {
                def.class
            };
            if !def.requires.is_empty()
                && !def
                    .requires
                    .iter()
                    .any(|r| (s..e).any(|m| (0..r.len()).all(|j| doc.norm(m + j) == r[j])))
            {
                k = h.end();
                continue;
            }
            out.push(TriggerMention {
                toks: (k, h.end()),
                class,
                weight: def.weight,
                weapon: def.weapon,
                noun: def.noun,
                plural: def.plural,
            });
            k = h.end();
        } else {
            k += 1;
        }
    }
    out
}

/// "take a number of its residents prisoner": a verb of taking and, a few words later, the word
/// for captives. Returns the trigger over both.
pub fn find_captive_taking(
    doc: &Doc,
    lexicon: &Lexicon,
    s: usize,
    e: usize,
) -> Vec<TriggerMention> {
    let mut out = Vec::new();
    for k in s..e {
        if !doc.has(k, kinds::CAPTIVE_VERB) {
            continue;
        }
        for m in k + 2..(k + 8).min(e) {
            if doc.is_punct(m) {
                break;
            }
            if doc.has(m, kinds::CAPTIVE_COMPLEMENT) {
                let weight = lexicon
                    .triggers
                    .iter()
                    .find(|t| {
                        t.class
                            == TriggerClass::Sub(
                                vigil_model::SubEventType::AbductionForcedDisappearance,
                            )
                    })
                    .map_or(3, |t| t.weight);
                out.push(TriggerMention {
                    toks: (k, m + 1),
                    class: TriggerClass::Sub(
                        vigil_model::SubEventType::AbductionForcedDisappearance,
                    ),
                    weight,
                    weapon: false,
                    noun: false,
                    plural: false,
                });
                break;
            }
        }
    }
    out
}

/// The victim identities of tokens `s..e`.
pub fn find_identities(doc: &Doc, lexicon: &Lexicon, s: usize, e: usize) -> Vec<IdentityMention> {
    let mut out = Vec::new();
    let mut k = s;
    while k < e {
        if !doc.has(k, kinds::IDENTITY) {
            k += 1;
            continue;
        }
        if let Some(h) = doc.find_within(k, e, |w| matches!(w, What::Identity(_))) {
            let What::Identity(id) = h.what else {
                unreachable!()
            };
            out.push(IdentityMention {
                toks: (k, h.end()),
                name: lexicon.identities[id as usize].name.clone(),
            });
            k = h.end();
        } else {
            k += 1;
        }
    }
    out
}
