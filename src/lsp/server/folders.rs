//! `workspace/didChangeWorkspaceFolders`: a folder added while running becomes a vault
//! loaded as at `initialize`; a folder removed is dropped with its diagnostics.

use std::path::PathBuf;

use tower_lsp_server::gen_lsp_types::*;

use super::Server;
use crate::lsp::convert::from_proto;
use crate::lsp::diagnostics::Event;
use crate::lsp::watch;

impl Server {
    pub(super) async fn change_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
            folders
                .iter()
                .filter_map(|f| from_proto::file_path(&f.uri))
                .collect()
        };
        let added = paths(&params.event.added);
        let removed = paths(&params.event.removed);
        if added.is_empty() && removed.is_empty() {
            return;
        }
        {
            let mut watchers = self.watchers.lock().unwrap_or_else(|e| e.into_inner());
            watchers.retain(|(root, _)| !removed.contains(root));
        }
        // The worker changes the workspaces between its rounds, never during one.
        self.notify(Event::Folders {
            added: added.clone(),
            removed,
        });
        let dynamic = self.shared.lock().caps.watched_files_dynamic;
        if !dynamic {
            self.watch(added).await;
        }
    }

    /// Starts our own watcher on each root (a recursive watch walks the folder: on a
    /// blocking thread).
    pub(super) async fn watch(&self, roots: Vec<PathBuf>) {
        for root in roots {
            let events = self.events.clone();
            let recorder = self.recorder.clone();
            let dir = root.clone();
            let started = tokio::task::spawn_blocking(move || {
                watch::Watcher::start(&[dir], events, move || recorder.files_changed())
            })
            .await;
            match started {
                Ok(Ok(watcher)) => self
                    .watchers
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((root, watcher)),
                Ok(Err(err)) => self.warn(format!("cannot watch {}: {err}", root.display())),
                Err(err) => self.warn(format!("cannot watch {}: {err}", root.display())),
            }
        }
    }
}
