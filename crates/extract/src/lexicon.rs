//! The language data of extraction: the TOML and TSV files of `data/`, embedded in the binary,
//! parsed once into one phrase index whose entries say what each phrase is.
//!
//! Every phrase of every file goes into one [`PhraseIndex`] keyed by its first folded token, so a
//! report is looked up once per token whatever the number of lexicons. Case matters where the data
//! writes it: an all-capitals alias ("HTS", "SDF") matches only all-capitals text, a capitalised one
//! ("May", "Druze") only capitalised text (both relaxed in reports written all in capitals, where
//! short acronyms are dropped instead because "IS" and "AS" are words there).

use std::collections::HashMap;

use serde::Deserialize;
use vigil_model::{ActorKind, FigureKind, Qualifier, SubEventType, Victims};

use crate::Error;
use crate::tokens::{Tokens, phrase_tokens, tokenize};

/// How a phrase ends up in a date ("last Thursday", "next week").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Last,
    This,
    Next,
}

/// A calendar period relative to the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
    LastYear,
    Weekend,
}

/// The role of a predicate phrase next to the people it counts (see `data/figures.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredRole {
    After,
    Before,
    Head,
    Toll,
    KinOnly,
}

/// How many people a relative noun counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kin {
    Single,
    Dual,
    Plural,
}

/// The class of an event trigger: a sub-event type, or a class resolved from context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerClass {
    Sub(SubEventType),
    Killing,
    Attack,
    Bombing,
    Territory,
}

/// A generic actor phrase's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenericKind {
    /// The state forces of the incident's country.
    State,
    /// Aircraft: state forces unless a foreign force is named with them.
    Aircraft,
    Kind(ActorKind),
}

/// Context cues (see `data/cues.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Habitual,
    Negation,
    Modal,
    Motive,
    Historical,
    AnaphorNoun,
    AnaphorDet,
    AnaphorWord,
    PlaceNotEvent,
    PlaceReference,
    PlaceTitleAfter,
    LocalAuthority,
    Subordinator,
    Relative,
    Coordinator,
    RefDet,
    Another,
    Similar,
    Furniture,
    Aggregate,
    RelAfter,
    RelBefore,
    RelSameDay,
}

/// What a phrase is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum What {
    Month(u8),
    Weekday(u8),
    DayPart,
    DateModifier(Modifier),
    Relative(i32, i32),
    Period(Period),
    AgoUnit(u32),
    Ordinal(u32),
    YearCue,
    NumUnit(u64),
    NumTens(u64),
    NumScale(u64),
    NumPhrase(u64),
    Vague(u64, u64),
    QualBefore(Qualifier),
    QualAfter(Qualifier),
    Pred(FigureKind, PredRole),
    CaptiveComplement,
    CaptiveVerb,
    Shot,
    Group(Victims),
    Kin(Kin),
    Possessive,
    /// Words between the counted people and their predicate ("were reportedly").
    Aux,
    /// Words between an active verb and its number ("killed another 5").
    VerbNumberLink,
    /// Function words that may follow a number counting no named group.
    FunctionWord,
    IrregularPlural,
    GroupPronoun,
    /// A number after this counts part of a group already counted.
    Subset,
    /// One person named by what they are ("a professor", "the teenager").
    SingularPerson,
    ClaimCue,
    ClaimVerb,
    ClaimAnonymous,
    ClaimPronoun,
    ClaimKnown(u16),
    Trigger(u16),
    Identity(u16),
    /// An actor of the dictionary; `true` when the alias holds only in the actor's own country
    /// (written with a parenthesised country in the data: "National Guard (El Salvador)").
    Actor(u16, bool),
    Generic(GenericKind),
    LinkHead,
    Linker,
    Cue(Cue),
    /// A phrase that holds a trigger word but tells of no event ("bomb shelter").
    NotTrigger,
}

