//! Recording an analysis in the vault's history: findings diffed against the trace, and
//! drift anchors taken with the analysis's own term statistics.

use std::io;
use std::time::SystemTime;

use super::Analysis;
use crate::coherence::{signature, signatures};
use crate::diagnostic::Diagnostic;
use crate::history::{self, RecordOptions, RecordSummary, with_trace};
use crate::vault::NoteId;

impl Analysis {
    /// Records `diagnostics` in the trace (see [`history::record_with`]): every finding of
    /// the vault, or with `notes` only those of these notes. Notes not anchored yet are
    /// anchored with this analysis's term statistics.
    pub fn record(
        &self,
        diagnostics: &[Diagnostic],
        notes: Option<&[&str]>,
        now: SystemTime,
    ) -> io::Result<RecordSummary> {
        let vault = &self.vault;
        let stats = self.coherence.drift.as_ref().map(|drift| &drift.stats);
        let signatures = |ids: &[NoteId]| signatures(vault, stats, ids);
        // The score needs every finding: only a whole-vault record knows it.
        let score = notes.is_none().then(|| {
            crate::coherence::vault_coherence(vault, &self.graph, &self.coherence, diagnostics).1
        });
        let options = RecordOptions { notes, score };
        history::record_with(&vault.root, diagnostics, vault, &signatures, now, options)
    }

    /// Anchors note `id` anew in the trace (the "Re-anchor this note" action); returns false
    /// when its body is too short to anchor. [`Analysis::update_coherence`] then compares
    /// the note with its new anchor.
    pub fn reanchor(&self, id: NoteId, now: SystemTime) -> io::Result<bool> {
        let stats;
        let stats = match self.coherence.drift.as_ref() {
            Some(drift) => &drift.stats,
            None => {
                stats = crate::coherence::TermStats::build(&self.vault);
                &stats
            }
        };
        let Some(terms) = signature(&self.vault, stats, id) else {
            return Ok(false);
        };
        let path = self.vault.note(id).path.clone();
        history::reanchor(&self.vault.root, &path, terms, now)?;
        Ok(true)
    }

    /// Brings note `id`'s coherence up to date after an edit, with its anchor as the trace
    /// holds it now when `anchor-drift` measures it; returns the notes whose per-note
    /// coherence findings may have changed.
    pub fn update_coherence(&mut self, id: NoteId) -> Vec<NoteId> {
        if !self.is_coherent() {
            return Vec::new();
        }
        let Analysis {
            vault,
            graph,
            coherence,
            ..
        } = self;
        if coherence.anchors.is_some()
            && let Ok(affected) = with_trace(&vault.root, |trace| {
                coherence.update_note(vault, graph, id, Some(trace.state()))
            })
        {
            return affected;
        }
        coherence.update_note(vault, graph, id, None)
    }
}
