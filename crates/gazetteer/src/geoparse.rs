//! Recognition and resolution of place names in a whole report: candidate spans from the index,
//! context cues and filters, then disambiguation by the document.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use fst::raw::{Fst, Output};
use serde::{Deserialize, Serialize};
use vigil_model::{Place, PlacePrecision, Span, haversine_km};

use crate::index::{NONE, flag};
use crate::key::{self, is_arabic_char, is_word_mark};
use crate::lexicon::{CueKind, FastBuild, Lexicon, WordInfo};
use crate::resolve::{self, Cand, Candidate, MatchKind};
use crate::{Gazetteer, PlaceId};

/// Options of [`find_places`].
#[derive(Debug, Clone)]
pub struct GeoparseConfig {
    /// ISO alpha-2 code of the country the report is about, when known (e.g. from its metadata).
    pub country_hint: Option<String>,
    /// Spans known not to be places (actor names found by extraction): no place is taken from
    /// text that overlaps them.
    pub exclude: Vec<Span>,
    /// How many ranked candidates each mention keeps, each with the reasons for its score
    /// (default 5). 0 keeps none: the choice alone, which is what a caller that does not show
    /// the candidates wants, and about half the cost of resolution.
    pub max_candidates: usize,
    /// Below this probability that a place is meant at all, a mention gets no place ("none of
    /// these"); default 0.35.
    pub min_score: f32,
}

impl Default for GeoparseConfig {
    fn default() -> GeoparseConfig {
        GeoparseConfig {
            country_hint: None,
            exclude: Vec::new(),
            max_candidates: 5,
            min_score: 0.35,
        }
    }
}

/// One place name found in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub span: Span,
    pub text: String,
    /// The chosen place; `None` when no candidate is good enough ("none of these").
    pub place: Option<Place>,
    /// Confidence in the choice, 0 to 1.
    pub score: f32,
    /// The best candidates, ranked, each with its score and reasons.
    pub candidates: Vec<Candidate>,
    /// The context cue that supported the mention ("the village of", "in", "countryside").
    pub cue: Option<String>,
    /// True when the name is part of a longer proper name ("Homs Operations Room", "Syria
    /// Direct"): it names a place only indirectly.
    #[serde(default)]
    pub modifier: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Only spaces (no line break).
    Space,
    /// A hyphen, possibly with spaces.
    Hyphen,
    /// A comma.
    Comma,
    /// Anything that ends a name: sentence punctuation, a line break, brackets, quotes.
    Break,
}

/// A token of the text: where it is, what separates it from the next, and the word it is.
#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    /// What the geoparser knows of the word form (shared by every token of that form).
    w: Rc<Word>,
    /// What separates this token from the next.
    gap_after: Gap,
    /// True when the token starts a sentence (or the text).
    sentence_start: bool,
    /// True when a line break follows the token.
    line_end: bool,
}

impl std::ops::Deref for Tok {
    type Target = Word;
    fn deref(&self) -> &Word {
        &self.w
    }
}

/// One word form (as written, after a possessive "'s" is cut off) and what follows from it
/// alone: its keys and its flags. Computed once per form and thread (see [`WordCache`]).
#[derive(Debug)]
struct Word {
    arabic: bool,
    cap: bool,
    all_caps: bool,
    lower: String,
    /// Strict key and skeleton, only for words that can be part of a name (capitalised words,
    /// Arabic-script words, articles and connectors); empty otherwise.
    key: String,
    skel: String,
    /// The first step of the walk through the maps from this word (see `first_walk`).
    first: std::cell::Cell<Option<FirstWalk>>,
    /// An article ("al", "el", "ash"; see [`key::is_article`]).
    article: bool,
    /// A lowercase word allowed inside a multi-word name ([`CONNECTORS`]).
    connector: bool,
    // Membership in the language data's lists (see `data/lexicon.toml`).
    never_alone: bool,
    /// A function word that never begins a place name ("In", "IN" in a headline).
    never_first: bool,
    english: bool,
    given: bool,
    title: bool,
    verb: bool,
    org_head: bool,
    follow: Option<CueKind>,
    /// The country of a demonym ("" for a community such as "Alawite").
    demonym: Option<String>,
    /// The first word of a curated region phrase.
    region_first: bool,
}

/// The walk through both maps after one word: (the strict map is alive after the stable part,
/// the word's key is a key), and the skeleton map's state.
#[derive(Debug, Clone, Copy)]
struct FirstWalk {
    strict_alive: bool,
    strict_hit: bool,
    skel: Option<(fst::raw::CompiledAddr, u64)>,
}

/// Bound on the words and names a thread remembers (each a few hundred bytes at most).
const MAX_CACHED: usize = 100_000;

/// Per-thread memory of word forms and of the candidates of names, for one gazetteer: news
/// repeats its words and names, so a stream of reports mostly finds them here.
#[derive(Default)]
struct WordCache {
    owner: usize,
    words: HashMap<Box<str>, Rc<Word>, crate::lexicon::FastBuild>,
    cands: HashMap<Box<str>, Rc<[Cand]>, crate::lexicon::FastBuild>,
    /// Refolded keys of multi-word names by their words' keys joined ([`key::refold`]).
    folds: HashMap<Box<str>, Box<str>, crate::lexicon::FastBuild>,
    /// Walks of the strict map by the joined keys of several words: (alive, final).
    walks: HashMap<Box<str>, (bool, bool), crate::lexicon::FastBuild>,
    /// Reported candidates before the document's say (score 0, the reasons of their prior), by
    /// place row, match kind and whether the name is the place's main one.
    bases: HashMap<(u32, MatchKind, bool), Candidate, crate::lexicon::FastBuild>,
    /// The token and draft vectors, kept (empty) from one report to the next.
    toks: Vec<Tok>,
    drafts: Vec<Draft>,
}

/// [`key::refold`], remembered.
fn cached_refold<'a>(
    folds: &'a mut HashMap<Box<str>, Box<str>, crate::lexicon::FastBuild>,
    raw: &str,
) -> &'a str {
    if !folds.contains_key(raw) {
        folds.insert(raw.into(), key::refold(raw).into_boxed_str());
    }
    folds.get(raw).map(|v| &**v).unwrap_or("")
}

thread_local! {
    static CACHE: std::cell::RefCell<WordCache> = std::cell::RefCell::new(WordCache::default());
}

/// Runs `f` with this thread's cache for `gaz` (emptied when another gazetteer used it last,
/// or when it grew past its bound).
fn with_cache<R>(gaz: &Gazetteer, f: impl FnOnce(&mut WordCache) -> R) -> R {
    let owner = Arc::as_ptr(&gaz.index) as usize ^ (Arc::as_ptr(&gaz.lex) as usize).rotate_left(17);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.owner != owner
            || c.words.len() > MAX_CACHED
            || c.cands.len() > MAX_CACHED
            || c.folds.len() > MAX_CACHED
            || c.walks.len() > MAX_CACHED
            || c.bases.len() > MAX_CACHED
        {
            c.words.clear();
            c.cands.clear();
            c.folds.clear();
            c.walks.clear();
            c.bases.clear();
            c.owner = owner;
        }
        f(&mut c)
    })
}

/// Empties this thread's memory of word forms and names (for benchmarks that measure look-ups
/// on text never seen before; results never depend on it).
pub fn clear_thread_cache() {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.words.clear();
        c.cands.clear();
        c.folds.clear();
        c.walks.clear();
        c.bases.clear();
        c.owner = 0;
    });
}

#[inline(never)]
fn make_word(word: &str, arabic: bool, lex: &Lexicon, regions: &RegionPhrases) -> Word {
    let first = word.chars().next().unwrap_or(' ');
    let cap = !arabic && first.is_uppercase();
    let all_caps = !arabic
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word.chars().all(|c| !c.is_lowercase());
    let mut key = String::new();
    let lower = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.to_lowercase()
    };
    let mut skel = String::new();
    // For ASCII the article test reads the same of the word and of its lowercase form.
    let article_word = key::is_article(word);
    let article = if word.is_ascii() {
        article_word
    } else {
        key::is_article(&lower)
    };
    let connector = CONNECTORS.contains(&lower.as_str());
    // Keys only where a name can be: capitalised and Arabic-script words, and short words
    // (articles and connectors such as "al", "ez", "de").
    if arabic || cap || (word.len() <= 5 && (article_word || connector)) {
        if arabic {
            key::word_key_into(strip_arabic_clitic(word), &mut key);
        } else {
            key::word_key_into(word, &mut key);
        }
        key::skeleton_word_into(&key, &mut skel);
    }
    let info = lex.words.get(&lower);
    let flag = |f: fn(&WordInfo) -> bool| info.is_some_and(f);
    Word {
        arabic,
        cap,
        all_caps,
        article,
        connector,
        never_alone: flag(|i| i.never_alone),
        never_first: flag(|i| i.never_first),
        english: flag(|i| i.english),
        given: flag(|i| i.given),
        title: flag(|i| i.title),
        verb: flag(|i| i.verb),
        org_head: flag(|i| i.org_head),
        follow: info.and_then(|i| i.follow),
        demonym: if flag(|i| i.demonym) {
            lex.demonyms.get(&lower).cloned()
        } else {
            None
        },
        region_first: regions.contains_key(&lower),
        lower,
        key,
        skel,
        first: std::cell::Cell::new(None),
    }
}

