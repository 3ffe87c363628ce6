//! Footnote fixes: a definition for an undefined reference, and removing an unused
//! definition with its continuation lines.

use super::edit::{Fix, append, edit};
use crate::note::Note;
use crate::text::Span;

/// Adds a definition for an undefined footnote reference.
pub fn add_footnote_definition(note: &Note, reference: usize) -> Fix {
    let label = &note.footnote_refs[reference].label;
    Fix {
        title: format!("Add a definition for [^{label}]"),
        ops: vec![append(note, &format!("[^{label}]: \n"))],
        preferred: true,
    }
}

/// Removes an unused footnote definition: its line and the indented lines that continue it.
pub fn remove_footnote_definition(note: &Note, def: usize) -> Fix {
    let d = &note.footnote_defs[def];
    let text = note.text.as_bytes();
    let start = note.text[..d.span.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let mut end = line_end(text, d.span.end as usize);
    while end < text.len() {
        let next_end = line_end(text, end);
        let line = &text[end..next_end];
        let indented = matches!(line.first(), Some(b' ' | b'\t'));
        if !indented || line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
        end = next_end;
    }
    Fix {
        title: format!("Remove the unused definition of [^{}]", d.label),
        ops: vec![edit(&note.path, Span::new(start, end), String::new())],
        preferred: true,
    }
}

/// The offset just past the line break ending the line that holds `from`.
fn line_end(text: &[u8], from: usize) -> usize {
    let from = from.min(text.len());
    memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |i| from + i + 1)
}
