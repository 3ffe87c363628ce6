//! The Obsidian scanner over the raw body text: wikilinks, `#tags`, footnotes and `%%comments%%`.
//!
//! It runs on the original bytes rather than on markdown events so that spans are
//! exact, and it skips the zones (code, math, HTML, comments) the markdown walk found.

use std::ops::Range;

use memchr::memchr2;
use memchr::memmem;
use unicode_normalization::char::is_combining_mark;

use super::footnotes;
use super::lex::is_escaped;
use super::model::{FootnoteDef, FootnoteRef, Link, LinkSource, Tag, TagSource};
use super::wikilink::{self, Step};
use super::zones::Zones;
use crate::text::Span;

#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub links: Vec<Link>,
    pub tags: Vec<Tag>,
    pub footnote_refs: Vec<FootnoteRef>,
    pub footnote_defs: Vec<FootnoteDef>,
}

/// Finds `%%comments%%` from `start`, ignoring `%%` inside code zones. An unclosed
/// comment runs to the end of the text, as Obsidian hides everything after it.
pub(crate) fn comments(text: &str, start: usize, code: &Zones) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let finder = memmem::Finder::new("%%");
    let mut zone = code.cursor();
    let mut out = Vec::new();
    let mut pos = start;
    while let Some(k) = finder.find(&bytes[pos..]) {
        let p = pos + k;
        if let Some(end) = zone.zone_end(p) {
            pos = end;
            continue;
        }
        match finder.find(&bytes[p + 2..]) {
            Some(k) => {
                out.push(p..p + 2 + k + 2);
                pos = p + 2 + k + 2;
            }
            None => {
                out.push(p..bytes.len());
                break;
            }
        }
    }
    out
}

/// Scans the body from `start`. `zones` hide everything; `link_zones` (markdown links
/// and autolinks) hide tags only.
pub(crate) fn scan(text: &str, start: usize, zones: &Zones, link_zones: &Zones) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    let mut zone = zones.cursor();
    let mut in_link = link_zones.cursor();
    let mut unclosed_until = 0;
    let mut urls = UrlWords::default();
    let mut pos = start;
    while let Some(k) = memchr2(b'[', b'#', &bytes[pos..]) {
        let p = pos + k;
        if let Some(end) = zone.zone_end(p) {
            pos = end;
            continue;
        }
        pos = p + 1;
        if bytes[p] == b'#' {
            if in_link.zone_end(p).is_none()
                && let Some(tag) = tag_at(text, p, start, &mut urls)
            {
                pos = tag.span.end as usize;
                out.tags.push(tag);
            }
            continue;
        }
        if is_escaped(bytes, p, start) {
            continue;
        }
        match bytes.get(p + 1) {
            Some(b'[') => {
                // In a run like `[[[x]]` the last two brackets open the link.
                if bytes.get(p + 2) == Some(&b'[') || p < unclosed_until {
                    continue;
                }
                match wikilink::at(text, p, start, bytes.len(), &LinkSource::Body) {
                    Step::Closed(link, resume) => {
                        let span_start = link.as_ref().map_or(p, |l| l.span.start as usize);
                        if !zones.overlaps(span_start..resume) {
                            out.links.extend(link);
                            pos = resume;
                        }
                    }
                    Step::Reopen(q) => pos = q,
                    Step::Unclosed(line_end) => unclosed_until = line_end,
                }
            }
            _ => {
                if let Some(def) = footnotes::definition_at(text, p, start) {
                    // The definition's text is scanned too: it may hold links and tags.
                    pos = def.span.end as usize;
                    out.footnote_defs.push(def);
                } else if let Some(r) = footnotes::reference_at(text, p) {
                    pos = r.span.end as usize;
                    out.footnote_refs.push(r);
                }
            }
        }
    }
    out
}

/// Reads a tag whose `#` is at `hash`: not glued to a word, a URL or an entity, made of
/// letters, digits, `_`, `-` and `/`, and not all digits.
fn tag_at(text: &str, hash: usize, lo: usize, urls: &mut UrlWords) -> Option<Tag> {
    let bytes = text.as_bytes();
    if let Some(prev) = text[lo..hash].chars().next_back() {
        if prev.is_alphanumeric()
            || is_combining_mark(prev)
            || matches!(prev, '_' | '&' | '/' | '#' | '\\')
        {
            return None;
        }
        if !prev.is_whitespace() && urls.in_url(bytes, hash, lo) {
            return None;
        }
    }
    let mut end = hash + 1;
    let mut has_non_digit = false;
    while end < bytes.len() {
        let b = bytes[end];
        if b.is_ascii() {
            if !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'/')) {
                break;
            }
            has_non_digit |= !b.is_ascii_digit();
            end += 1;
        } else {
            let c = text[end..].chars().next()?;
            if !(c.is_alphanumeric() || is_combining_mark(c)) {
                break;
            }
            has_non_digit |= !c.is_numeric();
            end += c.len_utf8();
        }
    }
    if !has_non_digit {
        return None;
    }
    Some(Tag {
        name: text[hash + 1..end].to_string(),
        span: Span::new(hash, end),
        source: TagSource::Inline,
    })
}

