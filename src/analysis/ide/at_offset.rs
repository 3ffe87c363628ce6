//! What is at a byte offset of a note, the symbol it stands for, and who refers to it.

use crate::note::{Note, tag_key, tag_matches};
use crate::resolve::{AnchorResolution, LinkGraph, LinkTarget};
use crate::text::Span;
use crate::vault::{NoteId, Vault};

/// The part of a link under the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPart {
    Target,
    Anchor,
    Other,
}

/// The thing under the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Link(usize, LinkPart),
    Tag(usize),
    FootnoteRef(usize),
    FootnoteDef(usize),
    BlockId(usize),
    Heading(usize),
    Alias(usize),
}

/// The item at `offset`, links first since they may contain anything else.
pub fn item_at(note: &Note, offset: usize) -> Option<Item> {
    if let Some(i) = note
        .links
        .iter()
        .position(|l| l.span.touches(offset) && offset < l.span.end as usize)
    {
        let link = &note.links[i];
        let part = if link.target_span.touches(offset) && !link.target(&note.text).is_empty() {
            LinkPart::Target
        } else if link.anchor.as_ref().is_some_and(|a| a.span.touches(offset)) {
            LinkPart::Anchor
        } else if link.target_span.touches(offset) {
            LinkPart::Target
        } else {
            LinkPart::Other
        };
        return Some(Item::Link(i, part));
    }
    let touches = |span: Span| span.touches(offset);
    if let Some(i) = note.tags.iter().position(|t| touches(t.span)) {
        return Some(Item::Tag(i));
    }
    if let Some(i) = note.footnote_refs.iter().position(|r| touches(r.span)) {
        return Some(Item::FootnoteRef(i));
    }
    if let Some(i) = note.footnote_defs.iter().position(|d| touches(d.span)) {
        return Some(Item::FootnoteDef(i));
    }
    if let Some(i) = note.block_ids.iter().position(|b| touches(b.span)) {
        return Some(Item::BlockId(i));
    }
    if let Some(i) = note.aliases().iter().position(|a| touches(a.span)) {
        return Some(Item::Alias(i));
    }
    note.headings
        .iter()
        .position(|h| h.span.contains(offset) || h.text_span.touches(offset))
        .map(Item::Heading)
}

/// What a reference points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    Note(NoteId),
    Heading(NoteId, usize),
    Block(NoteId, usize),
    Attachment(crate::vault::AttachmentId),
    /// A tag, lowercased, without `#`.
    Tag(String),
    Footnote(NoteId, String),
}

/// The symbol an item stands for: a link's target, a heading, a tag.
pub fn symbol_of(vault: &Vault, graph: &LinkGraph, id: NoteId, item: Item) -> Option<Symbol> {
    let note = vault.note(id);
    Some(match item {
        Item::Link(i, part) => {
            let resolution = graph.resolutions.get(id.0 as usize)?.get(i)?;
            match resolution.target.clone()? {
                LinkTarget::Attachment(a) => Symbol::Attachment(a),
                LinkTarget::Note(target) => match (&resolution.anchor, part) {
                    (AnchorResolution::Heading(h), LinkPart::Anchor | LinkPart::Other) => {
                        Symbol::Heading(target, *h as usize)
                    }
                    (AnchorResolution::Block(b), LinkPart::Anchor | LinkPart::Other) => {
                        Symbol::Block(target, *b as usize)
                    }
                    _ => Symbol::Note(target),
                },
            }
        }
        Item::Tag(i) => Symbol::Tag(tag_key(&note.tags[i].name)),
        Item::FootnoteRef(i) => Symbol::Footnote(id, note.footnote_refs[i].label.clone()),
        Item::FootnoteDef(i) => Symbol::Footnote(id, note.footnote_defs[i].label.clone()),
        Item::BlockId(i) => Symbol::Block(id, i),
        Item::Heading(i) => Symbol::Heading(id, i),
        Item::Alias(_) => Symbol::Note(id),
    })
}

/// A place in a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub note: NoteId,
    pub span: Span,
}

/// Every link (source note, link index) that refers to the symbol.
pub fn symbol_links(graph: &LinkGraph, symbol: &Symbol) -> Vec<(NoteId, usize)> {
    match symbol {
        Symbol::Note(id) => graph.links_to_note(*id),
        Symbol::Heading(id, h) => graph.links_to_heading(*id, *h),
        Symbol::Block(id, b) => graph.links_to_block(*id, *b),
        Symbol::Attachment(a) => graph
            .resolutions
            .iter()
            .enumerate()
            .flat_map(|(src, links)| {
                links.iter().enumerate().filter_map(move |(j, r)| {
                    (r.target == Some(LinkTarget::Attachment(*a)))
                        .then_some((NoteId(src as u32), j))
                })
            })
            .collect(),
        Symbol::Tag(_) | Symbol::Footnote(..) => Vec::new(),
    }
}

/// The span a reference to the symbol shows: for links, the whole link.
pub fn references(
    vault: &Vault,
    graph: &LinkGraph,
    symbol: &Symbol,
    include_declaration: bool,
) -> Vec<Place> {
    let mut out = Vec::new();
    if include_declaration && let Some(place) = declaration(vault, symbol) {
        out.push(place);
    }
    match symbol {
        Symbol::Tag(key) => {
            for id in vault.note_ids() {
                for tag in &vault.note(id).tags {
                    if tag_matches(&tag.name, key) {
                        out.push(Place {
                            note: id,
                            span: tag.span,
                        });
                    }
                }
            }
        }
        Symbol::Footnote(id, label) => {
            for r in vault
                .note(*id)
                .footnote_refs
                .iter()
                .filter(|r| r.label == *label)
            {
                out.push(Place {
                    note: *id,
                    span: r.span,
                });
            }
        }
        _ => {
            for (src, j) in symbol_links(graph, symbol) {
                out.push(Place {
                    note: src,
                    span: vault.note(src).links[j].span,
                });
            }
        }
    }
    out
}

/// Where a symbol is defined.
pub fn declaration(vault: &Vault, symbol: &Symbol) -> Option<Place> {
    match symbol {
        Symbol::Note(id) => Some(Place {
            note: *id,
            span: Span::empty(0),
        }),
        Symbol::Heading(id, h) => Some(Place {
            note: *id,
            span: vault.note(*id).headings.get(*h)?.span,
        }),
        Symbol::Block(id, b) => Some(Place {
            note: *id,
            span: vault.note(*id).block_ids.get(*b)?.block_span,
        }),
        Symbol::Footnote(id, label) => {
            let def = vault
                .note(*id)
                .footnote_defs
                .iter()
                .find(|d| d.label == *label && !d.malformed)?;
            Some(Place {
                note: *id,
                span: def.span,
            })
        }
        Symbol::Attachment(_) | Symbol::Tag(_) => None,
    }
}
