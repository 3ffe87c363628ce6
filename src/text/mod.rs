//! Text primitives shared by every layer: byte spans, the line index and word analysis.

pub mod analyze;
mod line_index;
mod span;

pub use line_index::{ColumnEncoding, LineCol, LineIndex};
pub use span::Span;
