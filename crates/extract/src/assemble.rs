//! The assembler: from the annotations of a report to its incident mentions.
//!
//! The report is read sentence by sentence and clause by clause. A clause with an event trigger
//! or a casualty figure either tells of a new incident (a new place, or a new date at a known
//! place, or a new kind of event there) or adds to one already told: an elaboration ("the
//! killings were accompanied by looting"), a figure ("Scores of civilians were injured"), a
//! reference ("this wave of reprisals"). The discourse carries a current incident, place and date,
//! so that later sentences that do not restate them still land where they belong. A figure
//! counted over a whole wave of violence makes an aggregate incident of its own, with the wave's
//! region and days. Clauses that tell of habits ("have consistently bombarded"), denials,
//! conditions, plans or motives make none; dated events well before publication are historical.

use std::collections::BTreeMap;

use jiff::civil::Date;
use vigil_model::{
    Actor, ActorKind, ActorRole, Claim, DatePrecision, DateRange, EventType, Evidence, Figure,
    FigureKind, Mention, Place, PlacePrecision, Qualifier, SubEventType, Victims, haversine_km,
};

use crate::actors::ActorMention;
use crate::claimants::ClaimantMention;
use crate::dates::{DateKind, DateMention};
use crate::doc::Doc;
use crate::events::{IdentityMention, TriggerMention};
use crate::figures::{FigureMention, governed};
use crate::lexicon::{Cue, TriggerClass, What, kinds};
use crate::places::{Anaphor, PlaceRef, PlaceRole, anaphor_accepts};
use crate::{Config, Diagnostic};

/// Everything the annotators found in one sentence.
#[derive(Debug, Default, Clone)]
pub struct SentenceAnnotations {
    pub dates: Vec<DateMention>,
    pub figures: Vec<FigureMention>,
    pub claimant: Option<ClaimantMention>,
    pub actors: Vec<ActorMention>,
    pub identities: Vec<IdentityMention>,
    pub triggers: Vec<TriggerMention>,
    pub anaphora: Vec<Anaphor>,
}

/// The kind of event a clause tells, for deciding what belongs together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Explosion,
    Battle,
    Vac,
    /// Only generic attack words ("attack", "assault", "violence"): fits any violent family.
    Generic,
    Looting,
    Arrests,
    Protest,
    Riot,
    Agreement,
    Other,
}

impl Family {
    fn violent(self) -> bool {
        matches!(
            self,
            Family::Explosion | Family::Battle | Family::Vac | Family::Generic
        )
    }

