//! Pull diagnostics (LSP 3.17): the report the worker last computed for each note, kept
//! for clients that ask (`textDocument/diagnostic`, `workspace/diagnostic`) instead of
//! being sent. A report's result id is a hash of its protocol form, so "unchanged" means
//! exactly that the client already shows these findings.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tower_lsp_server::gen_lsp_types as lsp;

use crate::note::VaultPath;

/// One note's pulled report.
#[derive(Clone, Debug)]
pub struct Report {
    pub id: u64,
    pub items: Arc<Vec<lsp::Diagnostic>>,
}

/// The reports of one workspace's notes; notes without findings are absent.
#[derive(Default)]
pub struct PullReports {
    reports: Mutex<HashMap<VaultPath, Report>>,
    /// While the first load checks the notes: those with findings whose report is final,
    /// in the order they were judged, so a `workspace/diagnostic` with a partial result
    /// token sends them before the whole vault is judged (`server/pull.rs`). `None` when
    /// no load runs, so nothing is kept after it.
    judged: Mutex<Option<Vec<VaultPath>>>,
}

impl PullReports {
    /// Sets a note's findings under their hash; returns whether the report changed.
    pub fn set(&self, path: &VaultPath, id: u64, items: Vec<lsp::Diagnostic>) -> bool {
        let mut reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let before = reports.get(path).map_or_else(empty_id, |r| r.id);
        if items.is_empty() {
            reports.remove(path);
        } else if before != id {
            let items = Arc::new(items);
            reports.insert(path.clone(), Report { id, items });
        }
        before != id
    }

    /// A note's report (an empty one when it has no findings).
    pub fn get(&self, path: &str) -> Report {
        let reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        reports.get(path).cloned().unwrap_or_else(|| Report {
            id: empty_id(),
            items: Arc::default(),
        })
    }

    /// The first load starts: notes judged from now on are listed until [`Self::end_load`].
    pub fn begin_load(&self) {
        *self.judged.lock().unwrap_or_else(PoisonError::into_inner) = Some(Vec::new());
    }

    /// The load has judged `paths` (their reports are final): lists those with findings.
    /// Returns whether any was listed.
    pub fn judged<'a>(&self, paths: impl IntoIterator<Item = &'a VaultPath>) -> bool {
        let mut judged = self.judged.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(judged) = judged.as_mut() else {
            return false;
        };
        let reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let before = judged.len();
        judged.extend(
            paths
                .into_iter()
                .filter(|p| reports.contains_key(*p))
                .cloned(),
        );
        judged.len() > before
    }

    /// The load is over: the list is dropped.
    pub fn end_load(&self) {
        *self.judged.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The notes judged by the running load from position `from` on, with their reports;
    /// `None` when no load runs.
    pub fn judged_since(&self, from: usize) -> Option<Vec<(VaultPath, Report)>> {
        let judged = self.judged.lock().unwrap_or_else(PoisonError::into_inner);
        let judged = judged.as_ref()?;
        let reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let empty = || Report {
            id: empty_id(),
            items: Arc::default(),
        };
        Some(
            judged
                .get(from..)
                .unwrap_or_default()
                .iter()
                .map(|p| (p.clone(), reports.get(p).cloned().unwrap_or_else(empty)))
                .collect(),
        )
    }

    /// Every note with findings, sorted by path.
    pub fn all(&self) -> Vec<(VaultPath, Report)> {
        let reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<_> = reports
            .iter()
            .map(|(p, r)| (p.clone(), r.clone()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}

/// The result id the client sees.
pub fn result_id(id: u64) -> String {
    format!("{id:016x}")
}

/// The id of a report without findings.
pub fn empty_id() -> u64 {
    super::diagnostics::hash_of(&[])
}
