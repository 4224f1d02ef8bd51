//! Places: the gazetteer's place mentions, mapped onto tokens, with what each is to the events
//! around it (where something happened, a point of reference, or someone's home, origin,
//! destination or office), and place anaphora ("the village", "that same city", "there").

use vigil_gazetteer::{Gazetteer, GeoparseConfig, find_places};
use vigil_model::{Place, PlacePrecision, Span};

use crate::doc::Doc;
use crate::lexicon::{Cue, What, kinds};

/// What a place mention is to the events of its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceRole {
    /// Where something happens ("in Baniyas", "the village of Al-Zarah").
    Event,
    /// A point of reference ("north of Tingo Maria", "near the main highway").
    Reference,
    /// Someone's home, origin, destination or office ("living in Iraq", "from Idlib", "Latakia
    /// province security director").
    NotEvent,
    /// Where the report was filed ("AMMAN:", "Lima, 20 Aug 88 (EFE) --").
    Dateline,
}

/// A resolved place named in the text.
#[derive(Debug, Clone)]
pub struct PlaceRef {
    pub toks: (usize, usize),
    pub place: Place,
    pub role: PlaceRole,
    /// Part of a longer proper name ("Homs Operations Room", "Syria Direct").
    pub modifier: bool,
    /// Introduced as a place ("in X", "the village of X", "X countryside").
    pub cued: bool,
    /// Named after a place noun ("the town of X", "the village of X"): the strongest cue.
    pub named_as_place: bool,
}

impl PlaceRef {
    pub fn precision(&self) -> PlacePrecision {
        self.place.precision
    }
}

/// Tokens that may stand between a cue and its place ("moved by bus to the intersection of").
fn skippable(doc: &Doc, k: usize) -> bool {
    matches!(
        doc.norm(k),
        "the"
            | "of"
            | "a"
            | "an"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
            | "central"
            | "north"
            | "south"
            | "east"
            | "west"
            | "intersection"
            | "entrance"
            | "edge"
            | "heart"
            | "rural"
            | "besieged"
            | "blockaded"
            | "city"
            | "town"
            | "village"
            | "province"
            | "district"
            | "region"
            | "governorate"
            | "neighbourhood"
            | "neighborhood"
    ) || doc.has(k, kinds::cue(Cue::AnaphorNoun))
}