#[inline(never)]
fn tokenize(text: &str, cache: &mut WordCache, lex: &Lexicon, regions: &RegionPhrases) -> Vec<Tok> {
    // The token vector of the thread's previous report, emptied, saves a large allocation.
    let mut toks: Vec<Tok> = std::mem::take(&mut cache.toks);
    toks.clear();
    toks.reserve(text.len() / 5);
    let mut gap_text_start = 0usize;
    let mut i = 0usize;
    let bytes = text.as_bytes();
    let mut sentence_start = true;
    while i < text.len() {
        let b = bytes[i];
        // Fast path over ASCII non-word bytes.
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // An ASCII byte here is a letter or digit (the others were skipped above).
        let c = if b < 0x80 {
            char::from(b)
        } else {
            text[i..].chars().next().unwrap_or(' ')
        };
        if !(c.is_alphanumeric()) {
            i += c.len_utf8();
            continue;
        }
        // A word: letters, digits, combining marks and inner word marks.
        let start = i;
        let mut end = i;
        let mut j = i;
        let arabic = is_arabic_char(c);
        while j < text.len() {
            let b = bytes[j];
            if b < 0x80 {
                // ASCII: letters and digits continue the word; an apostrophe does when a
                // letter or digit follows; anything else ends it.
                if b.is_ascii_alphanumeric() {
                    if arabic {
                        // Latin letters end an Arabic-script word (digits do not).
                        if b.is_ascii_alphabetic() {
                            break;
                        }
                    }
                    j += 1;
                    end = j;
                    continue;
                }
                let inner_mark = (b == b'\'' || b == b'`')
                    && text[j + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_alphanumeric());
                if inner_mark {
                    j += 1;
                    continue;
                }
                break;
            }
            let d = text[j..].chars().next().unwrap_or(' ');
            let inner_mark = is_word_mark(d)
                && text[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_alphanumeric());
            let same_script = !d.is_alphabetic()
                || is_arabic_char(d) == arabic
                || unicode_normalization::char::is_combining_mark(d);
            if (d.is_alphanumeric()
                || unicode_normalization::char::is_combining_mark(d)
                || inner_mark)
                && same_script
            {
                j += d.len_utf8();
                if !is_word_mark(d) {
                    end = j;
                }
            } else {
                break;
            }
        }
        let mut word_end = end;
        // Possessive: "Syria's" is the word "Syria".
        let w = &text[start..end];
        if w.ends_with(['s', 'S']) {
            for suffix in ["'s", "\u{2019}s", "'S"] {
                if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
                    word_end = end - suffix.len();
                }
            }
        }
        let word = &text[start..word_end];
        // Gap before this token decides the previous token's gap_after.
        if let Some(prev) = toks.last_mut() {
            let gap = &text[gap_text_start..start];
            if gap == " " {
                // The most common gap by far: what the general case below makes of it.
                prev.gap_after = Gap::Space;
                prev.line_end = false;
            } else {
                prev.gap_after = classify_gap(gap);
                prev.line_end = gap.contains('\n');
                if prev.gap_after == Gap::Break && ends_sentence(gap) {
                    sentence_start = true;
                }
            }
        }
        let w = match cache.words.get(word) {
            Some(w) => w.clone(),
            None => {
                let w = Rc::new(make_word(word, arabic, lex, regions));
                cache.words.insert(word.into(), w.clone());
                w
            }
        };
        toks.push(Tok {
            start,
            end: word_end,
            w,
            gap_after: Gap::Break,
            sentence_start,
            line_end: false,
        });
        sentence_start = false;
        gap_text_start = word_end;
        i = j.max(i + 1);
    }
    toks
}

/// Tokens of a title-case line (most words capitalised, such as a headline) are treated like
/// sentence starts: their capitals say nothing.
#[inline(never)]
fn mark_headlines(toks: &mut [Tok]) {
    let mut start = 0;
    while start < toks.len() {
        let mut end = start;
        while end + 1 < toks.len() && !toks[end].line_end {
            end += 1;
        }
        let (mut latin, mut caps) = (0usize, 0usize);
        for t in &toks[start..=end] {
            if !t.arabic && t.lower.len() > 3 {
                latin += 1;
                caps += usize::from(t.cap);
            }
        }
        if latin >= 3 && caps * 10 >= latin * 7 {
            for t in &mut toks[start..=end] {
                t.sentence_start = true;
            }
        }
        start = end + 1;
    }
}

fn ends_sentence(gap: &str) -> bool {
    gap.contains(['.', '!', '?', '\n', ':', ';', '\u{061F}', '|', '#'])
}

fn classify_gap(gap: &str) -> Gap {
    if gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}') {
        return Gap::Space;
    }
    let trimmed = gap.trim_matches([' ', '\u{a0}']);
    if matches!(trimmed, "-" | "\u{2010}" | "\u{2011}") {
        return Gap::Hyphen;
    }
    if trimmed == "," || trimmed == "\u{060C}" {
        return Gap::Comma;
    }
    Gap::Break
}

/// "والرقة" (and al-Raqqa), "بالرقة" (in al-Raqqa): a one-letter clitic before the article.
fn strip_arabic_clitic(word: &str) -> &str {
    for clitic in ['و', 'ب', 'ل', 'ف', 'ك'] {
        if let Some(rest) = word.strip_prefix(clitic)
            && (rest.starts_with("ال") || (clitic == 'ل' && rest.starts_with('ل')))
            && rest.chars().count() >= 4
        {
            return rest;
        }
    }
    word
}

/// Most candidates of one name the document weighs (the best by prior).
const MAX_DOC_CANDIDATES: usize = 40;

/// Lowercase words allowed inside a multi-word name ("Dayr az Zawr", "Rio de Janeiro").
const CONNECTORS: &[&str] = &[
    "al", "el", "as", "ash", "ad", "ar", "at", "az", "an", "ez", "es", "ed", "er", "et", "en", "a",
    "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "los",
    "las", "of", "upon", "on", "sur", "am", "im", "an", "der", "bin", "ibn", "bani", "beni", "al-",
    "y", "e", "und", "and", "the",
];

/// A recognised candidate span before resolution.
#[derive(Debug, Clone)]
struct Draft {
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    key: String,
    cands: Vec<Cand>,
    cue: Option<(String, CueKind)>,
    follow: Option<(String, CueKind)>,
    modifier: bool,
    /// Set for region phrases and composed regions: the place is fixed.
    fixed: Option<Place>,
    /// District construction: the district's name, and the mention index of its city.
    district_of: Option<usize>,
    district_cue: bool,
    weak: bool,
    /// End of the place-kind word after the name ("province"), for widening the span.
    follow_end: Option<usize>,
}

/// Finds and resolves every place name in `text` (a whole report: the other places it names
/// are the context of each). Mentions come in text order.
pub fn find_places(gaz: &Gazetteer, text: &str, config: &GeoparseConfig) -> Vec<PlaceMention> {
    parse(gaz, text, config, None)
}

/// Resolves given spans of `text` as places (for example toponyms a person or another tool
/// marked), with the rest of the document as context: one mention per span, in the order given;
/// a span with no candidate gets a mention without a place. Spans that are not on character
/// boundaries of `text` are skipped.
pub fn resolve_spans(
    gaz: &Gazetteer,
    text: &str,
    spans: &[Span],
    config: &GeoparseConfig,
) -> Vec<PlaceMention> {
    let spans: Vec<Span> = spans
        .iter()
        .copied()
        .filter(|s| s.start < s.end && text.get(s.start..s.end).is_some())
        .collect();
    let found = parse(gaz, text, config, Some(&spans));
    spans
        .iter()
        .map(|s| {
            found
                .iter()
                .find(|m| m.span == *s)
                .cloned()
                .unwrap_or_else(|| PlaceMention {
                    span: *s,
                    text: text[s.start..s.end].to_string(),
                    place: None,
                    score: 0.0,
                    candidates: Vec::new(),
                    cue: None,
                    modifier: false,
                })
        })
        .collect()
}

fn parse(
    gaz: &Gazetteer,
    text: &str,
    config: &GeoparseConfig,
    forced: Option<&[Span]>,
) -> Vec<PlaceMention> {
    with_cache(gaz, |cache| parse_with(gaz, text, config, forced, cache))
}

