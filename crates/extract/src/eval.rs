//! Scoring incident mentions against gold annotations (the format of `gold/SCHEMA.md`), with the
//! matching rules of the project's reference scorer `score.py`, so that both give the same
//! figures on the same predictions.
//!
//! A predicted incident matches a gold incident of the same report when its date interval
//! overlaps the gold one (widened by a day each side) and its point lies within the gold
//! tolerance; where the gold date is null, on place alone. Pairs are taken greedily: core news
//! incidents first, then other news, then historical ones, each by distance. Each gold incident
//! matches at most one prediction.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use vigil_model::{ActorRole, FigureKind, Mention, haversine_km};

/// Errors of reading gold files.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GoldDate {
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GoldPlace {
    #[serde(default)]
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(default)]
    pub tolerance_km: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GoldFigure {
    pub low: Option<u64>,
    pub high: Option<u64>,
    #[serde(default)]
    pub stated: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GoldIncident {
    pub id: String,
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default)]
    pub event_type_alt: Vec<String>,
    #[serde(default)]
    pub date: Option<GoldDate>,
    #[serde(default)]
    pub place: Option<GoldPlace>,
    #[serde(default)]
    pub perpetrators: Vec<String>,
    #[serde(default)]
    pub killed: Option<GoldFigure>,
    #[serde(default)]
    pub injured: Option<GoldFigure>,
    #[serde(default)]
    pub abducted: Option<GoldFigure>,
    #[serde(default)]
    pub historical: bool,
    #[serde(default)]
    pub core: bool,
}

/// One gold file: the incidents a careful analyst reads in one report.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GoldReport {
    #[serde(default)]
    pub doc: Option<String>,
    pub incidents: Vec<GoldIncident>,
}

/// Reads every per-report gold file (`<doc>.json` with an `incidents` list) of a folder.
pub fn load_gold_dir(dir: &Path) -> Result<BTreeMap<String, GoldReport>, EvalError> {
    let io = |e: std::io::Error| EvalError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    let mut out = BTreeMap::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| EvalError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| EvalError::Json {
                path: path.display().to_string(),
                source: e,
            })?;
        if value.get("incidents").is_none() {
            continue; // not a per-report gold file (links.json)
        }
        let gold: GoldReport = serde_json::from_value(value).map_err(|e| EvalError::Json {
            path: path.display().to_string(),
            source: e,
        })?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.insert(stem, gold);
    }
    Ok(out)
}

fn parse_date(s: &Option<String>) -> Option<Date> {
    let s = s.as_deref()?;
    s.get(..10)?.parse().ok()
}

fn gold_interval(d: &Option<GoldDate>) -> Option<(Date, Date)> {
    let d = d.as_ref()?;
    let (s, e) = (parse_date(&d.start), parse_date(&d.end));
    match (s, e) {
        (None, None) => None,
        (s, e) => Some((s.or(e)?, e.or(s)?)),
    }
}

fn pred_interval(m: &Mention) -> Option<(Date, Date)> {
    let (s, e) = (m.date.start, m.date.end);
    match (s, e) {
        (None, None) => None,
        (s, e) => Some((s.or(e)?, e.or(s)?)),
    }
}

fn shift(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).unwrap_or(d)
}

fn overlaps(p: Option<(Date, Date)>, g: Option<(Date, Date)>) -> bool {
    match (p, g) {
        (Some(p), Some(g)) => p.0 <= shift(g.1, 1) && p.1 >= shift(g.0, -1),
        (_, g) => g.is_none(),
    }
}

fn normalise(s: &str) -> std::collections::BTreeSet<String> {
    let mut t = s.to_lowercase();
    for ch in ['-', '\'', '’', '`', '"', '.', ',', '(', ')'] {
        t = t.replace(ch, " ");
    }
    t.split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "al" | "el" | "the" | "a" | "of" | "and" | "forces" | "front"
            )
        })
        .map(str::to_string)
        .collect()
}

fn actor_match(pred: &[String], gold: &[String]) -> Option<bool> {
    if gold.is_empty() {
        return None;
    }
    for g in gold {
        let gn = normalise(g);
        for p in pred {
            let pn = normalise(p);
            if !gn.is_empty() && !pn.is_empty() {
                let inter = gn.intersection(&pn).count() as f64;
                let uni = gn.union(&pn).count() as f64;
                if inter / uni >= 0.5 || gn.is_subset(&pn) || pn.is_subset(&gn) {
                    return Some(true);
                }
            }
        }
    }
    Some(false)
}

fn figure_of(m: &Mention, kind: FigureKind) -> Option<(Option<u64>, Option<u64>, Option<u64>)> {
    m.figures.get(&kind).map(|f| (f.best, f.low, f.high))
}

fn figure_ok(
    pred: Option<(Option<u64>, Option<u64>, Option<u64>)>,
    gold: &Option<GoldFigure>,
) -> Option<bool> {
    let g = gold.as_ref().filter(|g| g.stated)?;
    let Some((best, low, high)) = pred else {
        return Some(false);
    };
    let Some(best) = best.or(low).or(high) else {
        return Some(false);
    };
    Some(g.low.is_none_or(|lo| best >= lo) && g.high.is_none_or(|hi| best <= hi))
}

