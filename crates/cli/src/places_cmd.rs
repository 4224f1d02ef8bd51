//! `vigil places`, `vigil geocode` and `vigil gazetteer ...`: the gazetteer's commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use vigil_gazetteer::{Candidate, Gazetteer, GeoparseConfig, Near, PlaceMention};

use crate::Global;
use crate::output::{Table, clean, print_json};

/// Which index to use, shared by the commands that read one.
#[derive(Args, Debug, Clone)]
pub struct IndexArgs {
    /// A compiled gazetteer index (from `vigil gazetteer build` or `import`). Default: the
    /// import folder's index when `vigil gazetteer import` made one, else the bundled data.
    #[arg(long, env = "VIGIL_GAZETTEER", value_name = "FILE")]
    gazetteer: Option<PathBuf>,
}

/// List every place a report names, with its span, candidates, choice, score and precision.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  vigil places examples/reports/*.txt\n  vigil places report.html --json --country SY"
)]
pub struct PlacesArgs {
    /// Report files (any format `vigil ingest` reads); `-` for standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// ISO alpha-2 code of the country the reports are about, when known.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// How many candidates to show per place.
    #[arg(long, default_value_t = 3)]
    candidates: usize,
    #[command(flatten)]
    index: IndexArgs,
}

/// Resolve one place name.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  vigil geocode Telbeesa --near SY\n  vigil geocode Salhab --near Jableh --json"
)]
pub struct GeocodeArgs {
    name: String,
    /// A country (ISO alpha-2 code or name) or a place the name should be near.
    #[arg(long, value_name = "COUNTRY|PLACE")]
    near: Option<String>,
    /// How many candidates to show.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    #[command(flatten)]
    index: IndexArgs,
}

#[derive(Subcommand, Debug)]
pub enum GazetteerCommand {
    /// Compile the bundled data into the cached index now (it is otherwise compiled at first use).
    #[command(
        after_help = "Example:\n  vigil gazetteer build\n  vigil gazetteer build --out /tmp/places.vgi"
    )]
    Build {
        /// Write the index here instead of the cache folder.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add GeoNames dump files (XX.txt, allCountries.txt, cities500.txt, alternateNamesV2.txt,
    /// unzipped) to an index of your own, compiled with the bundled data.
    #[command(
        after_help = "Example:\n  vigil gazetteer import ~/Downloads/YE.txt ~/Downloads/alternateNamesV2.txt"
    )]
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder of imported files and the index compiled from them.
        #[arg(long, env = "VIGIL_GAZETTEER_DIR", value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// What the index holds, where it is, and how long it takes to load.
    #[command(after_help = "Example:\n  vigil gazetteer info")]
    Info {
        #[command(flatten)]
        index: IndexArgs,
    },
    /// The nearest place to a point, with its admin areas.
    #[command(after_help = "Example:\n  vigil gazetteer nearest 35.18 35.95")]
    Nearest {
        #[arg(allow_negative_numbers = true)]
        lat: f64,
        #[arg(allow_negative_numbers = true)]
        lon: f64,
        /// Search radius in km.
        #[arg(long, default_value_t = 50.0)]
        within: f64,
        #[command(flatten)]
        index: IndexArgs,
    },
}

fn import_dir(dir: Option<&Path>) -> PathBuf {
    if let Some(d) = dir {
        return d.to_path_buf();
    }
    if let Some(d) = std::env::var_os("VIGIL_GAZETTEER_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("vigil").join("gazetteer")
}

fn open_index(args: &IndexArgs) -> Result<Gazetteer> {
    if let Some(path) = &args.gazetteer {
        return Gazetteer::open(path)
            .with_context(|| format!("cannot open gazetteer {}", path.display()));
    }
    let imported = import_dir(None).join("index.vgi");
    if imported.is_file() {
        return Gazetteer::open(&imported)
            .with_context(|| format!("cannot open gazetteer {}", imported.display()));
    }
    Gazetteer::bundled().context("cannot load the bundled gazetteer")
}

/// One place mention as `vigil places --json` prints it.
#[derive(Serialize)]
struct PlaceLine<'a> {
    report: &'a str,
    span: [usize; 2],
    text: &'a str,
    name: Option<&'a str>,
    geonames_id: Option<u64>,
    lat: Option<f64>,
    lon: Option<f64>,
    admin1: Option<&'a str>,
    country: Option<&'a str>,
    precision: Option<&'static str>,
    score: f32,
    cue: Option<&'a str>,
    modifier: bool,
    candidates: &'a [Candidate],
}

