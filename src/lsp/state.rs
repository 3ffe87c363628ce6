//! The one owner of mutable state: open documents, workspaces and their models.
//!
//! Everything that changes goes through [`Shared::lock`], a mutex held for short,
//! synchronous stretches and never across an `.await`. Requests work on a
//! [`Snapshot`] taken after the model has caught up with every applied edit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tower_lsp_server::gen_lsp_types::Uri;

use super::convert::from_proto;
use super::documents::Documents;
use super::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::analysis::{Analysis, Change, Effect};
use crate::note::{VaultPath, parse_note};
use crate::text::ColumnEncoding;
use crate::vault::SkippedFile;

/// Which notes get diagnostics published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticsScope {
    /// Only open notes.
    Open,
    /// Every note with findings.
    Vault,
}

/// Settings from `initializationOptions` and `workspace/didChangeConfiguration`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub scope: DiagnosticsScope,
    /// `history.record`: record findings on save and renames in `.twin/trace.jsonl`.
    pub history_record: bool,
    /// `history.escalate-after-days`; `None` leaves it to `.twin/config.toml`.
    pub escalate_after_days: Option<u32>,
    /// `inlayHints.enable`: block words and relations after links.
    pub inlay_hints: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scope: DiagnosticsScope::Vault,
            history_record: true,
            escalate_after_days: None,
            inlay_hints: true,
        }
    }
}

impl Settings {
    /// Reads `{"diagnostics": {"scope": "open"}}`, also nested under `"twin"`; unknown
    /// or missing keys keep their current value.
    pub fn update(&mut self, value: &Value) {
        let value = value.get("twin").unwrap_or(value);
        match value.pointer("/diagnostics/scope").and_then(Value::as_str) {
            Some("open") => self.scope = DiagnosticsScope::Open,
            Some("vault") => self.scope = DiagnosticsScope::Vault,
            _ => {}
        }
        if let Some(on) = value.pointer("/inlayHints/enable").and_then(Value::as_bool) {
            self.inlay_hints = on;
        }
        super::recorder::update_settings(self, value);
    }
}

/// The optional client features the server adapts to.
#[derive(Clone, Debug, Default)]
pub struct ClientCaps {
    /// `workspaceEdit.documentChanges`: versioned edits in a list.
    pub document_changes: bool,
    /// `workspaceEdit.resourceOperations` has `create` and `rename`.
    pub create_files: bool,
    pub rename_files: bool,
    /// `resourceOperations` has `delete` (inlining a note deletes it).
    pub delete_files: bool,
    pub work_done_progress: bool,
    pub watched_files_dynamic: bool,
    pub hierarchical_symbols: bool,
    pub markdown_hover: bool,
    /// `textDocument.diagnostic`: the client pulls diagnostics (LSP 3.17), so none are pushed.
    pub pull_diagnostics: bool,
    /// `workspace.diagnostics.refreshSupport`: the client pulls again when asked.
    pub diagnostic_refresh: bool,
    /// `workspace.inlayHint.refreshSupport`: the server may ask for hints again.
    pub inlay_hint_refresh: bool,
}

/// How far a workspace's first load has come. Requests wait for the stage they need
/// rather than answer from a model that is not there yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ready {
    /// Nothing loaded yet.
    Nothing,
    /// Notes parsed and names indexed, links not resolved yet: only a definition asked
    /// from a note whose text is the one on disk can answer (`Workspace::early`).
    Names,
    /// Notes parsed, names indexed, links resolved: navigation, completion, rename and
    /// symbols can answer.
    Links,
    /// The coherence model built: the rules and the coherence answers can run.
    Coherence,
    /// Every note checked once: pulled diagnostics can answer.
    Diagnostics,
}

/// One vault: a workspace folder, or a folder of loose files in single-file mode.
pub struct Workspace {
    pub roots: Arc<[PathBuf]>,
    /// Indexed from disk; false in single-file mode, where only open notes count.
    pub indexed: bool,
    /// The first load from disk finished (always true when not indexed).
    pub loaded: bool,
    /// The stage of the first load reached (complete when not indexed).
    pub ready: Ready,
    pub model: Arc<Analysis>,
    /// During the first load, from its names stage until its links are resolved: the
    /// notes read from disk with their names indexed (`Analysis::load_names_cached`),
    /// apart from `model`, which edits keep changing.
    pub early: Option<Arc<Analysis>>,
    /// What changed since the diagnostics were last computed.
    pub effect: Effect,
    /// Its search index and latest vault-wide findings (`live.rs`).
    pub live: Arc<super::live::Live>,
}

