//! Blocking: every pair [`is_candidate`] accepts, found without comparing every mention with
//! every other.
//!
//! Three indexes, one for each way a pair can qualify:
//!
//! - a fine grid over (day, latitude, longitude) into which each precise mention's reach box is
//!   put (one cell or a few), and a coarse grid for pairs with an area (a province, a region, a
//!   country), which would fill hundreds of fine cells; a pair is emitted only from the cell that
//!   holds the lowest corner of the two boxes' intersection, so it is seen once;
//! - the skeleton of the place name, for transliterations the gazetteer placed apart;
//! - the first-level administrative unit, for an area ("Idlib province") against points in it.
//!
//! Inside each group mentions are sorted by first day and swept, so the cost follows the number
//! of mentions that share days and places, not the square of a group's size.

use std::collections::HashMap;

use crate::Config;
use crate::features::Features;
use crate::score::{boxes_overlap, half_box, is_candidate};

/// Calls `emit(i, j)` (indexes into `features`, `i < j`) once for every candidate pair.
pub fn candidate_pairs(features: &[Features], config: &Config, mut emit: impl FnMut(usize, usize)) {
    let cell_deg = config.grid_degrees.max(0.01);
    let bucket = config.grid_days.max(1);
    let slack = config.date_slack_days;

    // Mentions whose box spans more than a fine cell (provinces, regions, countries) are kept
    // out of the fine grid, where they would fill hundreds of cells each, and paired through a
    // coarse grid instead.
    let mut boxes: Vec<Option<[f64; 6]>> = Vec::with_capacity(features.len());
    let mut large: Vec<bool> = Vec::with_capacity(features.len());
    let mut by_name: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut by_admin: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let (Some((d0, d1)), Some(p)) = (f.days, &f.place) else {
            boxes.push(None);
            large.push(false);
            continue;
        };
        let (dlat, dlon) = half_box(f, config);
        boxes.push(Some([
            f64::from(d0 - slack),
            f64::from(d1 + slack),
            f64::from(p.lat) - dlat,
            f64::from(p.lat) + dlat,
            f64::from(p.lon) - dlon,
            f64::from(p.lon) + dlon,
        ]));
        large.push(dlat > cell_deg || dlon > cell_deg);
        if p.name_key != 0 {
            by_name.entry(p.name_key).or_default().push(i as u32);
        }
        let admin = f.admin_key();
        if admin != 0 {
            by_admin.entry(admin).or_default().push(i as u32);
        }
    }
    let start_of = |i: u32| features[i as usize].days.map(|d| d.0).unwrap_or(i32::MAX);
    let end_of = |i: u32| features[i as usize].days.map(|d| d.1).unwrap_or(i32::MIN);

    // Fine grid: pairs of two precise places.
    let fine = Grid::build(&boxes, |i| !large[i], cell_deg, f64::from(bucket));
    let Grid { cells, .. } = &fine;
    for (cell_key, members) in cells {
        let cell_key = *cell_key;
        let mut members = members.clone();
        members.sort_unstable_by_key(|&i| (start_of(i), i));
        for x in 0..members.len() {
            let i = members[x];
            let bi = boxes[i as usize].expect("only boxed mentions are in the grid");
            for &j in &members[x + 1..] {
                let bj = boxes[j as usize].expect("only boxed mentions are in the grid");
                if bj[0] > bi[1] {
                    break;
                }
                if fine.lowest_corner_cell(&bi, &bj) != cell_key {
                    continue;
                }
                let (fi, fj) = (&features[i as usize], &features[j as usize]);
                if boxes_overlap(fi, fj, config) && is_candidate(fi, fj, config) {
                    emit(i.min(j) as usize, i.max(j) as usize);
                }
            }
        }
    }

    // Coarse grid: pairs with at least one area, found from the areas' side.
    let coarse_deg = COARSE_CELL_DEGREES.max(cell_deg);
    let coarse = Grid::build(&boxes, |_| true, coarse_deg, f64::from(bucket * 2));
    let Grid { cells, .. } = &coarse;
    for (cell_key, members) in cells {
        let cell_key = *cell_key;
        let members = members.clone();
        let areas: Vec<u32> = members
            .iter()
            .copied()
            .filter(|&i| large[i as usize])
            .collect();
        if areas.is_empty() {
            continue;
        }
        let (mut short, long): (Vec<u32>, Vec<u32>) = members
            .into_iter()
            .partition(|&i| end_of(i) - start_of(i) <= SHORT_RANGE_DAYS);
        short.sort_unstable_by_key(|&i| (start_of(i), i));
        for &a in &areas {
            let ba = boxes[a as usize].expect("only boxed mentions are in the grid");
            let (a0, a1) = (start_of(a), end_of(a));
            let lower = short.partition_point(|&i| start_of(i) < a0 - 2 * slack - SHORT_RANGE_DAYS);
            let upper = short.partition_point(|&i| start_of(i) <= a1 + 2 * slack);
            for &j in short[lower..upper.max(lower)].iter().chain(&long) {
                if j == a || (large[j as usize] && j < a) {
                    // Two areas: emitted from the lower index only.
                    continue;
                }
                let bj = boxes[j as usize].expect("only boxed mentions are in the grid");
                if coarse.lowest_corner_cell(&ba, &bj) != cell_key {
                    continue;
                }
                let (fa, fj) = (&features[a as usize], &features[j as usize]);
                if boxes_overlap(fa, fj, config) && is_candidate(fa, fj, config) {
                    emit(a.min(j) as usize, a.max(j) as usize);
                }
            }
        }
    }

    // Same name skeleton, boxes apart.
    let mut names: Vec<_> = by_name.into_iter().collect();
    names.sort_unstable_by_key(|(k, _)| *k);
    for (_, mut members) in names {
        sweep(&mut members, &start_of, &end_of, 2 * slack, |i, j| {
            let (fi, fj) = (&features[i], &features[j]);
            if !boxes_overlap(fi, fj, config) && is_candidate(fi, fj, config) {
                emit(i.min(j), i.max(j));
            }
        });
    }

    // Same first-level unit, one of them an area, boxes apart and names different.
    let mut admins: Vec<_> = by_admin.into_iter().collect();
    admins.sort_unstable_by_key(|(k, _)| *k);
    for (_, members) in admins {
        let coarse: Vec<u32> = members
            .iter()
            .copied()
            .filter(|&i| features[i as usize].is_coarse())
            .collect();
        if coarse.is_empty() {
            continue;
        }
        // Short ranges sorted by first day are searched by day; the few long ones ("in 2012")
        // are checked one by one.
        let (mut short, long): (Vec<u32>, Vec<u32>) = members
            .into_iter()
            .partition(|&i| end_of(i) - start_of(i) <= SHORT_RANGE_DAYS);
        short.sort_unstable_by_key(|&i| (start_of(i), i));
        for &c in &coarse {
            let (c0, c1) = features[c as usize].days.unwrap_or((0, -1));
            let lower = short.partition_point(|&i| start_of(i) < c0 - 2 * slack - SHORT_RANGE_DAYS);
            let upper = short.partition_point(|&i| start_of(i) <= c1 + 2 * slack);
            for &j in short[lower..upper.max(lower)].iter().chain(&long) {
                if j == c || end_of(j) < c0 - 2 * slack || start_of(j) > c1 + 2 * slack {
                    continue;
                }
                let (fc, fj) = (&features[c as usize], &features[j as usize]);
                // A pair of two areas is emitted from the one with the lower index only.
                if fj.is_coarse() && j < c {
                    continue;
                }
                let by_name = match (&fc.place, &fj.place) {
                    (Some(pc), Some(pj)) => pc.name_key != 0 && pc.name_key == pj.name_key,
                    _ => false,
                };
                if !boxes_overlap(fc, fj, config) && !by_name && is_candidate(fc, fj, config) {
                    emit(c.min(j) as usize, c.max(j) as usize);
                }
            }
        }
    }
}

