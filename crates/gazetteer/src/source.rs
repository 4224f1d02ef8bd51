//! Reading place records: the bundled extracts (`data/gazetteer/` at the repository root), the
//! curated overlays of this crate (`data/`), and GeoNames dump files a user downloads.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use flate2::read::GzDecoder;

use crate::Error;

/// The bundled data, embedded in the binary so that it works wherever it is copied.
pub(crate) const BUNDLED_PLACES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/gazetteer/places.tsv.gz"
));
pub(crate) const BUNDLED_ADMINS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/gazetteer/admins.tsv.gz"
));
pub(crate) const BUNDLED_COUNTRIES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/gazetteer/countries.tsv"
));
/// Curated country aliases ("US", "Britain", "Ivory Coast").
pub(crate) const COUNTRY_ALIASES: &str = include_str!("../data/countries.tsv");
/// Curated city districts the data lacks.
pub(crate) const DISTRICTS: &str = include_str!("../data/districts.tsv");
/// Curated named regions ("the Syrian coast", "eastern Ghouta").
pub(crate) const REGIONS: &str = include_str!("../data/regions.tsv");

/// One place as a source gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// GeoNames id; 0 when the source has none (a few Who's On First rows, curated entries).
    pub geonameid: u64,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames feature class (`P`, `A`, `L` ...).
    pub feature_class: char,
    /// GeoNames feature code (`PPL`, `ADM1`, `PCLI`; `RGN` for curated regions).
    pub feature_code: String,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub population: u64,
    /// False for places a source marks as abandoned or historical.
    pub current: bool,
    /// Every other name (transliterations, Arabic script, other languages).
    pub names: Vec<String>,
}

/// An administrative code table entry (`SY.11` Homs, `SY.11.172947` Ar-Rastan District).
#[derive(Debug, Clone, PartialEq)]
pub struct AdminEntry {
    pub code: String,
    pub geonameid: u64,
    pub name: String,
    pub ascii_name: String,
    /// Representative point, when the derivation could make one (see the data README).
    pub point: Option<(f64, f64)>,
    /// Sum of the populations of the area's populated places (0 when unknown).
    pub population: u64,
}

/// A country (from GeoNames' country table), with its representative point.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryEntry {
    pub iso: String,
    pub iso3: String,
    pub geonameid: u64,
    pub name: String,
    pub population: u64,
    pub neighbours: Vec<String>,
    /// Continent code of GeoNames' country table (AF, AS, EU, NA, OC, SA, AN).
    pub continent: String,
    pub lat: f64,
    pub lon: f64,
    pub aliases: Vec<String>,
}

/// A curated region: a named area that is no administrative unit, with the places it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionEntry {
    pub name: String,
    pub aliases: Vec<String>,
    pub country: String,
    pub admin1: String,
    /// Member places, each `name@CC` or `name@CC.ADM1`; the representative point is the mean of
    /// their coordinates.
    pub members: Vec<String>,
    /// True when the region's names are generic ("the coast") and only count when the report is
    /// about the region's country.
    pub contextual: bool,
}

/// A curated city district with its own point.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictEntry {
    pub name: String,
    pub aliases: Vec<String>,
    /// The city's GeoNames id.
    pub city: u64,
    pub lat: f64,
    pub lon: f64,
}

/// Everything an index is compiled from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub places: Vec<Record>,
    pub admins: Vec<AdminEntry>,
    pub countries: Vec<CountryEntry>,
    pub regions: Vec<RegionEntry>,
    pub districts: Vec<DistrictEntry>,
    /// Extra names for places by GeoNames id (from `alternateNamesV2.txt`).
    pub extra_names: HashMap<u64, Vec<String>>,
}

impl Sources {
    /// The data shipped with vigil.
    pub fn bundled() -> Result<Sources, Error> {
        let mut sources = Sources {
            places: read_places_tsv(GzDecoder::new(BUNDLED_PLACES))?,
            admins: read_admins_tsv(GzDecoder::new(BUNDLED_ADMINS))?,
            countries: read_countries(BUNDLED_COUNTRIES, COUNTRY_ALIASES)?,
            regions: read_regions(REGIONS)?,
            districts: read_districts(DISTRICTS)?,
            extra_names: HashMap::new(),
        };
        sources.places.shrink_to_fit();
        Ok(sources)
    }