/// The role of a place at tokens `a..b` from the words around it.
fn role_of(doc: &Doc, a: usize, b: usize) -> PlaceRole {
    let sentence = &doc.sentences[doc.sentence_of(a)];
    // A dateline: "AMMAN:", "Lima, 20 Aug 88 (EFE) --" at the start of a paragraph.
    let first_of_paragraph = doc.sentence_of(a) == 0
        || doc.sentences[doc.sentence_of(a) - 1].paragraph != sentence.paragraph;
    if a == sentence.toks.start && doc.norm(b) == ":" {
        return PlaceRole::Dateline;
    }
    // A dateline: "AMMAN:", "Lima, 20 Aug 88 (EFE) --", "MEXICO CITY (MEXICO), 12 JAN 90 (DPA) --",
    // "KALAMAZOO, Mich. (AP) --" at the start of a paragraph.
    if a == sentence.toks.start && first_of_paragraph {
        let next = doc.norm(b);
        // The window may run into the next sentence of the paragraph: "KALAMAZOO, Mich. (AP)"
        // is split after the abbreviation.
        let paragraph = sentence.paragraph;
        let end = (b..(b + 10).min(doc.toks.list.len()))
            .find(|&k| doc.sentences[doc.sentence_of(k)].paragraph != paragraph)
            .unwrap_or((b + 10).min(doc.toks.list.len()));
        let window = b..end;
        let dated = window.clone().any(|k| doc.has(k, kinds::MONTH));
        let bracket = window.clone().any(|k| doc.toks.is_punct(k, "("));
        let is_dash = |k: usize| matches!(doc.norm(k), "-" | "--" | "\u{2013}" | "\u{2014}");
        let dash = window
            .clone()
            .any(|k| is_dash(k) && !doc.toks.list[k].joined);
        if is_dash(b)
            || (next == "," && (doc.is_number(b + 1) || doc.has(b + 1, kinds::MONTH)))
            || (bracket && (dated || dash))
        {
            return PlaceRole::Dateline;
        }
    }
    // Editorial insertions in square brackets ("[Report] [Magdalena Jimenez]").
    let open_bracket = (sentence.toks.start..a)
        .rev()
        .find(|&k| doc.toks.is_punct(k, "[") || doc.toks.is_punct(k, "]"));
    if open_bracket.is_some_and(|k| doc.toks.is_punct(k, "[")) {
        return PlaceRole::NotEvent;
    }
    // "Johnathan Dunbar of Austin", "Fred Duhart, 38, of Little Rock", "the Catholic Lyceum of
    // Atacama": someone's home or an institution, not where something happened.
    if a >= sentence.toks.start + 2 && doc.norm(a - 1) == "of" {
        let before = a - 2;
        let age = doc.toks.is_punct(before, ",") && before > 0 && doc.is_number(before - 1);
        let named = doc.is_proper(before) && !doc.has(before, kinds::cue(Cue::AnaphorNoun));
        if age || named {
            return PlaceRole::NotEvent;
        }
    }
    if doc.has(b, kinds::cue(Cue::PlaceTitleAfter))
        || (doc.norm(b) == "'s" && doc.has(b + 1, kinds::cue(Cue::PlaceTitleAfter)))
    {
        return PlaceRole::NotEvent;
    }
    // Walk back over skippable words, looking for a cue that ends there. Examples ("cities in
    // that area such as X", "villages including X") take the cue before their noun phrase.
    let floor = sentence.toks.start;
    let mut k = a;
    // Every item of the enumeration is an example, not only the first ("such as Tartus, Banias,
    // Jableh, or Latakia").
    let first = enumeration_start(doc, a, floor);
    if first > floor + 1
        && matches!(
            (doc.norm(first - 2), doc.norm(first - 1)),
            ("such", "as") | (_, "including") | (_, "like")
        )
    {
        let stop = first.saturating_sub(12).max(floor);
        let mut j = first - 1;
        while j > stop {
            j -= 1;
            if doc.is_punct(j) && matches!(doc.norm(j), ";" | ":" | "." | "(" | "\"") {
                break;
            }
            if let Some(h) =
                doc.find_ending_at(j + 1, 4, |w| matches!(w, What::Cue(Cue::PlaceNotEvent)))
                && h.start as usize >= floor
            {
                return PlaceRole::NotEvent;
            }
        }
    }
    for _ in 0..5 {
        if k <= floor {
            break;
        }
        if let Some(h) = doc.find_ending_at(k, 4, |w| {
            matches!(w, What::Cue(Cue::PlaceNotEvent | Cue::PlaceReference))
        }) && h.start as usize >= floor
        {
            return match h.what {
                What::Cue(Cue::PlaceNotEvent) => PlaceRole::NotEvent,
                _ => PlaceRole::Reference,
            };
        }
        if doc
            .find_ending_at(k, 1, |w| {
                matches!(w, What::Cue(Cue::PlaceReference | Cue::PlaceNotEvent))
            })
            .is_none()
            && !skippable(doc, k - 1)
        {
            break;
        }
        k -= 1;
    }
    PlaceRole::Event
}

