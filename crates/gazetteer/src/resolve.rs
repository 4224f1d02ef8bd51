//! Candidates for a name and their document-free prior: what the index proposes before context
//! chooses. [`geocode`] resolves one name on its own (with an optional country or point nearby).

use serde::{Deserialize, Serialize};
use vigil_model::{Place, haversine_km};

use std::collections::HashSet;

use crate::index::{self, flag};
use crate::key;
use crate::lexicon::FastBuild;
use crate::{Gazetteer, PlaceId};

/// How a name matched a place's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Same strict key (same spelling up to case, diacritics, articles and the folded letters).
    Key,
    /// Same consonant skeleton and a close strict key ("Tsneen" / "Tasnin").
    Skeleton,
    /// Same consonant skeleton as a name the data has only in Arabic script (or the reverse).
    CrossScript,
}

/// One possible place for a name, with its score and the reasons for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub place: Place,
    pub score: f32,
    /// Why the score is what it is, one short phrase a reason ("country SY named 5 times").
    pub reasons: Vec<String>,
    pub feature_code: String,
    pub population: u64,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
}

/// What a name should be near, for [`geocode`].
#[derive(Debug, Clone, PartialEq)]
pub enum Near {
    /// ISO 3166-1 alpha-2 country code.
    Country(String),
    Point {
        lat: f64,
        lon: f64,
    },
}

/// A candidate inside the crate: a place row and how it matched.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub id: u32,
    pub kind: MatchKind,
    pub primary: bool,
    pub prior: f32,
    /// Length of the skeleton the candidate matched on (0 for a key match).
    pub skeleton_len: u8,
}

/// Most strict keys a skeleton may propose, and most places gathered for one name: bounds on
/// the work per name.
const MAX_SKELETON_KEYS: usize = 60;
const MAX_CANDIDATES: usize = 3000;

/// Candidates for a name given its strict key and skeleton.
pub(crate) fn gather(gaz: &Gazetteer, strict: &str, skel: &str) -> Vec<Cand> {
    let ix = &gaz.index;
    let mut out: Vec<Cand> = Vec::new();
    let mut seen: HashSet<u32, FastBuild> = HashSet::default();
    for v in ix.strict_postings(strict) {
        let id = v & !index::PRIMARY;
        seen.insert(id);
        out.push(Cand {
            id,
            kind: MatchKind::Key,
            primary: v & index::PRIMARY != 0,
            prior: 0.0,
            skeleton_len: 0,
        });
    }
    // Places that have a Latin name with this skeleton which the edit-distance check refused:
    // an Arabic-script name of theirs must not let them in by the back door ("Hamas" is not حمص).
    // Kept as the refused keys' map values, expanded only when a cross-script candidate needs it.
    let mut refused: Vec<u64> = Vec::new();
    let mut cross: Vec<Cand> = Vec::new();
    // Skeletons of fewer than three letters meet too many names to be worth the look-up.
    if skel.len() >= 3 {
        for (k2, value) in ix.skeleton_keys(skel, MAX_SKELETON_KEYS) {
            if k2 == strict {
                continue;
            }
            let same_script = key::is_latin_key(strict) == key::is_latin_key(k2);
            if !key::skeleton_match(strict, skel, k2, skel) {
                if same_script {
                    refused.push(value);
                }
                continue;
            }
            let kind = if same_script {
                MatchKind::Skeleton
            } else {
                MatchKind::CrossScript
            };
            for v in ix.strict_postings_of(value).iter() {
                let id = v & !index::PRIMARY;
                if seen.contains(&id) || out.len() + cross.len() >= MAX_CANDIDATES {
                    continue;
                }
                let c = Cand {
                    id,
                    kind,
                    primary: v & index::PRIMARY != 0,
                    prior: 0.0,
                    skeleton_len: skel.len().min(255) as u8,
                };
                if kind == MatchKind::CrossScript {
                    cross.push(c);
                } else {
                    seen.insert(id);
                    out.push(c);
                }
            }
        }
    }
    if !cross.is_empty() {
        let refused: HashSet<u32, FastBuild> = refused
            .iter()
            .flat_map(|&v| ix.strict_postings_of(v).iter())
            .map(|v| v & !index::PRIMARY)
            .collect();
        for c in cross {
            // Three consonants meet by chance too often across scripts: four or more.
            if c.skeleton_len >= 4 && !refused.contains(&c.id) && !seen.contains(&c.id) {
                seen.insert(c.id);
                out.push(c);
            }
        }
    }
    for c in &mut out {
        c.prior = prior(gaz, c);
    }
    out
}

