//! Edits as plain data: byte-span text changes and file operations, grouped into titled
//! fixes. The language server converts them to workspace edits; `twin fix` applies them.

use std::collections::BTreeMap;

use crate::note::{Note, VaultPath};
use crate::text::Span;

/// Replace `span` of a note's text with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub span: Span,
    pub new_text: String,
}

/// One operation on the files of a vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOp {
    Edit {
        path: VaultPath,
        changes: Vec<TextChange>,
    },
    Create {
        path: VaultPath,
        text: String,
    },
    Rename {
        from: VaultPath,
        to: VaultPath,
    },
    /// Deletes a note (inlining one).
    Delete {
        path: VaultPath,
    },
}

/// A titled set of operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub ops: Vec<FileOp>,
    pub preferred: bool,
}

/// One change to one note.
pub fn edit(path: &VaultPath, span: Span, new_text: String) -> FileOp {
    FileOp::Edit {
        path: path.clone(),
        changes: vec![TextChange { span, new_text }],
    }
}

/// Appends `text` to a note, on a line of its own after a blank line.
pub fn append(note: &Note, text: &str) -> FileOp {
    let end = note.text.len();
    let sep = if note.text.is_empty() || note.text.ends_with("\n\n") {
        ""
    } else if note.text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    edit(&note.path, Span::empty(end), format!("{sep}{text}"))
}

/// Groups changes by note path into edit operations, sorted and free of duplicates.
pub fn group_edits(changes: BTreeMap<VaultPath, Vec<TextChange>>) -> Vec<FileOp> {
    changes
        .into_iter()
        .map(|(path, mut changes)| {
            changes.sort_by_key(|c| (c.span.start, c.span.end));
            changes.dedup();
            FileOp::Edit { path, changes }
        })
        .collect()
}

/// `text` with `changes` applied. Changes must be sorted by position and must not
/// overlap (insertions at one offset are applied in the given order); any that would
/// overlap an earlier one or fall outside the text is dropped, so this never panics.
pub fn apply_changes(text: &str, changes: &[TextChange]) -> String {
    let extra: usize = changes.iter().map(|c| c.new_text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut at = 0usize;
    for change in changes {
        let (start, end) = (change.span.start as usize, change.span.end as usize);
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&change.new_text);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(start: usize, end: usize, text: &str) -> TextChange {
        TextChange {
            span: Span::new(start, end),
            new_text: text.to_string(),
        }
    }

    #[test]
    fn applies_sorted_changes_and_skips_overlaps() {
        let text = "abcdef";
        let changes = [
            change(0, 1, "A"),
            change(2, 2, "+"),
            change(2, 2, "-"),
            change(3, 5, "XY"),
            change(4, 6, "no"),
        ];
        assert_eq!(apply_changes(text, &changes), "Ab+-cXYf");
        assert_eq!(apply_changes("é", &[change(1, 2, "x")]), "é");
        assert_eq!(apply_changes("ab", &[change(1, 9, "x")]), "ab");
    }

    proptest::proptest! {
        /// Whatever the changes, applying them never panics, and with sorted disjoint
        /// changes every byte outside them is kept in order.
        #[test]
        fn keeps_every_byte_outside_the_changes(
            text in "[a-cé\n]{0,40}",
            raw in proptest::collection::vec((0usize..50, 0usize..6, "[xy\n]{0,3}"), 0..6),
        ) {
            let mut changes: Vec<TextChange> = raw
                .iter()
                .map(|(start, len, new)| change(*start, start + len, new))
                .collect();
            let _ = apply_changes(&text, &changes);
            changes.sort_by_key(|c| (c.span.start, c.span.end));
            let mut kept: Vec<TextChange> = Vec::new();
            for c in changes {
                let (start, end) = (c.span.start as usize, c.span.end as usize);
                let fits = end <= text.len()
                    && text.is_char_boundary(start)
                    && text.is_char_boundary(end)
                    && kept.last().is_none_or(|k| k.span.end as usize <= start);
                if fits {
                    kept.push(c);
                }
            }
            let out = apply_changes(&text, &kept);
            let mut expected = String::new();
            let mut at = 0;
            for c in &kept {
                expected.push_str(&text[at..c.span.start as usize]);
                expected.push_str(&c.new_text);
                at = c.span.end as usize;
            }
            expected.push_str(&text[at..]);
            proptest::prop_assert_eq!(out, expected);
        }
    }
}