fn invented(
    pred: Option<(Option<u64>, Option<u64>, Option<u64>)>,
    gold: &Option<GoldFigure>,
) -> bool {
    if gold.as_ref().is_some_and(|g| g.stated) {
        return false;
    }
    pred.is_some_and(|(b, l, h)| b.is_some() || l.is_some() || h.is_some())
}

fn match_score(p: &Mention, g: &GoldIncident) -> Option<f64> {
    let gp = g.place.as_ref()?;
    let pp = p.place.as_ref()?;
    let (glat, glon) = (gp.lat?, gp.lon?);
    let d = haversine_km(pp.lat, pp.lon, glat, glon);
    if d > gp.tolerance_km.unwrap_or(10.0) {
        return None;
    }
    let gi = gold_interval(&g.date);
    if gi.is_some() {
        let pi = pred_interval(p);
        if pi.is_none() || !overlaps(pi, gi) {
            return None;
        }
    }
    Some(d)
}

/// The scores of a set of predictions, as `score.py` computes them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub reports: usize,
    pub reports_without_output: usize,
    pub core_recall: f64,
    pub news_recall: f64,
    pub precision: f64,
    pub f1: f64,
    pub event_type_accuracy: f64,
    pub date_accuracy: f64,
    pub killed_accuracy: f64,
    pub invented_figures: usize,
    pub perpetrator_accuracy: f64,
    pub historical_reported_as_news: usize,
    pub median_place_error_km: f64,
    pub counts: Counts,
}

/// The raw counts behind [`Scores`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub core: usize,
    pub core_hit: usize,
    pub news: usize,
    pub news_hit: usize,
    pub pred: usize,
    pub pred_hit: usize,
    pub hist_pred_as_news: usize,
    pub type_n: usize,
    pub type_ok: usize,
    pub date_n: usize,
    pub date_ok: usize,
    pub killed_n: usize,
    pub killed_ok: usize,
    pub invented: usize,
    pub actor_n: usize,
    pub actor_ok: usize,
    pub docs: usize,
    pub docs_missing: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Scores predictions (incident mentions by report key) against gold reports (by the same key).
