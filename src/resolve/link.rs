//! Resolves one link of one note to a note, a heading, a block or an attachment.

use crate::note::Link;
use crate::vault::{AttachmentId, NoteId, Vault};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    Note(NoteId),
    Attachment(AttachmentId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorResolution {
    /// The link has no anchor.
    None,
    /// Index into the target note's headings.
    Heading(usize),
    /// Index into the target note's block ids.
    Block(usize),
    /// The anchor names a heading or block the target does not have.
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkResolution {
    /// `None` when the link is broken (or would leave the vault).
    pub target: Option<LinkTarget>,
    pub anchor: AnchorResolution,
    /// When a bare name matched several notes: all of them, the chosen one first.
    pub candidates: Vec<NoteId>,
    /// The target would resolve outside the vault (`../..`); it is broken.
    pub outside_vault: bool,
}

/// Resolves `link`, written in note `from`, against the vault.
pub fn resolve_link(_vault: &Vault, _from: NoteId, _link: &Link) -> LinkResolution {
    LinkResolution {
        target: None,
        anchor: AnchorResolution::None,
        candidates: Vec::new(),
        outside_vault: false,
    }
}
