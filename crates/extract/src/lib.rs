//! Incident extraction: from one report's text to the incidents it tells, each value with the
//! words it came from.
//!
//! Extraction is two stages. Annotators mark spans: dates resolved against the publication date
//! ([`dates`]), casualty figures with their qualifiers, counted people and predicates
//! ([`figures`]), claimants, armed actors from a dictionary and from generic phrases, victim
//! identities, event triggers, and places (through `vigil_gazetteer`, with the actor names found
//! here excluded). Then an assembler groups the annotations into incident mentions: one per
//! distinct (what, where, when) the report tells, with the discourse carried from sentence to
//! sentence, background events marked historical, habits and plans left out, waves of violence
//! as aggregate incidents of their own, and every figure attached to the incident it counts with
//! its claimant. Everything is deterministic and explainable: each mention lists its evidence
//! sentences, each claim its span, and the [`Extraction`] carries diagnostics for what was left
//! out and why.
//!
//! The language data (number words, qualifiers, predicates, counted groups, claimant cues, event
//! triggers per ACLED sub-event type, the actor dictionary, victim identities) lives in `data/`
//! as TOML and TSV files embedded in the binary, each entry with its source.
//!
//! Extraction does no I/O and reads no clock: the publication date anchors every relative date,
//! and a report without one keeps only the dates its text fixes.
//!
//! ```
//! use vigil_extract::{Config, ReportInput, Resources, extract_report};
//! use vigil_model::{EventType, FigureKind};
//!
//! let resources = Resources::bundled()?;
//! let body = "Warplanes struck the village of Talbiseh in the northern Homs countryside on \
//!             Thursday, killing at least 12 civilians, the Syrian Observatory said.";
//! let input = ReportInput {
//!     body,
//!     title: None,
//!     published: Some(jiff::civil::date(2016, 5, 13)),
//!     language: Some("en"),
//! };
//! let extraction = extract_report(&input, &resources, &Config::default());
//! let mention = &extraction.mentions[0];
//! assert_eq!(mention.event_type, EventType::ExplosionsRemoteViolence);
//! assert_eq!(mention.date.start, Some(jiff::civil::date(2016, 5, 12)));
//! assert_eq!(mention.place.as_ref().unwrap().admin1.as_deref(), Some("Homs"));
//! let killed = &mention.figures[&FigureKind::Killed];
//! assert_eq!(killed.best, Some(12));
//! assert_eq!(killed.claims[0].claimant.as_deref(), Some("Syrian Observatory for Human Rights"));
//! # Ok::<(), vigil_extract::Error>(())
//! ```

mod actors;
mod assemble;
mod claimants;
mod dates;
mod doc;
pub mod eval;
mod events;
mod figures;
mod lexicon;
mod numbers;
mod places;
mod tokens;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;
use vigil_gazetteer::Gazetteer;
use vigil_model::{FigureKind, Mention, Place, PlacePrecision, Qualifier, Span};

use crate::actors::ActorContext;
use crate::assemble::SentenceAnnotations;
use crate::doc::Doc;
use crate::lexicon::{Lexicon, What};

/// Errors of loading the extraction resources.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("lexicon {file}: {reason}")]
    Lexicon { file: String, reason: String },
    #[error("gazetteer: {0}")]
    Gazetteer(#[from] vigil_gazetteer::Error),
}

/// What extraction needs besides the report: the gazetteer and the parsed lexicons. Load once,
/// share by reference across threads.
#[derive(Clone)]
pub struct Resources {
    lexicon: Arc<Lexicon>,
    gazetteer: Gazetteer,
}

impl std::fmt::Debug for Resources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resources")
            .field("actors", &self.lexicon.actors.len())
            .field("places", &self.gazetteer.len())
            .finish()
    }
}

impl Resources {
    /// The lexicons of this crate and the gazetteer shipped with vigil.
    pub fn bundled() -> Result<Resources, Error> {
        Resources::with_gazetteer(Gazetteer::bundled()?)
    }

    /// The lexicons of this crate with a given gazetteer.
    pub fn with_gazetteer(gazetteer: Gazetteer) -> Result<Resources, Error> {
        Ok(Resources {
            lexicon: Arc::new(Lexicon::bundled()?),
            gazetteer,
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }
}

/// One report to extract from.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportInput<'a> {
    /// The stored body; every span points into it.
    pub body: &'a str,
    pub title: Option<&'a str>,
    pub published: Option<Date>,
    /// ISO 639-1 code. The lexicons are English; other languages get only what the gazetteer
    /// and the numerals find.
    pub language: Option<&'a str>,
}

/// Options of extraction.
#[derive(Debug, Clone)]
pub struct Config {
    /// ISO alpha-2 code of the country the report is about, when the caller knows it.
    pub country_hint: Option<String>,
    /// An incident that ended more than this many days before publication is historical.
    pub historical_after_days: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            country_hint: None,
            historical_after_days: 30,
        }
    }
}