/// In the coarse grid and the administrative index, ranges longer than this many days are
/// checked one by one (most mentions are a day or a few days).
const SHORT_RANGE_DAYS: i32 = 7;

/// Cell size of the coarse grid, in degrees: wider than any area's reach box is tall, so an area
/// fills a few cells.
const COARSE_CELL_DEGREES: f64 = 4.0;

type CellKey = (i32, i32, i32);

/// A grid over (day, latitude, longitude) holding each mention in every cell its box touches.
struct Grid {
    /// Sorted by key, so pairs come out in an order independent of hashing.
    cells: Vec<(CellKey, Vec<u32>)>,
    degrees: f64,
    days: f64,
}

impl Grid {
    fn build(
        boxes: &[Option<[f64; 6]>],
        include: impl Fn(usize) -> bool,
        degrees: f64,
        days: f64,
    ) -> Grid {
        let mut map: HashMap<CellKey, Vec<u32>> = HashMap::new();
        for (i, b) in boxes.iter().enumerate() {
            let Some(b) = b else { continue };
            if !include(i) {
                continue;
            }
            for t in cell(b[0], days)..=cell(b[1], days) {
                for a in cell(b[2], degrees)..=cell(b[3], degrees) {
                    for o in cell(b[4], degrees)..=cell(b[5], degrees) {
                        map.entry((t, a, o)).or_default().push(i as u32);
                    }
                }
            }
        }
        let mut cells: Vec<_> = map.into_iter().collect();
        cells.sort_unstable_by_key(|(k, _)| *k);
        Grid {
            cells,
            degrees,
            days,
        }
    }

    /// The cell holding the lowest corner of two boxes' intersection: the one cell a pair is
    /// emitted from.
    fn lowest_corner_cell(&self, a: &[f64; 6], b: &[f64; 6]) -> CellKey {
        (
            cell(a[0].max(b[0]), self.days),
            cell(a[2].max(b[2]), self.degrees),
            cell(a[4].max(b[4]), self.degrees),
        )
    }
}

fn cell(x: f64, size: f64) -> i32 {
    (x / size).floor() as i32
}

/// Calls `f` for each pair of a group whose (widened) day ranges may overlap: sorted by first
/// day, each mention is compared with the following ones until their first day passes its last.
fn sweep(
    members: &mut [u32],
    start_of: &impl Fn(u32) -> i32,
    end_of: &impl Fn(u32) -> i32,
    widen: i32,
    mut f: impl FnMut(usize, usize),
) {
    members.sort_unstable_by_key(|&i| (start_of(i), i));
    for x in 0..members.len() {
        let i = members[x];
        let last = end_of(i).saturating_add(widen);
        for &j in &members[x + 1..] {
            if start_of(j) > last {
                break;
            }
            f(i as usize, j as usize);
        }
    }
}
