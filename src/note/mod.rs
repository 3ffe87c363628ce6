//! One note: its model (frontmatter, headings, links, tags, footnotes) and the parser that builds it.
//!
//! Everything here is plain data with byte [`Span`]s into the note's text. Parsing never
//! fails: whatever the parser cannot make sense of becomes a [`ParseProblem`].
//!
//! [`Span`]: crate::text::Span

mod blocks;
#[cfg(test)]
mod cpu_clock;
mod footnotes;
mod frontmatter;
mod lex;
mod links;
mod markdown;
mod model;
mod parse;
mod scanner;
mod wikilink;
mod yaml;
mod yaml_fast;
mod zones;

pub use model::*;
pub use parse::parse_note;
