//! A completion suggestion in core terms: what to show, the span of the current note it
//! replaces, what it writes there, and an edit another note needs first (a new block id).
//! Links are described, not written: the edge writes them in the vault's link format.

use crate::note::{Note, VaultPath};
use crate::text::Span;

/// What a suggestion stands for; the server maps it to a completion kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestionKind {
    /// A note that does not exist yet, though other notes link to it.
    Unresolved,
    Heading,
    Block,
    Callout,
    /// A daily note (`today`, `next monday`), which may not exist yet.
    Daily,
}

/// What choosing a suggestion writes over its `replace` span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Insert {
    Text(String),
    /// A link (an embed when `embed`) to the note at `path`, which may not exist yet.
    Link {
        path: VaultPath,
        anchor: Option<LinkAnchor>,
        embed: bool,
    },
    /// A wikilink by name to a note nobody has written yet.
    Name {
        name: String,
        embed: bool,
    },
}

/// What a suggested link points to inside its note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkAnchor {
    /// A heading, as its source text reads (the edge writes it as Obsidian's suggester does).
    Heading(String),
    /// A block id, without its `^`.
    Block(String),
}

/// One completion item, in the order the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub label: String,
    pub kind: SuggestionKind,
    pub detail: Option<String>,
    /// The text of the current note that choosing it replaces.
    pub replace: Span,
    pub insert: Insert,
    /// The text the client filters on: what is written from `replace`'s start.
    pub filter: String,
    /// An edit to another note that choosing it needs (a block id for an unnamed block).
    pub new_block_id: Option<NewBlockId>,
}

/// A block id to write into another note when a suggestion is chosen: `text` inserted
/// at byte `offset` of the note at `note`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBlockId {
    pub note: VaultPath,
    pub offset: usize,
    pub text: String,
}

/// The span a link suggestion replaces when `[[` starts at `open` and the cursor is at
/// `offset`: from the `!` of an embed to the closing `]]` right after the cursor.
pub fn link_span(note: &Note, open: usize, offset: usize) -> (Span, bool) {
    let text = &note.text;
    let embed = open > 0 && text.as_bytes()[open - 1] == b'!';
    let end = if text[offset..].starts_with("]]") {
        offset + 2
    } else {
        offset
    };
    let start = if embed { open - 1 } else { open };
    (Span::new(start, end), embed)
}

/// The `[[` before the cursor and the name typed after it, when the cursor is in the
/// note part of an unclosed wikilink on its line (no `|`, `#` or `]]` yet).
pub fn typed_link_name(note: &Note, offset: usize) -> Option<(usize, &str)> {
    let text = &note.text[..offset];
    let line_start = text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let open = line_start + text[line_start..].rfind("[[")?;
    let name = &text[open + 2..];
    (!name.contains(['|', '#']) && !name.contains("]]")).then_some((open, name))
}
