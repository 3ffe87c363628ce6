//! The data model of one parsed note.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::text::{LineIndex, Span};

/// A note's path inside the vault: relative, `/`-separated, with its extension.
pub type VaultPath = Arc<str>;

/// One parsed markdown note.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Note {
    /// Path, text and line index are not serialized: the check cache keeps a note's parse
    /// under its path and rebuilds the rest from the file it reads anyway.
    #[serde(skip)]
    pub path: VaultPath,
    #[serde(skip)]
    pub text: Arc<str>,
    #[serde(skip)]
    pub line_index: LineIndex,
    pub frontmatter: Option<Frontmatter>,
    pub headings: Vec<Heading>,
    pub block_ids: Vec<BlockId>,
    /// The blocks a link can name, in document order (nested list items after their parent).
    pub blocks: Vec<Block>,
    /// Links in document order: body links first by offset, then frontmatter links.
    pub links: Vec<Link>,
    /// Inline tags and frontmatter tags, in document order.
    pub tags: Vec<Tag>,
    pub footnote_refs: Vec<FootnoteRef>,
    pub footnote_defs: Vec<FootnoteDef>,
    /// Code blocks (fenced and indented), inline code, math and raw HTML, sorted: where
    /// neither Obsidian syntax nor prose applies.
    pub code: Vec<Span>,
    /// `%%comment%%` ranges, markers included; an unclosed `%%` runs to the end of the note.
    pub comments: Vec<Span>,
    /// `> [!type] Title` callouts in document order, nested ones included.
    pub callouts: Vec<Callout>,
    /// Things the parser could not accept: bad YAML, duplicate keys, malformed definitions.
    pub problems: Vec<ParseProblem>,
    /// Headings and block ids by the keys link resolution compares, built on first use
    /// for a note with many of them; empty until then.
    #[serde(skip)]
    pub anchor_index: OnceLock<AnchorIndex>,
}

/// A note's headings and block ids by normalized text, so that resolving thousands of
/// anchors into one long note does not scan its headings for each.
#[derive(Clone, Debug, Default)]
pub struct AnchorIndex {
    /// Normalized heading text → indices into `headings`, ascending.
    pub headings: FxHashMap<Box<str>, Vec<u32>>,
    /// Normalized block id → index into `block_ids` of its first occurrence.
    pub blocks: FxHashMap<Box<str>, u32>,
}

impl Note {
    /// Where the note says what it is: its `title` value, else its first heading, else its
    /// start. Findings about the note as a whole point here.
    pub fn identity_span(&self) -> Span {
        let title = self
            .frontmatter
            .as_ref()
            .and_then(|fm| fm.get("title"))
            .map(|entry| entry.value.span);
        title
            .or_else(|| self.headings.first().map(|h| h.text_span))
            .unwrap_or(Span::empty(0))
    }

    /// Gives back the spare capacity of every list: a vault keeps thousands of notes for
    /// its whole life, and parsing grows the lists by doubling.
    pub fn shrink_to_fit(&mut self) {
        self.headings.shrink_to_fit();
        self.block_ids.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.links.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.footnote_refs.shrink_to_fit();
        self.footnote_defs.shrink_to_fit();
        self.code.shrink_to_fit();
        self.comments.shrink_to_fit();
        self.callouts.shrink_to_fit();
        self.problems.shrink_to_fit();
        if let Some(frontmatter) = &mut self.frontmatter {
            frontmatter.entries.shrink_to_fit();
        }
        // Strings built by pushing keep spare room too (1.6 of the 26.6 MB the help vault's
        // parsed notes take; a note decoded from the check cache has none).
        for heading in &mut self.headings {
            heading.text.shrink_to_fit();
        }
        for block in &mut self.block_ids {
            block.id.shrink_to_fit();
        }
        for tag in &mut self.tags {
            tag.name.shrink_to_fit();
        }
        for def in &mut self.footnote_defs {
            def.content.shrink_to_fit();
        }
    }

    /// The note's name as Obsidian shows it: the file name without `.md`.
    pub fn name(&self) -> &str {
        note_name(&self.path)
    }

    /// The `title` property when present, else the file name.
    pub fn title(&self) -> &str {
        self.frontmatter
            .as_ref()
            .and_then(|fm| fm.title())
            .unwrap_or_else(|| self.name())
    }