/// The first token of the enumeration of names that the name starting at `a` ends: for
/// "Latakia" in "such as Tartus, Banias, Jableh, or Latakia", the token of "Tartus". Items are
/// runs of up to five capitalised words (hyphens inside allowed) separated by commas, "and" and
/// "or"; `a` itself when the name is not the last item of such a list.
fn enumeration_start(doc: &Doc, a: usize, floor: usize) -> usize {
    let mut first = a;
    for _ in 0..12 {
        let mut j = first;
        while j > floor && matches!(doc.norm(j - 1), "," | "and" | "or") {
            j -= 1;
        }
        if j == first {
            break;
        }
        let mut i = j;
        let mut words = 0;
        while i > floor && words < 5 && (doc.is_proper(i - 1) || doc.norm(i - 1) == "-") {
            i -= 1;
            words += usize::from(doc.norm(i) != "-");
        }
        if words == 0 || doc.norm(i) == "-" {
            break;
        }
        first = i;
    }
    first
}

/// Finds and resolves the places of the body. `exclude` are spans known not to be places.
pub fn find(
    doc: &Doc,
    gazetteer: &Gazetteer,
    exclude: Vec<Span>,
    country_hint: Option<String>,
) -> Vec<PlaceRef> {
    let config = GeoparseConfig {
        country_hint,
        exclude,
        ..GeoparseConfig::default()
    };
    let mentions = find_places(gazetteer, doc.body, &config);
    let spans: Vec<Option<(usize, usize)>> =
        mentions.iter().map(|m| token_range(doc, m.span)).collect();
    let mut out: Vec<PlaceRef> = Vec::new();
    for (mi, m) in mentions.into_iter().enumerate() {
        let Some(place) = m.place else { continue };
        let Some((a, b)) = spans[mi] else {
            continue;
        };
        let glued = glued_to_name(doc, a, b, &spans);
        // "in Morazan Department.", "Kaduna State": the name with its own unit noun is the
        // place itself, not part of a longer name ("Escambia County Sheriff's deputies" is).
        let with_unit = doc.toks.list.get(b).is_some_and(|t| t.capitalised)
            && matches!(
                doc.toks.norm_at(b),
                "department"
                    | "departments"
                    | "province"
                    | "governorate"
                    | "district"
                    | "county"
                    | "state"
                    | "region"
                    | "municipality"
                    | "prefecture"
                    | "oblast"
                    | "division"
                    | "jurisdiction"
                    | "canton"
            )
            && !doc
                .toks
                .list
                .get(b + 1)
                .is_some_and(|t| t.capitalised || doc.toks.norm_at(b + 1) == "'s");
        let cued = m.cue.is_some()
            || (a > 0
                && matches!(
                    doc.norm(a - 1),
                    "in" | "at"
                        | "near"
                        | "of"
                        | "into"
                        | "outside"
                        | "inside"
                        | "around"
                        | "across"
                        | "on"
                        | "against"
                ));
        let mut role = role_of(doc, a, b);
        // An item of a list ("Tartus, Banias, Jableh, or Latakia") has the role of the first.
        if let Some(prev) = out.last()
            && prev.toks.1 <= a
            && a - prev.toks.1 <= 2
            && (prev.toks.1..a).all(|k| matches!(doc.norm(k), "," | "and" | "or"))
            && prev.toks.1 < a
        {
            role = prev.role;
        }
        // "Paucarbambilla, a locality in Huanuco": the second place holds the first.
        if let Some(prev) = out.last()
            && prev.toks.1 < a
            && a - prev.toks.1 <= 7
            && doc.toks.is_punct(prev.toks.1, ",")
            && matches!(doc.norm(a - 1), "in" | "of" | "near")
            && (prev.toks.1..a).any(|k| doc.has(k, kinds::cue(Cue::AnaphorNoun)))
            && role == PlaceRole::Event
        {
            role = PlaceRole::Reference;
        }
        out.push(PlaceRef {
            toks: (a, b),
            place: Place {
                mention: Some(m.text),
                span: Some(m.span),
                ..place
            },
            role,
            modifier: (m.modifier && !with_unit) || glued,
            cued,
            named_as_place: a >= 2
                && doc.norm(a - 1) == "of"
                && doc
                    .find_ending_at(a - 1, 3, |w| matches!(w, What::Cue(Cue::AnaphorNoun)))
                    .is_some(),
        });
    }
    out
}

