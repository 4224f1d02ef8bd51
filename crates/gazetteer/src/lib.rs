//! The gazetteer: every place a report names, found in its text and resolved to coordinates,
//! administrative hierarchy and precision.
//!
//! Places are where automated conflict coders most often fail: the wrong country, the capital
//! instead of the village, a person's name taken for a town. This crate holds a place index
//! compiled from GeoNames-derived data shipped with vigil (every populated place, admin area and
//! named area of Syria and its six neighbours, and the world's places of 500 inhabitants or more),
//! plus small curated overlays (named regions such as "the Syrian coast", city districts).
//!
//! Names are matched through transliteration-tolerant keys ([`name_key`], [`skeleton_key`]): the
//! same village is "Telbeesa", "Talbiseh" and "تلبيسة" in three reports. [`find_places`] reads a
//! whole report: it proposes candidate spans from the index, weighs context cues ("the village
//! of X", "X countryside", "X province"), filters words that are place names but not used as such
//! (person names, demonyms such as "Syrian" or "Alawite", page furniture such as "Reply"), and
//! then chooses among each name's candidates by the document: its dominant country, the admin
//! areas it names, the distance to the other places it names, then feature type and population.
//! Every mention keeps its ranked candidates and the reasons for their scores, and "none of
//! these" is a possible answer.
//!
//! The index is compiled once into a single file (finite-state maps over the keys, fixed-size
//! place rows, a grid for lookups by coordinates) that is memory-mapped read-only: loading takes a
//! few milliseconds. [`Gazetteer::bundled`] compiles the shipped data at first use into a cache
//! file named after the data's fingerprint (see ARCHITECTURE.md), so a fresh clone needs no setup.
//!
//! ```
//! use vigil_gazetteer::{Gazetteer, GeoparseConfig, find_places};
//! let gaz = Gazetteer::bundled()?;
//! let text = "Warplanes struck the village of Telbeesa in the northern Homs countryside.";
//! let found = find_places(&gaz, text, &GeoparseConfig::default());
//! let talbiseh = found.iter().find(|m| m.text == "Telbeesa").unwrap();
//! let place = talbiseh.place.as_ref().unwrap();
//! assert_eq!(place.country.as_deref(), Some("SY"));
//! assert_eq!(place.admin1.as_deref(), Some("Homs"));
//! # Ok::<(), vigil_gazetteer::Error>(())
//! ```

mod geoparse;
mod index;
pub mod key;
mod lexicon;
mod resolve;
pub mod source;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vigil_model::{Place, PlacePrecision};

pub use geoparse::{GeoparseConfig, PlaceMention, clear_thread_cache, find_places, resolve_spans};
pub use index::DETAILED_COUNTRIES;
pub use key::{name_key, skeleton_key, variants_meet};
pub use resolve::{Candidate, Near, geocode};
pub use source::{ImportStats, Sources, import_geonames};

/// Errors of the gazetteer: reading data, writing or opening an index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("bad gazetteer data: {0}")]
    Data(String),
    #[error("bad gazetteer index: {0}")]
    BadIndex(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The fingerprint of the bundled data and of the code that compiles it (see `build.rs`).
pub const BUNDLED_FINGERPRINT: &str = env!("VIGIL_GAZETTEER_FINGERPRINT");

/// A loaded place index. Cheap to clone (the index is shared); `Send + Sync`.
#[derive(Clone)]
pub struct Gazetteer {
    pub(crate) index: Arc<index::Index>,
    pub(crate) lex: Arc<lexicon::Lexicon>,
    pub(crate) region_cache: Arc<Mutex<RegionCache>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.len())
            .finish()
    }
}

/// Composed countryside points by (admin area, direction).
pub(crate) type RegionCache = std::collections::HashMap<(u32, u8), Option<(f64, f64)>>;

/// A place of the index, by its row number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// Everything the index knows of one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: PlaceId,
    pub name: String,
    pub geonameid: Option<u64>,
    pub lat: f64,
    pub lon: f64,
    pub feature_class: char,
    pub feature_code: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub population: u64,
    pub precision: PlacePrecision,
    /// For a curated district: its city.
    pub parent: Option<PlaceId>,
    /// True for places a source marks as abandoned or historical.
    pub historical: bool,
}

impl Entry {
    /// The place in the shared vocabulary.
    pub fn to_place(&self) -> Place {
        Place {
            name: self.name.clone(),
            geonames_id: self.geonameid,
            admin1: self.admin1.clone(),
            admin2: self.admin2.clone(),
            country: self.country.clone(),
            lat: self.lat,
            lon: self.lon,
            precision: self.precision,
            mention: None,
            span: None,
        }
    }
}

static BUNDLED: Mutex<Option<Gazetteer>> = Mutex::new(None);

