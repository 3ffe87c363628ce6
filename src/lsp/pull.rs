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
