//! What the trace says now: every finding's status and every note's drift anchor, folded
//! from the events in file order.

use rustc_hash::FxHashMap;

use super::event::{Event, EventKind};
use super::fingerprint::Fp;
use super::time::Timestamp;

/// An open finding as the trace last recorded it. Its four texts share one allocation:
/// a long trace opens and closes findings hundreds of thousands of times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFinding {
    /// Code, path, subject and message, back to back.
    text: Box<str>,
    /// Where code, path and subject end in `text`.
    ends: [u32; 3],
    pub n: u32,
    /// When this episode opened (its latest `opened` or `reopened`).
    pub since: Timestamp,
}

impl OpenFinding {
    pub fn new(
        code: &str,
        path: &str,
        subject: &str,
        message: &str,
        n: u32,
        since: Timestamp,
    ) -> Self {
        let mut text =
            String::with_capacity(code.len() + path.len() + subject.len() + message.len());
        let mut ends = [0u32; 3];
        for (i, part) in [code, path, subject].into_iter().enumerate() {
            text.push_str(part);
            ends[i] = text.len() as u32;
        }
        text.push_str(message);
        OpenFinding {
            text: text.into_boxed_str(),
            ends,
            n,
            since,
        }
    }

    pub fn code(&self) -> &str {
        &self.text[..self.ends[0] as usize]
    }

    pub fn path(&self) -> &str {
        &self.text[self.ends[0] as usize..self.ends[1] as usize]
    }

    pub fn subject(&self) -> &str {
        &self.text[self.ends[1] as usize..self.ends[2] as usize]
    }

    pub fn message(&self) -> &str {
        &self.text[self.ends[2] as usize..]
    }

    /// The same finding at another path, its subject renamed with it.
    fn moved_to(&self, path: &str, subject: &str) -> OpenFinding {
        OpenFinding::new(
            self.code(),
            path,
            subject,
            self.message(),
            self.n,
            self.since,
        )
    }
}

/// A finding's lifecycle. Closed findings keep only counts and times, so a long trace
/// costs little memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingState {
    pub open: Option<Box<OpenFinding>>,
    /// When it was first opened.
    pub first_opened: Timestamp,
    pub reopens: u32,
    /// When it last opened or closed.
    pub last_change: Timestamp,
}

/// A note's drift anchor: its body's heaviest stems when it was anchored.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    pub ts: Timestamp,
    /// Stems and weights, heaviest first.
    pub terms: Vec<(Box<str>, f32)>,
}

/// An event reduced to what folding needs, its text already copied out, so that
/// allocation happens where lines are parsed (in parallel) and folding only updates maps.
#[derive(Debug)]
pub enum Step {
    Open {
        fp: Fp,
        ts: Timestamp,
        open: Box<OpenFinding>,
    },
    Resolve {
        fp: Fp,
        ts: Timestamp,
    },
    Rename {
        fp: Fp,
        from: Fp,
        path: Box<str>,
        /// The subject under its new name; empty in traces written before it was carried.
        subject: Box<str>,
    },
    Move {
        path: Box<str>,
        from: Box<str>,
    },
    /// The vault's coherence score, in thousandths.
    Score {
        ts: Timestamp,
        thousandths: u32,
    },
    Anchor {
        path: Box<str>,
        anchor: Anchor,
    },
    /// Events that change nothing (a `renamed` without a valid `from`).
    Ignore,
}

impl Step {
    pub fn of(event: &Event<'_>) -> Step {
        let ts = event.ts;
        match (event.kind, event.fp) {
            (EventKind::Opened | EventKind::Reopened, Some(fp)) => Step::Open {
                fp,
                ts,
                open: Box::new(OpenFinding::new(
                    &event.code,
                    &event.path,
                    &event.subject,
                    &event.message,
                    event.n,
                    ts,
                )),
            },
            (EventKind::Resolved, Some(fp)) => Step::Resolve { fp, ts },
            (EventKind::Renamed, Some(fp)) => match Fp::parse(&event.from) {
                Some(from) => Step::Rename {
                    fp,
                    from,
                    path: event.path.as_ref().into(),
                    subject: event.subject.as_ref().into(),
                },
                None => Step::Ignore,
            },
            (EventKind::Moved, None) => Step::Move {
                path: event.path.as_ref().into(),
                from: event.from.as_ref().into(),
            },
            (EventKind::Score, None) => Step::Score {
                ts,
                thousandths: event.n,
            },
            (EventKind::Anchor, None) => Step::Anchor {
                path: event.path.as_ref().into(),
                anchor: Anchor {
                    ts,
                    terms: event
                        .terms
                        .iter()
                        .map(|(s, w)| (s.as_ref().into(), *w))
                        .collect(),
                },
            },
            _ => Step::Ignore,
        }
    }
}