    fn fits(self, other: Family) -> bool {
        self == other
            || (self == Family::Generic && other.violent())
            || (other == Family::Generic && self.violent())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClauseKind {
    Main,
    /// Opened by a subordinator ("after", "when"): the word.
    Sub(&'static str),
    /// "..., where ...": takes the place named before it.
    Where,
}

#[derive(Debug, Clone)]
struct Clause {
    start: usize,
    end: usize,
    kind: ClauseKind,
}

const SUBORDINATORS: &[&str] = &[
    "when", "after", "before", "while", "because", "although", "though", "until", "whereas",
    "whilst", "once", "whenever", "as", "since",
];

fn subordinator(word: &str) -> Option<&'static str> {
    SUBORDINATORS.iter().copied().find(|s| *s == word)
}

/// Splits the sentence `s..e` into clauses. Relative and participle clauses ("..., which ...",
/// "..., killing ...") stay with the clause they hang on.
fn clauses(doc: &Doc, s: usize, e: usize) -> Vec<Clause> {
    let mut out = vec![Clause {
        start: s,
        end: e,
        kind: ClauseKind::Main,
    }];
    let mut fronted_sub = false;
    let mut k = s;
    while k < e {
        let word = doc.norm(k);
        let after_comma = k > s && doc.toks.is_punct(k - 1, ",");
        let mut open: Option<ClauseKind> = None;
        if doc.toks.is_punct(k, ";") {
            open = Some(ClauseKind::Main);
        } else if word == "where" && k > s {
            open = Some(ClauseKind::Where);
        } else if doc.has(k, kinds::cue(Cue::Subordinator))
            && let Some(sub) = subordinator(word)
        {
            // "as" and "since" open a clause only after a comma ("such as", "since Tuesday");
            // before a time or a date any of them is a preposition ("shortly before 10 p.m.").
            let timed = doc.is_number(k + 1)
                || doc
                    .find_at(k + 1, |w| {
                        matches!(
                            w,
                            What::Month(_)
                                | What::Weekday(_)
                                | What::DayPart
                                | What::Relative(..)
                                | What::DateModifier(_)
                        )
                    })
                    .is_some()
                || matches!(
                    doc.norm(k + 1),
                    "dawn"
                        | "dusk"
                        | "midnight"
                        | "noon"
                        | "sunrise"
                        | "sunset"
                        | "curfew"
                        | "nightfall"
                        | "hours"
                        | "days"
                        | "weeks"
                );
            if (!matches!(sub, "as" | "since") || after_comma) && !timed {
                open = Some(ClauseKind::Sub(sub));
            }
        } else if after_comma
            && doc.has(k, kinds::cue(Cue::Coordinator))
            && !(k >= s + 2 && doc.is_proper(k - 2) && doc.is_proper(k + 1))
        {
            // Not inside a list of names ("Burj Qaae, Tsneen, and Hirbnafsah").
            open = Some(ClauseKind::Main);
        } else if fronted_sub && doc.toks.is_punct(k, ",") {
            // "After X, Y": the fronted clause ends at its comma.
            fronted_sub = false;
            let last = out.last_mut().expect("one clause");
            last.end = k;
            out.push(Clause {
                start: k + 1,
                end: e,
                kind: ClauseKind::Main,
            });
            k += 1;
            continue;
        }
        if let Some(kind) = open {
            let start = if doc.toks.is_punct(k, ";") { k + 1 } else { k };
            let last = out.last_mut().expect("one clause");
            if start > last.start {
                last.end = k;
                out.push(Clause {
                    start,
                    end: e,
                    kind,
                });
            } else {
                last.kind = kind;
            }
            if matches!(kind, ClauseKind::Sub(_)) && k <= s + 2 {
                fronted_sub = true;
            }
        }
        k += 1;
    }
    out.retain(|c| c.start < c.end);
    out
}

/// Relative clauses of a sentence that tell no event ("..., who had been in Peque on Sunday,"):
/// their places and dates describe someone, not the event.
fn quiet_relatives(
    doc: &Doc,
    s: usize,
    e: usize,
    triggers: &[TriggerMention],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = s + 1;
    while k < e {
        if doc.toks.is_punct(k - 1, ",")
            && matches!(doc.norm(k), "who" | "which" | "whose" | "whom")
        {
            let mut j = k + 1;
            while j < e && !doc.toks.is_punct(j, ",") && !doc.toks.is_punct(j, ";") {
                j += 1;
            }
            if !triggers.iter().any(|t| k <= t.toks.0 && t.toks.0 < j) {
                out.push((k, j));
            }
            k = j;
        }
        k += 1;
    }
    out
}

/// One incident being built.
#[derive(Debug, Clone)]
struct Draft {
    family: Family,
    triggers: Vec<TriggerMention>,
    place: Option<PlaceChoice>,
    date: DateRange,
    date_explicit: bool,
    figures: Vec<(FigureMention, Option<ClaimantMention>)>,
    actors: Vec<(ActorMention, ActorRole, Option<String>)>,
    identities: Vec<String>,
    victims_civilian: bool,
    victims_combatant: bool,
    sentences: Vec<usize>,
    aggregate: bool,
    historical_cue: bool,
    /// Built from a headline or caption only, so far.
    weak: bool,
    coarse_places: Vec<Place>,
    dropped: bool,
}

#[derive(Debug, Clone)]
struct PlaceChoice {
    place: Place,
}

fn same_place(a: &Place, b: &Place) -> bool {
    if let (Some(x), Some(y)) = (a.geonames_id, b.geonames_id) {
        return x == y;
    }
    let d = a.distance_km(b);
    d < 0.5 || (a.name == b.name && d < 5.0)
}

/// Whether `fine` lies within `coarse` (nearby, and coarse is the less precise).
fn within(fine: &Place, coarse: &Place) -> bool {
    if fine.precision.rank() >= coarse.precision.rank() {
        return same_place(fine, coarse);
    }
    let reach = match coarse.precision {
        PlacePrecision::District => 3.0,
        PlacePrecision::Settlement => 15.0,
        PlacePrecision::Admin2 => 60.0,
        PlacePrecision::Admin1 => 150.0,
        PlacePrecision::Region => 150.0,
        PlacePrecision::Country => 1500.0,
    };
    if coarse.precision == PlacePrecision::Country {
        return fine.country.is_some() && fine.country == coarse.country;
    }
    if coarse.precision == PlacePrecision::Settlement {
        // A district is in its city: named after it ("Al Wa'r, Homs"), or close to its centre.
        return fine
            .name
            .rsplit(", ")
            .next()
            .is_some_and(|city| !city.is_empty() && coarse.name.contains(city))
            || fine.distance_km(coarse) <= 4.0;
    }
    fine.distance_km(coarse) <= reach
}

fn is_coarse(p: &Place) -> bool {
    matches!(
        p.precision,
        PlacePrecision::Admin1 | PlacePrecision::Region | PlacePrecision::Country
    )
}

fn family_of(triggers: &[TriggerMention], civilians: bool, armed_target: bool) -> Family {
    let has = |f: &dyn Fn(&TriggerMention) -> bool| triggers.iter().any(f);
    if has(&|t| t.weapon) {
        return Family::Explosion;
    }
    let battle = has(&|t| {
        matches!(
            t.class,
            TriggerClass::Sub(SubEventType::ArmedClash) | TriggerClass::Territory
        )
    });
    let killing = has(&|t| {
        matches!(
            t.class,
            TriggerClass::Killing
                | TriggerClass::Sub(SubEventType::AbductionForcedDisappearance)
                | TriggerClass::Sub(SubEventType::SexualViolence)
        )
    });
    let attack = has(&|t| t.class == TriggerClass::Attack);
    if battle && !(civilians && killing) {
        return Family::Battle;
    }
    if killing || attack {
        if armed_target && !civilians {
            return Family::Battle;
        }
        if killing || civilians {
            return Family::Vac;
        }
        return Family::Generic;
    }
    if battle {
        return Family::Battle;
    }
    let sub = |s: SubEventType| has(&|t| t.class == TriggerClass::Sub(s));
    if sub(SubEventType::LootingPropertyDestruction) {
        return Family::Looting;
    }
    if sub(SubEventType::Arrests) {
        return Family::Arrests;
    }
    if sub(SubEventType::ExcessiveForceAgainstProtesters)
        || sub(SubEventType::ProtestWithIntervention)
        || sub(SubEventType::PeacefulProtest)
    {
        return Family::Protest;
    }
    if sub(SubEventType::ViolentDemonstration) || sub(SubEventType::MobViolence) {
        return Family::Riot;
    }
    if sub(SubEventType::Agreement) {
        return Family::Agreement;
    }
    Family::Other
}

/// Decides the event type of a finished draft from all its triggers.
fn event_type(d: &Draft) -> (EventType, SubEventType) {
    let weight_of = |pred: &dyn Fn(&TriggerMention) -> bool| -> u32 {
        d.triggers
            .iter()
            .filter(|t| pred(t))
            .map(|t| t.weight)
            .sum()
    };
    match d.family {
        Family::Explosion => {
            let mut best = (0, SubEventType::ShellingArtilleryMissileAttack);
            for sub in [
                SubEventType::SuicideBomb,
                SubEventType::ChemicalWeapon,
                SubEventType::RemoteExplosiveLandmineIed,
                SubEventType::AirDroneStrike,
                SubEventType::ShellingArtilleryMissileAttack,
                SubEventType::Grenade,
            ] {
                let w = weight_of(&|t| t.class == TriggerClass::Sub(sub));
                if w > best.0 {
                    best = (w, sub);
                }
            }
            (EventType::ExplosionsRemoteViolence, best.1)
        }
        Family::Battle => {
            let territory = weight_of(&|t| t.class == TriggerClass::Territory);
            let clash = weight_of(&|t| {
                matches!(
                    t.class,
                    TriggerClass::Sub(SubEventType::ArmedClash)
                        | TriggerClass::Attack
                        | TriggerClass::Killing
                )
            });
            if territory > clash {
                let state = d
                    .actors
                    .iter()
                    .find(|(_, r, _)| *r == ActorRole::Perpetrator)
                    .is_some_and(|(a, _, _)| a.kind == ActorKind::StateForces);
                let sub = if state {
                    SubEventType::GovernmentRegainsTerritory
                } else {
                    SubEventType::NonStateActorOvertakesTerritory
                };
                (EventType::Battles, sub)
            } else {
                (EventType::Battles, SubEventType::ArmedClash)
            }
        }
        Family::Vac | Family::Generic => {
            let killing =
                weight_of(&|t| matches!(t.class, TriggerClass::Killing | TriggerClass::Attack));
            let abduction = weight_of(&|t| {
                t.class == TriggerClass::Sub(SubEventType::AbductionForcedDisappearance)
            });
            let sexual = weight_of(&|t| t.class == TriggerClass::Sub(SubEventType::SexualViolence));
            let killed = d.figures.iter().any(|(f, _)| f.kind == FigureKind::Killed);
            let sub = if sexual > 0 && killing == 0 && abduction == 0 && !killed {
                SubEventType::SexualViolence
            } else if abduction > 0 && killing == 0 && !killed {
                SubEventType::AbductionForcedDisappearance
            } else {
                SubEventType::Attack
            };
            (EventType::ViolenceAgainstCivilians, sub)
        }
        Family::Looting => (
            EventType::StrategicDevelopments,
            SubEventType::LootingPropertyDestruction,
        ),
        Family::Arrests => (EventType::StrategicDevelopments, SubEventType::Arrests),
        Family::Protest => {
            let sub = if weight_of(&|t| {
                t.class == TriggerClass::Sub(SubEventType::ExcessiveForceAgainstProtesters)
            }) > 0
            {
                SubEventType::ExcessiveForceAgainstProtesters
            } else if weight_of(&|t| {
                t.class == TriggerClass::Sub(SubEventType::ProtestWithIntervention)
            }) > 0
            {
                SubEventType::ProtestWithIntervention
            } else {
                SubEventType::PeacefulProtest
            };
            (EventType::Protests, sub)
        }
        Family::Riot => {
            let sub = if weight_of(&|t| t.class == TriggerClass::Sub(SubEventType::MobViolence)) > 0
            {
                SubEventType::MobViolence
            } else {
                SubEventType::ViolentDemonstration
            };
            (EventType::Riots, sub)
        }
        Family::Agreement => (EventType::StrategicDevelopments, SubEventType::Agreement),
        Family::Other => {
            let mut best = (0, SubEventType::Other);
            for sub in [
                SubEventType::DisruptedWeaponsUse,
                SubEventType::HeadquartersOrBaseEstablished,
                SubEventType::NonViolentTransferOfTerritory,
                SubEventType::ChangeToGroupActivity,
            ] {
                let w = weight_of(&|t| t.class == TriggerClass::Sub(sub));
                if w > best.0 {
                    best = (w, sub);
                }
            }
            (EventType::StrategicDevelopments, best.1)
        }
    }
}

/// The inputs of the assembler.
pub struct Input<'a, 'd> {
    pub doc: &'d Doc<'a>,
    pub sentences: &'d [SentenceAnnotations],
    pub places: &'d [PlaceRef],
    pub published: Option<Date>,
    pub config: &'d Config,
    /// A place for the whole country of the report, for aggregates with nothing finer.
    pub country_place: Option<Place>,
}

struct State {
    drafts: Vec<Draft>,
    current: Option<usize>,
    date: Option<DateRange>,
    /// The last sentence that added to each draft.
    touched: Vec<usize>,
    /// What each clause did, for `--explain`.
    log: Vec<Diagnostic>,
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

fn union(a: &DateRange, b: &DateRange) -> DateRange {
    match (a.bounds(), b.bounds()) {
        (Some((s1, e1)), Some((s2, e2))) => {
            let (s, e) = (s1.min(s2), e1.max(e2));
            if s == e {
                DateRange::day(s)
            } else {
                DateRange::between(s, e, DatePrecision::Range)
            }
        }
        (Some(_), None) => *a,
        _ => *b,
    }
}

/// Dates a unit may take from its sentence: not the dates of a speech ("told Reuters last week",
/// "On Tuesday, Assad told").
fn is_speech_date(doc: &Doc, s: usize, e: usize, d: &DateMention) -> bool {
    let (a, b) = d.toks;
    let is_verb = |k: usize| {
        doc.has(k, kinds::CLAIM_VERB)
            && !(k > s
                && matches!(
                    doc.norm(k - 1),
                    "the" | "a" | "an" | "these" | "those" | "this" | "its" | "their"
                ))
    };
    // The verb, then at most its object's name: "told the UK Guardian on Saturday".
    let verb_before = (a.saturating_sub(6).max(s)..a).any(|k| {
        is_verb(k)
            && (k + 1..a).all(|j| {
                doc.is_proper(j)
                    || matches!(
                        doc.norm(j),
                        "on" | "last" | "this" | "the" | "a" | "in" | "earlier" | "late" | "early"
                    )
            })
    });
    if verb_before {
        return true;
    }
    // "On Tuesday, Bashar al-Assad told ..."
    if a <= s + 1 && doc.toks.is_punct(b, ",") {
        return (b..(b + 8).min(e)).any(is_verb);
    }
    false
}

/// What one clause tells, before it is placed among the incidents.
struct ClauseInfo {
    clause: Clause,
    triggers: Vec<TriggerMention>,
    figures: Vec<FigureMention>,
    /// Fine places (settlement, district, admin2) of the clause, containing places dropped.
    local_places: Vec<Place>,
    /// Coarse places (admin1, region, country) of the clause.
    coarse: Vec<Place>,
    anaphoric: bool,
    /// The clause names a fine place where something happens (not a point of reference).
    strong_place: bool,
}

/// Assembles the mentions of a report.
pub fn assemble(input: &Input, diagnostics: &mut Vec<Diagnostic>) -> Vec<Mention> {
    let doc = input.doc;
    let mut state = State {
        drafts: Vec::new(),
        current: None,
        date: None,
        touched: Vec::new(),
        log: Vec::new(),
    };
    // Quotations that run over several sentences take the places of the sentence that closes
    // them (where the speaker is named: "explained a resident of Banias").
    let quote_places = quote_attribution_places(input);
    let habitual_sentence: Vec<bool> = doc
        .sentences
        .iter()
        .map(|s| (s.toks.start..s.toks.end).any(|k| doc.has(k, kinds::cue(Cue::Habitual))))
        .collect();

    for (si, sentence) in doc.sentences.iter().enumerate() {
        let ann = &input.sentences[si];
        let (s, e) = (sentence.toks.start, sentence.toks.end);
        if s >= e {
            continue;
        }
        let text = &doc.body[sentence.span.start..sentence.span.end];
        let headline = unterminated(text);
        // Page furniture: "Related: ...", "Photo courtesy of ...".
        if let Some(h) = doc.find_at(s, |w| matches!(w, What::Cue(Cue::Furniture)))
            && (doc.toks.is_punct(h.end(), ":")
                || matches!(doc.norm(h.end()), "courtesy" | "credit" | "by"))
        {
            diagnostics.push(Diagnostic::at(
                sentence.span,
                "furniture",
                "page furniture, not report text",
            ));
            continue;
        }
        let clause_list = clauses(doc, s, e);
        let dateline_end = input
            .places
            .iter()
            .find(|p| p.role == PlaceRole::Dateline && p.toks.0 == s)
            .map(|p| {
                (p.toks.1..(p.toks.1 + 12).min(e))
                    .find(|&k| doc.toks.is_punct(k, ")") || doc.norm(k) == "-")
                    .unwrap_or(p.toks.1 + 6)
            });
        let quiet = quiet_relatives(doc, s, e, &ann.triggers);
        let in_quiet = |k: usize| quiet.iter().any(|&(a, b)| a <= k && k < b);
        let dates: Vec<&DateMention> = ann
            .dates
            .iter()
            .filter(|d| {
                !is_speech_date(doc, s, e, d)
                    && dateline_end.is_none_or(|end| d.toks.1 > end)
                    && !in_quiet(d.toks.0)
            })
            .collect();
        let motive_at = (s..e).find(|&k| doc.has(k, kinds::cue(Cue::Motive)));
        let after_motive = |k: usize| motive_at.is_some_and(|m| m < k && k - m <= 25);
        // The main date of the sentence: the most specific one in a main clause.
        let main_date = dates
            .iter()
            .filter(|d| {
                clause_list
                    .iter()
                    .find(|c| c.start <= d.toks.0 && d.toks.0 < c.end)
                    .is_some_and(|c| {
                        matches!(
                            c.kind,
                            ClauseKind::Main | ClauseKind::Sub("when" | "while" | "as")
                        )
                    })
            })
            .filter(|d| d.range.is_known() && d.specificity() > 0 && !after_motive(d.toks.0))
            .max_by_key(|d| d.specificity())
            .copied();

        // First pass: what each clause tells and where.
        let mut infos: Vec<ClauseInfo> = Vec::new();
        let mut previous_clause_place: Option<Place> = None;
        for clause in &clause_list {
            let (cs, ce) = (clause.start, clause.end);
            let in_clause = |k: usize| cs <= k && k < ce;
            let triggers: Vec<TriggerMention> = ann
                .triggers
                .iter()
                .filter(|t| in_clause(t.toks.0))
                .filter(|t| {
                    if governed(doc, t.toks.0, cs, t.noun) || modal_far(doc, t.toks.0, cs) {
                        diagnostics.push(Diagnostic::at(
                            doc.span(t.toks.0, t.toks.1),
                            "denied_or_modal",
                            "trigger denied, conditional or planned",
                        ));
                        return false;
                    }
                    if after_motive(t.toks.0) {
                        diagnostics.push(Diagnostic::at(
                            doc.span(t.toks.0, t.toks.1),
                            "motive",
                            "trigger inside a stated motive",
                        ));
                        return false;
                    }
                    true
                })
                .copied()
                .collect();
            let figures: Vec<FigureMention> = ann
                .figures
                .iter()
                .filter(|f| in_clause(f.anchor))
                .cloned()
                .collect();
            let event_places: Vec<&PlaceRef> =
                clause_event_places(input, cs, ce, !triggers.is_empty())
                    .into_iter()
                    .filter(|p| !after_motive(p.toks.0) && !in_quiet(p.toks.0))
                    .collect();
            let strong_place = event_places
                .iter()
                .any(|p| p.role == PlaceRole::Event && !is_coarse(&p.place));
            let mut ordered = event_places.clone();
            ordered.sort_by_key(|p| (!p.named_as_place, !p.cued));
            let mut places: Vec<Place> = ordered.iter().map(|p| p.place.clone()).collect();
            if places.is_empty() && clause.kind == ClauseKind::Where {
                places.extend(
                    previous_clause_place
                        .clone()
                        .or_else(|| last_place_before(input, cs)),
                );
            }
            if places.is_empty()
                && let Some(qp) = quote_places.get(&si)
            {
                places.extend(qp.iter().cloned());
            }
            let coarse: Vec<Place> = places.iter().filter(|p| is_coarse(p)).cloned().collect();
            let mut local_places = reduce_places(places);
            // Several places make several incidents only when the clause lists them ("raided
            // Burj Qaae, Tsneen, and Hirbnafsah"); otherwise the best one is the place.
            if local_places.len() > 1 {
                let fine: Vec<&&PlaceRef> = event_places
                    .iter()
                    .filter(|p| !is_coarse(&p.place))
                    .collect();
                // Coordinated: a comma or "and" between each pair and no event word ("at an
                // airport in A, at the party offices in B, and at ... in C").
                let listed = fine.windows(2).all(|w| {
                    w[0].toks.1 <= w[1].toks.0
                        && (w[0].toks.1..w[1].toks.0)
                            .any(|k| matches!(doc.norm(k), "," | "and" | "or"))
                        && !(w[0].toks.1..w[1].toks.0).any(|k| doc.has(k, kinds::TRIGGER))
                });
                if !listed {
                    local_places.truncate(1);
                }
            }
            let mut anaphoric = false;
            if local_places.is_empty()
                && (!triggers.is_empty() || !figures.is_empty())
                && let Some(p) = ann
                    .anaphora
                    .iter()
                    .filter(|a| in_clause(a.toks.0))
                    .find_map(|a| resolve_anaphor(input, &state, a))
            {
                if is_coarse(&p) {
                    // "the region": as coarse as what it points to.
                } else {
                    local_places.push(p);
                    anaphoric = true;
                }
            }
            if let Some(p) = local_places.first() {
                previous_clause_place = Some(p.clone());
            } else if let Some(p) = event_places.first() {
                previous_clause_place = Some(p.place.clone());
            }
            infos.push(ClauseInfo {
                clause: clause.clone(),
                triggers,
                figures,
                local_places,
                coarse,
                anaphoric,
                strong_place,
            });
        }
        // A clause without a place of its own takes one named in another clause of the sentence
        // ("'I heard gunfire,' said X, before his family were shot dead in the town").
        let sentence_place = infos.iter().find_map(|i| i.local_places.first().cloned());
        // Whether a main clause of the sentence tells an event: then its subordinate clauses are
        // background ("X happened after Y"); else they are the news ("a boy lost his hand after
        // he picked up a bomb").
        let main_event = infos
            .iter()
            .any(|i| i.clause.kind == ClauseKind::Main && !i.triggers.is_empty());

        // Second pass: where each clause goes.
        for (ci, info) in infos.iter().enumerate() {
            let clause = &info.clause;
            let (cs, ce) = (clause.start, clause.end);
            let in_clause = |k: usize| cs <= k && k < ce;
            let triggers = &info.triggers;
            let figures = &info.figures;
            if triggers.is_empty() && figures.is_empty() {
                continue;
            }
            let sub = matches!(clause.kind, ClauseKind::Sub(_));
            let fronted = sub && cs <= s + 2;
            // Dates of this clause, or of the sentence.
            let own_date = dates
                .iter()
                .filter(|d| {
                    in_clause(d.toks.0)
                        && d.range.is_known()
                        && d.specificity() > 0
                        && !after_motive(d.toks.0)
                })
                .filter(|d| date_belongs(doc, d, triggers))
                // A date before the event's own noun ("a Saturday shooting that left a boy on
                // life support Monday", "Sunday's attack") dates the event, whatever else the
                // clause dates.
                .max_by_key(|d| (attributive(doc, d, triggers), d.specificity()))
                .copied();
            let relative = if fronted {
                None
            } else {
                // "one day after B": the mention ends with the word that opens B's clause.
                dates
                    .iter()
                    .filter(|_| sub)
                    .find(|d| {
                        d.toks.1 == cs + 1
                            || (d.toks.0 >= cs
                                && d.toks.1 <= ce
                                && matches!(d.kind, DateKind::RelativeEvent(0)))
                    })
                    .and_then(|d| match d.kind {
                        DateKind::RelativeEvent(n) => Some(n),
                        _ => None,
                    })
            };
            let streak = dates.iter().find_map(|d| match d.kind {
                DateKind::Streak(n) => Some(n),
                _ => None,
            });
            let habitual = habitual_sentence[si] && own_date.is_none_or(|d| d.specificity() < 3);
            if habitual && figures.is_empty() {
                diagnostics.push(Diagnostic::at(
                    doc.span(cs, ce),
                    "habitual",
                    "a habit, not a dated event",
                ));
                continue;
            }
            // What the clause says about its victims and targets.
            let civilians = figures.iter().any(|f| f.victims == Victims::Civilians)
                || (cs..ce).any(|k| {
                    doc.has(k, kinds::GROUP)
                        && doc
                            .find_at(k, |w| matches!(w, What::Group(Victims::Civilians)))
                            .is_some()
                })
                || (cs..ce).any(|k| {
                    matches!(
                        doc.norm(k),
                        "families" | "homes" | "residential" | "civilian" | "houses" | "villagers"
                    )
                });
            let armed_target = armed_target(doc, ann, cs, ce);
            // References to an incident already told ("the killings", "this wave").
            let reference = triggers
                .iter()
                .find(|t| t.noun && is_reference(doc, t.toks.0, cs))
                .copied();
            let reference_at_start = reference.is_some_and(|t| {
                t.toks.0 - cs <= 7
                    && (cs..t.toks.0)
                        .all(|k| !doc.is_proper(k) || doc.has(k, kinds::cue(Cue::RefDet)))
                    && triggers.first().is_some_and(|f| f.toks.0 == t.toks.0)
            });
            // A clause whose first trigger points back takes that incident's kind ("the March 7
            // killings, triggered by an ambush attack, ...").
            let reference_first =
                reference.is_some_and(|t| triggers.first().is_some_and(|f| f.toks.0 == t.toks.0));
            let family = if triggers.is_empty() {
                None
            } else if reference_at_start || (reference_first && !triggers.iter().any(|t| t.weapon))
            {
                reference.map(|t| family_of(&[t], civilians, false))
            } else {
                Some(family_of(triggers, civilians, armed_target))
            };
            let wave = (cs..ce).any(|k| doc.has(k, kinds::cue(Cue::Aggregate)))
                || reference.is_some_and(|t| t.plural && t.class == TriggerClass::Killing);
            let similar = (s..ce).any(|k| doc.has(k, kinds::cue(Cue::Similar)));
            let another = (cs..ce).any(|k| doc.has(k, kinds::cue(Cue::Another)));
            let historical_cue = triggers.iter().any(|t| {
                (t.toks.0.saturating_sub(4).max(cs)..t.toks.0)
                    .any(|k| doc.has(k, kinds::cue(Cue::Historical)))
            });

            // The clause's date.
            let shares_main = !matches!(
                clause.kind,
                ClauseKind::Sub(
                    "after"
                        | "before"
                        | "because"
                        | "since"
                        | "until"
                        | "although"
                        | "though"
                        | "once"
                )
            );
            let mut date = own_date.map(|d| d.range).or_else(|| {
                if shares_main {
                    main_date.map(|d| d.range)
                } else {
                    None
                }
            });
            let mut date_explicit = own_date.map_or(
                date.is_some() && main_date.is_some_and(|d| d.specificity() >= 2),
                |d| d.specificity() >= 2,
            );
            if let Some(n) = relative {
                // "A comes one day after B": B's clause is dated from A's.
                let base = main_date.map(|d| d.range).or(state.date);
                if let Some(base) = base
                    && let Some((b0, b1)) = base.bounds()
                {
                    let shift = if sub { -(n as i64) } else { n as i64 };
                    let (x, y) = (add_days(b0, shift), add_days(b1, shift));
                    date = Some(if x == y {
                        DateRange::day(x)
                    } else {
                        DateRange::between(x, y, DatePrecision::Range)
                    });
                    date_explicit = true;
                }
            }
            if let (Some(n), Some(d)) = (streak, date)
                && let Some((_, b1)) = d.bounds()
                && n > 1
            {
                date = Some(DateRange::between(
                    add_days(b1, -(n as i64 - 1)),
                    b1,
                    DatePrecision::Range,
                ));
            }
            let date_value = date.or(state.date).unwrap_or_default();

            let mut local_places = info.local_places.clone();
            if local_places.is_empty()
                && info.coarse.is_empty()
                && matches!(
                    clause.kind,
                    ClauseKind::Main | ClauseKind::Sub("when" | "while" | "as")
                )
                && let Some(p) = &sentence_place
            {
                local_places.push(p.clone());
            }
            let unit = Unit {
                sentence: si,
                start: cs,
                end: ce,
                triggers: triggers.clone(),
                figures: figures.clone(),
                family,
                date: date_value,
                date_explicit,
                civilians,
                armed_target,
                claimant: ann.claimant.clone(),
                headline,
                historical_cue,
                coarse: info.coarse.clone(),
            };

            let has_figure = !figures.is_empty();
            let large_figure = figures.iter().any(|f| {
                f.kind == FigureKind::Killed
                    && (f.best().unwrap_or(0) >= 50
                        || f.qualifier == Qualifier::Vague && f.low.unwrap_or(0) >= 20)
            });
            let only_generic = family == Some(Family::Generic);
            let weak_only = !triggers.is_empty() && triggers.iter().all(|t| t.weight == 0);
            let plural_nouns = !triggers.is_empty() && triggers.iter().all(|t| t.noun && t.plural);
            let perfect = present_perfect(doc, cs, ce);
            let named_place = !info.local_places.is_empty() && !info.anaphoric;
            let placeless = info.local_places.is_empty() && info.coarse.is_empty();
            let vague_statement = plural_nouns
                && !has_figure
                && !date_explicit
                && (perfect || (reference.is_none() && placeless));
            let _ = named_place;
            let calendar_date = own_date.is_some_and(|d| d.specificity() >= 2);
            // A singular reference ("the attack") adds to an incident told, unless it names a
            // place of its own where violence happened ("the murder of X ... in Santa Ana").
            let singular_reference =
                reference.is_some_and(|t| !(t.plural && family.is_some_and(Family::violent)));
            let new_violent_place =
                info.strong_place && family.is_some_and(|f| f.violent() && f != Family::Generic);
            let elaboration_only = (sub && main_event && !has_figure && !date_explicit)
                || weak_only
                || (singular_reference && !(calendar_date || has_figure || new_violent_place))
                || (triggers.is_empty() && !has_figure);
            let recent = |i: usize| state.touched.get(i).is_some_and(|&t| t + 4 >= si);
            let aggregate_target = |state: &State, fam: Family| {
                state
                    .drafts
                    .iter()
                    .rposition(|d| !d.dropped && d.aggregate && d.family.fits(fam))
            };

            // An incident told first without a place ("26 people were injured in a bomb
            // explosion") takes the place of the next clause that points back to it ("The bomb
            // was placed in a dance hall in Ayacucho").
            let pending = state
                .drafts
                .iter()
                .rposition(|d| !d.dropped && d.place.is_none() && !d.aggregate)
                .filter(|&i| {
                    recent(i)
                        && state.touched.get(i).is_some_and(|&t| t + 2 >= si)
                        && family.is_none_or(|f| {
                            state.drafts[i].family.fits(f)
                                || (f.violent() && state.drafts[i].family.violent())
                        })
                });
            let mut used = false;
            // "The killings occurred in ...": a clause about the wave already told.
            let points_to_wave = reference_at_start
                && wave
                && family.is_some_and(|f| aggregate_target(&state, f).is_some());
            let continues_pending = pending.is_some_and(|i| {
                let d = &state.drafts[i];
                let own_toll = figures
                    .iter()
                    .any(|f| d.figures.iter().any(|(g, _)| g.kind == f.kind));
                !another
                    && !own_toll
                    && (reference.is_some()
                        || info.anaphoric
                        || triggers.is_empty()
                        || (family.is_some_and(|f| {
                            d.family.fits(f) || (f.violent() && d.family.violent())
                        }) && dates_fit(d, &unit)))
            });
            if let Some(i) = pending
                && continues_pending
                && let Some(place) = local_places
                    .first()
                    .or(info.coarse.iter().min_by_key(|p| p.precision.rank()))
            {
                let place = place.clone();
                merge(&mut state, i, &unit, Some(&place), input, ann);
                used = true;
            } else if !local_places.is_empty() && !points_to_wave {
                if vague_statement {
                    diagnostics.push(Diagnostic::at(
                        doc.span(cs, ce),
                        "vague",
                        "a generic statement about events, not one incident",
                    ));
                    continue;
                }
                for place in &local_places {
                    let similar_family = if similar {
                        state.current.map(|c| state.drafts[c].family)
                    } else {
                        None
                    };
                    let fam = similar_family.or(family);
                    if let Some(i) = find_match(&state, place, fam, &unit)
                        .filter(|_| !another || elaboration_only)
                    {
                        // An elaboration that names a finer place inside the incident's ("the
                        // clash took place near Tecoluca" after "clashes in San Vicente
                        // Department") refines it.
                        let refines = state.drafts[i].place.as_ref().is_some_and(|c| {
                            place.precision.rank() < c.place.precision.rank()
                                && within(place, &c.place)
                        });
                        merge(
                            &mut state,
                            i,
                            &unit,
                            (!elaboration_only || refines).then_some(place),
                            input,
                            ann,
                        );
                        used = true;
                    } else if !elaboration_only
                        || (similar_family.is_some() && !triggers.is_empty())
                    {
                        let fam = fam.unwrap_or(Family::Vac);
                        create(
                            &mut state,
                            fam,
                            &unit,
                            Some(place.clone()),
                            false,
                            input,
                            ann,
                        );
                        used = true;
                    } else if let Some(i) = state.drafts.iter().rposition(|d| {
                        !d.dropped
                            && !d.aggregate
                            && d.place.as_ref().is_some_and(|p| {
                                same_place(place, &p.place)
                                    || within(place, &p.place)
                                    || within(&p.place, place)
                            })
                    }) {
                        let refines = state.drafts[i].place.as_ref().is_some_and(|c| {
                            place.precision.rank() < c.place.precision.rank()
                                && within(place, &c.place)
                        });
                        merge(&mut state, i, &unit, refines.then_some(place), input, ann);
                        used = true;
                    }
                }
            } else {
                // No local place: an elaboration of an incident told, or an aggregate.
                let violent = family.is_none_or(Family::violent);
                let effective = own_date.or(if shares_main { main_date } else { None });
                let plural_dated = plural_nouns
                    && effective.is_some_and(|d| d.specificity() >= 3)
                    && reference.is_none()
                    && !weak_only
                    && violent;
                let aggregate_clause = violent
                    && (large_figure
                        || (wave && (has_figure || date_explicit) && !only_generic)
                        || plural_dated
                        || (!info.coarse.is_empty()
                            && has_figure
                            && figures.iter().any(|f| f.best().unwrap_or(0) >= 10)));
                let date_ok = |i: usize| {
                    !calendar_date
                        || !state.drafts[i].date.is_known()
                        || state.drafts[i].date.overlaps(&unit.date, 1)
                };
                let current_within = state.current.filter(|&c| {
                    let d = &state.drafts[c];
                    date_ok(c)
                        && !d.aggregate
                        && recent(c)
                        && family.is_none_or(|f| d.family.fits(f))
                        && d.place.as_ref().is_some_and(|p| {
                            info.coarse
                                .iter()
                                .any(|q| within(&p.place, q) || p.place.distance_km(q) < 60.0)
                        })
                });
                let fam = family.unwrap_or(Family::Vac);
                let wave_target = if reference.is_some() && wave {
                    aggregate_target(&state, fam)
                } else {
                    None
                };
                if let Some(i) = wave_target {
                    merge(&mut state, i, &unit, None, input, ann);
                    used = true;
                } else if let Some(c) = current_within.filter(|_| !aggregate_clause) {
                    merge(&mut state, c, &unit, None, input, ann);
                    used = true;
                } else if aggregate_clause
                    && (aggregate_target(&state, fam).is_some() || !elaboration_only)
                {
                    match aggregate_target(&state, fam) {
                        Some(i) => merge(&mut state, i, &unit, None, input, ann),
                        None => create(
                            &mut state,
                            if fam == Family::Generic {
                                Family::Vac
                            } else {
                                fam
                            },
                            &unit,
                            None,
                            true,
                            input,
                            ann,
                        ),
                    }
                    used = true;
                } else if vague_statement {
                    diagnostics.push(Diagnostic::at(
                        doc.span(cs, ce),
                        "vague",
                        "a generic statement about events, not one incident",
                    ));
                } else if let Some(c) = state.current
                    && recent(c)
                    && date_ok(c)
                    && (family.is_none_or(|f| state.drafts[c].family.fits(f))
                        || reference.is_some())
                {
                    merge(&mut state, c, &unit, None, input, ann);
                    used = true;
                } else if let Some(c) = state.current
                    && recent(c)
                    && calendar_date
                    && !elaboration_only
                    && !vague_statement
                    && !state.drafts[c].aggregate
                    && let Some(p) = state.drafts[c].place.as_ref().map(|p| p.place.clone())
                {
                    // Another day at the place the report is about ("On 7 December 1987,
                    // Professor X was riddled with bullets"): a new incident there.
                    create(
                        &mut state,
                        family.unwrap_or(Family::Vac),
                        &unit,
                        Some(p),
                        false,
                        input,
                        ann,
                    );
                    used = true;
                } else if has_figure
                    && let Some(i) = state
                        .drafts
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(i, d)| {
                            !d.dropped && family.is_none_or(|f| d.family.fits(f)) && date_ok(*i)
                        })
                        .map(|(i, _)| i)
                {
                    merge(&mut state, i, &unit, None, input, ann);
                    used = true;
                } else if !info.coarse.is_empty()
                    && !elaboration_only
                    && !vague_statement
                    && violent
                {
                    // "Clashes erupted in Idlib province": an incident known only to a province.
                    let place = info
                        .coarse
                        .iter()
                        .min_by_key(|p| p.precision.rank())
                        .cloned();
                    create(
                        &mut state,
                        if fam == Family::Generic {
                            Family::Vac
                        } else {
                            fam
                        },
                        &unit,
                        place,
                        false,
                        input,
                        ann,
                    );
                    used = true;
                } else if !elaboration_only
                    && !vague_statement
                    && violent
                    && (has_figure || calendar_date)
                    && !headline
                {
                    // Told without a place: kept until a later clause gives one.
                    create(&mut state, fam, &unit, None, false, input, ann);
                    used = true;
                } else {
                    diagnostics.push(Diagnostic::at(
                        doc.span(cs, ce),
                        "no_place",
                        "an event without a place of its own",
                    ));
                }
            }
            let _ = ci;
            if used
                && !elaboration_only
                && (date_explicit || state.date.is_none())
                && unit.date.is_known()
                && !historical_cue
                && let Some((_, end)) = unit.date.bounds()
                && input.published.is_none_or(|p| {
                    end >= add_days(p, -(input.config.historical_after_days as i64))
                })
            {
                state.date = Some(unit.date);
            }
        }
    }
    diagnostics.append(&mut state.log);
    finish(input, state, diagnostics)
}

/// Whether a date of the clause dates its event: no other trigger of another kind stands
/// nearer to it ("the bombardment of Waer ... since the signing of the ceasefire in December").
/// A date used as an adjective of a trigger: "a Saturday shooting", "Sunday's attack", "the
/// weekend killings".
fn attributive(doc: &Doc, d: &DateMention, triggers: &[TriggerMention]) -> bool {
    let b = d.toks.1;
    let at = if doc.norm(b) == "'s" { b + 1 } else { b };
    triggers.iter().any(|t| t.toks.0 == at)
}

fn date_belongs(doc: &Doc, d: &DateMention, triggers: &[TriggerMention]) -> bool {
    let Some(first) = triggers.first() else {
        return true;
    };
    let distance = |t: &TriggerMention| {
        if t.toks.0 >= d.toks.1 {
            t.toks.0 - d.toks.1
        } else {
            d.toks.0.saturating_sub(t.toks.1)
        }
    };
    let nearest = triggers
        .iter()
        .min_by_key(|t| distance(t))
        .expect("one trigger");
    let _ = doc;
    let kind = |t: &TriggerMention| {
        t.weapon
            || matches!(
                t.class,
                TriggerClass::Killing | TriggerClass::Attack | TriggerClass::Bombing
            )
    };
    kind(nearest) == kind(first) || nearest.class == first.class
}

/// A modal or negation further back in the clause ("We will not allow for sedition or the
/// targeting of").
fn modal_far(doc: &Doc, t: usize, floor: usize) -> bool {
    let lo = t.saturating_sub(10).max(floor);
    if (lo..t).any(|k| doc.is_punct(k) && matches!(doc.norm(k), "," | ";" | ":" | "." | "?" | "!"))
    {
        let last = (lo..t)
            .rev()
            .find(|&k| doc.is_punct(k) && matches!(doc.norm(k), "," | ";" | ":" | "." | "?" | "!"));
        return last.is_some_and(|p| far_modal_in(doc, p + 1, t));
    }
    far_modal_in(doc, lo, t)
}

fn far_modal_in(doc: &Doc, lo: usize, t: usize) -> bool {
    (lo..t).any(|k| {
        doc.has(k, kinds::cue(Cue::Negation) | kinds::cue(Cue::Modal))
            && doc
                .find_at(k, |w| matches!(w, What::Cue(Cue::Negation | Cue::Modal)))
                .is_some_and(|h| {
                    h.end() <= t
                        && !crate::figures::number_sign(doc, k)
                        && (h.len >= 2
                            || matches!(
                                doc.norm(k),
                                "will"
                                    | "would"
                                    | "could"
                                    | "might"
                                    | "not"
                                    | "never"
                                    | "no"
                                    | "calling"
                                    | "condemn"
                                    | "allow"
                                    | "any"
                                    | "if"
                                    | "unless"
                            ))
                })
    })
}

/// "has seen sectarian massacres", "has been subjected to massacres": present perfect.
fn present_perfect(doc: &Doc, s: usize, e: usize) -> bool {
    (s..e.saturating_sub(1)).any(|k| {
        matches!(doc.norm(k), "has" | "have")
            && (doc.norm(k + 1) == "been"
                || doc.norm(k + 1).ends_with("ed")
                || matches!(doc.norm(k + 1), "seen" | "known" | "suffered"))
    })
}

/// A trigger noun after a determiner that points back ("the killings", "this wave of", "the
/// regime's three-day bombardment").
fn is_reference(doc: &Doc, t: usize, floor: usize) -> bool {
    let mut k = t;
    let mut steps = 0;
    while k > floor && steps < 4 {
        k -= 1;
        steps += 1;
        if doc
            .find_at(k, |w| matches!(w, What::Cue(Cue::RefDet)))
            .is_some_and(|h| h.end() <= t)
        {
            return doc.norm(k) != "a";
        }
        if doc.norm(k) == "'s" {
            continue;
        }
        if doc.is_punct(k) && !matches!(doc.norm(k), "-" | "\"") {
            return false;
        }
        if doc.has(k, kinds::TRIGGER) && k + 1 < t {
            continue;
        }
    }
    false
}

/// Whether the clause's attack falls on armed people ("attacks on positions of the security
/// forces", "an ambush on a patrol").
fn armed_target(doc: &Doc, ann: &SentenceAnnotations, s: usize, e: usize) -> bool {
    // The nouns of armed targets (a match on the word, compiled to a test by length).
    let armed_noun = |w: &str| {
        matches!(
            w,
            "positions"
                | "position"
                | "checkpoint"
                | "checkpoints"
                | "patrol"
                | "patrols"
                | "base"
                | "bases"
                | "barracks"
                | "convoy"
                | "outpost"
                | "outposts"
                | "post"
                | "posts"
                | "garrison"
                | "headquarters"
                | "troops"
                | "soldiers"
                | "forces"
        )
    };
    let target_actor = ann.actors.iter().any(|a| {
        a.toks.0 > s
            && a.toks.0 < e
            && matches!(
                doc.norm(a.toks.0 - 1),
                "on" | "against" | "at" | "targeting" | "of"
            )
            && matches!(
                a.kind,
                ActorKind::StateForces
                    | ActorKind::RebelGroup
                    | ActorKind::PoliticalMilitia
                    | ActorKind::ForeignForces
            )
    });
    target_actor
        || (s..e).any(|k| {
            armed_noun(doc.norm(k))
                && k > s
                && (k.saturating_sub(4)..k).any(|j| matches!(doc.norm(j), "on" | "against" | "at"))
        })
}

struct Unit {
    sentence: usize,
    start: usize,
    end: usize,
    triggers: Vec<TriggerMention>,
    figures: Vec<FigureMention>,
    family: Option<Family>,
    date: DateRange,
    date_explicit: bool,
    civilians: bool,
    armed_target: bool,
    claimant: Option<ClaimantMention>,
    headline: bool,
    historical_cue: bool,
    coarse: Vec<Place>,
}

/// The event places of tokens `s..e`: not parts of names, not someone's home or office; points
/// of reference ("near X") only for a clause that tells an event.
fn clause_event_places<'p>(
    input: &'p Input,
    s: usize,
    e: usize,
    has_trigger: bool,
) -> Vec<&'p PlaceRef> {
    let inside: Vec<&PlaceRef> = input
        .places
        .iter()
        .filter(|p| s <= p.toks.0 && p.toks.0 < e && !p.modifier)
        .collect();
    let events: Vec<&PlaceRef> = inside
        .iter()
        .copied()
        .filter(|p| p.role == PlaceRole::Event)
        .collect();
    if !events.is_empty() || !has_trigger {
        return events;
    }
    inside
        .into_iter()
        .filter(|p| p.role == PlaceRole::Reference)
        .collect()
}

