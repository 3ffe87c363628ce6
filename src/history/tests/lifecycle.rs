//! Recording: open → resolve → reopen on a scripted clock, renames, anchors, surfacing,
//! compaction.

use std::path::Path;
use std::sync::Arc;

use super::{check, day, record, trace_events, vault};
use crate::diagnostic::Severity;
use crate::history::event::EventKind;
use crate::history::fingerprint::fingerprints;
use crate::history::surface::annotate;
use crate::history::time::Timestamp;
use crate::history::trace::Trace;
use crate::history::{EventFilter, RecordSummary, compact, events, rename_path, timeline};

const BROKEN: &str = "# A\n\nSee [[Missing]].\n";
const FIXED: &str = "# A\n\nSee [[B]].\n";
const B: &str = "# B\n\nBack to [[A]].\n";

fn record_notes(root: &Path, a: &str, when: i64) -> RecordSummary {
    let v = vault(root, &[("A.md", a), ("B.md", B)]);
    record(root, &check(&v), &v, day(when)).expect("record")
}

fn kinds(root: &Path) -> Vec<(EventKind, String)> {
    trace_events(root)
        .into_iter()
        .filter(|e| e.kind.is_finding())
        .map(|e| (e.kind, e.subject.into_owned()))
        .collect()
}

#[test]
fn open_resolve_reopen_produce_exactly_those_events() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let first = record_notes(root, BROKEN, 0);
    assert_eq!((first.opened, first.resolved, first.open), (1, 0, 1));
    // The same findings again: nothing to append.
    assert_eq!(record_notes(root, BROKEN, 1).events(), 0);
    let fixed = record_notes(root, FIXED, 3);
    assert_eq!((fixed.resolved, fixed.open), (1, 0));
    assert_eq!(record_notes(root, FIXED, 4).events(), 0);
    let back = record_notes(root, BROKEN, 10);
    assert_eq!(back.reopened, 1);
    let missing = "Missing".to_string();
    assert_eq!(
        kinds(root),
        [
            (EventKind::Opened, missing.clone()),
            (EventKind::Resolved, missing.clone()),
            (EventKind::Reopened, missing),
        ]
    );
    let events = trace_events(root);
    let stamps: Vec<String> = events
        .iter()
        .filter(|e| e.kind.is_finding())
        .map(|e| e.ts.to_string())
        .collect();
    assert_eq!(
        stamps,
        [
            "2025-01-01T12:00:00Z",
            "2025-01-04T12:00:00Z",
            "2025-01-11T12:00:00Z"
        ]
    );
    let trace = Trace::read(root).unwrap();
    let (fp, state) = trace.state().findings().next().unwrap();
    assert_eq!(state.reopens, 1);
    assert_eq!(
        state.open.as_ref().unwrap().since,
        Timestamp::from_system(day(10))
    );
    assert_eq!(timeline(root, fp).unwrap().len(), 3);
}

#[test]
fn notes_are_anchored_once_when_long_enough() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let long = "# Long\n\nWorking memory holds a few chunks; chunking packs items into larger \
                units so that memory capacity seems larger. Rehearsal keeps chunks active, \
                decay removes them, and interference from similar chunks confuses recall. \
                Memory research measures capacity with span tasks and chunk counts.\n";
    let v = vault(
        root,
        &[("Long.md", long), ("Short.md", "# Short\n\n[[Long]]\n")],
    );
    let first = record(root, &check(&v), &v, day(0)).unwrap();
    assert_eq!(first.anchored, 1, "the short note waits until it grows");
    let again = record(root, &check(&v), &v, day(1)).unwrap();
    assert_eq!(again.anchored, 0);
    let anchors: Vec<_> = trace_events(root)
        .into_iter()
        .filter(|e| e.kind == EventKind::Anchor)
        .collect();
    assert_eq!(anchors.len(), 1);
    assert_eq!(anchors[0].path, "Long.md");
    let stems: Vec<&str> = anchors[0].terms.iter().map(|(s, _)| s.as_ref()).collect();
    assert!(
        stems.contains(&"chunk") && stems.contains(&"memori"),
        "{stems:?}"
    );
}