/// A place name glued to other capitalised words is part of a longer name: a person's ("Luz
/// Leon", "Johnathan J. Dunbar", "Rosa Imelda Gonzalez Medrano"), a street's ("Ramsay St."),
/// an institution's ("Tel Aviv University"). Titles and headlines in title case are left alone.
fn glued_to_name(doc: &Doc, a: usize, b: usize, spans: &[Option<(usize, usize)>]) -> bool {
    if doc.all_caps {
        return false;
    }
    let sentence = &doc.sentences[doc.sentence_of(a)];
    let (s, e) = (sentence.toks.start, sentence.toks.end);
    // A sentence in title case (a headline) says nothing by its capitals.
    let (mut words, mut capitalised) = (0usize, 0usize);
    for k in s..e {
        if doc.is_word(k) && doc.norm(k).len() > 3 {
            words += 1;
            capitalised += usize::from(doc.toks.list[k].capitalised);
        }
    }
    if words > 0 && capitalised * 10 >= words * 7 {
        return false;
    }
    let name_part = |k: usize| {
        doc.is_word(k)
            && doc.toks.list[k].capitalised
            && k != s
            && doc
                .find_at(k, |w| {
                    matches!(
                        w,
                        What::FunctionWord
                            | What::Cue(_)
                            | What::Month(_)
                            | What::Weekday(_)
                            | What::ClaimVerb
                    )
                })
                .is_none()
    };
    // Another place right before or after, with nothing between: "Luz Leon".
    let adjacent_place = spans
        .iter()
        .flatten()
        .any(|&(x, y)| (y == a || x == b) && (x, y) != (a, b));
    // A capitalised word before ("Linquinton Dean"), or an initial ("J. Dunbar").
    // A capitalised word before ("Linquinton Dean"), an initial ("J. Dunbar"), or an
    // abbreviated title ("St. Vincent").
    let before = a > s
        && (name_part(a - 1)
            || (doc.toks.is_punct(a - 1, ".")
                && a >= s + 2
                && doc.norm(a - 2).chars().count() <= 3
                && doc.toks.list[a - 2].capitalised));
    // A capitalised word after that is no place noun ("Tel Aviv University", "Ramsay St.").
    let after = b < e
        && name_part(b)
        && !doc.has(b, kinds::cue(Cue::AnaphorNoun))
        && !matches!(
            doc.norm(b),
            "province"
                | "governorate"
                | "department"
                | "district"
                | "city"
                | "county"
                | "state"
                | "region"
        );
    adjacent_place || before || after
}

/// The tokens a byte span covers.
pub fn token_range(doc: &Doc, span: Span) -> Option<(usize, usize)> {
    let list = &doc.toks.list;
    let a = list.partition_point(|t| t.end <= span.start);
    let b = list.partition_point(|t| t.start < span.end);
    (a < b).then_some((a, b))
}

/// A place anaphor: "the village", "that same city", "the village's outskirts", "there".
#[derive(Debug, Clone, Copy)]
pub struct Anaphor {
    pub toks: (usize, usize),
    /// The noun, when there is one ("village"): it says what precision the antecedent has.
    pub noun: Option<usize>,
}