    pub fn aliases(&self) -> &[Alias] {
        self.frontmatter
            .as_ref()
            .map_or(&[][..], |fm| fm.aliases.as_slice())
    }

    /// Byte range of the section a heading opens: to the next heading of the same or
    /// a higher level, or the end of the note.
    pub fn section_span(&self, heading: usize) -> Span {
        let h = &self.headings[heading];
        let end = self.headings[heading + 1..]
            .iter()
            .find(|next| next.level <= h.level)
            .map_or(self.text.len(), |next| next.span.start as usize);
        Span::new(h.span.start as usize, end)
    }

    /// The innermost heading whose section contains `offset`.
    pub fn heading_at(&self, offset: usize) -> Option<usize> {
        // Headings are in document order: the last one starting at or before `offset`.
        self.headings
            .partition_point(|h| (h.span.start as usize) <= offset)
            .checked_sub(1)
    }
}

/// The file name of a vault path without directories and without a `.md` extension.
pub fn note_name(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    strip_md_extension(file)
}

/// Removes a trailing `.md` (any case) from a name or path.
pub fn strip_md_extension(name: &str) -> &str {
    let len = name.len();
    if len > 3 && name.is_char_boundary(len - 3) && name[len - 3..].eq_ignore_ascii_case(".md") {
        &name[..len - 3]
    } else {
        name
    }
}

/// The YAML block between `---` fences at the top of a note.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Frontmatter {
    /// The whole block, fences included.
    pub span: Span,
    /// The YAML text between the fences.
    pub body_span: Span,
    /// Top-level keys in document order, duplicates included.
    pub entries: Vec<FrontmatterEntry>,
    pub aliases: Vec<Alias>,
}

impl Frontmatter {
    /// The last entry with this key, as YAML readers with last-wins semantics see it.
    pub fn get(&self, key: &str) -> Option<&FrontmatterEntry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }

    /// The last `title` entry's text, when it is a scalar (read from the entry, not
    /// copied: a vault keeps one a note).
    pub fn title(&self) -> Option<&str> {
        self.get("title").and_then(|e| e.value.value.as_str())
    }

    /// The last `description` entry's text, when it is a scalar.
    pub fn description(&self) -> Option<&str> {
        self.get("description").and_then(|e| e.value.value.as_str())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FrontmatterEntry {
    pub key: String,
    pub key_span: Span,
    pub value: Spanned<YamlValue>,
}

/// A YAML node with its byte span in the note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A YAML value as twin keeps it: scalars are kept as text, as Obsidian shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum YamlValue {
    Null,
    Bool(bool),
    /// Integers and floats, kept as written.
    Number(String),
    String(String),
    List(Vec<Spanned<YamlValue>>),
    Map(Vec<(Spanned<String>, Spanned<YamlValue>)>),
}

impl YamlValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            YamlValue::String(s) | YamlValue::Number(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    /// The heading's text as Obsidian links to it: inline markup removed, trimmed.
    pub text: String,
    /// The whole heading line (or setext block).
    pub span: Span,
    /// The heading's text inside the line.
    pub text_span: Span,
}

/// What kind of block a [`Block`] is: where a new id goes depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockKind {
    Paragraph,
    ListItem,
    /// A blockquote or callout, whole.
    Quote,
    Table,
}

/// A block a link can name with `#^id`, whether it has an id yet or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The whole block, without its trailing newline (as [`BlockId::block_span`]).
    pub span: Span,
    /// Where the block's own text ends: a list item's before its nested blocks. A new id
    /// goes there for paragraphs and list items; quotes and tables take theirs on a line
    /// of its own after the block.
    pub text_end: u32,
    /// The bag of the block's first [`BLOCK_HEAD_CHARS`] characters (`text::head_bag`):
    /// a search for a word not written in the block drops it when its start lacks one of
    /// the word's characters, without reading it.
    pub head_bag: u64,
}

/// Characters at a block's start that [`Block::head_bag`] describes.
pub const BLOCK_HEAD_CHARS: usize = 80;

/// A `^block-id` at the end of a paragraph or list item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockId {
    pub id: String,
    /// The `^id` marker itself.
    pub span: Span,
    /// The block the id names (the paragraph or list item).
    pub block_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// `[[target]]`
    Wiki,
    /// `[text](target)`
    Markdown,
}

/// Where a link was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkSource {
    Body,
    /// Inside the value of a frontmatter property, e.g. `up: "[[X]]"`.
    Frontmatter {
        key: Box<str>,
    },
}