#[test]
fn renames_carry_history_to_the_new_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    record_notes(root, BROKEN, 0);
    assert_eq!(rename_path(root, "A.md", "Z/A2.md", day(2)).unwrap(), 2);
    // The renamed vault records nothing new: the finding is already open at its new path.
    let v = vault(
        root,
        &[("Z/A2.md", BROKEN), ("B.md", "# B\n\nBack to [[A2]].\n")],
    );
    let diagnostics = check(&v);
    let summary = record(root, &diagnostics, &v, day(3)).unwrap();
    assert_eq!((summary.opened, summary.resolved), (0, 0), "{summary:?}");
    let found = fingerprints(&diagnostics, &v);
    let broken = found.iter().find(|f| f.code == "broken-link").unwrap();
    let line = timeline(root, broken.fp).unwrap();
    let kinds: Vec<EventKind> = line.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Opened, EventKind::Renamed]);
    assert_eq!(line[0].path, "A.md");
    // The note's listing follows it to its old path.
    let query = EventFilter {
        note: Some("A2".into()),
        ..EventFilter::default()
    };
    assert_eq!(events(root, &query).unwrap().len(), 2);
}

#[test]
fn a_renamed_subject_is_carried_into_later_events() {
    // An orphan's subject is its own path: after the rename, the open finding must name
    // the new path, or its later `resolved` and a second rename would use the old one.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let v = vault(root, &[("A.md", "# A\n"), ("B.md", "# B\n")]);
    record(root, &check(&v), &v, day(0)).unwrap();
    rename_path(root, "A.md", "A2.md", day(1)).unwrap();
    rename_path(root, "A2.md", "A3.md", day(2)).unwrap();
    let v = vault(root, &[("A3.md", "# A\n\n[[B]]\n"), ("B.md", "# B\n")]);
    let summary = record(root, &check(&v), &v, day(3)).unwrap();
    assert_eq!(summary.opened, 0, "{summary:?}");
    let resolved: Vec<_> = trace_events(root)
        .into_iter()
        .filter(|e| e.kind == EventKind::Resolved && e.code == "orphan-note")
        .map(|e| (e.path.into_owned(), e.subject.into_owned()))
        .collect();
    assert!(
        resolved.contains(&("A3.md".to_string(), "A3.md".to_string())),
        "{resolved:?}"
    );
    assert!(resolved.iter().all(|(_, s)| s != "A.md" && s != "A2.md"));
}

#[test]
fn scoped_recording_leaves_other_notes_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let v = vault(root, &[("A.md", BROKEN), ("B.md", "[[Gone]]\n[[A]]\n")]);
    record(root, &check(&v), &v, day(0)).unwrap();
    let only_a: Vec<_> = check(&v)
        .into_iter()
        .filter(|d| &*d.path == "A.md")
        .collect();
    let options = crate::history::RecordOptions {
        notes: Some(&["A.md"]),
        score: None,
    };
    let signatures = |ids: &[crate::vault::NoteId]| crate::coherence::signatures(&v, None, ids);
    let s = crate::history::record_with(root, &only_a, &v, &signatures, day(1), options).unwrap();
    assert_eq!(s.events(), 0, "{s:?}");
    let s = record(root, &only_a, &v, day(1)).unwrap();
    assert_eq!(s.resolved, 1, "unscoped, B's finding is gone");
}

#[test]
fn messages_show_age_and_chronic_findings_escalate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    record_notes(root, BROKEN, 0);
    record_notes(root, FIXED, 1);
    record_notes(root, BROKEN, 2);
    let v = vault(root, &[("A.md", BROKEN), ("B.md", B)]);
    let mut diagnostics: Vec<_> = check(&v)
        .into_iter()
        .filter(|d| d.code == "broken-link")
        .collect();
    let findings = fingerprints(&diagnostics, &v);
    let trace = Trace::read(root).unwrap();
    let now = Timestamp::from_system(day(14));
    let mut early = diagnostics.clone();
    assert_eq!(
        annotate(&mut early, &findings, trace.state(), now, Some(30)),
        0
    );
    assert!(
        early[0].message.ends_with(" (open 12 days, reopened 1×)"),
        "{}",
        early[0].message
    );
    assert_eq!(early[0].severity, Severity::Error);
    diagnostics[0].severity = Severity::Warning;
    assert_eq!(
        annotate(&mut diagnostics, &findings, trace.state(), now, Some(12)),
        1
    );
    assert_eq!(diagnostics[0].severity, Severity::Error);
}

