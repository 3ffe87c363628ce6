//! The prose of a note: its text without frontmatter, code, comments and links.
//!
//! Code (fenced and indented blocks, inline code, math, raw HTML) comes from the parser's
//! `Note::code`, so search and the rules agree on what is code. Everything that reads prose
//! (the index, highlights, mentions) goes through [`prose_segments`], so they agree on what
//! counts as words.

use std::ops::Range;

use crate::note::{LinkSource, Note};

/// The byte ranges of `note` that are prose, sorted and disjoint.
pub fn prose_segments(note: &Note) -> Vec<Range<usize>> {
    let text = &*note.text;
    let start = note.frontmatter.as_ref().map_or(0, |f| f.span.end as usize);
    let mut excluded: Vec<Range<usize>> = note.code.iter().map(|c| c.range()).collect();
    excluded.extend(
        note.comments
            .iter()
            .map(|c| c.start as usize..c.end as usize),
    );
    excluded.extend(
        note.links
            .iter()
            .filter(|l| l.source == LinkSource::Body)
            .map(|l| l.span.start as usize..l.span.end as usize),
    );
    excluded.sort_unstable_by_key(|r| r.start);
    let mut segments = Vec::new();
    let mut at = start.min(text.len());
    for zone in excluded {
        if zone.start > at {
            segments.push(at..zone.start.min(text.len()));
        }
        at = at.max(zone.end);
    }
    if at < text.len() {
        segments.push(at..text.len());
    }
    segments
}

/// The note's prose as one string for indexing: segments joined by newlines, with the
/// display text of each body link in its place (what a reader sees of the link).
pub fn prose_text(note: &Note) -> String {
    let text = &*note.text;
    let mut out = String::with_capacity(text.len());
    let mut links = note
        .links
        .iter()
        .filter(|l| l.source == LinkSource::Body)
        .peekable();
    for segment in prose_segments(note) {
        // Display texts of the links that end before this segment come first.
        while let Some(link) = links.next_if(|l| (l.span.end as usize) <= segment.start) {
            if let Some(display) = link.display(text) {
                out.push_str(display);
                out.push('\n');
            }
        }
        out.push_str(&text[segment]);
        out.push('\n');
    }
    for link in links {
        if let Some(display) = link.display(text) {
            out.push_str(display);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::note::parse_note;

    fn note(text: &str) -> Note {
        parse_note(Arc::from("n.md"), Arc::from(text))
    }

    fn prose(text: &str) -> Vec<String> {
        let n = note(text);
        prose_segments(&n)
            .into_iter()
            .map(|r| text[r].trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    #[test]
    fn skips_frontmatter_code_comments_and_links() {
        let text = "---\ntitle: T\n---\nIntro `code span` text\n\n```rust\nlet x = 1;\n```\nafter %%hidden%% see [[Target|shown]] end\n";
        assert_eq!(
            prose(text),
            ["Intro", "text\n\n", "after", "see", "end"].map(|s| s.trim().to_string())
        );
        let n = note(text);
        let joined = prose_text(&n);
        assert!(joined.contains("shown"), "{joined:?}");
        assert!(!joined.contains("Target"), "{joined:?}");
        assert!(!joined.contains("let x"), "{joined:?}");
        assert!(!joined.contains("title"), "{joined:?}");
    }

    #[test]
    fn fences_need_matching_closers_and_run_to_the_end_unclosed() {
        let text = "a\n````\n```\nstill code\n````\nb\n~~~\nopen";
        assert_eq!(prose(text), ["a", "b"]);
    }

    #[test]
    fn inline_code_matches_run_lengths() {
        let text = "x ``a ` b`` y `open\n\nz `c`";
        assert_eq!(prose(text), ["x", "y `open\n\nz"]);
    }

    #[test]
    fn indented_code_blocks_are_not_prose() {
        let text = "Words here.\n\n    indented code\n    more code\n\nAfter.\n";
        let joined = prose_text(&note(text));
        assert!(joined.contains("Words here"), "{joined:?}");
        assert!(joined.contains("After"), "{joined:?}");
        assert!(!joined.contains("indented"), "{joined:?}");
    }
}
