//! The microconflict history as the editor sees it: ages at the end of diagnostic
//! messages, escalation of chronic findings, and the findings under a cursor with their
//! fingerprints (for the hover's timeline and the `twin/history` request).
//!
//! The trace is read through `history::with_trace`, which keeps it folded in memory and
//! reads only what was appended since; callers run on the worker or a blocking thread.

use std::time::SystemTime;

use super::snapshot::WorkspaceSnapshot;
use crate::diagnostic::Diagnostic;
use crate::history::{Finding, Timestamp, annotate as annotate_findings, fingerprints, with_trace};
use crate::note::VaultPath;
use crate::vault::NoteId;

/// The current time, or `TWIN_NOW` (RFC 3339) when set, as `twin check --record` reads it,
/// so tests can script the clock.
pub fn now() -> SystemTime {
    std::env::var("TWIN_NOW")
        .ok()
        .and_then(|text| Timestamp::parse(&text))
        .map_or_else(SystemTime::now, Timestamp::to_system)
}

/// Ends each diagnostic's message with its age and reopen count when the trace has it
/// open, and raises chronic findings one severity step (`escalate` over the vault's
/// `[history] escalate-after-days`). Each entry holds one note's diagnostics, sorted as
/// `check_vault` sorts them.
pub fn annotate(
    ws: &WorkspaceSnapshot,
    found: &mut [(VaultPath, Vec<Diagnostic>)],
    escalate: Option<u32>,
) {
    if !ws.indexed || found.iter().all(|(_, d)| d.is_empty()) {
        return;
    }
    let escalate = escalate.or(ws.config().history.escalate_after_days);
    let now = Timestamp::from_system(now());
    let vault = ws.vault();
    let _ = with_trace(&vault.root, |trace| {
        if !trace.exists() {
            return;
        }
        for (_, diagnostics) in found.iter_mut().filter(|(_, d)| !d.is_empty()) {
            let findings = fingerprints(diagnostics, vault);
            annotate_findings(diagnostics, &findings, trace.state(), now, escalate);
        }
    });
}

/// Every finding on note `id`: its own rules, run now, and the vault-wide rules' findings
/// as the worker last published them; sorted as `check_vault` sorts them.
pub fn note_findings(ws: &WorkspaceSnapshot, id: NoteId) -> Vec<Diagnostic> {
    let model = &ws.model;
    let vault = ws.vault();
    let mut all = model.check_note(id);
    if let Some(found) = ws.live.vault_findings().get(&vault.note(id).path) {
        all.extend(found.iter().cloned());
    }
    all.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    all
}

/// The findings of note `id` whose span holds `offset`, with their identities.
pub fn findings_at(
    ws: &WorkspaceSnapshot,
    id: NoteId,
    offset: usize,
) -> Vec<(Diagnostic, Finding)> {
    let all = note_findings(ws, id);
    let identities = fingerprints(&all, ws.vault());
    all.into_iter()
        .zip(identities)
        .filter(|(d, _)| {
            let (start, end) = (d.span.start as usize, d.span.end as usize);
            start <= offset && (offset < end || (start == end && offset == start))
        })
        .collect()
}