fn parse_with(
    gaz: &Gazetteer,
    text: &str,
    config: &GeoparseConfig,
    forced: Option<&[Span]>,
    cache: &mut WordCache,
) -> Vec<PlaceMention> {
    let lex = &gaz.lex;
    let regions = region_phrases(gaz);
    let mut toks = tokenize(text, cache, lex, &regions);
    mark_headlines(&mut toks);
    let strict_fst = gaz.index.strict.as_fst();
    let skel_fst = gaz.index.skeleton.as_fst();
    // The drafts vector of the thread's previous report, emptied (a draft is a few hundred
    // bytes: growing a new vector each report costs more than the parse of a short one).
    let mut drafts: Vec<Draft> = std::mem::take(&mut cache.drafts);
    drafts.clear();
    let mut person_words = person_pass(&toks);
    let mut demonym_countries: HashMap<String, f32, FastBuild> = HashMap::default();
    let exclusions = Exclusions::new(&config.exclude);
    let excluded = |s: usize, e: usize| {
        let found = exclusions.overlaps(s, e);
        // Debug builds (the tests) check the interval test against the plain scan.
        debug_assert_eq!(
            found,
            config.exclude.iter().any(|x| x.start < e && s < x.end)
        );
        found
    };

    // Buffers of the walk, reused from one start token to the next.
    let mut ends: Vec<usize> = Vec::new();
    let mut joined = String::new();
    let (mut raw_buf, mut skel_buf, mut lookup_buf) = (String::new(), String::new(), String::new());
    let mut phrase_buf = String::new();
    let mut i = 0;
    'outer: while i < toks.len() {
        let t = &toks[i];
        // Curated region phrases may be lowercase ("coastal regions", "eastern Ghouta").
        if let Some((last, id)) = match_region(&toks, i, &regions)
            && !excluded(t.start, toks[last].end)
        {
            let e = gaz.entry(PlaceId(id));
            let contextual = gaz.index.row(id).flags & flag::CONTEXTUAL != 0;
            drafts.push(Draft {
                first: i,
                last,
                start: t.start,
                end: toks[last].end,
                key: String::new(),
                cands: vec![Cand {
                    id,
                    kind: MatchKind::Key,
                    primary: true,
                    prior: 2.0,
                    skeleton_len: 0,
                }],
                cue: None,
                follow: None,
                modifier: false,
                fixed: Some(e.to_place()),
                district_of: None,
                district_cue: false,
                weak: contextual,
                follow_end: None,
            });
            i = last + 1;
            continue;
        }
        // "Sacramento, Calif.": an admin area's abbreviation after a comma and a place name.
        if t.cap
            && i > 0
            && toks[i - 1].gap_after == Gap::Comma
            && toks[i - 1].cap
            && text[t.end..].starts_with('.')
        {
            let run_end = t.start
                + text[t.start..]
                    .find(|c: char| !(c.is_ascii_alphabetic() || c == '.'))
                    .unwrap_or(text.len() - t.start);
            let abbr = &text[t.start..run_end];
            if let Some(id) = lex.abbreviations.get(abbr).and_then(|c| gaz.admin_place(c))
                && !excluded(t.start, run_end)
            {
                let last = (i..toks.len())
                    .take_while(|&k| toks[k].end <= run_end)
                    .last()
                    .unwrap_or(i);
                drafts.push(Draft {
                    first: i,
                    last,
                    start: t.start,
                    end: run_end,
                    key: key::name_key(abbr),
                    cands: vec![Cand {
                        id: id.0,
                        kind: MatchKind::Key,
                        primary: true,
                        prior: 3.0,
                        skeleton_len: 0,
                    }],
                    cue: None,
                    follow: None,
                    modifier: false,
                    fixed: None,
                    district_of: None,
                    district_cue: false,
                    weak: false,
                    follow_end: None,
                });
                i = last + 1;
                continue;
            }
        }
        // A demonym alone ("Syrian", "Alawite") names people, not a place; "Saudi Arabia" is
        // still walked below.
        if let Some(cc) = &t.demonym {
            if !cc.is_empty() {
                *demonym_countries.entry(cc.clone()).or_default() += 1.0;
            }
            let next_joins = toks.get(i + 1).is_some_and(|n| n.cap) && t.gap_after == Gap::Space;
            if !next_joins {
                i += 1;
                continue;
            }
        }
        let article_start = !t.arabic
            && t.article
            && (t.gap_after == Gap::Hyphen || (t.cap && t.gap_after == Gap::Space))
            || (t.lower == "a" && t.gap_after == Gap::Hyphen);
        let can_start = t.arabic || (t.cap && !t.key.is_empty() && !t.never_first) || article_start;
        if !can_start {
            i += 1;
            continue;
        }
        // Walk both maps token by token; remember the longest final state.
        ends.clear(); // last tokens of names the maps know
        // The strict key of a multi-word name is the refolded concatenation of its words' keys
        // (see key::refold): rules may apply across the boundary, so the walk re-checks the
        // joined key, and stops once even its stable part (all but the last bytes) leads nowhere.
        joined.clear();
        let mut strict_alive = true;
        let mut strict_hit = false;
        let mut skel_state = Some(WalkState::root(skel_fst));
        let mut j = i;
        let mut any_content = false;
        while j < toks.len() && j < i + 7 {
            let tj = &toks[j];
            if j > i {
                let prev = &toks[j - 1];
                if !matches!(prev.gap_after, Gap::Space | Gap::Hyphen) {
                    break;
                }
                let connector = !tj.arabic && tj.connector && !tj.cap;
                let ok = if t.arabic {
                    tj.arabic
                } else {
                    !tj.arabic
                        && (tj.cap
                            || connector
                            || (prev.gap_after == Gap::Hyphen && !tj.lower.is_empty()))
                };
                if !ok {
                    break;
                }
            }
            let is_art =
                !tj.arabic && (tj.article || (tj.lower == "a" && tj.gap_after == Gap::Hyphen));
            if !is_art {
                any_content = true;
                let first_word = joined.is_empty();
                joined.push_str(&tj.key);
                if first_word {
                    // The walk after the first word depends on the word alone: remembered.
                    let fw = match tj.first.get() {
                        Some(fw) => fw,
                        None => {
                            let stable = joined.len().saturating_sub(3);
                            let (alive, hit) = walk_key(strict_fst, joined.as_bytes(), stable);
                            let sk = WalkState::root(skel_fst)
                                .feed(skel_fst, tj.skel.as_bytes())
                                .map(|s| (s.addr, s.out.value()));
                            let fw = FirstWalk {
                                strict_alive: alive,
                                strict_hit: hit,
                                skel: sk,
                            };
                            tj.first.set(Some(fw));
                            fw
                        }
                    };
                    strict_alive = fw.strict_alive;
                    strict_hit = fw.strict_hit;
                    skel_state = fw.skel.map(|(addr, out)| WalkState {
                        addr,
                        out: Output::new(out),
                    });
                } else {
                    let (alive, hit) = match cache.walks.get(joined.as_str()) {
                        Some(&v) => v,
                        None => {
                            let combined: &str = if !joined.is_ascii() {
                                &joined
                            } else {
                                cached_refold(&mut cache.folds, &joined)
                            };
                            // One walk: alive while its stable part (all but the last bytes,
                            // which a later word may still change) leads somewhere; a hit when
                            // the whole key is final.
                            let stable = combined.len().saturating_sub(3);
                            let v = walk_key(strict_fst, combined.as_bytes(), stable);
                            cache.walks.insert(joined.as_str().into(), v);
                            v
                        }
                    };
                    strict_alive = alive;
                    strict_hit = hit;
                    skel_state = skel_state.and_then(|s| s.feed(skel_fst, tj.skel.as_bytes()));
                }
            }
            if !strict_alive && skel_state.is_none() {
                break;
            }
            // A name may not end on a lowercase connector.
            let ends_ok = any_content && (tj.cap || tj.arabic || (!tj.connector && j > i));
            if ends_ok {
                let sh = strict_hit;
                let kh = skel_state.as_ref().is_some_and(|s| s.is_final(skel_fst));
                if sh || kh {
                    ends.push(j);
                }
            }
            j += 1;
        }
        'ends: for &last in ends.iter().rev() {
            let (start, end) = (toks[i].start, toks[last].end);
            let is_part = |k: usize| !(toks[k].article || toks[k].lower == "a") || toks[k].arabic;
            if excluded(start, end) {
                i = last + 1;
                continue 'outer;
            }
            let single = (i..=last).filter(|&k| !toks[k].article).count() == 1;
            let content = &toks[last];
            // Contractions ("We've", "I'm"), single letters and person titles are no places.
            let contraction = || {
                [
                    "\u{2019}ve",
                    "'ve",
                    "\u{2019}re",
                    "'re",
                    "\u{2019}ll",
                    "'ll",
                    "\u{2019}m",
                    "'m",
                    "\u{2019}d",
                    "'d",
                    "n\u{2019}t",
                    "n't",
                ]
                .iter()
                .any(|s| content.lower.ends_with(s))
            };
            if single && (contraction() || content.lower.chars().count() < 2 || content.title) {
                i = last + 1;
                continue 'outer;
            }
            // A demonym ("Saudi", "South Korean") names people, not a place.
            let demonym = if i == last {
                toks[i].demonym.clone()
            } else {
                phrase_buf.clear();
                for (n, tk) in toks[i..=last].iter().enumerate() {
                    if n > 0 {
                        phrase_buf.push(' ');
                    }
                    phrase_buf.push_str(&tk.lower);
                }
                lex.demonyms.get(phrase_buf.as_str()).cloned()
            };
            if let Some(cc) = demonym {
                if !cc.is_empty() {
                    *demonym_countries.entry(cc).or_default() += 1.0;
                }
                i = last + 1;
                continue 'outer;
            }
            // Words that are never places on their own.
            if single && !content.arabic && content.never_alone {
                i = last + 1;
                continue 'outer;
            }
            if single && person_words.contains(&content.lower) {
                i = last + 1;
                continue 'outer;
            }
            // Person names: a title before, or a given name followed by another capitalised word.
            let before = (i > 0).then(|| &toks[i - 1]);
            let after = toks.get(last + 1);
            let joined_after = after.filter(|_| toks[last].gap_after == Gap::Space);
            let joined_before = before.filter(|b| b.gap_after == Gap::Space);
            let title_before = joined_before.is_some_and(|b| b.title);
            let given_first = !t.arabic && toks[i].given && !locative_before(&toks, i);
            let cap_after = joined_after
                .is_some_and(|a| a.cap && !a.all_caps && a.follow.is_none() && !a.org_head);
            let cap_before = joined_before.is_some_and(|b| {
                b.cap && !b.sentence_start && !b.never_alone && b.demonym.is_none() && !b.article
            });
            let given_before = joined_before.is_some_and(|b| b.given);
            let verb_after = joined_after.is_some_and(|a| a.verb);
            if title_before || (given_first && (cap_after || verb_after)) || given_before {
                for t in &toks[i..=last] {
                    person_words.insert(t.lower.clone());
                }
                if let Some(a) = joined_after.filter(|a| a.cap) {
                    person_words.insert(a.lower.clone());
                }
                i = last + 1;
                continue 'outer;
            }
            let org_after = joined_after.is_some_and(|a| a.cap && a.org_head);
            let modifier = org_after
                || cap_before
                || (cap_after && joined_after.is_some_and(|a| !a.cap || a.follow.is_none()));
            let cue = preceding_cue(&toks, i, lex);
            let follow = joined_after.and_then(|a| a.follow.map(|k| (a.lower.clone(), k)));
            // English words ("Hope", "Armed", "Room") need a cue and must not open a sentence or
            // stand in a headline; acronyms ("SNA", "HTS") are rarely places.
            let english = !content.arabic
                && (i..=last).all(|k| toks[k].article || toks[k].english || toks[k].connector);
            let real_cue = cue
                .as_ref()
                .is_some_and(|c| !matches!(c.1, CueKind::List | CueKind::Of))
                || follow.is_some();
            let mut weak = english && (!real_cue || content.sentence_start);
            let upper = || {
                content.lower.chars().count() <= 5
                    && text[content.start..content.end]
                        .chars()
                        .filter(|c| c.is_uppercase())
                        .count()
                        >= 2
                    && text[content.start..content.end]
                        .chars()
                        .filter(|c| c.is_lowercase())
                        .count()
                        <= 1
            };
            // A dateline ("AMMAN:", "BEIRUT —", "GAZA (AFP) –", "TOPEKA (KSNT) -") opens a
            // line with the place in capitals, maybe followed by the agency in brackets.
            let dateline = || {
                content.all_caps
                    && (i == 0 || toks[i - 1].line_end)
                    && dateline_tail(&text[content.end..])
            };
            let acronym = single
                && !dateline()
                && (upper() || (content.all_caps && content.lower.chars().count() <= 7));
            if acronym {
                weak = true;
            }
            // A word's key is its own refold; a longer name's key is refolded once per thread.
            raw_buf.clear();
            skel_buf.clear();
            let mut n_parts = 0;
            let mut only = i;
            for k in (i..=last).filter(|&k| is_part(k)) {
                n_parts += 1;
                only = k;
                raw_buf.push_str(&toks[k].key);
                skel_buf.push_str(&toks[k].skel);
            }
            let key: String = if n_parts == 1 {
                toks[only].key.clone()
            } else {
                cached_refold(&mut cache.folds, &raw_buf).to_string()
            };
            let skel = skel_buf.as_str();
            // One name is looked up once per document.
            let mut cands = doc_candidates(gaz, cache, &key, skel, &mut lookup_buf).to_vec();
            // Spelling variants only where transliteration varies: the detailed countries, the
            // report's country, or big places; never for English words and acronyms.
            let hint = config
                .country_hint
                .as_ref()
                .and_then(|h| gaz.index.country_by_iso.get(&h.to_ascii_uppercase()))
                .copied();
            cands.retain(|c| {
                if c.kind == MatchKind::Key {
                    return true;
                }
                if english || acronym {
                    return false;
                }
                let r = gaz.index.row(c.id);
                r.flags & flag::DETAILED != 0 || Some(r.country) == hint
            });
            // A country code or alias in capitals ("UK", "US") is a country.
            if acronym
                && cands.iter().any(|c| {
                    c.kind == MatchKind::Key
                        && gaz
                            .index
                            .feature_code(gaz.index.row(c.id).fcode)
                            .starts_with("PCL")
                })
            {
                weak = false;
                cands.retain(|c| {
                    gaz.index
                        .feature_code(gaz.index.row(c.id).fcode)
                        .starts_with("PCL")
                });
            }
            // The strict key folds what transliterations of Arabic disagree on (e/a, o/u,
            // doubled letters), which elsewhere joins different names: "Ronan" (Montana) meets
            // "Runan" (China), "Bragg" meets "Breg". Where the text's spelling is some place's
            // own main name, places whose main name is only a fold of it count outside the
            // detailed countries and the report's country only as spelling variants do: not.
            if cands.len() > 1 {
                let surface: String = plain_letters(&text[content.start..content.end]).collect();
                // Each candidate's main name is compared once, without building it.
                let exact: Vec<u32> = cands
                    .iter()
                    .filter(|c| {
                        c.kind == MatchKind::Key
                            && c.primary
                            && same_plain_letters(
                                gaz.index.string(gaz.index.row(c.id).name),
                                &surface,
                            )
                    })
                    .map(|c| c.id)
                    .collect();
                if !exact.is_empty() {
                    cands.retain(|c| {
                        let r = gaz.index.row(c.id);
                        !(c.kind == MatchKind::Key && c.primary)
                            || r.flags & flag::DETAILED != 0
                            || Some(r.country) == hint
                            || exact.contains(&c.id)
                    });
                    // Nor does a town the name is only an alternate of, often a former or
                    // foreign one ("Salisbury" for Harare), outweigh a town of that name by
                    // size alone (within a factor of 100; admin areas' short names stay).
                    let named_pop = exact
                        .iter()
                        .map(|&id| gaz.index.row(id).population)
                        .max()
                        .unwrap_or(0);
                    for c in cands
                        .iter_mut()
                        .filter(|c| c.kind == MatchKind::Key && !c.primary)
                    {
                        let r = gaz.index.row(c.id);
                        let town = gaz
                            .index
                            .fcode_ppl
                            .get(r.fcode as usize)
                            .copied()
                            .unwrap_or(false);
                        if town
                            && r.flags & flag::DETAILED == 0
                            && Some(r.country) != hint
                            && named_pop.saturating_mul(100) >= r.population
                        {
                            c.prior -= 1.5;
                        }
                    }
                }
            }
            if cands.is_empty() {
                continue 'ends;
            }
            cands.sort_by(|a, b| b.prior.total_cmp(&a.prior));
            if weak {
                // Keep only big places for weak words: countries, admin areas, large cities.
                cands.retain(|c| {
                    let r = gaz.index.row(c.id);
                    let f = gaz.index.feature_code(r.fcode);
                    f.starts_with("PCL") || f == "ADM1" || r.population >= 1_000_000
                });
                if cands.is_empty() {
                    continue 'ends;
                }
            }
            let district_cue = matches!(follow, Some((_, CueKind::District)))
                || matches!(cue, Some((_, CueKind::District)));
            drafts.push(Draft {
                first: i,
                last,
                start,
                end,
                key,
                cands,
                cue,
                follow,
                modifier,
                fixed: None,
                district_of: None,
                district_cue,
                weak,
                follow_end: joined_after.filter(|a| a.follow.is_some()).map(|a| a.end),
            });

            i = last + 1;
            continue 'outer;
        }
        i += 1;
    }

    if let Some(forced) = forced {
        force_spans(gaz, text, &toks, forced, &mut drafts, config);
    }
    narrow_by_apposition(gaz, text, &mut drafts);

    // Districts: "X district of Y", "the neighbourhood of X in the city of Y".
    for d in 0..drafts.len() {
        if !drafts[d].district_cue {
            continue;
        }
        // The city is the next mention in the same sentence, joined by "of" / "in" words.
        if let Some(n) = drafts.get(d + 1) {
            let between_ok = (drafts[d].last + 1..n.first).all(|k| {
                let w = toks[k].lower.as_str();
                matches!(
                    w,
                    "of" | "in"
                        | "the"
                        | "city"
                        | "town"
                        | "district"
                        | "neighbourhood"
                        | "neighborhood"
                        | "quarter"
                ) && toks[k - 1].gap_after != Gap::Break
            }) && n.first - drafts[d].last <= 6
                && toks[n.first - 1].gap_after != Gap::Break;
            if between_ok {
                drafts[d].district_of = Some(d + 1);
            }
        }
    }

    // Countryside constructions: "[direction] X countryside", "the [direction] countryside of X".
    for d in drafts.iter_mut() {
        compose_countryside(gaz, &toks, d);
    }

    let found = resolve_document(gaz, text, &mut drafts, &demonym_countries, config, cache);
    toks.clear();
    drafts.clear();
    // Kept for the next report unless a huge one made them large.
    if toks.capacity() <= 1 << 18 {
        cache.toks = toks;
    }
    if drafts.capacity() <= 1 << 14 {
        cache.drafts = drafts;
    }
    found
}