/// The place a clause that names none ("in the regions inhabited by ...") most likely means:
/// the last place named before it in the report's text. Headlines and photo captions (lines
/// without a closing stop: "Security forces deploy in Latakia, Syria") and places said not to
/// be where something happened ("cities such as X") do not count: they are not the narrative.
fn last_place_before(input: &Input, k: usize) -> Option<Place> {
    let doc = input.doc;
    input
        .places
        .iter()
        .rev()
        .find(|p| {
            p.toks.0 < k
                && !p.modifier
                && !matches!(p.role, PlaceRole::Dateline | PlaceRole::NotEvent)
                && !in_headline(doc, p.toks.0)
        })
        .map(|p| p.place.clone())
}

/// Token `t` is in a line without a closing stop (a headline, a caption).
fn in_headline(doc: &Doc, t: usize) -> bool {
    let sentence = &doc.sentences[doc.sentence_of(t)];
    unterminated(&doc.body[sentence.span.start..sentence.span.end])
}

/// A sentence without a closing stop: a headline, a caption or a line of page furniture.
fn unterminated(text: &str) -> bool {
    !text
        .trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', '\'', ':'])
}

/// Drops places that contain another place of the list ("Al-Qusour in the city of Baniyas",
/// "a-Zahraa district of Homs city"); country names go when anything finer is named.
fn reduce_places(places: Vec<Place>) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::new();
    for p in &places {
        if is_coarse(p) {
            continue;
        }
        let contains_other = places.iter().any(|q| {
            !std::ptr::eq(p, q) && q.precision.rank() < p.precision.rank() && within(q, p)
        });
        if contains_other {
            continue;
        }
        if !out.iter().any(|q| same_place(p, q)) {
            out.push(p.clone());
        }
    }
    out
}

