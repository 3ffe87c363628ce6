//! Builds a [`Note`] from its text: frontmatter, markdown walk and the Obsidian scanner.

use std::sync::Arc;

use super::model::*;
use super::zones::Zones;
use super::{frontmatter, markdown, scanner};
use crate::text::{LineIndex, Span};

/// Parses one note. Never fails: problems are recorded in [`Note::problems`].
///
/// Spans are byte ranges into `text` as given, BOM and CRLF included.
pub fn parse_note(path: VaultPath, text: Arc<str>) -> Note {
    let fm = frontmatter::parse(&text);
    let start = fm.body_start;
    let md = markdown::walk(&text, start);

    let code = Zones::new(md.code_zones);
    let comments = scanner::comments(&text, start, &code);
    let comment_zones = Zones::new(comments.clone());
    let mut all = code.ranges().to_vec();
    all.extend(comments.iter().cloned());
    let zones = Zones::new(all);
    let link_zones = Zones::new(md.link_zones);
    let scan = scanner::scan(&text, start, &zones, &link_zones);

    // The markdown walk knows nothing of comments: drop what it found inside them.
    let outside = |span: Span| !comment_zones.contains(span.start as usize);
    let headings = md
        .headings
        .into_iter()
        .filter(|h| outside(h.span))
        .collect();
    let callouts = md
        .callouts
        .into_iter()
        .filter(|c| outside(c.span))
        .collect();
    let block_ids = md
        .block_ids
        .into_iter()
        .filter(|b| !zones.overlaps(b.span.range()))
        .collect();
    let blocks = md.blocks.into_iter().filter(|b| outside(b.span)).collect();

    let mut links: Vec<Link> = scan.links;
    links.extend(md.links.into_iter().filter(|l| outside(l.span)));
    links.sort_by_key(|l| l.span.start);
    links.extend(fm.links);

    let mut tags = fm.tags;
    tags.extend(scan.tags);

    let mut note = Note {
        path,
        line_index: LineIndex::new(&text),
        frontmatter: fm.frontmatter,
        headings,
        block_ids,
        blocks,
        links,
        tags,
        footnote_refs: scan.footnote_refs,
        footnote_defs: scan.footnote_defs,
        code: code
            .ranges()
            .iter()
            .map(|r| Span::new(r.start, r.end))
            .collect(),
        comments: comments
            .into_iter()
            .map(|r| Span::new(r.start, r.end))
            .collect(),
        callouts,
        problems: fm.problems,
        anchor_index: Default::default(),
        text,
    };
    note.shrink_to_fit();
    note
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod robust_tests;

#[cfg(test)]
mod speed_tests;
