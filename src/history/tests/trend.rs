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