fn resolve_anaphor(input: &Input, state: &State, a: &Anaphor) -> Option<Place> {
    let doc = input.doc;
    let sentence = doc.sentence_of(a.toks.0);
    let s = doc.sentences[sentence].toks.start;
    // A place named earlier in the same sentence.
    if let Some(p) = input.places.iter().rev().find(|p| {
        p.toks.0 >= s
            && p.toks.0 < a.toks.0
            && !p.modifier
            && p.role != PlaceRole::Dateline
            && anaphor_accepts(doc, a.noun, p.precision())
    }) {
        return Some(p.place.clone());
    }
    // The place of the current incident.
    if let Some(c) = state.current
        && let Some(p) = &state.drafts[c].place
        && anaphor_accepts(doc, a.noun, p.place.precision)
        && !state.drafts[c].aggregate
    {
        return Some(p.place.clone());
    }
    // The nearest place named before, within a few sentences, in the narrative (not in a
    // caption or headline between paragraphs).
    let floor = doc.sentences[sentence.saturating_sub(6)].toks.start;
    input
        .places
        .iter()
        .rev()
        .find(|p| {
            p.toks.0 >= floor
                && p.toks.0 < a.toks.0
                && !p.modifier
                && !matches!(p.role, PlaceRole::NotEvent | PlaceRole::Dateline)
                && anaphor_accepts(doc, a.noun, p.precision())
                && !in_headline(doc, p.toks.0)
        })
        .map(|p| p.place.clone())
}

