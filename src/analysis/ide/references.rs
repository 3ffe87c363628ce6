//! Find references: backlinks to a note, heading or block (from its definition or from any
//! link to it), every use of a tag, a footnote's uses; and the canvases that show or link
//! a note or file.

use super::at_offset::{Place, Symbol, item_at, references, symbol_of};
use crate::analysis::Analysis;
use crate::note::VaultPath;
use crate::resolve::{AnchorResolution, LinkTarget, resolve_canvas_link, resolve_vault_path};
use crate::text::Span;
use crate::vault::{NoteId, Vault};

/// A place in a canvas's JSON text: a `file` node's path string, or a text card's link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanvasPlace {
    pub canvas: VaultPath,
    pub span: Span,
}

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
        let symbol = self.symbol_at(id, offset)?;
        Some(references(
            &self.vault,
            &self.graph,
            &symbol,
            include_declaration,
        ))
    }

    /// The places in canvases that refer to what is at `offset` of note `id`, as
    /// [`Analysis::references`] finds it.
    pub fn canvas_references(&self, id: NoteId, offset: usize) -> Vec<CanvasPlace> {
        self.symbol_at(id, offset)
            .map(|symbol| canvas_places(&self.vault, &symbol))
            .unwrap_or_default()
    }

    fn symbol_at(&self, id: NoteId, offset: usize) -> Option<Symbol> {
        match item_at(self.vault.note(id), offset) {
            Some(item) => symbol_of(&self.vault, &self.graph, id, item),
            None => Some(Symbol::Note(id)),
        }
    }
}

/// Where canvases refer to `symbol`: `file` nodes that show the note or file (for a
/// note, a heading or a block: the note), and text-card links that reach it, in canvas
/// order. Canvases are few; their links are resolved on demand.
pub(super) fn canvas_places(vault: &Vault, symbol: &Symbol) -> Vec<CanvasPlace> {
    let target = match symbol {
        Symbol::Note(id) | Symbol::Heading(id, _) | Symbol::Block(id, _) => LinkTarget::Note(*id),
        Symbol::Attachment(a) => LinkTarget::Attachment(*a),
        Symbol::Tag(_) | Symbol::Footnote(..) => return Vec::new(),
    };
    let anchor_matches = |anchor: &AnchorResolution| match symbol {
        Symbol::Heading(_, h) => *anchor == AnchorResolution::Heading(*h as u32),
        Symbol::Block(_, b) => *anchor == AnchorResolution::Block(*b as u32),
        _ => true,
    };
    let whole_file = matches!(symbol, Symbol::Note(_) | Symbol::Attachment(_));
    let mut out = Vec::new();
    for canvas in &vault.canvases {
        let mut places: Vec<Span> = Vec::new();
        if whole_file {
            places.extend(
                canvas
                    .files
                    .iter()
                    .filter(|f| resolve_vault_path(vault, &f.file).as_ref() == Some(&target))
                    .map(|f| f.span),
            );
        }
        for card in &canvas.links {
            let resolution = resolve_canvas_link(vault, &canvas.path, &card.link);
            if resolution.target.as_ref() == Some(&target) && anchor_matches(&resolution.anchor) {
                places.push(card.link.span);
            }
        }
        places.sort_by_key(|s| (s.start, s.end));
        out.extend(places.into_iter().map(|span| CanvasPlace {
            canvas: canvas.path.clone(),
            span,
        }));
    }
    out
}
