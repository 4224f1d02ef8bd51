//! Incident vocabulary: event types, dates, places, actors, figures and claims, and the mention
//! (one incident as one report tells it) that extraction produces and linking consumes.
//!
//! The JSON form of these types is the contract of `../shared/DESIGN.md` ("Contracts"): field
//! names and meanings stay; fields may be added.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Span;

/// ACLED event types, written in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Battles,
    ExplosionsRemoteViolence,
    ViolenceAgainstCivilians,
    Protests,
    Riots,
    StrategicDevelopments,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::Battles,
        EventType::ExplosionsRemoteViolence,
        EventType::ViolenceAgainstCivilians,
        EventType::Protests,
        EventType::Riots,
        EventType::StrategicDevelopments,
    ];

    /// The snake-case code (`violence_against_civilians`).
    pub fn code(self) -> &'static str {
        match self {
            EventType::Battles => "battles",
            EventType::ExplosionsRemoteViolence => "explosions_remote_violence",
            EventType::ViolenceAgainstCivilians => "violence_against_civilians",
            EventType::Protests => "protests",
            EventType::Riots => "riots",
            EventType::StrategicDevelopments => "strategic_developments",
        }
    }

    /// The name ACLED's own exports use (`Violence against civilians`).
    pub fn acled_name(self) -> &'static str {
        match self {
            EventType::Battles => "Battles",
            EventType::ExplosionsRemoteViolence => "Explosions/Remote violence",
            EventType::ViolenceAgainstCivilians => "Violence against civilians",
            EventType::Protests => "Protests",
            EventType::Riots => "Riots",
            EventType::StrategicDevelopments => "Strategic developments",
        }
    }

    pub fn from_code(code: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// ACLED sub-event types, written in snake case. Each belongs to exactly one [`EventType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubEventType {
    ArmedClash,
    GovernmentRegainsTerritory,
    NonStateActorOvertakesTerritory,
    ChemicalWeapon,
    AirDroneStrike,
    SuicideBomb,
    ShellingArtilleryMissileAttack,
    RemoteExplosiveLandmineIed,
    Grenade,
    SexualViolence,
    Attack,
    AbductionForcedDisappearance,
    PeacefulProtest,
    ProtestWithIntervention,
    ExcessiveForceAgainstProtesters,
    ViolentDemonstration,
    MobViolence,
    Agreement,
    Arrests,
    ChangeToGroupActivity,
    DisruptedWeaponsUse,
    HeadquartersOrBaseEstablished,
    LootingPropertyDestruction,
    NonViolentTransferOfTerritory,
    Other,
}

impl SubEventType {
    pub const ALL: [SubEventType; 25] = [
        SubEventType::ArmedClash,
        SubEventType::GovernmentRegainsTerritory,
        SubEventType::NonStateActorOvertakesTerritory,
        SubEventType::ChemicalWeapon,
        SubEventType::AirDroneStrike,
        SubEventType::SuicideBomb,
        SubEventType::ShellingArtilleryMissileAttack,
        SubEventType::RemoteExplosiveLandmineIed,
        SubEventType::Grenade,
        SubEventType::SexualViolence,
        SubEventType::Attack,
        SubEventType::AbductionForcedDisappearance,
        SubEventType::PeacefulProtest,
        SubEventType::ProtestWithIntervention,
        SubEventType::ExcessiveForceAgainstProtesters,
        SubEventType::ViolentDemonstration,
        SubEventType::MobViolence,
        SubEventType::Agreement,
        SubEventType::Arrests,
        SubEventType::ChangeToGroupActivity,
        SubEventType::DisruptedWeaponsUse,
        SubEventType::HeadquartersOrBaseEstablished,
        SubEventType::LootingPropertyDestruction,
        SubEventType::NonViolentTransferOfTerritory,
        SubEventType::Other,
    ];

