//! Tests of extraction: annotators phrase by phrase, whole reports against gold annotations (the
//! samples and a held-out set of reports from other conflicts), agreement of the scorer with
//! the reference `score.py`, and robustness on arbitrary text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::civil::Date;
use vigil_extract::eval::{Scores, load_gold_dir, score};
use vigil_extract::{Annotations, Config, ReportInput, Resources, annotate, extract_report};
use vigil_model::{ExtractedReport, Mention, ReportRef};

fn resources() -> &'static Resources {
    static RESOURCES: OnceLock<Resources> = OnceLock::new();
    RESOURCES.get_or_init(|| Resources::bundled().expect("bundled resources load"))
}

fn date(text: &str) -> Option<Date> {
    text.parse().ok()
}

fn annotations(published: Option<&str>, text: &str) -> Annotations {
    let input = ReportInput {
        body: text,
        title: None,
        published: published.and_then(date),
        language: Some("en"),
    };
    annotate(&input, resources(), &Config::default())
}

// ---------------------------------------------------------------------------------------------
// Dates, phrase by phrase.

/// The dates of `phrase` as "start..end precision" ("2025-03-06 day" for one day).
fn check_date(published: &str, phrase: &str) -> String {
    let a = annotations(date(published).map(|_| published), phrase);
    if a.dates.is_empty() {
        return "none".to_string();
    }
    a.dates
        .iter()
        .map(|d| match (d.start, d.end) {
            (Some(s), Some(e)) if s == e => format!("{s} {}", code(d.precision)),
            (Some(s), Some(e)) => format!("{s}..{e} {}", code(d.precision)),
            _ => format!("unknown ({})", d.text),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn code(p: vigil_model::DatePrecision) -> String {
    serde_json::to_value(p)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn dates_resolve_against_the_publication_date() {
    insta::assert_snapshot!(check_date("2025-03-08", "on Thursday"), @"2025-03-06 day");
    insta::assert_snapshot!(check_date("2025-03-08", "Thursday morning"), @"2025-03-06 day");
    insta::assert_snapshot!(check_date("2017-02-09", "on Thursday"), @"2017-02-09 day");
    insta::assert_snapshot!(check_date("2025-03-08", "last Saturday"), @"2025-03-01 day");
    insta::assert_snapshot!(check_date("2025-03-08", "Late on Thursday night"), @"2025-03-06 day");
    insta::assert_snapshot!(check_date("2025-03-08", "on Thursday and Friday"), @"2025-03-06..2025-03-07 range");
    insta::assert_snapshot!(check_date("2025-03-08", "yesterday"), @"2025-03-07 day");
    insta::assert_snapshot!(check_date("2025-03-08", "overnight"), @"2025-03-07..2025-03-08 range");
    insta::assert_snapshot!(check_date("2025-03-08", "two days ago"), @"2025-03-06 day");
    insta::assert_snapshot!(check_date("2025-03-09", "in recent days"), @"2025-03-06..2025-03-09 range");
    insta::assert_snapshot!(check_date("2025-03-17", "last week"), @"2025-03-10..2025-03-16 week");
    insta::assert_snapshot!(check_date("2025-03-17", "over the weekend"), @"2025-03-15..2025-03-16 range");
    insta::assert_snapshot!(check_date("2017-02-09", "since Tuesday"), @"2017-02-07..2017-02-09 range");
    insta::assert_snapshot!(check_date("2017-02-09", "last November"), @"2016-11-01..2016-11-30 month");
    insta::assert_snapshot!(check_date("2017-02-09", "In August"), @"2016-08-01..2016-08-31 month");
    insta::assert_snapshot!(check_date("2016-05-13", "in May 2012"), @"2012-05-01..2012-05-31 month");
    insta::assert_snapshot!(check_date("2025-03-17", "March 7"), @"2025-03-07 day");
    insta::assert_snapshot!(check_date("2025-03-17", "in the early hours of March 7, a Friday"), @"2025-03-07 day");
    insta::assert_snapshot!(check_date("2025-01-05", "on December 28"), @"2024-12-28 day");
    insta::assert_snapshot!(check_date("2025-03-08", "March 6-8"), @"2025-03-06..2025-03-08 range");
    insta::assert_snapshot!(check_date("2025-03-08", "7 March 2025"), @"2025-03-07 day");
    insta::assert_snapshot!(check_date("2025-03-08", "2017-02-08"), @"2017-02-08 day");
    insta::assert_snapshot!(check_date("1988-08-25", "on 23 Aug 88"), @"1988-08-23 day");
    insta::assert_snapshot!(check_date("2025-03-08", "the 7th of March"), @"2025-03-07 day");
    insta::assert_snapshot!(check_date("2025-03-08", "since 2011"), @"2011-01-01..2011-12-31 year");
}

#[test]
fn without_a_publication_date_only_what_the_text_fixes_is_kept() {
    insta::assert_snapshot!(check_date("", "7 March 2025"), @"2025-03-07 day");
    insta::assert_snapshot!(check_date("", "in May 2012"), @"2012-05-01..2012-05-31 month");
    insta::assert_snapshot!(check_date("", "on Thursday"), @"none");
    insta::assert_snapshot!(check_date("", "March 7"), @"unknown (March 7)");
    insta::assert_snapshot!(check_date("", "yesterday"), @"unknown (yesterday)");
}

#[test]
fn words_that_are_no_dates() {
    // "may" the verb, "march" the verb, a bare year without a cue, a duration.
    insta::assert_snapshot!(check_date("2025-03-08", "They may march to the square, and 2012 people came."), @"none");
    insta::assert_snapshot!(check_date("2025-03-08", "the three-day bombardment"), @"none");
}

// ---------------------------------------------------------------------------------------------
// Figures, phrase by phrase.

/// The figures of `phrase` as "kind low=.. high=.. qualifier victims".
fn check_figure(phrase: &str) -> String {
    let a = annotations(Some("2025-03-08"), phrase);
    let shown: Vec<String> = a
        .figures
        .iter()
        .map(|f| {
            let mut s = serde_json::to_value(f.kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            if let Some(l) = f.low {
                s.push_str(&format!(" low={l}"));
            }
            if let Some(h) = f.high {
                s.push_str(&format!(" high={h}"));
            }
            s.push_str(&format!(
                " {}",
                serde_json::to_value(f.qualifier).unwrap().as_str().unwrap()
            ));
            s.push_str(&format!(
                " {}",
                serde_json::to_value(f.victims).unwrap().as_str().unwrap()
            ));
            s
        })
        .collect();
    if shown.is_empty() {
        "none".to_string()
    } else {
        shown.join("; ")
    }
}

#[test]
fn figures_with_qualifiers_counted_people_and_predicates() {
    insta::assert_snapshot!(check_figure("at least 12 civilians were killed"), @"killed low=12 at_least civilians");
    insta::assert_snapshot!(check_figure("Up to 13 Waer residents have died since Tuesday"), @"killed high=13 up_to civilians");
    insta::assert_snapshot!(check_figure("Videos show a pile of corpses, nearly twenty, lying on the asphalt."), @"killed high=20 nearly unknown");
    insta::assert_snapshot!(check_figure("Scores of civilians were injured."), @"injured low=20 high=99 vague civilians");
    insta::assert_snapshot!(check_figure("hundreds of them were murdered by militants"), @"killed low=200 high=999 vague unknown");
    insta::assert_snapshot!(check_figure("over 532 Alawite civilians have been killed in recent days"), @"killed low=532 more_than civilians");
    insta::assert_snapshot!(check_figure("more than 7,300 detainees held by the regime"), @"none");
    insta::assert_snapshot!(check_figure("home to an estimated 50,000 people"), @"none");
    insta::assert_snapshot!(check_figure("the 4 sq. km district"), @"none");
    insta::assert_snapshot!(check_figure("killing one local resident"), @"killed low=1 high=1 exact civilians");
    insta::assert_snapshot!(check_figure("the device killed three residents and injured two others"), @"killed low=3 high=3 exact civilians; injured low=2 high=2 exact unknown");
    insta::assert_snapshot!(check_figure("five soldiers and three civilians were killed"), @"killed low=8 high=8 exact combatants");
    insta::assert_snapshot!(check_figure("the attack killed nine policemen and nine civilians"), @"killed low=18 high=18 exact combatants");
    insta::assert_snapshot!(check_figure("the death toll rose to 30"), @"killed low=30 high=30 exact unknown");
    insta::assert_snapshot!(check_figure("the number of prisoners includes about 25 women and children"), @"abducted low=25 high=25 about civilians");
    insta::assert_snapshot!(check_figure("gunmen took 25 villagers hostage"), @"abducted low=25 high=25 exact civilians");
    insta::assert_snapshot!(check_figure("Twenty-six people, four of whom are policemen, were injured"), @"injured low=26 high=26 exact unknown");
    insta::assert_snapshot!(check_figure("12 people were arrested in the raid"), @"detained low=12 high=12 exact unknown");
    insta::assert_snapshot!(check_figure("dozens of people remain missing"), @"missing low=24 high=99 vague unknown");
    insta::assert_snapshot!(check_figure("two or three people were wounded"), @"injured low=2 high=3 about unknown");
}

#[test]
fn relatives_and_single_people_count() {
    insta::assert_snapshot!(check_figure("his parents, brother, sister and her two children were shot dead in the town"), @"killed low=6 high=6 exact civilians");
    insta::assert_snapshot!(check_figure("two of his brothers and his niece were killed"), @"killed low=3 high=3 exact civilians");
    insta::assert_snapshot!(check_figure("Adnan Khalil, 30, lost his young daughter on Wednesday"), @"killed low=1 high=1 exact civilians");
    insta::assert_snapshot!(check_figure("the gunmen killed a university professor, a policeman, and a pedestrian"), @"killed low=3 high=3 exact combatants");
    insta::assert_snapshot!(check_figure("A 95-year-old man was shot dead."), @"killed low=1 high=1 exact unknown");
    insta::assert_snapshot!(check_figure("Martin Ibarra, 35, of South Baltimore, was shot and killed on Friday."), @"killed low=1 high=1 exact unknown");
    insta::assert_snapshot!(check_figure("A 66-year-old man was shot in his leg. He was hospitalized."), @"injured low=1 high=1 exact unknown");
}

#[test]
fn numbers_that_are_no_casualty_figures() {
    // Unknown counts, conditionals, ages, times, things that are not people.
    insta::assert_snapshot!(check_figure("her mother and brothers were all slaughtered"), @"none");
    insta::assert_snapshot!(check_figure("If I had been five minutes late, I would have been killed."), @"none");
    insta::assert_snapshot!(check_figure("A resident of Baniyas, Samir Haidar, 67, told AFP."), @"none");
    insta::assert_snapshot!(check_figure("bodies were piled up in two mass graves"), @"none");
    insta::assert_snapshot!(check_figure("they were kidnapped between 0630 and 0700 by armed men"), @"none");
    insta::assert_snapshot!(check_figure("the corpses of several police officers"), @"none");
    insta::assert_snapshot!(check_figure("It is unclear how many civilians were killed."), @"none");
    insta::assert_snapshot!(check_figure("the militants threatened to kill 10 hostages"), @"none");
    insta::assert_snapshot!(check_figure("No one was injured."), @"none");
}

// ---------------------------------------------------------------------------------------------
// Claimants, actors, triggers.

fn check_claimants(text: &str) -> String {
    let a = annotations(Some("2025-03-08"), text);
    let v: Vec<String> = a.claimants.iter().map(|c| c.value.clone()).collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join("; ")
    }
}

#[test]
fn claimants_of_sentences() {
    insta::assert_snapshot!(check_claimants("According to the Syrian Observatory for Human Rights, over 532 civilians have been killed."), @"Syrian Observatory for Human Rights");
    insta::assert_snapshot!(check_claimants("A resident of Baniyas, Samir Haidar, 67, told AFP that two of his brothers were killed."), @"Samir Haidar");
    insta::assert_snapshot!(check_claimants("“They came at night,” said Hassan Harfoush, an Alawite from Al-Qusour."), @"Hassan Harfoush");
    insta::assert_snapshot!(check_claimants("Two explosive gas cylinders hit the district, killing one resident, pro-opposition sources told Syria Direct."), @"pro-opposition sources");
    insta::assert_snapshot!(check_claimants("Syrian state media outlet SANA reported that three residents were killed."), @"Syrian Arab News Agency");
    insta::assert_snapshot!(check_claimants("Rami Abdulrahman from the Syrian Observatory for Human Rights stated that militants were responsible. His organization estimates that at least 180 people were killed."), @"Syrian Observatory for Human Rights; Syrian Observatory for Human Rights");
    insta::assert_snapshot!(check_claimants("Troops deployed following reports of mass killings."), @"none");
    // "X, who claimed": X is the noun phrase after the preposition that governs it.
    insta::assert_snapshot!(check_claimants("This provoked a reaction from militia commanders, who claimed that 40 fighters were killed."), @"militia commanders");
}

fn check_actors(published: &str, text: &str) -> String {
    let a = annotations(Some(published), text);
    let v: Vec<String> = a
        .actors
        .iter()
        .map(|c| format!("{} = {}", c.text, c.value))
        .collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join("; ")
    }
}

#[test]
fn actors_resolve_by_country_and_date() {
    insta::assert_snapshot!(check_actors("2016-05-13", "Regime forces bombed Talbiseh in Homs."), @"Regime forces = Syrian government forces (2000-2024) (StateForces)");
    insta::assert_snapshot!(check_actors("2025-03-09", "Security forces entered Baniyas in Tartus."), @"Security forces = Syrian government forces (2024-) (StateForces)");
    insta::assert_snapshot!(check_actors("2016-05-13", "Assad loyalists shelled Talbiseh in Homs."), @"Assad loyalists = Syrian pro-government militias (2011-2024) (PoliticalMilitia)");
    insta::assert_snapshot!(check_actors("2025-03-09", "Assad loyalists ambushed a patrol near Jableh in Latakia."), @"Assad loyalists = Assad loyalist insurgents (2024-) (RebelGroup)");
    insta::assert_snapshot!(check_actors("2016-05-13", "Nusra Front and Ahrar al-Sham stormed Al-Zarah in Hama."), @"Nusra Front = Jabhat al-Nusra (RebelGroup); Ahrar al-Sham = Ahrar al-Sham (RebelGroup)");
    insta::assert_snapshot!(check_actors("2025-03-17", "Militants loyal to the Islamist government of Ahmed al-Sharaa killed villagers in Baniyas."), @"Militants loyal to the Islamist government = Syrian government forces (2024-) (StateForces)");
    insta::assert_snapshot!(check_actors("2016-05-13", "Russian warplanes struck Talbiseh in Homs."), @"Russian warplanes = Russian armed forces (ForeignForces)");
    insta::assert_snapshot!(check_actors("2016-05-13", "Factions of the Homs Operations Room, including Faylaq Homs, stormed Al-Zarah."), @"Factions of the Homs Operations Room = Factions of the Homs Operations Room (RebelGroup); Faylaq Homs = Faylaq Homs (RebelGroup)");
    insta::assert_snapshot!(check_actors("2019-06-01", "The Taliban attacked a checkpoint in Kunduz, Afghanistan."), @"The Taliban = Taliban (RebelGroup)");
    insta::assert_snapshot!(check_actors("2023-06-01", "The Taliban detained two journalists in Kabul, Afghanistan."), @"The Taliban = Afghan government forces (Taliban, 2021-) (StateForces)");
    insta::assert_snapshot!(check_actors("2024-06-01", "Gunmen abducted 20 students in Kaduna, Nigeria."), @"Gunmen = unidentified armed group (UnidentifiedArmedGroup)");
}

fn check_triggers(text: &str) -> String {
    let a = annotations(Some("2025-03-08"), text);
    let v: Vec<String> = a
        .triggers
        .iter()
        .map(|c| format!("{} = {}", c.text, c.value))
        .collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join("; ")
    }
}

#[test]
fn triggers_of_event_types() {
    insta::assert_snapshot!(check_triggers("Warplanes raided the village and a car bomb exploded."), @"Warplanes = Sub(AirDroneStrike); raided = Attack; car bomb = Sub(RemoteExplosiveLandmineIed); exploded = Sub(RemoteExplosiveLandmineIed)");
    insta::assert_snapshot!(check_triggers("They took a number of its residents prisoner and captured all the men."), @"took a number of its residents prisoner = Sub(AbductionForcedDisappearance); captured = Sub(AbductionForcedDisappearance)");
    insta::assert_snapshot!(check_triggers("Residents sprinted to the bomb shelters."), @"none");
    insta::assert_snapshot!(check_triggers("Gunmen machinegunned a guard and riddled a car with bullets."), @"machinegunned = Killing");
}

// ---------------------------------------------------------------------------------------------
// Whole reports: one incident each, phrase by phrase.

/// The incidents of a short report as "type/sub date country/province killed=.. flags".
fn check_report(published: &str, text: &str) -> String {
    let input = ReportInput {
        body: text,
        title: None,
        published: date(published),
        language: Some("en"),
    };
    let x = extract_report(&input, resources(), &Config::default());
    let v: Vec<String> = x.mentions.iter().map(show_mention).collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join("\n")
    }
}

fn show_mention(m: &Mention) -> String {
    let date = match (m.date.start, m.date.end) {
        (Some(s), Some(e)) if s == e => s.to_string(),
        (Some(s), Some(e)) => format!("{s}..{e}"),
        _ => "unknown".to_string(),
    };
    // The place by its country and province: names and points are the gazetteer's to refine.
    let place = m.place.as_ref().map_or("-".to_string(), |p| {
        format!(
            "{}/{}",
            p.country.as_deref().unwrap_or("?"),
            p.admin1.as_deref().unwrap_or("?")
        )
    });
    let mut figures = String::new();
    for (k, f) in &m.figures {
        figures.push_str(&format!(
            " {k}={}",
            f.best.map_or("?".to_string(), |b| b.to_string())
        ));
    }
    let mut flags = String::new();
    if m.historical {
        flags.push_str(" historical");
    }
    if m.aggregate {
        flags.push_str(" aggregate");
    }
    format!(
        "{}/{} {date} {place}{figures}{flags}",
        m.event_type, m.sub_event_type
    )
}

#[test]
fn short_reports_become_incidents() {
    insta::assert_snapshot!(check_report("2016-05-13", "Warplanes struck the village of Talbiseh in the northern Homs countryside on Thursday, killing at least 12 civilians."), @"explosions_remote_violence/air_drone_strike 2016-05-12 SY/Homs killed=12");
    insta::assert_snapshot!(check_report("2025-03-09", "Gunmen opened fire on villagers in Baniyas on Friday, killing five people."), @"violence_against_civilians/attack 2025-03-07 SY/Tartus killed=5");
    insta::assert_snapshot!(check_report("2024-05-10", "Clashes between the army and rebels in Kidal killed three soldiers on Wednesday."), @"battles/armed_clash 2024-05-08 ML/Kidal killed=3");
    insta::assert_snapshot!(check_report("2024-05-10", "Militants kidnapped 20 students from a school in Kaduna on Monday."), @"violence_against_civilians/abduction_forced_disappearance 2024-05-06 NG/Kaduna State abducted=20");
    insta::assert_snapshot!(check_report("2024-05-10", "A car bomb exploded in Mogadishu on Tuesday, killing eight people."), @"explosions_remote_violence/remote_explosive_landmine_ied 2024-05-07 SO/Banaadir killed=8");
    insta::assert_snapshot!(check_report("2024-05-10", "Hundreds of protesters rallied in Khartoum on Thursday against the war."), @"protests/peaceful_protest 2024-05-09 SD/Khartoum");
    insta::assert_snapshot!(check_report("2016-05-13", "Regime forces have consistently bombarded the villages of Teir Maala with barrel bombs."), @"none");
    insta::assert_snapshot!(check_report("2016-05-13", "The Homs countryside has seen massacres, such as the infamous Houla massacre in May 2012, in which 65 children were killed."), @"violence_against_civilians/attack 2012-05-01..2012-05-31 SY/Homs killed=65 historical");
    insta::assert_snapshot!(check_report("2024-05-10", "The militants threatened to attack Kidal if the army did not withdraw."), @"none");
    // What is investigated happened; an hour of the day without a day is the last day.
    insta::assert_snapshot!(check_report("2016-10-29", "Police are investigating a shooting in Indianapolis. Just after 2 a.m., an 18-year-old man was shot."), @"violence_against_civilians/attack 2016-10-28..2016-10-29 US/Indiana");
    // "No 4" is a number, not a negation; "Morazan Department" is the department itself.
    insta::assert_snapshot!(check_report("1988-12-09", "The commander of Military Detachment No 4 reported that 22 guerrillas were killed in Morazan Department today."), @"violence_against_civilians/attack 1988-12-09 SV/Morazán killed=22 aggregate");
    // A surname introduced with an age is a person wherever it recurs ("Dumas" is no Damascus);
    // "St. Mary's Hospital" is no place.
    insta::assert_snapshot!(check_report("2016-12-07", "Jordan Dumas, 19, was arrested Wednesday. Police said Dumas shot a man on Sunday. The man died at St. Mary's Hospital."), @"none");
    // "St." after a street's name or number is "Street" (no Sète).
    insta::assert_snapshot!(check_report("2016-10-24", "A man was shot and killed about 1:15 a.m. Sunday in the 100 block of East 26th St., police said."), @"none");
    // A photo caption is not the narrative, and every item of "towns such as A, B, or C" is an
    // example: "that area" is the last place of the narrative (no Mosul from the caption, no
    // Baiji from the list).
    insta::assert_snapshot!(check_report("2024-05-10", "Fighting broke out in Hawija on Monday.\n\nSoldiers patrol a street in Mosul, Iraq\n\nGunmen killed nine villagers on Tuesday in that area, after raids that brought chaos to major towns such as Tikrit, Samarra, or Baiji."), @"
    battles/armed_clash 2024-05-06 IQ/Kirkuk
    violence_against_civilians/attack 2024-05-07 IQ/Kirkuk killed=9
    ");
    // Local news that names its town only as its police's: the incident happened there.
    insta::assert_snapshot!(check_report("2019-06-10", "A 6-year-old boy was shot and killed Sunday night, and a teenager was arrested. Tulsa Police said the gun belonged to the teen's uncle."), @"violence_against_civilians/attack 2019-06-09 US/Oklahoma killed=1");
    // A date before the event's noun dates the event, not the day of the clause's other news.
    insta::assert_snapshot!(check_report("2019-06-12", "Deputies are investigating a Friday shooting in Lubbock that left a woman on life support Monday."), @"violence_against_civilians/attack 2019-06-07 US/Texas");
    // Datelines with the agency or station in brackets and any dash: the report's place.
    insta::assert_snapshot!(check_report("2019-06-12", "KANDAHAR (AFP) \u{2013} A roadside bomb killed three police officers on Tuesday."), @"explosions_remote_violence/remote_explosive_landmine_ied 2019-06-11 AF/Kandahar killed=3");
    insta::assert_snapshot!(check_report("2019-06-12", "FRESNO, Calif. (AP) \u{2014} Two men were shot and killed outside a store on Monday, police said."), @"violence_against_civilians/attack 2019-06-10 US/California killed=2");
    // A gun that went off is a shooting, not an explosion.
    insta::assert_snapshot!(check_report("2019-06-10", "In Macon, a 12-year-old boy was wounded on Saturday when a handgun went off in his backpack."), @"violence_against_civilians/attack 2019-06-08 US/Georgia injured=1");
}

// ---------------------------------------------------------------------------------------------
// Gold: the sample reports and the held-out reports.

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(kind)
}

/// A report file of the fixtures, read as `vigil extract` reads it: publication date, title
/// and body.
fn read_fixture(path: &Path) -> (Option<Date>, Option<String>, String) {
    let mut report = None;
    vigil_ingest::read_file(path, &vigil_ingest::Config::default(), &mut |item| {
        report = Some(item.expect("a readable report"));
    });
    let report = report.expect("one report");
    let published = report
        .published
        .as_deref()
        .and_then(|p| p.get(..10)?.parse().ok());
    (published, report.title, report.body)
}

fn extract_folder(folder: &Path) -> Vec<ExtractedReport> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let (published, title, body) = read_fixture(path);
            let input = ReportInput {
                body: &body,
                title: title.as_deref(),
                published,
                language: Some("en"),
            };
            let x = extract_report(&input, resources(), &Config::default());
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            ExtractedReport {
                report: ReportRef {
                    id: stem,
                    source: path.display().to_string(),
                    title,
                    outlet: None,
                    published,
                    language: Some("en".to_string()),
                },
                incidents: x.mentions,
            }
        })
        .collect()
}

