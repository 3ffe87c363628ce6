//! Edits that fix findings, as byte-span changes with no LSP types, so a later
//! `twin fix` can reuse them. This belongs in `src/fix/` once the CLI needs it.

use crate::note::VaultPath;
use crate::text::Span;

/// Replace `span` of a note's text with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub span: Span,
    pub new_text: String,
}

/// One operation on the files of a vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOp {
    Edit { path: VaultPath, changes: Vec<TextChange> },
    Create { path: VaultPath, text: String },
    Rename { from: VaultPath, to: VaultPath },
}

/// A titled set of operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub ops: Vec<FileOp>,
    pub preferred: bool,
}