/// Spans no place may overlap, for an overlap test in logarithmic time: the spans by start, and
/// the largest end among each prefix of them.
struct Exclusions {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Exclusions {
    fn new(spans: &[Span]) -> Exclusions {
        let mut v: Vec<(usize, usize)> = spans.iter().map(|x| (x.start, x.end)).collect();
        v.sort_unstable();
        let mut max_end = Vec::with_capacity(v.len());
        let mut m = 0;
        for &(_, e) in &v {
            m = m.max(e);
            max_end.push(m);
        }
        Exclusions {
            starts: v.into_iter().map(|(s, _)| s).collect(),
            max_end,
        }
    }

    /// True when some span overlaps `start..end` (starts before `end` and ends after `start`).
    fn overlaps(&self, start: usize, end: usize) -> bool {
        // The spans that start before `end`; one of them overlaps when the largest end is after
        // `start`.
        let k = self.starts.partition_point(|&s| s < end);
        k > 0 && self.max_end[k - 1] > start
    }
}

/// The candidates of a name for the document to choose from: the best by prior. Looked up once
/// per name and thread.
#[inline(never)]
fn doc_candidates(
    gaz: &Gazetteer,
    cache: &mut WordCache,
    key: &str,
    skel: &str,
    k: &mut String,
) -> Rc<[Cand]> {
    k.clear();
    k.push_str(key);
    k.push('\u{1}');
    k.push_str(skel);
    if let Some(c) = cache.cands.get(k.as_str()) {
        return c.clone();
    }
    let mut c = resolve::gather(gaz, key, skel);
    c.sort_by(|a, b| b.prior.total_cmp(&a.prior).then(a.id.cmp(&b.id)));
    c.truncate(MAX_DOC_CANDIDATES);
    let c: Rc<[Cand]> = c.into();
    cache.cands.insert(k.as_str().into(), c.clone());
    c
}

/// Replaces the drafts that overlap given spans by drafts of exactly those spans.
fn force_spans(
    gaz: &Gazetteer,
    text: &str,
    toks: &[Tok],
    spans: &[Span],
    drafts: &mut Vec<Draft>,
    config: &GeoparseConfig,
) {
    drafts.retain(|d| !spans.iter().any(|s| s.start < d.end && d.start < s.end));
    let hint = config
        .country_hint
        .as_ref()
        .and_then(|h| gaz.index.country_by_iso.get(&h.to_ascii_uppercase()))
        .copied();
    for s in spans {
        let inside: Vec<usize> = (0..toks.len())
            .filter(|&k| toks[k].start >= s.start && toks[k].end <= s.end)
            .collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
            continue;
        };
        let content: Vec<usize> = inside
            .iter()
            .copied()
            .filter(|&k| toks[k].arabic || !(toks[k].article && inside.len() > 1))
            .collect();
        let key = key::refold(
            &content
                .iter()
                .map(|&k| toks[k].key.as_str())
                .collect::<String>(),
        );
        let skel: String = content.iter().map(|&k| toks[k].skel.as_str()).collect();
        let mut cands = Vec::new();
        // An admin area's abbreviation ("Calif.").
        if let Some(id) = gaz
            .lex
            .abbreviations
            .get(text[s.start..s.end].trim())
            .and_then(|c| gaz.admin_place(c))
        {
            cands.push(Cand {
                id: id.0,
                kind: MatchKind::Key,
                primary: true,
                prior: 3.0,
                skeleton_len: 0,
            });
        }
        // A demonym marked as a toponym ("Syrian forces", "South Korean") stands for its country.
        let phrase = content
            .iter()
            .map(|&k| toks[k].lower.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if cands.is_empty()
            && let Some(cc) = gaz.lex.demonyms.get(&phrase).filter(|c| !c.is_empty())
            && let Some(c) = gaz.country(cc)
        {
            cands.push(Cand {
                id: c.id.0,
                kind: MatchKind::Key,
                primary: true,
                prior: 3.0,
                skeleton_len: 0,
            });
        }
        if cands.is_empty() && !key.is_empty() {
            cands = resolve::gather(gaz, &key, &skel);
            cands.retain(|c| {
                let r = gaz.index.row(c.id);
                c.kind == MatchKind::Key || r.flags & flag::DETAILED != 0 || Some(r.country) == hint
            });
        }
        // A longer expression around a place ("Colorado State University", "US Federal
        // Reserve"): the longest run of its capitalised words that names a place.
        if cands.is_empty() && content.len() > 1 {
            'sub: for len in (1..content.len()).rev() {
                for w in content.windows(len) {
                    if !w.iter().all(|&k| toks[k].cap || toks[k].arabic) {
                        continue;
                    }
                    if len == 1 && (toks[w[0]].never_alone || toks[w[0]].english) {
                        continue;
                    }
                    let k2 =
                        key::refold(&w.iter().map(|&k| toks[k].key.as_str()).collect::<String>());
                    let found: Vec<Cand> = resolve::gather(gaz, &k2, "")
                        .into_iter()
                        .filter(|c| c.kind == MatchKind::Key)
                        .collect();
                    if !found.is_empty() {
                        cands = found;
                        break 'sub;
                    }
                }
            }
        }
        if cands.is_empty() {
            continue;
        }
        let before = first.checked_sub(1).map(|k| &toks[k]);
        let after = toks
            .get(last + 1)
            .filter(|_| toks[last].gap_after == Gap::Space);
        drafts.push(Draft {
            first,
            last,
            start: s.start,
            end: s.end,
            key,
            cands,
            cue: preceding_cue(toks, first, &gaz.lex),
            follow: after.and_then(|a| a.follow.map(|k| (a.lower.clone(), k))),
            modifier: false,
            fixed: None,
            district_of: None,
            district_cue: false,
            weak: false,
            follow_end: None,
        });
        let _ = before;
    }
    drafts.sort_by_key(|d| (d.start, d.end));
}