/// Why something was or was not extracted, with the span it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub span: Option<Span>,
    /// A stable snake-case code (`denied_or_modal`, `habitual`, `motive`, `no_place` ...).
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn new(code: &'static str, message: &str) -> Diagnostic {
        Diagnostic {
            span: None,
            code,
            message: message.to_string(),
        }
    }

    pub(crate) fn at(span: Span, code: &'static str, message: &str) -> Diagnostic {
        Diagnostic {
            span: Some(span),
            code,
            message: message.to_string(),
        }
    }
}

/// The result of extraction: the incident mentions of the report, and diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub mentions: Vec<Mention>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every annotation of a report, for inspection and tests (`vigil extract --explain`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Annotations {
    pub sentences: Vec<Span>,
    pub dates: Vec<DateNote>,
    pub figures: Vec<FigureNote>,
    pub claimants: Vec<Note>,
    pub actors: Vec<Note>,
    pub identities: Vec<Note>,
    pub triggers: Vec<Note>,
    pub places: Vec<Note>,
}

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateNote {
    pub span: Span,
    pub text: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub precision: vigil_model::DatePrecision,
}

/// A figure found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureNote {
    pub span: Span,
    pub text: String,
    pub kind: FigureKind,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
    pub victims: vigil_model::Victims,
}

/// Any other annotation: its span, its words, and what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub span: Span,
    pub text: String,
    pub value: String,
}

struct Analysis<'a> {
    doc: Doc<'a>,
    sentences: Vec<SentenceAnnotations>,
    places: Vec<places::PlaceRef>,
    country: Option<String>,
}

fn analyse<'a>(input: &ReportInput<'a>, resources: &Resources, config: &Config) -> Analysis<'a> {
    let lexicon = &*resources.lexicon;
    let doc = Doc::new(input.body, lexicon);
    let published = input.published;
    let first_ctx = ActorContext {
        country: config.country_hint.as_deref(),
        date: published,
    };
    // Names that are no places: actors, identities, known claimants.
    let mut exclude: Vec<Span> = Vec::new();
    // Identities do not depend on the report's country: found once, kept for the sentences.
    let mut identities_of: Vec<Vec<_>> = Vec::with_capacity(doc.sentences.len());
    for s in &doc.sentences {
        for a in actors::find_actors(&doc, lexicon, s.toks.start, s.toks.end, first_ctx) {
            if !a.generic {
                exclude.push(doc.span(a.toks.0, a.toks.1));
            }
        }
        let identities = events::find_identities(&doc, lexicon, s.toks.start, s.toks.end);
        for m in &identities {
            exclude.push(doc.span(m.toks.0, m.toks.1));
        }
        identities_of.push(identities);
    }
    for h in &doc.hits {
        // Known claimants; and weapons named after a place or a maker ("Claymore mine",
        // "Katyusha rockets"): a trigger phrase of several words is never a place.
        if matches!(h.what, What::ClaimKnown(_))
            || (matches!(h.what, What::Trigger(_)) && h.len >= 2)
        {
            exclude.push(doc.span(h.start as usize, h.end()));
        }
    }
    exclude.extend(places::person_names(&doc));
    exclude.extend(places::institution_names(&doc));
    exclude.extend(places::street_abbreviations(&doc));
    let places = places::find(
        &doc,
        &resources.gazetteer,
        exclude,
        config.country_hint.clone(),
    );
    // The report's country: the hint, else the country its event places are mostly in.
    let country = config.country_hint.clone().or_else(|| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for p in places.iter().filter(|p| {
            !p.modifier
                && matches!(
                    p.role,
                    places::PlaceRole::Event | places::PlaceRole::Reference
                )
        }) {
            if let Some(c) = p.place.country.as_deref() {
                *counts.entry(c).or_default() += if p.place.precision == PlacePrecision::Country {
                    1
                } else {
                    2
                };
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map(|(c, _)| c.to_string())
    });
    let ctx = ActorContext {
        country: country.as_deref(),
        date: published,
    };
    let mut sentences = Vec::with_capacity(doc.sentences.len());
    let mut previous_claimant: Option<claimants::ClaimantMention> = None;
    for (si, s) in doc.sentences.iter().enumerate() {
        let (a, b) = (s.toks.start, s.toks.end);
        let dates = dates::find_dates(&doc, a, b, published);
        let figures = figures::find_figures(&doc, a, b, &dates);
        let actors = actors::find_actors(&doc, lexicon, a, b, ctx);
        let skip: Vec<(usize, usize)> = actors
            .iter()
            .filter(|m| !m.generic)
            .map(|m| m.toks)
            .collect();
        let mut triggers = events::find_triggers(&doc, lexicon, a, b, &skip);
        for t in events::find_captive_taking(&doc, lexicon, a, b) {
            if !triggers
                .iter()
                .any(|x| x.toks.0 <= t.toks.0 && t.toks.0 < x.toks.1)
            {
                triggers.push(t);
            }
        }
        triggers.sort_by_key(|t| t.toks.0);
        let identities = std::mem::take(&mut identities_of[si]);
        let claimant =
            claimants::find_claimant(&doc, lexicon, a, b, si, previous_claimant.as_ref());
        if let Some(c) = &claimant
            && (c.named || previous_claimant.is_none())
        {
            previous_claimant = Some(c.clone());
        }
        let anaphora = places::find_anaphora(&doc, a, b);
        sentences.push(SentenceAnnotations {
            dates,
            figures,
            claimant,
            actors,
            identities,
            triggers,
            anaphora,
        });
    }
    // A sentence inside a quotation takes the claimant named where the quotation closes.
    for si in 0..sentences.len() {
        if sentences[si].claimant.is_some() {
            continue;
        }
        let s = &doc.sentences[si];
        let quoted = (s.toks.start..s.toks.end)
            .filter(|&k| doc.is_word(k))
            .take(2)
            .all(|k| doc.in_quote[k])
            && (s.toks.start..s.toks.end).any(|k| doc.is_word(k));
        if !quoted {
            continue;
        }
        let mut sj = si + 1;
        while sj < sentences.len() && doc.sentences[sj].paragraph == s.paragraph {
            if let Some(c) = sentences[sj].claimant.clone() {
                sentences[si].claimant = Some(c);
                break;
            }
            sj += 1;
        }
    }
    Analysis {
        doc,
        sentences,
        places,
        country,
    }
}

