//! Incremental linking by local replay: the clusters a full [`cluster`](crate::cluster) of
//! every mention would give, computed from the stored incidents and the few mentions whose
//! clustering can change.
//!
//! Clustering is a greedy pass over the edges in one total order (score, then the pair's keys).
//! Two runs are compared: the *old* run, over the mentions stored before (its clusters are the
//! stored incidents), and the *new* run, over the mentions stored now (the old ones, less those
//! removed by re-extraction, plus the new ones). The replay walks the new run's edges in order,
//! but only those around what changed, and keeps two partitions of the mentions it has loaded
//! (the *active* ones):
//!
//! - the **shadow**, the old run's state at the current edge, for the stored incidents it has
//!   loaded. An incident's mentions only ever merged among themselves in the old run (every edge
//!   to another incident was a rejection, which changes nothing), so its state at any point is
//!   the replay of its own internal edges up to that point, with the real checks;
//! - the **new** state, the new run's, in which each cluster is *tainted* or not. An untainted
//!   cluster is exactly a shadow cluster (the same mentions): when two untainted clusters meet,
//!   the checks see the same mentions as in the old run, so the old decision applies.
//!
//! New mentions (and those of incidents that lost a mention to re-extraction, which the store
//! hands back unlinked) start as tainted singletons. At each edge the old decision (from the
//! shadow: did the old run merge these two mentions' clusters here?) and the new one (the real
//! checks when a side is tainted) are compared; where they differ both clusters become tainted,
//! and a merge with a tainted cluster is tainted. A mention whose cluster becomes tainted has its
//! edges from then on found through the store ([`Neighbourhood::candidates`], the same candidate
//! relation as blocking, [`is_candidate`]) and queued. When a tainted cluster meets a mention that
//! is not loaded, that mention's stored incident is loaded and brought to the current point by
//! replaying its internal edges; an untainted cluster meeting an unloaded mention of another
//! incident is a rejection in both runs and needs nothing. Every mention never loaded therefore
//! clusters in the new run exactly as in the old one, and the work follows the region whose
//! result changes, not the size of the store or of chains of pairs across months.
//!
//! At the end, an active cluster made of exactly one stored incident's mentions is that incident,
//! unchanged; every other active cluster is a new incident, and the loaded incidents that are no
//! longer clusters are removed. The result is the full run's (`tests/link.rs` checks it against
//! [`cluster`](crate::cluster) on random additions and removals).
//!
//! The replay trusts the store: its incidents must be what `cluster` gives for its mentions,
//! which every earlier run (incremental or rebuild) leaves. After a change to linking itself
//! (features, scores, threshold, constraints), `vigil link --rebuild` re-links everything.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::Config;
use crate::cluster::{all_compatible, shares_any};
use crate::features::Features;
use crate::score::{is_candidate, score};

/// A stored mention as the replay reads it: its features (with its key) and the stored incident
/// it belongs to (`None` when it is not linked: new, or left by a re-extraction).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFeatures {
    pub features: Features,
    pub incident: Option<i64>,
}

/// What the replay asks of a store.
pub trait Neighbourhood {
    type Error;
    /// Stored mentions that may be candidates of any of `mentions` (a few mentions of one
    /// cluster, or one): every mention `m` with `is_candidate(x, m)` for one of them must be
    /// among them (more is fine: the replay filters).
    fn candidates(&mut self, mentions: &[&Features]) -> Result<Vec<StoredFeatures>, Self::Error>;
    /// Every mention of a stored incident.
    fn members(&mut self, incident: i64) -> Result<Vec<Features>, Self::Error>;
}

/// What a replay found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    /// Clusters of the new run that are not a stored incident: their mentions' keys, sorted,
    /// ordered by their first key.
    pub changed: Vec<Vec<u64>>,
    /// Stored incidents that are no longer clusters (to remove), sorted.
    pub removed: Vec<i64>,
    /// Stored incidents loaded and found unchanged.
    pub kept: usize,
    /// Mentions loaded (the new ones and the members of loaded incidents).
    pub loaded: usize,
    /// Mentions whose candidates were searched in the store.
    pub searched: usize,
    /// Edges taken from the queue.
    pub edges: usize,
}

