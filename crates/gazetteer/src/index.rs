//! The compiled index: one file, memory-mapped and shared read-only, holding the place table, two
//! finite-state maps (strict key → places, skeleton → strict keys), the admin and country tables
//! and a grid for lookups by coordinates.
//!
//! Layout: the magic `VIGILGZ3`, a section count (u32) and a table of `(offset, length)` pairs
//! (u64, little endian), then the sections, each 8-byte aligned. All integers are little endian.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use fst::{Map, MapBuilder};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::key;
use crate::source::{Record, Sources};

const MAGIC: &[u8; 8] = b"VIGILGZ3";
const N_SECTIONS: usize = 11;
const S_META: usize = 0;
const S_PLACES: usize = 1;
const S_STRINGS: usize = 2;
const S_STRICT: usize = 3;
const S_STRICT_POST: usize = 4;
const S_SKEL: usize = 5;
const S_SKEL_POST: usize = 6;
const S_KEYS: usize = 7;
const S_ADMINS: usize = 8;
const S_GRID: usize = 9;
/// Admin table rows in the order of their codes (u32 each), for look-ups by code.
const S_ADMIN_ORDER: usize = 10;

pub(crate) const PLACE_SIZE: usize = 40;
const ADMIN_SIZE: usize = 28;
/// A key table entry: the key's string (offset u32, length u32) and its strict map value (u64),
/// so that the strict keys a skeleton proposes need no second walk of the strict map.
const KEY_SIZE: usize = 16;
pub(crate) const NONE: u32 = u32::MAX;
/// The top bit of a strict posting: the place's main name (as opposed to an alternate name).
pub(crate) const PRIMARY: u32 = 1 << 31;

/// Flags of a place row.
pub(crate) mod flag {
    pub const CURRENT: u16 = 1;
    pub const DISTRICT: u16 = 2;
    pub const REGION: u16 = 4;
    pub const DETAILED: u16 = 8;
    pub const SYNTHETIC: u16 = 16;
    pub const CONTEXTUAL: u16 = 32;
}

/// Countries whose full per-country rows are bundled (admin areas, all villages).
pub const DETAILED_COUNTRIES: [&str; 7] = ["SY", "LB", "JO", "PS", "IL", "IQ", "TR"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub fingerprint: String,
    pub feature_codes: Vec<String>,
    pub countries: Vec<CountryRow>,
    pub places: u32,
    pub names: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CountryRow {
    pub iso: String,
    pub name: String,
    pub geonameid: u64,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub neighbours: Vec<String>,
    /// The country's own row in the place table.
    pub place: u32,
}

/// The bytes behind an index: a memory map, or a buffer when the index could not be written.
pub(crate) enum Backing {
    Mmap(memmap2::Mmap),
    Vec(Vec<u8>),
}

impl AsRef<[u8]> for Backing {
    fn as_ref(&self) -> &[u8] {
        match self {
            Backing::Mmap(m) => m,
            Backing::Vec(v) => v,
        }
    }
}

/// A section of the backing bytes, for fst.
#[derive(Clone)]
pub(crate) struct Slice {
    backing: Arc<Backing>,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for Slice {
    fn as_ref(&self) -> &[u8] {
        let all: &[u8] = (*self.backing).as_ref();
        &all[self.start..self.end]
    }
}

/// A loaded index.
pub(crate) struct Index {
    backing: Arc<Backing>,
    sections: [(usize, usize); N_SECTIONS],
    pub meta: Meta,
    pub strict: Map<Slice>,
    pub skeleton: Map<Slice>,
    pub country_by_iso: HashMap<String, u16>,
    pub fcode_ppl: Vec<bool>,
}

/// One place row, decoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub lat: f32,
    pub lon: f32,
    pub geonameid: u32,
    pub population: u32,
    pub name: (u32, u16),
    pub fcode: u16,
    pub country: u16,
    pub flags: u16,
    pub admin1: u32,
    pub admin2: u32,
    pub parent: u32,
}

/// One admin table row, decoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AdminRow {
    pub name: (u32, u16),
    pub lat: f32,
    pub lon: f32,
    pub place: u32,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_bits(u32_at(b, at))
}

