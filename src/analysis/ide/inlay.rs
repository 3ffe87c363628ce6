//! Inlay hints: after a block reference (`[[Note#^id]]`), the first words of the block it
//! points to; after a link whose relation is declared elsewhere (a property or a link
//! section of this note, or the other note's declaration of this one) and so not visible
//! at the link, that relation as an arrow (`↑` upstream, `↓` downstream, `↔` related).

use crate::analysis::Analysis;
use crate::config::Relation;
use crate::note::{LinkSource, Note};
use crate::resolve::{AnchorResolution, LinkTarget};
use crate::text::Span;
use crate::vault::NoteId;

/// At most this many words of a block are shown…
const BLOCK_WORDS: usize = 6;
/// …and at most this many characters.
const BLOCK_CHARS: usize = 40;

/// What a hint says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InlayKind {
    /// The opening words of a referenced block.
    Block,
    /// The link's relation, declared elsewhere.
    Relation(Relation),
}

/// A hint shown at `offset` (just after a link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub kind: InlayKind,
}

/// The arrow a relation is shown as.
pub fn relation_arrow(relation: Relation) -> &'static str {
    match relation {
        Relation::Up => "↑",
        Relation::Down => "↓",
        Relation::Related => "↔",
    }
}

impl Analysis {
    /// The hints of the links of note `id` that end inside `range`.
    pub fn inlay_hints(&self, id: NoteId, range: Span) -> Vec<InlayHint> {
        let note = self.vault.note(id);
        let topology = &self.coherence.topology;
        let own = topology.typed(id);
        let mut out = Vec::new();
        for (j, link) in note.links.iter().enumerate() {
            let end = link.span.end as usize;
            if end < range.start as usize || end > range.end as usize {
                continue;
            }
            let resolution = &self.graph.resolutions[id.0 as usize][j];
            let Some(LinkTarget::Note(to)) = resolution.target else {
                continue;
            };
            if let AnchorResolution::Block(b) = resolution.anchor {
                let label = block_words(self.vault.note(to), b as usize);
                if !label.is_empty() {
                    out.push(InlayHint {
                        offset: end,
                        label,
                        kind: InlayKind::Block,
                    });
                }
            }
            // A typed link shows its relation where it stands; a frontmatter link is one.
            if to == id
                || link.source != LinkSource::Body
                || own.iter().any(|e| e.link as usize == j)
            {
                continue;
            }
            let declared_here = own.iter().find(|e| e.to == to).map(|e| e.relation);
            let declared_there = || {
                topology
                    .typed(to)
                    .iter()
                    .find(|e| e.to == id)
                    .map(|e| e.relation.inverse())
            };
            if let Some(relation) = declared_here.or_else(declared_there) {
                out.push(InlayHint {
                    offset: end,
                    label: relation_arrow(relation).to_string(),
                    kind: InlayKind::Relation(relation),
                });
            }
        }
        out
    }
}

/// The first words of block `b` of `note`, without its `^id`, list marker or quote
/// marks; `…` when cut.
fn block_words(note: &Note, b: usize) -> String {
    let block = &note.block_ids[b];
    let text = note
        .text
        .get(block.block_span.start as usize..block.span.start as usize)
        .unwrap_or("");
    let words: Vec<&str> = text
        .split_whitespace()
        .skip_while(|w| matches!(*w, "-" | "*" | "+" | ">") || is_ordinal(w))
        .filter(|w| *w != ">")
        .collect();
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let next = out.chars().count() + usize::from(i > 0) + word.chars().count();
        if i == BLOCK_WORDS || next > BLOCK_CHARS {
            if out.is_empty() {
                out = word.chars().take(BLOCK_CHARS).collect();
            }
            out.push('…');
            return out;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `1.` or `2)`: an ordered list's marker.
fn is_ordinal(word: &str) -> bool {
    let digits = word.trim_end_matches(['.', ')']);
    digits.len() + 1 == word.len()
        && !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests;
