//! Renames known for each workspace (git's and the trace's), for the quick fix that points
//! a broken link at a renamed note. They are computed on a background thread once the
//! vault is loaded, and again after notes appear or disappear on disk, which is how a
//! rename outside the editor (`git mv`, a file manager) shows up.

use std::sync::Arc;

use super::state::Shared;
use super::{Outgoing, log};
use crate::fix::KnownMoves;

type Out = tokio::sync::mpsc::UnboundedSender<Outgoing>;

/// Starts computing the renames of workspace `ws`; returns at once. While a computation
/// runs, another request makes it run once more when it ends, with the model of then.
pub fn refresh(shared: &Arc<Shared>, ws: usize, out: &Out) {
    let live = {
        let state = shared.lock();
        let Some(workspace) = state.workspaces.get(ws) else {
            return;
        };
        if !workspace.indexed || !workspace.loaded {
            return;
        }
        workspace.live.clone()
    };
    if !live.start_moves_job() {
        return;
    }
    let (shared, out, job) = (shared.clone(), out.clone(), live.clone());
    let spawned = std::thread::Builder::new()
        .name("twin-renames".into())
        .spawn(move || {
            loop {
                // A copy of the vault (its notes are shared), not the model: an edit
                // while this runs would otherwise copy the whole model to change it.
                let vault = match shared.lock().workspaces.get(ws) {
                    Some(workspace) => workspace.model.vault.clone(),
                    None => break,
                };
                let started = std::time::Instant::now();
                let (renames, warnings) = KnownMoves::for_vault(&vault);
                drop(vault);
                for warning in warnings {
                    log::send(&out, log::Level::Warning, format!("renames: {warning}"));
                }
                let message = format!(
                    "learnt {} renames in {} ms{}",
                    renames.len(),
                    started.elapsed().as_millis(),
                    super::memory::rss_note()
                );
                log::send(&out, log::Level::Info, message);
                job.set_moves(Arc::new(renames));
                if !job.finish_moves_job() {
                    break;
                }
            }
        });
    if spawned.is_err() {
        live.finish_moves_job();
    }
}