impl Index {
    pub fn open(path: &Path) -> Result<Index, Error> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: vigil writes index files once, to a temporary name, and renames them into
        // place; it never modifies one in place. A file changed under the map by another program
        // could make reads return wrong bytes, which every read here bounds-checks.
        let mmap = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        Index::from_backing(Backing::Mmap(mmap))
            .map_err(|e| Error::BadIndex(format!("{}: {e}", path.display())))
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Index, Error> {
        Index::from_backing(Backing::Vec(bytes)).map_err(Error::BadIndex)
    }

    fn from_backing(backing: Backing) -> Result<Index, String> {
        let backing = Arc::new(backing);
        let b: &[u8] = (*backing).as_ref();
        if b.len() < 12 + N_SECTIONS * 16 || &b[..8] != MAGIC {
            return Err("not a vigil gazetteer index (or an older format)".into());
        }
        if u32_at(b, 8) as usize != N_SECTIONS {
            return Err("unexpected section count".into());
        }
        let mut sections = [(0usize, 0usize); N_SECTIONS];
        for (i, s) in sections.iter_mut().enumerate() {
            let at = 12 + i * 16;
            let off =
                u64::from_le_bytes(b[at..at + 8].try_into().map_err(|_| "truncated")?) as usize;
            let len = u64::from_le_bytes(b[at + 8..at + 16].try_into().map_err(|_| "truncated")?)
                as usize;
            if off.checked_add(len).is_none_or(|end| end > b.len()) {
                return Err("section out of bounds".into());
            }
            *s = (off, off + len);
        }
        let meta: Meta = serde_json::from_slice(&b[sections[S_META].0..sections[S_META].1])
            .map_err(|e| format!("bad metadata: {e}"))?;
        let slice = |i: usize| Slice {
            backing: backing.clone(),
            start: sections[i].0,
            end: sections[i].1,
        };
        let strict = Map::new(slice(S_STRICT)).map_err(|e| format!("bad name map: {e}"))?;
        let skeleton = Map::new(slice(S_SKEL)).map_err(|e| format!("bad skeleton map: {e}"))?;
        let places_len = sections[S_PLACES].1 - sections[S_PLACES].0;
        if places_len != meta.places as usize * PLACE_SIZE {
            return Err("place table size does not match".into());
        }
        let country_by_iso = meta
            .countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso.clone(), i as u16))
            .collect();
        let fcode_ppl = meta
            .feature_codes
            .iter()
            .map(|c| c.starts_with("PPL") || c == "STLMT")
            .collect();
        Ok(Index {
            backing,
            sections,
            meta,
            strict,
            skeleton,
            country_by_iso,
            fcode_ppl,
        })
    }

    fn section(&self, i: usize) -> &[u8] {
        let all: &[u8] = (*self.backing).as_ref();
        &all[self.sections[i].0..self.sections[i].1]
    }

    pub fn len(&self) -> usize {
        self.meta.places as usize
    }

    pub fn row(&self, i: u32) -> Row {
        let b = self.section(S_PLACES);
        let at = i as usize * PLACE_SIZE;
        if at + PLACE_SIZE > b.len() {
            return Row {
                lat: 0.0,
                lon: 0.0,
                geonameid: 0,
                population: 0,
                name: (0, 0),
                fcode: 0,
                country: u16::MAX,
                flags: 0,
                admin1: NONE,
                admin2: NONE,
                parent: NONE,
            };
        }
        Row {
            lat: f32_at(b, at),
            lon: f32_at(b, at + 4),
            geonameid: u32_at(b, at + 8),
            population: u32_at(b, at + 12),
            name: (u32_at(b, at + 16), u16_at(b, at + 20)),
            fcode: u16_at(b, at + 22),
            country: u16_at(b, at + 24),
            flags: u16_at(b, at + 26),
            admin1: u32_at(b, at + 28),
            admin2: u32_at(b, at + 32),
            parent: u32_at(b, at + 36),
        }
    }

    pub fn string(&self, (off, len): (u32, u16)) -> &str {
        let b = self.section(S_STRINGS);
        let (s, e) = (off as usize, off as usize + len as usize);
        b.get(s..e)
            .and_then(|x| std::str::from_utf8(x).ok())
            .unwrap_or("")
    }

    pub fn admin(&self, i: u32) -> Option<AdminRow> {
        let b = self.section(S_ADMINS);
        let at = i as usize * ADMIN_SIZE;
        if i == NONE || at + ADMIN_SIZE > b.len() {
            return None;
        }
        Some(AdminRow {
            name: (u32_at(b, at + 8), u16_at(b, at + 12)),
            lat: f32_at(b, at + 16),
            lon: f32_at(b, at + 20),
            place: u32_at(b, at + 24),
        })
    }

    /// The code of an admin table row (`US.CA`, `SY.11.172947`).
    pub fn admin_code(&self, i: u32) -> &str {
        let b = self.section(S_ADMINS);
        let at = i as usize * ADMIN_SIZE;
        if at + ADMIN_SIZE > b.len() {
            return "";
        }
        self.string((u32_at(b, at), u16_at(b, at + 4)))
    }

    /// The admin table row of a code (`US.CA`), by binary search over the rows in code order;
    /// of rows that share a code, the last.
    pub fn admin_by_code(&self, code: &str) -> Option<u32> {
        let order = self.section(S_ADMIN_ORDER);
        let n = order.len() / 4;
        let row_at = |k: usize| u32_at(order, k * 4);
        // First position whose code is greater than `code`.
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.admin_code(row_at(mid)) <= code {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let i = row_at(lo.checked_sub(1)?);
        (self.admin_code(i) == code).then_some(i)
    }

    pub fn feature_code(&self, i: u16) -> &str {
        self.meta
            .feature_codes
            .get(i as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Places whose strict key is exactly `key`, each with its PRIMARY bit.
    pub fn strict_postings(&self, key: &str) -> Vec<u32> {
        match self.strict.get(key) {
            Some(v) => self.postings(S_STRICT_POST, v),
            None => Vec::new(),
        }
    }

    /// Strict keys that share the skeleton `skel`, each with its strict map value (see
    /// [`Index::strict_postings_of`]), at most `max`.
    pub fn skeleton_keys(&self, skel: &str, max: usize) -> Vec<(&str, u64)> {
        let Some(v) = self.skeleton.get(skel) else {
            return Vec::new();
        };
        let keys = self.section(S_KEYS);
        self.posting_slice(S_SKEL_POST, v)
            .iter()
            .filter_map(|k| {
                let at = k as usize * KEY_SIZE;
                if at + KEY_SIZE > keys.len() {
                    return None;
                }
                let value = u64::from_le_bytes(keys[at + 8..at + 16].try_into().ok()?);
                Some((
                    self.string((u32_at(keys, at), u32_at(keys, at + 4) as u16)),
                    value,
                ))
            })
            .take(max)
            .collect()
    }

    /// The places of a strict map value (as [`Index::strict_postings`] gives for its key).
    pub fn strict_postings_of(&self, value: u64) -> Postings<'_> {
        self.posting_slice(S_STRICT_POST, value)
    }

    fn postings(&self, section: usize, value: u64) -> Vec<u32> {
        self.posting_slice(section, value).iter().collect()
    }

    fn posting_slice(&self, section: usize, value: u64) -> Postings<'_> {
        // A value with the top bit set is a single posting stored inline.
        if value & (1 << 63) != 0 {
            return Postings::One(value as u32);
        }
        let b = self.section(section);
        let at = value as usize * 4;
        if at + 4 > b.len() {
            return Postings::Many(&[]);
        }
        let n = u32_at(b, at) as usize;
        let end = (at + 4).saturating_add(n.saturating_mul(4)).min(b.len());
        Postings::Many(&b[at + 4..end])
    }

    /// Grid cell contents for the nearest-place search: 1° cells, row-major from (-90, -180).
    pub fn grid_cell(&self, lat_cell: i32, lon_cell: i32) -> &[u8] {
        let b = self.section(S_GRID);
        if !(0..180).contains(&lat_cell) {
            return &[];
        }
        let lon_cell = lon_cell.rem_euclid(360);
        let cell = (lat_cell * 360 + lon_cell) as usize;
        let start = u32_at(b, cell * 4) as usize;
        let end = u32_at(b, cell * 4 + 4) as usize;
        let base = (180 * 360 + 1) * 4;
        b.get(base + start * 4..base + end * 4).unwrap_or(&[])
    }
}

