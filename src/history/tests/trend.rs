//! Open findings per day, replayed from a scripted history.

use super::{check, day, record, vault};
use crate::history::rename_path;
use crate::history::time::Timestamp;
use crate::history::trend::{sparkline, trend};

#[test]
fn counts_open_findings_at_the_end_of_each_day() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let at = |text: &str, when: i64| {
        let v = vault(root, &[("A.md", text), ("B.md", "[[A]]\n")]);
        record(root, &check(&v), &v, day(when)).unwrap();
    };
    at("[[X]] [[B]]\n", 0); // 1 broken link
    at("[[X]] [[Y]] [[B]]\n", 2); // 2
    at("[[X]] [[Y]] [[B]] [[Self]] [[A]]\n", 3); // 2 broken + self-link
    at("[[B]]\n", 5); // 0
    at("[[Y]] [[B]]\n", 6); // Y reopened
    rename_path(root, "A.md", "A2.md", day(6)).unwrap();
    let t = trend(root, Timestamp::from_system(day(7)), 8).unwrap();
    assert_eq!(t.days.first().unwrap(), "2025-01-01");
    assert_eq!(t.days.last().unwrap(), "2025-01-08");
    assert_eq!(t.series["broken-link"], [1, 1, 2, 3, 3, 0, 1, 1]);
    assert_eq!(t.series["self-link"], [0, 0, 0, 1, 1, 0, 0, 0]);
    assert_eq!(t.total, [1, 1, 2, 4, 4, 0, 1, 1]);
    // A window starting later begins with what was already open.
    let late = trend(root, Timestamp::from_system(day(4)), 2).unwrap();
    assert_eq!(late.total, [4, 4]);
}

#[test]
fn sparklines_scale_to_the_maximum() {
    assert_eq!(sparkline(&[0, 1, 2, 4, 8], 8), " ▁▂▄█");
    assert_eq!(sparkline(&[3, 3], 3), "██");
    assert_eq!(sparkline(&[], 0), "");
}

#[test]
fn the_coherence_score_is_recorded_when_it_changes_and_survives_compaction() {
    use std::sync::Arc;

    use crate::analysis::Analysis;
    use crate::history::event::EventKind;
    use crate::history::trace::{read_events, trace_path};
    use crate::rules::Rulebook;

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let at = |text: &str, when: i64| {
        let v = vault(root, &[("A.md", text), ("B.md", "[[A]]\n")]);
        let analysis = Analysis::from_vault(v, Arc::new(Rulebook::default()));
        let found = analysis.check(None);
        analysis.record(&found, None, day(when)).unwrap();
    };
    at("[[B]]\n", 0);
    at("[[B]]\n", 1); // The same score: no new event.
    at("[[X]] [[B]]\n", 3); // A broken link lowers it.
    let score_events = || {
        let mut n = 0;
        read_events(&trace_path(root), |e| {
            n += usize::from(e.kind == EventKind::Score)
        })
        .unwrap();
        n
    };
    assert_eq!(score_events(), 2);
    let scores = |now: i64| {
        trend(root, Timestamp::from_system(day(now)), 5)
            .unwrap()
            .scores
    };
    let before = scores(4);
    let (clean, broken) = (before[0].unwrap(), before[3].unwrap());
    assert!(broken < clean, "{before:?}");
    assert_eq!(
        before,
        [
            Some(clean),
            Some(clean),
            Some(clean),
            Some(broken),
            Some(broken)
        ]
    );
    // A window that starts before the first score has none there.
    assert_eq!(scores(1)[..3], [None, None, None]);
    crate::history::compact(root, day(100), 0).unwrap();
    assert_eq!(score_events(), 2);
    assert_eq!(scores(4), before);
}