    /// Adds records from an import folder (see [`import_geonames`]): records replace bundled ones
    /// with the same GeoNames id; extra names are attached.
    pub fn add_import_dir(&mut self, dir: &Path) -> Result<(), Error> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".places.tsv.gz") {
                let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                let records = read_places_tsv(GzDecoder::new(BufReader::new(file)))?;
                self.merge_places(records);
            } else if name.ends_with(".names.tsv.gz") {
                let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                for line in BufReader::new(GzDecoder::new(BufReader::new(file))).lines() {
                    let line = line.map_err(|e| Error::io(&path, e))?;
                    let mut cols = line.split('\t');
                    if let (Some(id), Some(names)) = (cols.next(), cols.next())
                        && let Ok(id) = id.parse::<u64>()
                    {
                        self.extra_names.entry(id).or_default().extend(
                            names
                                .split('|')
                                .filter(|n| !n.is_empty())
                                .map(str::to_string),
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn merge_places(&mut self, records: Vec<Record>) {
        let mut by_id: HashMap<u64, usize> = HashMap::new();
        for (i, p) in self.places.iter().enumerate() {
            if p.geonameid != 0 {
                by_id.insert(p.geonameid, i);
            }
        }
        for r in records {
            match by_id.get(&r.geonameid) {
                Some(&i) if r.geonameid != 0 => {
                    let old = std::mem::replace(&mut self.places[i], r);
                    // Keep names the bundled row had and the dump lacks.
                    let place = &mut self.places[i];
                    for n in old.names {
                        if !place.names.contains(&n) {
                            place.names.push(n);
                        }
                    }
                }
                _ => {
                    by_id.insert(r.geonameid, self.places.len());
                    self.places.push(r);
                }
            }
        }
    }
}

fn bad(what: &str, line: usize, detail: &str) -> Error {
    Error::Data(format!("{what} line {line}: {detail}"))
}

/// Reads the bundled places layout (header line; columns geonameid, name, lat, lon, fclass,
/// fcode, country, admin1, admin2, population, current, names joined by `|`).
pub fn read_places_tsv(reader: impl Read) -> Result<Vec<Record>, Error> {
    let mut out = Vec::new();
    let reader = BufReader::with_capacity(1 << 16, reader);
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::Data(format!("places line {}: {e}", i + 1)))?;
        if i == 0 || line.is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 12 {
            return Err(bad("places", i + 1, "fewer than 12 columns"));
        }
        let (Ok(lat), Ok(lon)) = (c[2].parse::<f64>(), c[3].parse::<f64>()) else {
            return Err(bad("places", i + 1, "bad coordinates"));
        };
        out.push(Record {
            geonameid: c[0].parse().unwrap_or(0),
            name: c[1].to_string(),
            lat,
            lon,
            feature_class: c[4].chars().next().unwrap_or('P'),
            feature_code: c[5].to_string(),
            country: c[6].to_string(),
            admin1: c[7].to_string(),
            admin2: c[8].to_string(),
            population: c[9].parse().unwrap_or(0),
            current: c[10] != "0",
            names: c[11]
                .split('|')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(out)
}

/// Writes records in the layout [`read_places_tsv`] reads.
pub fn write_places_tsv(records: &[Record], out: impl Write) -> Result<(), std::io::Error> {
    let mut out = std::io::BufWriter::new(out);
    writeln!(
        out,
        "geonameid\tname\tlat\tlon\tfclass\tfcode\tcountry\tadmin1\tadmin2\tpopulation\tcurrent\tnames"
    )?;
    for r in records {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            if r.geonameid == 0 {
                String::new()
            } else {
                r.geonameid.to_string()
            },
            clean_field(&r.name),
            r.lat,
            r.lon,
            r.feature_class,
            r.feature_code,
            r.country,
            r.admin1,
            r.admin2,
            r.population,
            if r.current { 1 } else { 0 },
            r.names
                .iter()
                .map(|n| clean_field(n))
                .collect::<Vec<_>>()
                .join("|")
        )?;
    }
    out.flush()
}

fn clean_field(s: &str) -> String {
    s.replace(['\t', '|', '\n', '\r'], " ")
}

fn read_admins_tsv(reader: impl Read) -> Result<Vec<AdminEntry>, Error> {
    let mut out = Vec::new();
    for (i, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(|e| Error::Data(format!("admins line {}: {e}", i + 1)))?;
        if i == 0 || line.is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 7 {
            return Err(bad("admins", i + 1, "fewer than 7 columns"));
        }
        let point = match (c[4].parse::<f64>(), c[5].parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some((lat, lon)),
            _ => None,
        };
        out.push(AdminEntry {
            code: c[0].to_string(),
            geonameid: c[1].parse().unwrap_or(0),
            name: c[2].to_string(),
            ascii_name: c[3].to_string(),
            point,
            population: c.get(7).and_then(|p| p.parse().ok()).unwrap_or(0),
        });
    }
    Ok(out)
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

fn read_countries(table: &str, aliases: &str) -> Result<Vec<CountryEntry>, Error> {
    let mut alias_map: HashMap<&str, Vec<String>> = HashMap::new();
    for (line, c) in data_lines(aliases) {
        if c.len() < 2 {
            return Err(bad("data/countries.tsv", line, "expected ISO<TAB>aliases"));
        }
        alias_map.entry(c[0]).or_default().extend(
            c[1].split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
        );
    }
    let mut out = Vec::new();
    for (line, c) in data_lines(table).skip(1) {
        if c.len() < 11 {
            return Err(bad("countries.tsv", line, "fewer than 11 columns"));
        }
        let (Ok(lat), Ok(lon)) = (c[8].parse::<f64>(), c[9].parse::<f64>()) else {
            return Err(bad("countries.tsv", line, "bad coordinates"));
        };
        out.push(CountryEntry {
            iso: c[0].to_string(),
            iso3: c[1].to_string(),
            geonameid: c[2].parse().unwrap_or(0),
            name: c[3].to_string(),
            population: c[5].parse().unwrap_or(0),
            continent: c[6].to_string(),
            neighbours: c[7]
                .split(',')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
            lat,
            lon,
            aliases: alias_map.remove(c[0]).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// `name<TAB>aliases<TAB>country<TAB>admin1<TAB>members<TAB>contextual<TAB>source`.
fn read_regions(text: &str) -> Result<Vec<RegionEntry>, Error> {
    let mut out = Vec::new();
    for (line, c) in data_lines(text).skip(1) {
        if c.len() < 6 {
            return Err(bad("data/regions.tsv", line, "fewer than 6 columns"));
        }
        out.push(RegionEntry {
            name: c[0].to_string(),
            aliases: split_list(c[1]),
            country: c[2].to_string(),
            admin1: c[3].to_string(),
            members: split_list(c[4]),
            contextual: c[5] == "yes",
        });
    }
    Ok(out)
}

/// `name<TAB>aliases<TAB>city geonameid<TAB>lat<TAB>lon<TAB>source`.
fn read_districts(text: &str) -> Result<Vec<DistrictEntry>, Error> {
    let mut out = Vec::new();
    for (line, c) in data_lines(text).skip(1) {
        if c.len() < 5 {
            return Err(bad("data/districts.tsv", line, "fewer than 5 columns"));
        }
        let (Ok(city), Ok(lat), Ok(lon)) = (c[2].parse(), c[3].parse(), c[4].parse()) else {
            return Err(bad(
                "data/districts.tsv",
                line,
                "bad city id or coordinates",
            ));
        };
        out.push(DistrictEntry {
            name: c[0].to_string(),
            aliases: split_list(c[1]),
            city,
            lat,
            lon,
        });
    }
    Ok(out)
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty() && *a != "-")
        .map(str::to_string)
        .collect()
}

/// True when every letter of a name is Latin or Arabic script (the scripts vigil's keys handle)
/// and the name is no code ("SY", "DAM") and has no digits.
pub fn keep_name(name: &str) -> bool {
    let mut letters = 0;
    for c in name.chars() {
        if c.is_ascii_digit() {
            return false;
        }
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        let cp = c as u32;
        let latin = cp < 0x250 || (0x1E00..=0x1EFF).contains(&cp);
        if !latin && !crate::key::is_arabic_char(c) {
            return false;
        }
    }
    let code = name.len() <= 4 && name.chars().all(|c| c.is_ascii_uppercase());
    letters >= 2 && !code && name.len() <= 60
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportStats {
    pub places: usize,
    pub names: usize,
    pub skipped: usize,
}

/// Converts one GeoNames dump file (`XX.txt`, `allCountries.txt`, `cities500.txt`: the 19-column
/// layout; or `alternateNamesV2.txt`) into the import folder `dir`, as `<stem>.places.tsv.gz` or
/// `<stem>.names.tsv.gz`. Keeps populated places (class P), administrative areas (A) and regions
/// (L); names in Latin and Arabic script. Zip files must be unpacked first.
pub fn import_geonames(file: &Path, dir: &Path) -> Result<ImportStats, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let stem = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("import")
        .trim_end_matches(".gz")
        .trim_end_matches(".txt")
        .to_string();
    let input = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
    let reader: Box<dyn Read> = if file.extension().is_some_and(|e| e == "gz") {
        Box::new(GzDecoder::new(BufReader::new(input)))
    } else if file.extension().is_some_and(|e| e == "zip") {
        return Err(Error::Data(format!(
            "{}: unzip the file first",
            file.display()
        )));
    } else {
        Box::new(input)
    };
    let reader = BufReader::with_capacity(1 << 20, reader);
    let mut stats = ImportStats::default();
    let mut lines = reader.lines().peekable();
    let first = match lines.peek() {
        Some(Ok(l)) => l.clone(),
        Some(Err(_)) | None => String::new(),
    };
    let columns = first.split('\t').count();
    if columns == 19 {
        let mut records = Vec::new();
        for (i, line) in lines.enumerate() {
            let line = line.map_err(|e| Error::io(file, e))?;
            match parse_geonames_row(&line) {
                Some(r) => records.push(r),
                None => {
                    if line.split('\t').count() != 19 {
                        return Err(bad(
                            &file.display().to_string(),
                            i + 1,
                            "expected 19 columns",
                        ));
                    }
                    stats.skipped += 1;
                }
            }
        }
        stats.places = records.len();
        let out = dir.join(format!("{stem}.places.tsv.gz"));
        let f = std::fs::File::create(&out).map_err(|e| Error::io(&out, e))?;
        let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::default());
        write_places_tsv(&records, &mut gz).map_err(|e| Error::io(&out, e))?;
        gz.finish().map_err(|e| Error::io(&out, e))?;
    } else if (4..=10).contains(&columns) {
        // alternateNamesV2: id, geonameid, isolanguage, name, isPreferred, isShort, isColloquial,
        // isHistoric, from, to.
        let mut names: HashMap<u64, Vec<String>> = HashMap::new();
        for line in lines {
            let line = line.map_err(|e| Error::io(file, e))?;
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 4 {
                stats.skipped += 1;
                continue;
            }
            let skip_lang = matches!(
                c[2],
                "link"
                    | "post"
                    | "iata"
                    | "icao"
                    | "faac"
                    | "abbr"
                    | "wkdt"
                    | "unlc"
                    | "tcid"
                    | "fr_1793"
            );
            let Ok(id) = c[1].parse::<u64>() else {
                stats.skipped += 1;
                continue;
            };
            if skip_lang || !keep_name(c[3]) {
                stats.skipped += 1;
                continue;
            }
            names.entry(id).or_default().push(clean_field(c[3]));
            stats.names += 1;
        }
        let out = dir.join(format!("{stem}.names.tsv.gz"));
        let f = std::fs::File::create(&out).map_err(|e| Error::io(&out, e))?;
        let mut gz = std::io::BufWriter::new(flate2::write::GzEncoder::new(
            f,
            flate2::Compression::default(),
        ));
        let mut ids: Vec<_> = names.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            writeln!(gz, "{id}\t{}", names[&id].join("|")).map_err(|e| Error::io(&out, e))?;
        }
        gz.into_inner()
            .map_err(|e| Error::io(&out, e.into_error()))?
            .finish()
            .map_err(|e| Error::io(&out, e))?;
    } else {
        return Err(Error::Data(format!(
            "{}: not a GeoNames dump (expected 19 columns, or the alternate-names layout)",
            file.display()
        )));
    }
    Ok(stats)
}

/// One row of a GeoNames dump (19 columns), or None for rows vigil does not keep.
pub fn parse_geonames_row(line: &str) -> Option<Record> {
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() != 19 {
        return None;
    }
    let class = c[6].chars().next()?;
    if !matches!(class, 'P' | 'A' | 'L') {
        return None;
    }
    let (lat, lon) = (c[4].parse::<f64>().ok()?, c[5].parse::<f64>().ok()?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for n in std::iter::once(c[2]).chain(c[3].split(',')) {
        let n = n.trim();
        if n != c[1] && keep_name(n) && !names.iter().any(|m| m == n) {
            names.push(clean_field(n));
        }
    }
    Some(Record {
        geonameid: c[0].parse().ok()?,
        name: clean_field(c[1]),
        lat,
        lon,
        feature_class: class,
        feature_code: c[7].to_string(),
        country: c[8].to_string(),
        admin1: c[10].to_string(),
        admin2: c[11].to_string(),
        population: c[14].parse().unwrap_or(0),
        current: !matches!(c[7], "PPLQ" | "PPLH" | "PCLH" | "ADM1H" | "ADM2H"),
        names,
    })
}

impl Sources {
    /// The curated regions shipped with vigil (names and aliases as written).
    pub fn bundled_regions() -> Vec<RegionEntry> {
        read_regions(REGIONS).unwrap_or_default()
    }
}
