//! The microconflict history: the lifecycle of every finding over time (opened, resolved,
//! reopened), kept in the vault as `.twin/trace.jsonl` so it is versioned with the notes,
//! plus each note's drift anchor.
//!
//! - [`fingerprint`](mod@fingerprint): a finding's identity across edits (code, path, subject, occurrence).
//! - [`trace`](mod@trace): the file: parallel incremental reading, locked appends, torn-line repair.
//! - [`record`](mod@record): diffing a run against the open set; renames; anchor events
//!   (the signatures come from `coherence::signatures`: history stores, it does not analyze).
//! - [`surface`], [`query`], [`trend`](mod@trend), [`baseline`]: what reports and `twin history` show.
//!
//! Nothing here knows the CLI or LSP; times come in as `SystemTime`/[`Timestamp`] so tests
//! can script the clock. Nothing is written unless a caller records, re-anchors, renames
//! or compacts.
//!
//! For the language server:
//! - on save (setting `history.record`): `Analysis::record` with every diagnostic of the
//!   vault (or with only some notes' diagnostics and those notes named);
//! - a note renamed (`willRenameFiles`, rename): [`rename_path`] before recording again;
//! - "Re-anchor this note": `Analysis::reanchor`, then `Analysis::update_coherence`;
//! - hover: [`fingerprints`] gives each diagnostic's [`Fp`], [`timeline`] its events and
//!   [`surface::age`] its age; [`annotate`] suffixes messages and escalates as `twin
//!   check` does (`config.history.escalate_after_days`).

pub mod baseline;
pub mod compact;
pub mod event;
pub mod filter;
pub mod fingerprint;
pub mod record;
pub mod state;
pub mod surface;
pub mod time;
pub mod trace;
pub mod trend;

#[cfg(test)]
mod tests;

pub use baseline::Baseline;
pub use compact::CompactSummary;
pub use event::{Event, EventKind, OwnedEvent};
pub use filter::{EventFilter, events, timeline};
pub use fingerprint::{Finding, Fp, fingerprint, fingerprints};
pub use record::{
    RecordOptions, RecordSummary, Signatures, anchor_event, diff, move_text, reanchor, record,
    record_with, rename_events, rename_path, score_event,
};
pub use state::{Anchor, FindingState, OpenFinding, TraceState};
pub use surface::{Age, annotate};
pub use time::Timestamp;
pub use trace::{TRACE_FILE, Trace, TraceLock, append, lock, with_trace};
pub use trend::{Trend, trend};

use std::io;
use std::path::Path;
use std::time::SystemTime;

/// Days of closed findings `twin history --compact` keeps by default.
pub const DEFAULT_KEEP_DAYS: u32 = 90;

/// Compacts the vault's trace (see [`compact`](mod@compact)), taking the lock.
pub fn compact(root: &Path, now: SystemTime, keep_days: u32) -> io::Result<CompactSummary> {
    let lock = lock(root)?;
    compact::compact_locked(&lock, Timestamp::from_system(now), keep_days)
}
