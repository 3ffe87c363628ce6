//! The pulldown-cmark walk: headings, markdown links, block ids, callouts, and the
//! code, math and HTML zones where Obsidian syntax does not apply.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::blocks::{BlockTracker, FrameKind};
use super::lex::{trim_end_range, trim_range};
use super::links::{self, PendingLink};
use super::model::{Callout, Heading, Link};
use crate::text::Span;

/// What the walk found, with offsets into the whole note text.
#[derive(Debug, Default)]
pub(crate) struct Markdown {
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub block_ids: Vec<super::model::BlockId>,
    pub blocks: Vec<super::model::Block>,
    pub callouts: Vec<Callout>,
    /// Code blocks, inline code, math and HTML.
    pub code_zones: Vec<Range<usize>>,
    /// Markdown links, images and autolinks, where `#` is never a tag.
    pub link_zones: Vec<Range<usize>>,
}

fn options() -> Options {
    // No superscript (it would eat `^block` ids), no heading attributes (they would eat
    // `{...}` from headings) and no metadata blocks (the frontmatter is cut off before).
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

struct HeadingBuilder {
    level: u8,
    text: String,
}

/// Walks the markdown of `text[start..]`.
pub(crate) fn walk(text: &str, start: usize) -> Markdown {
    let mut out = Markdown::default();
    let mut blocks = BlockTracker::new(text);
    let mut heading: Option<HeadingBuilder> = None;
    let mut open_links: Vec<Option<PendingLink<'_>>> = Vec::new();
    // Depth of code and HTML blocks, whose text events are not markdown text.
    let mut raw_depth = 0usize;
    let mut iter = Parser::new_ext(&text[start..], options()).into_offset_iter();
    while let Some((event, range)) = iter.next() {
        let range = range.start + start..range.end + start;
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => blocks.open(FrameKind::Paragraph, &range),
                Tag::Item => blocks.open(FrameKind::Item, &range),
                Tag::BlockQuote(_) => {
                    blocks.open(FrameKind::BlockQuote, &range);
                    out.callouts.extend(callout_at(text, &range));
                }
                Tag::Heading { level, .. } => {
                    blocks.open(FrameKind::Other, &range);
                    heading = Some(HeadingBuilder {
                        level: level as u8,
                        text: String::new(),
                    });
                }
                Tag::CodeBlock(_) | Tag::HtmlBlock => {
                    blocks.open(FrameKind::Other, &range);
                    out.code_zones.push(range);
                    raw_depth += 1;
                }
                Tag::List(_) => blocks.open(FrameKind::List, &range),
                Tag::Table(_) => blocks.open(FrameKind::Table, &range),
                Tag::FootnoteDefinition(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::MetadataBlock(_) => blocks.open(FrameKind::Other, &range),
                Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                } => open_links.push(start_link(&mut out, link_type, dest_url, id, range, false)),
                Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                } => open_links.push(start_link(&mut out, link_type, dest_url, id, range, true)),
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript => blocks.inline(&range),
            },
            Event::End(tag) => match tag {
                TagEnd::Link | TagEnd::Image => {
                    blocks.element(&range);
                    let finished = open_links.pop();
                    // The enclosing link's text runs at least to the end of this one.
                    push_text(&mut None, &mut open_links, "", &range);
                    if let Some(Some(link)) = finished {
                        let defs = iter.reference_definitions();
                        out.links.extend(links::finish(text, start, link, |id| {
                            defs.get(id).map(|d| d.span.clone())
                        }));
                    }
                }
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript => blocks.element(&range),
                TagEnd::Heading(_) => {
                    blocks.close(&range);
                    if let Some(h) = heading.take() {
                        out.headings.push(finish_heading(text, h, range));
                    }
                }
                TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                    raw_depth = raw_depth.saturating_sub(1);
                    blocks.close(&range);
                }
                _ => blocks.close(&range),
            },
            Event::Text(t) => {
                if raw_depth == 0 {
                    blocks.inline(&range);
                    push_text(&mut heading, &mut open_links, &t, &range);
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                blocks.element(&range);
                push_text(&mut heading, &mut open_links, &t, &range);
                out.code_zones.push(range);
            }
            Event::InlineHtml(_) => {
                blocks.element(&range);
                push_text(&mut None, &mut open_links, "", &range);
                out.code_zones.push(range);
            }
            Event::Html(_) => {
                if raw_depth == 0 {
                    out.code_zones.push(range);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                blocks.inline(&range);
                push_text(&mut heading, &mut open_links, " ", &range);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {
                blocks.inline(&range);
                push_text(&mut None, &mut open_links, "", &range);
            }
            Event::Rule => blocks.leaf(&range),
        }
    }
    (out.block_ids, out.blocks) = blocks.finish();
    out
}

