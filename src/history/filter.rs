//! Filters over the trace: the events of a note, a rule or a period, newest first, and the
//! timeline of one finding across renames.

use std::io;
use std::path::Path;

use memchr::memmem;
use rustc_hash::{FxHashMap, FxHashSet};

use super::event::{EventKind, OwnedEvent};
use super::fingerprint::Fp;
use super::time::Timestamp;
use super::trace::{read_matching, trace_path};

/// Which events `twin history` lists.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// A note: its vault-relative path, with or without `.md`, or a path suffix after a
    /// folder boundary (`Notes/A` finds `en/Notes/A.md`).
    pub note: Option<String>,
    /// Only events at or after this moment.
    pub since: Option<Timestamp>,
    /// Only events of this rule.
    pub code: Option<String>,
    /// Include `anchor` and `moved` events.
    pub note_events: bool,
}

/// Whether `path` is the note `query` names.
pub fn note_matches(path: &str, query: &str) -> bool {
    let query = query.trim_start_matches("./");
    let bare = path.strip_suffix(".md").unwrap_or(path);
    [path, bare].iter().any(|p| {
        *p == query
            || p.strip_suffix(query)
                .is_some_and(|head| head.ends_with('/'))
    })
}

/// The events `query` selects, newest first (ties in reverse file order). A note's events
/// include those recorded under its earlier paths.
pub fn events(root: &Path, query: &EventFilter) -> io::Result<Vec<OwnedEvent>> {
    let path = trace_path(root);
    let mut earlier_paths: FxHashSet<String> = FxHashSet::default();
    if let Some(note) = &query.note {
        // new path → old paths, from `moved` events.
        let mut moved: FxHashMap<String, Vec<String>> = FxHashMap::default();
        let finder = memmem::Finder::new(b"\"event\":\"moved\"");
        let only_moves = |line: &[u8]| finder.find(line).is_some();
        read_matching(&path, Some(&only_moves), |e| {
            if e.kind == EventKind::Moved {
                moved
                    .entry(e.path.into_owned())
                    .or_default()
                    .push(e.from.into_owned());
            }
        })?;
        let mut stack: Vec<String> = moved
            .keys()
            .filter(|p| note_matches(p, note))
            .cloned()
            .collect();
        while let Some(p) = stack.pop() {
            for old in moved.get(&p).into_iter().flatten() {
                if earlier_paths.insert(old.clone()) {
                    stack.push(old.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    read_matching(&path, None, |e| {
        if !query.note_events && !e.kind.is_finding() {
            return;
        }
        if query.since.is_some_and(|since| e.ts < since) {
            return;
        }
        if query.code.as_ref().is_some_and(|code| *code != e.code) {
            return;
        }
        if let Some(note) = &query.note
            && !note_matches(&e.path, note)
            && !earlier_paths.contains(e.path.as_ref())
        {
            return;
        }
        out.push(e.into_owned());
    })?;
    let mut indexed: Vec<(usize, OwnedEvent)> = out.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, e)| std::cmp::Reverse((e.ts, *i)));
    Ok(indexed.into_iter().map(|(_, e)| e).collect())
}

/// Every event of finding `fp`, oldest first, including those under the fingerprints it
/// had before its note was renamed (for the editor's hover).
pub fn timeline(root: &Path, fp: Fp) -> io::Result<Vec<OwnedEvent>> {
    let path = trace_path(root);
    let mut previous: FxHashMap<Fp, Vec<Fp>> = FxHashMap::default();
    let finder = memmem::Finder::new(b"\"event\":\"renamed\"");
    let only_renames = |line: &[u8]| finder.find(line).is_some();
    read_matching(&path, Some(&only_renames), |e| {
        if let (EventKind::Renamed, Some(to), Some(from)) = (e.kind, e.fp, Fp::parse(&e.from)) {
            previous.entry(to).or_default().push(from);
        }
    })?;
    let mut wanted: FxHashSet<Fp> = FxHashSet::from_iter([fp]);
    let mut stack = vec![fp];
    while let Some(at) = stack.pop() {
        for old in previous.get(&at).into_iter().flatten() {
            if wanted.insert(*old) {
                stack.push(*old);
            }
        }
    }
    let needles: Vec<String> = wanted.iter().map(|fp| format!("\"fp\":\"{fp}\"")).collect();
    let finders: Vec<memmem::Finder<'_>> = needles.iter().map(memmem::Finder::new).collect();
    let mentions = |line: &[u8]| finders.iter().any(|f| f.find(line).is_some());
    let mut out = Vec::new();
    read_matching(&path, Some(&mentions), |e| {
        if e.fp.is_some_and(|fp| wanted.contains(&fp)) {
            out.push(e.into_owned());
        }
    })?;
    Ok(out)
}
