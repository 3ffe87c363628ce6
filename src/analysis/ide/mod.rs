//! What an editor asks of an analysis, in core terms (note ids, byte offsets and spans):
//! the item at an offset and the symbol it stands for, where it is defined, who refers to
//! it, a hover's text, the reference counts a lens shows, fuzzy matching, and the writing
//! aids' suggestions (callout types, names not written yet). The language server converts
//! positions at its edge and calls these; one function per feature.

mod at_offset;
mod callouts;
mod definition;
pub mod fuzzy;
mod hover;
mod inlay;
mod lenses;
mod references;
mod suggestion;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_writing;
mod unresolved;

pub use at_offset::{
    Item, LinkPart, Place, Symbol, declaration, item_at, references as symbol_references,
    symbol_links, symbol_of,
};
pub use definition::Target;
pub use hover::HoverText;
pub use inlay::{InlayHint, InlayKind, relation_arrow};
pub use lenses::ReferenceLens;
pub use suggestion::{Insert, NewBlockId, Suggestion, SuggestionKind, link_span, typed_link_name};
