//! Go to definition: a link's target note, heading or block; a footnote's definition; on a
//! tag, every place the tag is used.

use super::at_offset::{
    Item, LinkPart, Place, Symbol, declaration, item_at, references, symbol_of,
};
use crate::analysis::Analysis;
use crate::resolve::LinkTarget;
use crate::vault::{AttachmentId, NoteId};

/// Where a definition is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A place in a note.
    Place(Place),
    /// An attachment (a file that is not a note), as a whole.
    Attachment(AttachmentId),
}

impl Analysis {
    /// The definitions of what is at `offset` of note `id`; empty where nothing is defined.
    pub fn definition(&self, id: NoteId, offset: usize) -> Vec<Target> {
        let (vault, graph) = (&self.vault, &self.graph);
        let Some(item) = item_at(vault.note(id), offset) else {
            return Vec::new();
        };
        let places = |symbol: Option<Symbol>| -> Vec<Target> {
            symbol
                .and_then(|s| declaration(vault, &s))
                .map(Target::Place)
                .into_iter()
                .collect()
        };
        match item {
            Item::Link(i, _) => {
                let resolution = &graph.resolutions[id.0 as usize][i];
                // Wherever the cursor is in the link, its anchor is where it leads.
                let whole = Item::Link(i, LinkPart::Other);
                match (&resolution.target, symbol_of(vault, graph, id, whole)) {
                    (Some(LinkTarget::Attachment(a)), _) => vec![Target::Attachment(*a)],
                    (
                        _,
                        symbol @ Some(Symbol::Note(_) | Symbol::Heading(..) | Symbol::Block(..)),
                    ) => places(symbol),
                    _ => Vec::new(),
                }
            }
            Item::FootnoteRef(_) => places(symbol_of(vault, graph, id, item)),
            Item::Tag(_) => match symbol_of(vault, graph, id, item) {
                Some(symbol) => references(vault, graph, &symbol, false)
                    .into_iter()
                    .map(Target::Place)
                    .collect(),
                None => Vec::new(),
            },
            Item::FootnoteDef(_) | Item::BlockId(_) | Item::Heading(_) | Item::Alias(_) => {
                Vec::new()
            }
        }
    }
}