/// A link. Its target, anchor and display are spans into the note's text, read through
/// methods that take that text: a vault holds about 14 links a note, and owned strings
/// cost three allocations a link. A string that is not the text at its span (a
/// percent-decoded markdown target, a markdown link's text without its markup, a
/// canvas card's link) is kept in [`Link::owned`], out of line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    pub embed: bool,
    pub source: LinkSource,
    /// Span of the target part (or, when empty, the position where it would be). The
    /// target is the note or file part, URL-decoded for markdown links; empty for
    /// same-note links such as `[[#Heading]]`.
    pub target_span: Span,
    pub anchor: Option<Anchor>,
    /// Span of the display text: the alias of a wikilink, the text of a markdown link.
    display_span: Option<Span>,
    /// The whole link, from `[[` or `![[` or `[` to its closing bracket.
    pub span: Span,
    /// The strings that differ from the text at their spans; `None` for most links.
    owned: Option<Box<LinkStrings>>,
}

/// A link's strings that are not the note's text at their spans.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct LinkStrings {
    target: Option<Box<str>>,
    display: Option<Box<str>>,
    /// The anchor's text after the first `#`.
    anchor: Option<Box<str>>,
}

/// A link's strings when it is built: each is either the text at its span (`None`) or
/// a string of its own.
#[derive(Debug, Default)]
pub(crate) struct LinkParts {
    pub target: Option<String>,
    pub display: Option<String>,
    pub anchor: Option<String>,
}

impl Link {
    /// A link whose strings are the text at their spans, except those `parts` gives.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        kind: LinkKind,
        embed: bool,
        source: LinkSource,
        target_span: Span,
        anchor: Option<Anchor>,
        display_span: Option<Span>,
        span: Span,
        parts: LinkParts,
    ) -> Link {
        let owned = (parts.target.is_some() || parts.display.is_some() || parts.anchor.is_some())
            .then(|| {
                Box::new(LinkStrings {
                    target: parts.target.map(String::into_boxed_str),
                    display: parts.display.map(String::into_boxed_str),
                    anchor: parts.anchor.map(String::into_boxed_str),
                })
            });
        Link {
            kind,
            embed,
            source,
            target_span,
            anchor,
            display_span,
            span,
            owned,
        }
    }

    /// A link to `target`, `#anchor` when given, with no display, its strings its own:
    /// a name resolved as if written in some note (completion, mentions, tests).
    pub fn to_target(kind: LinkKind, target: &str, anchor: Option<&str>) -> Link {
        let parts = LinkParts {
            target: Some(target.to_string()),
            display: None,
            anchor: anchor.map(str::to_string),
        };
        let anchor = anchor.map(|_| Anchor {
            span: Span::default(),
        });
        let nowhere = Span::default();
        Link::new(
            kind,
            false,
            LinkSource::Body,
            nowhere,
            anchor,
            None,
            nowhere,
            parts,
        )
    }

    /// The note or file part of the target, URL-decoded for markdown links; empty for
    /// same-note links such as `[[#Heading]]`. `text` is the text of the note the link is in.
    pub fn target<'a>(&'a self, text: &'a str) -> &'a str {
        match self.owned.as_ref().and_then(|o| o.target.as_deref()) {
            Some(target) => target,
            None => text.get(self.target_span.range()).unwrap_or(""),
        }
    }

    /// Display text: the alias of a wikilink, the text of a markdown link.
    pub fn display<'a>(&'a self, text: &'a str) -> Option<&'a str> {
        match self.owned.as_ref().and_then(|o| o.display.as_deref()) {
            Some(display) => Some(display),
            None => self.display_span.and_then(|s| text.get(s.range())),
        }
    }

    /// The anchor's text after the first `#`, as written (URL-decoded for markdown links).
    pub fn anchor_text<'a>(&'a self, text: &'a str) -> Option<&'a str> {
        let anchor = self.anchor.as_ref()?;
        match self.owned.as_ref().and_then(|o| o.anchor.as_deref()) {
            Some(raw) => Some(raw),
            None => text.get(anchor.span.range()),
        }
    }

    /// What the anchor names: a heading path or a block id.
    pub fn anchor_kind<'a>(&'a self, text: &'a str) -> Option<AnchorKind<'a>> {
        self.anchor_text(text).map(AnchorKind::of)
    }

    /// The link with every string its own, so that it no longer needs `text`: a canvas
    /// card's links are parsed from the card and then placed in the canvas's JSON text.
    pub fn detach(&mut self, text: &str) {
        let target = self.target(text).to_string();
        let display = self.display(text).map(str::to_string);
        let anchor = self.anchor_text(text).map(str::to_string);
        self.owned = Some(Box::new(LinkStrings {
            target: Some(target.into_boxed_str()),
            display: display.map(String::into_boxed_str),
            anchor: anchor.map(String::into_boxed_str),
        }));
    }
}

