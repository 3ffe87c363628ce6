//! Builds a [`Note`] from its text: frontmatter, markdown walk and the Obsidian scanner.

use std::sync::Arc;

use super::model::*;
use crate::text::LineIndex;

/// Parses one note. Never fails: problems are recorded in [`Note::problems`].
pub fn parse_note(path: VaultPath, text: Arc<str>) -> Note {
    // Placeholder until the parser lands: the model without content.
    Note {
        path,
        line_index: LineIndex::new(&text),
        text,
        frontmatter: None,
        headings: Vec::new(),
        block_ids: Vec::new(),
        links: Vec::new(),
        tags: Vec::new(),
        footnote_refs: Vec::new(),
        footnote_defs: Vec::new(),
        problems: Vec::new(),
    }
}