/// Words of person names, from the whole document: a title or a given name before a capitalised
/// word ("President Assad", "Bashar al-Assad", "Adnan Khalil") marks the words as a name's, so
/// that "Assad" or "Khalil" alone later (or earlier) is not taken for a place.
#[inline(never)]
fn person_pass(toks: &[Tok]) -> HashSet<String, FastBuild> {
    let mut out = HashSet::default();
    for i in 0..toks.len().saturating_sub(1) {
        let t = &toks[i];
        if t.arabic || t.gap_after != Gap::Space {
            continue;
        }
        let opener = t.title || (t.cap && t.given && !locative_before(toks, i));
        if !opener {
            continue;
        }
        // The following capitalised words, through articles joined by hyphens.
        let mut k = i + 1;
        let mut taken = 0;
        while k < toks.len() && taken < 3 {
            let n = &toks[k];
            let article = n.article && n.gap_after == Gap::Hyphen;
            // "Jefferson Police", "Jordan Times": a name before an organisation's head word
            // is the organisation's place or namesake, not a person's.
            if !(n.cap || article) || n.never_alone || n.follow.is_some() || n.org_head {
                break;
            }
            if !article {
                taken += 1;
                out.insert(n.lower.clone());
            }
            if !matches!(n.gap_after, Gap::Space | Gap::Hyphen) {
                break;
            }
            k += 1;
        }
        if taken > 0 && t.cap && !t.title {
            out.insert(t.lower.clone());
        }
    }
    // "Nelson said", "Khalil told": a capitalised word after a capitalised word and before a
    // speech verb is a surname (the first word is the given name, known or not).
    for i in 1..toks.len().saturating_sub(1) {
        let (p, t, n) = (&toks[i - 1], &toks[i], &toks[i + 1]);
        if p.cap
            && t.cap
            && p.gap_after == Gap::Space
            && t.gap_after == Gap::Space
            && !p.sentence_start
            && !p.never_alone
            && n.verb
        {
            out.insert(t.lower.clone());
        }
    }
    out
}

/// "Anderson, S.C.", "Stafford, Virginia", "Baniyas, Syria": a place name followed by a comma
/// and the province or country it lies in names a place there. Lists ("Tartus, Banias, Jableh")
/// are left alone: the pair must not continue with another name.
fn narrow_by_apposition(gaz: &Gazetteer, text: &str, drafts: &mut [Draft]) {
    let ix = &gaz.index;
    let comma_between = |a: &Draft, b: &Draft| {
        a.end <= b.start && text[a.end..b.start].trim() == "," && text[a.end..b.start].len() <= 3
    };
    let joined = |a: &Draft, b: &Draft| {
        a.end <= b.start && {
            let gap = text[a.end..b.start].trim();
            gap == "," || gap == "and" || gap == "or" || gap == ", and" || gap == ", or"
        }
    };
    for k in 1..drafts.len() {
        let (a, b) = (&drafts[k - 1], &drafts[k]);
        if a.fixed.is_some() || b.fixed.is_some() || !comma_between(a, b) {
            continue;
        }
        if (k >= 2 && joined(&drafts[k - 2], a)) || drafts.get(k + 1).is_some_and(|n| joined(b, n))
        {
            continue;
        }
        // What the second name may be: a province (its country and admin1) or a country.
        let areas: Vec<(u16, Option<u32>)> = b
            .cands
            .iter()
            .filter(|c| c.kind == MatchKind::Key)
            .filter_map(|c| {
                let r = ix.row(c.id);
                let f = ix.feature_code(r.fcode);
                if f == "ADM1" && r.admin1 != NONE {
                    Some((r.country, Some(r.admin1)))
                } else if f.starts_with("PCL") {
                    Some((r.country, None))
                } else {
                    None
                }
            })
            .collect();
        if areas.is_empty() {
            continue;
        }
        let inside = |id: u32| {
            let r = ix.row(id);
            let f = ix.feature_code(r.fcode);
            !f.starts_with("PCL")
                && areas.iter().any(|&(cc, a1)| {
                    r.country == cc && a1.is_none_or(|a1| r.admin1 == a1 && f != "ADM1")
                })
        };
        if !a.cands.iter().any(|c| inside(c.id)) {
            continue;
        }
        drafts[k - 1].cands.retain(|c| inside(c.id));
        let kept: Vec<(u16, u32)> = drafts[k - 1]
            .cands
            .iter()
            .map(|c| {
                let r = ix.row(c.id);
                (r.country, r.admin1)
            })
            .collect();
        drafts[k].cands.retain(|c| {
            let r = ix.row(c.id);
            let f = ix.feature_code(r.fcode);
            c.kind == MatchKind::Key
                && ((f == "ADM1"
                    && kept
                        .iter()
                        .any(|&(cc, a1)| cc == r.country && a1 == r.admin1))
                    || (f.starts_with("PCL") && kept.iter().any(|&(cc, _)| cc == r.country)))
        });
    }
}

/// Whether `name`'s plain letters are `plain` (see [`plain_letters`]); ASCII names, most of
/// them, are compared byte by byte without decomposing.
fn same_plain_letters(name: &str, plain: &str) -> bool {
    if name.is_ascii() {
        name.bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| b.to_ascii_lowercase())
            .eq(plain.bytes())
    } else {
        plain_letters(name).eq(plain.chars())
    }
}

/// The letters of a Latin name without case or diacritics ("Bāb ʿAmr" is "babamr"), for telling
/// a spelling the text shares with a name from one its key only folds to.
fn plain_letters(name: &str) -> impl Iterator<Item = char> + '_ {
    use unicode_normalization::UnicodeNormalization;
    name.nfkd()
        .filter(|c| c.is_alphabetic() && !is_arabic_char(*c))
        .flat_map(char::to_lowercase)
        .filter(char::is_ascii_alphabetic)
}

/// What follows a dateline's place: a colon, a dash or a comma, after an agency's or station's
/// name in brackets if there is one ("(AFP) –", "(KSNT) -").
fn dateline_tail(after: &str) -> bool {
    let after = after.trim_start_matches(' ');
    let after = match after.strip_prefix('(') {
        Some(inner) => match inner.find(')') {
            Some(close) if close <= 40 => inner[close + 1..].trim_start_matches(' '),
            _ => return false,
        },
        None => after,
    };
    after.starts_with([':', '\u{2014}', '\u{2013}', '-', ','])
}

/// Whether token `i` follows a preposition that introduces places far more often than people
/// ("killed in Jefferson Posted: ...", "near Jordan Valley"): there a known given name is no
/// evidence of a person.
fn locative_before(toks: &[Tok], i: usize) -> bool {
    i > 0
        && toks[i - 1].gap_after == Gap::Space
        && matches!(toks[i - 1].lower.as_str(), "in" | "near" | "outside")
}

/// The cue phrase right before token `i`, if any ("the village of", "in").
#[inline(never)]
fn preceding_cue(
    toks: &[Tok],
    i: usize,
    lex: &crate::lexicon::Lexicon,
) -> Option<(String, CueKind)> {
    if i == 0 {
        return None;
    }
    let prev = &toks[i - 1];
    if !matches!(prev.gap_after, Gap::Space) {
        return None;
    }
    let phrases = lex.precede.get(&prev.lower)?;
    for (words, kind) in phrases {
        if words.len() > i - 1 {
            continue;
        }
        let ok = words.iter().rev().enumerate().all(|(k, w)| {
            let t = &toks[i - 2 - k];
            t.lower == *w && t.gap_after == Gap::Space
        });
        if ok {
            let mut phrase = words.join(" ");
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(&prev.lower);
            return Some((phrase, *kind));
        }
    }
    None
}

const DIRECTIONS: &[(&str, f64)] = &[
    ("northern", 0.0),
    ("north", 0.0),
    ("northeastern", 45.0),
    ("northeast", 45.0),
    ("eastern", 90.0),
    ("east", 90.0),
    ("southeastern", 135.0),
    ("southeast", 135.0),
    ("southern", 180.0),
    ("south", 180.0),
    ("southwestern", 225.0),
    ("southwest", 225.0),
    ("western", 270.0),
    ("west", 270.0),
    ("northwestern", 315.0),
    ("northwest", 315.0),
];

fn direction_of(word: &str) -> Option<(u8, f64)> {
    DIRECTIONS
        .iter()
        .enumerate()
        .find(|(_, (w, _))| *w == word)
        .map(|(i, (_, b))| (i as u8 + 1, *b))
}

