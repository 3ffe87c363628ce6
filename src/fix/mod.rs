//! The fix engine: every repair twin can make, computed once as edits in core terms (byte
//! spans, file creations) and served by the language server's code actions and renames
//! and by `twin fix`.
//!
//! Entries: [`plan_fixes`] (what `twin fix` would change in a whole vault),
//! [`quick_fixes`] (an editor's quick fixes in a range of one note),
//! [`group_broken_links`] (`twin check --group-by target`), the renames in [`rename`]
//! and [`apply_file`] (one file written atomically).

pub mod apply;
mod canvas;
pub mod create;
pub mod distance;
pub mod edit;
pub mod extract;
pub mod footnote;
pub mod group;
pub mod inline;
pub mod link;
pub mod moves;
pub mod names;
pub mod plan;
pub mod quick;
pub mod relation;
pub mod rename;
pub mod target;

use std::sync::OnceLock;

use crate::coherence::Coherence;
use crate::config::Config;
use crate::resolve::LinkGraph;
use crate::vault::Vault;

pub use apply::{ApplyOutcome, apply_file};
pub use edit::{FileOp, Fix, TextChange, apply_changes};
pub use group::{TargetGroup, group_broken_links};
pub use moves::KnownMoves;
pub use plan::{FIXABLE, FileChange, FixPlan, PlanOptions, PlannedFix, Unfixable, plan_fixes};
pub use quick::{QuickFix, quick_fixes};
pub use rename::RenameError;

/// Whether a fix is applied by default or only on request (`--unsafe`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    /// The fix restores what the author evidently meant: one candidate, no guess.
    Safe,
    /// The fix is a guess (the closest name), deletes text, or creates a note.
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// What fixes are computed from: the vault's model, its configuration and what is
/// known of renamed notes. Lookup tables are built on first use.
pub struct FixContext<'a> {
    pub vault: &'a Vault,
    pub graph: &'a LinkGraph,
    pub coherence: &'a Coherence,
    pub config: &'a Config,
    pub moves: Option<&'a KnownMoves>,
    names: OnceLock<names::NameTable>,
    style: OnceLock<relation::VaultStyle>,
}

impl<'a> FixContext<'a> {
    /// The fixes of `analysis`'s vault under its configuration.
    pub fn from_analysis(analysis: &'a crate::analysis::Analysis) -> FixContext<'a> {
        FixContext::new(
            &analysis.vault,
            &analysis.graph,
            &analysis.coherence,
            analysis.config(),
        )
    }

    pub fn new(
        vault: &'a Vault,
        graph: &'a LinkGraph,
        coherence: &'a Coherence,
        config: &'a Config,
    ) -> FixContext<'a> {
        FixContext {
            vault,
            graph,
            coherence,
            config,
            moves: None,
            names: OnceLock::new(),
            style: OnceLock::new(),
        }
    }

    /// Uses renames known from the trace (or git) to repair links to old names.
    pub fn with_moves(mut self, moves: &'a KnownMoves) -> FixContext<'a> {
        self.moves = Some(moves);
        self
    }

    pub fn names(&self) -> &names::NameTable {
        self.names
            .get_or_init(|| names::NameTable::build(self.vault))
    }

    pub fn style(&self) -> &relation::VaultStyle {
        self.style.get_or_init(|| relation::VaultStyle::learn(self))
    }
}