    /// The event type this sub-event type belongs to.
    pub fn event_type(self) -> EventType {
        use SubEventType::*;
        match self {
            ArmedClash | GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => {
                EventType::Battles
            }
            ChemicalWeapon
            | AirDroneStrike
            | SuicideBomb
            | ShellingArtilleryMissileAttack
            | RemoteExplosiveLandmineIed
            | Grenade => EventType::ExplosionsRemoteViolence,
            SexualViolence | Attack | AbductionForcedDisappearance => {
                EventType::ViolenceAgainstCivilians
            }
            PeacefulProtest | ProtestWithIntervention | ExcessiveForceAgainstProtesters => {
                EventType::Protests
            }
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroupActivity
            | DisruptedWeaponsUse
            | HeadquartersOrBaseEstablished
            | LootingPropertyDestruction
            | NonViolentTransferOfTerritory
            | Other => EventType::StrategicDevelopments,
        }
    }

    /// The snake-case code (`air_drone_strike`).
    pub fn code(self) -> &'static str {
        use SubEventType::*;
        match self {
            ArmedClash => "armed_clash",
            GovernmentRegainsTerritory => "government_regains_territory",
            NonStateActorOvertakesTerritory => "non_state_actor_overtakes_territory",
            ChemicalWeapon => "chemical_weapon",
            AirDroneStrike => "air_drone_strike",
            SuicideBomb => "suicide_bomb",
            ShellingArtilleryMissileAttack => "shelling_artillery_missile_attack",
            RemoteExplosiveLandmineIed => "remote_explosive_landmine_ied",
            Grenade => "grenade",
            SexualViolence => "sexual_violence",
            Attack => "attack",
            AbductionForcedDisappearance => "abduction_forced_disappearance",
            PeacefulProtest => "peaceful_protest",
            ProtestWithIntervention => "protest_with_intervention",
            ExcessiveForceAgainstProtesters => "excessive_force_against_protesters",
            ViolentDemonstration => "violent_demonstration",
            MobViolence => "mob_violence",
            Agreement => "agreement",
            Arrests => "arrests",
            ChangeToGroupActivity => "change_to_group_activity",
            DisruptedWeaponsUse => "disrupted_weapons_use",
            HeadquartersOrBaseEstablished => "headquarters_or_base_established",
            LootingPropertyDestruction => "looting_property_destruction",
            NonViolentTransferOfTerritory => "non_violent_transfer_of_territory",
            Other => "other",
        }
    }

    /// The name ACLED's own exports use (`Air/drone strike`).
    pub fn acled_name(self) -> &'static str {
        use SubEventType::*;
        match self {
            ArmedClash => "Armed clash",
            GovernmentRegainsTerritory => "Government regains territory",
            NonStateActorOvertakesTerritory => "Non-state actor overtakes territory",
            ChemicalWeapon => "Chemical weapon",
            AirDroneStrike => "Air/drone strike",
            SuicideBomb => "Suicide bomb",
            ShellingArtilleryMissileAttack => "Shelling/artillery/missile attack",
            RemoteExplosiveLandmineIed => "Remote explosive/landmine/IED",
            Grenade => "Grenade",
            SexualViolence => "Sexual violence",
            Attack => "Attack",
            AbductionForcedDisappearance => "Abduction/forced disappearance",
            PeacefulProtest => "Peaceful protest",
            ProtestWithIntervention => "Protest with intervention",
            ExcessiveForceAgainstProtesters => "Excessive force against protesters",
            ViolentDemonstration => "Violent demonstration",
            MobViolence => "Mob violence",
            Agreement => "Agreement",
            Arrests => "Arrests",
            ChangeToGroupActivity => "Change to group/activity",
            DisruptedWeaponsUse => "Disrupted weapons use",
            HeadquartersOrBaseEstablished => "Headquarters or base established",
            LootingPropertyDestruction => "Looting/property destruction",
            NonViolentTransferOfTerritory => "Non-violent transfer of territory",
            Other => "Other",
        }
    }

    pub fn from_code(code: &str) -> Option<SubEventType> {
        SubEventType::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl fmt::Display for SubEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How exactly a date range is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// One known day (`start == end`).
    Day,
    /// A span of known days ("since Tuesday", "on Thursday and Friday").
    Range,
    /// Some day within a week ("last week").
    Week,
    /// Some day within a month ("in May 2012", "last November").
    Month,
    /// Some day within a year.
    Year,
    /// The text does not fix the date.
    Unknown,
}

/// An inclusive range of days. Both ends are `None` when the date is unknown; a report without a
/// publication date keeps only what its text fixes and never gets an invented year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub precision: DatePrecision,
}