/// For each sentence inside a quotation that closes later in the paragraph, the event places of
/// the sentence where it closes.
fn quote_attribution_places(input: &Input) -> BTreeMap<usize, Vec<Place>> {
    let doc = input.doc;
    let mut out = BTreeMap::new();
    for (si, sentence) in doc.sentences.iter().enumerate() {
        let (s, e) = (sentence.toks.start, sentence.toks.end);
        let quoted = (s..e)
            .filter(|&k| doc.is_word(k))
            .take(3)
            .all(|k| doc.in_quote.get(k).copied().unwrap_or(false))
            && (s..e).any(|k| doc.is_word(k));
        if !quoted {
            continue;
        }
        // The sentence where the quotation closes, in the same paragraph.
        let mut sj = si;
        while sj < doc.sentences.len() && doc.sentences[sj].paragraph == sentence.paragraph {
            let t = &doc.sentences[sj].toks;
            if (t.start..t.end).any(|k| doc.is_word(k) && !doc.in_quote[k]) {
                break;
            }
            sj += 1;
        }
        if sj >= doc.sentences.len() || doc.sentences[sj].paragraph != sentence.paragraph {
            continue;
        }
        let t = &doc.sentences[sj].toks;
        let places: Vec<Place> = input
            .places
            .iter()
            .filter(|p| {
                p.toks.0 >= t.start
                    && p.toks.0 < t.end
                    && !doc.in_quote[p.toks.0]
                    && !p.modifier
                    && matches!(p.role, PlaceRole::Event | PlaceRole::Reference)
            })
            .map(|p| p.place.clone())
            .collect();
        if !places.is_empty() && sj != si {
            out.insert(si, places);
        }
    }
    out
}