#[test]
fn compaction_keeps_open_and_recent_and_drops_old_closed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let notes = |a: &str, b: &str| vault(root, &[("A.md", a), ("B.md", b)]);
    // Day 0: [[Old]] and [[Recent]] and [[Open]] open. Day 1: Old resolved. Day 95: Recent
    // resolved. Day 100: compact keeping 30 days.
    let all = notes("[[Old]] [[Recent]] [[Open]] [[B]]\n", "[[A]]\n");
    record(root, &check(&all), &all, day(0)).unwrap();
    let no_old = notes("[[Recent]] [[Open]] [[B]]\n", "[[A]]\n");
    record(root, &check(&no_old), &no_old, day(1)).unwrap();
    let only_open = notes("[[Open]] [[B]]\n", "[[A]]\n");
    record(root, &check(&only_open), &only_open, day(95)).unwrap();
    let before = Trace::read(root).unwrap();
    let summary = compact(root, day(100), 30).unwrap();
    assert_eq!(summary.findings_dropped, 1);
    assert_eq!((summary.events_before, summary.events_after), (5, 3));
    let subjects: Vec<String> = trace_events(root)
        .into_iter()
        .map(|e| format!("{} {}", e.kind, e.subject))
        .collect();
    assert_eq!(
        subjects,
        ["opened Recent", "opened Open", "resolved Recent"],
        "kept in order; Old is gone"
    );
    let after = Trace::read(root).unwrap();
    let open_before: Vec<_> = before.state().open().map(|(fp, _)| fp).collect();
    let open_after: Vec<_> = after.state().open().map(|(fp, _)| fp).collect();
    assert_eq!(open_before, open_after);
    assert!(
        !root
            .join(".twin")
            .read_dir()
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains(".tmp") })
    );
}

#[test]
fn anchor_drift_alone_builds_term_vectors_only_for_an_anchored_vault() {
    use crate::analysis::Analysis;
    use crate::config::{Config, RuleLevel};
    use crate::query_rules::QuerySet;
    use crate::rules::Rulebook;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let long = "# Long\n\nWorking memory holds a few chunks; chunking packs items into larger \
                units so that memory capacity seems larger. Rehearsal keeps chunks active, \
                decay removes them, and interference from similar chunks confuses recall. \
                Memory research measures capacity with span tasks and chunk counts.\n";
    let v = vault(root, &[("Long.md", long), ("B.md", "[[Long]]\n")]);
    let mut config = Config::default();
    for code in ["identity-drift", "relation-drift"] {
        config.rules.insert(code.into(), RuleLevel::Off);
    }
    let built = |config: &Config| {
        let rulebook = Rulebook::new(config.clone(), QuerySet::default());
        Analysis::from_vault(v.clone(), Arc::new(rulebook)).coherence
    };
    assert!(built(&config).drift.is_none(), "no trace, no term vectors");
    record(root, &check(&v), &v, day(0)).unwrap();
    let with_trace = built(&config);
    assert!(with_trace.drift.is_some() && with_trace.anchors.is_some());
    config.rules.insert("anchor-drift".into(), RuleLevel::Off);
    assert!(built(&config).drift.is_none());
}

#[test]
fn a_moved_section_is_one_event_that_moves_no_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    record_notes(root, BROKEN, 0);
    crate::history::move_text(root, "A.md#Part", "Part.md", day(1)).unwrap();
    let events = trace_events(root);
    let last = events.last().unwrap();
    assert_eq!(
        (last.kind, last.from.as_ref(), last.path.as_ref()),
        (EventKind::Moved, "A.md#Part", "Part.md")
    );
    // The new note's listing names where its text came from; A.md keeps its own history.
    let query = EventFilter {
        note: Some("Part".into()),
        ..EventFilter::default()
    };
    assert!(events_of(root, &query).is_empty());
    let kept = events_of(
        root,
        &EventFilter {
            note: Some("A".into()),
            ..EventFilter::default()
        },
    );
    assert!(!kept.is_empty());
}

fn events_of(root: &std::path::Path, query: &EventFilter) -> Vec<crate::history::OwnedEvent> {
    events(root, query).unwrap()
}