/// The folded trace.
#[derive(Clone, Debug, Default)]
pub struct TraceState {
    findings: FxHashMap<Fp, FindingState>,
    anchors: FxHashMap<Box<str>, Anchor>,
    /// The last coherence score recorded (time, thousandths).
    score: Option<(Timestamp, u32)>,
    /// Events applied.
    pub events: u64,
}

impl TraceState {
    /// The last coherence score recorded, in thousandths.
    pub fn score(&self) -> Option<u32> {
        self.score.map(|(_, n)| n)
    }

    /// Applies one event. Events that contradict the state (an `opened` for an open
    /// finding, a `resolved` for an unknown one) are applied as leniently as possible: the
    /// trace may come from concurrent writers or a merge of two branches.
    pub fn apply(&mut self, event: &Event<'_>) {
        self.apply_step(Step::of(event));
    }

    /// Applies an event already reduced to a [`Step`] (possibly on another thread).
    pub fn apply_step(&mut self, step: Step) {
        self.events += 1;
        match step {
            Step::Open { fp, ts, open } => match self.findings.get_mut(&fp) {
                Some(state) => {
                    if state.open.is_none() {
                        state.reopens += 1;
                        state.open = Some(open);
                    }
                    state.last_change = ts;
                }
                None => {
                    self.findings.insert(
                        fp,
                        FindingState {
                            open: Some(open),
                            first_opened: ts,
                            reopens: 0,
                            last_change: ts,
                        },
                    );
                }
            },
            Step::Resolve { fp, ts } => {
                if let Some(state) = self.findings.get_mut(&fp) {
                    state.open = None;
                    state.last_change = ts;
                }
            }
            Step::Rename {
                fp,
                from,
                path,
                subject,
            } => {
                let Some(mut state) = self.findings.remove(&from) else {
                    return;
                };
                if let Some(open) = &mut state.open {
                    let subject = if subject.is_empty() {
                        open.subject().into()
                    } else {
                        subject
                    };
                    **open = open.moved_to(&path, &subject);
                }
                self.findings.insert(fp, state);
            }
            Step::Move { path, from } => {
                if let Some(anchor) = self.anchors.remove(&from) {
                    self.anchors.insert(path, anchor);
                }
            }
            Step::Anchor { path, anchor } => {
                self.anchors.insert(path, anchor);
            }
            Step::Score { ts, thousandths } => self.score = Some((ts, thousandths)),
            Step::Ignore => {}
        }
    }

    pub fn finding(&self, fp: Fp) -> Option<&FindingState> {
        self.findings.get(&fp)
    }

    /// Every finding the trace knows, open or closed, in no particular order.
    pub fn findings(&self) -> impl Iterator<Item = (Fp, &FindingState)> {
        self.findings.iter().map(|(fp, s)| (*fp, s))
    }

    /// The open findings, in no particular order.
    pub fn open(&self) -> impl Iterator<Item = (Fp, &OpenFinding)> {
        self.findings
            .iter()
            .filter_map(|(fp, s)| s.open.as_deref().map(|o| (*fp, o)))
    }

    pub fn anchor(&self, path: &str) -> Option<&Anchor> {
        self.anchors.get(path)
    }

    pub fn anchors(&self) -> impl Iterator<Item = (&str, &Anchor)> {
        self.anchors.iter().map(|(p, a)| (p.as_ref(), a))
    }

    pub fn has_anchors(&self) -> bool {
        !self.anchors.is_empty()
    }
}
