//! How much of a note's body is prose: sentences of its own, as opposed to headings, tables,
//! lists of links and lists of names, which say what a note points to, not what it says.

use serde::{Deserialize, Serialize};

use crate::note::{LinkSource, Note};
use crate::text::Span;
use crate::words::word_spans;

use super::terms::MAX_ANALYZED_BYTES;

/// A line needs this many words of its own (outside links) to be a sentence: a list item
/// that names a person, a file format or a link is not one.
const SENTENCE_WORDS: u32 = 5;

/// Words of a body, counted line by line (stop words included, code blocks left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProseCount {
    /// Every word of the body: headings, tables, links' text and prose.
    pub words: u32,
    /// Words of sentence lines outside links: paragraphs and list items that say something
    /// in words of their own, more of them than the links on the line.
    pub prose: u32,
}

/// Counts the words of the note's body and those of its prose.
pub fn prose_count(note: &Note) -> ProseCount {
    let start = note.frontmatter.as_ref().map_or(0, |f| f.span.end as usize);
    let text = &note.text[..];
    let mut end = text.len().min(start.saturating_add(MAX_ANALYZED_BYTES));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Links, and inline code and HTML: words there are not the note's own sentences.
    let mut links: Vec<Span> = note
        .links
        .iter()
        .filter(|l| l.source == LinkSource::Body)
        .map(|l| l.span)
        .chain(note.code.iter().copied())
        .collect();
    links.sort_by_key(|s| (s.start, s.end));
    let links = merge_overlapping(links);
    let code = &note.code;
    let mut count = ProseCount::default();
    let (mut next_link, mut next_code) = (0, 0);
    let mut at = start.min(end);
    while at < end {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[at..end]).map_or(end, |i| at + i);
        let line = &text[at..line_end];
        let lead = line.len() - line.trim_start().len();
        let (first, last) = (at + lead, at + line.trim_end().len());
        while next_code < code.len() && (code[next_code].end as usize) <= first {
            next_code += 1;
        }
        let in_code = code.get(next_code).is_some_and(|c| {
            (c.start as usize) <= first && (c.end as usize) >= last && first < last
        });
        if first < last && !in_code {
            let content = strip_quote(&text[first..last]);
            let kind = line_kind(content);
            let (own, linked) = line_words(text, at, line_end, &links, &mut next_link);
            count.words += own + linked;
            if kind == LineKind::Text && own >= SENTENCE_WORDS && own > linked {
                count.prose += own;
            }
        }
        at = line_end + 1;
    }
    count
}

/// Joins spans that overlap or nest (a link inside HTML) into disjoint ones, in order.
fn merge_overlapping(sorted: Vec<Span>) -> Vec<Span> {
    let mut merged: Vec<Span> = Vec::with_capacity(sorted.len());
    for span in sorted {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    Heading,
    Table,
    Text,
}

/// A line without its blockquote and callout markers.
fn strip_quote(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix('>') {
        line = rest.trim_start();
    }
    line
}

fn line_kind(line: &str) -> LineKind {
    if line.starts_with('#') && line.trim_start_matches('#').starts_with([' ', '\t']) {
        LineKind::Heading
    } else if line.starts_with('|') {
        LineKind::Table
    } else {
        LineKind::Text
    }
}

/// Words of the line `[from, to)` outside links (and code) and inside them; `next` walks
/// the sorted spans along with the lines.
fn line_words(text: &str, from: usize, to: usize, links: &[Span], next: &mut usize) -> (u32, u32) {
    // The spans are disjoint and sorted, and words come in order: one cursor serves both,
    // so a line of a million words and links costs a million steps, not their product.
    let (mut own, mut linked) = (0, 0);
    word_spans(&text[from..to], |start, end| {
        let (start, end) = (from + start, from + end);
        while *next < links.len() && (links[*next].end as usize) <= start {
            *next += 1;
        }
        let inside = links.get(*next).is_some_and(|l| (l.start as usize) < end);
        if inside {
            linked += 1;
        } else {
            own += 1;
        }
    });
    (own, linked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::parse_note;

    fn count(text: &str) -> ProseCount {
        prose_count(&parse_note("n.md".into(), text.into()))
    }

    #[test]
    fn sentences_are_prose_and_link_lists_are_not() {
        let hub = "# Home\n\n- [[Bicycle Maintenance]]\n- [[Chess Openings]]\n- [[Tide Pools]]\n";
        assert_eq!(count(hub).prose, 0);
        let prose = "The baker keeps a starter of flour and water.\n\n- Feed the starter every day with [[Flour]].\n";
        assert_eq!(count(prose).prose, 9 + 6);
        // A list item that names a link and says little of its own.
        let item = "- [[Obsidian Sync]] for your notes\n";
        assert_eq!(count(item).prose, 0);
    }

    #[test]
    fn nested_and_overlapping_spans_merge_into_one() {
        let spans = vec![
            Span::new(0, 10),
            Span::new(2, 4),
            Span::new(8, 12),
            Span::new(20, 25),
        ];
        assert_eq!(
            merge_overlapping(spans),
            vec![Span::new(0, 12), Span::new(20, 25)]
        );
    }

    #[test]
    fn words_inside_nested_spans_are_linked_and_the_rest_own() {
        // A span (HTML) holding another (a link), then a lone span: aa bb cc and ee are inside.
        let text = "aa bb cc dd ee ff";
        let spans = vec![Span::new(0, 8), Span::new(3, 5), Span::new(12, 14)];
        let links = merge_overlapping(spans);
        let mut next = 0;
        let counts = line_words(text, 0, text.len(), &links, &mut next);
        assert_eq!(counts, (2, 4));
    }

    #[test]
    fn headings_tables_code_and_names_are_not_prose() {
        let text = "## A heading with many words in it\n| a | table | with | many | cells | here |\n```\ncode code code code code code\n```\n- Jane Doe\n- John Smith (translator)\n";
        let c = count(text);
        assert_eq!(c.prose, 0);
        assert!(c.words >= 14, "{c:?}");
        let quoted = "> [!note] A callout is prose when it says something of its own.\n";
        // The callout type counts as a word too.
        assert_eq!(count(quoted).prose, 12);
    }
}