/// The places of one map value: one inline, or a run of little-endian u32s in the index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Postings<'a> {
    One(u32),
    Many(&'a [u8]),
}

impl<'a> Postings<'a> {
    pub fn iter(self) -> impl Iterator<Item = u32> + 'a {
        let (one, many) = match self {
            Postings::One(v) => (Some(v), &[][..]),
            Postings::Many(b) => (None, b),
        };
        one.into_iter()
            .chain(many.chunks_exact(4).map(|x| u32_at(x, 0)))
    }
}

/// Compiles sources into index bytes.
pub(crate) fn compile(sources: &Sources, fingerprint: &str) -> Result<Vec<u8>, Error> {
    let mut strings = StringPool::default();

    // Countries.
    let mut countries: Vec<CountryRow> = Vec::new();
    let mut country_idx: HashMap<String, u16> = HashMap::new();
    for c in &sources.countries {
        country_idx.insert(c.iso.clone(), countries.len() as u16);
        countries.push(CountryRow {
            iso: c.iso.clone(),
            name: c.name.clone(),
            geonameid: c.geonameid,
            lat: c.lat,
            lon: c.lon,
            population: c.population,
            neighbours: c.neighbours.clone(),
            place: NONE,
        });
    }

    // Admin codes.
    let mut admin_idx: HashMap<String, u32> = HashMap::new();
    let mut admins: Vec<(String, String, f64, f64, u32)> = Vec::new();
    for a in &sources.admins {
        admin_idx.insert(a.code.clone(), admins.len() as u32);
        let (lat, lon) = a.point.unwrap_or((f64::NAN, f64::NAN));
        admins.push((a.code.clone(), a.name.clone(), lat, lon, NONE));
    }

    // The place list: records, then synthetic admin rows, countries, districts, regions.
    struct P<'a> {
        rec: std::borrow::Cow<'a, Record>,
        flags: u16,
        parent: u32,
    }
    let mut places: Vec<P> = Vec::with_capacity(sources.places.len() + 60_000);
    let mut own_admin: std::collections::HashSet<String> = std::collections::HashSet::new();
    for r in &sources.places {
        if r.country.is_empty() || !country_idx.contains_key(&r.country) {
            continue;
        }
        let mut flags = if r.current { flag::CURRENT } else { 0 };
        if DETAILED_COUNTRIES.contains(&r.country.as_str()) {
            flags |= flag::DETAILED;
        }
        if r.feature_code == "PPLX" {
            flags |= flag::DISTRICT;
        }
        if r.feature_class == 'A' && r.feature_code == "ADM1" {
            own_admin.insert(format!("{}.{}", r.country, r.admin1));
        } else if r.feature_class == 'A' && r.feature_code == "ADM2" {
            own_admin.insert(format!("{}.{}.{}", r.country, r.admin1, r.admin2));
        }
        places.push(P {
            rec: std::borrow::Cow::Borrowed(r),
            flags,
            parent: NONE,
        });
    }
    for a in &sources.admins {
        if own_admin.contains(&a.code) {
            continue;
        }
        let Some((lat, lon)) = a.point else { continue };
        let parts: Vec<&str> = a.code.split('.').collect();
        if !country_idx.contains_key(parts[0]) {
            continue;
        }
        let mut names = Vec::new();
        if a.ascii_name != a.name && !a.ascii_name.is_empty() {
            names.push(a.ascii_name.clone());
        }
        places.push(P {
            rec: std::borrow::Cow::Owned(Record {
                geonameid: a.geonameid,
                name: a.name.clone(),
                lat,
                lon,
                feature_class: 'A',
                feature_code: if parts.len() == 2 {
                    "ADM1".into()
                } else {
                    "ADM2".into()
                },
                country: parts[0].to_string(),
                admin1: parts.get(1).unwrap_or(&"").to_string(),
                admin2: parts.get(2).map(|s| s.to_string()).unwrap_or_default(),
                population: a.population,
                current: true,
                names,
            }),
            flags: flag::CURRENT | flag::SYNTHETIC,
            parent: NONE,
        });
    }
    for (i, c) in sources.countries.iter().enumerate() {
        // Not the ISO3 code: "SAU" and "CEO" share a key.
        let names = c.aliases.clone();
        countries[i].place = places.len() as u32;
        places.push(P {
            rec: std::borrow::Cow::Owned(Record {
                geonameid: c.geonameid,
                name: c.name.clone(),
                lat: c.lat,
                lon: c.lon,
                feature_class: 'A',
                feature_code: "PCLI".into(),
                country: c.iso.clone(),
                admin1: String::new(),
                admin2: String::new(),
                population: c.population,
                current: true,
                names,
            }),
            flags: flag::CURRENT,
            parent: NONE,
        });
    }
    // Continents: the mean of their countries' representative points.
    for (code, name, aliases) in [
        ("AF", "Africa", &[][..]),
        ("AS", "Asia", &[][..]),
        ("EU", "Europe", &[][..]),
        ("NA", "North America", &[][..]),
        ("SA", "South America", &["Latin America"][..]),
        ("OC", "Oceania", &["Australasia"][..]),
        ("AN", "Antarctica", &[][..]),
    ] {
        let members: Vec<&crate::source::CountryEntry> = sources
            .countries
            .iter()
            .filter(|c| c.continent == code)
            .collect();
        if members.is_empty() {
            continue;
        }
        let lat = members.iter().map(|c| c.lat).sum::<f64>() / members.len() as f64;
        let lon = members.iter().map(|c| c.lon).sum::<f64>() / members.len() as f64;
        places.push(P {
            rec: std::borrow::Cow::Owned(Record {
                geonameid: 0,
                name: name.to_string(),
                lat,
                lon,
                feature_class: 'L',
                feature_code: "CONT".into(),
                // A continent is in no country.
                country: String::new(),
                admin1: String::new(),
                admin2: String::new(),
                population: members.iter().map(|c| c.population).sum(),
                current: true,
                names: aliases.iter().map(|a| a.to_string()).collect(),
            }),
            flags: flag::CURRENT | flag::REGION,
            parent: NONE,
        });
    }
    // Look-up by strict key among records so far, for curated entries.
    let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        if p.rec.feature_class != 'P' {
            continue;
        }
        for n in std::iter::once(&p.rec.name).chain(p.rec.names.iter()) {
            by_key.entry(key::name_key(n)).or_default().push(i as u32);
        }
    }
    let by_geonameid: HashMap<u64, u32> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.rec.geonameid != 0)
        .map(|(i, p)| (p.rec.geonameid, i as u32))
        .collect();
    for d in &sources.districts {
        let Some(&city) = by_geonameid.get(&d.city) else {
            return Err(Error::Data(format!(
                "district {}: no city with GeoNames id {}",
                d.name, d.city
            )));
        };
        let c = &places[city as usize].rec;
        let rec = Record {
            geonameid: 0,
            name: d.name.clone(),
            lat: d.lat,
            lon: d.lon,
            feature_class: 'P',
            feature_code: "PPLX".into(),
            country: c.country.clone(),
            admin1: c.admin1.clone(),
            admin2: c.admin2.clone(),
            population: 0,
            current: true,
            names: d.aliases.clone(),
        };
        places.push(P {
            rec: std::borrow::Cow::Owned(rec),
            flags: flag::CURRENT | flag::DISTRICT,
            parent: city,
        });
    }
    for r in &sources.regions {
        let mut pts = Vec::new();
        for m in &r.members {
            let (name, cc) = m
                .rsplit_once('@')
                .unwrap_or((m.as_str(), r.country.as_str()));
            let best = by_key
                .get(&key::name_key(name))
                .into_iter()
                .flatten()
                .filter(|&&i| places[i as usize].rec.country == cc)
                .max_by_key(|&&i| (places[i as usize].rec.population, std::cmp::Reverse(i)));
            match best {
                Some(&i) => pts.push((places[i as usize].rec.lat, places[i as usize].rec.lon)),
                None => {
                    return Err(Error::Data(format!(
                        "region {}: member {m} not found",
                        r.name
                    )));
                }
            }
        }
        if pts.is_empty() {
            continue;
        }
        let lat = pts.iter().map(|p| p.0).sum::<f64>() / pts.len() as f64;
        let lon = pts.iter().map(|p| p.1).sum::<f64>() / pts.len() as f64;
        let mut flags = flag::CURRENT | flag::REGION;
        if r.contextual {
            flags |= flag::CONTEXTUAL;
        }
        let name = r.name.split(" (").next().unwrap_or(&r.name).to_string();
        let mut names = r.aliases.clone();
        if name != r.name {
            names.retain(|n| n != &name);
        }
        places.push(P {
            rec: std::borrow::Cow::Owned(Record {
                geonameid: 0,
                name,
                lat,
                lon,
                feature_class: 'L',
                feature_code: "RGN".into(),
                country: r.country.clone(),
                admin1: if r.admin1.is_empty() {
                    String::new()
                } else {
                    r.admin1.clone()
                },
                admin2: String::new(),
                population: 0,
                current: true,
                names,
            }),
            flags,
            parent: NONE,
        });
    }
    if places.len() >= (PRIMARY as usize) {
        return Err(Error::Data("too many places".into()));
    }

    // Place rows and name postings.
    let mut fcodes: Vec<String> = Vec::new();
    let mut fcode_idx: HashMap<String, u16> = HashMap::new();
    let mut rows = Vec::with_capacity(places.len() * PLACE_SIZE);
    let mut postings: Vec<(String, u32)> = Vec::with_capacity(places.len() * 5);
    let mut skeletons: Vec<(String, String)> = Vec::with_capacity(places.len() * 5);
    let mut n_names = 0u64;
    for (i, p) in places.iter().enumerate() {
        let r = &p.rec;
        let fc = *fcode_idx.entry(r.feature_code.clone()).or_insert_with(|| {
            fcodes.push(r.feature_code.clone());
            (fcodes.len() - 1) as u16
        });
        let a1 = if r.admin1.is_empty() {
            NONE
        } else {
            *admin_idx
                .get(&format!("{}.{}", r.country, r.admin1))
                .unwrap_or(&NONE)
        };
        let a2 = if r.admin2.is_empty() {
            NONE
        } else {
            *admin_idx
                .get(&format!("{}.{}.{}", r.country, r.admin1, r.admin2))
                .unwrap_or(&NONE)
        };
        // An admin area's own row gives the admin table its point.
        if r.feature_class == 'A' && (r.feature_code == "ADM1" || r.feature_code == "ADM2") {
            let a = if r.feature_code == "ADM1" { a1 } else { a2 };
            if a != NONE {
                let e = &mut admins[a as usize];
                e.2 = r.lat;
                e.3 = r.lon;
                e.4 = i as u32;
            }
        }
        let name = strings.add(&r.name);
        rows.extend_from_slice(&(r.lat as f32).to_le_bytes());
        rows.extend_from_slice(&(r.lon as f32).to_le_bytes());
        rows.extend_from_slice(&(u32::try_from(r.geonameid).unwrap_or(0)).to_le_bytes());
        rows.extend_from_slice(&(u32::try_from(r.population).unwrap_or(u32::MAX)).to_le_bytes());
        rows.extend_from_slice(&name.0.to_le_bytes());
        rows.extend_from_slice(&name.1.to_le_bytes());
        rows.extend_from_slice(&fc.to_le_bytes());
        rows.extend_from_slice(
            &country_idx
                .get(&r.country)
                .copied()
                .unwrap_or(u16::MAX)
                .to_le_bytes(),
        );
        rows.extend_from_slice(&p.flags.to_le_bytes());
        rows.extend_from_slice(&a1.to_le_bytes());
        rows.extend_from_slice(&a2.to_le_bytes());
        rows.extend_from_slice(&p.parent.to_le_bytes());

        let extra = if r.geonameid != 0 {
            sources.extra_names.get(&r.geonameid)
        } else {
            None
        };
        let mut seen: Vec<String> = Vec::new();
        for (j, n) in std::iter::once(&r.name)
            .chain(r.names.iter())
            .chain(extra.into_iter().flatten())
            .enumerate()
        {
            let k = key::name_key(n);
            if k.is_empty() || k.len() > 120 || seen.contains(&k) {
                continue;
            }
            n_names += 1;
            let mut v = i as u32;
            if j == 0 {
                v |= PRIMARY;
            }
            // Spelling variants are matched where transliteration varies most and the data has
            // every village: the detailed countries, and the curated regions and districts.
            // Elsewhere GeoNames' alternate names carry the variants, and a skeleton map of the
            // whole world would make every capitalised word a candidate somewhere.
            if p.flags & (flag::DETAILED | flag::REGION | flag::DISTRICT) != 0 {
                let s = key::skeleton_key(n);
                if s.len() >= 2 {
                    skeletons.push((s, k.clone()));
                }
            }
            postings.push((k.clone(), v));
            seen.push(k);
        }
    }
    // Admin rows whose place was synthesised: point them at that place.
    for (i, p) in places.iter().enumerate() {
        let r = &p.rec;
        if p.flags & flag::SYNTHETIC != 0 {
            let code = if r.feature_code == "ADM1" {
                format!("{}.{}", r.country, r.admin1)
            } else {
                format!("{}.{}.{}", r.country, r.admin1, r.admin2)
            };
            if let Some(&a) = admin_idx.get(&code) {
                admins[a as usize].4 = i as u32;
            }
        }
    }

    // Strict map.
    postings.sort_unstable();
    postings.dedup();
    let mut strict_post: Vec<u32> = Vec::new();
    let mut strict_builder = MapBuilder::memory();
    let mut key_list: Vec<(String, u64)> = Vec::new();
    let mut g = 0;
    while g < postings.len() {
        let mut h = g;
        while h < postings.len() && postings[h].0 == postings[g].0 {
            h += 1;
        }
        let mut ids: Vec<u32> = postings[g..h].iter().map(|p| p.1).collect();
        // Main-name postings first, then by place.
        ids.sort_by_key(|v| (v & PRIMARY == 0, v & !PRIMARY));
        ids.dedup_by_key(|v| *v & !PRIMARY);
        let value = if ids.len() == 1 {
            (1u64 << 63) | u64::from(ids[0])
        } else {
            let at = strict_post.len() as u64;
            strict_post.push(ids.len() as u32);
            strict_post.extend_from_slice(&ids);
            at
        };
        strict_builder
            .insert(&postings[g].0, value)
            .map_err(|e| Error::Data(format!("name map: {e}")))?;
        key_list.push((postings[g].0.clone(), value));
        g = h;
    }
    drop(postings);
    let strict_bytes = strict_builder
        .into_inner()
        .map_err(|e| Error::Data(format!("name map: {e}")))?;

    // Key table and skeleton map.
    let key_id: HashMap<&str, u32> = key_list
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i as u32))
        .collect();
    let mut key_table: Vec<u8> = Vec::with_capacity(key_list.len() * KEY_SIZE);
    for (k, value) in &key_list {
        let (off, len) = strings.add(k);
        key_table.extend_from_slice(&off.to_le_bytes());
        key_table.extend_from_slice(&u32::from(len).to_le_bytes());
        key_table.extend_from_slice(&value.to_le_bytes());
    }
    let mut skel_pairs: Vec<(String, u32)> = skeletons
        .into_iter()
        .filter_map(|(s, k)| key_id.get(k.as_str()).map(|&id| (s, id)))
        .collect();
    skel_pairs.sort_unstable();
    skel_pairs.dedup();
    let mut skel_post: Vec<u32> = Vec::new();
    let mut skel_builder = MapBuilder::memory();
    let mut g = 0;
    while g < skel_pairs.len() {
        let mut h = g;
        while h < skel_pairs.len() && skel_pairs[h].0 == skel_pairs[g].0 {
            h += 1;
        }
        let ids: Vec<u32> = skel_pairs[g..h].iter().map(|p| p.1).collect();
        let value = if ids.len() == 1 {
            (1u64 << 63) | u64::from(ids[0])
        } else {
            let at = skel_post.len() as u64;
            skel_post.push(ids.len() as u32);
            skel_post.extend_from_slice(&ids);
            at
        };
        skel_builder
            .insert(&skel_pairs[g].0, value)
            .map_err(|e| Error::Data(format!("skeleton map: {e}")))?;
        g = h;
    }
    let skel_bytes = skel_builder
        .into_inner()
        .map_err(|e| Error::Data(format!("skeleton map: {e}")))?;

    // Admin table.
    let mut admin_bytes = Vec::with_capacity(admins.len() * ADMIN_SIZE);
    for (code, name, lat, lon, place) in &admins {
        let c = strings.add(code);
        let n = strings.add(name);
        admin_bytes.extend_from_slice(&c.0.to_le_bytes());
        admin_bytes.extend_from_slice(&c.1.to_le_bytes());
        admin_bytes.extend_from_slice(&[0, 0]);
        admin_bytes.extend_from_slice(&n.0.to_le_bytes());
        admin_bytes.extend_from_slice(&n.1.to_le_bytes());
        admin_bytes.extend_from_slice(&[0, 0]);
        admin_bytes.extend_from_slice(&(*lat as f32).to_le_bytes());
        admin_bytes.extend_from_slice(&(*lon as f32).to_le_bytes());
        admin_bytes.extend_from_slice(&place.to_le_bytes());
    }

    // Admin rows in code order (stable: rows that share a code keep their order).
    let mut admin_order: Vec<u32> = (0..admins.len() as u32).collect();
    admin_order.sort_by(|&a, &b| admins[a as usize].0.cmp(&admins[b as usize].0));

    // Grid of populated places (and districts), 1° cells.
    let mut cells: Vec<Vec<u32>> = vec![Vec::new(); 180 * 360];
    for (i, p) in places.iter().enumerate() {
        if p.rec.feature_class != 'P' {
            continue;
        }
        let lat_cell = ((p.rec.lat + 90.0).floor() as i32).clamp(0, 179);
        let lon_cell = ((p.rec.lon + 180.0).floor() as i32).rem_euclid(360);
        cells[(lat_cell * 360 + lon_cell) as usize].push(i as u32);
    }
    let mut grid = Vec::new();
    let mut at = 0u32;
    for c in &cells {
        grid.extend_from_slice(&at.to_le_bytes());
        at += c.len() as u32;
    }
    grid.extend_from_slice(&at.to_le_bytes());
    for c in &cells {
        for i in c {
            grid.extend_from_slice(&i.to_le_bytes());
        }
    }

    let meta = Meta {
        fingerprint: fingerprint.to_string(),
        feature_codes: fcodes,
        countries,
        places: places.len() as u32,
        names: n_names,
    };
    let meta_bytes =
        serde_json::to_vec(&meta).map_err(|e| Error::Data(format!("metadata: {e}")))?;
    let u32s = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let sections: [Vec<u8>; N_SECTIONS] = [
        meta_bytes,
        rows,
        strings.bytes,
        strict_bytes,
        u32s(&strict_post),
        skel_bytes,
        u32s(&skel_post),
        key_table,
        admin_bytes,
        grid,
        u32s(&admin_order),
    ];
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(N_SECTIONS as u32).to_le_bytes());
    let table_at = out.len();
    out.resize(table_at + N_SECTIONS * 16, 0);
    for (i, s) in sections.iter().enumerate() {
        while out.len() % 8 != 0 {
            out.push(0);
        }
        let off = out.len() as u64;
        out.extend_from_slice(s);
        let at = table_at + i * 16;
        out[at..at + 8].copy_from_slice(&off.to_le_bytes());
        out[at + 8..at + 16].copy_from_slice(&(s.len() as u64).to_le_bytes());
    }
    Ok(out)
}

#[derive(Default)]
struct StringPool {
    bytes: Vec<u8>,
    seen: HashMap<String, (u32, u16)>,
}

impl StringPool {
    fn add(&mut self, s: &str) -> (u32, u16) {
        // Names are at most a few hundred bytes; longer strings are cut at a char boundary.
        let mut end = s.len().min(u16::MAX as usize);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let s = &s[..end];
        if let Some(&v) = self.seen.get(s) {
            return v;
        }
        let v = (self.bytes.len() as u32, s.len() as u16);
        self.bytes.extend_from_slice(s.as_bytes());
        self.seen.insert(s.to_string(), v);
        v
    }
}