impl Workspace {
    pub fn new(root: PathBuf, indexed: bool) -> Workspace {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
        let roots: Vec<PathBuf> = if canonical == root {
            vec![root]
        } else {
            vec![canonical, root]
        };
        let model = Analysis::empty(roots[0].clone());
        Workspace {
            roots: roots.into(),
            indexed,
            loaded: !indexed,
            ready: if indexed {
                Ready::Nothing
            } else {
                Ready::Diagnostics
            },
            model: Arc::new(model),
            early: None,
            effect: Effect::default(),
            live: Arc::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.roots[0]
    }

    /// Applies changes to the model (cloning it only when a request still holds it).
    pub fn apply(&mut self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        self.live.feed(&changes);
        let started = std::time::Instant::now();
        let effect = Arc::make_mut(&mut self.model).apply(changes);
        if std::env::var_os("TWIN_LSP_TIMINGS").is_some() {
            super::log::stderr(&format!("apply {:?}", started.elapsed()));
        }
        self.effect.merge(effect);
    }
}

/// Everything mutable. Lock through [`Shared::lock`].
pub struct State {
    pub encoding: ColumnEncoding,
    pub caps: Arc<ClientCaps>,
    pub settings: Settings,
    pub docs: Documents,
    pub workspaces: Vec<Workspace>,
    /// No workspace folder was given: each open note's folder becomes a small vault.
    pub single_file: bool,
    /// `shutdown` was received; the exit code depends on it.
    pub shutdown_requested: bool,
    /// The version of each open document whose diagnostics the client last pulled.
    pub pulled_versions: HashMap<String, i32>,
}

impl State {
    pub fn new() -> State {
        State {
            encoding: ColumnEncoding::Utf16,
            caps: Arc::new(ClientCaps::default()),
            settings: Settings::default(),
            docs: Documents::default(),
            workspaces: Vec::new(),
            single_file: true,
            shutdown_requested: false,
            pulled_versions: HashMap::new(),
        }
    }

    /// The workspace holding `path`, innermost first, and the path inside it.
    pub fn workspace_of(&self, path: &Path) -> Option<(usize, VaultPath)> {
        self.workspaces
            .iter()
            .enumerate()
            .filter_map(|(i, ws)| from_proto::vault_path(&ws.roots, path).map(|p| (i, p)))
            .min_by_key(|(_, p)| p.len())
            .map(|(i, p)| (i, VaultPath::from(p)))
    }

    /// Brings every model up to date with the open documents: reparses each note
    /// edited since the last sync and applies it incrementally.
    pub fn sync(&mut self) {
        let mut changes: HashMap<usize, Vec<Change>> = HashMap::new();
        let dirty: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| !d.synced)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in dirty {
            let Some(path) = from_proto::file_path(&Uri::from(uri.clone())) else {
                self.mark_synced(&uri);
                continue;
            };
            if !is_note_path(&path) {
                self.mark_synced(&uri);
                continue;
            }
            let Some((ws, vpath)) = self.workspace_for_doc(&path) else {
                self.mark_synced(&uri);
                continue;
            };
            let bytes = self.docs.get(&uri).map_or(0, |d| d.rope.len_bytes());
            if bytes > MAX_OPEN_NOTE_BYTES {
                // The rope keeps taking edits; the model holds an empty note, so links
                // to it still resolve, and `file-unreadable` says why.
                self.mark_synced(&uri);
                let reason = too_large(bytes);
                changes
                    .entry(ws)
                    .or_default()
                    .push(Change::Skip(SkippedFile {
                        path: vpath,
                        reason,
                    }));
                continue;
            }
            let text = self.docs.get(&uri).map(|d| d.text()).unwrap_or_default();
            self.mark_synced(&uri);
            let note = parse_safely(vpath, text);
            changes.entry(ws).or_default().push(Change::Upsert(note));
        }
        for (ws, changes) in changes {
            self.workspaces[ws].apply(changes);
        }
    }

    fn mark_synced(&mut self, uri: &str) {
        if let Some((_, doc)) = self.docs.iter_mut().find(|(u, _)| *u == uri) {
            doc.synced = true;
        }
    }

    /// The workspace of an open document; in single-file mode, its folder's.
    fn workspace_for_doc(&mut self, path: &Path) -> Option<(usize, VaultPath)> {
        if let Some(found) = self.workspace_of(path) {
            return Some(found);
        }
        if !self.single_file {
            return None;
        }
        let parent = path.parent()?;
        self.workspaces
            .push(Workspace::new(parent.to_path_buf(), false));
        self.workspace_of(path)
    }