impl What {
    /// One bit per kind of phrase, each cue a kind of its own: [`crate::doc::Doc::has`] tells in
    /// one test whether a phrase of some kinds starts at a token.
    pub const fn bit(&self) -> u128 {
        let kind: u32 = match self {
            What::Month(_) => 0,
            What::Weekday(_) => 1,
            What::DayPart => 2,
            What::DateModifier(_) => 3,
            What::Relative(..) => 4,
            What::Period(_) => 5,
            What::AgoUnit(_) => 6,
            What::Ordinal(_) => 7,
            What::YearCue => 8,
            What::NumUnit(_) => 9,
            What::NumTens(_) => 10,
            What::NumScale(_) => 11,
            What::NumPhrase(_) => 12,
            What::Vague(..) => 13,
            What::QualBefore(_) => 14,
            What::QualAfter(_) => 15,
            What::Pred(..) => 16,
            What::CaptiveComplement => 17,
            What::CaptiveVerb => 18,
            What::Shot => 19,
            What::Group(_) => 20,
            What::Kin(_) => 21,
            What::Possessive => 22,
            What::Aux => 23,
            What::VerbNumberLink => 24,
            What::FunctionWord => 25,
            What::IrregularPlural => 26,
            What::GroupPronoun => 27,
            What::Subset => 28,
            What::SingularPerson => 29,
            What::ClaimCue => 30,
            What::ClaimVerb => 31,
            What::ClaimAnonymous => 32,
            What::ClaimPronoun => 33,
            What::ClaimKnown(_) => 34,
            What::Trigger(_) => 35,
            What::Identity(_) => 36,
            What::Actor(..) => 37,
            What::Generic(_) => 38,
            What::LinkHead => 39,
            What::Linker => 40,
            What::NotTrigger => 41,
            What::Cue(c) => 48 + *c as u32,
        };
        1u128 << kind
    }
}

/// Kinds of phrases, as masks of [`What::bit`].
pub mod kinds {
    use super::{Cue, What};

    pub const fn cue(c: Cue) -> u128 {
        What::Cue(c).bit()
    }
    pub const MONTH: u128 = What::Month(0).bit();
    pub const WEEKDAY: u128 = What::Weekday(0).bit();
    pub const RELATIVE: u128 = What::Relative(0, 0).bit();
    pub const PERIOD: u128 = What::Period(super::Period::ThisWeek).bit();
    pub const NUM_UNIT: u128 = What::NumUnit(0).bit();
    pub const NUM_TENS: u128 = What::NumTens(0).bit();
    pub const NUM_PHRASE: u128 = What::NumPhrase(0).bit();
    pub const VAGUE: u128 = What::Vague(0, 0).bit();
    pub const CAPTIVE_VERB: u128 = What::CaptiveVerb.bit();
    pub const CAPTIVE_COMPLEMENT: u128 = What::CaptiveComplement.bit();
    pub const FUNCTION_WORD: u128 = What::FunctionWord.bit();
    pub const GROUP_PRONOUN: u128 = What::GroupPronoun.bit();
    pub const POSSESSIVE: u128 = What::Possessive.bit();
    pub const PRED: u128 =
        What::Pred(vigil_model::FigureKind::Killed, super::PredRole::After).bit();
    pub const SHOT: u128 = What::Shot.bit();
    pub const AUX: u128 = What::Aux.bit();
    pub const IRREGULAR_PLURAL: u128 = What::IrregularPlural.bit();
    pub const KIN: u128 = What::Kin(super::Kin::Single).bit();
    pub const CLAIM_KNOWN: u128 = What::ClaimKnown(0).bit();
    pub const GROUP: u128 = What::Group(vigil_model::Victims::Unknown).bit();
    pub const CLAIM_CUE: u128 = What::ClaimCue.bit();
    pub const CLAIM_VERB: u128 = What::ClaimVerb.bit();
    pub const TRIGGER: u128 = What::Trigger(0).bit();
    pub const IDENTITY: u128 = What::Identity(0).bit();
    pub const ACTOR: u128 = What::Actor(0, false).bit();
    pub const GENERIC: u128 = What::Generic(super::GenericKind::State).bit();
    pub const LINK_HEAD: u128 = What::LinkHead.bit();
    pub const NOT_TRIGGER: u128 = What::NotTrigger.bit();
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    Any,
    Capitalised,
    AllCaps,
}

#[derive(Debug)]
struct Entry {
    rest: Box<[Box<str>]>,
    cases: Box<[CaseRule]>,
    what: What,
    /// A short all-capitals acronym ("IS", "AA"): dropped in all-capitals reports.
    short_acronym: bool,
}

/// One phrase found in a text: `len` tokens from token `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub start: u32,
    pub len: u16,
    pub what: What,
}

