//! One note: its model (frontmatter, headings, links, tags, footnotes) and the parser that builds it.
//!
//! Everything here is plain data with byte [`Span`]s into the note's text. Parsing never
//! fails: whatever the parser cannot make sense of becomes a [`ParseProblem`].
//!
//! How the parser reads a note, where Obsidian leaves room for choice:
//!
//! - Frontmatter needs a closing `---` or `...` line. Without one the opening `---` is a
//!   thematic break, reported as `FrontmatterInvalid` only if the next line looks like
//!   `key:`. Flat, plain frontmatter takes a fast path; everything else goes through
//!   serde-saphyr with depth, budget and alias limits.
//! - `tags`/`tag` and `aliases`/`alias` keys match case-insensitively and every such
//!   entry counts, duplicates included; `title` and `description` match exactly and
//!   the last one wins, as with [`Frontmatter::get`].
//! - Wikilinks, tags and footnotes are read from the raw text, skipping code, math,
//!   HTML and `%%comments%%`; tags are also skipped inside markdown links and URLs.
//! - Markdown links are kept only when internal: no URL scheme, no `//host`, no `www.`.
//! - Block ids are ASCII letters, digits and `-`. An id in a list item names the item;
//!   in a blockquote, the outermost quote; alone on its line, the block above.
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