/// Finds place anaphora in tokens `s..e`.
pub fn find_anaphora(doc: &Doc, s: usize, e: usize) -> Vec<Anaphor> {
    let mut out = Vec::new();
    let mut k = s;
    while k < e {
        if !doc.has(
            k,
            kinds::cue(Cue::AnaphorWord) | kinds::cue(Cue::AnaphorDet),
        ) {
            k += 1;
            continue;
        }
        if let Some(h) = doc.find_within(k, e, |w| matches!(w, What::Cue(Cue::AnaphorWord))) {
            out.push(Anaphor {
                toks: (k, h.end()),
                noun: None,
            });
            k = h.end();
            continue;
        }
        if let Some(det) = doc.find_within(k, e, |w| matches!(w, What::Cue(Cue::AnaphorDet))) {
            // Up to five modifiers ("the 4 sq. km district", "the densely crowded district").
            let mut m = det.end();
            let mut found = None;
            while m < e && m <= det.end() + 5 {
                if let Some(n) = doc.find_within(m, e, |w| matches!(w, What::Cue(Cue::AnaphorNoun)))
                {
                    found = Some(n);
                    break;
                }
                if doc.is_punct(m) && !matches!(doc.norm(m), "." | "-") {
                    break;
                }
                if doc.has(m, kinds::cue(Cue::AnaphorDet) | kinds::TRIGGER) || doc.is_proper(m) {
                    break;
                }
                m += 1;
            }
            if let Some(n) = found {
                // "the village of Al-Zarah" names the place: no anaphor.
                let named_after = doc.norm(n.end()) == "of" && doc.is_proper(n.end() + 1)
                    || doc.is_proper(n.end()) && doc.norm(n.end() - 1) != "'s"
                    || matches!(doc.norm(n.end()), "called" | "named" | "known");
                if !named_after {
                    out.push(Anaphor {
                        toks: (k, n.end()),
                        noun: Some(n.start as usize),
                    });
                }
                k = n.end();
                continue;
            }
        }
        k += 1;
    }
    out
}

/// Whether a place of precision `p` can be what an anaphor noun refers to.
pub fn anaphor_accepts(doc: &Doc, noun: Option<usize>, p: PlacePrecision) -> bool {
    let Some(n) = noun else {
        return p != PlacePrecision::Country;
    };
    match doc.norm(n) {
        "village" | "villages" | "town" | "city" | "metropolis" | "hamlet" | "settlement"
        | "municipality" | "locality" => {
            matches!(p, PlacePrecision::Settlement | PlacePrecision::District)
        }
        "district" | "neighbourhood" | "neighborhood" | "quarter" | "suburb" | "camp" => {
            matches!(
                p,
                PlacePrecision::District | PlacePrecision::Settlement | PlacePrecision::Admin2
            )
        }
        "province" | "governorate" | "region" | "countryside" => {
            matches!(
                p,
                PlacePrecision::Admin1 | PlacePrecision::Admin2 | PlacePrecision::Region
            )
        }
        _ => p != PlacePrecision::Country,
    }
}

/// Names the report gives to people, which are never places: a name with an age in apposition
/// ("Jordan Dumas, 19,"), after an age ("16-year-old Jaibreon Cook") or after a courtesy title
/// ("Mr. Dumas", "Mrs. Cook"). A surname so introduced is a person wherever the report repeats
/// it ("Dumas will also answer to ..."), and so is the capitalised word before it. Returns the
/// spans of every such word.
pub fn person_names(doc: &Doc) -> Vec<Span> {
    if doc.all_caps {
        return Vec::new();
    }
    let n = doc.toks.len();
    let cap = |k: usize| {
        doc.is_word(k) && doc.toks.list[k].capitalised && !doc.has(k, kinds::FUNCTION_WORD)
    };
    let mut surnames: Vec<&str> = Vec::new();
    for k in 0..n {
        // Each shape below starts at a capitalised word or at "old".
        if !doc.toks.list[k].capitalised && doc.norm(k) != "old" {
            continue;
        }
        // "Jordan Dumas, 19,": two or three capitalised words, a comma, an age, a comma.
        if cap(k)
            && k >= 1
            && cap(k - 1)
            && doc.toks.is_punct(k + 1, ",")
            && doc
                .number_value(k + 2)
                .is_some_and(|v| (1..=110).contains(&v))
            && (doc.toks.is_punct(k + 3, ",") || doc.norm(k + 3) == "and")
            && doc.sentence_of(k - 1) == doc.sentence_of(k + 2)
        {
            surnames.push(doc.norm(k));
        }
        // "16-year-old Jaibreon Cook": the last of the capitalised words after the age.
        if doc.norm(k) == "old"
            && k >= 2
            && doc.norm(k - 1) == "year"
            && doc.toks.list[k].joined
            && cap(k + 1)
        {
            let mut e = k + 1;
            while e + 1 < n && cap(e + 1) && e < k + 3 {
                e += 1;
            }
            if e > k + 1 {
                surnames.push(doc.norm(e));
            }
        }
        // "Mr. Dumas", "Mrs Cook".
        if matches!(doc.norm(k), "mr" | "mrs" | "ms" | "miss") && doc.toks.list[k].capitalised {
            let j = if doc.toks.is_punct(k + 1, ".") {
                k + 2
            } else {
                k + 1
            };
            if cap(j) {
                surnames.push(doc.norm(j));
            }
        }
    }
    if surnames.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in 0..n {
        if cap(k) && surnames.contains(&doc.norm(k)) {
            let a = if k >= 1 && cap(k - 1) { k - 1 } else { k };
            out.push(doc.span(a, k + 1));
        }
    }
    out
}