fn scores_of(set: &str) -> (Scores, Vec<ExtractedReport>) {
    let reports = extract_folder(&fixtures("reports").join(set));
    let gold = load_gold_dir(&fixtures("gold").join(set)).unwrap();
    let predictions: BTreeMap<String, Vec<Mention>> = reports
        .iter()
        .map(|r| (r.report.id.clone(), r.incidents.clone()))
        .collect();
    (score(&predictions, &gold).0, reports)
}

#[test]
fn the_sample_reports_meet_the_targets() {
    let (s, _) = scores_of("seeds");
    println!("{}", s.table());
    assert_eq!(s.core_recall, 1.0, "core recall");
    assert!(s.precision >= 0.85, "precision {}", s.precision);
    assert!(
        s.event_type_accuracy >= 0.85,
        "event type {}",
        s.event_type_accuracy
    );
    assert!(s.date_accuracy >= 0.9, "date {}", s.date_accuracy);
    assert!(s.killed_accuracy >= 0.9, "killed {}", s.killed_accuracy);
    assert!(
        s.median_place_error_km < 5.0,
        "place {}",
        s.median_place_error_km
    );
    assert_eq!(s.invented_figures, 0, "invented figures");
    assert_eq!(
        s.historical_reported_as_news, 0,
        "historical reported as news"
    );
}

