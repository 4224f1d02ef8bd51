//! Claimant names: one canonical name for the many ways reports name who states a figure, and
//! whether that claimant is a party to the conflict or its media.
//!
//! The mechanism is general; the names are data (`data/claimants.toml`). A raw claimant is
//! resolved in this order:
//!
//! 1. **Alias**: its normalised words (lowercase, no diacritics or punctuation, no leading
//!    article) equal a known name or alias ("the Syrian Observatory" → SOHR).
//! 2. **Acronym**: one of its words, as written, is an upper-case acronym in the table ("SOHR",
//!    "AFP"); acronyms only match in capitals, so the word "who" is not the WHO.
//! 3. **Containment**: a known name or alias occurs inside it as whole words ("Rami Abdulrahman
//!    from the Syrian Observatory for Human Rights"); the longest such name wins.
//! 4. **Short form in context**: its content words all occur in exactly one canonical name already
//!    named in the same incident ("the Observatory" meets "Syrian Observatory for Human Rights").
//! 5. Otherwise it stays as written (trimmed, leading article removed), and it is partisan when a
//!    cue word says so ("defence ministry spokesman", "state television").

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// What kind of speaker a claimant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimantKind {
    Monitor,
    Humanitarian,
    International,
    RightsGroup,
    NewsAgency,
    Media,
    StateMedia,
    Government,
    ArmedForces,
    ArmedGroup,
    Witness,
    /// Not in the table.
    Unknown,
}

/// A claimant as the table knows it.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimantEntry {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: ClaimantKind,
    pub partisan: bool,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct File {
    #[serde(default)]
    partisan_cues: Vec<String>,
    claimant: Vec<ClaimantEntry>,
}

/// A resolved claimant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The canonical name (the table's, or the cleaned raw name).
    pub name: String,
    pub partisan: bool,
    pub kind: ClaimantKind,
    /// True when the table knows the claimant (by any of steps 1 to 4).
    pub known: bool,
}

/// Errors reading a claimant table.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("claimant table is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("claimant table: {0}")]
    Invalid(String),
}

/// The claimant table with its indexes.
#[derive(Debug)]
pub struct Claimants {
    entries: Vec<ClaimantEntry>,
    /// Normalised alias or name → entry.
    exact: HashMap<String, usize>,
    /// Upper-case acronym as written → entry.
    acronyms: HashMap<String, usize>,
    /// Whole-word search for aliases inside a longer name (patterns are " alias ").
    contained: AhoCorasick,
    contained_entry: Vec<usize>,
    cues: Vec<String>,
}

const BUNDLED: &str = include_str!("../data/claimants.toml");