impl DateRange {
    pub fn unknown() -> DateRange {
        DateRange {
            start: None,
            end: None,
            precision: DatePrecision::Unknown,
        }
    }

    pub fn day(date: Date) -> DateRange {
        DateRange {
            start: Some(date),
            end: Some(date),
            precision: DatePrecision::Day,
        }
    }

    /// An inclusive range; `Day` precision when both ends are the same day.
    pub fn between(start: Date, end: Date, precision: DatePrecision) -> DateRange {
        let (start, end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let precision = if start == end {
            DatePrecision::Day
        } else {
            precision
        };
        DateRange {
            start: Some(start),
            end: Some(end),
            precision,
        }
    }

    pub fn is_known(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }

    /// True when the two ranges share a day, after widening each end of both by `slack_days`.
    /// Unknown ranges overlap nothing.
    pub fn overlaps(&self, other: &DateRange, slack_days: i32) -> bool {
        let (Some((a0, a1)), Some((b0, b1))) = (self.bounds(), other.bounds()) else {
            return false;
        };
        let widen = |d: Date, by: i32| d.checked_add(jiff::Span::new().days(by)).unwrap_or(d);
        widen(a0, -slack_days) <= widen(b1, slack_days)
            && widen(b0, -slack_days) <= widen(a1, slack_days)
    }

    /// `(start, end)` with a missing end filled from the other.
    pub fn bounds(&self) -> Option<(Date, Date)> {
        match (self.start, self.end) {
            (Some(s), Some(e)) => Some((s, e)),
            (Some(s), None) => Some((s, s)),
            (None, Some(e)) => Some((e, e)),
            (None, None) => None,
        }
    }
}

impl Default for DateRange {
    fn default() -> DateRange {
        DateRange::unknown()
    }
}

/// How exactly a place is known: the kind of thing its coordinates stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacePrecision {
    /// A village, town or city.
    Settlement,
    /// A neighbourhood or district of a city.
    District,
    /// A second-level administrative unit (district, county).
    Admin2,
    /// A first-level administrative unit (governorate, province, state).
    Admin1,
    Country,
    /// A named region that is no administrative unit ("the Syrian coast", "eastern Ghouta").
    Region,
}

impl PlacePrecision {
    pub fn code(self) -> &'static str {
        match self {
            PlacePrecision::Settlement => "settlement",
            PlacePrecision::District => "district",
            PlacePrecision::Admin2 => "admin2",
            PlacePrecision::Admin1 => "admin1",
            PlacePrecision::Country => "country",
            PlacePrecision::Region => "region",
        }
    }

    /// Rank from most precise (0) to least; used to keep the most precise of several places.
    pub fn rank(self) -> u8 {
        match self {
            PlacePrecision::District => 0,
            PlacePrecision::Settlement => 1,
            PlacePrecision::Admin2 => 2,
            PlacePrecision::Admin1 => 3,
            PlacePrecision::Region => 4,
            PlacePrecision::Country => 5,
        }
    }
}

/// A place resolved to the gazetteer (or to a curated region), with coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The name the gazetteer gives the place (for a district: "Al-Qusour, Baniyas").
    pub name: String,
    pub geonames_id: Option<u64>,
    /// First-level administrative unit, by name.
    pub admin1: Option<String>,
    /// Second-level administrative unit, by name.
    pub admin2: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub precision: PlacePrecision,
    /// The words of the report that named it, when the place comes from a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Place {
    /// Great-circle distance in kilometres.
    pub fn distance_km(&self, other: &Place) -> f64 {
        haversine_km(self.lat, self.lon, other.lat, other.lon)
    }
}

/// Great-circle distance in kilometres between two WGS84 points (mean Earth radius 6,371 km).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// What part an actor plays in an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// Carried out the violence (ACLED actor 1).
    Perpetrator,
    /// Was attacked or fought against (ACLED actor 2), when that is an armed or organised actor.
    Target,
}