impl Hit {
    pub fn end(&self) -> usize {
        self.start as usize + self.len as usize
    }
}

/// Every phrase of every lexicon: one-word phrases keyed by their folded word, longer ones by
/// their first folded word and then their second, so that a common first word ("the", "in",
/// "at") costs one look-up of the next word instead of a walk over every phrase it begins.
#[derive(Debug, Default)]
pub struct PhraseIndex {
    first: HashMap<Box<str>, FirstWord, rustc_hash::FxBuildHasher>,
}

/// What a folded word begins: one-word phrases, and longer ones by their second word.
#[derive(Debug, Default)]
struct FirstWord {
    singles: Vec<Entry>,
    by_second: HashMap<Box<str>, Vec<Entry>, rustc_hash::FxBuildHasher>,
}

fn case_rule(word: &str) -> CaseRule {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        CaseRule::AllCaps
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        CaseRule::Capitalised
    } else {
        CaseRule::Any
    }
}

impl PhraseIndex {
    pub fn insert(&mut self, phrase: &str, what: What) {
        let raw = tokenize(phrase);
        if raw.is_empty() {
            return;
        }
        let norms = phrase_tokens(phrase);
        let cases: Vec<CaseRule> = raw
            .list
            .iter()
            .map(|t| case_rule(&phrase[t.start..t.end]))
            .collect();
        let short_acronym = raw.len() == 1
            && cases[0] == CaseRule::AllCaps
            && phrase.chars().filter(|c| c.is_alphabetic()).count() <= 3;
        let entry = Entry {
            rest: norms[2.min(norms.len())..]
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
            cases: cases.into_boxed_slice(),
            what,
            short_acronym,
        };
        let first = self.first.entry(norms[0].as_str().into()).or_default();
        let list = if norms.len() == 1 {
            &mut first.singles
        } else {
            first.by_second.entry(norms[1].as_str().into()).or_default()
        };
        if !list
            .iter()
            .any(|e| e.what == entry.what && e.rest == entry.rest && e.cases == entry.cases)
        {
            list.push(entry);
        }
    }

    /// Every phrase of the text, in token order (longest first at one token).
    pub fn find_all(&self, text: &str, tokens: &Tokens, all_caps_text: bool) -> Vec<Hit> {
        let mut hits = Vec::new();
        // Quotation marks inside a phrase are passed over ("vengeance" for).
        let next_word = |t: usize| {
            let mut t = t;
            while t < tokens.len() && tokens.norm(t) == "\"" {
                t += 1;
            }
            t
        };
        for i in 0..tokens.len() {
            let norm = tokens.norm(i);
            let Some(first_word) = self.first.get(norm) else {
                continue;
            };
            let second = if first_word.by_second.is_empty() {
                None
            } else {
                let t = next_word(i + 1);
                (t < tokens.len()).then_some(t)
            };
            let pairs =
                second.and_then(|t| first_word.by_second.get(tokens.norm(t)).map(|e| (t, e)));
            let singles = &first_word.singles;
            let first = hits.len();
            let candidates = pairs
                .into_iter()
                .flat_map(|(t, e)| e.iter().map(move |e| (Some(t), e)))
                .chain(singles.iter().map(|e| (None, e)));
            for (second, entry) in candidates {
                if all_caps_text && entry.short_acronym {
                    continue;
                }
                let mut positions = [0usize; 16];
                if entry.rest.len() + 2 > positions.len() {
                    continue;
                }
                positions[0] = i;
                let mut t = i + 1;
                let mut used = 1;
                if let Some(s) = second {
                    positions[1] = s;
                    t = s + 1;
                    used = 2;
                }
                let mut ok = true;
                for w in entry.rest.iter() {
                    t = next_word(t);
                    if t >= tokens.len() || tokens.norm(t) != &**w {
                        ok = false;
                        break;
                    }
                    positions[used] = t;
                    used += 1;
                    t += 1;
                }
                if !ok {
                    continue;
                }
                let len = t - i;
                if !all_caps_text
                    && !entry.cases.iter().enumerate().all(|(k, rule)| {
                        let tok = &tokens.list[positions[k]];
                        match rule {
                            CaseRule::Any => true,
                            CaseRule::Capitalised => tok.capitalised,
                            CaseRule::AllCaps => {
                                let word = &text[tok.start..tok.end];
                                word.chars()
                                    .filter(|c| c.is_alphabetic())
                                    .all(char::is_uppercase)
                            }
                        }
                    })
                {
                    continue;
                }
                hits.push(Hit {
                    start: i as u32,
                    len: len as u16,
                    what: entry.what,
                });
            }
            if hits.len() > first + 1 {
                hits[first..].sort_by_key(|h| std::cmp::Reverse(h.len));
            }
        }
        hits
    }
}

