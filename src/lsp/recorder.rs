//! Recording the microconflict history from the editor: on save (debounced) the saved
//! notes' findings are diffed against the trace, and renames carry a note's history to
//! its new path. Runs on its own thread: reading and appending the trace is file I/O
//! under a file lock, never done on the async runtime.
//!
//! Only with the `history.record` setting on (the default). A rename the server
//! proposed (`textDocument/rename` of a note, `workspace/willRenameFiles`) is recorded
//! once the client reports it done (`didRenameFiles`) or the files show it on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::convert::from_proto;
use super::diagnostics::Event;
use super::history_view::{note_findings, now};
use super::snapshot::WorkspaceSnapshot;
use super::state::{Settings, Shared, is_note_path};
use super::{Outgoing, log};
use crate::diagnostic::Diagnostic;
use crate::history::{rename_path, with_trace};

/// Quiet time after the last save before the saved notes are recorded.
const DEBOUNCE: Duration = Duration::from_millis(400);
/// How long a proposed rename waits to be confirmed.
const PENDING_FOR: Duration = Duration::from_secs(120);

/// Reads `history.record` and `history.escalate-after-days` (or `escalateAfterDays`).
pub fn update_settings(settings: &mut Settings, value: &Value) {
    if let Some(record) = value.pointer("/history/record").and_then(Value::as_bool) {
        settings.history_record = record;
    }
    let days = value
        .pointer("/history/escalate-after-days")
        .or_else(|| value.pointer("/history/escalateAfterDays"));
    match days {
        Some(Value::Null) => settings.escalate_after_days = None,
        Some(v) => {
            if let Some(n) = v.as_u64().filter(|n| (1..=36_500).contains(n)) {
                settings.escalate_after_days = Some(n as u32);
            }
        }
        None => {}
    }
}

enum Job {
    Saved(PathBuf),
    /// The client renamed these files (old, new).
    Renamed(Vec<(PathBuf, PathBuf)>),
    /// The server proposed these renames; record them when they happen.
    Expect(Vec<(PathBuf, PathBuf)>),
    /// Files changed on disk: a proposed rename may be done.
    FilesChanged,
}

/// The handle the server sends work to.
#[derive(Clone)]
pub struct Recorder {
    tx: Sender<Job>,
}

impl Recorder {
    pub fn spawn(
        shared: Arc<Shared>,
        events: Sender<Event>,
        out: tokio::sync::mpsc::UnboundedSender<Outgoing>,
    ) -> Recorder {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = std::thread::Builder::new()
            .name("twin-recorder".into())
            .spawn(move || {
                Worker {
                    shared,
                    events,
                    out,
                    pending: Vec::new(),
                    done: Vec::new(),
                }
                .run(rx)
            });
        Recorder { tx }
    }

    pub fn saved(&self, path: PathBuf) {
        let _ = self.tx.send(Job::Saved(path));
    }

    pub fn renamed(&self, pairs: Vec<(PathBuf, PathBuf)>) {
        let _ = self.tx.send(Job::Renamed(pairs));
    }

    pub fn expect(&self, pairs: Vec<(PathBuf, PathBuf)>) {
        let _ = self.tx.send(Job::Expect(pairs));
    }

    /// Files changed on disk (what changed is checked against the proposed renames).
    pub fn files_changed(&self) {
        let _ = self.tx.send(Job::FilesChanged);
    }
}

struct Worker {
    shared: Arc<Shared>,
    events: Sender<Event>,
    out: tokio::sync::mpsc::UnboundedSender<Outgoing>,
    /// Proposed renames not seen yet.
    pending: Vec<(PathBuf, PathBuf, Instant)>,
    /// Renames recorded lately: a second report of one is not recorded again.
    done: Vec<(PathBuf, PathBuf, Instant)>,
}

