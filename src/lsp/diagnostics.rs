//! The background worker: debounces edits and file events, keeps models current and
//! publishes diagnostics for every note an edit affects.
//!
//! It runs on its own thread, so CPU work never blocks the async runtime; what it
//! sends to the client goes through the [`Outgoing`] channel in order.

use std::collections::{BTreeSet, HashMap};
use std::hash::Hasher;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::json;
use tower_lsp_server::gen_lsp_types as lsp;

use super::convert::to_proto;
use super::files::{self, FileChange, FileChangeKind};
use super::snapshot::{Snapshot, WorkspaceSnapshot};
use super::state::{DiagnosticsScope, Ready, Shared, Workspace};
use super::{Outgoing, log};
use crate::coherence::COHERENCE_RULES;
use crate::diagnostic::Diagnostic;
use crate::note::VaultPath;

/// Quiet time after the last edit before diagnostics are computed.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// Rules that judge a note against every other note: meaningless in single-file mode.
const NEEDS_THE_VAULT: &[&str] = &[
    "broken-link",
    "ambiguous-link",
    "orphan-note",
    "one-sided-relation",
];
/// Notes checked and published at a time when many need checking.
const CHUNK: usize = 512;
/// The longest an edit waits for its diagnostics while edits keep coming.
const MAX_DELAY: Duration = Duration::from_millis(100);
/// Publications waiting for the client at most before the worker waits for it.
const MAX_UNSENT: usize = 64;
/// Findings of one note kept and published at most: a note with a million broken links
/// would otherwise cost gigabytes to hold, convert and send. The last one says so.
pub const MAX_FINDINGS_PER_NOTE: usize = 1_000;

/// Work for the background thread.
#[derive(Debug)]
pub enum Event {
    /// A document was opened or edited.
    Edited,
    /// A document was closed: its note goes back to what is on disk.
    Closed(std::path::PathBuf),
    /// Files changed on disk.
    Files(Vec<FileChange>),
    /// Index the workspaces that are not loaded yet.
    Load,
    /// Settings changed: reconsider what is published.
    Settings,
    /// Workspace folders added and removed (`workspace/didChangeWorkspaceFolders`).
    Folders {
        added: Vec<std::path::PathBuf>,
        removed: Vec<std::path::PathBuf>,
    },
    /// Sent behind each event from the client: once acted on, pulls sent after that
    /// event can answer (`Shared::wait_caught_up`).
    Mark(u64),
    Shutdown,
}

/// Starts the worker thread.
pub fn spawn(
    shared: Arc<Shared>,
    out: tokio::sync::mpsc::UnboundedSender<Outgoing>,
) -> Sender<Event> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("twin-worker".into())
        .spawn(move || Worker::new(shared, out).run(rx))
        .expect("spawn worker thread");
    tx
}

/// Findings per note of one workspace, and what the client was last sent.
#[derive(Default)]
struct WsCache {
    note: HashMap<VaultPath, Vec<Diagnostic>>,
    /// Shared with requests (`Live::vault_findings`), not copied for them.
    vault: super::live::VaultFindings,
    /// A hash of what was last published per note (its protocol form), not a copy.
    published: HashMap<VaultPath, u64>,
}

struct Worker {
    shared: Arc<Shared>,
    out: tokio::sync::mpsc::UnboundedSender<Outgoing>,
    caches: Vec<WsCache>,
    scope: DiagnosticsScope,
    /// The `history.escalate-after-days` setting, over the vault's configuration.
    escalate: Option<u32>,
}

impl Worker {
    fn new(shared: Arc<Shared>, out: tokio::sync::mpsc::UnboundedSender<Outgoing>) -> Worker {
        Worker {
            shared,
            out,
            caches: Vec::new(),
            scope: DiagnosticsScope::Vault,
            escalate: None,
        }
    }