fn dates_fit(d: &Draft, unit: &Unit) -> bool {
    if !unit.date_explicit || !d.date.is_known() {
        return !d.date.is_known() || !unit.date.is_known() || d.date.overlaps(&unit.date, 1);
    }
    if !d.date_explicit {
        return d.date.overlaps(&unit.date, 1);
    }
    d.date == unit.date
}

fn find_match(state: &State, place: &Place, family: Option<Family>, unit: &Unit) -> Option<usize> {
    state.drafts.iter().enumerate().rev().find_map(|(i, d)| {
        if d.dropped || d.aggregate {
            return None;
        }
        let p = d.place.as_ref()?;
        let here = same_place(place, &p.place)
            || (within(place, &p.place)
                && p.place.precision.rank() <= PlacePrecision::Settlement.rank() + 1)
            || within(&p.place, place)
                && place.precision.rank() <= PlacePrecision::Settlement.rank();
        let fam_ok = family.is_none_or(|f| d.family.fits(f));
        (here && fam_ok && dates_fit(d, unit)).then_some(i)
    })
}

fn create(
    state: &mut State,
    family: Family,
    unit: &Unit,
    place: Option<Place>,
    aggregate: bool,
    input: &Input,
    ann: &SentenceAnnotations,
) {
    let d = Draft {
        family,
        triggers: Vec::new(),
        place: place.map(|p| PlaceChoice { place: p }),
        date: DateRange::unknown(),
        date_explicit: false,
        figures: Vec::new(),
        actors: Vec::new(),
        identities: Vec::new(),
        victims_civilian: false,
        victims_combatant: false,
        sentences: Vec::new(),
        aggregate,
        historical_cue: false,
        weak: unit.headline,
        coarse_places: Vec::new(),
        dropped: false,
    };
    state.drafts.push(d);
    let i = state.drafts.len() - 1;
    let doc = input.doc;
    let message = format!(
        "draft {i}: new {}{:?} incident at {}",
        if aggregate { "aggregate " } else { "" },
        family,
        state.drafts[i]
            .place
            .as_ref()
            .map_or("no place", |p| p.place.name.as_str())
    );
    state.log.push(Diagnostic {
        span: Some(doc.span(unit.start, unit.end)),
        code: "created",
        message,
    });
    merge(state, i, unit, None, input, ann);
}