#[test]
fn the_held_out_reports_stay_above_their_floor() {
    // Real reports from other conflicts and outlets (MUC-4, GVC, GeoWebNews): a check on
    // generalisation, never tuned on. The floors are the measured scores, rounded down; they
    // only go up.
    let (s, _) = scores_of("heldout");
    println!("{}", s.table());
    assert!(s.core_recall >= 0.75, "core recall {}", s.core_recall);
    assert!(s.precision >= 0.55, "precision {}", s.precision);
    assert!(s.date_accuracy >= 0.85, "date {}", s.date_accuracy);
    assert!(
        s.event_type_accuracy >= 0.75,
        "event type {}",
        s.event_type_accuracy
    );
}

#[test]
fn the_second_held_out_set_stays_above_its_floor() {
    // MUC-4 TST4 and GVC reports annotated before any tuning on them; since then its misses
    // have guided fixes of mechanisms (never of its wording or gold). Floors below the
    // measured scores (core recall 0.61, precision 0.71, date 0.92), with room for the
    // gazetteer's changes.
    let (s, _) = scores_of("heldout2");
    println!("{}", s.table());
    assert!(s.core_recall >= 0.5, "core recall {}", s.core_recall);
    assert!(s.precision >= 0.6, "precision {}", s.precision);
    assert!(s.date_accuracy >= 0.8, "date {}", s.date_accuracy);
}

