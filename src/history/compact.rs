//! `twin history --compact`: rewrite the trace keeping every open finding's history, the
//! closed findings that changed in the last N days, one anchor per note and every
//! coherence score; and
//! replacing the trace outright (`--from-git`).
//!
//! The new trace is written to a temporary file in `.twin/`, synced, and renamed over the
//! old one, so a crash leaves either the old trace or the new one, never a mix.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::event::{Event, EventKind, OwnedEvent};
use super::fingerprint::Fp;
use super::state::TraceState;
use super::time::{DAY, Timestamp};
use super::trace::{TraceLock, read_events, trace_path};

/// What compaction kept and dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompactSummary {
    pub events_before: u64,
    pub events_after: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
    /// Closed findings whose history was dropped.
    pub findings_dropped: usize,
}

/// Compacts the trace of the vault whose lock is held.
pub fn compact_locked(
    lock: &TraceLock,
    now: Timestamp,
    keep_days: u32,
) -> io::Result<CompactSummary> {
    let path = trace_path(lock.root());
    let bytes_before = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    // First pass: the final state, and where each renamed fingerprint went.
    let mut state = TraceState::default();
    let mut renamed_to: FxHashMap<Fp, Fp> = FxHashMap::default();
    let first = read_events(&path, |e| {
        if let (EventKind::Renamed, Some(to), Some(from)) = (e.kind, e.fp, Fp::parse(&e.from)) {
            renamed_to.remove(&to);
            renamed_to.insert(from, to);
        }
        state.apply(&e);
    })?;
    let cutoff = Timestamp(now.0 - i64::from(keep_days) * DAY);
    let kept: FxHashSet<Fp> = state
        .findings()
        .filter(|(_, s)| s.open.is_some() || s.last_change >= cutoff)
        .map(|(fp, _)| fp)
        .collect();
    let findings_dropped = state.findings().count() - kept.len();
    let live = |mut fp: Fp| {
        // Rename chains end at a live fingerprint; the bound guards against a bad file.
        for _ in 0..1000 {
            match renamed_to.get(&fp) {
                Some(next) => fp = *next,
                None => break,
            }
        }
        kept.contains(&fp)
    };

    let mut events_after = 0u64;
    let bytes_after = rewrite(&path, |out| {
        let mut line = Vec::with_capacity(512);
        // Anchors first, one per note, with the time each was taken.
        let mut anchors: Vec<(&str, _)> = state.anchors().collect();
        anchors.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (note, anchor) in anchors {
            let mut e = Event::new(anchor.ts, EventKind::Anchor);
            e.path = note.into();
            e.terms = anchor
                .terms
                .iter()
                .map(|(s, w)| (s.as_ref().into(), *w))
                .collect();
            line.clear();
            e.write_line(&mut line);
            out.write_all(&line)?;
            events_after += 1;
        }
        let mut failed = None;
        read_events(&path, |e| {
            let keep = match e.fp {
                Some(fp) => live(fp),
                // Scores are few (one per change) and are the score's whole trend.
                None => e.kind == EventKind::Score,
            };
            if keep && failed.is_none() {
                line.clear();
                e.write_line(&mut line);
                if let Err(err) = out.write_all(&line) {
                    failed = Some(err);
                }
                events_after += 1;
            }
        })?;
        failed.map_or(Ok(()), Err)
    })?;
    Ok(CompactSummary {
        events_before: first.events,
        events_after,
        bytes_before,
        bytes_after,
        findings_dropped,
    })
}

/// Replaces the trace of the vault whose lock is held with `events` (rebuilding it from
/// git history); returns the new trace's size in bytes.
pub fn replace_locked(lock: &TraceLock, events: &[OwnedEvent]) -> io::Result<u64> {
    let path = trace_path(lock.root());
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    rewrite(&path, |out| {
        let mut line = Vec::with_capacity(512);
        for e in events {
            line.clear();
            e.write_line(&mut line);
            out.write_all(&line)?;
        }
        Ok(())
    })
}

/// Writes a new trace at `path` through `write` into a temporary file beside it, syncs
/// it and renames it over the old one; returns its size. On error the old trace stays.
fn rewrite(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<u64> {
    let dir = path.parent().expect("the trace lives in .twin/");
    let tmp = dir.join(format!("trace.jsonl.tmp-{}", std::process::id()));
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        drop(file);
        fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(bytes)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Makes the rename durable; not every platform can open a folder, so failures are ignored.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
