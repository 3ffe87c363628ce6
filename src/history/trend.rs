//! Open findings per day, per rule and in total, replayed from the trace.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::event::EventKind;
use super::fingerprint::Fp;
use super::time::{DAY, Timestamp};
use super::trace::{read_events, trace_path};

/// Open findings at the end of each day of a window (UTC days, the last one today), and
/// the vault's coherence score.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trend {
    /// `YYYY-MM-DD` of each day, oldest first.
    pub days: Vec<String>,
    /// Per rule code, aligned with `days`; rules never open in the window are left out.
    pub series: BTreeMap<String, Vec<u32>>,
    pub total: Vec<u32>,
    /// The coherence score at the end of each day (the last `score` event so far), aligned
    /// with `days`; `None` before the first one.
    pub scores: Vec<Option<f64>>,
}

impl Trend {
    /// The days that have a score, with it, oldest first.
    pub fn scored_days(&self) -> Vec<(String, f64)> {
        self.days
            .iter()
            .zip(&self.scores)
            .filter_map(|(day, score)| Some((day.clone(), (*score)?)))
            .collect()
    }
}

/// One finding event, reduced to what the replay needs.
struct Step {
    ts: Timestamp,
    kind: EventKind,
    fp: Fp,
    from: Option<Fp>,
    code: u16,
}

/// The trend of the vault's trace over the `days` days ending on `now`'s day.
pub fn trend(root: &Path, now: Timestamp, days: u32) -> io::Result<Trend> {
    let mut codes: Vec<String> = Vec::new();
    let mut code_ids: FxHashMap<String, u16> = FxHashMap::default();
    let mut steps = Vec::new();
    let mut scores: Vec<(Timestamp, u32)> = Vec::new();
    read_events(&trace_path(root), |e| {
        if e.kind == EventKind::Score {
            scores.push((e.ts, e.n));
        }
        let Some(fp) = e.fp else { return };
        let code = match code_ids.get(e.code.as_ref()) {
            Some(id) => *id,
            None => {
                let id = codes.len() as u16;
                codes.push(e.code.to_string());
                code_ids.insert(e.code.to_string(), id);
                id
            }
        };
        steps.push(Step {
            ts: e.ts,
            kind: e.kind,
            fp,
            from: Fp::parse(&e.from),
            code,
        });
    })?;
    let mut trend = replay(steps, &codes, now, days);
    trend.scores = daily_scores(scores, now, days);
    Ok(trend)
}

/// The last score at the end of each day of the window, carried over days without one.
fn daily_scores(mut scores: Vec<(Timestamp, u32)>, now: Timestamp, days: u32) -> Vec<Option<f64>> {
    scores.sort_by_key(|s| s.0);
    let last_day = now.day();
    let first_day = last_day - i64::from(days.max(1)) + 1;
    let mut scores = scores.into_iter().peekable();
    let mut current = None;
    (first_day..=last_day)
        .map(|day| {
            let end = Timestamp((day + 1) * DAY);
            while let Some((_, n)) = scores.next_if(|s| s.0 < end) {
                current = Some(f64::from(n) / 1000.0);
            }
            current
        })
        .collect()
}

fn replay(mut steps: Vec<Step>, codes: &[String], now: Timestamp, days: u32) -> Trend {
    // Stable: events of one second keep their file order.
    steps.sort_by_key(|s| s.ts);
    let last_day = now.day();
    let first_day = last_day - i64::from(days.max(1)) + 1;
    let mut open: FxHashMap<Fp, u16> = FxHashMap::default();
    let mut counts = vec![0u32; codes.len()];
    let mut columns: Vec<Vec<u32>> = Vec::new();
    let mut day = first_day;
    let mut steps = steps.into_iter().peekable();
    while day <= last_day {
        let end = Timestamp((day + 1) * DAY);
        while let Some(step) = steps.next_if(|s| s.ts < end) {
            apply(&mut open, &mut counts, &step);
        }
        columns.push(counts.clone());
        day += 1;
    }
    let mut series = BTreeMap::new();
    for (i, code) in codes.iter().enumerate() {
        let values: Vec<u32> = columns.iter().map(|c| c[i]).collect();
        if values.iter().any(|v| *v > 0) {
            series.insert(code.clone(), values);
        }
    }
    Trend {
        days: (first_day..=last_day)
            .map(|d| Timestamp(d * DAY).date())
            .collect(),
        total: columns.iter().map(|c| c.iter().sum()).collect(),
        series,
        scores: Vec::new(),
    }
}

fn apply(open: &mut FxHashMap<Fp, u16>, counts: &mut [u32], step: &Step) {
    match step.kind {
        EventKind::Opened | EventKind::Reopened => {
            if open.insert(step.fp, step.code).is_none() {
                counts[step.code as usize] += 1;
            }
        }
        EventKind::Resolved => {
            if let Some(code) = open.remove(&step.fp) {
                counts[code as usize] -= 1;
            }
        }
        EventKind::Renamed => {
            if let Some(code) = step.from.and_then(|from| open.remove(&from)) {
                open.insert(step.fp, code);
            }
        }
        EventKind::Moved | EventKind::Anchor | EventKind::Score => {}
    }
}

/// Eight levels of a sparkline, scaled to `max`; zero is a space so gaps stand out.
pub fn sparkline(values: &[u32], max: u32) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                ' '
            } else {
                let level = ((u64::from(v) * 8 - 1) / u64::from(max)).min(7);
                BARS[level as usize]
            }
        })
        .collect()
}
