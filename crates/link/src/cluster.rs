//! Clustering: candidate pairs that score at least the threshold are merged greedily, best pair
//! first, under two constraints, into clusters (one cluster, one incident).
//!
//! - **Cannot-link**: two mentions of one report are never merged: the extractor kept them apart.
//! - **No chaining**: every pair of mentions across the two clusters must be [compatible]: close
//!   enough in days and place and scoring at least `Config::min_pair_score`.
//!
//! Pairs are taken in one total order (score, highest first, then the pair of keys), and each is
//! scored with the smaller key first, so the result depends only on the mentions and their keys,
//! never on the order they are given in. That order is what makes incremental linking exact:
//! [`crate::replay`] walks the same order around what changed and reaches the clusters this
//! function gives for every mention.
//!
//! [compatible]: crate::score

use crate::Config;
use crate::block::candidate_pairs;
use crate::features::Features;
use crate::score::{compatible, score};

/// The result of linking a set of mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linking {
    /// Clusters of indexes into the input, each sorted by key, ordered by their first key.
    pub clusters: Vec<Vec<usize>>,
}

/// A scored candidate pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub score: f32,
}

/// Every candidate pair scoring at least the threshold.
pub fn scored_edges(features: &[Features], config: &Config) -> Vec<Edge> {
    let mut edges = Vec::new();
    candidate_pairs(features, config, |a, b| {
        let (a, b) = if features[a].key <= features[b].key {
            (a, b)
        } else {
            (b, a)
        };
        let s = score(&features[a], &features[b], config).total();
        if s >= config.threshold {
            edges.push(Edge { a, b, score: s });
        }
    });
    edges
}

struct Sets {
    parent: Vec<u32>,
}

impl Sets {
    fn new(n: usize) -> Sets {
        Sets {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }
}

/// Clusters `features` given their scored edges (see [`scored_edges`]).
pub fn cluster(features: &[Features], mut edges: Vec<Edge>, config: &Config) -> Linking {
    let n = features.len();
    let key = |i: usize| features[i].key;
    let pair_keys = |e: &Edge| {
        let (x, y) = (key(e.a), key(e.b));
        (x.min(y), x.max(y))
    };
    edges.sort_unstable_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| pair_keys(x).cmp(&pair_keys(y)))
    });

    // Clusters: edges join when the constraints allow.
    let mut sets = Sets::new(n);
    let mut members: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
    let mut reports: Vec<Vec<u64>> = features.iter().map(|f| vec![f.report]).collect();
    for e in &edges {
        let (x, y) = (sets.find(e.a as u32), sets.find(e.b as u32));
        if x == y {
            continue;
        }
        let (x, y) = (x as usize, y as usize);
        if shares_any(&reports[x], &reports[y]) {
            continue;
        }
        if !all_compatible(features, &members[x], &members[y], config) {
            continue;
        }
        let (keep, gone) = if members[x].len() >= members[y].len() {
            (x, y)
        } else {
            (y, x)
        };
        sets.parent[gone] = keep as u32;
        let moved = std::mem::take(&mut members[gone]);
        members[keep].extend(moved);
        let moved = std::mem::take(&mut reports[gone]);
        reports[keep].extend(moved);
        reports[keep].sort_unstable();
    }

    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for (i, own) in members.iter().enumerate() {
        if sets.find(i as u32) as usize == i {
            let mut cluster: Vec<usize> = own.iter().map(|&m| m as usize).collect();
            cluster.sort_unstable_by_key(|&m| key(m));
            clusters.push(cluster);
        }
    }
    clusters.sort_unstable_by_key(|c| key(c[0]));
    Linking { clusters }
}

pub(crate) fn shares_any(a: &[u64], b: &[u64]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().any(|r| large.binary_search(r).is_ok())
}

/// Pairs checked at most when two large clusters meet; beyond, the first members by key stand
/// for each cluster.
const MAX_CHECKED: usize = 48;

pub(crate) fn all_compatible(features: &[Features], x: &[u32], y: &[u32], config: &Config) -> bool {
    let pick = |set: &[u32]| -> Vec<u32> {
        if set.len() <= MAX_CHECKED {
            return set.to_vec();
        }
        let mut sorted = set.to_vec();
        sorted.sort_unstable_by_key(|&i| features[i as usize].key);
        sorted.truncate(MAX_CHECKED);
        sorted
    };
    let (x, y) = (pick(x), pick(y));
    x.iter().all(|&i| {
        y.iter()
            .all(|&j| compatible(&features[i as usize], &features[j as usize], config))
    })
}