/// An edge in the clustering order: the greatest is taken first (highest score, then the
/// smallest pair of keys), as [`cluster`](crate::cluster) sorts them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ordered {
    score: f32,
    lo: u64,
    hi: u64,
}

impl Eq for Ordered {}

impl Ord for Ordered {
    fn cmp(&self, other: &Ordered) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.lo.cmp(&self.lo))
            .then_with(|| other.hi.cmp(&self.hi))
    }
}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Ordered) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The edge between two mentions, when they are candidates scoring at least the threshold
/// (scored with the smaller key first, as [`crate::scored_edges`] does).
fn edge_between(a: &Features, b: &Features, config: &Config) -> Option<Ordered> {
    let (x, y) = if a.key <= b.key { (a, b) } else { (b, a) };
    if !is_candidate(x, y, config) {
        return None;
    }
    let s = score(x, y, config).total();
    (s >= config.threshold).then_some(Ordered {
        score: s,
        lo: x.key,
        hi: y.key,
    })
}

/// A partition of the loaded mentions under the clustering constraints.
#[derive(Default)]
struct Partition {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
    reports: Vec<Vec<u64>>,
}

impl Partition {
    fn push(&mut self, report: u64) {
        let i = self.parent.len() as u32;
        self.parent.push(i);
        self.members.push(vec![i]);
        self.reports.push(vec![report]);
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Whether clustering would merge the clusters of roots `x` and `y` (distinct).
    fn allows(&self, x: u32, y: u32, features: &[Features], config: &Config) -> bool {
        let (x, y) = (x as usize, y as usize);
        !shares_any(&self.reports[x], &self.reports[y])
            && all_compatible(features, &self.members[x], &self.members[y], config)
    }

    /// Merges roots `x` and `y`; returns the new root.
    fn merge(&mut self, x: u32, y: u32) -> u32 {
        let (x, y) = (x as usize, y as usize);
        let (keep, gone) = if self.members[x].len() >= self.members[y].len() {
            (x, y)
        } else {
            (y, x)
        };
        self.parent[gone] = keep as u32;
        let moved = std::mem::take(&mut self.members[gone]);
        self.members[keep].extend(moved);
        let moved = std::mem::take(&mut self.reports[gone]);
        self.reports[keep].extend(moved);
        self.reports[keep].sort_unstable();
        keep as u32
    }

    /// Takes the edge between mentions `a` and `b` as clustering does; true when it merged.
    fn take(&mut self, a: u32, b: u32, features: &[Features], config: &Config) -> bool {
        let (x, y) = (self.find(a), self.find(b));
        if x == y || !self.allows(x, y, features, config) {
            return false;
        }
        self.merge(x, y);
        true
    }
}

struct State<'n, N: Neighbourhood> {
    store: &'n mut N,
    config: &'n Config,
    index: HashMap<u64, u32>,
    features: Vec<Features>,
    /// The stored incident of each loaded mention.
    old: Vec<Option<i64>>,
    now: Partition,
    shadow: Partition,
    /// By root of `now`.
    tainted: Vec<bool>,
    searched: Vec<bool>,
    /// Stored incidents loaded, with their sizes.
    active: HashMap<i64, usize>,
    /// Incidents of mentions seen in searches but not loaded.
    outside: HashMap<u64, i64>,
    queue: BinaryHeap<Ordered>,
    queued: HashSet<(u64, u64)>,
    /// The edge being taken; edges before it are done.
    current: Option<Ordered>,
    report: Replay,
}