/// The kind of an actor, after ACLED's interaction codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// The forces of the state where the incident happened (army, police, security services).
    StateForces,
    /// Rebel or insurgent groups fighting the state.
    RebelGroup,
    /// Armed groups working for a political end, often allied to the state or a party.
    PoliticalMilitia,
    /// Armed groups organised around an ethnic, religious, tribal or local identity.
    IdentityMilitia,
    /// The forces of another state (Russian forces in Syria, the US-led coalition).
    ForeignForces,
    /// An armed group the report does not identify ("gunmen", "unknown assailants").
    UnidentifiedArmedGroup,
    Rioters,
    Protesters,
    Civilians,
    /// International organisations, private security, others.
    Other,
}

impl ActorKind {
    /// ACLED's interaction code (inter1/inter2): 1 state forces ... 8 external/other forces.
    pub fn acled_inter(self) -> u8 {
        match self {
            ActorKind::StateForces => 1,
            ActorKind::RebelGroup => 2,
            ActorKind::PoliticalMilitia | ActorKind::UnidentifiedArmedGroup => 3,
            ActorKind::IdentityMilitia => 4,
            ActorKind::Rioters => 5,
            ActorKind::Protesters => 6,
            ActorKind::Civilians => 7,
            ActorKind::ForeignForces | ActorKind::Other => 8,
        }
    }
}

/// An actor as one report names it in one incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// Canonical name from the actor dictionary ("Hay'at Tahrir al-Sham"), or the mention itself
    /// when the dictionary does not know it.
    pub name: String,
    /// The words of the report ("HTS", "militants loyal to Sharaa").
    pub mention: String,
    pub role: ActorRole,
    pub kind: ActorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// Who attributes the act to this actor, when the report says ("according to SANA").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
}

/// Who the victims were, as a class.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Victims {
    Civilians,
    Combatants,
    Mixed,
    #[default]
    Unknown,
}

/// What happened to the people a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    Killed,
    Injured,
    Abducted,
    Detained,
    Missing,
}

impl FigureKind {
    pub const ALL: [FigureKind; 5] = [
        FigureKind::Killed,
        FigureKind::Injured,
        FigureKind::Abducted,
        FigureKind::Detained,
        FigureKind::Missing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FigureKind::Killed => "killed",
            FigureKind::Injured => "injured",
            FigureKind::Abducted => "abducted",
            FigureKind::Detained => "detained",
            FigureKind::Missing => "missing",
        }
    }

    pub fn from_code(code: &str) -> Option<FigureKind> {
        FigureKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for FigureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a report qualifies a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// "three", "3", "two of his brothers and his niece".
    Exact,
    /// "at least 180", "no fewer than": `low` only.
    AtLeast,
    /// "more than 20", "over 532": `low` only (the number itself, as gold annotates it).
    MoreThan,
    /// "up to 13", "as many as", "at most": `high` only.
    UpTo,
    /// "fewer than 10", "less than": `high` only.
    LessThan,
    /// "about 25", "some 40", "around", "an estimated", "approximately".
    About,
    /// "nearly twenty", "almost", "close to": `high` is the number.
    Nearly,
    /// A vague quantity: "dozens" (24-99), "scores" (20-99), "hundreds" (200-999), "several".
    Vague,
}

/// One figure as one claimant states it in one report: "at least 180, according to the Syrian
/// Observatory". `low`/`high` are a closed range with open ends (see `gold/SCHEMA.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
    /// The words that state the figure.
    pub text: String,
    /// Who states it ("Syrian Observatory for Human Rights", "state media", "eyewitnesses");
    /// `None` when the report states it in its own voice.
    pub claimant: Option<String>,
    pub span: Span,
    /// The report the claim comes from (its uid), once claims of several reports are combined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    /// That report's publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// The claimant's words as the report gives them ("the Observatory"), when linking has put
    /// the canonical name ("Syrian Observatory for Human Rights") in `claimant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant_mention: Option<String>,
    /// A newer claim of the same claimant replaces this one: kept and shown, not used for the
    /// incident's low / best / high.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub superseded: bool,
    /// The claimant is a party to the conflict or its media (a state news agency, an armed
    /// group's outlet, a ministry).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partisan: bool,
}

impl Claim {
    /// The single number that best represents the claim: the exact or lower figure, else the upper.
    pub fn best(&self) -> Option<u64> {
        self.low.or(self.high)
    }
}

