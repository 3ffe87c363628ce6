//! Go to definition: a link's target note, heading or block; a footnote's definition; on a
//! tag, every place the tag is used.

use super::at_offset::{
    Item, LinkPart, Place, Symbol, declaration, item_at, references, symbol_of,
};
use crate::analysis::Analysis;
use crate::resolve::{LinkGraph, LinkTarget, resolve_link};
use crate::vault::{AttachmentId, NoteId, Vault};

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
        definition(&self.vault, &self.graph, id, offset)
    }

    /// [`Analysis::definition`], also before the links are resolved (the first stage of a
    /// staged load, [`Analysis::load_names_cached`]): then the links of note `id` are
    /// resolved on the spot against the complete name index, as the whole graph would
    /// resolve them. `None` when the answer needs every note's links (a tag's uses).
    pub fn definition_unresolved(&self, id: NoteId, offset: usize) -> Option<Vec<Target>> {
        if self.is_resolved() {
            return Some(self.definition(id, offset));
        }
        let vault = &self.vault;
        let note = vault.note(id);
        if let Some(Item::Tag(_)) = item_at(note, offset) {
            return None;
        }
        let mut resolutions = vec![Vec::new(); vault.notes.len()];
        resolutions[id.0 as usize] = note
            .links
            .iter()
            .map(|link| resolve_link(vault, id, link))
            .collect();
        let graph = LinkGraph {
            resolutions,
            ..LinkGraph::default()
        };
        Some(definition(vault, &graph, id, offset))
    }
}

/// The definitions of what is at `offset` of note `id`, with the links of `graph`.
fn definition(vault: &Vault, graph: &LinkGraph, id: NoteId, offset: usize) -> Vec<Target> {
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
                (_, symbol @ Some(Symbol::Note(_) | Symbol::Heading(..) | Symbol::Block(..))) => {
                    places(symbol)
                }
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
        Item::FootnoteDef(_) | Item::BlockId(_) | Item::Heading(_) | Item::Alias(_) => Vec::new(),
    }
}