/// Extracts the incident mentions of one report.
pub fn extract_report(input: &ReportInput, resources: &Resources, config: &Config) -> Extraction {
    let analysis = analyse(input, resources, config);
    let country_place = analysis
        .country
        .as_deref()
        .and_then(|c| resources.gazetteer.country(c))
        .map(|e| e.to_place());
    let mut diagnostics = Vec::new();
    let mentions = assemble::assemble(
        &assemble::Input {
            doc: &analysis.doc,
            sentences: &analysis.sentences,
            places: &analysis.places,
            published: input.published,
            config,
            country_place,
        },
        &mut diagnostics,
    );
    Extraction {
        mentions,
        diagnostics,
    }
}

/// Every annotation of a report, before assembly.
pub fn annotate(input: &ReportInput, resources: &Resources, config: &Config) -> Annotations {
    let analysis = analyse(input, resources, config);
    let doc = &analysis.doc;
    let note = |a: usize, b: usize, value: String| Note {
        span: doc.span(a, b),
        text: doc.text(a, b).to_string(),
        value,
    };
    let mut out = Annotations {
        sentences: doc.sentences.iter().map(|s| s.span).collect(),
        ..Annotations::default()
    };
    for s in &analysis.sentences {
        for d in &s.dates {
            out.dates.push(DateNote {
                span: d.span,
                text: input.body[d.span.start..d.span.end].to_string(),
                start: d.range.start,
                end: d.range.end,
                precision: d.range.precision,
            });
        }
        for f in &s.figures {
            out.figures.push(FigureNote {
                span: doc.span(f.start, f.end),
                text: doc.text(f.start, f.end).to_string(),
                kind: f.kind,
                low: f.low,
                high: f.high,
                qualifier: f.qualifier,
                victims: f.victims,
            });
        }
        if let Some(c) = &s.claimant {
            out.claimants.push(note(c.toks.0, c.toks.1, c.name.clone()));
        }
        for a in &s.actors {
            out.actors.push(note(
                a.toks.0,
                a.toks.1,
                format!("{} ({:?})", a.name, a.kind),
            ));
        }
        for i in &s.identities {
            out.identities
                .push(note(i.toks.0, i.toks.1, i.name.clone()));
        }
        for t in &s.triggers {
            out.triggers
                .push(note(t.toks.0, t.toks.1, format!("{:?}", t.class)));
        }
    }
    for p in &analysis.places {
        out.places.push(note(
            p.toks.0,
            p.toks.1,
            format!(
                "{} [{}] {:?}{}",
                p.place.name,
                p.place.precision.code(),
                p.role,
                if p.modifier { " modifier" } else { "" }
            ),
        ));
    }
    out
}

/// The place of a country, from the gazetteer.
pub fn country_place(resources: &Resources, iso: &str) -> Option<Place> {
    resources.gazetteer.country(iso).map(|e| e.to_place())
}
