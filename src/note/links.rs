//! Markdown links `[text](target)` and images `![alt](file)`: internal targets with exact spans.

use std::ops::Range;

use memchr::{memchr, memmem};
use percent_encoding::percent_decode_str;
use pulldown_cmark::{CowStr, LinkType};

use super::lex::trim_range;
use super::model::{Link, LinkKind, LinkParts, LinkSource};
use super::wikilink::parse_anchor;
use crate::text::Span;

/// A markdown link between its start and end events.
pub(crate) struct PendingLink<'a> {
    link_type: LinkType,
    dest: CowStr<'a>,
    /// The reference label, for `[text][label]` links.
    id: CowStr<'a>,
    range: Range<usize>,
    embed: bool,
    text: String,
    /// Where the link text ends so far; the destination comes after it.
    text_end: usize,
}

impl<'a> PendingLink<'a> {
    pub(crate) fn new(
        link_type: LinkType,
        dest: CowStr<'a>,
        id: CowStr<'a>,
        range: Range<usize>,
        embed: bool,
    ) -> Self {
        let text_end = range.start + 1 + usize::from(embed);
        PendingLink {
            link_type,
            dest,
            id,
            range,
            embed,
            text: String::new(),
            text_end,
        }
    }

    /// Records inline content inside the link text.
    pub(crate) fn push_text(&mut self, t: &str, range: &Range<usize>) {
        self.text.push_str(t);
        // Odd inputs can give inner events ranges past the link's own end.
        self.text_end = self.text_end.max(range.end).min(self.range.end);
    }
}

/// Builds the link at its end event. `def_span` finds a reference definition's range
/// (relative to `base`) by label. Returns `None` for external and empty targets.
pub(crate) fn finish(
    text: &str,
    base: usize,
    link: PendingLink<'_>,
    def_span: impl Fn(&str) -> Option<Range<usize>>,
) -> Option<Link> {
    let dest: &str = &link.dest;
    if dest.is_empty() || is_external(dest) {
        return None;
    }
    let raw = match link.link_type {
        LinkType::Inline => inline_dest(text, link.text_end, link.range.end),
        LinkType::Reference
        | LinkType::ReferenceUnknown
        | LinkType::Collapsed
        | LinkType::CollapsedUnknown
        | LinkType::Shortcut
        | LinkType::ShortcutUnknown => {
            def_span(&link.id).and_then(|r| definition_dest(text, r.start + base..r.end + base))
        }
        _ => None,
    };
    // A destination that does not line up with characters is not trusted for spans.
    let raw = raw.filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    let hash = dest.find('#');
    let target = decode(&dest[..hash.unwrap_or(dest.len())]);
    let raw_hash = raw
        .as_ref()
        .map(|r| memchr(b'#', &text.as_bytes()[r.clone()]).map_or(r.end, |k| r.start + k));
    let mut parts = LinkParts::default();
    let anchor = hash.and_then(|h| {
        let span = match (&raw, raw_hash) {
            (Some(r), Some(rh)) if rh < r.end => rh + 1..r.end,
            _ => link.range.clone(),
        };
        let decoded = decode(&dest[h + 1..]);
        let anchor = parse_anchor(&decoded, span.clone())?;
        parts.anchor = own_unless_at(text, span, decoded);
        Some(anchor)
    });
    if target.is_empty() && anchor.is_none() {
        return None;
    }
    let target_span = match (&raw, raw_hash) {
        (Some(r), Some(_)) if target.is_empty() => Span::empty(r.start),
        (Some(r), Some(rh)) => Span::new(r.start, rh),
        _ => Span::new(link.range.start, link.range.end),
    };
    parts.target = own_unless_at(text, target_span.range(), target);
    let display = link.text.trim();
    let display_span = (!display.is_empty()).then(|| {
        // Where the link text is written: what its text events give, when that is the
        // text there (no markup, no escapes).
        let inner = link.range.start + 1 + usize::from(link.embed)..link.text_end;
        match text.get(inner.clone()).map(|_| trim_range(text, inner)) {
            Some(inner) if &text[inner.clone()] == display => Span::new(inner.start, inner.end),
            _ => {
                parts.display = Some(display.to_string());
                Span::new(link.range.start, link.range.end)
            }
        }
    });
    Some(Link::new(
        LinkKind::Markdown,
        link.embed,
        LinkSource::Body,
        target_span,
        anchor,
        display_span,
        Span::new(link.range.start, link.range.end),
        parts,
    ))
}

/// `Some(string)` unless the text at `range` is `string` already.
fn own_unless_at(text: &str, range: Range<usize>, string: String) -> Option<String> {
    (text.get(range) != Some(string.as_str())).then_some(string)
}

/// Whether a destination points outside the vault: a URL scheme (`https:`, `mailto:`,
/// `obsidian:`), a protocol-relative `//host` or a bare `www.` address.
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") || dest.starts_with("www.") {
        return true;
    }
    let bytes = dest.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    for &b in &bytes[1..] {
        match b {
            b':' => return true,
            b if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => {}
            _ => return false,
        }
    }
    false
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The destination of `[text](dest "title")`, found after the link text.
fn inline_dest(text: &str, text_end: usize, link_end: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let open = text_end + memmem::find(bytes.get(text_end..link_end)?, b"](")? + 2;
    // The range ends with the closing parenthesis, which is not part of the destination.
    destination(bytes, open, link_end.saturating_sub(1).max(open))
}

/// The destination of a reference definition `[label]: dest "title"`.
fn definition_dest(text: &str, def: Range<usize>) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let colon = def.start + memmem::find(bytes.get(def.clone())?, b"]:")? + 2;
    destination(bytes, colon, def.end)
}

/// Reads a link destination starting at `from` (after optional whitespace), without
/// the angle brackets of `<...>`.
fn destination(bytes: &[u8], from: usize, limit: usize) -> Option<Range<usize>> {
    let mut i = from;
    while i < limit && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < limit && bytes[i] == b'<' {
        let close = i + 1 + memchr(b'>', &bytes[i + 1..limit])?;
        return Some(i + 1..close);
    }
    let start = i;
    let mut depth = 0usize;
    while i < limit {
        match bytes[i] {
            b if b.is_ascii_whitespace() => break,
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    let end = i.min(limit);
    (end > start).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_schemes() {
        for d in [
            "http://x",
            "https://x/y",
            "mailto:a@b",
            "obsidian://open",
            "//cdn/x",
            "C:\\x",
            "www.x.com",
        ] {
            assert!(is_external(d), "{d}");
        }
        for d in [
            "Note.md",
            "dir/My%20Note.md",
            "#anchor",
            "../a.png",
            "a b.md",
        ] {
            assert!(!is_external(d), "{d}");
        }
    }

    #[test]
    fn destinations() {
        let t = b"(  <My Note.md> \"t\")";
        assert_eq!(destination(t, 1, t.len() - 1), Some(4..14));
        let t = b"(a(b)c.md \"t\")";
        assert_eq!(destination(t, 1, t.len() - 1), Some(1..9));
        let t = b"()";
        assert_eq!(destination(t, 1, 1), None);
    }
}
