//! Text primitives shared by every layer: byte spans and the line index.

mod line_index;
mod span;

pub use line_index::{ColumnEncoding, LineCol, LineIndex};
pub use span::Span;