impl Worker {
    fn run(mut self, rx: Receiver<Job>) {
        let mut saved: Vec<PathBuf> = Vec::new();
        let mut due: Option<Instant> = None;
        loop {
            let job = match due {
                Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(job) => Some(job),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                },
                None => match rx.recv() {
                    Ok(job) => Some(job),
                    Err(_) => return,
                },
            };
            match job {
                Some(Job::Saved(path)) => {
                    if !saved.contains(&path) {
                        saved.push(path);
                    }
                    due = Some(Instant::now() + DEBOUNCE);
                }
                Some(Job::Renamed(pairs)) => {
                    // Saves first: their findings belong to the old paths.
                    self.record_saved(std::mem::take(&mut saved));
                    due = None;
                    self.pending
                        .retain(|(o, n, _)| !pairs.iter().any(|(po, pn)| po == o && pn == n));
                    self.record_renames(pairs);
                }
                Some(Job::Expect(pairs)) => {
                    let now = Instant::now();
                    self.pending
                        .extend(pairs.into_iter().map(|(o, n)| (o, n, now)));
                }
                Some(Job::FilesChanged) => {
                    self.pending.retain(|(_, _, at)| at.elapsed() < PENDING_FOR);
                    let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
                        .into_iter()
                        .partition(|(old, new, _)| new.exists() && !old.exists());
                    self.pending = waiting;
                    if !done.is_empty() {
                        self.record_renames(done.into_iter().map(|(o, n, _)| (o, n)).collect());
                    }
                }
                None => {
                    self.record_saved(std::mem::take(&mut saved));
                    due = None;
                }
            }
        }
    }

    fn recording(&self) -> bool {
        self.shared.lock().settings.history_record
    }

    /// Records the findings of the saved notes (only those: findings elsewhere stay as
    /// the trace has them until their notes are saved or `twin check --record` runs).
    fn record_saved(&mut self, saved: Vec<PathBuf>) {
        if saved.is_empty() || !self.recording() {
            return;
        }
        let snap = self.shared.snapshot();
        let mut changed = false;
        for ws in snap
            .workspaces
            .iter()
            .filter(|ws| ws.indexed && ws.model.is_coherent())
        {
            let paths: Vec<String> = saved
                .iter()
                .filter(|p| is_note_path(p))
                .filter_map(|p| from_proto::vault_path(&ws.roots, p))
                // A note the model does not hold (not loaded yet, deleted) is not judged.
                .filter(|p| ws.vault().note_by_path(p).is_some())
                .collect();
            if paths.is_empty() {
                continue;
            }
            changed |= self.record_notes(ws, &paths);
        }
        if changed {
            let _ = self.events.send(Event::Settings);
        }
    }

    fn record_notes(&self, ws: &WorkspaceSnapshot, paths: &[String]) -> bool {
        let vault = ws.vault();
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        for path in paths {
            if let Some(id) = vault.note_by_path(path) {
                diagnostics.extend(note_findings(ws, id));
            }
        }
        let notes: Vec<&str> = paths.iter().map(String::as_str).collect();
        match ws.model.record(&diagnostics, Some(&notes), now()) {
            Ok(summary) => {
                if summary.events() > 0 {
                    log::send(
                        &self.out,
                        log::Level::Info,
                        format!(
                            "history: {} opened, {} reopened, {} resolved, {} anchored",
                            summary.opened, summary.reopened, summary.resolved, summary.anchored
                        ),
                    );
                }
                summary.events() > 0
            }
            Err(e) => {
                log::send(
                    &self.out,
                    log::Level::Warning,
                    format!("cannot record the history: {e}"),
                );
                false
            }
        }
    }

    /// Carries the history of renamed notes (and of the notes in renamed folders).
    fn record_renames(&mut self, pairs: Vec<(PathBuf, PathBuf)>) {
        self.done.retain(|(_, _, at)| at.elapsed() < PENDING_FOR);
        let pairs: Vec<(PathBuf, PathBuf)> = pairs
            .into_iter()
            .filter(|(o, n)| !self.done.iter().any(|(d_o, d_n, _)| d_o == o && d_n == n))
            .collect();
        if pairs.is_empty() || !self.recording() {
            return;
        }
        let roots: Vec<Arc<[PathBuf]>> = self
            .shared
            .lock()
            .workspaces
            .iter()
            .filter(|ws| ws.indexed)
            .map(|ws| ws.roots.clone())
            .collect();
        let mut moved = 0;
        for (old, new) in &pairs {
            self.done.push((old.clone(), new.clone(), Instant::now()));
            for roots in &roots {
                let (Some(old_rel), Some(new_rel)) = (
                    from_proto::vault_path(roots, old),
                    from_proto::vault_path(roots, new),
                ) else {
                    continue;
                };
                moved += rename_in_trace(&roots[0], &old_rel, &new_rel, &self.out);
                break;
            }
        }
        if moved > 0 {
            let _ = self.events.send(Event::Settings);
        }
    }
}

/// Renames one note, or every note the trace knows under a folder; returns events written.
fn rename_in_trace(
    root: &Path,
    old: &str,
    new: &str,
    out: &tokio::sync::mpsc::UnboundedSender<Outgoing>,
) -> usize {
    let mut moves: Vec<(String, String)> = Vec::new();
    if is_note_path(Path::new(old)) {
        if is_note_path(Path::new(new)) {
            moves.push((old.to_string(), new.to_string()));
        }
    } else {
        let prefix = format!("{old}/");
        let known = with_trace(root, |trace| {
            let state = trace.state();
            let mut paths: Vec<String> = state
                .open()
                .map(|(_, f)| f.path().to_string())
                .chain(state.anchors().map(|(p, _)| p.to_string()))
                .filter(|p| p.starts_with(&prefix))
                .collect();
            paths.sort_unstable();
            paths.dedup();
            paths
        })
        .unwrap_or_default();
        for path in known {
            let rest = &path[prefix.len()..];
            moves.push((path.clone(), format!("{new}/{rest}")));
        }
    }
    let mut written = 0;
    for (old, new) in moves {
        match rename_path(root, &old, &new, now()) {
            Ok(n) => written += n,
            Err(e) => log::send(
                out,
                log::Level::Warning,
                format!("cannot record the rename of {old}: {e}"),
            ),
        }
    }
    written
}
