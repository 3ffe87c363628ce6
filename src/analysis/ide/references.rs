//! Find references: backlinks to a note, heading or block (from its definition or from any
//! link to it), every use of a tag, a footnote's uses.

use super::at_offset::{Place, Symbol, item_at, references, symbol_of};
use crate::analysis::Analysis;
use crate::vault::NoteId;

impl Analysis {
    /// Every place that refers to what is at `offset` of note `id` (anywhere that is no
    /// symbol stands for the note itself), with its definition first when
    /// `include_declaration`. `None` when the item there refers to nothing resolvable.
    pub fn references(
        &self,
        id: NoteId,
        offset: usize,
        include_declaration: bool,
    ) -> Option<Vec<Place>> {
        let (vault, graph) = (&self.vault, &self.graph);
        let symbol = match item_at(vault.note(id), offset) {
            Some(item) => symbol_of(vault, graph, id, item)?,
            None => Symbol::Note(id),
        };
        Some(references(vault, graph, &symbol, include_declaration))
    }
}