// ---------------------------------------------------------------------------------------------
// The data files.

#[derive(Deserialize)]
struct NumbersFile {
    units: HashMap<String, u64>,
    tens: HashMap<String, u64>,
    scales: HashMap<String, u64>,
    phrases: HashMap<String, u64>,
    vague: HashMap<String, [u64; 2]>,
}

#[derive(Deserialize)]
struct QualifierLists {
    #[serde(default)]
    at_least: Vec<String>,
    #[serde(default)]
    more_than: Vec<String>,
    #[serde(default)]
    up_to: Vec<String>,
    #[serde(default)]
    less_than: Vec<String>,
    #[serde(default)]
    about: Vec<String>,
    #[serde(default)]
    nearly: Vec<String>,
}

#[derive(Deserialize)]
struct QualifiersFile {
    before: QualifierLists,
    after: QualifierLists,
}

#[derive(Deserialize)]
struct Words {
    words: Vec<String>,
}

#[derive(Deserialize)]
struct DatesFile {
    months: HashMap<String, u8>,
    weekdays: HashMap<String, u8>,
    day_parts: Words,
    modifiers: HashMap<String, String>,
    relative: HashMap<String, [i32; 2]>,
    periods: HashMap<String, String>,
    ago_units: HashMap<String, u32>,
    ordinals: HashMap<String, u32>,
    year_cues: Words,
}

#[derive(Deserialize)]
struct PredicateFile {
    kind: String,
    after: Vec<String>,
    before: Vec<String>,
    head: Vec<String>,
    toll: Vec<String>,
    #[serde(default)]
    kin_only: Vec<String>,
}

#[derive(Deserialize)]
struct KinFile {
    single: Vec<String>,
    dual: Vec<String>,
    plural: Vec<String>,
    possessives: Vec<String>,
}

#[derive(Deserialize)]
struct Groups {
    civilians: Vec<String>,
    combatants: Vec<String>,
    unknown: Vec<String>,
}

#[derive(Deserialize)]
struct FigureLinks {
    auxiliaries: Vec<String>,
    between_verb_and_number: Vec<String>,
    function_words: Vec<String>,
    irregular_plurals: Vec<String>,
    pronouns: Vec<String>,
    subset: Vec<String>,
}

#[derive(Deserialize)]
struct FiguresFile {
    predicate: Vec<PredicateFile>,
    links: FigureLinks,
    singular_people: Words,
    captive_complements: Words,
    captive_verbs: Words,
    ambiguous: HashMap<String, Vec<String>>,
    groups: Groups,
    kin: KinFile,
}

#[derive(Deserialize)]
struct ClaimantCues {
    before_claimant: Vec<String>,
    verbs: Vec<String>,
    anonymous: Vec<String>,
    pronouns: Vec<String>,
}

/// A claimant known by name (`data/claimants.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct KnownClaimant {
    pub name: String,
    pub aliases: Vec<String>,
    /// The claimant's kind (monitor, state_media ...), and where the entry comes from: kept
    /// with the data, checked by the tests.
    #[allow(dead_code)]
    pub kind: String,
    #[serde(default)]
    pub partisan: bool,
    #[serde(default)]
    #[allow(dead_code)]
    pub source: String,
}

#[derive(Deserialize)]
struct ClaimantsFile {
    cues: ClaimantCues,
    known: Vec<KnownClaimant>,
}