    pub fn snapshot(&self) -> Snapshot {
        let versions: HashMap<String, i32> = self
            .docs
            .iter()
            .map(|(uri, d)| (uri.clone(), d.version))
            .collect();
        let workspaces = self
            .workspaces
            .iter()
            .map(|ws| {
                let open_uris = self
                    .docs
                    .iter()
                    .filter_map(|(uri, _)| {
                        let path = from_proto::file_path(&Uri::from(uri.clone()))?;
                        let vpath = from_proto::vault_path(&ws.roots, &path)?;
                        Some((VaultPath::from(vpath), Uri::from(uri.clone())))
                    })
                    .collect();
                WorkspaceSnapshot {
                    roots: ws.roots.clone(),
                    model: ws.model.clone(),
                    indexed: ws.indexed,
                    open_uris: Arc::new(open_uris),
                    live: ws.live.clone(),
                }
            })
            .collect();
        Snapshot {
            encoding: self.encoding,
            caps: self.caps.clone(),
            workspaces,
            versions: Arc::new(versions),
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

/// Whether a path is a markdown note by its extension.
pub fn is_note_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Parses a note; a parser panic becomes an empty note rather than a dead server.
/// The largest open document the server analyzes. Every edit reparses the whole note
/// under the state lock, and a note of tens of megabytes holds its links' findings by the
/// hundred thousand: past this, the editor gets one finding that says so.
pub const MAX_OPEN_NOTE_BYTES: usize = 8 << 20;

/// Why an open document is not analyzed.
fn too_large(bytes: usize) -> String {
    format!(
        "this note is {:.1} MB; the editor analyzes notes up to {} MB (`twin check` reads them)",
        bytes as f64 / (1 << 20) as f64,
        MAX_OPEN_NOTE_BYTES >> 20
    )
}

pub fn parse_safely(path: VaultPath, text: Arc<str>) -> Arc<crate::note::Note> {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_note(path.clone(), text.clone())
    }));
    Arc::new(attempt.unwrap_or_else(|_| parse_note(path, Arc::from(""))))
}

/// The state behind its lock, shared by the server, the worker and requests.
#[derive(Default)]
pub struct Shared {
    state: Mutex<State>,
    /// Signalled when a workspace reaches a stage of its load.
    ready: Condvar,
    /// Diagnostics handed to the sending task and not yet written: the worker waits
    /// while there are many, so a slow client cannot make them pile up in memory.
    pub unsent_publishes: std::sync::atomic::AtomicUsize,
    /// Marks sent to the worker behind each event, and the last one it has acted on:
    /// a pull waits until the worker has caught up with what came before it.
    pub marks_sent: std::sync::atomic::AtomicU64,
    marks_done: Mutex<u64>,
    caught_up: Condvar,
    /// Bumped when pulled diagnostics change, for a held `workspace/diagnostic`.
    pub pull_generation: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    /// Locks the state; a panic elsewhere while it was held does not poison it for good.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes the requests waiting for a stage: call it after raising a workspace's `ready`.
    pub fn ready_changed(&self) {
        self.ready.notify_all();
    }

    /// Waits until every workspace has reached `need`, at most `limit`; returns whether
    /// they have.
    pub fn wait_ready(&self, need: Ready, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut state = self.lock();
        loop {
            if state.workspaces.iter().all(|w| w.ready >= need) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = match self.ready.wait_timeout(state, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// The worker has acted on every event up to mark `seq`.
    pub fn mark_done(&self, seq: u64) {
        let mut done = self.marks_done.lock().unwrap_or_else(|e| e.into_inner());
        if seq > *done {
            *done = seq;
            self.caught_up.notify_all();
        }
    }

    /// Waits until the worker has acted on mark `seq`, at most `limit`.
    pub fn wait_caught_up(&self, seq: u64, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut done = self.marks_done.lock().unwrap_or_else(|e| e.into_inner());
        while *done < seq {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            done = match self.caught_up.wait_timeout(done, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        true
    }

    /// A snapshot for a definition asked from `uri` while its workspace is at
    /// [`Ready::Names`]: the workspace's model is the early one. `None` when the workspace
    /// is at another stage, or the note is open with a text other than the one on disk
    /// (or not in the vault): the request then waits for the links.
    pub fn early_snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let state = self.lock();
        let path = from_proto::file_path(uri)?;
        let (ws, vpath) = state.workspace_of(&path)?;
        let workspace = &state.workspaces[ws];
        if workspace.ready != Ready::Names {
            return None;
        }
        let early = workspace.early.clone()?;
        let note = early.vault.note(early.vault.note_by_path(&vpath)?);
        if let Some(doc) = state.docs.get(uri.as_ref())
            && doc.rope != *note.text
        {
            return None;
        }
        let mut snapshot = state.snapshot();
        snapshot.workspaces[ws].model = early;
        Some(snapshot)
    }

    /// A snapshot with every applied edit reflected in the models.
    pub fn snapshot(&self) -> Snapshot {
        let mut state = self.lock();
        state.sync();
        state.snapshot()
    }
}