impl Gazetteer {
    /// The index of the data shipped with vigil. Compiled at first use (a few seconds) into
    /// `gazetteer-<fingerprint>.vgi` in the cache folder (`VIGIL_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/vigil`, else `~/.cache/vigil`, else the system's temporary folder), then
    /// memory-mapped; later calls in the same process share the loaded index.
    pub fn bundled() -> Result<Gazetteer, Error> {
        let mut cached = BUNDLED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(g) = cached.as_ref() {
            return Ok(g.clone());
        }
        let path = bundled_index_path();
        let index = match index::Index::open(&path) {
            Ok(ix) if ix.meta.fingerprint == BUNDLED_FINGERPRINT => ix,
            _ => {
                let bytes = index::compile(&Sources::bundled()?, BUNDLED_FINGERPRINT)?;
                match write_atomically(&path, &bytes) {
                    Ok(()) => {
                        remove_stale_indexes(&path);
                        index::Index::open(&path)?
                    }
                    // A read-only machine still works, at the cost of memory.
                    Err(_) => index::Index::from_bytes(bytes)?,
                }
            }
        };
        let g = Gazetteer::from_index(index)?;
        *cached = Some(g.clone());
        Ok(g)
    }

    /// Opens a compiled index file (made by [`Gazetteer::build`] or `vigil gazetteer build`).
    pub fn open(path: &Path) -> Result<Gazetteer, Error> {
        Gazetteer::from_index(index::Index::open(path)?)
    }

    /// Compiles `sources` into an index file at `out` (written atomically).
    pub fn build(sources: &Sources, out: &Path) -> Result<Gazetteer, Error> {
        Gazetteer::build_with_fingerprint(sources, out, "custom")
    }

    /// Like [`Gazetteer::build`], recording `fingerprint` in the index (the bundled index records
    /// [`BUNDLED_FINGERPRINT`], which is how `bundled()` recognises a cached index).
    pub fn build_with_fingerprint(
        sources: &Sources,
        out: &Path,
        fingerprint: &str,
    ) -> Result<Gazetteer, Error> {
        let bytes = index::compile(sources, fingerprint)?;
        write_atomically(out, &bytes).map_err(|e| Error::io(out, e))?;
        Gazetteer::open(out)
    }

    fn from_index(index: index::Index) -> Result<Gazetteer, Error> {
        let countries: Vec<(String, String)> = index
            .meta
            .countries
            .iter()
            .map(|c| (c.iso.clone(), c.name.clone()))
            .collect();
        // A regular demonym form that is also a place's name ("Tunis" from "Tunisia") is the place.
        let is_place = |form: &str| index.strict.contains_key(name_key(form));
        let lex = lexicon::Lexicon::load(&countries, &is_place)?;
        Ok(Gazetteer {
            index: Arc::new(index),
            lex: Arc::new(lex),
            region_cache: Arc::default(),
        })
    }