/// "northern Homs countryside", "the Homs countryside", "the northern countryside of Homs",
/// "rural Idlib": a region built from the admin area's places (see ARCHITECTURE.md).
#[inline(never)]
fn compose_countryside(gaz: &Gazetteer, toks: &[Tok], d: &mut Draft) {
    if d.fixed.is_some() {
        return;
    }
    let after_countryside = matches!(d.follow, Some((_, CueKind::Countryside)));
    let of_countryside = matches!(d.cue, Some((_, CueKind::Countryside)));
    let rural_before = d.first > 0
        && toks[d.first - 1].lower == "rural"
        && toks[d.first - 1].gap_after == Gap::Space;
    if !after_countryside && !of_countryside && !rural_before {
        return;
    }
    // The direction word: before the name ("northern Homs countryside") or before "countryside"
    // ("the northern countryside of Homs").
    let (dir_tok, start_tok, end_tok) = if after_countryside {
        let dir = d
            .first
            .checked_sub(1)
            .filter(|&k| toks[k].gap_after == Gap::Space && direction_of(&toks[k].lower).is_some());
        (dir, dir.unwrap_or(d.first), d.last + 1)
    } else if of_countryside {
        // tokens: [dir] countryside of NAME
        let c = d.first.checked_sub(2);
        let dir = c
            .and_then(|c| c.checked_sub(1))
            .filter(|&k| direction_of(&toks[k].lower).is_some());
        (dir, dir.or(c).unwrap_or(d.first), d.last)
    } else {
        (None, d.first - 1, d.last)
    };
    // The admin area: an ADM1 candidate, or the admin1 of the best admin seat.
    let mut admin1 = NONE;
    let mut best_prior = f32::MIN;
    for c in &d.cands {
        let r = gaz.index.row(c.id);
        let f = gaz.index.feature_code(r.fcode);
        if (f == "ADM1" || f == "PPLA" || f == "PPLC") && c.prior > best_prior && r.admin1 != NONE {
            best_prior = c.prior;
            admin1 = r.admin1;
        }
    }
    if admin1 == NONE {
        return;
    }
    let dir = dir_tok.and_then(|k| direction_of(&toks[k].lower));
    let Some((lat, lon, seat_name)) = countryside_point(gaz, admin1, dir) else {
        return;
    };
    let admin = gaz.index.admin(admin1);
    let admin_name = admin
        .map(|a| gaz.index.string(a.name).to_string())
        .unwrap_or(seat_name);
    let country = gaz
        .index
        .meta
        .countries
        .get(gaz.index.row(d.cands[0].id).country as usize)
        .map(|c| c.iso.clone());
    let name = match dir_tok {
        Some(k) => format!("{} {} countryside", toks[k].lower, admin_name),
        None => format!("{admin_name} countryside"),
    };
    let place = Place {
        name,
        geonames_id: None,
        admin1: Some(admin_name),
        admin2: None,
        country,
        lat,
        lon,
        precision: PlacePrecision::Region,
        mention: None,
        span: None,
    };
    d.first = start_tok.min(d.first);
    d.start = toks[d.first].start;
    let end_tok = end_tok.min(toks.len() - 1).max(d.last);
    d.last = end_tok;
    d.end = toks[end_tok].end;
    d.fixed = Some(place);
}

/// The representative point of an admin area's countryside: the mean of its populated places
/// within 100 km of its seat (the PPLA), in the 90° sector of the direction when one is given.
fn countryside_point(
    gaz: &Gazetteer,
    admin1: u32,
    dir: Option<(u8, f64)>,
) -> Option<(f64, f64, String)> {
    let ix = &gaz.index;
    let cache_key = (admin1, dir.map(|d| d.0).unwrap_or(0));
    // Find the seat: the most populous PPLA/PPLC of the admin area.
    let mut seat: Option<(u32, u32)> = None;
    let admin = ix.admin(admin1)?;
    let around = ix.row(admin.place);
    let (alat, alon) = if admin.lat.is_finite() {
        (admin.lat, admin.lon)
    } else {
        (around.lat, around.lon)
    };
    let mut members: Vec<u32> = Vec::new();
    for dl in -3..=3 {
        for dn in -3..=3 {
            let cell = ix.grid_cell(
                ((alat + 90.0).floor() as i32) + dl,
                ((alon + 180.0).floor() as i32) + dn,
            );
            for ch in cell.chunks_exact(4) {
                let i = u32::from_le_bytes([ch[0], ch[1], ch[2], ch[3]]);
                let r = ix.row(i);
                if r.admin1 != admin1 {
                    continue;
                }
                members.push(i);
                let f = ix.feature_code(r.fcode);
                if (f == "PPLA" || f == "PPLC") && seat.is_none_or(|(_, p)| r.population > p) {
                    seat = Some((i, r.population));
                }
            }
        }
    }
    let (seat, _) = seat?;
    let s = ix.row(seat);
    if let Some(v) = gaz
        .region_cache
        .lock()
        .ok()
        .and_then(|c| c.get(&cache_key).copied())
    {
        return v.map(|(a, b)| (a, b, ix.string(s.name).to_string()));
    }
    let (slat, slon) = (f64::from(s.lat), f64::from(s.lon));
    let (mut sum_lat, mut sum_lon, mut n) = (0.0, 0.0, 0usize);
    for i in members {
        if i == seat {
            continue;
        }
        let r = ix.row(i);
        let (lat, lon) = (f64::from(r.lat), f64::from(r.lon));
        let dist = haversine_km(slat, slon, lat, lon);
        if dist > 100.0 {
            continue;
        }
        if let Some((_, bearing)) = dir {
            let b = bearing_deg(slat, slon, lat, lon);
            let diff = ((b - bearing + 540.0) % 360.0 - 180.0).abs();
            if diff > 45.0 {
                continue;
            }
        }
        sum_lat += lat;
        sum_lon += lon;
        n += 1;
    }
    let v = (n > 0).then(|| (sum_lat / n as f64, sum_lon / n as f64));
    if let Ok(mut c) = gaz.region_cache.lock() {
        c.insert(cache_key, v);
    }
    v.map(|(a, b)| (a, b, ix.string(s.name).to_string()))
}

fn bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// Walks `key` from the root: (the first `stable` bytes lead somewhere, the whole key is a key).
fn walk_key<D: AsRef<[u8]>>(f: &Fst<D>, key: &[u8], stable: usize) -> (bool, bool) {
    let mut node = f.root();
    for (n, &b) in key.iter().enumerate() {
        match node.find_input(b) {
            Some(i) => node = f.node(node.transition_addr(i)),
            None => return (n >= stable, false),
        }
    }
    (true, node.is_final())
}

/// A position in an fst, walked byte by byte.
struct WalkState {
    addr: fst::raw::CompiledAddr,
    out: Output,
}

impl WalkState {
    fn root<D: AsRef<[u8]>>(f: &Fst<D>) -> WalkState {
        WalkState {
            addr: f.root().addr(),
            out: Output::zero(),
        }
    }
    fn feed<D: AsRef<[u8]>>(self, f: &Fst<D>, bytes: &[u8]) -> Option<WalkState> {
        let mut node = f.node(self.addr);
        let mut out = self.out;
        for &b in bytes {
            let t = node.transition(node.find_input(b)?);
            out = out.cat(t.out);
            node = f.node(t.addr);
        }
        Some(WalkState {
            addr: node.addr(),
            out,
        })
    }
    fn is_final<D: AsRef<[u8]>>(&self, f: &Fst<D>) -> bool {
        f.node(self.addr).is_final()
    }
}

/// Region phrases of the curated overlay, by their first word's key.
type RegionPhrases = HashMap<String, Vec<(Vec<String>, u32)>, FastBuild>;

fn region_phrases(gaz: &Gazetteer) -> std::sync::Arc<RegionPhrases> {
    static CACHE: std::sync::Mutex<Option<(usize, std::sync::Arc<RegionPhrases>)>> =
        std::sync::Mutex::new(None);
    let id = std::sync::Arc::as_ptr(&gaz.index) as usize;
    let mut guard = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((cached_id, v)) = guard.as_ref()
        && *cached_id == id
    {
        return v.clone();
    }
    let mut map: RegionPhrases = HashMap::default();
    // Regions are appended last; scan from the end.
    let n = gaz.index.len() as u32;
    let mut i = n;
    let mut seen_non_region = 0;
    // The index keeps keys, not spellings: the aliases come from the curated file, read once.
    let curated = crate::source::Sources::bundled_regions();
    while i > 0 && seen_non_region < 5000 {
        i -= 1;
        let r = gaz.index.row(i);
        if r.flags & flag::REGION == 0 {
            seen_non_region += 1;
            continue;
        }
        let e = gaz.entry(PlaceId(i));
        let mut names = vec![e.name.clone()];
        names.extend(region_aliases(gaz, i, &curated));
        for name in names {
            let words: Vec<String> = key::words(&name)
                .filter(|w| !w.eq_ignore_ascii_case("the"))
                .map(|w| w.to_lowercase())
                .collect();
            if let Some(first) = words.first() {
                map.entry(first.clone())
                    .or_default()
                    .push((words.clone(), i));
            }
        }
    }
    for v in map.values_mut() {
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    let v = std::sync::Arc::new(map);
    *guard = Some((id, v.clone()));
    v
}

/// The aliases of a region row: the names whose keys point at it.
fn region_aliases(gaz: &Gazetteer, id: u32, curated: &[crate::source::RegionEntry]) -> Vec<String> {
    let name = gaz.entry(PlaceId(id)).name;
    let contextual = gaz.index.row(id).flags & flag::CONTEXTUAL != 0;
    curated
        .iter()
        .filter(|r| r.name.split(" (").next() == Some(name.as_str()) && r.contextual == contextual)
        .flat_map(|r| r.aliases.iter().cloned())
        .collect()
}

#[inline(never)]
fn match_region(toks: &[Tok], i: usize, regions: &RegionPhrases) -> Option<(usize, u32)> {
    let t = &toks[i];
    if !t.region_first {
        return None;
    }
    let phrases = regions.get(&t.lower)?;
    'outer: for (words, id) in phrases {
        let mut k = i;
        for (n, w) in words.iter().enumerate() {
            let tk = toks.get(k)?;
            if n > 0 && !matches!(toks[k - 1].gap_after, Gap::Space | Gap::Hyphen) {
                continue 'outer;
            }
            if tk.lower != *w {
                continue 'outer;
            }
            k += 1;
        }
        return Some((k - 1, *id));
    }
    None
}

