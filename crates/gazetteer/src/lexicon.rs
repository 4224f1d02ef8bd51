//! The geoparser's language data (`data/lexicon.toml`, `data/english_words.txt.gz`), embedded and
//! parsed once per loaded gazetteer.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::Error;

const LEXICON: &str = include_str!("../data/lexicon.toml");
/// Lowercase English words (SCOWL, see `data/derive_english_words.py`), gzipped.
const ENGLISH_WORDS: &[u8] = include_bytes!("../data/english_words.txt.gz");

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
}

/// What a cue word says about the place it goes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

pub(crate) struct Lexicon {
    pub never_alone: HashSet<String>,
    pub demonyms: HashMap<String, String>,
    pub given_names: HashSet<String>,
    pub organisation_heads: HashSet<String>,
    pub follow: HashMap<String, CueKind>,
    /// Preceding cue phrases by their last word, each as (words before, kind).
    pub precede: HashMap<String, Vec<(Vec<String>, CueKind)>>,
    pub person_titles: HashSet<String>,
    pub person_verbs: HashSet<String>,
    /// English words: a capitalised one is a place only with a cue.
    pub english_words: HashSet<String>,
}

impl Lexicon {
    pub fn load() -> Result<Lexicon, Error> {
        let raw: Raw =
            toml::from_str(LEXICON).map_err(|e| Error::Data(format!("lexicon.toml: {e}")))?;
        let lower = |v: Vec<String>| {
            v.into_iter()
                .map(|w| w.to_lowercase())
                .collect::<HashSet<_>>()
        };
        let mut follow = HashMap::new();
        for (w, k) in raw.follow {
            let kind = CueKind::parse(&k)
                .ok_or_else(|| Error::Data(format!("lexicon.toml: bad cue kind {k}")))?;
            follow.insert(w.to_lowercase(), kind);
        }
        let mut precede: HashMap<String, Vec<(Vec<String>, CueKind)>> = HashMap::new();
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
        Ok(Lexicon {
            never_alone: lower(raw.never_alone),
            demonyms: raw
                .demonyms
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
            given_names: lower(raw.given_names),
            organisation_heads: lower(raw.organisation_heads),
            follow,
            precede,
            person_titles: lower(raw.person_titles),
            person_verbs: lower(raw.person_verbs),
            english_words: {
                let mut text = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::GzDecoder::new(ENGLISH_WORDS),
                    &mut text,
                )
                .map_err(|e| Error::Data(format!("english_words.txt.gz: {e}")))?;
                text.lines().map(str::to_string).collect()
            },
        })
    }
}
