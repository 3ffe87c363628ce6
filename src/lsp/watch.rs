//! Our own file watcher (`notify`), for clients that cannot watch files for us
//! (Neovim on Linux has no dynamic `didChangeWatchedFiles` registration).

use std::path::PathBuf;
use std::sync::mpsc::Sender;

use notify::{EventKind, RecursiveMode, Watcher as _};

use super::diagnostics::Event;
use super::files::{FileChange, FileChangeKind};

/// Watches the workspace roots while it lives.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
}

impl Watcher {
    pub fn start(roots: &[PathBuf], events: Sender<Event>) -> notify::Result<Watcher> {
        let mut inner =
            notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
                let Ok(event) = result else { return };
                let kind = match event.kind {
                    EventKind::Create(_) => FileChangeKind::Created,
                    EventKind::Remove(_) => FileChangeKind::Deleted,
                    EventKind::Modify(_) => FileChangeKind::Changed,
                    _ => return,
                };
                // A rename reports both paths; checking each on disk sorts out which is which.
                let changes: Vec<FileChange> = event
                    .paths
                    .into_iter()
                    .filter(|p| {
                        !p.components()
                            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                    })
                    .map(|path| FileChange { path, kind })
                    .collect();
                if !changes.is_empty() {
                    let _ = events.send(Event::Files(changes));
                }
            })?;
        for root in roots {
            inner.watch(root, RecursiveMode::Recursive)?;
        }
        Ok(Watcher { _inner: inner })
    }
}
