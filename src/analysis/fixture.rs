//! Test fixtures: a vault written as one string, with a cursor.
//!
//! ```text
//! //- Home.md
//! See [[No$0te#Part]].
//! //- Note.md
//! # Note
//! ## Part
//! //- pic.png
//! ```
//!
//! Each `//- path` line starts a file; a path ending in `.md` is a note, any other an
//! attachment (its text is ignored, but for a `.canvas`, which is read as a canvas). `$0` marks the cursor, at most once. The vault is
//! rooted at a folder that does not exist, so nothing is read from disk.

use std::sync::Arc;

use super::Analysis;
use crate::note::{VaultPath, parse_note};
use crate::text::Span;
use crate::vault::{NoteId, Vault, is_canvas, parse_canvas};

const CURSOR: &str = "$0";

/// A vault built from a fixture string, analyzed under the default rulebook.
pub struct Fixture {
    pub analysis: Analysis,
    /// The note holding the cursor and the cursor's byte offset in it.
    pub cursor: Option<(NoteId, usize)>,
}

impl Fixture {
    pub fn parse(text: &str) -> Fixture {
        let mut files: Vec<(String, String)> = Vec::new();
        for line in text.split_inclusive('\n') {
            match line.strip_prefix("//- ") {
                Some(path) => files.push((path.trim().to_owned(), String::new())),
                None => match files.last_mut() {
                    Some((_, body)) => body.push_str(line),
                    None => assert!(line.trim().is_empty(), "text before the first `//- `"),
                },
            }
        }
        let mut cursor_at: Option<(String, usize)> = None;
        let mut notes = Vec::new();
        let mut attachments: Vec<VaultPath> = Vec::new();
        let mut canvases = Vec::new();
        for (path, mut body) in files {
            if let Some(at) = body.find(CURSOR) {
                assert!(cursor_at.is_none(), "one `$0` per fixture");
                body.replace_range(at..at + CURSOR.len(), "");
                cursor_at = Some((path.clone(), at));
            }
            if path.ends_with(".md") {
                notes.push(Arc::new(parse_note(path.into(), body.into())));
            } else {
                if is_canvas(&path) {
                    canvases.push(parse_canvas(path.as_str().into(), &body));
                }
                attachments.push(path.into());
            }
        }
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        attachments.sort();
        let mut vault = Vault::from_parts(
            "/nonexistent-fixture".into(),
            notes,
            attachments,
            Vec::new(),
        );
        for canvas in canvases {
            vault.set_canvas(canvas);
        }
        let analysis = Analysis::from_vault(vault, Arc::default());
        let cursor = cursor_at.map(|(path, at)| {
            let id = analysis
                .vault
                .note_by_path(&path)
                .expect("the cursor is in a note");
            (id, at)
        });
        Fixture { analysis, cursor }
    }

    /// The cursor's note and offset; the fixture must have a `$0`.
    pub fn cursor(&self) -> (NoteId, usize) {
        self.cursor.expect("the fixture has a `$0`")
    }

    /// `path:line:col: text` for a span of a note (1-based line and column, in characters),
    /// with the spanned text, for expectations that read like the vault.
    pub fn show(&self, id: NoteId, span: Span) -> String {
        let note = self.analysis.vault.note(id);
        show_in(&note.path, &note.text, span)
    }

    /// As [`Fixture::show`], for a span of a canvas's JSON text.
    pub fn show_canvas(&self, path: &str, span: Span) -> String {
        let canvas = self.analysis.vault.canvas(path).expect("a canvas");
        show_in(path, &canvas.text, span)
    }
}

fn show_in(path: &str, text: &str, span: Span) -> String {
    let (line, col) = line_col(text, span.start as usize);
    let spanned = text.get(span.range()).unwrap_or("");
    let shown = format!("{path}:{line}:{col}: {}", spanned.replace('\n', "⏎"));
    shown.trim_end().to_owned()
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}
