//! Obsidian canvases (`.canvas`, JSON Canvas 1.0): the files their `file` nodes show and
//! the links written in their `text` nodes.
//!
//! A canvas is an attachment that links: each `file` node names a vault path, and
//! Obsidian lists the canvas among that file's backlinks. A text card is markdown, and
//! its links open notes as a note's links do, but Obsidian leaves them out of backlinks
//! (help vault, "Canvas": "Text-only cards don't appear in Backlinks"), so they count for
//! resolution, `broken-link` and renames, not for `orphan-note`.
//!
//! Positions are byte offsets into the canvas's JSON text: a link in a text card is
//! mapped through the string's escapes ([`json`]), so a finding points at what encodes
//! the link, and an edit replaces exactly those bytes.

mod json;

use std::path::Path;
use std::sync::Arc;

use crate::note::{Link, LinkSource, VaultPath, parse_note};
use crate::text::Span;

/// Canvases larger than this are not read (a canvas is a few kilobytes of JSON).
pub const MAX_CANVAS_BYTES: u64 = 16 * 1024 * 1024;

/// One canvas: its text, the files its nodes show and the links of its text cards.
#[derive(Clone, Debug, PartialEq)]
pub struct Canvas {
    pub path: VaultPath,
    pub text: Arc<str>,
    pub files: Vec<CanvasFile>,
    pub links: Vec<CanvasLink>,
    /// Why Obsidian could not open it (the text is not JSON), and where.
    pub problem: Option<CanvasProblem>,
}

/// A `file` node: the vault path it names, as written, and where that string is in the
/// canvas's JSON text (quotes excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanvasFile {
    pub file: String,
    pub span: Span,
}

/// A link in a text card. Its spans are in the canvas's JSON text; `target` is the
/// target as the card's markdown writes it (JSON escapes decoded).
#[derive(Clone, Debug, PartialEq)]
pub struct CanvasLink {
    pub link: Link,
    pub written: String,
}

/// The canvas's text is not JSON: serde's reason, and the byte where it stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanvasProblem {
    pub message: String,
    pub span: Span,
}

/// Whether a vault path names a canvas (`.canvas`, any case).
pub fn is_canvas(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).as_bytes();
    name.len() > 7 && name[name.len() - 7..].eq_ignore_ascii_case(b".canvas")
}

/// The canvas at `path` with text `text`. Never fails: text that is not JSON is a
/// [`CanvasProblem`]; JSON that is not a canvas shows nothing.
pub fn parse_canvas(path: VaultPath, text: &str) -> Canvas {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let problem = if body.trim().is_empty() {
        // Obsidian writes a new canvas as an empty file.
        None
    } else {
        serde_json::from_str::<serde::de::IgnoredAny>(body)
            .err()
            .map(|e| problem_at(text, bom, &e))
    };
    let mut files = Vec::new();
    let mut links = Vec::new();
    if problem.is_none() {
        for node in json::nodes(text) {
            let kind = node.kind.as_ref().map(|k| k.value.as_str());
            match (kind, node.file, node.text) {
                (Some("file"), Some(file), _) if !file.value.is_empty() => files.push(CanvasFile {
                    span: file.span,
                    file: file.value,
                }),
                (Some("text"), _, Some(card)) => card_links(&path, &card, &mut links),
                _ => {}
            }
        }
    }
    Canvas {
        path,
        text: Arc::from(text),
        files,
        links,
        problem,
    }
}

/// The links of one text card, spans mapped into the canvas's text. A card's
/// properties are not read: Obsidian drops frontmatter from text cards.
fn card_links(path: &VaultPath, card: &json::RawString, out: &mut Vec<CanvasLink>) {
    if !card.value.contains("[[") && !card.value.contains("](") {
        return;
    }
    let note = parse_note(path.clone(), Arc::from(card.value.as_str()));
    for mut link in note.links {
        if link.source != LinkSource::Body || link.target(&card.value).trim().is_empty() {
            continue;
        }
        let written = card.value[link.target_span.range()].to_string();
        // Its spans move into the canvas's JSON, where escapes may change the text.
        link.detach(&card.value);
        link.span = card.doc_span(link.span);
        link.target_span = card.doc_span(link.target_span);
        if let Some(anchor) = &mut link.anchor {
            anchor.span = card.doc_span(anchor.span);
        }
        out.push(CanvasLink { link, written });
    }
}

/// Where serde stopped reading, as a span of one character (or empty at the end).
fn problem_at(text: &str, bom: usize, e: &serde_json::Error) -> CanvasProblem {
    let line_start = text[bom..]
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + bom;
    let mut at = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let full = e.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    CanvasProblem {
        message,
        span: Span::new(at, end),
    }
}

/// Reads and parses the canvas at `abs` (vault path `path`); `None` when it cannot be
/// read or is too large, which leaves it a plain attachment.
pub fn read_canvas(path: VaultPath, abs: &Path) -> Option<Canvas> {
    let size = std::fs::metadata(abs).ok()?.len();
    if size > MAX_CANVAS_BYTES {
        return None;
    }
    let bytes = std::fs::read(abs).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(parse_canvas(path, &text))
}

#[cfg(test)]
mod tests;
