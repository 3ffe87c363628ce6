//! Unit tests of the history core, on in-memory vaults rooted in temporary folders.

mod fingerprint;
mod lifecycle;
mod trace_file;
mod trend;

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use crate::analysis::Analysis;
use crate::coherence::signatures;
use crate::diagnostic::Diagnostic;
use crate::note::parse_note;
use crate::vault::{NoteId, Vault};

use super::RecordSummary;

use super::event::OwnedEvent;
use super::time::{DAY, Timestamp};
use super::trace::{read_events, trace_path};

/// A vault of `notes` (path, text) rooted at `root`.
pub(crate) fn vault(root: &Path, notes: &[(&str, &str)]) -> Vault {
    let notes = notes
        .iter()
        .map(|(path, text)| Arc::new(parse_note((*path).into(), Arc::from(*text))))
        .collect();
    Vault::from_parts(root.to_path_buf(), notes, Vec::new(), Vec::new())
}

/// Every finding of `vault` under the default configuration, with `orphan-note` turned on
/// (as the `zettelkasten` pack does): its subject is a note's own path, which these tests follow.
pub(crate) fn check(vault: &Vault) -> Vec<Diagnostic> {
    let mut rulebook = crate::rules::Rulebook::default();
    rulebook.config.rules.insert(
        "orphan-note".to_owned(),
        crate::config::RuleLevel::On(crate::diagnostic::Severity::Info),
    );
    Analysis::from_vault(vault.clone(), Arc::new(rulebook)).check(None)
}

/// Records `diagnostics` as `twin check --record` does, anchoring new notes.
pub(crate) fn record(
    root: &Path,
    diagnostics: &[Diagnostic],
    vault: &Vault,
    now: SystemTime,
) -> io::Result<RecordSummary> {
    let signatures = |ids: &[NoteId]| signatures(vault, None, ids);
    super::record(root, diagnostics, vault, &signatures, now)
}

/// A scripted clock: day `n` after 2025-01-01, at noon UTC.
pub(crate) fn day(n: i64) -> SystemTime {
    Timestamp(1_735_732_800 + n * DAY).to_system()
}

/// Every event in the trace, in file order.
pub(crate) fn trace_events(root: &Path) -> Vec<OwnedEvent> {
    let mut out = Vec::new();
    read_events(&trace_path(root), |e| out.push(e.into_owned())).expect("trace reads");
    out
}
