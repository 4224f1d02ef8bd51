//! Blocking: every pair [`is_candidate`] accepts, found without comparing every mention with
//! every other.
//!
//! Three indexes, one for each way a pair can qualify:
//!
//! - a grid over (day, latitude, longitude) into which each mention's reach box is put (a
//!   precise place fills one cell or a few, a province many); a pair is emitted only in the cell
//!   that holds the lowest corner of the two boxes' intersection, so it is seen once;
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

    // Grid cells: (time bucket, lat cell, lon cell) → mentions.
    let mut grid: HashMap<(i32, i32, i32), Vec<u32>> = HashMap::new();
    let mut by_name: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut by_admin: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut boxes: Vec<Option<[f64; 6]>> = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let (Some((d0, d1)), Some(p)) = (f.days, &f.place) else {
            boxes.push(None);
            continue;
        };
        let (dlat, dlon) = half_box(f, config);
        let b = [
            f64::from(d0 - slack),
            f64::from(d1 + slack),
            f64::from(p.lat) - dlat,
            f64::from(p.lat) + dlat,
            f64::from(p.lon) - dlon,
            f64::from(p.lon) + dlon,
        ];
        boxes.push(Some(b));
        let (t0, t1) = (cell(b[0], f64::from(bucket)), cell(b[1], f64::from(bucket)));
        let (a0, a1) = (cell(b[2], cell_deg), cell(b[3], cell_deg));
        let (o0, o1) = (cell(b[4], cell_deg), cell(b[5], cell_deg));
        for t in t0..=t1 {
            for a in a0..=a1 {
                for o in o0..=o1 {
                    grid.entry((t, a, o)).or_default().push(i as u32);
                }
            }
        }
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

    // Sorted iteration keeps the order of emitted pairs independent of hashing.
    let mut cells: Vec<_> = grid.into_iter().collect();
    cells.sort_unstable_by_key(|(k, _)| *k);
    for ((t, a, o), mut members) in cells {
        members.sort_unstable_by_key(|&i| (start_of(i), i));
        for x in 0..members.len() {
            let i = members[x];
            let bi = boxes[i as usize].expect("only boxed mentions are in the grid");
            for &j in &members[x + 1..] {
                let bj = boxes[j as usize].expect("only boxed mentions are in the grid");
                if bj[0] > bi[1] {
                    break;
                }
                // Emit in the cell of the intersection's lowest corner only.
                if cell(bi[0].max(bj[0]), f64::from(bucket)) != t
                    || cell(bi[2].max(bj[2]), cell_deg) != a
                    || cell(bi[4].max(bj[4]), cell_deg) != o
                {
                    continue;
                }
                let (fi, fj) = (&features[i as usize], &features[j as usize]);
                if boxes_overlap(fi, fj, config) && is_candidate(fi, fj, config) {
                    emit(i.min(j) as usize, i.max(j) as usize);
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
            .partition(|&i| end_of(i) - start_of(i) <= LONG_RANGE_DAYS);
        short.sort_unstable_by_key(|&i| (start_of(i), i));
        for &c in &coarse {
            let (c0, c1) = features[c as usize].days.unwrap_or((0, -1));
            let lower = short.partition_point(|&i| start_of(i) < c0 - 2 * slack - LONG_RANGE_DAYS);
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

/// Ranges longer than this many days are searched one by one in the administrative index.
const LONG_RANGE_DAYS: i32 = 31;

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
