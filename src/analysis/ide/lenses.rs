//! Reference lenses: how many links reach the note and each of its headings, and from where.

use super::at_offset::{Place, Symbol, symbol_links};
use crate::analysis::Analysis;
use crate::text::Span;
use crate::vault::NoteId;

/// A count shown above a note or heading, with the links it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceLens {
    /// Where the lens sits: the note's start, or a heading.
    pub span: Span,
    /// Each link counted: its note and its whole span.
    pub links: Vec<Place>,
}

impl Analysis {
    /// The lens of note `id` (at its start) and of each of its headings.
    pub fn reference_lenses(&self, id: NoteId) -> Vec<ReferenceLens> {
        let note = self.vault.note(id);
        let lens = |span: Span, symbol: Symbol| ReferenceLens {
            span,
            links: symbol_links(&self.graph, &symbol)
                .into_iter()
                .map(|(src, j)| Place {
                    note: src,
                    span: self.vault.note(src).links[j].span,
                })
                .collect(),
        };
        std::iter::once(lens(Span::empty(0), Symbol::Note(id)))
            .chain(
                note.headings
                    .iter()
                    .enumerate()
                    .map(|(h, heading)| lens(heading.span, Symbol::Heading(id, h))),
            )
            .collect()
    }
}