/// Institutions named after a saint or a person ("Saint Mary's Hospital", "St. John's
/// College"): the name before the possessive is no place. Returns the spans of such names.
pub fn institution_names(doc: &Doc) -> Vec<Span> {
    if doc.all_caps {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in 1..doc.toks.len() {
        if doc.norm(k) != "'s"
            || !doc.toks.list.get(k + 1).is_some_and(|t| t.capitalised)
            || !matches!(
                doc.norm(k + 1),
                "hospital"
                    | "hospitals"
                    | "school"
                    | "college"
                    | "university"
                    | "church"
                    | "cathedral"
                    | "chapel"
                    | "medical"
                    | "clinic"
                    | "academy"
                    | "high"
                    | "elementary"
                    | "institute"
                    | "parish"
                    | "abbey"
                    | "infirmary"
            )
        {
            continue;
        }
        // Back over the capitalised words of the name, with an abbreviated "St.".
        let mut a = k;
        while a >= 1
            && ((doc.is_word(a - 1) && doc.toks.list[a - 1].capitalised)
                || (doc.toks.is_punct(a - 1, ".") && a >= 2 && doc.norm(a - 2) == "st"))
            && k - a < 5
        {
            a -= 1;
        }
        if a < k {
            out.push(doc.span(a, k));
        }
    }
    out
}

/// Street abbreviations after a street's name or number and before no other name ("East 26th
/// St. when", "Ramsay St. in", "5th Ave."): "St." there is "Street", not a place (the gazetteer knows a Sète and a
/// Saint-something for it). Returns the spans of such abbreviations.
pub fn street_abbreviations(doc: &Doc) -> Vec<Span> {
    let mut out = Vec::new();
    for k in 1..doc.toks.len() {
        if !doc.toks.list[k].capitalised
            || !matches!(doc.norm(k), "st" | "ave" | "rd" | "blvd" | "dr" | "ln")
            || !doc.toks.is_punct(k + 1, ".")
        {
            continue;
        }
        let before = &doc.toks.list[k - 1];
        let ordinal = doc.norm(k - 1).ends_with("st")
            || doc.norm(k - 1).ends_with("nd")
            || doc.norm(k - 1).ends_with("rd")
            || doc.norm(k - 1).ends_with("th");
        let numeric_start = doc.norm(k - 1).starts_with(|c: char| c.is_ascii_digit());
        // "East St. Louis", "Ave. Maria": a capitalised word after it continues a name.
        let name_follows = doc.is_word(k + 2) && doc.toks.list[k + 2].capitalised;
        if ((numeric_start && ordinal) || (doc.is_word(k - 1) && before.capitalised))
            && !name_follows
        {
            out.push(doc.span(k, k + 1));
        }
    }
    out
}