/// What an anchor names, read from its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorKind<'a> {
    /// `#Heading` or nested `#Heading#Sub`: each part in order, trimmed, empty ones dropped.
    Heading(SmallVec<[&'a str; 4]>),
    /// `#^block-id`
    Block(&'a str),
}

impl<'a> AnchorKind<'a> {
    /// Reads the anchor text after a link's first `#`: `^id` names a block, anything
    /// else is a heading path split on further `#`.
    pub fn of(raw: &'a str) -> AnchorKind<'a> {
        let raw = raw.trim();
        match raw.strip_prefix('^') {
            Some(id) => AnchorKind::Block(id.trim()),
            None => AnchorKind::Heading(
                raw.split('#')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect(),
            ),
        }
    }
}

/// A link's anchor: where its text is. [`Link::anchor_kind`] reads what it names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// Span of the anchor text after the first `#`.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagSource {
    /// `#tag` in the body.
    Inline,
    /// An entry of the `tags` property (or `tag`).
    Frontmatter,
}

/// A tag as compared: without `#`, trimmed, lowercased (Obsidian ignores case).
pub fn tag_key(name: &str) -> String {
    name.trim().trim_start_matches('#').to_lowercase()
}

/// Whether tag `name` is `key` (a [`tag_key`]) or nested under it (`a/b` under `a`).
pub fn tag_matches(name: &str, key: &str) -> bool {
    let name = tag_key(name);
    name == key
        || name
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// The tag without its `#`, as written (`a/b` for nested tags).
    pub name: String,
    /// The tag in the text: `#a/b` inline, the YAML scalar in frontmatter.
    pub span: Span,
    pub source: TagSource,
}

/// A blockquote that opens with `[!type]`, as Obsidian renders callouts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Callout {
    /// The type as written (`note`, `Warning`, `my-type`); Obsidian compares it case-insensitively.
    pub kind: String,
    /// The type inside `[!` and `]`.
    pub kind_span: Span,
    /// The title after the marker, trimmed; `None` when the line has none.
    pub title: Option<String>,
    /// `+` (expanded) or `-` (collapsed) right after the marker, for foldable callouts.
    pub fold: Option<char>,
    /// The whole blockquote, without its trailing newline.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FootnoteRef {
    pub label: String,
    /// The whole `[^label]`.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FootnoteDef {
    /// The label as the writer meant it (`1` for both `[^1]:` and `[ ^1 ]:`).
    pub label: String,
    /// The `[^label]:` marker.
    pub span: Span,
    /// The definition's text on its first line, trimmed (what it cites).
    pub content: String,
    /// Written in a form no markdown reader accepts, such as `[ ^1 ]: ...`.
    pub malformed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParseProblemKind {
    /// The frontmatter is not valid YAML, or not a mapping.
    FrontmatterInvalid,
    /// A top-level frontmatter key appears more than once.
    FrontmatterDuplicateKey { key: String, first: Span },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseProblem {
    pub kind: ParseProblemKind,
    pub span: Span,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vault holds about 14 links a note: 1.4 million at 100k notes.
    #[test]
    fn a_link_is_small() {
        assert!(size_of::<Link>() <= 72, "{} bytes", size_of::<Link>());
        let text = "[[Note#Part|shown]] [a](My%20Note.md#^id)";
        let note = crate::note::parse_note("n.md".into(), text.into());
        // A wikilink's strings are the text at their spans; only what decoding changed
        // is owned.
        assert!(note.links[0].owned.is_none());
        let owned = note.links[1].owned.as_ref().unwrap();
        assert_eq!(owned.target.as_deref(), Some("My Note.md"));
        assert_eq!(
            (owned.display.as_deref(), owned.anchor.as_deref()),
            (None, None)
        );
    }
}
