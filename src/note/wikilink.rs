//! Wikilinks `[[target#anchor|display]]` and embeds `![[...]]`: finding their ends and splitting them.
//!
//! Everything here runs in time linear in the bytes it looks at, so a line of ten
//! thousand `[[` or a link with ten thousand `#` stays cheap.

use std::ops::Range;

use memchr::{memchr, memchr3};

use super::lex::{is_escaped, trim_range};
use super::model::{Anchor, Link, LinkKind, LinkParts, LinkSource};
use crate::text::Span;

/// What [`at`] found at a `[[`.
pub(crate) enum Step {
    /// A complete `[[...]]` (the link is `None` when it names nothing, like `[[]]`);
    /// scanning resumes at the offset.
    Closed(Option<Link>, usize),
    /// Another `[[` opens before any `]]`: scanning resumes there, where the inner link wins.
    Reopen(usize),
    /// No `]]` before this offset, the end of the line: no `[[` before it can close.
    Unclosed(usize),
}

/// Reads the wikilink whose `[[` starts at `open`, within `lo..hi` of `text`.
///
/// `lo` bounds the look-behind for `!` and backslash escapes.
pub(crate) fn at(text: &str, open: usize, lo: usize, hi: usize, source: &LinkSource) -> Step {
    let bytes = text.as_bytes();
    let inner_start = open + 2;
    let mut i = inner_start;
    while let Some(k) = memchr3(b']', b'[', b'\n', &bytes[i..hi]) {
        let q = i + k;
        let next = bytes.get(q + 1).copied();
        match bytes[q] {
            b'\n' => return Step::Unclosed(q),
            b']' if next == Some(b']') && q + 1 < hi => {
                let embed =
                    open > lo && bytes[open - 1] == b'!' && !is_escaped(bytes, open - 1, lo);
                let span_start = if embed { open - 1 } else { open };
                let link = build(text, span_start, inner_start..q, embed, source);
                return Step::Closed(link, q + 2);
            }
            b'[' if next == Some(b'[') && q + 1 < hi => return Step::Reopen(q),
            _ => {}
        }
        i = q + 1;
    }
    Step::Unclosed(hi)
}

/// Splits the inside of a wikilink into target, anchor and display.
fn build(
    text: &str,
    span_start: usize,
    inner: Range<usize>,
    embed: bool,
    source: &LinkSource,
) -> Option<Link> {
    let bytes = text.as_bytes();
    let pipe = memchr(b'|', &bytes[inner.clone()]).map(|k| inner.start + k);
    let mut target_end = pipe.unwrap_or(inner.end);
    // Inside tables the pipe is written `\|`; the backslash belongs to neither part.
    if pipe.is_some() && target_end > inner.start && bytes[target_end - 1] == b'\\' {
        target_end -= 1;
    }
    if is_template_placeholder(&text[inner.start..target_end]) {
        return None;
    }
    let hash = memchr(b'#', &bytes[inner.start..target_end]).map(|k| inner.start + k);
    let file = trim_range(text, inner.start..hash.unwrap_or(target_end));
    let anchor = hash.and_then(|h| {
        let raw = trim_range(text, h + 1..target_end);
        parse_anchor(&text[raw.clone()], raw)
    });
    if file.is_empty() && anchor.is_none() {
        return None;
    }
    let target_span = if file.is_empty() {
        Span::empty(inner.start)
    } else {
        Span::new(file.start, file.end)
    };
    let display = pipe
        .map(|p| trim_range(text, p + 1..inner.end))
        .filter(|r| !r.is_empty())
        .map(|r| Span::new(r.start, r.end));
    // Every string of a wikilink is the text at its span.
    Some(Link::new(
        LinkKind::Wiki,
        embed,
        source.clone(),
        target_span,
        anchor,
        display,
        Span::new(span_start, inner.end + 2),
        LinkParts::default(),
    ))
}

/// Whether a link's target holds a Templater expression (`<% tp.date.now() %>`) or a core
/// template variable (`{{date}}`): a template's placeholder, filled in when the template is
/// used, and no link until then.
fn is_template_placeholder(target: &str) -> bool {
    let holds = |open: &str, close: &str| {
        target
            .find(open)
            .is_some_and(|i| target[i + open.len()..].contains(close))
    };
    holds("<%", "%>") || holds("{{", "}}")
}

/// The anchor whose text after a link's first `#` is `raw`, at `span`: `^id` names a
/// block, anything else is a heading path split on further `#` ([`AnchorKind::of`]).
/// `None` when it names nothing: an empty id, or no heading part.
///
/// [`AnchorKind::of`]: super::model::AnchorKind::of
pub(crate) fn parse_anchor(raw: &str, span: Range<usize>) -> Option<Anchor> {
    let raw = raw.trim();
    let empty = match raw.strip_prefix('^') {
        Some(id) => id.trim().is_empty(),
        None => raw.split('#').all(|p| p.trim().is_empty()),
    };
    (!empty).then(|| Anchor {
        span: Span::new(span.start, span.end),
    })
}

