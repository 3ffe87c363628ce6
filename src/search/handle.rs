//! A search index opened on a background thread, with debounced commits.
//!
//! The language server publishes diagnostics at once and answers searches when the index
//! is ready: [`SearchHandle::ready`] says whether it is. Edits made meanwhile are queued
//! and applied when it is; after that each edit updates the index at once and a commit
//! follows when edits pause for the debounce time, or after [`MAX_DELAY_DEBOUNCES`]
//! debounce times of edits that never pause: until a commit, the writer keeps every
//! replaced entry's delete in memory and searches see none of the edits.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::SearchError;
use super::index::{IndexOptions, OpenReport, SearchIndex};
use crate::config::Config;
use crate::note::Note;

/// How long edits must pause before they are committed.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(500);
/// The longest edits wait for a commit while they keep coming, in debounce times.
pub const MAX_DELAY_DEBOUNCES: u32 = 10;

enum Update {
    Upsert(Arc<Note>),
    Remove(String),
}

#[derive(Default)]
struct State {
    index: Option<Arc<SearchIndex>>,
    /// What opening did, or why it failed.
    report: Option<Result<OpenReport, String>>,
    /// Edits made before the index was ready.
    queued: Vec<Update>,
    /// When the latest uncommitted edit was made.
    dirty: Option<Instant>,
    /// When the first uncommitted edit was made.
    dirty_since: Option<Instant>,
    closing: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    debounce: Duration,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An index being opened or open; drop it to commit what is pending and stop.
pub struct SearchHandle {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl SearchHandle {
    /// Opens the vault's index (warm start or build) on a background thread.
    pub fn open_in_background(
        root: PathBuf,
        config: Config,
        options: IndexOptions,
    ) -> SearchHandle {
        SearchHandle::spawn(DEFAULT_DEBOUNCE, move || {
            SearchIndex::open(&root, &config, &options)
        })
    }

    /// Runs `open` on a background thread, which then commits edits after `debounce`.
    pub fn spawn(
        debounce: Duration,
        open: impl FnOnce() -> Result<(SearchIndex, OpenReport), SearchError> + Send + 'static,
    ) -> SearchHandle {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            debounce,
        });
        let worker = shared.clone();
        let thread = std::thread::Builder::new()
            .name("twin-search".to_string())
            .spawn(move || run(&worker, open))
            .ok();
        SearchHandle { shared, thread }
    }

    /// The index once it is ready; `None` while it is being built or if that failed.
    pub fn ready(&self) -> Option<Arc<SearchIndex>> {
        self.shared.state().index.clone()
    }

    pub fn is_ready(&self) -> bool {
        self.shared.state().index.is_some()
    }

    /// Waits until opening has finished; the index, or why there is none.
    pub fn wait(&self) -> Result<Arc<SearchIndex>, String> {
        let mut state = self.shared.state();
        loop {
            if let Some(index) = &state.index {
                return Ok(index.clone());
            }
            if let Some(Err(reason)) = &state.report {
                return Err(reason.clone());
            }
            if self.thread.is_none() {
                return Err("the search thread could not start".to_string());
            }
            state = self
                .shared
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// What opening did (its log lines), once it is done.
    pub fn report(&self) -> Option<Result<OpenReport, String>> {
        self.shared.state().report.clone()
    }

    /// Indexes a note's new text (an edit, a save, an external change).
    pub fn update_note(&self, note: Arc<Note>) {
        self.apply(Update::Upsert(note));
    }

    /// Removes a note from the index (deleted or renamed away).
    pub fn remove_note(&self, path: &str) {
        self.apply(Update::Remove(path.to_string()));
    }

    fn apply(&self, update: Update) {
        let mut state = self.shared.state();
        match state.index.clone() {
            Some(index) => {
                drop(state);
                // An update that fails leaves the old entry; the next warm start repairs it.
                let _ = apply(&index, &update);
                state = self.shared.state();
            }
            None => state.queued.push(update),
        }
        let now = Instant::now();
        state.dirty = Some(now);
        state.dirty_since.get_or_insert(now);
        self.shared.wake.notify_all();
    }

    /// Commits now instead of after the debounce time.
    pub fn flush(&self) -> Result<(), SearchError> {
        let index = {
            let mut state = self.shared.state();
            state.dirty = None;
            state.dirty_since = None;
            state.index.clone()
        };
        match index {
            Some(index) => index.commit().map(drop),
            None => Ok(()),
        }
    }
}

impl Drop for SearchHandle {
    fn drop(&mut self) {
        let ready = {
            let mut state = self.shared.state();
            state.closing = true;
            state.index.is_some()
        };
        self.shared.wake.notify_all();
        // Wait for the last commit; an index still being built is left to finish alone.
        if ready && let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn apply(index: &SearchIndex, update: &Update) -> Result<(), SearchError> {
    match update {
        Update::Upsert(note) => index.update_note(note).map(drop),
        Update::Remove(path) => {
            index.remove_note(path);
            Ok(())
        }
    }
}

/// The background thread: open, apply queued edits, then commit after each pause.
fn run(shared: &Shared, open: impl FnOnce() -> Result<(SearchIndex, OpenReport), SearchError>) {
    let opened = open();
    let index = {
        let mut state = shared.state();
        match opened {
            Ok((index, report)) => {
                let index = Arc::new(index);
                for update in std::mem::take(&mut state.queued) {
                    let _ = apply(&index, &update);
                }
                state.index = Some(index.clone());
                state.report = Some(Ok(report));
                shared.wake.notify_all();
                index
            }
            Err(e) => {
                state.report = Some(Err(e.to_string()));
                shared.wake.notify_all();
                return;
            }
        }
    };
    let max_delay = shared.debounce * MAX_DELAY_DEBOUNCES;
    let mut state = shared.state();
    loop {
        let overdue = state
            .dirty_since
            .is_some_and(|first| first.elapsed() >= max_delay);
        match state.dirty {
            Some(since) if state.closing || overdue || since.elapsed() >= shared.debounce => {
                state.dirty = None;
                state.dirty_since = None;
                drop(state);
                let _ = index.commit();
                state = shared.state();
            }
            Some(since) => {
                let first = state.dirty_since.unwrap_or(since);
                let left = shared
                    .debounce
                    .saturating_sub(since.elapsed())
                    .min(max_delay.saturating_sub(first.elapsed()));
                state = shared
                    .wake
                    .wait_timeout(state, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            None if state.closing => return,
            None => {
                state = shared
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}
