//! Text primitives shared by every layer: byte spans, the line index, character bags.

mod bag;
mod line_index;
mod span;

pub use bag::{head_bag, word_bag};
pub use line_index::{ColumnEncoding, LineCol, LineIndex};
pub use span::Span;