impl<N: Neighbourhood> State<'_, N> {
    fn add(&mut self, features: Features, old: Option<i64>) -> u32 {
        let i = self.features.len() as u32;
        self.index.insert(features.key, i);
        self.now.push(features.report);
        self.shadow.push(features.report);
        self.features.push(features);
        self.old.push(old);
        self.tainted.push(old.is_none());
        self.searched.push(false);
        self.report.loaded += 1;
        i
    }

    /// Queues an edge unless it is already queued or already passed.
    fn enqueue(&mut self, e: Ordered) {
        if self.current.is_some_and(|c| e >= c) {
            return;
        }
        if self.queued.insert((e.lo, e.hi)) {
            self.queue.push(e);
        }
    }

    /// Queues every edge of the mentions `group` (those not searched yet) from the current
    /// point on, through one search of the store.
    fn search(&mut self, group: &[u32]) -> Result<(), N::Error> {
        let group: Vec<u32> = group
            .iter()
            .copied()
            .filter(|&i| !self.searched[i as usize])
            .collect();
        if group.is_empty() {
            return Ok(());
        }
        for &i in &group {
            self.searched[i as usize] = true;
        }
        self.report.searched += group.len();
        let mentions: Vec<&Features> = group.iter().map(|&i| &self.features[i as usize]).collect();
        let found = self.store.candidates(&mentions)?;
        for c in found {
            let edges: Vec<Ordered> = group
                .iter()
                .filter_map(|&i| edge_between(&self.features[i as usize], &c.features, self.config))
                .collect();
            if edges.is_empty() {
                continue;
            }
            let fresh = match (self.index.contains_key(&c.features.key), c.incident) {
                (true, _) => None,
                (false, Some(incident)) => {
                    self.outside.insert(c.features.key, incident);
                    None
                }
                // An unlinked mention not handed in as new: it is new all the same.
                (false, None) => Some(self.add(c.features, None)),
            };
            for e in edges {
                self.enqueue(e);
            }
            if let Some(j) = fresh {
                self.search(&[j])?;
            }
        }
        Ok(())
    }

    /// Searches every member of the cluster of root `r` not searched yet.
    fn search_cluster(&mut self, r: u32) -> Result<(), N::Error> {
        let members = self.now.members[r as usize].clone();
        self.search(&members)
    }

    /// Loads a stored incident and brings it to the current point: its internal edges before
    /// it replayed (in both partitions: it is untainted), the others queued.
    fn activate(&mut self, incident: i64) -> Result<(), N::Error> {
        if self.active.contains_key(&incident) {
            return Ok(());
        }
        let members = self.store.members(incident)?;
        self.active.insert(incident, members.len());
        let first = self.features.len() as u32;
        for f in members {
            self.outside.remove(&f.key);
            if self.index.contains_key(&f.key) {
                continue;
            }
            self.add(f, Some(incident));
        }
        let last = self.features.len() as u32;
        let mut internal = Vec::new();
        for a in first..last {
            for b in a + 1..last {
                if let Some(e) = edge_between(
                    &self.features[a as usize],
                    &self.features[b as usize],
                    self.config,
                ) {
                    internal.push(e);
                }
            }
        }
        internal.sort_unstable_by(|x, y| y.cmp(x));
        for e in internal {
            let (a, b) = (self.index[&e.lo], self.index[&e.hi]);
            // Before the current point: the old run took it, and this untainted incident took
            // it the same way in the new run.
            if self.current.is_some_and(|c| e > c) {
                if self.shadow.take(a, b, &self.features, self.config) {
                    let (x, y) = (self.now.find(a), self.now.find(b));
                    self.now.merge(x, y);
                }
            } else {
                self.enqueue(e);
            }
        }
        Ok(())
    }

    /// Marks the cluster of root `r` tainted, searching its members.
    fn taint(&mut self, r: u32) -> Result<(), N::Error> {
        if !self.tainted[r as usize] {
            self.tainted[r as usize] = true;
        }
        self.search_cluster(r)
    }

    fn step(&mut self, e: Ordered) -> Result<(), N::Error> {
        self.current = Some(e);
        self.report.edges += 1;
        let (a, b) = match (self.index.get(&e.lo), self.index.get(&e.hi)) {
            (Some(&a), Some(&b)) => (a, b),
            (Some(&inside), None) | (None, Some(&inside)) => {
                // Met through the search of a tainted mention: an unloaded mention is in an
                // untouched stored incident, which must be loaded to decide.
                let r = self.now.find(inside);
                if !self.tainted[r as usize] {
                    return Ok(());
                }
                let other = if self.index.contains_key(&e.lo) {
                    e.hi
                } else {
                    e.lo
                };
                let Some(&incident) = self.outside.get(&other) else {
                    return Ok(());
                };
                self.activate(incident)?;
                (self.index[&e.lo], self.index[&e.hi])
            }
            (None, None) => return Ok(()),
        };
        // The old run's decision.
        let same_incident = matches!(
            (self.old[a as usize], self.old[b as usize]),
            (Some(x), Some(y)) if x == y
        );
        let old = same_incident && self.shadow.take(a, b, &self.features, self.config);
        // The new run's.
        let (x, y) = (self.now.find(a), self.now.find(b));
        if x == y {
            return Ok(());
        }
        let (tx, ty) = (self.tainted[x as usize], self.tainted[y as usize]);
        let new = if !tx && !ty {
            old
        } else {
            self.now.allows(x, y, &self.features, self.config)
        };
        if new {
            let r = self.now.merge(x, y);
            if tx || ty || new != old {
                self.taint(r)?;
            }
        } else if new != old {
            self.taint(x)?;
            self.taint(y)?;
        }
        Ok(())
    }
}

