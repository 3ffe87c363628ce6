//! The prose of a note: its text without frontmatter, code, comments and links.
//!
//! The parser keeps its code zones private, so fenced and inline code are found here
//! with a small line scanner. Everything that reads prose (the index, highlights,
//! mentions) goes through [`prose_segments`], so they agree on what counts as words.

use std::ops::Range;

use crate::note::{LinkSource, Note};

/// The byte ranges of `note` that are prose, sorted and disjoint.
pub fn prose_segments(note: &Note) -> Vec<Range<usize>> {
    let text = &*note.text;
    let start = note.frontmatter.as_ref().map_or(0, |f| f.span.end as usize);
    let mut excluded = code_zones(text, start);
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
            if let Some(display) = &link.display {
                out.push_str(display);
                out.push('\n');
            }
        }
        out.push_str(&text[segment]);
        out.push('\n');
    }
    for link in links {
        if let Some(display) = &link.display {
            out.push_str(display);
            out.push('\n');
        }
    }
    out
}

/// Fenced code blocks and inline code spans of `text` from byte `start`, in order.
pub fn code_zones(text: &str, start: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut zones = Vec::new();
    let mut fence: Option<(u8, usize, usize)> = None; // (char, length, block start)
    let mut paragraph = start;
    let mut line_start = start;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &text[line_start..line_end];
        let marker = fence_marker(line);
        match (fence, marker) {
            (Some((ch, len, block)), Some((c, l, rest)))
                if c == ch && l >= len && rest.trim().is_empty() =>
            {
                zones.push(block..line_end);
                fence = None;
                paragraph = line_end;
            }
            (Some(_), _) => {}
            (None, Some((c, l, rest))) if !(c == b'`' && rest.contains('`')) => {
                inline_code(text, paragraph, line_start, &mut zones);
                fence = Some((c, l, line_start));
            }
            (None, _) if line.trim().is_empty() => {
                inline_code(text, paragraph, line_start, &mut zones);
                paragraph = line_end;
            }
            (None, _) => {}
        }
        line_start = line_end;
    }
    match fence {
        // An unclosed fence runs to the end of the note, as in CommonMark.
        Some((_, _, block)) => zones.push(block..bytes.len()),
        None => inline_code(text, paragraph, bytes.len(), &mut zones),
    }
    zones
}

/// The fence character, its run length and the rest of the line, when `line` opens or
/// closes a fenced block (blockquote markers and indentation allowed before it).
fn fence_marker(line: &str) -> Option<(u8, usize, &str)> {
    let trimmed = line.trim_start_matches([' ', '\t', '>']);
    let ch = *trimmed.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = trimmed.bytes().take_while(|&b| b == ch).count();
    (len >= 3).then(|| (ch, len, &trimmed[len..]))
}

/// Inline code spans (`` `x` ``, ``` ``x`` ```) in one paragraph `text[from..to]`.
fn inline_code(text: &str, from: usize, to: usize, zones: &mut Vec<Range<usize>>) {
    let bytes = &text.as_bytes()[..to];
    let mut i = from;
    while let Some(found) = memchr::memchr(b'`', &bytes[i..]) {
        let open = i + found;
        let run = bytes[open..].iter().take_while(|&&b| b == b'`').count();
        if open > 0 && bytes[open - 1] == b'\\' {
            i = open + run;
            continue;
        }
        // The closing run has exactly the opening run's length.
        let mut j = open + run;
        let close = loop {
            let Some(next) = memchr::memchr(b'`', &bytes[j..]) else {
                break None;
            };
            let at = j + next;
            let len = bytes[at..].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                break Some(at + len);
            }
            j = at + len;
        };
        match close {
            Some(end) => {
                zones.push(open..end);
                i = end;
            }
            None => i = open + run,
        }
    }
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
        let zones = code_zones(text, 0);
        assert_eq!(zones.len(), 2);
        assert_eq!(&text[zones[0].clone()], "````\n```\nstill code\n````\n");
        assert_eq!(&text[zones[1].clone()], "~~~\nopen");
    }

    #[test]
    fn inline_code_matches_run_lengths_and_stops_at_paragraphs() {
        let text = "x ``a ` b`` y `open\n\nz `c`";
        let zones: Vec<&str> = code_zones(text, 0).into_iter().map(|r| &text[r]).collect();
        assert_eq!(zones, ["``a ` b``", "`c`"]);
    }
}
