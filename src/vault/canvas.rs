//! Obsidian canvases (`.canvas`, JSON Canvas 1.0): the files their `file` nodes show.
//!
//! A canvas is an attachment that links: each `file` node names a vault path, and
//! Obsidian lists the canvas among that file's backlinks. Text cards are left out, as
//! Obsidian leaves them out of backlinks (help vault, "Canvas": "Text-only cards don't
//! appear in Backlinks").

use std::path::Path;

use serde::Deserialize;

use crate::note::VaultPath;
use crate::text::Span;

/// Canvases larger than this are not read (a canvas is a few kilobytes of JSON).
pub const MAX_CANVAS_BYTES: u64 = 16 * 1024 * 1024;

/// One canvas and the files its nodes show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canvas {
    pub path: VaultPath,
    pub files: Vec<CanvasFile>,
}

/// A `file` node: the vault path it names, as written, and where that string is in the
/// canvas's JSON text (empty at 0 when it cannot be found again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanvasFile {
    pub file: String,
    pub span: Span,
}

/// Whether a vault path names a canvas (`.canvas`, any case).
pub fn is_canvas(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).as_bytes();
    name.len() > 7 && name[name.len() - 7..].eq_ignore_ascii_case(b".canvas")
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    file: Option<String>,
}

/// The canvas at `path` with text `text`. Never fails: JSON that is not a canvas (or
/// not JSON) shows no files.
pub fn parse_canvas(path: VaultPath, text: &str) -> Canvas {
    let nodes = serde_json::from_str::<Document>(text)
        .map(|doc| doc.nodes)
        .unwrap_or_default();
    let mut files = Vec::new();
    let mut from = 0;
    for node in nodes {
        let Some(file) = node.file.filter(|f| node.kind == "file" && !f.is_empty()) else {
            continue;
        };
        let span = find_literal(text, &file, from).unwrap_or_default();
        if !span.is_empty() {
            from = span.end as usize;
        }
        files.push(CanvasFile { file, span });
    }
    Canvas { path, files }
}

/// Where `value` is written as a JSON string in `text`, from byte `from` on (nodes are
/// written in order), the quotes excluded.
fn find_literal(text: &str, value: &str, from: usize) -> Option<Span> {
    let literal = serde_json::to_string(value).ok()?;
    let at = text
        .get(from..)
        .and_then(|rest| rest.find(&literal))
        .map(|i| from + i)
        .or_else(|| text.find(&literal))?;
    Some(Span::new(at + 1, at + literal.len() - 1))
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
mod tests {
    use super::*;

    #[test]
    fn file_nodes_are_read_with_their_spans_and_text_cards_are_not() {
        let text = r#"{
	"nodes":[
		{"id":"a","type":"file","file":"Notes/Kept.md","x":0,"y":0,"width":400,"height":400},
		{"id":"b","type":"text","text":"[[Card link]]","x":0,"y":0,"width":400,"height":400},
		{"id":"c","type":"file","file":"pics/ü \"q\".png","x":0,"y":0,"width":1,"height":1},
		{"id":"d","type":"link","url":"https://obsidian.md"}
	],
	"edges":[]
}"#;
        let canvas = parse_canvas("Board.canvas".into(), text);
        let files: Vec<(&str, &str)> = canvas
            .files
            .iter()
            .map(|f| (f.file.as_str(), &text[f.span.range()]))
            .collect();
        assert_eq!(
            files,
            [
                ("Notes/Kept.md", "Notes/Kept.md"),
                ("pics/ü \"q\".png", r#"pics/ü \"q\".png"#)
            ]
        );
    }

    #[test]
    fn anything_but_a_canvas_shows_no_files() {
        for text in [
            "",
            "not json",
            "[]",
            r#"{"nodes":3}"#,
            r#"{"nodes":[{"type":"file"}]}"#,
        ] {
            assert!(
                parse_canvas("x.canvas".into(), text).files.is_empty(),
                "{text}"
            );
        }
        assert!(is_canvas("a/B.Canvas") && !is_canvas(".canvas") && !is_canvas("a.md"));
    }
}