fn merge(
    state: &mut State,
    i: usize,
    unit: &Unit,
    place: Option<&Place>,
    input: &Input,
    ann: &SentenceAnnotations,
) {
    let doc = input.doc;
    state.log.push(Diagnostic {
        span: Some(doc.span(unit.start, unit.end)),
        code: "added",
        message: format!("draft {i}: clause added"),
    });
    let d = &mut state.drafts[i];
    if let Some(f) = unit.family {
        // A means of remote violence named later decides over a kind only inferred from a
        // target ("attacks at ... military installations" then "a bomb exploded there").
        let explicit_battle = d.triggers.iter().any(|t| {
            matches!(
                t.class,
                TriggerClass::Sub(SubEventType::ArmedClash) | TriggerClass::Territory
            )
        });
        d.family = match (d.family, f) {
            (Family::Generic, other) => other,
            (mine, Family::Generic) => mine,
            (Family::Vac, Family::Explosion) => Family::Explosion,
            (Family::Battle, Family::Explosion) if !explicit_battle => Family::Explosion,
            (mine, _) => mine,
        };
    }
    // A finer place inside the draft's place refines it ("Homs city" -> "Waer").
    if let Some(p) = place {
        match &d.place {
            None => d.place = Some(PlaceChoice { place: p.clone() }),
            Some(cur)
                if p.precision.rank() < cur.place.precision.rank() && within(p, &cur.place) =>
            {
                d.place = Some(PlaceChoice { place: p.clone() });
            }
            _ => {}
        }
    }
    d.coarse_places.extend(unit.coarse.iter().cloned());
    if unit.date.is_known() {
        if unit.date_explicit && !d.date_explicit {
            d.date = unit.date;
            d.date_explicit = true;
        } else if unit.date_explicit && d.aggregate && d.date.overlaps(&unit.date, 3) {
            d.date = union(&d.date, &unit.date);
        } else if !d.date.is_known() {
            d.date = unit.date;
        }
    }
    d.triggers.extend(unit.triggers.iter().copied());
    d.historical_cue |= unit.historical_cue;
    d.weak &= unit.headline;
    d.victims_civilian |= unit.civilians;
    d.victims_combatant |= unit
        .figures
        .iter()
        .any(|f| f.victims == Victims::Combatants)
        || (unit.armed_target && !unit.civilians);
    for f in &unit.figures {
        d.figures.push((f.clone(), unit.claimant.clone()));
    }
    if !d.sentences.contains(&unit.sentence) {
        d.sentences.push(unit.sentence);
    }
    // Actors of the clause, with their roles.
    let claimant_toks = unit.claimant.as_ref().map(|c| c.toks);
    let first_trigger = unit.triggers.iter().map(|t| t.toks.0).min();
    for a in ann
        .actors
        .iter()
        .filter(|a| unit.start <= a.toks.0 && a.toks.0 < unit.end)
    {
        if claimant_toks.is_some_and(|(x, y)| x <= a.toks.0 && a.toks.1 <= y) {
            continue;
        }
        // People counted by a figure are victims, not actors ("police officers were killed").
        if unit
            .figures
            .iter()
            .any(|f| f.start <= a.toks.0 && a.toks.1 <= f.end.max(f.predicate + 1))
            && a.generic
        {
            continue;
        }
        let prev = if a.toks.0 > 0 {
            doc.norm(a.toks.0 - 1)
        } else {
            ""
        };
        // "how many regime forces and civilians were killed": the subject of a passive
        // casualty verb suffered it; "the armed factions were able to", "gunmen stormed": the
        // subject of an active verb or of a trigger did it, wherever the clause's first
        // trigger stands.
        let after = a.toks.1;
        // Every trigger of the sentence: a negated or doubted one ("unclear how many ... were
        // killed") still tells who suffered what.
        let trigger_at = |k: usize| ann.triggers.iter().any(|t| t.toks.0 == k);
        let auxiliary = |k: usize| matches!(doc.norm(k), "were" | "was" | "been" | "being");
        let passive = (after..(after + 5).min(unit.end))
            .find(|&k| trigger_at(k) || (auxiliary(k) && trigger_at(k + 1)))
            .is_some_and(auxiliary);
        // "the regime's inability to protect": an owner of something other than the event
        // takes no part in it ("the regime's bombardment" does).
        if doc.norm(after) == "'s" && !trigger_at(after + 1) {
            continue;
        }
        let subject = trigger_at(after)
            || matches!(
                (doc.norm(after), doc.norm(after + 1)),
                ("were" | "was", "able")
                    | (
                        "managed" | "carried" | "launched" | "stormed" | "seized" | "took",
                        _
                    )
            );
        let role = if passive && !a.aircraft {
            ActorRole::Target
        } else if matches!(prev, "by" | "from") || a.aircraft {
            ActorRole::Perpetrator
        } else if matches!(prev, "on" | "against" | "targeting" | "with") {
            ActorRole::Target
        } else if subject || first_trigger.is_none_or(|t| a.toks.0 < t) {
            ActorRole::Perpetrator
        } else {
            ActorRole::Target
        };
        let claimant = unit.claimant.as_ref().map(|c| c.name.clone());
        if !d
            .actors
            .iter()
            .any(|(x, r, _)| x.name == a.name && x.mention == a.mention && *r == role)
        {
            d.actors.push((a.clone(), role, claimant));
        }
    }
    for id in ann
        .identities
        .iter()
        .filter(|m| unit.start <= m.toks.0 && m.toks.0 < unit.end)
    {
        if victim_identity(doc, id) && !d.identities.contains(&id.name) {
            d.identities.push(id.name.clone());
        }
    }
    state.current = Some(i);
    if state.touched.len() < state.drafts.len() {
        state.touched.resize(state.drafts.len(), 0);
    }
    state.touched[i] = unit.sentence;
}

/// An identity names the victims when it qualifies people or places attacked ("Alawite
/// civilians", "a majority Alawite village", "killings of Alawites"), not an actor ("Sunni
/// Islamist-led government", "Druze militias").
fn victim_identity(doc: &Doc, m: &IdentityMention) -> bool {
    let next = m.toks.1;
    let prev = if m.toks.0 > 0 {
        doc.norm(m.toks.0 - 1)
    } else {
        ""
    };
    // "Alawite civilians", "majority Alawite village", "the Alawite community".
    let qualifies_victims = doc.has(
        next,
        kinds::GROUP | kinds::KIN | kinds::cue(Cue::AnaphorNoun),
    ) || matches!(
        doc.norm(next),
        "community"
            | "communities"
            | "population"
            | "sect"
            | "minority"
            | "minorities"
            | "civilians"
            | "villagers"
            | "families"
            | "heartland"
            | "region"
            | "regions"
            | "areas"
            | "area"
            | "neighbourhood"
            | "neighborhood"
            | "village"
            | "villages"
            | "town"
            | "towns"
            | "victims"
            | "worshippers"
            | "pilgrims"
            | "refugees"
    );
    // "killings of Alawites", "massacre of Alawites", "revenge killings against Alawites".
    let object = matches!(
        prev,
        "of" | "against" | "targeting" | "killing" | "killed" | "murdering" | "targeted"
    );
    qualifies_victims || object
}

/// Turns the drafts into mentions: figures, actors, type, date, place, historical, evidence.
fn finish(input: &Input, mut state: State, diagnostics: &mut Vec<Diagnostic>) -> Vec<Mention> {
    let doc = input.doc;
    // Headline-only drafts fold into the first body incident they fit.
    for i in 0..state.drafts.len() {
        if !state.drafts[i].weak || state.drafts[i].dropped {
            continue;
        }
        let fam = state.drafts[i].family;
        let place = state.drafts[i].place.clone();
        let agg = state.drafts[i].aggregate;
        let target = state.drafts.iter().enumerate().position(|(j, d)| {
            j != i
                && !d.weak
                && !d.dropped
                && d.family.fits(fam)
                && d.aggregate == agg
                && match (&place, &d.place) {
                    (Some(a), Some(b)) => a.place.distance_km(&b.place) <= 30.0,
                    _ => true,
                }
        });
        if let Some(j) = target {
            let w = state.drafts[i].clone();
            let d = &mut state.drafts[j];
            d.triggers.extend(w.triggers);
            d.figures.extend(w.figures);
            for a in w.actors {
                if !d
                    .actors
                    .iter()
                    .any(|(x, r, _)| x.name == a.0.name && *r == a.1)
                {
                    d.actors.push(a);
                }
            }
            for id in w.identities {
                if !d.identities.contains(&id) {
                    d.identities.push(id);
                }
            }
            d.sentences.extend(w.sentences);
            d.victims_civilian |= w.victims_civilian;
            state.drafts[i].dropped = true;
        }
    }
    // The document's dominant victim identity, for incidents that name none.
    let mut identity_counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in state.drafts.iter().filter(|d| !d.dropped) {
        for id in &d.identities {
            *identity_counts.entry(id.clone()).or_default() += 1;
        }
    }
    let dominant = identity_counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .filter(|(_, n)| **n >= 2)
        .map(|(k, _)| k.clone());

    // Aggregates: their region and their days.
    let local: Vec<(Place, DateRange, Family)> = state
        .drafts
        .iter()
        .filter(|d| !d.dropped && !d.aggregate)
        .filter_map(|d| {
            d.place
                .as_ref()
                .map(|p| (p.place.clone(), d.date, d.family))
        })
        .collect();
    for d in state
        .drafts
        .iter_mut()
        .filter(|d| !d.dropped && d.aggregate)
    {
        if d.place.is_none() {
            d.place = aggregate_place(input, d, &local).map(|place| PlaceChoice { place });
        }
        // The days of its local incidents, when they are recent and near its own days.
        let recent = |r: &DateRange| {
            r.bounds().is_some_and(|(_, end)| {
                input.published.is_none_or(|p| {
                    end >= add_days(p, -(input.config.historical_after_days as i64))
                })
            })
        };
        let days: Vec<DateRange> = local
            .iter()
            .filter(|(_, r, f)| f.fits(d.family) && r.is_known() && recent(r))
            .map(|(_, r, _)| *r)
            .filter(|r| !d.date.is_known() || d.date.overlaps(r, 3))
            .collect();
        if (!d.date_explicit || d.date.precision != DatePrecision::Day)
            && let Some(first) = days.first()
        {
            {
                let mut u = *first;
                for r in &days[1..] {
                    u = union(&u, r);
                }
                d.date = if d.date.is_known() && d.date_explicit {
                    union(&d.date, &u)
                } else {
                    u
                };
            }
        }
    }

    // A report that names no event place but its dateline ("LITTLE ROCK, Ark. --"), or no
    // dateline and one place only ("new evidence in a Pensacola teen's death"), or else the
    // town whose police or sheriff it quotes ("Yuma Police said"): its placeless incidents
    // happened there.
    let any_place = state
        .drafts
        .iter()
        .any(|d| !d.dropped && !d.aggregate && d.place.is_some());
    let dateline = input
        .places
        .iter()
        .find(|p| p.role == PlaceRole::Dateline && !is_coarse(&p.place))
        .map(|p| p.place.clone())
        .or_else(|| only_place(input))
        .or_else(|| authority_place(input));
    if !any_place && let Some(p) = dateline {
        for d in state
            .drafts
            .iter_mut()
            .filter(|d| !d.dropped && !d.aggregate && d.place.is_none())
        {
            d.place = Some(PlaceChoice { place: p.clone() });
        }
    }
    let mut out: Vec<(Option<Date>, usize, Mention)> = Vec::new();
    for d in state.drafts.into_iter().filter(|d| !d.dropped) {
        let first_sentence = d.sentences.iter().copied().min().unwrap_or(0);
        let Some(place) = d.place.as_ref().map(|p| p.place.clone()) else {
            diagnostics.push(Diagnostic::new(
                "no_place",
                "an incident without a place was left out",
            ));
            continue;
        };
        let mut date = d.date;
        if !date.is_known()
            && let Some(p) = input.published
        {
            // Nothing dates it: the report's own day is the best the text gives, as a range back
            // to the week before; an hour of the day without a day ("just after 2 a.m.") tells
            // of the last day in news copy.
            date = if d.sentences.iter().any(|&si| clock_time_in(doc, si)) {
                DateRange::between(add_days(p, -1), p, DatePrecision::Range)
            } else {
                DateRange::between(add_days(p, -7), p, DatePrecision::Week)
            };
        }
        let historical = match (date.bounds(), input.published) {
            (Some((_, end)), Some(p)) => {
                end < add_days(p, -(input.config.historical_after_days as i64))
            }
            _ => d.historical_cue,
        };
        if historical && !d.date.is_known() {
            continue;
        }
        if let (Some((start, _)), Some(p)) = (date.bounds(), input.published)
            && start > add_days(p, 1)
        {
            diagnostics.push(Diagnostic::new(
                "future",
                "an incident dated after publication was left out",
            ));
            continue;
        }
        let (event_type, sub_event_type) = event_type(&d);
        let victims = match (d.victims_civilian, d.victims_combatant) {
            (true, true) => Victims::Mixed,
            (true, false) => Victims::Civilians,
            (false, true) => Victims::Combatants,
            _ if event_type == EventType::ViolenceAgainstCivilians => Victims::Civilians,
            _ => Victims::Unknown,
        };
        let victim_identity = d.identities.first().cloned().or_else(|| {
            (event_type == EventType::ViolenceAgainstCivilians && victims == Victims::Civilians)
                .then(|| dominant.clone())
                .flatten()
        });
        let figures = figures_of(doc, &d);
        let mut actors: Vec<Actor> = Vec::new();
        for (a, role, claimant) in &d.actors {
            if actors.iter().any(|x| x.name == a.name && x.role == *role) {
                continue;
            }
            actors.push(Actor {
                name: a.name.clone(),
                mention: a.mention.clone(),
                role: *role,
                kind: a.kind,
                span: Some(doc.span(a.toks.0, a.toks.1)),
                claimant: claimant.clone(),
            });
        }
        let mut sentences = d.sentences.clone();
        sentences.sort_unstable();
        sentences.dedup();
        let evidence = sentences
            .iter()
            .map(|&si| {
                let span = doc.sentences[si].span;
                Evidence {
                    span,
                    text: doc.body[span.start..span.end].to_string(),
                }
            })
            .collect();
        out.push((
            date.start,
            first_sentence,
            Mention {
                event_type,
                sub_event_type,
                date,
                place: Some(place),
                actors,
                victims,
                victim_identity,
                figures,
                historical,
                aggregate: d.aggregate,
                evidence,
            },
        ));
    }
    // In the order they happened; undated ones after, in the order the report tells them.
    out.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    out.into_iter().map(|(_, _, m)| m).collect()
}