impl Claimants {
    /// The table shipped with vigil.
    pub fn bundled() -> &'static Claimants {
        static TABLE: OnceLock<Claimants> = OnceLock::new();
        TABLE.get_or_init(|| {
            Claimants::from_toml(BUNDLED).expect("the bundled claimant table is tested")
        })
    }

    /// Reads a table in the format of `data/claimants.toml`.
    pub fn from_toml(text: &str) -> Result<Claimants, Error> {
        let file: File = toml::from_str(text)?;
        let mut exact = HashMap::new();
        let mut acronyms = HashMap::new();
        let mut patterns = Vec::new();
        let mut contained_entry = Vec::new();
        for (index, entry) in file.claimant.iter().enumerate() {
            if entry.name.trim().is_empty() {
                return Err(Error::Invalid(format!("entry {index} has no name")));
            }
            for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
                if is_acronym(alias) {
                    acronyms.insert(alias.replace('.', ""), index);
                    continue;
                }
                let key = normalise(alias);
                if key.is_empty() {
                    continue;
                }
                if let Some(previous) = exact.insert(key.clone(), index)
                    && previous != index
                {
                    return Err(Error::Invalid(format!(
                        "alias {alias:?} names both {:?} and {:?}",
                        file.claimant[previous].name, entry.name
                    )));
                }
                // Single generic words ("resident", "witness") are too common to find inside
                // longer names; they match only as the whole name.
                if key.contains(' ') || entry.kind != ClaimantKind::Witness {
                    patterns.push(format!(" {key} "));
                    contained_entry.push(index);
                }
            }
        }
        let contained = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(Claimants {
            entries: file.claimant,
            exact,
            acronyms,
            contained,
            contained_entry,
            cues: file.partisan_cues.iter().map(|c| normalise(c)).collect(),
        })
    }

    pub fn entries(&self) -> &[ClaimantEntry] {
        &self.entries
    }

    fn resolved(&self, index: usize) -> Resolved {
        let entry = &self.entries[index];
        Resolved {
            name: entry.name.clone(),
            partisan: entry.partisan,
            kind: entry.kind,
            known: true,
        }
    }

    /// Resolves a raw claimant by steps 1 to 3 and 5 (no context). Answers are remembered per
    /// thread (claimant names repeat across reports), up to a bound.
    pub fn resolve(&self, raw: &str) -> Resolved {
        thread_local! {
            static CACHE: std::cell::RefCell<(usize, HashMap<String, Resolved>)> =
                std::cell::RefCell::new((0, HashMap::new()));
        }
        let table = self as *const Claimants as usize;
        if let Some(hit) = CACHE.with(|c| {
            let c = c.borrow();
            if c.0 == table {
                c.1.get(raw).cloned()
            } else {
                None
            }
        }) {
            return hit;
        }
        let resolved = self.resolve_in_context(raw, &[]);
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != table || c.1.len() >= 20_000 {
                c.1.clear();
                c.0 = table;
            }
            c.1.insert(raw.to_string(), resolved.clone());
        });
        resolved
    }

    /// Resolves a raw claimant; `context` holds canonical names already named in the same
    /// incident, for short forms such as "the Observatory" (step 4).
    pub fn resolve_in_context(&self, raw: &str, context: &[&str]) -> Resolved {
        let key = normalise(raw);
        if let Some(&index) = self.exact.get(&key) {
            return self.resolved(index);
        }
        for word in raw.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '&')) {
            let word = word.trim_matches('.').replace('.', "");
            if let Some(&index) = self.acronyms.get(&word) {
                return self.resolved(index);
            }
        }
        // A single capitalised word that is an acronym in other case ("Sana" for SANA); lower
        // case words ("who") are never acronyms.
        let trimmed = raw.trim().trim_start_matches("the ").trim();
        if !trimmed.contains(' ') && trimmed.starts_with(char::is_uppercase) {
            let upper = trimmed.replace('.', "").to_uppercase();
            if let Some(&index) = self.acronyms.get(&upper) {
                return self.resolved(index);
            }
        }
        let padded = format!(" {key} ");
        if let Some(found) = self.contained.find(&padded) {
            return self.resolved(self.contained_entry[found.pattern().as_usize()]);
        }
        let words: Vec<&str> = key
            .split(' ')
            .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
            .collect();
        if !words.is_empty() {
            let mut matches = context.iter().filter(|name| {
                let name_words = normalise(name);
                let name_words: Vec<&str> = name_words.split(' ').collect();
                words.iter().all(|w| name_words.contains(w))
            });
            if let (Some(name), None) = (matches.next(), matches.next()) {
                let mut resolved = self.resolve(name);
                resolved.name = name.to_string();
                return resolved;
            }
        }
        Resolved {
            name: clean_name(raw),
            partisan: self.is_partisan_name(&key),
            kind: ClaimantKind::Unknown,
            known: false,
        }
    }

    fn is_partisan_name(&self, key: &str) -> bool {
        let padded = format!(" {key} ");
        self.cues
            .iter()
            .any(|cue| padded.contains(&format!(" {cue} ")))
    }
}

/// Words that say nothing about which claimant is meant.
const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "for", "in", "on", "and", "its", "said",
];

fn is_acronym(alias: &str) -> bool {
    let letters: String = alias.chars().filter(|c| *c != '.').collect();
    letters.len() >= 2
        && letters.len() <= 6
        && letters
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Lowercase words without diacritics or punctuation, leading articles removed: the key names
/// are compared on. Apostrophes and dots vanish ("B'Tselem" → "btselem", "U.N." → "un"); other
/// punctuation separates words.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    // ASCII needs no decomposition (most names in English reports).
    let chars: Box<dyn Iterator<Item = char>> = if text.is_ascii() {
        Box::new(text.chars())
    } else {
        Box::new(text.nfd())
    };
    for c in chars {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '.' | 'ʿ' | 'ʾ') {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    let mut out = out.trim_end().to_string();
    for article in ["the ", "a ", "an "] {
        if let Some(rest) = out.strip_prefix(article) {
            out = rest.to_string();
            break;
        }
    }
    out
}

/// A raw name as it is shown when the table does not know it: trimmed, whitespace collapsed,
/// a leading "the" dropped.
fn clean_name(raw: &str) -> String {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let collapsed = collapsed.trim_matches(|c: char| c == ',' || c == ':' || c == '"');
    for article in ["the ", "The "] {
        if let Some(rest) = collapsed.strip_prefix(article) {
            return rest.to_string();
        }
    }
    collapsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_case_diacritics_and_articles() {
        assert_eq!(normalise("The Syrian Observatory"), "syrian observatory");
        assert_eq!(
            normalise("Médecins Sans Frontières"),
            "medecins sans frontieres"
        );
        assert_eq!(normalise("B'Tselem"), "btselem");
        assert_eq!(normalise("U.N."), "un");
        assert_eq!(normalise("  Saudi-led  coalition "), "saudi led coalition");
    }
}
