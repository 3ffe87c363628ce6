//! One workspace's vault model: the notes, the name index and the resolved link graph.
//!
//! The model changes only through [`Model::apply`], which the state owner calls with
//! the notes that changed; it reports which notes need their diagnostics recomputed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::coherence::Coherence;
use crate::config::Config;
use crate::note::{Note, VaultPath};
use crate::resolve::{LinkGraph, build_link_graph};
use crate::vault::{SkippedFile, Vault};

/// A change to the files of a vault.
#[derive(Clone, Debug)]
pub enum Change {
    /// A note was created or its text changed.
    Upsert(Arc<Note>),
    /// A note was deleted.
    Remove(VaultPath),
    /// A non-markdown file appeared.
    AddAttachment(VaultPath),
    /// A non-markdown file went away.
    RemoveAttachment(VaultPath),
    /// A markdown file could not be read.
    Skip(SkippedFile),
}

/// What a batch of changes did.
#[derive(Clone, Debug, Default)]
pub struct Effect {
    /// Notes whose per-note findings may have changed.
    pub recheck: BTreeSet<VaultPath>,
    /// Notes that are gone; their findings must be cleared.
    pub removed: BTreeSet<VaultPath>,
    /// Names, aliases or skipped files changed: vault-wide rules must run again.
    pub vault_rules: bool,
}

impl Effect {
    pub fn merge(&mut self, other: Effect) {
        for path in other.removed {
            self.recheck.remove(&path);
            self.removed.insert(path);
        }
        for path in other.recheck {
            self.removed.remove(&path);
            self.recheck.insert(path);
        }
        self.vault_rules |= other.vault_rules;
    }

    pub fn is_empty(&self) -> bool {
        self.recheck.is_empty() && self.removed.is_empty() && !self.vault_rules
    }
}

/// The vault, its link graph and its coherence model, always consistent with each other.
#[derive(Clone, Debug)]
pub struct Model {
    pub vault: Vault,
    pub graph: LinkGraph,
    pub coherence: Coherence,
    /// The configuration the coherence model was built with.
    pub config: Arc<Config>,
}

impl Model {
    pub fn empty(root: PathBuf) -> Model {
        let vault = Vault::from_parts(root, Vec::new(), Vec::new(), Vec::new());
        Model::new(vault, Arc::new(Config::default()))
    }

    pub fn new(vault: Vault, config: Arc<Config>) -> Model {
        let graph = build_link_graph(&vault);
        let coherence = Coherence::build(&vault, &graph, &config);
        Model {
            vault,
            graph,
            coherence,
            config,
        }
    }

    /// Uses another configuration: the coherence model depends on it.
    pub fn set_config(&mut self, config: Arc<Config>) {
        self.coherence = Coherence::build(&self.vault, &self.graph, &config);
        self.config = config;
    }

    /// Applies changes and returns what they affected.
    pub fn apply(&mut self, changes: Vec<Change>) -> Effect {
        crate::lsp::incremental::apply(self, changes)
    }

    /// Every note's path.
    pub fn all_paths(&self) -> BTreeSet<VaultPath> {
        self.vault.notes.iter().map(|n| n.path.clone()).collect()
    }
}