/// The region of an aggregate: a region named with it, a region named in the report near its
/// local incidents, the area of those incidents, or the country.
fn aggregate_place(
    input: &Input,
    d: &Draft,
    local: &[(Place, DateRange, Family)],
) -> Option<Place> {
    let regions =
        |p: &Place| matches!(p.precision, PlacePrecision::Region | PlacePrecision::Admin1);
    if let Some(p) = d
        .coarse_places
        .iter()
        .find(|p| p.precision == PlacePrecision::Region)
    {
        return Some(p.clone());
    }
    let members: Vec<&Place> = local
        .iter()
        .filter(|(_, _, f)| f.fits(d.family) || f.violent())
        .map(|(p, _, _)| p)
        .collect();
    let centroid = (!members.is_empty()).then(|| {
        let n = members.len() as f64;
        (
            members.iter().map(|p| p.lat).sum::<f64>() / n,
            members.iter().map(|p| p.lon).sum::<f64>() / n,
        )
    });
    let named: Vec<&PlaceRef> = input
        .places
        .iter()
        .filter(|p| !p.modifier && p.place.precision == PlacePrecision::Region)
        .collect();
    if let Some(p) = named
        .iter()
        .filter(|p| {
            centroid.is_none_or(|(la, lo)| haversine_km(la, lo, p.place.lat, p.place.lon) < 150.0)
        })
        .min_by(|a, b| {
            let da = centroid.map_or(0.0, |(la, lo)| {
                haversine_km(la, lo, a.place.lat, a.place.lon)
            });
            let db = centroid.map_or(0.0, |(la, lo)| {
                haversine_km(la, lo, b.place.lat, b.place.lon)
            });
            da.total_cmp(&db)
        })
    {
        return Some(p.place.clone());
    }
    if let Some(p) = d.coarse_places.iter().find(|p| regions(p)) {
        return Some(p.clone());
    }
    if let Some((lat, lon)) = centroid {
        let spread = members
            .iter()
            .map(|p| haversine_km(lat, lon, p.lat, p.lon))
            .fold(0.0, f64::max);
        if spread <= 150.0 {
            let mut names: Vec<&str> = Vec::new();
            for m in &members {
                if !names.contains(&m.name.as_str()) && names.len() < 4 {
                    names.push(&m.name);
                }
            }
            return Some(Place {
                name: format!("area of {}", names.join(", ")),
                geonames_id: None,
                admin1: members[0].admin1.clone(),
                admin2: None,
                country: members[0].country.clone(),
                lat,
                lon,
                precision: PlacePrecision::Region,
                mention: None,
                span: None,
            });
        }
    }
    if let Some(p) = d.coarse_places.first() {
        return Some(p.clone());
    }
    input.country_place.clone()
}

/// The figures of a draft: every claim by kind, and the low / best / high derived from them.
fn figures_of(doc: &Doc, d: &Draft) -> BTreeMap<FigureKind, Figure> {
    let mut out: BTreeMap<FigureKind, Figure> = BTreeMap::new();
    for (f, claimant) in &d.figures {
        let span = doc.span(f.start, f.end);
        let claim = Claim {
            low: f.low,
            high: f.high,
            qualifier: f.qualifier,
            text: doc.body[span.start..span.end].to_string(),
            claimant: claimant.as_ref().map(|c| c.name.clone()),
            span,
            report: None,
            published: None,
            claimant_mention: claimant
                .as_ref()
                .filter(|c| c.mention != c.name)
                .map(|c| c.mention.clone()),
            superseded: false,
            partisan: claimant.as_ref().is_some_and(|c| c.partisan),
        };
        let entry = out.entry(f.kind).or_default();
        if !entry.claims.iter().any(|c| c.span == claim.span) {
            entry.claims.push(claim);
        }
    }
    for fig in out.values_mut() {
        fig.claims.sort_by_key(|c| c.span.start);
        let bests: Vec<u64> = fig.claims.iter().filter_map(Claim::best).collect();
        fig.best = bests.iter().copied().max();
        fig.low = fig.claims.iter().filter_map(|c| c.low.or(c.high)).min();
        fig.high = if fig.claims.iter().all(|c| c.high.is_some()) {
            fig.claims.iter().filter_map(|c| c.high).max()
        } else {
            None
        };
        fig.rationale = Some(if fig.claims.len() == 1 {
            "the only figure the report gives".to_string()
        } else {
            format!(
                "the largest of the {} figures the report gives",
                fig.claims.len()
            )
        });
    }
    out
}

/// An hour of the day in sentence `si`: "2 a.m.", "10:30 p.m.", "9pm", "noon" is left out.
fn clock_time_in(doc: &Doc, si: usize) -> bool {
    let Some(sentence) = doc.sentences.get(si) else {
        return false;
    };
    let toks = &doc.toks;
    sentence.toks.clone().any(|k| {
        if toks.shape(k) != Some(crate::tokens::Shape::Number) {
            return false;
        }
        let mut j = k + 1;
        if toks.is_punct(j, ":") && toks.shape(j + 1) == Some(crate::tokens::Shape::Number) {
            j += 2;
        }
        match toks.norm_at(j) {
            "am" | "pm" => true,
            "a" | "p" => toks.is_punct(j + 1, ".") && toks.norm_at(j + 2) == "m",
            _ => false,
        }
    })
}

/// The place whose local police, sheriff or coroner the report quotes ("Yuma Police said", "the
/// Escambia County Sheriff's Office"), the most often named first when there are several, and
/// finer than a province: local news often names the town of an incident only so.
fn authority_place(input: &Input) -> Option<Place> {
    let doc = input.doc;
    let authority = |k: usize| {
        doc.find_at(k, |w| matches!(w, What::Cue(Cue::LocalAuthority)))
            .is_some()
    };
    let mut counts: Vec<(&Place, usize)> = Vec::new();
    for p in input.places.iter().filter(|p| !is_coarse(&p.place)) {
        let b = p.toks.1;
        if !(authority(b) || (doc.norm(b) == "'s" && authority(b + 1))) {
            continue;
        }
        let same = |q: &Place| q.name == p.place.name && q.country == p.place.country;
        match counts.iter_mut().find(|(q, _)| same(q)) {
            Some((_, n)) => *n += 1,
            None => counts.push((&p.place, 1)),
        }
    }
    // The first of the most named: `max_by_key` keeps the last of equals, so walk in reverse.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(p, _)| (*p).clone())
}

/// The one place a report names where things happen (leaving out names inside longer names,
/// homes, origins and offices), when it names exactly one, and it is finer than a province.
fn only_place(input: &Input) -> Option<Place> {
    let mut places = input
        .places
        .iter()
        .filter(|p| !p.modifier && matches!(p.role, PlaceRole::Event | PlaceRole::Reference));
    let first = places.next()?;
    if is_coarse(&first.place) {
        return None;
    }
    places
        .all(|p| p.place.name == first.place.name && p.place.country == first.place.country)
        .then(|| first.place.clone())
}