/// Returns the scores and one block of lines per report (hits, misses, false positives).
pub fn score(
    predictions: &BTreeMap<String, Vec<Mention>>,
    gold: &BTreeMap<String, GoldReport>,
) -> (Scores, Vec<String>) {
    let mut t = Counts::default();
    let mut dist: Vec<f64> = Vec::new();
    let mut lines = Vec::new();
    let empty = Vec::new();
    for (doc, g) in gold {
        t.docs += 1;
        if !predictions.contains_key(doc) {
            t.docs_missing += 1;
        }
        let plist = predictions.get(doc).unwrap_or(&empty);
        let glist = &g.incidents;
        let mut pairs: Vec<(u8, f64, usize, usize)> = Vec::new();
        for (i, p) in plist.iter().enumerate() {
            for (j, gi) in glist.iter().enumerate() {
                if let Some(s) = match_score(p, gi) {
                    let prio = if !gi.historical && gi.core {
                        0
                    } else if !gi.historical {
                        1
                    } else {
                        2
                    };
                    pairs.push((prio, s, i, j));
                }
            }
        }
        pairs.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        let mut used_p = vec![false; plist.len()];
        let mut used_g = vec![false; glist.len()];
        let mut matched: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
        for (_, s, i, j) in pairs {
            if used_p[i] || used_g[j] {
                continue;
            }
            used_p[i] = true;
            used_g[j] = true;
            matched.insert(j, (i, s));
        }
        lines.push(doc.clone());
        for (j, gi) in glist.iter().enumerate() {
            let hist = gi.historical;
            if !hist {
                t.news += 1;
                if gi.core {
                    t.core += 1;
                }
            }
            if let Some(&(i, d)) = matched.get(&j) {
                let p = &plist[i];
                if hist {
                    if !p.historical {
                        t.hist_pred_as_news += 1;
                    }
                    continue;
                }
                t.news_hit += 1;
                if gi.core {
                    t.core_hit += 1;
                }
                dist.push(d);
                t.type_n += 1;
                let code = p.event_type.code();
                if gi.event_type.as_deref() == Some(code)
                    || gi.event_type_alt.iter().any(|a| a == code)
                {
                    t.type_ok += 1;
                }
                let gint = gold_interval(&gi.date);
                if let Some((g0, g1)) = gint {
                    t.date_n += 1;
                    if let Some((p0, p1)) = pred_interval(p)
                        && shift(g0, -1) <= p0
                        && p1 <= shift(g1, 1)
                    {
                        t.date_ok += 1;
                    }
                }
                for (kind, gf) in [
                    (FigureKind::Killed, &gi.killed),
                    (FigureKind::Injured, &gi.injured),
                    (FigureKind::Abducted, &gi.abducted),
                ] {
                    let pf = figure_of(p, kind);
                    if let Some(ok) = figure_ok(pf, gf)
                        && kind == FigureKind::Killed
                    {
                        t.killed_n += 1;
                        t.killed_ok += ok as usize;
                    }
                    if invented(pf, gf) {
                        t.invented += 1;
                    }
                }
                let mut names: Vec<String> = p
                    .actors
                    .iter()
                    .filter(|a| a.role == ActorRole::Perpetrator)
                    .map(|a| a.name.clone())
                    .collect();
                names.extend(
                    p.actors
                        .iter()
                        .filter(|a| a.role == ActorRole::Perpetrator)
                        .map(|a| a.mention.clone()),
                );
                if let Some(ok) = actor_match(&names, &gi.perpetrators) {
                    t.actor_n += 1;
                    t.actor_ok += ok as usize;
                }
                lines.push(format!("  hit   {:<28} {:6.1} km  type={}", gi.id, d, code));
            } else if !hist {
                lines.push(format!(
                    "  MISS  {:<28} {}",
                    gi.id,
                    if gi.core { "core" } else { "" }
                ));
            }
        }
        for (i, p) in plist.iter().enumerate() {
            if p.historical {
                continue;
            }
            t.pred += 1;
            let j = matched
                .iter()
                .find(|(_, (ii, _))| *ii == i)
                .map(|(j, _)| *j);
            match j {
                Some(j) if !glist[j].historical => t.pred_hit += 1,
                Some(_) => {}
                None => {
                    let name = p
                        .place
                        .as_ref()
                        .map_or("None".to_string(), |pl| pl.name.clone());
                    let start = p.date.start.map_or("None".to_string(), |d| d.to_string());
                    lines.push(format!(
                        "  FP    {:<28} {} {}",
                        name,
                        start,
                        p.event_type.code()
                    ));
                }
            }
        }
    }
    let core_recall = ratio(t.core_hit, t.core);
    let precision = ratio(t.pred_hit, t.pred);
    let f1 = if core_recall + precision > 0.0 {
        2.0 * core_recall * precision / (core_recall + precision)
    } else {
        0.0
    };
    dist.sort_by(f64::total_cmp);
    let median = if dist.is_empty() {
        f64::NAN
    } else {
        dist[dist.len() / 2]
    };
    let scores = Scores {
        reports: t.docs,
        reports_without_output: t.docs_missing,
        core_recall,
        news_recall: ratio(t.news_hit, t.news),
        precision,
        f1,
        event_type_accuracy: ratio(t.type_ok, t.type_n),
        date_accuracy: ratio(t.date_ok, t.date_n),
        killed_accuracy: ratio(t.killed_ok, t.killed_n),
        invented_figures: t.invented,
        perpetrator_accuracy: ratio(t.actor_ok, t.actor_n),
        historical_reported_as_news: t.hist_pred_as_news,
        median_place_error_km: median,
        counts: t,
    };
    (scores, lines)
}

fn float(v: f64) -> String {
    if v.is_nan() {
        "nan".to_string()
    } else {
        format!("{v:.3}")
    }
}

impl Scores {
    /// The summary table and last line exactly as `score.py` prints them.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let rows: [(&str, String); 13] = [
            ("reports", self.reports.to_string()),
            (
                "reports_without_output",
                self.reports_without_output.to_string(),
            ),
            ("core_recall", float(self.core_recall)),
            ("news_recall", float(self.news_recall)),
            ("precision", float(self.precision)),
            ("f1", float(self.f1)),
            ("event_type_accuracy", float(self.event_type_accuracy)),
            ("date_accuracy", float(self.date_accuracy)),
            ("killed_accuracy", float(self.killed_accuracy)),
            ("invented_figures", self.invented_figures.to_string()),
            ("perpetrator_accuracy", float(self.perpetrator_accuracy)),
            (
                "historical_reported_as_news",
                self.historical_reported_as_news.to_string(),
            ),
            ("median_place_error_km", float(self.median_place_error_km)),
        ];
        for (k, v) in rows {
            out.push_str(&format!("{k:<30} {v}\n"));
        }
        out.push_str(&self.score_line());
        out.push('\n');
        out
    }

    /// `score: core_recall=.. precision=.. ...`, as the last line of `score.py`.
    pub fn score_line(&self) -> String {
        let f = |v: f64, p: usize| {
            if v.is_nan() {
                "nan".to_string()
            } else {
                format!("{v:.p$}")
            }
        };
        format!(
            "score: core_recall={} precision={} f1={} place_km={} date={} type={} killed={} actors={}",
            f(self.core_recall, 3),
            f(self.precision, 3),
            f(self.f1, 3),
            f(self.median_place_error_km, 1),
            f(self.date_accuracy, 3),
            f(self.event_type_accuracy, 3),
            f(self.killed_accuracy, 3),
            f(self.perpetrator_accuracy, 3)
        )
    }
}
