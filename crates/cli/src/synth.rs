//! Synthetic reports for the ingest benchmark and the crash test: realistic in size (3-8 KB),
//! shape (front matter, headline, paragraphs of conflict reporting) and variety, and distinct.
//!
//! The generator is deterministic: the same seed gives the same reports, so benchmark runs
//! compare like with like.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// A small, fast, deterministic generator (SplitMix64): enough for test data, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PLACES: &[&str] = &[
    "Baniyas",
    "Jableh",
    "Latakia",
    "Homs",
    "Hama",
    "Idlib",
    "Aleppo",
    "Deir ez-Zor",
    "Raqqa",
    "Daraa",
    "Sweida",
    "Qamishli",
    "Afrin",
    "Manbij",
    "Douma",
    "Tartus",
    "Mosul",
    "Kirkuk",
    "Fallujah",
    "Taiz",
    "Hodeidah",
    "Marib",
    "El Fasher",
    "Nyala",
    "Kharkiv",
    "Bakhmut",
    "Goma",
    "Maiduguri",
    "Mogadishu",
    "Kandahar",
    "Gao",
    "Sittwe",
    "Culiacan",
];
const ACTORS: &[&str] = &[
    "government forces",
    "security forces",
    "an armed group",
    "unidentified gunmen",
    "militants",
    "rebel fighters",
    "a local militia",
    "foreign forces",
    "pro-government fighters",
    "insurgents",
];
const VICTIMS: &[&str] = &[
    "civilians",
    "people",
    "residents",
    "children",
    "women and children",
    "farmers",
    "displaced people",
    "aid workers",
    "fighters",
    "police officers",
];
const CLAIMANTS: &[&str] = &[
    "a local monitoring group",
    "the health ministry",
    "residents",
    "a hospital source",
    "the United Nations",
    "activists",
    "state media",
    "a rights group",
    "medics",
    "the provincial governor",
];
const WEAPONS: &[&str] = &[
    "air strikes",
    "artillery shelling",
    "a car bomb",
    "drone strikes",
    "rocket fire",
    "mortar rounds",
    "gunfire",
    "a roadside bomb",
];
const OUTLETS: &[&str] = &[
    "The Levant Monitor",
    "Regional Wire",
    "Daily Dispatch",
    "Frontline News",
    "",
    "Coastal Post",
];
const FILLER: &[&str] = &[
    "The area has seen repeated violence in recent months, and aid agencies have warned that access to the affected villages remains limited.",
    "Local officials said the roads into the district had been closed, and that families were sheltering in schools and mosques.",
    "Footage circulated on social media appeared to show damaged homes and burned vehicles, though it could not be independently verified.",
    "Humanitarian organisations called for an independent investigation and for the protection of civilians under international law.",
    "A spokesperson declined to comment on the allegations when contacted by telephone.",
    "Residents described a night of heavy gunfire followed by hours of silence as people waited to learn the fate of relatives.",
    "Doctors at the main hospital said they were overwhelmed and short of blood, anaesthetics and fuel for generators.",
    "The fighting has displaced thousands of families, many of whom had already fled their homes earlier in the conflict.",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Report number `index` of the stream seeded with `seed`: a complete file with front matter.
/// Distinct indexes give distinct texts (the index is part of the body).
pub fn report(seed: u64, index: u64) -> String {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let place = rng.pick(PLACES);
    let actor = rng.pick(ACTORS);
    let victims = rng.pick(VICTIMS);
    let weapon = rng.pick(WEAPONS);
    let killed = 2 + rng.below(180);
    let year = 2012 + rng.below(14);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let target = 3000 + rng.below(5000);

    let mut text = String::with_capacity(target + 600);
    let _ = writeln!(text, "---");
    let _ = writeln!(
        text,
        "title: \"At least {killed} {victims} killed in {place}\""
    );
    let _ = writeln!(text, "outlet: \"{}\"", rng.pick(OUTLETS));
    let _ = writeln!(
        text,
        "url: \"https://news.example/{year}/{month:02}/{index}\""
    );
    let _ = writeln!(text, "published: {year}-{month:02}-{day:02}");
    // Half the reports leave the language to be detected, as many real sources do.
    if index.is_multiple_of(2) {
        let _ = writeln!(text, "language: en");
    }
    let _ = writeln!(text, "---\n");
    let _ = writeln!(text, "At least {killed} {victims} killed in {place}\n");
    let _ = writeln!(
        text,
        "At least {killed} {victims} were killed and {} wounded on {} when {actor} carried out {weapon} on {place}, according to {}. Report {index}.\n",
        rng.below(300),
        rng.pick(WEEKDAYS),
        rng.pick(CLAIMANTS),
    );
    while text.len() < target {
        match rng.below(4) {
            0 => {
                let _ = writeln!(
                    text,
                    "{} said that {} {victims} had been abducted from the outskirts of {} in the early hours of {} {}, and that their whereabouts remained unknown.\n",
                    capitalise(rng.pick(CLAIMANTS)),
                    rng.below(40) + 1,
                    rng.pick(PLACES),
                    rng.pick(MONTHS),
                    1 + rng.below(28),
                );
            }
            1 => {
                let _ = writeln!(
                    text,
                    "Earlier, {} reported that {actor} had shelled villages near {} for a third day, killing {} people and injuring dozens.\n",
                    rng.pick(CLAIMANTS),
                    rng.pick(PLACES),
                    rng.below(60),
                );
            }
            _ => {
                let _ = writeln!(text, "{}\n", rng.pick(FILLER));
            }
        }
    }
    text
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes `count` reports as `dir/NNNNNN.txt`, 1,000 to a subfolder so directories stay small.
pub fn write_reports(dir: &Path, seed: u64, count: u64) -> io::Result<()> {
    for index in 0..count {
        let sub = dir.join(format!("{:03}", index / 1000));
        if index.is_multiple_of(1000) {
            fs::create_dir_all(&sub)?;
        }
        fs::write(sub.join(format!("{index:06}.txt")), report(seed, index))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_realistic_in_size_and_distinct() {
        let a = report(7, 1);
        let b = report(7, 2);
        assert_ne!(a, b);
        assert_eq!(a, report(7, 1), "deterministic");
        for i in 0..200 {
            let r = report(7, i);
            assert!(
                (3000..8700).contains(&r.len()),
                "report {i} is {} bytes",
                r.len()
            );
            assert!(r.starts_with("---\ntitle: \"At least "));
        }
    }
}