/// A figure of one kind (killed, injured ...): every claim, and the low / best / high derived
/// from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Figure {
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub best: Option<u64>,
    pub claims: Vec<Claim>,
    /// Why `best` is what it is, in words ("best 532: newest figure of ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

/// A passage of the report that supports a mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub span: Span,
    pub text: String,
}

/// One incident as one report tells it: what `extract` produces for each distinct
/// (what, where, when) in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub event_type: EventType,
    pub sub_event_type: SubEventType,
    pub date: DateRange,
    pub place: Option<Place>,
    pub actors: Vec<Actor>,
    pub victims: Victims,
    pub victim_identity: Option<String>,
    pub figures: BTreeMap<FigureKind, Figure>,
    /// True when the report mentions the incident as background, not as news.
    pub historical: bool,
    /// True when the mention sums up a wave of violence over a wide area or many days ("over 532
    /// killed on the coast in recent days") rather than one local incident.
    #[serde(default)]
    pub aggregate: bool,
    /// The sentences the mention was built from, in text order.
    pub evidence: Vec<Evidence>,
}

/// The report fields the extraction contract prints beside its mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRef {
    /// The report's uid when it is stored, else the stem of its source path.
    pub id: String,
    pub source: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub language: Option<String>,
}

/// What `vigil extract --format jsonl` prints for one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedReport {
    pub report: ReportRef,
    pub incidents: Vec<Mention>,
}

/// A report as an incident lists it among its sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentReport {
    /// The report's uid.
    pub id: String,
    pub source: String,
    pub title: Option<String>,
    pub published: Option<Date>,
    /// The outlet that published the report ("Reuters", "Enab Baladi"), when known: what exports
    /// credit as the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
}

/// Something about an incident an analyst must look at: the record shows disagreement, it never
/// resolves it silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// A stable snake-case code (`conflicting_perpetrators`, `conflicting_figures` ...).
    pub code: String,
    /// What the disagreement is, in words.
    pub detail: String,
}

/// One real incident: the mentions of every report that tells it, linked, with reconciled
/// figures. Its place and date are the most precise ones its mentions support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable public identifier.
    pub id: String,
    pub event_type: EventType,
    pub sub_event_type: SubEventType,
    pub date: DateRange,
    pub place: Option<Place>,
    pub actors: Vec<Actor>,
    pub victims: Victims,
    pub victim_identity: Option<String>,
    /// Per kind: every claim of every report (with its report and publication date), and the
    /// reconciled low / best / high with the rationale.
    pub figures: BTreeMap<FigureKind, Figure>,
    pub historical: bool,
    #[serde(default)]
    pub aggregate: bool,
    pub reports: Vec<IncidentReport>,
    /// The wider incident (a wave of violence) this one belongs to.
    pub part_of: Option<String>,
    pub flags: Vec<Flag>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn sub_event_types_belong_to_one_event_type_and_round_trip() {
        for sub in SubEventType::ALL {
            assert_eq!(SubEventType::from_code(sub.code()), Some(sub));
            let json = serde_json::to_string(&sub).unwrap();
            assert_eq!(json, format!("\"{}\"", sub.code()));
        }
        assert_eq!(
            SubEventType::AirDroneStrike.event_type(),
            EventType::ExplosionsRemoteViolence
        );
        assert_eq!(
            SubEventType::AbductionForcedDisappearance.event_type(),
            EventType::ViolenceAgainstCivilians
        );
    }

    #[test]
    fn date_ranges_overlap_with_slack() {
        let a = DateRange::day(date(2025, 3, 7));
        let b = DateRange::between(date(2025, 3, 8), date(2025, 3, 9), DatePrecision::Range);
        assert!(!a.overlaps(&b, 0));
        assert!(a.overlaps(&b, 1));
        assert!(!a.overlaps(&DateRange::unknown(), 5));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"start":"2025-03-07","end":"2025-03-07","precision":"day"}"#
        );
    }

    #[test]
    fn haversine_matches_a_known_distance() {
        // Homs to Damascus is about 140 km as the crow flies.
        let d = haversine_km(34.7324, 36.7137, 33.5102, 36.2913);
        assert!((d - 141.0).abs() < 3.0, "{d}");
    }
}
