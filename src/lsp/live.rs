//! What the server keeps beside each workspace's model: its search index, fed with every
//! change to the model, and the latest findings of the vault-wide rules, for requests.
//!
//! The index opens on a background thread once the vault is loaded (from the loaded
//! notes, so nothing is read twice) and requests never wait for it: until it is ready
//! they answer without it. Changes reach it through a channel drained by its own thread,
//! so the state lock is never held while a note is analyzed.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::state::Shared;
use super::{Outgoing, log};
use crate::analysis::Change;
use crate::diagnostic::Diagnostic;
use crate::fix::KnownMoves;
use crate::note::{Note, VaultPath};
use crate::search::{IndexOptions, SearchHandle, SearchIndex};

/// Findings of the vault-wide rules by note, as the diagnostics worker last computed them.
pub type VaultFindings = Arc<HashMap<VaultPath, Vec<Diagnostic>>>;

/// One update for the search index.
enum Feed {
    Upsert(Arc<Note>),
    Remove(VaultPath),
}

/// A workspace's search index and published vault findings; shared by the workspace and
/// every snapshot of it.
#[derive(Default)]
pub struct Live {
    search: Mutex<Option<Arc<SearchHandle>>>,
    feed: Mutex<Option<Sender<Vec<Feed>>>>,
    vault_findings: Mutex<VaultFindings>,
    /// Findings of the coherence rules per note, for the vault's coherence score.
    conflicts: Mutex<HashMap<VaultPath, usize>>,
    /// Renames known from git and the trace (`moves.rs`); `None` until computed.
    moves: Mutex<Option<Arc<KnownMoves>>>,
    /// Whether moves are being computed, and whether they must be computed again.
    moves_job: Mutex<(bool, bool)>,
    /// The notes' reports for a client that pulls diagnostics.
    pub pulled: super::pull::PullReports,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Live {
    /// The search index when it is ready; `None` while it opens (or if it failed).
    pub fn search_index(&self) -> Option<Arc<SearchIndex>> {
        lock(&self.search).as_ref()?.ready()
    }

    /// The search handle, ready or not.
    pub fn search_handle(&self) -> Option<Arc<SearchHandle>> {
        lock(&self.search).clone()
    }

    /// Passes the model's changes on to the search index (called under the state lock,
    /// so only cheap clones happen here).
    pub fn feed(&self, changes: &[Change]) {
        let feed = lock(&self.feed);
        let Some(tx) = feed.as_ref() else { return };
        let updates: Vec<Feed> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Upsert(note) => Some(Feed::Upsert(note.clone())),
                Change::Remove(path) => Some(Feed::Remove(path.clone())),
                Change::Skip(skipped) => Some(Feed::Remove(skipped.path.clone())),
                Change::AddAttachment(_) | Change::RemoveAttachment(_) | Change::Canvas(_) => None,
            })
            .collect();
        if !updates.is_empty() {
            let _ = tx.send(updates);
        }
    }

    pub fn vault_findings(&self) -> VaultFindings {
        lock(&self.vault_findings).clone()
    }

    pub fn set_vault_findings(&self, findings: VaultFindings) {
        *lock(&self.vault_findings) = findings;
    }

    /// Sets the count of a note's coherence findings (0 forgets the note).
    pub fn set_conflicts(&self, path: &VaultPath, count: usize) {
        let mut conflicts = lock(&self.conflicts);
        if count == 0 {
            conflicts.remove(path);
        } else {
            conflicts.insert(path.clone(), count);
        }
    }

    /// Each note's count of coherence findings (notes without any are absent).
    pub fn conflicts(&self) -> HashMap<VaultPath, usize> {
        lock(&self.conflicts).clone()
    }

    /// The moves known for the vault, once computed.
    pub fn moves(&self) -> Option<Arc<KnownMoves>> {
        lock(&self.moves).clone()
    }

    pub fn set_moves(&self, moves: Arc<KnownMoves>) {
        *lock(&self.moves) = Some(moves);
    }

    /// Claims the moves computation: true when the caller must run it, false when one
    /// is running (it is then asked to run again).
    pub fn start_moves_job(&self) -> bool {
        let mut job = lock(&self.moves_job);
        if job.0 {
            job.1 = true;
            return false;
        }
        *job = (true, false);
        true
    }

    /// Ends a computation: true when it must run again.
    pub fn finish_moves_job(&self) -> bool {
        let mut job = lock(&self.moves_job);
        if job.1 {
            job.1 = false;
            return true;
        }
        job.0 = false;
        false
    }

    /// Commits what the index has pending (at shutdown).
    pub fn flush(&self) {
        if let Some(handle) = self.search_handle() {
            let _ = handle.flush();
        }
    }
}

