//! Unit tests of the history core, on in-memory vaults rooted in temporary folders.

mod fingerprint;
mod lifecycle;
mod trace_file;
mod trend;

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use crate::coherence::Coherence;
use crate::config::Config;
use crate::note::parse_note;
use crate::resolve::build_link_graph;
use crate::rules::{Diagnostic, check_vault};
use crate::vault::Vault;

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

/// Every finding of `vault` under the default configuration.
pub(crate) fn check(vault: &Vault) -> Vec<Diagnostic> {
    let config = Config::default();
    let graph = build_link_graph(vault);
    let coherence = Coherence::build(vault, &graph, &config);
    check_vault(vault, &graph, &coherence, &config)
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
