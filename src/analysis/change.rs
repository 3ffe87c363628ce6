//! What can change in a vault after it is loaded, and what a batch of changes affected.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::note::{Note, VaultPath};
use crate::vault::{Canvas, SkippedFile};

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
    /// A canvas file was read (it appeared or changed); it is also an attachment, added
    /// with [`Change::AddAttachment`] and removed with [`Change::RemoveAttachment`].
    Canvas(Canvas),
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