    /// Number of places (populated places, admin areas, countries, regions, districts).
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }

    /// Number of distinct (place, name key) pairs indexed.
    pub fn name_count(&self) -> u64 {
        self.index.meta.names
    }

    /// One place by its id. Panics on no id; ids come from this gazetteer.
    pub fn entry(&self, id: PlaceId) -> Entry {
        let ix = &self.index;
        let r = ix.row(id.0);
        let fcode = ix.feature_code(r.fcode).to_string();
        let class = if r.flags & index::flag::REGION != 0 {
            'L'
        } else if fcode.starts_with("PPL") || fcode == "STLMT" {
            'P'
        } else if fcode.starts_with("ADM") || fcode.starts_with("PCL") {
            'A'
        } else {
            'P'
        };
        let precision = precision_of(&fcode, r.flags);
        let admin1 = ix.admin(r.admin1).map(|a| ix.string(a.name).to_string());
        let admin2 = ix.admin(r.admin2).map(|a| ix.string(a.name).to_string());
        Entry {
            id,
            name: ix.string(r.name).to_string(),
            geonameid: (r.geonameid != 0).then_some(u64::from(r.geonameid)),
            lat: f64::from(r.lat),
            lon: f64::from(r.lon),
            feature_class: class,
            feature_code: fcode,
            country: ix
                .meta
                .countries
                .get(r.country as usize)
                .map(|c| c.iso.clone()),
            admin1,
            admin2,
            population: u64::from(r.population),
            precision,
            parent: (r.parent != index::NONE).then_some(PlaceId(r.parent)),
            historical: r.flags & index::flag::CURRENT == 0,
        }
    }

    /// One place in the shared vocabulary, by its id (as [`Entry::to_place`], built directly).
    pub(crate) fn place_of(&self, id: PlaceId) -> Place {
        let ix = &self.index;
        let r = ix.row(id.0);
        Place {
            name: ix.string(r.name).to_string(),
            geonames_id: (r.geonameid != 0).then_some(u64::from(r.geonameid)),
            admin1: ix.admin(r.admin1).map(|a| ix.string(a.name).to_string()),
            admin2: ix.admin(r.admin2).map(|a| ix.string(a.name).to_string()),
            country: ix
                .meta
                .countries
                .get(r.country as usize)
                .map(|c| c.iso.clone()),
            lat: f64::from(r.lat),
            lon: f64::from(r.lon),
            precision: precision_of(ix.feature_code(r.fcode), r.flags),
            mention: None,
            span: None,
        }
    }

    /// Places whose name has exactly this strict key (see [`name_key`]), main names first.
    pub fn lookup(&self, name: &str) -> Vec<Entry> {
        let k = name_key(name);
        self.index
            .strict_postings(&k)
            .into_iter()
            .map(|v| self.entry(PlaceId(v & !index::PRIMARY)))
            .collect()
    }

    /// The nearest populated place (or district) to a point, within `max_km`.
    pub fn nearest(&self, lat: f64, lon: f64, max_km: f64) -> Option<(Entry, f64)> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let ix = &self.index;
        let lat_cell = (lat + 90.0).floor() as i32;
        let lon_cell = (lon + 180.0).floor() as i32;
        let mut best: Option<(u32, f64)> = None;
        // Rings of 1° cells; a ring r is at least (r-1)*~111 km * cos(lat) away.
        let max_ring = ((max_km / 50.0).ceil() as i32 + 1).clamp(1, 60);
        for ring in 0..=max_ring {
            if let Some((_, d)) = best {
                let ring_km =
                    (f64::from(ring) - 1.0) * 111.0 * lat.to_radians().cos().abs().max(0.05);
                if ring_km > d {
                    break;
                }
            }
            for dl in -ring..=ring {
                for dn in -ring..=ring {
                    if dl.abs() != ring && dn.abs() != ring {
                        continue;
                    }
                    for chunk in ix.grid_cell(lat_cell + dl, lon_cell + dn).chunks_exact(4) {
                        let i = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
                        let r = ix.row(i);
                        let d =
                            vigil_model::haversine_km(lat, lon, f64::from(r.lat), f64::from(r.lon));
                        if best.is_none_or(|(_, b)| d < b) {
                            best = Some((i, d));
                        }
                    }
                }
            }
        }
        best.filter(|(_, d)| *d <= max_km)
            .map(|(i, d)| (self.entry(PlaceId(i)), d))
    }

    /// The admin areas and country of a point: those of the nearest populated place within
    /// `max_km` (an approximation: vigil ships no admin boundaries).
    pub fn admin_of(
        &self,
        lat: f64,
        lon: f64,
        max_km: f64,
    ) -> Option<(Option<String>, Option<String>, Option<String>)> {
        self.nearest(lat, lon, max_km)
            .map(|(e, _)| (e.admin1, e.admin2, e.country))
    }

    /// The place row of an admin area by its GeoNames code (`US.CA`, `SY.11`).
    pub fn admin_place(&self, code: &str) -> Option<PlaceId> {
        let a = self.index.admin(self.index.admin_by_code(code)?)?;
        (a.place != index::NONE).then_some(PlaceId(a.place))
    }

    /// A country's row by ISO alpha-2 code.
    pub fn country(&self, iso: &str) -> Option<Entry> {
        let i = *self.index.country_by_iso.get(&iso.to_ascii_uppercase())?;
        let c = self.index.meta.countries.get(i as usize)?;
        (c.place != index::NONE).then(|| self.entry(PlaceId(c.place)))
    }
}

pub(crate) fn precision_of(fcode: &str, flags: u16) -> PlacePrecision {
    if flags & index::flag::REGION != 0 {
        PlacePrecision::Region
    } else if flags & index::flag::DISTRICT != 0 || fcode == "PPLX" {
        PlacePrecision::District
    } else if fcode.starts_with("PCL") {
        PlacePrecision::Country
    } else if fcode == "ADM1" {
        PlacePrecision::Admin1
    } else if fcode.starts_with("ADM") {
        PlacePrecision::Admin2
    } else {
        PlacePrecision::Settlement
    }
}

/// Where the bundled index is cached.
pub fn bundled_index_path() -> PathBuf {
    cache_dir().join(format!("gazetteer-{BUNDLED_FINGERPRINT}.vgi"))
}

/// Removes cached bundled indexes of other fingerprints (older data or code) beside `current`:
/// each is some 50 MB. One still mapped by a running process stays readable until it exits.
fn remove_stale_indexes(current: &Path) {
    let Some(dir) = current.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p != current && name.starts_with("gazetteer-") && name.ends_with(".vgi") {
            let _ = std::fs::remove_file(&p);
        }
    }
}

fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("VIGIL_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("vigil");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(h).join(".cache").join("vigil");
    }
    std::env::temp_dir().join("vigil")
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
