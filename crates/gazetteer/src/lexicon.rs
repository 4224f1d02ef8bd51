//! The geoparser's language data (`data/lexicon.toml`, `data/english_words.txt.gz`), embedded and
//! parsed once per loaded gazetteer.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::Error;

const LEXICON: &str = include_str!("../data/lexicon.toml");
/// Lowercase English words (SCOWL, see `data/derive_english_words.py`), gzipped.
const ENGLISH_WORDS: &[u8] = include_bytes!("../data/english_words.txt.gz");
const ABBREVIATIONS: &str = include_str!("../data/abbreviations.tsv");
/// Lowercase given names (US Social Security Administration, see
/// `data/derive_given_names.py`), gzipped.
const GIVEN_NAMES: &[u8] = include_bytes!("../data/given_names.txt.gz");

#[derive(Deserialize)]
struct Raw {
    never_alone: Vec<String>,
    demonyms: HashMap<String, String>,
    given_names: Vec<String>,
    organisation_heads: Vec<String>,
    follow: HashMap<String, String>,
    precede: HashMap<String, String>,
    person_titles: Vec<String>,
    person_verbs: Vec<String>,
    never_first: Vec<String>,
    common_words: Vec<String>,
}

/// What a cue word says about the place it goes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CueKind {
    Settlement,
    City,
    District,
    Admin1,
    Admin2,
    Region,
    Countryside,
    Locative,
    List,
    Of,
}

impl CueKind {
    fn parse(s: &str) -> Option<CueKind> {
        Some(match s {
            "settlement" => CueKind::Settlement,
            "city" => CueKind::City,
            "district" => CueKind::District,
            "admin1" => CueKind::Admin1,
            "admin2" => CueKind::Admin2,
            "region" => CueKind::Region,
            "countryside" => CueKind::Countryside,
            "locative" => CueKind::Locative,
            "list" => CueKind::List,
            "of" => CueKind::Of,
            _ => return None,
        })
    }
}

/// Fx hashing (rustc-hash): the lexicon is looked up for nearly every word of every report, and
/// its keys are short; SipHash's protection against chosen keys is not needed for data vigil
/// ships, and the per-thread caches keyed by report words are bounded.
pub(crate) type FastBuild = rustc_hash::FxBuildHasher;
pub(crate) type FastSet = HashSet<String, FastBuild>;
pub(crate) type FastMap<V> = HashMap<String, V, FastBuild>;

pub(crate) struct Lexicon {
    /// Demonyms and communities by lowercase phrase: the country's ISO code ("" for a
    /// community such as "Alawite").
    pub demonyms: FastMap<String>,
    /// Preceding cue phrases by their last word, each as (words before, kind).
    pub precede: FastMap<Vec<(Vec<String>, CueKind)>>,
    /// Admin-area abbreviations as news style writes them ("Calif." → `US.CA`).
    pub abbreviations: FastMap<String>,
    /// What the word lists say of one lowercase word, in one look-up (see [`WordInfo`]).
    pub words: FastMap<WordInfo>,
}

/// The word lists of the language data, each lowercase, before they are gathered by word.
struct WordLists {
    never_alone: FastSet,
    given_names: FastSet,
    organisation_heads: FastSet,
    follow: FastMap<CueKind>,
    person_titles: FastSet,
    person_verbs: FastSet,
    /// Function words that never begin a place name.
    never_first: FastSet,
    /// English words: a capitalised one is a place only with a cue.
    english_words: FastSet,
}

/// Membership of one lowercase word in the word lists of the [`Lexicon`]: the geoparser reads
/// them for every new word form, so they are gathered into one table.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordInfo {
    pub never_alone: bool,
    pub never_first: bool,
    pub english: bool,
    pub given: bool,
    pub title: bool,
    pub verb: bool,
    pub org_head: bool,
    pub follow: Option<CueKind>,
    /// The word is a demonym (see [`Lexicon::demonyms`] for its country).
    pub demonym: bool,
}

impl WordLists {
    /// Gathers the lists by word (with the single words of `demonyms`).
    fn by_word(self, demonyms: &FastMap<String>) -> FastMap<WordInfo> {
        let mut words: FastMap<WordInfo> = FastMap::default();
        type Mark = fn(&mut WordInfo);
        let lists: [(FastSet, Mark); 7] = [
            (self.never_alone, |i| i.never_alone = true),
            (self.never_first, |i| i.never_first = true),
            (self.english_words, |i| i.english = true),
            (self.given_names, |i| i.given = true),
            (self.person_titles, |i| i.title = true),
            (self.person_verbs, |i| i.verb = true),
            (self.organisation_heads, |i| i.org_head = true),
        ];
        for (list, set) in lists {
            for w in list {
                set(words.entry(w).or_default());
            }
        }
        for (w, k) in self.follow {
            words.entry(w).or_default().follow = Some(k);
        }
        for w in demonyms.keys() {
            words.entry(w.clone()).or_default().demonym = true;
        }
        words.shrink_to_fit();
        words
    }
}