    fn run(mut self, rx: Receiver<Event>) {
        while let Ok(first) = rx.recv() {
            // Only edits and file events wait for quiet; the rest is done at once.
            let debounce = matches!(first, Event::Edited | Event::Files(_) | Event::Closed(_));
            let mut events = vec![first];
            let start = Instant::now();
            if debounce {
                loop {
                    let left = MAX_DELAY.saturating_sub(start.elapsed());
                    if left.is_zero() {
                        break;
                    }
                    match rx.recv_timeout(DEBOUNCE.min(left)) {
                        Ok(event) => events.push(event),
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            } else {
                events.extend(rx.try_iter());
            }
            let mut reconsider_all = false;
            let mut marked = 0;
            for event in events {
                match event {
                    Event::Mark(seq) => marked = seq.max(marked),
                    Event::Folders { added, removed } => self.change_folders(added, removed),
                    Event::Edited => {}
                    Event::Closed(path) => {
                        files::apply(&self.shared, &[FileChange::changed(path)], &self.out)
                    }
                    Event::Files(changes) => {
                        files::apply(&self.shared, &changes, &self.out);
                        if changes.iter().any(|c| c.kind != FileChangeKind::Changed) {
                            self.refresh_renames();
                        }
                    }
                    Event::Load => self.load(),
                    Event::Settings => reconsider_all = true,
                    Event::Shutdown => return,
                }
            }
            self.publish(reconsider_all);
            self.shared.mark_done(marked);
            super::memory::release_now_and_then();
        }
    }

    /// Drops the workspaces of removed folders (clearing what was published for them) and
    /// loads the added ones, as `initialize` does with several folders.
    fn change_folders(&mut self, added: Vec<PathBuf>, removed: Vec<PathBuf>) {
        let removed: Vec<PathBuf> = removed
            .into_iter()
            .flat_map(|r| [r.canonicalize().unwrap_or_else(|_| r.clone()), r])
            .collect();
        let added: Vec<Workspace> = added.into_iter().map(|r| Workspace::new(r, true)).collect();
        let (gone, caps) = {
            let mut state = self.shared.lock();
            let mut gone = Vec::new();
            let mut i = 0;
            while i < state.workspaces.len() {
                let ws = &state.workspaces[i];
                // A folder of loose notes (single-file mode) inside an added folder joins it.
                let absorbed =
                    !ws.indexed && added.iter().any(|a| ws.roots[0].starts_with(a.root()));
                if absorbed || ws.indexed && ws.roots.iter().any(|r| removed.contains(r)) {
                    let ws = state.workspaces.remove(i);
                    let cache = (i < self.caches.len()).then(|| self.caches.remove(i));
                    gone.push((ws, cache));
                } else {
                    i += 1;
                }
            }
            for ws in added {
                if !state
                    .workspaces
                    .iter()
                    .any(|w| w.indexed && w.roots[0] == ws.roots[0])
                {
                    state.single_file = false;
                    state.workspaces.push(ws);
                }
            }
            (gone, state.caps.clone())
        };
        self.shared.ready_changed();
        for (ws, cache) in &gone {
            ws.live.flush();
            let Some(cache) = cache else { continue };
            let root = ws.roots.last().expect("a root");
            if !caps.pull_diagnostics {
                for path in cache.published.keys() {
                    let uri = to_proto::file_uri(&root.join(&**path));
                    self.shared.unsent_publishes.fetch_add(1, Ordering::Relaxed);
                    let _ = self.out.send(Outgoing::Publish(uri, Vec::new(), None));
                }
            }
        }
        if !gone.is_empty() && caps.pull_diagnostics {
            // The held workspace pull answers: the removed notes' reports are now empty.
            self.shared.pull_generation.send_modify(|g| *g += 1);
            if caps.diagnostic_refresh {
                let _ = self.out.send(Outgoing::RefreshDiagnostics);
            }
        }
        self.load();
    }

    /// Indexes every workspace not loaded yet, with work-done progress.
    fn load(&mut self) {
        let pending: Vec<usize> = {
            let state = self.shared.lock();
            (0..state.workspaces.len())
                .filter(|&i| !state.workspaces[i].loaded)
                .collect()
        };
        for ws in pending {
            static LOADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = LOADS.fetch_add(1, Ordering::Relaxed);
            let token = lsp::ProgressToken::String(format!("twin/index/{n}"));
            let _ = self.out.send(Outgoing::ProgressCreate(token.clone()));
            self.progress(
                &token,
                json!({"kind": "begin", "title": "twin: indexing vault", "percentage": 0}),
            );
            let started = Instant::now();
            let live = self.shared.lock().workspaces[ws].live.clone();
            live.pulled.begin_load();
            let cache =
                files::load_workspace(&self.shared, ws, &self.out, &|message, percentage| {
                    self.progress(
                        &token,
                        json!({"kind": "report", "message": message, "percentage": percentage}),
                    );
                });
            let loaded = started.elapsed();
            self.publish(false);
            self.shared.lock().workspaces[ws].ready = Ready::Diagnostics;
            self.shared.ready_changed();
            live.pulled.end_load();
            // A workspace pull sending partial results stops following the load.
            self.shared.pull_generation.send_modify(|g| *g += 1);
            // Written once the first diagnostics are out: a cold start writes every shard.
            if let Some(cache) = cache {
                cache.save(&self.out);
            }
            // The load's peaks (parsing on every core, the first check) are over.
            super::memory::release();
            // Renames are learnt once the index is open: the first build of each at once
            // would add their peaks of memory.
            let (shared, out) = (self.shared.clone(), self.out.clone());
            super::live::start_search(&self.shared, ws, &self.out, move || {
                super::moves::refresh(&shared, ws, &out)
            });
            let notes = self.shared.lock().workspaces[ws].model.vault.notes.len();
            let message = format!(
                "indexed {notes} notes in {} ms (loading and resolving {} ms, checking and publishing {} ms){}",
                started.elapsed().as_millis(),
                loaded.as_millis(),
                (started.elapsed() - loaded).as_millis(),
                super::memory::rss_note()
            );
            log::send(&self.out, log::Level::Info, message);
            self.progress(&token, json!({"kind": "end", "message": "indexed"}));
        }
    }

    /// Notes appeared or disappeared on disk: perhaps renamed, so learn renames again.
    fn refresh_renames(&self) {
        let count = self.shared.lock().workspaces.len();
        for ws in 0..count {
            super::moves::refresh(&self.shared, ws, &self.out);
        }
    }

    fn progress(&self, token: &lsp::ProgressToken, value: serde_json::Value) {
        let _ = self.out.send(Outgoing::Progress(token.clone(), value));
    }

    /// Computes diagnostics for what changed and publishes those that differ.
    fn publish(&mut self, reconsider_all: bool) {
        let (snap, effects) = {
            let mut state = self.shared.lock();
            state.sync();
            self.scope = state.settings.scope;
            self.escalate = state.settings.escalate_after_days;
            let effects: Vec<_> = state
                .workspaces
                .iter_mut()
                .map(|ws| ws.loaded.then(|| std::mem::take(&mut ws.effect)))
                .collect();
            (state.snapshot(), effects)
        };
        self.caches
            .resize_with(snap.workspaces.len(), WsCache::default);
        let mut changed: Vec<(usize, VaultPath)> = Vec::new();
        for (i, effect) in effects.into_iter().enumerate() {
            let Some(effect) = effect else { continue };
            if effect.is_empty() && !reconsider_all {
                continue;
            }
            let ws = &snap.workspaces[i];
            let cache = &mut self.caches[i];
            let mut touched: BTreeSet<VaultPath> = BTreeSet::new();
            for path in &effect.removed {
                cache.note.remove(path);
                touched.insert(path.clone());
            }
            let vault = ws.vault();
            let mut ids: Vec<_> = effect
                .recheck
                .iter()
                .filter_map(|p| vault.note_by_path(p))
                .collect();
            // Open notes first: the writer is looking at them.
            ids.sort_by_key(|id| !ws.open_uris.contains_key(&vault.note(*id).path));
            if effect.vault_rules {
                let mut by_path: HashMap<VaultPath, Vec<Diagnostic>> = HashMap::new();
                let started = Instant::now();
                let found = ws.model.check_vault_wide();
                if std::env::var_os("TWIN_LSP_TIMINGS").is_some() {
                    log::stderr(&format!("vault rules {:?}", started.elapsed()));
                }
                for d in found {
                    by_path.entry(d.path.clone()).or_default().push(d);
                }
                for path in cache.vault.keys().chain(by_path.keys()) {
                    touched.insert(path.clone());
                }
                cache.vault = Arc::new(by_path);
                ws.live.set_vault_findings(cache.vault.clone());
            }
            if reconsider_all {
                touched.extend(cache.note.keys().cloned());
                touched.extend(cache.vault.keys().cloned());
                touched.extend(cache.published.keys().cloned());
            }
            // Large batches (the first load) are published chunk by chunk, so the
            // first findings show before the whole vault is checked.
            for chunk in ids.chunks(CHUNK) {
                let judged: Vec<VaultPath> = chunk
                    .iter()
                    .map(|&id| vault.note(id).path.clone())
                    .collect();
                let findings: Vec<(VaultPath, Vec<Diagnostic>)> = chunk
                    .par_iter()
                    .map(|&id| {
                        let model = &ws.model;
                        let mut found = model.check_note(id);
                        if !ws.indexed {
                            // Only open notes are known in single-file mode: a link to
                            // anything else cannot be judged.
                            found.retain(|d| !NEEDS_THE_VAULT.contains(&d.code));
                        }
                        cap_findings(&mut found);
                        (vault.note(id).path.clone(), found)
                    })
                    .collect();
                for (path, found) in findings {
                    touched.insert(path.clone());
                    cache.note.insert(path, found);
                }
                let pulled = publish_paths(
                    &snap,
                    ws,
                    cache,
                    (self.scope, self.escalate),
                    std::mem::take(&mut touched),
                    (&self.shared, &self.out),
                );
                changed.extend(pulled.into_iter().map(|p| (i, p)));
                // During the first load these reports are final: a workspace pull with
                // a partial result token sends them now.
                if ws.live.pulled.judged(&judged) {
                    self.shared.pull_generation.send_modify(|g| *g += 1);
                    pause_for_tests();
                }
                wait_for_client(&self.shared, &self.out);
            }
            let pulled = publish_paths(
                &snap,
                ws,
                cache,
                (self.scope, self.escalate),
                touched,
                (&self.shared, &self.out),
            );
            changed.extend(pulled.into_iter().map(|p| (i, p)));
        }
        if !changed.is_empty() {
            self.pulled_changed(&snap, &changed);
        }
    }

    /// Pulled reports changed: a held `workspace/diagnostic` answers, and the client is
    /// asked to pull again when an open note it pulled at its current version changed
    /// (a note being edited is pulled again by the client itself; closed notes reach it
    /// through the workspace pull).
    fn pulled_changed(&self, snap: &Snapshot, changed: &[(usize, VaultPath)]) {
        self.shared.pull_generation.send_modify(|g| *g += 1);
        if !snap.caps.diagnostic_refresh {
            return;
        }
        let stale = {
            let state = self.shared.lock();
            changed.iter().any(|(i, path)| {
                snap.workspaces[*i].open_uris.get(path).is_some_and(|uri| {
                    let pulled = state
                        .pulled_versions
                        .get(AsRef::<str>::as_ref(uri))
                        .copied();
                    pulled.is_some() && pulled == snap.version_of(uri)
                })
            })
        };
        if stale {
            let _ = self.out.send(Outgoing::RefreshDiagnostics);
        }
    }
}

/// Sends the diagnostics of each touched path when they differ from what was sent; to a
/// client that pulls, keeps them as its reports instead and returns the paths whose
/// report changed. Messages carry each finding's age from the vault's trace
/// (`history_view.rs`).
fn publish_paths(
    snap: &Snapshot,
    ws: &WorkspaceSnapshot,
    cache: &mut WsCache,
    (scope, escalate): (DiagnosticsScope, Option<u32>),
    touched: BTreeSet<VaultPath>,
    (shared, out): (&Shared, &tokio::sync::mpsc::UnboundedSender<Outgoing>),
) -> Vec<VaultPath> {
    let mut pulled = Vec::new();
    let mut found: Vec<(VaultPath, Vec<Diagnostic>)> = touched
        .into_iter()
        .map(|path| {
            let conflicts = cache
                .note
                .get(&path)
                .into_iter()
                .chain(cache.vault.get(&path))
                .flatten()
                .filter(|d| COHERENCE_RULES.contains(&d.code))
                .count();
            ws.live.set_conflicts(&path, conflicts);
            let visible = scope == DiagnosticsScope::Vault || ws.open_uris.contains_key(&path);
            let mut all: Vec<Diagnostic> = Vec::new();
            if visible {
                all.extend(cache.note.get(&path).into_iter().flatten().cloned());
                all.extend(cache.vault.get(&path).into_iter().flatten().cloned());
                all.sort_by_key(|d| (d.span.start, d.span.end, d.code));
            }
            (path, all)
        })
        .collect();
    super::history_view::annotate(ws, &mut found, escalate);
    for (path, all) in found {
        let note = ws.note_by_path(&path);
        let diagnostics: Vec<lsp::Diagnostic> = all
            .iter()
            .map(|d| to_proto::diagnostic(ws, note, d, snap.encoding))
            .collect();
        let hash = hash_of(&diagnostics);
        if snap.caps.pull_diagnostics {
            if ws.live.pulled.set(&path, hash, diagnostics) {
                pulled.push(path);
            }
            continue;
        }
        let unchanged = match cache.published.get(&path) {
            Some(before) => *before == hash,
            None => diagnostics.is_empty(),
        };
        // An open note is always answered, so its editor shows the current version.
        if unchanged && !ws.open_uris.contains_key(&path) {
            continue;
        }
        let uri = ws.uri_of(&path);
        let version = snap.version_of(&uri);
        if diagnostics.is_empty() {
            cache.published.remove(&path);
        } else {
            cache.published.insert(path.clone(), hash);
        }
        shared.unsent_publishes.fetch_add(1, Ordering::Relaxed);
        if out
            .send(Outgoing::Publish(uri, diagnostics, version))
            .is_err()
        {
            log::stderr("client channel closed; diagnostics dropped");
            return pulled;
        }
    }
    pulled
}

/// Tests see partial results arrive while the load runs by slowing it after each chunk
/// of judged notes (`TWIN_LSP_TEST_CHUNK_PAUSE_MS`, with `TWIN_LSP_TEST_HOOKS`).
fn pause_for_tests() {
    if std::env::var_os("TWIN_LSP_TEST_HOOKS").is_none() {
        return;
    }
    if let Some(ms) = std::env::var("TWIN_LSP_TEST_CHUNK_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Waits while the sending task has many publications not yet written: the first load
/// publishes thousands of notes faster than a client reads them.
fn wait_for_client(shared: &Shared, out: &tokio::sync::mpsc::UnboundedSender<Outgoing>) {
    let started = Instant::now();
    while shared.unsent_publishes.load(Ordering::Relaxed) > MAX_UNSENT
        && started.elapsed() < Duration::from_secs(30)
        && !out.is_closed()
    {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A hash of published diagnostics, through their JSON form (protocol types do not
/// implement `Hash`).
pub(super) fn hash_of(diagnostics: &[lsp::Diagnostic]) -> u64 {
    struct HashWriter(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = HashWriter(std::collections::hash_map::DefaultHasher::new());
    let _ = serde_json::to_writer(&mut writer, diagnostics);
    writer.0.finish()
}

/// Keeps a note's first [`MAX_FINDINGS_PER_NOTE`] findings (by position) and ends them
/// with one that counts the rest.
fn cap_findings(found: &mut Vec<Diagnostic>) {
    if found.len() <= MAX_FINDINGS_PER_NOTE {
        return;
    }
    found.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    let total = found.len();
    found.truncate(MAX_FINDINGS_PER_NOTE - 1);
    found.shrink_to_fit();
    let first = &found[0];
    let note = Diagnostic {
        path: first.path.clone(),
        span: crate::text::Span::empty(0),
        severity: crate::diagnostic::Severity::Info,
        code: crate::diagnostic::intern_code("too-many-findings"),
        message: format!(
            "this note has {total} findings; the editor shows the first {} (`twin check` lists them all)",
            MAX_FINDINGS_PER_NOTE - 1
        ),
        related: Vec::new(),
    };
    found.push(note);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(at: usize) -> Diagnostic {
        Diagnostic {
            path: VaultPath::from("A.md"),
            span: crate::text::Span::new(at, at + 1),
            severity: crate::diagnostic::Severity::Warning,
            code: "broken-link",
            message: String::new(),
            related: Vec::new(),
        }
    }

    #[test]
    fn findings_past_the_cap_are_counted_in_one_last_finding() {
        let mut found: Vec<Diagnostic> = (0..1500).rev().map(finding).collect();
        cap_findings(&mut found);
        assert_eq!(found.len(), MAX_FINDINGS_PER_NOTE);
        // The first ones by position are kept.
        assert_eq!(found[0].span.start, 0);
        assert_eq!(found[MAX_FINDINGS_PER_NOTE - 2].span.start, 998);
        let last = found.last().unwrap();
        assert_eq!(last.code, "too-many-findings");
        assert!(last.message.contains("1500 findings"), "{}", last.message);
        let mut few: Vec<Diagnostic> = (0..10).map(finding).collect();
        cap_findings(&mut few);
        assert_eq!(few.len(), 10);
    }
}