/// Answers "is this `#` inside a URL?" for increasing positions: whether the word
/// (run of non-whitespace) around it contains `://` before it. The last word is
/// remembered, so many `#` in one long word cost linear time in total.
#[derive(Default)]
struct UrlWords {
    /// Start of the last word looked at, and how far it has been searched.
    word: usize,
    searched: usize,
    has_scheme: bool,
}

impl UrlWords {
    fn in_url(&mut self, bytes: &[u8], pos: usize, lo: usize) -> bool {
        let from = self.searched.max(lo);
        if from > pos {
            return self.has_scheme;
        }
        match bytes[from..pos].iter().rposition(u8::is_ascii_whitespace) {
            Some(i) => {
                self.word = from + i + 1;
                self.has_scheme = memmem::find(&bytes[self.word..pos], b"://").is_some();
            }
            None if self.searched == 0 => {
                self.word = lo;
                self.has_scheme = memmem::find(&bytes[lo..pos], b"://").is_some();
            }
            None => {
                // Same word as before: only the new part (and two bytes of overlap) is new.
                let back = from.saturating_sub(2).max(self.word);
                self.has_scheme |= memmem::find(&bytes[back..pos], b"://").is_some();
            }
        }
        self.searched = pos;
        self.has_scheme
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_plain(text: &str) -> Scan {
        scan(text, 0, &Zones::default(), &Zones::default())
    }

    fn tag_names(text: &str) -> Vec<String> {
        scan_plain(text).tags.into_iter().map(|t| t.name).collect()
    }

    #[test]
    fn url_words_are_tracked_incrementally() {
        let text = b"a http://x/?#b?#c d?#e";
        let mut urls = UrlWords::default();
        assert!(urls.in_url(text, 12, 0));
        assert!(urls.in_url(text, 15, 0));
        assert!(!urls.in_url(text, 20, 0));
        let mut urls = UrlWords::default();
        assert!(!urls.in_url(b"ab?#", 3, 0));
    }

    #[test]
    fn tags_rules() {
        assert_eq!(
            tag_names("#a (#b) ,#c x#d &#e /#f #123 #1a #a/b-c_d #тег #日本 #x."),
            ["a", "b", "c", "1a", "a/b-c_d", "тег", "日本", "x"]
        );
        assert_eq!(tag_names("\\#esc ##h #"), Vec::<String>::new());
        assert_eq!(
            tag_names("http://x.com/#frag https://x.com/?#q (see #ok)"),
            ["ok"]
        );
    }

    #[test]
    fn tag_span_includes_hash_and_stops_at_emoji() {
        let text = "Ж #тег😀 end";
        let tags = scan_plain(text).tags;
        assert_eq!(&text[tags[0].span.range()], "#тег");
        assert_eq!(tags[0].name, "тег");
        assert_eq!(tags[0].source, TagSource::Inline);
    }

    #[test]
    fn zones_hide_everything() {
        let text = "a `[[X]] #t [^1]` b [[Y]] #u";
        let code = text.find('`').unwrap()..text.rfind('`').unwrap() + 1;
        let s = scan(text, 0, &Zones::new(vec![code]), &Zones::default());
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.links[0].target(text), "Y");
        assert_eq!(s.tags.len(), 1);
        assert_eq!(s.tags[0].name, "u");
        assert!(s.footnote_refs.is_empty());
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init, reason = "one zone is meant")]
    fn link_zones_hide_tags_only() {
        let text = "[x](#anchor) [[#H]]";
        let s = scan(text, 0, &Zones::default(), &Zones::new(vec![0..12]));
        assert!(s.tags.is_empty());
        assert_eq!(s.links.len(), 1);
    }

    #[test]
    fn footnotes_in_body() {
        let text = "a [^1] b.\n[^1]: [[Src]] #t\n[ ^2 ]: x\n";
        let s = scan_plain(text);
        assert_eq!(s.footnote_refs.len(), 1);
        assert_eq!(s.footnote_defs.len(), 2);
        assert!(s.footnote_defs[1].malformed);
        assert_eq!(s.links[0].target(text), "Src");
        assert_eq!(s.tags[0].name, "t");
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init, reason = "one zone is meant")]
    fn comments_closed_unclosed_and_in_code() {
        let text = "a %%x%% b `%%` c %% rest";
        let code = Zones::new(vec![10..14]);
        assert_eq!(comments(text, 0, &code), vec![2..7, 17..text.len()]);
    }
}