/// Weight of a feature code: countries and admin seats first, abandoned places last.
pub(crate) fn feature_weight(fcode: &str, flags: u16) -> f32 {
    if flags & flag::REGION != 0 {
        return 1.6;
    }
    match fcode {
        "PCLI" | "PCL" | "PCLD" | "PCLF" | "PCLS" => 3.2,
        "PPLC" => 2.6,
        "ADM1" => 2.0,
        "PPLA" => 1.8,
        "PPLA2" => 1.2,
        "ADM2" => 0.6,
        "PPLA3" => 0.8,
        "PPLA4" => 0.5,
        "PPL" | "PPLS" | "STLMT" | "PPLF" => 0.3,
        "PPLX" => 0.2,
        "PPLL" => 0.1,
        "PPLQ" | "PPLH" | "PPLW" => -0.6,
        "ADM3" | "ADM4" => -0.2,
        _ => 0.0,
    }
}

/// The prior of a candidate: feature type, population, how the name matched.
pub(crate) fn prior(gaz: &Gazetteer, c: &Cand) -> f32 {
    let r = gaz.index.row(c.id);
    let fcode = gaz.index.feature_code(r.fcode);
    let mut s = feature_weight(fcode, r.flags);
    s += 0.35 * (1.0 + r.population as f32).log10();
    s += match c.kind {
        MatchKind::Key => 0.0,
        MatchKind::Skeleton => -0.8,
        MatchKind::CrossScript => -0.6,
    };
    if c.primary && fcode.starts_with("PCL") {
        // A country's own name means the country, not a city that also bears it.
        s += 1.3;
    } else if c.primary {
        s += 0.3;
    } else if r.flags & flag::DETAILED == 0 {
        // Alternate names of places outside the detailed countries include much noise (old
        // names, other languages' words), the more so for small places.
        s -= if r.population < 10_000 { 0.8 } else { 0.4 };
    }
    if r.flags & flag::CURRENT == 0 {
        s -= 0.5;
    }
    s
}

pub(crate) fn reasons_of_prior(gaz: &Gazetteer, c: &Cand) -> Vec<String> {
    let r = gaz.index.row(c.id);
    let mut v = vec![format!(
        "{} pop {}",
        gaz.index.feature_code(r.fcode),
        r.population
    )];
    match c.kind {
        MatchKind::Key => v.push(if c.primary {
            "main name".into()
        } else {
            "alternate name".into()
        }),
        MatchKind::Skeleton => v.push("spelling variant".into()),
        MatchKind::CrossScript => v.push("matches an Arabic-script name".into()),
    }
    v
}

/// Resolves one name, ranked best first (at most 20 candidates). With `near`, candidates in that
/// country (or near that point) rank first.
pub fn geocode(gaz: &Gazetteer, name: &str, near: Option<&Near>) -> Vec<Candidate> {
    let strict = key::name_key(name);
    if strict.is_empty() {
        return Vec::new();
    }
    let skel = key::skeleton_key(name);
    let mut cands = gather(gaz, &strict, &skel);
    let mut scored: Vec<(f32, Vec<String>, Cand)> = cands
        .drain(..)
        .map(|c| {
            let mut reasons = reasons_of_prior(gaz, &c);
            let mut s = c.prior;
            let e = gaz.entry(PlaceId(c.id));
            match near {
                Some(Near::Country(cc)) => {
                    if e.country
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(cc))
                    {
                        s += 4.0;
                        reasons.push(format!("in {cc}"));
                    } else if gaz
                        .country(cc)
                        .and_then(|_| gaz.index.country_by_iso.get(&cc.to_ascii_uppercase()))
                        .and_then(|&i| gaz.index.meta.countries.get(i as usize))
                        .is_some_and(|row| {
                            e.country
                                .as_ref()
                                .is_some_and(|x| row.neighbours.contains(x))
                        })
                    {
                        s += 1.0;
                        reasons.push(format!("neighbour of {cc}"));
                    }
                }
                Some(Near::Point { lat, lon }) => {
                    let d = haversine_km(*lat, *lon, e.lat, e.lon);
                    s += 4.0 * (-d / 100.0).exp() as f32;
                    reasons.push(format!("{d:.0} km away"));
                }
                None => {}
            }
            (s, reasons, c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.id.cmp(&b.2.id)));
    scored.truncate(20);
    scored
        .into_iter()
        .map(|(s, reasons, c)| to_candidate(gaz, &c, s, reasons))
        .collect()
}

pub(crate) fn to_candidate(
    gaz: &Gazetteer,
    c: &Cand,
    score: f32,
    reasons: Vec<String>,
) -> Candidate {
    let r = gaz.index.row(c.id);
    Candidate {
        feature_code: gaz.index.feature_code(r.fcode).to_string(),
        population: u64::from(r.population),
        place: gaz.place_of(PlaceId(c.id)),
        score,
        reasons,
        match_kind: c.kind,
    }
}