/// Registers a link or image; returns what is needed to finish it at its end, or
/// `None` for wikilinks (the scanner reads those) and autolinks (always URLs).
fn start_link<'a>(
    out: &mut Markdown,
    link_type: LinkType,
    dest: CowStr<'a>,
    id: CowStr<'a>,
    range: Range<usize>,
    embed: bool,
) -> Option<PendingLink<'a>> {
    match link_type {
        LinkType::WikiLink { .. } => None,
        LinkType::Autolink | LinkType::Email => {
            out.link_zones.push(range);
            None
        }
        _ => {
            out.link_zones.push(range.clone());
            Some(PendingLink::new(link_type, dest, id, range, embed))
        }
    }
}

/// Appends plain text to the open heading and to every open link's display text.
fn push_text(
    heading: &mut Option<HeadingBuilder>,
    open_links: &mut [Option<PendingLink<'_>>],
    t: &str,
    range: &Range<usize>,
) {
    if let Some(h) = heading {
        h.text.push_str(t);
    }
    for link in open_links.iter_mut().flatten() {
        link.push_text(t, range);
    }
}

fn finish_heading(text: &str, h: HeadingBuilder, range: Range<usize>) -> Heading {
    let span = trim_end_range(text, range);
    let text_span = heading_text_span(text, span.clone());
    Heading {
        level: h.level,
        text: h.text.trim().to_string(),
        span: Span::new(span.start, span.end),
        text_span: Span::new(text_span.start, text_span.end),
    }
}

/// The heading's content: for ATX, between the `#` marker and an optional closing
/// sequence; for setext, the lines above the underline.
fn heading_text_span(text: &str, span: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let s = &text[span.clone()];
    if let Some(last_nl) = s.rfind('\n') {
        return trim_range(text, span.start..span.start + last_nl);
    }
    let mut a = span.start;
    while a < span.end && bytes[a] == b' ' {
        a += 1;
    }
    while a < span.end && bytes[a] == b'#' {
        a += 1;
    }
    let mut b = span.end;
    let mut closing = b;
    while closing > a && bytes[closing - 1] == b'#' {
        closing -= 1;
    }
    // A closing `#` run counts only when whitespace separates it from the content.
    if closing < b && (closing == a || matches!(bytes[closing - 1], b' ' | b'\t')) {
        b = closing;
    }
    let r = trim_range(text, a..b);
    if r.is_empty() { a.min(b)..a.min(b) } else { r }
}

/// Reads `> [!type]+ Title` on the first line of a blockquote.
fn callout_at(text: &str, range: &Range<usize>) -> Option<Callout> {
    let bytes = text.as_bytes();
    let line_end = super::lex::line_end(bytes, range.start).min(range.end);
    let mut i = range.start;
    if bytes.get(i) != Some(&b'>') {
        return None;
    }
    i += 1;
    while i < line_end && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    if !text[i..line_end].starts_with("[!") {
        return None;
    }
    let kind_start = i + 2;
    let close = kind_start + text[kind_start..line_end].find(']')?;
    let kind = &text[kind_start..close];
    if kind.is_empty() || kind.contains(char::is_whitespace) {
        return None;
    }
    let mut title_start = close + 1;
    let fold = match bytes.get(title_start) {
        Some(b'+') if title_start < line_end => Some('+'),
        Some(b'-') if title_start < line_end => Some('-'),
        _ => None,
    };
    if fold.is_some() {
        title_start += 1;
    }
    let title = text[title_start..line_end].trim();
    let span = trim_end_range(text, range.clone());
    Some(Callout {
        kind: kind.to_string(),
        kind_span: Span::new(kind_start, close),
        title: (!title.is_empty()).then(|| title.to_string()),
        fold,
        span: Span::new(span.start, span.end),
    })
}

#[cfg(test)]
mod tests;