/// Replays the clustering around the unlinked mentions `new` (see the module documentation).
/// Mentions removed from the store must have taken their incidents with them: the store hands
/// back those incidents' other mentions unlinked, among `new`.
pub fn replay<N: Neighbourhood>(
    new: Vec<Features>,
    store: &mut N,
    config: &Config,
) -> Result<Replay, N::Error> {
    let mut state = State {
        store,
        config,
        index: HashMap::new(),
        features: Vec::new(),
        old: Vec::new(),
        now: Partition::default(),
        shadow: Partition::default(),
        tainted: Vec::new(),
        searched: Vec::new(),
        active: HashMap::new(),
        outside: HashMap::new(),
        queue: BinaryHeap::new(),
        queued: HashSet::new(),
        current: None,
        report: Replay::default(),
    };
    let mut fresh = Vec::with_capacity(new.len());
    for f in new {
        if !state.index.contains_key(&f.key) {
            fresh.push(state.add(f, None));
        }
    }
    for i in fresh {
        state.search(&[i])?;
    }
    while let Some(e) = state.queue.pop() {
        state.step(e)?;
    }

    // Clusters: unchanged incidents stay, the others are written.
    let n = state.features.len() as u32;
    let mut clusters: HashMap<u32, Vec<u32>> = HashMap::new();
    for i in 0..n {
        let r = state.now.find(i);
        clusters.entry(r).or_default().push(i);
    }
    let mut kept: HashSet<i64> = HashSet::new();
    let mut changed = Vec::new();
    for members in clusters.into_values() {
        let first = state.old[members[0] as usize];
        let unchanged = match first {
            Some(incident) => {
                state.active.get(&incident) == Some(&members.len())
                    && members
                        .iter()
                        .all(|&m| state.old[m as usize] == Some(incident))
            }
            None => false,
        };
        if unchanged {
            kept.insert(first.expect("an unchanged cluster is a stored incident"));
        } else {
            let mut keys: Vec<u64> = members
                .iter()
                .map(|&m| state.features[m as usize].key)
                .collect();
            keys.sort_unstable();
            changed.push(keys);
        }
    }
    changed.sort_unstable_by_key(|c| c[0]);
    let mut removed: Vec<i64> = state
        .active
        .keys()
        .copied()
        .filter(|i| !kept.contains(i))
        .collect();
    removed.sort_unstable();
    let mut report = state.report;
    report.changed = changed;
    report.removed = removed;
    report.kept = kept.len();
    Ok(report)
}