/// One trigger group of `data/triggers.toml`.
#[derive(Debug, Clone)]
pub struct TriggerDef {
    pub class: TriggerClass,
    pub weight: u32,
    pub weapon: bool,
    /// The phrase is a noun ("attack", "airstrikes"), not a verb.
    pub noun: bool,
    /// A plural noun ("massacres", "airstrikes").
    pub plural: bool,
    /// Words one of which must be in the clause for the trigger to count.
    pub requires: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct TriggerFileEntry {
    class: String,
    weight: u32,
    #[serde(default)]
    weapon: bool,
    #[serde(default)]
    nouns: Vec<String>,
    #[serde(default)]
    plural_nouns: Vec<String>,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
}

#[derive(Deserialize)]
struct NotTriggers {
    phrases: Vec<String>,
}

#[derive(Deserialize)]
struct TriggersFile {
    trigger: Vec<TriggerFileEntry>,
    not_triggers: NotTriggers,
}

#[derive(Deserialize)]
struct CuesFile {
    habitual: Words,
    negation: Words,
    modal: Words,
    motive: Words,
    historical: Words,
    anaphora: Anaphora,
    place_not_event: Words,
    place_title_after: Words,
    local_authority: Words,
    place_reference: Words,
    clauses: Clauses,
    reference: RefDets,
    another: Words,
    similar: Words,
    aggregate: Words,
    relative_event: RelativeEvent,
    furniture: Furniture,
}

#[derive(Deserialize)]
struct Furniture {
    openers: Vec<String>,
}

#[derive(Deserialize)]
struct Anaphora {
    nouns: Vec<String>,
    determiners: Vec<String>,
    words: Vec<String>,
}

#[derive(Deserialize)]
struct Clauses {
    subordinators: Vec<String>,
    relatives: Vec<String>,
    coordinators: Vec<String>,
}

#[derive(Deserialize)]
struct RefDets {
    determiners: Vec<String>,
}

#[derive(Deserialize)]
struct RelativeEvent {
    after: Vec<String>,
    before: Vec<String>,
    same_day: Vec<String>,
}

/// A victim identity (`data/identities.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct IdentityDef {
    pub name: String,
    pub forms: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub source: String,
}

#[derive(Deserialize)]
struct IdentitiesFile {
    identity: Vec<IdentityDef>,
}

#[derive(Deserialize)]
struct GenericEntry {
    kind: String,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
struct Links {
    heads: Vec<String>,
    linkers: Vec<String>,
}

#[derive(Deserialize)]
struct GenericFile {
    generic: Vec<GenericEntry>,
    links: Links,
}

/// An armed actor of the dictionary (`data/actors.tsv`).
#[derive(Debug, Clone)]
pub struct ActorDef {
    pub name: String,
    pub kind: ActorKind,
    /// ISO alpha-2; empty for transnational actors.
    pub country: String,
    /// Active from / to, as (year, month, day) with 1 for missing parts.
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
    pub aliases: Vec<String>,
    #[allow(dead_code)]
    pub source: String,
}

impl ActorDef {
    /// True when the actor existed on `date` (a missing date is always inside).
    pub fn active_on(&self, date: Option<jiff::civil::Date>) -> bool {
        let Some(date) = date else { return true };
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date < t)
    }
}

/// All language data, parsed.
#[derive(Debug)]
pub struct Lexicon {
    pub index: PhraseIndex,
    pub triggers: Vec<TriggerDef>,
    pub claimants: Vec<KnownClaimant>,
    pub identities: Vec<IdentityDef>,
    pub actors: Vec<ActorDef>,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| Error::Lexicon {
        file: name.to_string(),
        reason: e.to_string(),
    })
}

fn bad(file: &str, reason: impl Into<String>) -> Error {
    Error::Lexicon {
        file: file.to_string(),
        reason: reason.into(),
    }
}

fn actor_kind(code: &str) -> Option<ActorKind> {
    Some(match code {
        "state_forces" => ActorKind::StateForces,
        "rebel_group" => ActorKind::RebelGroup,
        "political_militia" => ActorKind::PoliticalMilitia,
        "identity_militia" => ActorKind::IdentityMilitia,
        "foreign_forces" => ActorKind::ForeignForces,
        "unidentified_armed_group" => ActorKind::UnidentifiedArmedGroup,
        "rioters" => ActorKind::Rioters,
        "protesters" => ActorKind::Protesters,
        "civilians" => ActorKind::Civilians,
        "other" => ActorKind::Other,
        _ => return None,
    })
}

fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let parts: Vec<i16> = text.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y] => jiff::civil::Date::new(*y, 1, 1).ok(),
        [y, m] => jiff::civil::Date::new(*y, *m as i8, 1).ok(),
        [y, m, d] => jiff::civil::Date::new(*y, *m as i8, *d as i8).ok(),
        _ => None,
    }
}

impl Lexicon {
    /// Parses the data files embedded in the crate.
    pub fn bundled() -> Result<Lexicon, Error> {
        let mut index = PhraseIndex::default();

        let numbers: NumbersFile = parse("numbers.toml", include_str!("../data/numbers.toml"))?;
        for (w, v) in numbers.units {
            index.insert(&w, What::NumUnit(v));
        }
        for (w, v) in numbers.tens {
            index.insert(&w, What::NumTens(v));
        }
        for (w, v) in numbers.scales {
            index.insert(&w, What::NumScale(v));
        }
        for (w, v) in numbers.phrases {
            index.insert(&w, What::NumPhrase(v));
        }
        for (w, [lo, hi]) in numbers.vague {
            index.insert(&w, What::Vague(lo, hi));
        }

        let qualifiers: QualifiersFile =
            parse("qualifiers.toml", include_str!("../data/qualifiers.toml"))?;
        let lists = |l: QualifierLists| {
            [
                (Qualifier::AtLeast, l.at_least),
                (Qualifier::MoreThan, l.more_than),
                (Qualifier::UpTo, l.up_to),
                (Qualifier::LessThan, l.less_than),
                (Qualifier::About, l.about),
                (Qualifier::Nearly, l.nearly),
            ]
        };
        for (q, words) in lists(qualifiers.before) {
            for w in words {
                index.insert(&w, What::QualBefore(q));
            }
        }
        for (q, words) in lists(qualifiers.after) {
            for w in words {
                index.insert(&w, What::QualAfter(q));
            }
        }

        let dates: DatesFile = parse("dates.toml", include_str!("../data/dates.toml"))?;
        for (w, m) in dates.months {
            index.insert(&w, What::Month(m));
        }
        for (w, d) in dates.weekdays {
            index.insert(&w, What::Weekday(d));
        }
        for w in dates.day_parts.words {
            index.insert(&w, What::DayPart);
        }
        for (w, m) in dates.modifiers {
            let m = match m.as_str() {
                "last" => Modifier::Last,
                "this" => Modifier::This,
                "next" => Modifier::Next,
                other => return Err(bad("dates.toml", format!("unknown modifier {other}"))),
            };
            index.insert(&w, What::DateModifier(m));
        }
        for (w, [a, b]) in dates.relative {
            index.insert(&w, What::Relative(a, b));
        }
        for (w, p) in dates.periods {
            let p = match p.as_str() {
                "this_week" => Period::ThisWeek,
                "last_week" => Period::LastWeek,
                "this_month" => Period::ThisMonth,
                "last_month" => Period::LastMonth,
                "this_year" => Period::ThisYear,
                "last_year" => Period::LastYear,
                "weekend" => Period::Weekend,
                other => return Err(bad("dates.toml", format!("unknown period {other}"))),
            };
            index.insert(&w, What::Period(p));
        }
        for (w, d) in dates.ago_units {
            index.insert(&w, What::AgoUnit(d));
        }
        for (w, n) in dates.ordinals {
            index.insert(&w, What::Ordinal(n));
        }
        for w in dates.year_cues.words {
            index.insert(&w, What::YearCue);
        }

        let figures: FiguresFile = parse("figures.toml", include_str!("../data/figures.toml"))?;
        for p in figures.predicate {
            let kind = FigureKind::from_code(&p.kind)
                .ok_or_else(|| bad("figures.toml", format!("unknown kind {}", p.kind)))?;
            for (role, words) in [
                (PredRole::After, p.after),
                (PredRole::Before, p.before),
                (PredRole::Head, p.head),
                (PredRole::Toll, p.toll),
                (PredRole::KinOnly, p.kin_only),
            ] {
                for w in words {
                    index.insert(&w, What::Pred(kind, role));
                }
            }
        }
        for w in figures.captive_complements.words {
            index.insert(&w, What::CaptiveComplement);
        }
        for w in figures.captive_verbs.words {
            index.insert(&w, What::CaptiveVerb);
        }
        for words in figures.ambiguous.into_values() {
            for w in words {
                index.insert(&w, What::Shot);
            }
        }
        for (class, words) in [
            (Victims::Civilians, figures.groups.civilians),
            (Victims::Combatants, figures.groups.combatants),
            (Victims::Unknown, figures.groups.unknown),
        ] {
            for w in words {
                index.insert(&w, What::Group(class));
            }
        }
        for (k, words) in [
            (Kin::Single, figures.kin.single),
            (Kin::Dual, figures.kin.dual),
            (Kin::Plural, figures.kin.plural),
        ] {
            for w in words {
                index.insert(&w, What::Kin(k));
            }
        }
        for w in figures.kin.possessives {
            index.insert(&w, What::Possessive);
        }
        for (words, what) in [
            (figures.links.auxiliaries, What::Aux),
            (figures.links.between_verb_and_number, What::VerbNumberLink),
            (figures.links.function_words, What::FunctionWord),
            (figures.links.irregular_plurals, What::IrregularPlural),
            (figures.links.pronouns, What::GroupPronoun),
            (figures.links.subset, What::Subset),
            (figures.singular_people.words, What::SingularPerson),
        ] {
            for w in words {
                index.insert(&w, what);
            }
        }

        let claimants: ClaimantsFile =
            parse("claimants.toml", include_str!("../data/claimants.toml"))?;
        for w in claimants.cues.before_claimant {
            index.insert(&w, What::ClaimCue);
        }
        for w in claimants.cues.verbs {
            index.insert(&w, What::ClaimVerb);
        }
        for w in claimants.cues.anonymous {
            index.insert(&w, What::ClaimAnonymous);
        }
        for w in claimants.cues.pronouns {
            index.insert(&w, What::ClaimPronoun);
        }
        for (i, known) in claimants.known.iter().enumerate() {
            for alias in &known.aliases {
                index.insert(alias, What::ClaimKnown(i as u16));
            }
        }

        let triggers_file: TriggersFile =
            parse("triggers.toml", include_str!("../data/triggers.toml"))?;
        let mut triggers = Vec::new();
        for t in triggers_file.trigger {
            let class = match t.class.as_str() {
                "killing" => TriggerClass::Killing,
                "attack" => TriggerClass::Attack,
                "bombing" => TriggerClass::Bombing,
                "territory" => TriggerClass::Territory,
                code => TriggerClass::Sub(
                    SubEventType::from_code(code)
                        .ok_or_else(|| bad("triggers.toml", format!("unknown class {code}")))?,
                ),
            };
            let requires: Vec<Vec<String>> = t.requires.iter().map(|r| phrase_tokens(r)).collect();
            for (words, noun, plural) in [
                (t.nouns, true, false),
                (t.plural_nouns, true, true),
                (t.verbs, false, false),
            ] {
                for w in words {
                    let plural = plural
                        || (noun && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us"));
                    let id = triggers.len() as u16;
                    triggers.push(TriggerDef {
                        class,
                        weight: t.weight,
                        weapon: t.weapon,
                        noun,
                        plural,
                        requires: requires.clone(),
                    });
                    index.insert(&w, What::Trigger(id));
                }
            }
        }
        for p in triggers_file.not_triggers.phrases {
            index.insert(&p, What::NotTrigger);
        }

        let cues: CuesFile = parse("cues.toml", include_str!("../data/cues.toml"))?;
        let mut cue = |words: Vec<String>, c: Cue| {
            for w in words {
                index.insert(&w, What::Cue(c));
            }
        };
        cue(cues.habitual.words, Cue::Habitual);
        cue(cues.negation.words, Cue::Negation);
        cue(cues.modal.words, Cue::Modal);
        cue(cues.motive.words, Cue::Motive);
        cue(cues.historical.words, Cue::Historical);
        cue(cues.anaphora.nouns, Cue::AnaphorNoun);
        cue(cues.anaphora.determiners, Cue::AnaphorDet);
        cue(cues.anaphora.words, Cue::AnaphorWord);
        cue(cues.place_not_event.words, Cue::PlaceNotEvent);
        cue(cues.place_title_after.words, Cue::PlaceTitleAfter);
        cue(cues.local_authority.words, Cue::LocalAuthority);
        cue(cues.place_reference.words, Cue::PlaceReference);
        cue(cues.clauses.subordinators, Cue::Subordinator);
        cue(cues.clauses.relatives, Cue::Relative);
        cue(cues.clauses.coordinators, Cue::Coordinator);
        cue(cues.reference.determiners, Cue::RefDet);
        cue(cues.another.words, Cue::Another);
        cue(cues.similar.words, Cue::Similar);
        cue(cues.aggregate.words, Cue::Aggregate);
        cue(cues.relative_event.after, Cue::RelAfter);
        cue(cues.relative_event.before, Cue::RelBefore);
        cue(cues.relative_event.same_day, Cue::RelSameDay);
        cue(cues.furniture.openers, Cue::Furniture);

        let identities: IdentitiesFile =
            parse("identities.toml", include_str!("../data/identities.toml"))?;
        for (i, id) in identities.identity.iter().enumerate() {
            for form in &id.forms {
                index.insert(form, What::Identity(i as u16));
            }
        }

        let generic: GenericFile = parse(
            "generic_actors.toml",
            include_str!("../data/generic_actors.toml"),
        )?;
        for g in generic.generic {
            let kind =
                match g.kind.as_str() {
                    "state" => GenericKind::State,
                    "aircraft" => GenericKind::Aircraft,
                    code => GenericKind::Kind(actor_kind(code).ok_or_else(|| {
                        bad("generic_actors.toml", format!("unknown kind {code}"))
                    })?),
                };
            for p in g.phrases {
                index.insert(&p, What::Generic(kind));
            }
        }
        for w in generic.links.heads {
            index.insert(&w, What::LinkHead);
        }
        for w in generic.links.linkers {
            index.insert(&w, What::Linker);
        }

        let mut actors = Vec::new();
        for (n, line) in include_str!("../data/actors.tsv").lines().enumerate() {
            if line.starts_with('#') || line.starts_with("name\t") || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 7 {
                return Err(bad(
                    "actors.tsv",
                    format!("line {}: {} columns", n + 1, cols.len()),
                ));
            }
            let kind = actor_kind(cols[1])
                .ok_or_else(|| bad("actors.tsv", format!("line {}: kind {}", n + 1, cols[1])))?;
            let date = |s: &str| -> Result<Option<jiff::civil::Date>, Error> {
                if s.is_empty() {
                    Ok(None)
                } else {
                    parse_date(s)
                        .map(Some)
                        .ok_or_else(|| bad("actors.tsv", format!("line {}: date {s}", n + 1)))
                }
            };
            let def = ActorDef {
                name: cols[0].to_string(),
                kind,
                country: cols[2].to_string(),
                from: date(cols[3])?,
                to: date(cols[4])?,
                aliases: cols[5].split(';').map(str::to_string).collect(),
                source: cols[6].to_string(),
            };
            let id = actors.len() as u16;
            for alias in def.aliases.iter() {
                // An alias with a parenthesised qualifier is matched without it, in its country.
                let local = alias.contains(" (");
                let alias = alias.split(" (").next().unwrap_or(alias);
                index.insert(alias, What::Actor(id, local));
            }
            let name = def.name.split(" (").next().unwrap_or(&def.name);
            index.insert(name, What::Actor(id, false));
            actors.push(def);
        }

        Ok(Lexicon {
            index,
            triggers,
            claimants: claimants.known,
            identities: identities.identity,
            actors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_its_source_and_valid_fields() {
        let lexicon = Lexicon::bundled().unwrap();
        for a in &lexicon.actors {
            assert!(
                a.source.starts_with("https://"),
                "actor {} has no source",
                a.name
            );
            assert!(
                !a.aliases.is_empty() && a.aliases.iter().all(|x| !x.trim().is_empty()),
                "{}",
                a.name
            );
            assert!(a.country.is_empty() || a.country.len() == 2, "{}", a.name);
            if let (Some(f), Some(t)) = (a.from, a.to) {
                assert!(f < t, "{} active from {f} to {t}", a.name);
            }
        }
        for c in &lexicon.claimants {
            assert!(
                c.source.starts_with("https://") && !c.kind.is_empty(),
                "claimant {}",
                c.name
            );
        }
        for i in &lexicon.identities {
            assert!(i.source.starts_with("https://"), "identity {}", i.name);
        }
        assert!(lexicon.actors.len() > 150);
    }
}
