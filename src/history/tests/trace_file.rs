//! The trace file: torn lines, repair, concurrent writers, incremental reads.

use std::borrow::Cow;
use std::fs;
use std::io::Write;

use super::trace_events;
use crate::history::event::{Event, EventKind, OwnedEvent};
use crate::history::fingerprint::Fp;
use crate::history::time::Timestamp;
use crate::history::trace::{Trace, append, trace_path, with_trace};

fn event(writer: u32, seq: u32) -> OwnedEvent {
    let mut e = Event::new(Timestamp(1_700_000_000 + i64::from(seq)), EventKind::Opened);
    e.fp = Some(Fp(u64::from(writer) << 32 | u64::from(seq)));
    e.code = "broken-link".into();
    e.path = Cow::Owned(format!("writer-{writer}.md"));
    e.subject = Cow::Owned(format!("event {seq}"));
    e.message = "a message long enough to make torn writes likely".into();
    e
}

#[test]
fn a_torn_last_line_is_ignored_then_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    append(root, &[event(1, 0), event(1, 1)]).unwrap();
    let path = trace_path(root);
    let whole = event(1, 2).to_json();
    let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(&whole.as_bytes()[..whole.len() / 2])
        .unwrap();
    drop(file);

    let trace = Trace::read(root).unwrap();
    assert!(trace.torn);
    assert_eq!(trace.state().events, 2);
    assert_eq!(trace.skipped, 0);

    append(root, &[event(1, 3)]).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.ends_with('\n'));
    assert_eq!(
        text.lines().count(),
        3,
        "the torn half-line is gone:\n{text}"
    );
    let seqs: Vec<String> = trace_events(root)
        .into_iter()
        .map(|e| e.subject.into_owned())
        .collect();
    assert_eq!(seqs, ["event 0", "event 1", "event 3"]);
}

#[test]
fn a_file_that_is_only_a_torn_line_is_emptied() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(".twin")).unwrap();
    fs::write(trace_path(root), "{\"ts\":\"2025-").unwrap();
    assert_eq!(Trace::read(root).unwrap().state().events, 0);
    append(root, &[event(1, 0)]).unwrap();
    assert_eq!(trace_events(root).len(), 1);
    assert_eq!(
        fs::read_to_string(trace_path(root))
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[test]
fn corrupt_lines_in_the_middle_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    append(root, &[event(1, 0)]).unwrap();
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(trace_path(root))
        .unwrap();
    file.write_all(b"<<<<<<< HEAD\n\n\xff\xfe not text\n")
        .unwrap();
    drop(file);
    append(root, &[event(1, 1)]).unwrap();
    let trace = Trace::read(root).unwrap();
    assert_eq!((trace.state().events, trace.skipped), (2, 2));
}

#[test]
fn concurrent_threads_lose_no_event() {
    const WRITERS: u32 = 4;
    const EVENTS: u32 = 1000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            s.spawn(move || {
                for i in 0..EVENTS {
                    append(root, &[event(w, i)]).unwrap();
                }
            });
        }
    });
    let text = fs::read_to_string(trace_path(root)).unwrap();
    assert_eq!(text.lines().count(), (WRITERS * EVENTS) as usize);
    let mut seen: Vec<u64> = trace_events(root).iter().map(|e| e.fp.unwrap().0).collect();
    assert_eq!(seen.len(), (WRITERS * EVENTS) as usize, "every line parses");
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen.len(),
        (WRITERS * EVENTS) as usize,
        "no event lost or doubled"
    );
    // Each writer's events keep their order.
    for w in 0..WRITERS {
        let mine: Vec<u32> = trace_events(root)
            .iter()
            .filter_map(|e| e.fp.map(|fp| fp.0))
            .filter(|fp| fp >> 32 == u64::from(w))
            .map(|fp| fp as u32)
            .collect();
        assert!(mine.windows(2).all(|p| p[0] < p[1]));
    }
}

#[test]
fn refresh_reads_only_what_was_appended_and_notices_replacement() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut trace = Trace::read(root).unwrap();
    assert!(!trace.exists());
    append(root, &[event(1, 0)]).unwrap();
    trace.refresh().unwrap();
    assert_eq!(trace.state().events, 1);
    append(root, &[event(1, 1), event(1, 2)]).unwrap();
    trace.refresh().unwrap();
    assert_eq!(
        trace.state().events,
        3,
        "the first event is not applied twice"
    );
    // Replaced by a shorter file with another inode, as compaction does.
    let path = trace_path(root);
    let tmp = path.with_extension("new");
    fs::write(&tmp, format!("{}\n", event(2, 0).to_json())).unwrap();
    fs::rename(&tmp, &path).unwrap();
    trace.refresh().unwrap();
    assert_eq!(trace.state().events, 1);
    assert!(trace.state().finding(Fp(2 << 32)).is_some());
    // The shared cache sees the same.
    let n = with_trace(root, |t| t.state().events).unwrap();
    assert_eq!(n, 1);
    append(root, &[event(2, 1)]).unwrap();
    assert_eq!(with_trace(root, |t| t.state().events).unwrap(), 2);
}