/// Chooses a place for every draft by the document, and builds the mentions.
fn resolve_document(
    gaz: &Gazetteer,
    text: &str,
    drafts: &mut [Draft],
    demonyms: &HashMap<String, f32, FastBuild>,
    config: &GeoparseConfig,
    cache: &mut WordCache,
) -> Vec<PlaceMention> {
    let ix = &gaz.index;
    // Groups: one sense per name per document, numbered in order of first mention.
    let mut group_of: Vec<usize> = vec![usize::MAX; drafts.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    {
        let mut by_key: HashMap<&str, usize, FastBuild> = HashMap::default();
        for (n, d) in drafts.iter().enumerate() {
            if d.fixed.is_none() {
                let g = *by_key.entry(d.key.as_str()).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[g].push(n);
                group_of[n] = g;
            }
        }
    }

    // Country evidence.
    let mut votes: HashMap<u16, f32, FastBuild> = HashMap::default();
    for (cc, n) in demonyms {
        if let Some(&c) = ix.country_by_iso.get(cc) {
            *votes.entry(c).or_default() += 0.5 * n.min(4.0);
        }
    }
    if let Some(h) = config
        .country_hint
        .as_ref()
        .and_then(|h| ix.country_by_iso.get(&h.to_ascii_uppercase()))
    {
        *votes.entry(*h).or_default() += 4.0;
    }
    for d in drafts.iter() {
        if let Some(p) = &d.fixed
            && let Some(c) = p.country.as_ref().and_then(|c| ix.country_by_iso.get(c))
            && !d.weak
        {
            *votes.entry(*c).or_default() += 1.0;
        }
    }
    for members in &groups {
        let d = &drafts[members[0]];
        if d.weak {
            continue;
        }
        let w = if members.iter().all(|&m| drafts[m].modifier) {
            0.5
        } else {
            1.0
        };
        let probs = softmax(d.cands.iter().map(|c| c.prior));
        let mut per: Vec<(u16, f32)> = Vec::new();
        for (c, p) in d.cands.iter().zip(probs) {
            let r = ix.row(c.id);
            let f = ix.feature_code(r.fcode);
            let boost = if f.starts_with("PCL") { 2.0 } else { 1.0 };
            match per.iter_mut().find(|(cc, _)| *cc == r.country) {
                Some((_, v)) => *v += p * boost,
                None => per.push((r.country, p * boost)),
            }
        }
        for (c, p) in per {
            *votes.entry(c).or_default() += w * p.min(2.0);
        }
    }
    let total: f32 = votes.values().sum::<f32>().max(1e-3);
    let country_share = |c: u16| votes.get(&c).copied().unwrap_or(0.0) / total;
    let dominant = votes
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| *c);

    let score_of = |d: &Draft,
                    c: &Cand,
                    admins: &HashMap<u32, f32, FastBuild>,
                    anchors: &[Anchor],
                    group: usize,
                    explain: bool|
     -> (f32, Vec<String>) {
        let r = ix.row(c.id);
        let f = ix.feature_code(r.fcode);
        let mut s = c.prior;
        let mut why = Vec::new();
        let share = country_share(r.country);
        if share > 0.0 {
            s += 4.0 * share;
            if explain {
                why.push(format!("country {:.0}% of the report", share * 100.0));
            }
        }
        if r.admin1 != NONE
            && let Some(w) = admins.get(&r.admin1)
        {
            s += 1.0 * w.min(1.0);
            if explain {
                why.push("in an admin area the report names".into());
            }
        }
        // Proximity to the other places the report names.
        let (lat, lon) = (f64::from(r.lat), f64::from(r.lon));
        let prox = proximity(lat, lon, anchors, group);
        if prox > 0.05 {
            s += 3.0 * prox.ln_1p();
            if explain {
                why.push(format!("near {prox:.1} other places of the report"));
            }
        }
        // "Georgia" in a report on the United States: a name the report's country gives to
        // one of its provinces names the province, not the foreign country.
        if f.starts_with("PCL")
            && dominant.is_some_and(|dc| dc != r.country && country_share(dc) >= 0.5)
            && d.cands.iter().any(|o| {
                let q = ix.row(o.id);
                o.kind == MatchKind::Key
                    && Some(q.country) == dominant
                    && ix.feature_code(q.fcode) == "ADM1"
            })
        {
            s -= 3.0;
            if explain {
                why.push("the name of a province of the report's country".into());
            }
        }
        match cue_kind(d) {
            Some(CueKind::Admin1) => {
                if f == "ADM1" {
                    s += 4.0;
                    if explain {
                        why.push("named as a province".into());
                    }
                } else {
                    s -= 1.0;
                }
            }
            Some(CueKind::Admin2) if f == "ADM2" => s += 3.0,
            Some(CueKind::Settlement) | Some(CueKind::District) => {
                if ix.fcode_ppl.get(r.fcode as usize).copied().unwrap_or(false) {
                    s += 1.0;
                    if explain {
                        why.push("named as a village, town or district".into());
                    }
                } else {
                    s -= 1.0;
                }
            }
            Some(CueKind::City)
                if f == "PPLC" || f == "PPLA" || f == "PPLA2" || r.population >= 50_000 =>
            {
                s += 1.5;
                if explain {
                    why.push("named as a city".into());
                }
            }
            // A bare name that an admin area shares with its seat or its big city ("New York",
            // "in Ayacucho") names the city; "X province" or "X state" names the area (a cue
            // of kind).
            None | Some(CueKind::Locative | CueKind::List | CueKind::Of)
                if f == "ADM1"
                    && d.cands.iter().any(|o| {
                        let q = ix.row(o.id);
                        let qf = ix.feature_code(q.fcode);
                        o.kind == MatchKind::Key
                            && q.country == r.country
                            && q.admin1 == r.admin1
                            && ix.fcode_ppl.get(q.fcode as usize).copied().unwrap_or(false)
                            && (qf == "PPLA" || qf == "PPLC" || q.population >= 100_000)
                    }) =>
            {
                s -= 3.0;
                if explain {
                    why.push("bare name of an admin area and its city: the city".into());
                }
            }
            _ => {}
        }
        if d.weak {
            s -= 2.0;
        }
        (s, why)
    };

    let mut admins: HashMap<u32, f32, FastBuild> = HashMap::default();
    let mut anchors: Vec<Anchor> = Vec::new();
    // The parts of each candidate's score that do not change between rounds.
    let no_admins: HashMap<u32, f32, FastBuild> = HashMap::default();
    let statics: Vec<Vec<(f32, f64, f64, u32)>> = groups
        .iter()
        .enumerate()
        .map(|(g, members)| {
            let d = &drafts[members[0]];
            d.cands
                .iter()
                .map(|c| {
                    let r = ix.row(c.id);
                    let base = score_of(d, c, &no_admins, &[], g, false).0;
                    (base, f64::from(r.lat), f64::from(r.lon), r.admin1)
                })
                .collect()
        })
        .collect();
    // The chosen candidate of each group.
    let mut choice: Vec<Option<u32>> = vec![None; groups.len()];
    for _round in 0..3 {
        for (g, members) in groups.iter().enumerate() {
            let d = &drafts[members[0]];
            let best = statics[g]
                .iter()
                .enumerate()
                .map(|(k, &(base, lat, lon, a1))| {
                    let mut s = base;
                    if a1 != NONE
                        && let Some(w) = admins.get(&a1)
                    {
                        s += w.min(1.0);
                    }
                    let prox = proximity(lat, lon, &anchors, g);
                    if prox > 0.05 {
                        s += 3.0 * prox.ln_1p();
                    }
                    (k, s)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            choice[g] = best.map(|(k, _)| d.cands[k].id);
        }
        // Evidence for the next round: admin areas named, anchors of chosen settlements.
        admins.clear();
        anchors.clear();
        for (g, members) in groups.iter().enumerate() {
            let Some(id) = choice[g] else { continue };
            let d = &drafts[members[0]];
            let r = ix.row(id);
            let f = ix.feature_code(r.fcode);
            if d.weak || members.iter().all(|&m| drafts[m].modifier) {
                continue;
            }
            // An admin area named as such ("Idlib province", "Homs countryside") pulls its
            // places; a bare name may be the city as well as the province, and proximity to
            // the city already counts.
            if f == "ADM1" {
                let explicit = members.iter().any(|&m| {
                    matches!(
                        drafts[m]
                            .follow
                            .as_ref()
                            .or(drafts[m].cue.as_ref())
                            .map(|c| c.1),
                        Some(CueKind::Admin1 | CueKind::Countryside)
                    )
                });
                if explicit {
                    *admins.entry(r.admin1).or_default() += 1.0;
                }
            }
            // A city named by the bare name it shares with its admin area ("Idlib") may stand
            // for the area: it pulls no neighbours, as the area would not.
            let area_namesake = !matches!(
                cue_kind(d),
                Some(CueKind::Settlement | CueKind::City | CueKind::District)
            ) && d.cands.iter().any(|o| {
                let q = ix.row(o.id);
                o.kind == MatchKind::Key
                    && q.country == r.country
                    && q.admin1 == r.admin1
                    && ix.feature_code(q.fcode) == "ADM1"
            });
            if !f.starts_with("PCL") && f != "ADM1" && r.flags & flag::REGION == 0 && !area_namesake
            {
                anchors.push(Anchor::new(f64::from(r.lat), f64::from(r.lon), g));
            }
        }
        for d in drafts.iter() {
            if d.fixed.is_some() && !d.weak {
                // A composed countryside names its admin area.
                if d.key.is_empty() {
                    continue;
                }
                if let Some(c) = d.cands.iter().find(|c| {
                    let f = ix.feature_code(ix.row(c.id).fcode);
                    f == "ADM1" || f == "PPLA" || f == "PPLC"
                }) {
                    *admins.entry(ix.row(c.id).admin1).or_default() += 1.0;
                }
            }
        }
    }

    // Build mentions.
    let mut out = Vec::with_capacity(drafts.len());
    let max_c = config.max_candidates;
    let dominant_iso = dominant
        .and_then(|c| ix.meta.countries.get(c as usize))
        .map(|c| c.iso.clone());
    // District resolutions by group: the city of a district construction.
    let mut district_place: HashMap<usize, Place, FastBuild> = HashMap::default();
    for n in 0..drafts.len() {
        let Some(city_draft) = drafts[n].district_of else {
            continue;
        };
        if group_of[n] == usize::MAX {
            continue;
        }
        let city = &drafts[city_draft];
        let city_place = match &city.fixed {
            Some(p) => Some(p.clone()),
            None => choice
                .get(group_of[city_draft])
                .copied()
                .flatten()
                .map(|id| gaz.place_of(PlaceId(id))),
        };
        let Some(city_place) = city_place else {
            continue;
        };
        let d = &drafts[n];
        // A candidate of the district's own name inside the city?
        let inside = d
            .cands
            .iter()
            .filter(|c| {
                let r = ix.row(c.id);
                haversine_km(
                    f64::from(r.lat),
                    f64::from(r.lon),
                    city_place.lat,
                    city_place.lon,
                ) <= 15.0
                    && ix.fcode_ppl.get(r.fcode as usize).copied().unwrap_or(false)
            })
            .max_by(|a, b| a.prior.total_cmp(&b.prior));
        let name_text = text.get(d.start..d.end).unwrap_or("").to_string();
        let place = match inside {
            Some(c) => {
                let mut p = gaz.place_of(PlaceId(c.id));
                p.precision = PlacePrecision::District;
                p.name = format!("{}, {}", p.name, city_place.name);
                p
            }
            None => Place {
                name: format!("{}, {}", name_text, city_place.name),
                geonames_id: None,
                precision: PlacePrecision::District,
                mention: None,
                span: None,
                ..city_place.clone()
            },
        };
        district_place.insert(group_of[n], place);
    }

    // The ranked candidates of a group, for one kind of cue and weakness: computed once and
    // shared by the group's mentions that have them.
    struct Ranked {
        candidates: Vec<Candidate>,
        place: Option<Place>,
        place_prob: f32,
        choice_prob: f32,
    }
    let mut ranked: HashMap<(usize, Option<CueKind>, bool, u64), Ranked, FastBuild> =
        HashMap::default();
    // Drafts of one name may keep different candidates (an acronym keeps countries only).
    let ranked_key = |n: usize, d: &Draft| {
        let cands_id = d.cands.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, c| {
            (h ^ u64::from(c.id)).wrapping_mul(0x0100_0000_01b3)
        });
        (group_of[n], cue_kind(d), d.weak, cands_id)
    };
    // How many mentions still share each ranking: the last one takes its candidates instead of
    // copying them.
    let mut uses: HashMap<(usize, Option<CueKind>, bool, u64), usize, FastBuild> =
        HashMap::default();
    for (n, d) in drafts.iter().enumerate() {
        if d.fixed.is_none() {
            *uses.entry(ranked_key(n, d)).or_default() += 1;
        }
    }
    for (n, d) in drafts.iter().enumerate() {
        let cue = d
            .cue
            .as_ref()
            .map(|c| c.0.clone())
            .or(d.follow.as_ref().map(|c| c.0.clone()));
        if let Some(p) = &d.fixed {
            // Generic region names count only in a report about the region's country.
            let r = ix.row(d.cands[0].id);
            let ok =
                r.flags & flag::CONTEXTUAL == 0 || p.country.is_some() && p.country == dominant_iso;
            if !ok {
                continue;
            }
            let text_span = text.get(d.start..d.end).unwrap_or("").to_string();
            let mut place = p.clone();
            place.mention = Some(text_span.clone());
            place.span = Some(Span::new(d.start, d.end));
            out.push(PlaceMention {
                span: Span::new(d.start, d.end),
                text: text_span,
                candidates: vec![Candidate {
                    place: place.clone(),
                    score: 1.0,
                    reasons: vec!["curated or composed region".into()],
                    feature_code: "RGN".into(),
                    population: 0,
                    match_kind: MatchKind::Key,
                }],
                place: Some(place),
                score: 0.9,
                cue,
                modifier: false,
            });
            continue;
        }
        let g = group_of[n];
        let rkey = ranked_key(n, d);
        let last_use = uses.get_mut(&rkey).is_none_or(|u| {
            *u = u.saturating_sub(1);
            *u == 0
        });
        let rk = ranked.entry(rkey).or_insert_with(|| {
            let mut scored: Vec<(f32, &Cand)> = d
                .cands
                .iter()
                .map(|c| (score_of(d, c, &admins, &anchors, g, false).0, c))
                .collect();
            // The group's choice first.
            let chosen_id = choice[g];
            scored.sort_by(|a, b| {
                let ca = Some(a.1.id) == chosen_id;
                let cb = Some(b.1.id) == chosen_id;
                cb.cmp(&ca).then(b.0.total_cmp(&a.0))
            });
            let probs = softmax(scored.iter().map(|x| x.0));
            // "None of these" competes with the candidates: its score is what a village of
            // the report's country named with no cue and no neighbour would get.
            let with_none = softmax(std::iter::once(NONE_SCORE).chain(scored.iter().map(|x| x.0)));
            // How sure that a place is meant at all, and how sure of the choice among
            // candidates.
            let place_prob = 1.0 - with_none.first().copied().unwrap_or(1.0);
            let choice_prob = probs.first().copied().unwrap_or(0.0);
            // Reasons only for the candidates shown.
            let candidates: Vec<Candidate> = scored
                .iter()
                .zip(&probs)
                .take(max_c)
                .map(|((_, c), p)| {
                    let base = cache
                        .bases
                        .entry((c.id, c.kind, c.primary))
                        .or_insert_with(|| {
                            let reasons = resolve::reasons_of_prior(gaz, c);
                            resolve::to_candidate(gaz, c, 0.0, reasons)
                        });
                    let why = score_of(d, c, &admins, &anchors, g, true).1;
                    // The reasons of the prior, then the document's, in one allocation.
                    let mut reasons = Vec::with_capacity(base.reasons.len() + why.len());
                    reasons.extend(base.reasons.iter().cloned());
                    reasons.extend(why);
                    Candidate {
                        place: base.place.clone(),
                        score: *p,
                        reasons,
                        feature_code: base.feature_code.clone(),
                        population: base.population,
                        match_kind: base.match_kind,
                    }
                })
                .collect();
            let mut place = match candidates.first() {
                Some(c) => Some(c.place.clone()),
                None => scored.first().map(|(_, c)| gaz.place_of(PlaceId(c.id))),
            };
            // A populated locality inside a big city is one of its districts.
            if let Some(p) = place.as_mut()
                && p.precision == PlacePrecision::Settlement
                && let Some((_, c)) = scored.first()
            {
                let f = ix.feature_code(ix.row(c.id).fcode);
                if (f == "PPLL" || f == "PPLX")
                    && let Some(city) = nearest_city(gaz, p.lat, p.lon, 15.0, 100_000)
                {
                    p.precision = PlacePrecision::District;
                    p.name = format!("{}, {}", p.name, city.name);
                }
            }
            Ranked {
                candidates,
                place,
                place_prob,
                choice_prob,
            }
        });
        let mut place_prob = rk.place_prob;
        if d.weak {
            place_prob *= 0.3;
        }
        if d.modifier {
            place_prob *= 0.6;
        }
        let confidence = place_prob * (0.5 + 0.5 * rk.choice_prob);
        let mut place = match district_place.get(&g) {
            Some(p) => Some(p.clone()),
            None => rk.place.clone(),
        };
        if place_prob < config.min_score {
            place = None;
        }
        // "Idlib province": the place-kind word belongs to the name of an admin area.
        let mut end = d.end;
        if let (Some(p), Some(fe), Some((_, kind))) = (&place, d.follow_end, &d.follow)
            && matches!(kind, CueKind::Admin1 | CueKind::Admin2)
            && matches!(p.precision, PlacePrecision::Admin1 | PlacePrecision::Admin2)
        {
            end = fe;
        }
        let text_span = text.get(d.start..end).unwrap_or("").to_string();
        if let Some(p) = place.as_mut() {
            p.mention = Some(text_span.clone());
            p.span = Some(Span::new(d.start, end));
        }
        out.push(PlaceMention {
            span: Span::new(d.start, end),
            text: text_span,
            place,
            score: confidence,
            candidates: if last_use {
                std::mem::take(&mut rk.candidates)
            } else {
                rk.candidates.clone()
            },
            cue,
            modifier: d.modifier,
        });
    }
    out.sort_by_key(|m| (m.span.start, m.span.end));
    out
}

/// The cue that says what kind of place a draft names: the word after it, else the phrase
/// before it.
fn cue_kind(d: &Draft) -> Option<CueKind> {
    d.follow
        .as_ref()
        .map(|x| x.1)
        .or(d.cue.as_ref().map(|x| x.1))
}

/// A chosen place of the report, for the proximity of the others: its point, the cosine of its
/// latitude, and its group.
struct Anchor {
    lat: f64,
    lon: f64,
    group: usize,
}

impl Anchor {
    fn new(lat: f64, lon: f64, group: usize) -> Anchor {
        Anchor { lat, lon, group }
    }
}

/// How near a point is to the anchors (the chosen places of the report's other names):
/// the sum of exp(-d / 40 km).
fn proximity(lat: f64, lon: f64, anchors: &[Anchor], group: usize) -> f32 {
    // The cosine only once an anchor is within reach (most candidates have none).
    let mut coslat = f64::NAN;
    let mut prox = 0.0f32;
    for a in anchors {
        // Beyond about 300 km an anchor adds under 0.001: skip it without trigonometry.
        let dlat = (lat - a.lat).abs();
        if dlat > 2.7 || a.group == group {
            continue;
        }
        let mut dlon = (lon - a.lon).abs();
        if dlon > 180.0 {
            dlon = 360.0 - dlon;
        }
        if coslat.is_nan() {
            coslat = lat.to_radians().cos();
        }
        let dlon = dlon * coslat;
        if dlon > 2.7 {
            continue;
        }
        let dist = 111.2 * (dlat * dlat + dlon * dlon).sqrt();
        prox += (-dist / 40.0).exp() as f32;
    }
    prox
}

/// The nearest place of at least `min_pop` inhabitants within `max_km`.
fn nearest_city(
    gaz: &Gazetteer,
    lat: f64,
    lon: f64,
    max_km: f64,
    min_pop: u32,
) -> Option<crate::Entry> {
    let ix = &gaz.index;
    let mut best: Option<(u32, f64)> = None;
    let (lc, nc) = ((lat + 90.0).floor() as i32, (lon + 180.0).floor() as i32);
    for dl in -1..=1 {
        for dn in -1..=1 {
            for ch in ix.grid_cell(lc + dl, nc + dn).chunks_exact(4) {
                let i = u32::from_le_bytes([ch[0], ch[1], ch[2], ch[3]]);
                let r = ix.row(i);
                if r.population < min_pop {
                    continue;
                }
                let d = haversine_km(lat, lon, f64::from(r.lat), f64::from(r.lon));
                if d <= max_km && best.is_none_or(|(_, b)| d < b) {
                    best = Some((i, d));
                }
            }
        }
    }
    best.map(|(i, _)| gaz.entry(PlaceId(i)))
}

/// The score of "none of these" (see `resolve_document`).
const NONE_SCORE: f32 = 2.5;

fn softmax(scores: impl Iterator<Item = f32>) -> Vec<f32> {
    // One vector, transformed in place (same operations in the same order as three passes).
    let mut v: Vec<f32> = scores.collect();
    let max = v.iter().copied().fold(f32::MIN, f32::max);
    for x in v.iter_mut() {
        *x = (*x - max).exp();
    }
    let sum: f32 = v.iter().sum::<f32>().max(1e-9);
    for x in v.iter_mut() {
        *x /= sum;
    }
    v
}