impl Lexicon {
    /// Loads the language data; `countries` (ISO code, English name) add the regular demonyms of
    /// every country ("Malaysian", "Zimbabwean", "Vietnamese") to the hand-written ones.
    pub fn load(
        countries: &[(String, String)],
        is_place: &dyn Fn(&str) -> bool,
    ) -> Result<Lexicon, Error> {
        let raw: Raw =
            toml::from_str(LEXICON).map_err(|e| Error::Data(format!("lexicon.toml: {e}")))?;
        let lower = |v: Vec<String>| v.into_iter().map(|w| w.to_lowercase()).collect::<FastSet>();
        let mut follow = FastMap::default();
        for (w, k) in raw.follow {
            let kind = CueKind::parse(&k)
                .ok_or_else(|| Error::Data(format!("lexicon.toml: bad cue kind {k}")))?;
            follow.insert(w.to_lowercase(), kind);
        }
        let mut precede: FastMap<Vec<(Vec<String>, CueKind)>> = FastMap::default();
        for (phrase, k) in raw.precede {
            let kind = CueKind::parse(&k)
                .ok_or_else(|| Error::Data(format!("lexicon.toml: bad cue kind {k}")))?;
            let mut words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
            let Some(last) = words.pop() else { continue };
            precede.entry(last).or_default().push((words, kind));
        }
        // Longest phrases first.
        for v in precede.values_mut() {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        let mut demonyms: FastMap<String> = FastMap::default();
        for (iso, name) in countries {
            for form in demonym_forms(name) {
                if !is_place(&form) {
                    demonyms.entry(form).or_insert_with(|| iso.clone());
                }
            }
        }
        // The hand-written entries win over the derived ones.
        demonyms.extend(raw.demonyms.into_iter().map(|(k, v)| (k.to_lowercase(), v)));
        let lists = WordLists {
            never_alone: lower(raw.never_alone),
            given_names: {
                let mut g = lower(raw.given_names);
                g.extend(gunzip_lines(GIVEN_NAMES, "given_names.txt.gz")?);
                g
            },
            never_first: lower(raw.never_first),
            organisation_heads: lower(raw.organisation_heads),
            follow,
            person_titles: lower(raw.person_titles),
            person_verbs: lower(raw.person_verbs),
            english_words: {
                let mut e: FastSet = gunzip_lines(ENGLISH_WORDS, "english_words.txt.gz")?;
                e.extend(raw.common_words.into_iter().map(|w| w.to_lowercase()));
                e
            },
        };
        Ok(Lexicon {
            words: lists.by_word(&demonyms),
            demonyms,
            precede,
            abbreviations: ABBREVIATIONS
                .lines()
                .skip_while(|l| l.starts_with('#'))
                .skip(1)
                .filter_map(|l| l.split_once('\t'))
                .map(|(a, c)| (a.trim().to_string(), c.trim().to_string()))
                .collect(),
        })
    }
}

/// The lines of a gzipped word list.
fn gunzip_lines(bytes: &[u8], what: &str) -> Result<FastSet, Error> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text)
        .map_err(|e| Error::Data(format!("{what}: {e}")))?;
    Ok(text
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// The regular demonyms of a country name, lowercase: Syria → syrian, Zimbabwe → zimbabwean,
/// Egypt → egyptian, Canada → canadian, Mexico → mexican, China → chinese, Pakistan → pakistani,
/// Slovakia → slovak. A multi-word name also gives the forms of its last word (El Salvador →
/// salvadoran). Forms no one writes are harmless: they never occur in text.
pub(crate) fn demonym_forms(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = name.to_lowercase();
    let mut bases = vec![lower.clone()];
    if let Some(last) = lower.split_whitespace().last().filter(|l| *l != lower) {
        bases.push(last.to_string());
    }
    for n in bases {
        if n.len() < 3 || !n.chars().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let stem = &n[..n.len() - 1];
        match n.chars().last() {
            Some('a') => {
                out.push(format!("{n}n"));
                out.push(format!("{stem}ese"));
                if let Some(s) = n.strip_suffix("ia") {
                    out.push(s.to_string());
                }
            }
            Some('e') => out.push(format!("{n}an")),
            Some('y') => out.push(format!("{stem}ian")),
            Some('o') | Some('i') | Some('u') => {
                out.push(format!("{stem}an"));
                out.push(format!("{n}an"));
                out.push(format!("{stem}ese"));
            }
            Some('s') => {
                // Philippines → philippine, Bahamas → bahamian.
                out.push(stem.to_string());
                out.push(format!("{stem}ian"));
            }
            _ => {
                out.push(format!("{n}ian"));
                out.push(format!("{n}i"));
                out.push(format!("{n}ese"));
                out.push(format!("{n}an"));
            }
        }
    }
    out
}