pub fn places(global: &Global, args: &PlacesArgs) -> Result<ExitCode> {
    let gaz = open_index(&args.index)?;
    let config = GeoparseConfig {
        country_hint: args.country.clone(),
        max_candidates: args.candidates.max(1),
        ..Default::default()
    };
    let mut failed = false;
    for path in &args.files {
        let mut reports = Vec::new();
        let mut sink = |r: Result<vigil_model::IncomingReport, vigil_ingest::Failure>| match r {
            Ok(report) => reports.push(report),
            Err(failure) => {
                eprintln!("{}", clean(&failure.to_string()));
                failed = true;
            }
        };
        let ingest_config = vigil_ingest::Config::default();
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                .context("cannot read standard input")?;
            vigil_ingest::read_bytes(&bytes, "-", None, &ingest_config, &mut sink);
        } else {
            vigil_ingest::read_file(path, &ingest_config, &mut sink);
        }
        for report in reports {
            let found = vigil_gazetteer::find_places(&gaz, &report.body, &config);
            if global.json {
                for m in &found {
                    print_json(&line(&report.source, m))?;
                }
            } else {
                print_table(&report.source, &found, global.verbose)?;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn line<'a>(report: &'a str, m: &'a PlaceMention) -> PlaceLine<'a> {
    let p = m.place.as_ref();
    PlaceLine {
        report,
        span: [m.span.start, m.span.end],
        text: &m.text,
        name: p.map(|p| p.name.as_str()),
        geonames_id: p.and_then(|p| p.geonames_id),
        lat: p.map(|p| p.lat),
        lon: p.map(|p| p.lon),
        admin1: p.and_then(|p| p.admin1.as_deref()),
        country: p.and_then(|p| p.country.as_deref()),
        precision: p.map(|p| p.precision.code()),
        score: m.score,
        cue: m.cue.as_deref(),
        modifier: m.modifier,
        candidates: &m.candidates,
    }
}

fn print_table(source: &str, found: &[PlaceMention], verbose: bool) -> Result<()> {
    println!("{}: {} place mentions", clean(source), found.len());
    let mut table = Table::new(&[
        ("span", 12),
        ("text", 30),
        ("place", 34),
        ("admin1", 16),
        ("cc", 2),
        ("lat,lon", 17),
        ("precision", 10),
        ("score", 5),
        ("cue / other candidates", 70),
    ]);
    for m in found {
        let others: Vec<String> = m
            .candidates
            .iter()
            .skip(1)
            .map(|c| {
                format!(
                    "{} [{}] {:.2}",
                    c.place.name,
                    c.place.country.as_deref().unwrap_or("-"),
                    c.score
                )
            })
            .collect();
        let mut note = m
            .cue
            .as_ref()
            .map(|c| format!("'{c}' "))
            .unwrap_or_default();
        if m.modifier {
            note.push_str("(in a longer name) ");
        }
        note.push_str(&others.join("; "));
        let (name, admin1, cc, point, precision) = match &m.place {
            Some(p) => (
                p.name.clone(),
                p.admin1.clone().unwrap_or_default(),
                p.country.clone().unwrap_or_default(),
                format!("{:.4},{:.4}", p.lat, p.lon),
                p.precision.code().to_string(),
            ),
            None => (
                "(none of these)".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        table.row(vec![
            format!("{}-{}", m.span.start, m.span.end),
            m.text.clone(),
            name,
            admin1,
            cc,
            point,
            precision,
            format!("{:.2}", m.score),
            note,
        ]);
    }
    table.print()?;
    if verbose {
        for m in found {
            println!("{} ({}-{}):", clean(&m.text), m.span.start, m.span.end);
            for c in &m.candidates {
                println!(
                    "  {:.2} {} [{}] {}: {}",
                    c.score,
                    clean(&c.place.name),
                    c.place.country.as_deref().unwrap_or("-"),
                    c.feature_code,
                    c.reasons.join("; ")
                );
            }
        }
    }
    Ok(())
}

pub fn geocode(global: &Global, args: &GeocodeArgs) -> Result<ExitCode> {
    let gaz = open_index(&args.index)?;
    let near = match &args.near {
        None => None,
        Some(n) => Some(parse_near(&gaz, n)?),
    };
    let mut found = vigil_gazetteer::geocode(&gaz, &args.name, near.as_ref());
    found.truncate(args.limit.max(1));
    if global.json {
        for c in &found {
            print_json(c)?;
        }
    } else if found.is_empty() {
        println!("no place named {}", clean(&args.name));
    } else {
        let mut table = Table::new(&[
            ("score", 6),
            ("name", 34),
            ("geonames", 9),
            ("admin1", 18),
            ("cc", 2),
            ("lat,lon", 17),
            ("feature", 7),
            ("population", 10),
            ("why", 60),
        ]);
        for c in &found {
            let p = &c.place;
            table.row(vec![
                format!("{:.2}", c.score),
                p.name.clone(),
                p.geonames_id.map(|i| i.to_string()).unwrap_or_default(),
                p.admin1.clone().unwrap_or_default(),
                p.country.clone().unwrap_or_default(),
                format!("{:.4},{:.4}", p.lat, p.lon),
                c.feature_code.clone(),
                c.population.to_string(),
                c.reasons.join("; "),
            ]);
        }
        table.print()?;
    }
    Ok(if found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--near`: a two-letter code or a country's name is a country; anything else is a place whose
/// best match gives a point.
fn parse_near(gaz: &Gazetteer, near: &str) -> Result<Near> {
    if near.len() == 2
        && near.chars().all(|c| c.is_ascii_alphabetic())
        && gaz.country(near).is_some()
    {
        return Ok(Near::Country(near.to_ascii_uppercase()));
    }
    let best = vigil_gazetteer::geocode(gaz, near, None);
    match best.first() {
        Some(c) if c.feature_code.starts_with("PCL") => {
            Ok(Near::Country(c.place.country.clone().unwrap_or_default()))
        }
        Some(c) => Ok(Near::Point {
            lat: c.place.lat,
            lon: c.place.lon,
        }),
        None => bail!("--near {near}: no such country or place"),
    }
}

#[derive(Serialize)]
struct Info {
    index: String,
    places: usize,
    names: u64,
    load_ms: f64,
    fingerprint: &'static str,
}

pub fn gazetteer(global: &Global, command: GazetteerCommand) -> Result<ExitCode> {
    match command {
        GazetteerCommand::Build { out } => {
            let started = Instant::now();
            let sources =
                vigil_gazetteer::Sources::bundled().context("cannot read the bundled data")?;
            let path = out.unwrap_or_else(vigil_gazetteer::bundled_index_path);
            let gaz = Gazetteer::build_with_fingerprint(
                &sources,
                &path,
                vigil_gazetteer::BUNDLED_FINGERPRINT,
            )
            .with_context(|| format!("cannot build {}", path.display()))?;
            if !global.quiet {
                println!(
                    "{}: {} places, {} names, {:.1} s",
                    path.display(),
                    gaz.len(),
                    gaz.name_count(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::Import { files, dir } => {
            let dir = import_dir(dir.as_deref());
            let mut failed = false;
            for file in &files {
                match vigil_gazetteer::import_geonames(file, &dir) {
                    Ok(s) => {
                        if !global.quiet {
                            println!(
                                "{}: {} places, {} names, {} rows skipped",
                                file.display(),
                                s.places,
                                s.names,
                                s.skipped
                            );
                        }
                    }
                    Err(e) => {
                        eprintln!("{}: {e}", file.display());
                        failed = true;
                    }
                }
            }
            let mut sources =
                vigil_gazetteer::Sources::bundled().context("cannot read the bundled data")?;
            sources
                .add_import_dir(&dir)
                .with_context(|| format!("cannot read {}", dir.display()))?;
            let out = dir.join("index.vgi");
            let gaz = Gazetteer::build(&sources, &out)
                .with_context(|| format!("cannot build {}", out.display()))?;
            if !global.quiet {
                println!(
                    "{}: {} places, {} names (used by places and geocode from now on)",
                    out.display(),
                    gaz.len(),
                    gaz.name_count()
                );
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        GazetteerCommand::Info { index } => {
            let started = Instant::now();
            let gaz = open_index(&index)?;
            let load_ms = started.elapsed().as_secs_f64() * 1000.0;
            let path = index
                .gazetteer
                .clone()
                .filter(|p| p.is_file())
                .or_else(|| Some(import_dir(None).join("index.vgi")).filter(|p| p.is_file()))
                .unwrap_or_else(vigil_gazetteer::bundled_index_path);
            let info = Info {
                index: path.display().to_string(),
                places: gaz.len(),
                names: gaz.name_count(),
                load_ms,
                fingerprint: vigil_gazetteer::BUNDLED_FINGERPRINT,
            };
            if global.json {
                print_json(&info)?;
            } else {
                println!("index:       {}", info.index);
                println!("places:      {}", info.places);
                println!("names:       {}", info.names);
                println!("load:        {:.1} ms", info.load_ms);
                println!("fingerprint: {}", info.fingerprint);
                println!(
                    "attribution: Place names: GeoNames (CC BY 4.0) and Who's On First (with data from Quattroshapes, CC BY, and Yahoo! GeoPlanet, CC BY)."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::Nearest {
            lat,
            lon,
            within,
            index,
        } => {
            let gaz = open_index(&index)?;
            match gaz.nearest(lat, lon, within) {
                Some((e, d)) => {
                    let mut place = e.to_place();
                    place.mention = None;
                    if global.json {
                        #[derive(Serialize)]
                        struct Near<'a> {
                            #[serde(flatten)]
                            place: &'a vigil_model::Place,
                            distance_km: f64,
                        }
                        print_json(&Near {
                            place: &place,
                            distance_km: d,
                        })?;
                    } else {
                        println!(
                            "{} ({}, {}, {}) at {:.1} km",
                            clean(&place.name),
                            place.admin2.as_deref().unwrap_or("-"),
                            place.admin1.as_deref().unwrap_or("-"),
                            place.country.as_deref().unwrap_or("-"),
                            d
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    println!("no place within {within} km");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
