//! Recording a run: diff the current findings against the trace's open set and append only
//! the changes; anchor notes seen for the first time; carry history across a rename.

use std::borrow::Cow;
use std::io;
use std::path::Path;
use std::time::SystemTime;

use rustc_hash::FxHashSet;

use super::event::{Event, EventKind, OwnedEvent};
use super::fingerprint::{Finding, fingerprint, fingerprints, renamed_subject};
use super::state::TraceState;
use super::time::Timestamp;
use super::trace::{append_locked, lock, with_trace};
use crate::diagnostic::Diagnostic;
use crate::vault::{NoteId, Vault};

/// What one recording appended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordSummary {
    pub opened: usize,
    pub reopened: usize,
    pub resolved: usize,
    /// Notes anchored for the first time.
    pub anchored: usize,
    /// Findings open after this run (in the recorded scope).
    pub open: usize,
}

impl RecordSummary {
    /// Events appended.
    pub fn events(&self) -> usize {
        self.opened + self.reopened + self.resolved + self.anchored
    }
}

/// Drift signatures (stems and weights) of the given notes, for those a signature can be
/// taken of: `coherence::signatures`. History stores anchors but does not analyze text.
pub type Signatures<'a> = &'a (dyn Fn(&[NoteId]) -> Vec<(NoteId, Vec<(String, f32)>)> + Sync);

/// Optional inputs of [`record_with`].
#[derive(Clone, Copy, Default)]
pub struct RecordOptions<'a> {
    /// Record only findings on these note paths: open findings elsewhere stay open. `None`
    /// means the diagnostics cover the whole vault.
    pub notes: Option<&'a [&'a str]>,
    /// The vault's coherence score now: recorded as a `score` event when it differs from
    /// the last one (in thousandths). Only a whole-vault record knows it.
    pub score: Option<f64>,
}

/// Records the vault's current findings: `diagnostics` must be every finding of the vault
/// (as `check_vault` returns them). Appends `opened`, `reopened` and `resolved` events for
/// what changed since the trace's last state, and anchors notes not anchored yet with the
/// `signatures` it is given.
pub fn record(
    root: &Path,
    diagnostics: &[Diagnostic],
    vault: &Vault,
    signatures: Signatures<'_>,
    now: SystemTime,
) -> io::Result<RecordSummary> {
    record_with(
        root,
        diagnostics,
        vault,
        signatures,
        now,
        RecordOptions::default(),
    )
}

/// [`record`] with options: record a subset of notes.
pub fn record_with(
    root: &Path,
    diagnostics: &[Diagnostic],
    vault: &Vault,
    signatures: Signatures<'_>,
    now: SystemTime,
    options: RecordOptions<'_>,
) -> io::Result<RecordSummary> {
    let now = Timestamp::from_system(now);
    let findings = fingerprints(diagnostics, vault);
    let scope: Option<FxHashSet<&str>> = options.notes.map(|n| n.iter().copied().collect());
    let in_scope = |path: &str| scope.as_ref().is_none_or(|s| s.contains(path));
    // The lock spans read, diff and append, so two recorders cannot both open one finding.
    let lock = lock(root)?;
    let (events, summary) = with_trace(root, |trace| {
        let state = trace.state();
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        let mut events = diff(state, &findings, &messages, &in_scope, now);
        let mut summary = summarize(&events);
        summary.open = findings.iter().filter(|f| in_scope(&f.path)).count();
        let unanchored: Vec<_> = vault
            .note_ids()
            .filter(|id| {
                let path = &vault.note(*id).path;
                in_scope(path) && state.anchor(path).is_none()
            })
            .collect();
        let anchors: Vec<OwnedEvent> = signatures(&unanchored)
            .into_iter()
            .map(|(id, terms)| anchor_event(&vault.note(id).path, terms, now))
            .collect();
        summary.anchored = anchors.len();
        events.extend(anchors);
        events.extend(
            options
                .score
                .and_then(|score| score_event(state, score, now)),
        );
        (events, summary)
    })?;
    append_locked(&lock, &events)?;
    Ok(summary)
}

/// The `score` event for the vault's coherence `score`, unless the trace's last score is
/// the same to the thousandth.
pub fn score_event(state: &TraceState, score: f64, now: Timestamp) -> Option<OwnedEvent> {
    let thousandths = (score.clamp(0.0, 1.0) * 1000.0).round() as u32;
    (state.score() != Some(thousandths)).then(|| {
        let mut event = Event::new(now, EventKind::Score);
        event.n = thousandths;
        event
    })
}

/// The event that anchors the note at `path` with the signature `terms`.
pub fn anchor_event(path: &str, terms: Vec<(String, f32)>, now: Timestamp) -> OwnedEvent {
    let mut event = Event::new(now, EventKind::Anchor);
    event.path = Cow::Owned(path.to_owned());
    event.terms = terms.into_iter().map(|(s, w)| (Cow::Owned(s), w)).collect();
    event
}

/// Anchors the note at `path` anew with the signature `terms` (the "Re-anchor this note"
/// action), under the trace's lock.
pub fn reanchor(
    root: &Path,
    path: &str,
    terms: Vec<(String, f32)>,
    now: SystemTime,
) -> io::Result<()> {
    let event = anchor_event(path, terms, Timestamp::from_system(now));
    let lock = lock(root)?;
    append_locked(&lock, &[event])
}

