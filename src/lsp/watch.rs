//! Our own file watcher (`notify`), for clients that cannot watch files for us
//! (Neovim on Linux has no dynamic `didChangeWatchedFiles` registration).

use std::path::PathBuf;
use std::sync::mpsc::Sender;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode, Watcher as _};

use super::diagnostics::Event;
use super::files::{FileChange, FileChangeKind};

/// Watches the workspace roots while it lives.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
}

impl Watcher {
    /// Watches `roots`, sending file events to the worker; `on_change` is told too (the
    /// history recorder waits for renames it proposed to show on disk).
    pub fn start(
        roots: &[PathBuf],
        events: Sender<Event>,
        on_change: impl Fn() + Send + 'static,
    ) -> notify::Result<Watcher> {
        let vaults = roots.to_vec();
        // Hidden folders inside the vault (`.git/`, `.obsidian/` but for app.json) are noise.
        let hidden = move |path: &std::path::Path| {
            vaults.iter().any(|root| {
                path.strip_prefix(root).is_ok_and(|rel| {
                    rel.components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                        && !rel.ends_with(".obsidian/app.json")
                        && !rel.ends_with(".obsidian/daily-notes.json")
                        && !rel.ends_with(".twin/config.toml")
                        && !super::rule_files::is_rule_file(
                            &rel.to_string_lossy().replace('\\', "/"),
                        )
                })
            })
        };
        let mut inner =
            notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
                let Ok(event) = result else { return };
                let kind = match event.kind {
                    EventKind::Create(_) => FileChangeKind::Created,
                    EventKind::Remove(_) => FileChangeKind::Deleted,
                    // Reading a file may touch its metadata; only content and names matter.
                    EventKind::Modify(ModifyKind::Metadata(_)) => return,
                    EventKind::Modify(_) => FileChangeKind::Changed,
                    _ => return,
                };
                // A rename reports both paths; checking each on disk sorts out which is which.
                let changes: Vec<FileChange> = event
                    .paths
                    .into_iter()
                    .filter(|p| !hidden(p))
                    .map(|path| FileChange { path, kind })
                    .collect();
                if !changes.is_empty() {
                    let _ = events.send(Event::Files(changes));
                    on_change();
                }
            })?;
        for root in roots {
            inner.watch(root, RecursiveMode::Recursive)?;
        }
        Ok(Watcher { _inner: inner })
    }
}