/// Starts opening the search index of workspace `ws` from its loaded model, and runs
/// `then` once it is open (or failed to open, or is not to be opened). Call it on the
/// worker thread once the workspace is loaded; it returns at once.
pub fn start_search(
    shared: &Shared,
    ws: usize,
    out: &tokio::sync::mpsc::UnboundedSender<Outgoing>,
    then: impl FnOnce() + Send + 'static,
) {
    if std::env::var_os("TWIN_LSP_NO_SEARCH").is_some() {
        return then();
    }
    let live = {
        let state = shared.lock();
        let Some(workspace) = state.workspaces.get(ws) else {
            return then();
        };
        if !workspace.indexed || lock(&workspace.live.search).is_some() {
            drop(state);
            return then();
        }
        // The feed is installed under the same lock the model is taken under, so every
        // later change reaches the index and none before it is missed.
        let (tx, rx) = std::sync::mpsc::channel();
        *lock(&workspace.live.feed) = Some(tx);
        // A copy of the vault (its notes are shared), not the model: an edit while the
        // index opens would otherwise copy the whole model to change it.
        let vault = workspace.model.vault.clone();
        let options = IndexOptions {
            memory_when_busy: true,
            lean_writer: true,
            ..IndexOptions::default()
        };
        let handle = Arc::new(SearchHandle::spawn(
            crate::search::handle::DEFAULT_DEBOUNCE,
            move || SearchIndex::open_vault(&vault, &options),
        ));
        *lock(&workspace.live.search) = Some(handle.clone());
        spawn_feeder(handle, rx);
        workspace.live.clone()
    };
    // Reports how opening went, without holding up the worker.
    let out = out.clone();
    let _ = std::thread::Builder::new()
        .name("twin-search-report".into())
        .spawn(move || {
            let Some(handle) = live.search_handle() else {
                return then();
            };
            let started = std::time::Instant::now();
            match handle.wait() {
                Ok(index) => {
                    let report = handle.report();
                    let mut message = format!(
                        "search index ready in {} ms ({} notes)",
                        started.elapsed().as_millis(),
                        index.num_notes()
                    );
                    if let Some(Ok(report)) = report {
                        message.push_str(&format!(
                            ", {} re-indexed, {} unchanged",
                            report.indexed, report.unchanged
                        ));
                        for line in report.messages {
                            log::send(&out, log::Level::Info, format!("search: {line}"));
                        }
                    }
                    // A first build queues whole documents for the writer.
                    super::memory::release();
                    message.push_str(&super::memory::rss_note());
                    log::send(&out, log::Level::Info, message);
                }
                Err(reason) => log::send(
                    &out,
                    log::Level::Warning,
                    format!("search is unavailable: {reason}"),
                ),
            }
            then();
        });
}

/// Applies fed updates to the index on their own thread, latest text per note first.
fn spawn_feeder(handle: Arc<SearchHandle>, rx: Receiver<Vec<Feed>>) {
    let _ = std::thread::Builder::new()
        .name("twin-search-feed".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                // A burst of edits to one note indexes only its latest text.
                let mut latest: HashMap<VaultPath, Feed> = HashMap::new();
                let mut order: Vec<VaultPath> = Vec::new();
                for update in first.into_iter().chain(rx.try_iter().flatten()) {
                    let path = match &update {
                        Feed::Upsert(note) => note.path.clone(),
                        Feed::Remove(path) => path.clone(),
                    };
                    if latest.insert(path.clone(), update).is_none() {
                        order.push(path);
                    }
                }
                for path in order {
                    match latest.remove(&path) {
                        Some(Feed::Upsert(note)) => handle.update_note(note),
                        Some(Feed::Remove(path)) => handle.remove_note(&path),
                        None => {}
                    }
                }
            }
        });
}