/// Every wikilink inside `range`, for frontmatter values where no markdown applies.
pub(crate) fn scan_range(
    text: &str,
    range: Range<usize>,
    source: &LinkSource,
    out: &mut Vec<Link>,
) {
    let bytes = text.as_bytes();
    let mut pos = range.start;
    let mut unclosed_until = 0;
    while let Some(k) = memchr(b'[', &bytes[pos..range.end]) {
        let p = pos + k;
        pos = p + 1;
        if bytes.get(p + 1) != Some(&b'[') || p + 1 >= range.end || p < unclosed_until {
            continue;
        }
        if bytes.get(p + 2) == Some(&b'[') || is_escaped(bytes, p, range.start) {
            continue;
        }
        match at(text, p, range.start, range.end, source) {
            Step::Closed(link, resume) => {
                out.extend(link);
                pos = resume;
            }
            Step::Reopen(q) => pos = q,
            Step::Unclosed(line_end) => unclosed_until = line_end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::AnchorKind;

    fn links(text: &str) -> Vec<Link> {
        let mut out = Vec::new();
        scan_range(text, 0..text.len(), &LinkSource::Body, &mut out);
        out
    }

    #[test]
    fn target_anchor_display() {
        let text = "see [[Note#Head#Sub|shown]] and ![[img.png]]";
        let l = links(text);
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].target(text), "Note");
        assert_eq!(&text[l[0].target_span.range()], "Note");
        assert_eq!(&text[l[0].span.range()], "[[Note#Head#Sub|shown]]");
        let anchor = l[0].anchor.as_ref().unwrap();
        assert_eq!(
            l[0].anchor_kind(text).unwrap(),
            AnchorKind::Heading(smallvec::smallvec!["Head", "Sub"])
        );
        assert_eq!(&text[anchor.span.range()], "Head#Sub");
        assert_eq!(l[0].display(text), Some("shown"));
        assert!(!l[0].embed);
        assert!(l[1].embed);
        assert_eq!(&text[l[1].span.range()], "![[img.png]]");
    }

    #[test]
    fn template_placeholders_are_not_links() {
        let text = "[[<% tp.date.now(\"YYYY-MM-DD\") %>]] [[{{date}}]] [[Daily/{{date:YYYY}}|today]] \
                    [[Note#{{title}}]] [[a {{ b]] [[c %> d <%]]";
        let targets: Vec<String> = links(text)
            .into_iter()
            .map(|l| l.target(text).to_string())
            .collect();
        // Only the links whose markers do not make a placeholder remain.
        assert_eq!(targets, ["a {{ b", "c %> d <%"]);
    }

    #[test]
    fn same_note_and_block_anchors() {
        let text = "[[#^abc-1]] [[ #Heading ]]";
        let l = links(text);
        assert_eq!(l[0].target(text), "");
        assert_eq!(l[0].target_span, Span::empty(2));
        assert_eq!(l[0].anchor_kind(text).unwrap(), AnchorKind::Block("abc-1"));
        assert_eq!(l[1].target(text), "");
        assert_eq!(
            l[1].anchor_kind(text).unwrap(),
            AnchorKind::Heading(smallvec::smallvec!["Heading"])
        );
    }

    #[test]
    fn table_pipe_escape_and_empty_links() {
        let text = "| [[Note\\|alias]] | [[]] [[|x]] [[ ]]";
        let l = links(text);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].target(text), "Note");
        assert_eq!(l[0].display(text), Some("alias"));
    }

    #[test]
    fn no_link_across_lines_or_escaped() {
        assert!(links("[[a\nb]]").is_empty());
        assert!(links("\\[[a]]").is_empty());
        let l = links("\\![[a]]");
        assert_eq!(l.len(), 1);
        assert!(!l[0].embed);
    }

    #[test]
    fn innermost_open_wins() {
        let text = "[[a [[b]] [[[c]]";
        let l = links(text);
        let targets: Vec<&str> = l.iter().map(|l| l.target(text)).collect();
        assert_eq!(targets, ["b", "c"]);
        assert_eq!(&text[l[1].span.range()], "[[c]]");
    }

    #[test]
    fn many_hashes_are_linear() {
        let text = format!("[[a{}b]]", "#".repeat(10_000));
        let start = crate::note::cpu_clock::Clock::start();
        let l = links(&text);
        assert!(start.secs() < 0.5);
        assert_eq!(l[0].target(&text), "a");
        assert_eq!(
            l[0].anchor_kind(&text).unwrap(),
            AnchorKind::Heading(smallvec::smallvec!["b"])
        );
        let only = format!("[[{}]]", "#".repeat(10_000));
        assert!(links(&only).is_empty());
    }

    #[test]
    fn many_unclosed_opens_are_linear() {
        let text = "[[x ".repeat(200_000);
        let start = crate::note::cpu_clock::Clock::start();
        assert!(links(&text).is_empty());
        assert!(start.secs() < 2.0);
    }
}