fn summarize(events: &[OwnedEvent]) -> RecordSummary {
    let mut summary = RecordSummary::default();
    for e in events {
        match e.kind {
            EventKind::Opened => summary.opened += 1,
            EventKind::Reopened => summary.reopened += 1,
            EventKind::Resolved => summary.resolved += 1,
            _ => {}
        }
    }
    summary
}

/// The events that take the trace from `state` to `findings` (with their `messages`):
/// new findings open, known closed ones reopen, open ones in scope that are gone resolve.
pub fn diff(
    state: &TraceState,
    findings: &[Finding],
    messages: &[&str],
    in_scope: &dyn Fn(&str) -> bool,
    now: Timestamp,
) -> Vec<OwnedEvent> {
    let mut events = Vec::new();
    let mut current = FxHashSet::default();
    for (finding, message) in findings.iter().zip(messages) {
        if !in_scope(&finding.path) || !current.insert(finding.fp) {
            continue;
        }
        let kind = match state.finding(finding.fp) {
            Some(s) if s.open.is_some() => continue,
            Some(_) => EventKind::Reopened,
            None => EventKind::Opened,
        };
        let mut e = Event::new(now, kind);
        e.fp = Some(finding.fp);
        e.code = Cow::Owned(finding.code.clone());
        e.path = Cow::Owned(finding.path.clone());
        e.subject = Cow::Owned(finding.subject.clone());
        e.message = Cow::Owned((*message).to_string());
        e.n = finding.n;
        events.push(e);
    }
    let mut gone: Vec<_> = state
        .open()
        .filter(|(fp, open)| in_scope(open.path()) && !current.contains(fp))
        .collect();
    gone.sort_unstable_by(|a, b| {
        (a.1.path(), a.1.code(), a.1.subject(), a.1.n).cmp(&(
            b.1.path(),
            b.1.code(),
            b.1.subject(),
            b.1.n,
        ))
    });
    for (fp, open) in gone {
        let mut e = Event::new(now, EventKind::Resolved);
        e.fp = Some(fp);
        e.code = Cow::Owned(open.code().to_string());
        e.path = Cow::Owned(open.path().to_string());
        e.subject = Cow::Owned(open.subject().to_string());
        e.message = Cow::Owned(open.message().to_string());
        e.n = open.n;
        events.push(e);
    }
    events
}

/// Carries history from note `old` to `new` (vault-relative paths) after a rename: every
/// open finding whose identity names the old path gets a `renamed` event to its new
/// fingerprint, and the note's anchor a `moved` event. Call it before recording the
/// renamed vault. Returns the number of events appended.
pub fn rename_path(root: &Path, old: &str, new: &str, now: SystemTime) -> io::Result<usize> {
    let now = Timestamp::from_system(now);
    let lock = lock(root)?;
    let events = with_trace(root, |trace| rename_events(trace.state(), old, new, now))?;
    append_locked(&lock, &events)?;
    Ok(events.len())
}

/// Records that text moved from `from` to `to` without a rename: a section extracted
/// into a new note (`from` is `Note.md#Heading`) or a note inlined into another (`to` is
/// `Note.md#Heading` or the note). One `moved` event; no finding or anchor follows it,
/// since neither note became the other.
pub fn move_text(root: &Path, from: &str, to: &str, now: SystemTime) -> io::Result<()> {
    let lock = lock(root)?;
    let mut e = Event::new(Timestamp::from_system(now), EventKind::Moved);
    e.path = Cow::Owned(to.to_string());
    e.from = Cow::Owned(from.to_string());
    append_locked(&lock, &[e])
}

/// The events of [`rename_path`].
pub fn rename_events(state: &TraceState, old: &str, new: &str, now: Timestamp) -> Vec<OwnedEvent> {
    let mut events = Vec::new();
    if old == new {
        return events;
    }
    let mut open: Vec<_> = state.open().collect();
    open.sort_unstable_by(|a, b| (a.1.path(), a.0).cmp(&(b.1.path(), b.0)));
    for (fp, finding) in open {
        let path = if finding.path() == old {
            new
        } else {
            finding.path()
        };
        let subject = renamed_subject(finding.code(), finding.subject(), old, new);
        if path == finding.path() && subject == finding.subject() {
            continue;
        }
        let mut e = Event::new(now, EventKind::Renamed);
        e.fp = Some(fingerprint(finding.code(), path, &subject, finding.n));
        e.from = Cow::Owned(fp.to_string());
        e.code = Cow::Owned(finding.code().to_string());
        e.path = Cow::Owned(path.to_string());
        e.subject = Cow::Owned(subject);
        e.message = Cow::Owned(finding.message().to_string());
        e.n = finding.n;
        events.push(e);
    }
    if old != new {
        // Always written, anchor or not: `twin history NOTE` follows it to earlier paths.
        let mut e = Event::new(now, EventKind::Moved);
        e.path = Cow::Owned(new.to_string());
        e.from = Cow::Owned(old.to_string());
        events.push(e);
    }
    events
}
