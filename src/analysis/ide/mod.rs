//! What an editor asks of an analysis, in core terms (note ids, byte offsets and spans):
//! the item at an offset and the symbol it stands for, where it is defined, who refers to
//! it, a hover's text, the reference counts a lens shows, fuzzy matching, and the writing
//! aids' suggestions (callout types, names not written yet, any block or heading, daily notes). The language server converts
//! positions at its edge and calls these; one function per feature.

mod at_offset;
mod callouts;
mod daily;
mod definition;
pub mod fuzzy;
mod hover;
mod inlay;
mod lenses;
mod moment;
mod references;
mod suggestion;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_canvas;
#[cfg(test)]
mod tests_writing;
mod unresolved;
mod vault_anchors;

pub use at_offset::{
    Item, LinkPart, Place, Symbol, declaration, item_at, references as symbol_references,
    symbol_links, symbol_of,
};
pub use daily::{DailyNote, daily_note, parse_day};
pub use definition::Target;
pub use hover::HoverText;
pub use inlay::{InlayHint, InlayKind, relation_arrow};
pub use lenses::ReferenceLens;
pub use references::CanvasPlace;
pub use suggestion::{
    Insert, LinkAnchor, NewBlockId, Suggestion, SuggestionKind, link_span, typed_link_name,
};
pub use vault_anchors::MAX_ANCHORS;
