//! What an editor asks of an analysis, in core terms (note ids, byte offsets and spans):
//! the item at an offset and the symbol it stands for, where it is defined, who refers to
//! it, a hover's text, the reference counts a lens shows, and fuzzy matching. The language
//! server converts positions at its edge and calls these; one function per feature.

mod at_offset;
mod definition;
pub mod fuzzy;
mod hover;
mod lenses;
mod references;
#[cfg(test)]
mod tests;

pub use at_offset::{
    Item, LinkPart, Place, Symbol, declaration, item_at, references as symbol_references,
    symbol_links, symbol_of,
};
pub use definition::Target;
pub use hover::HoverText;
pub use lenses::ReferenceLens;