/// `vigil eval`'s scorer gives what `score.py` gives, on the same predictions.
#[test]
fn the_scorer_agrees_with_score_py() {
    let script = fixtures("gold").join("score.py");
    for set in ["seeds", "heldout"] {
        let (ours, reports) = scores_of(set);
        let dir =
            std::env::temp_dir().join(format!("vigil-extract-agree-{}-{set}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let jsonl = dir.join("predictions.jsonl");
        let mut text = String::new();
        for r in &reports {
            text.push_str(&serde_json::to_string(r).unwrap());
            text.push('\n');
        }
        std::fs::write(&jsonl, text).unwrap();
        let output = std::process::Command::new("python3")
            .arg(&script)
            .arg(&jsonl)
            .arg(fixtures("gold").join(set))
            .output();
        let Ok(output) = output else {
            // No Python on this machine: compare with the recorded output instead (below).
            continue;
        };
        assert!(
            output.status.success(),
            "score.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let theirs = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            ours.table(),
            theirs,
            "the tables of vigil eval and score.py differ on {set}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// The recorded output of `score.py` on recorded predictions (one set right, one with misses,
/// false positives and invented figures), for machines without Python.
#[test]
fn the_scorer_reproduces_recorded_score_py_output() {
    let dir = fixtures("gold").join("agreement");
    for (set, predictions_file, output_file) in [
        ("seeds", "predictions.jsonl", "score_py_output.txt"),
        (
            "heldout",
            "heldout_predictions.jsonl",
            "heldout_score_py_output.txt",
        ),
    ] {
        let gold = load_gold_dir(&fixtures("gold").join(set)).unwrap();
        let mut predictions: BTreeMap<String, Vec<Mention>> = BTreeMap::new();
        for line in std::fs::read_to_string(dir.join(predictions_file))
            .unwrap()
            .lines()
        {
            let r: ExtractedReport = serde_json::from_str(line).unwrap();
            let stem = Path::new(&r.report.source)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            predictions.insert(stem, r.incidents);
        }
        let expected = std::fs::read_to_string(dir.join(output_file)).unwrap();
        assert_eq!(score(&predictions, &gold).0.table(), expected, "{set}");
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness.

#[test]
fn extraction_is_deterministic() {
    let (_, a) = scores_of("seeds");
    let (_, b) = scores_of("seeds");
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

#[test]
fn every_value_points_into_the_body() {
    for set in ["seeds", "heldout"] {
        for path in std::fs::read_dir(fixtures("reports").join(set)).unwrap() {
            let path = path.unwrap().path();
            let (published, _, body) = read_fixture(&path);
            let input = ReportInput {
                body: &body,
                title: None,
                published,
                language: Some("en"),
            };
            for m in extract_report(&input, resources(), &Config::default()).mentions {
                for e in &m.evidence {
                    assert_eq!(e.span.slice(&body), Some(e.text.as_str()));
                }
                for f in m.figures.values() {
                    for c in &f.claims {
                        assert_eq!(
                            c.span.slice(&body),
                            Some(c.text.as_str()),
                            "{}",
                            path.display()
                        );
                    }
                }
                for a in &m.actors {
                    assert!(a.span.unwrap().slice(&body).is_some());
                }
            }
        }
    }
    let _ = workspace();
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn check(body: &str, published: Option<Date>) -> Result<(), TestCaseError> {
        let input = ReportInput {
            body,
            title: None,
            published,
            language: None,
        };
        let x = extract_report(&input, resources(), &Config::default());
        for m in &x.mentions {
            for e in &m.evidence {
                prop_assert!(e.span.slice(body).is_some());
            }
            for f in m.figures.values() {
                for c in &f.claims {
                    prop_assert!(c.span.slice(body).is_some());
                }
            }
        }
        let a = annotate(&input, resources(), &Config::default());
        for n in a
            .dates
            .iter()
            .map(|d| d.span)
            .chain(a.figures.iter().map(|f| f.span))
            .chain(a.places.iter().map(|p| p.span))
            .chain(a.actors.iter().map(|p| p.span))
        {
            prop_assert!(n.slice(body).is_some(), "span {:?} off char boundaries", n);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_text_never_panics(body in "(?s).{0,400}") {
            check(&body, Some(jiff::civil::date(2025, 3, 8)))?;
        }

        #[test]
        fn news_like_text_never_panics(
            words in proptest::collection::vec(prop_oneof![
                Just("killed"), Just("at least"), Just("12"), Just("civilians"), Just("in"), Just("Homs"),
                Just("on Thursday"), Just(","), Just("."), Just("“"), Just("”"), Just("his"), Just("brother"),
                Just("and"), Just("two"), Just("of"), Just("the"), Just("village"), Just("March 7"),
                Just("were"), Just("shot"), Just("dead"), Just("hundreds"), Just("according to"), Just("SANA"),
                Just("airstrike"), Just("\n\n"), Just("مقتل"), Just("ٍ"), Just("after"), Just("when"),
                Just("a day after"), Just("for the third consecutive day"), Just("since Tuesday"), Just("-"),
                Just("0630"), Just("1,200"), Just("[Text]"), Just("AMMAN:"), Just("who"), Just("which"),
            ], 0..80),
            published in proptest::option::of(Just(jiff::civil::date(2017, 2, 9))),
        ) {
            let body = words.join(" ");
            check(&body, published)?;
        }
    }
}
