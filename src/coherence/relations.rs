//! Typed links of one note: which of its links declare an upstream, downstream or related idea.
//!
//! A link is typed by the frontmatter property holding it (`up: "[[X]]"`), by a Dataview
//! inline field before it on its line (`up:: [[X]]`, `[up:: [[X]]]`), or by the innermost
//! heading above it whose text matches a relation's patterns ("### 1️⃣ Вышестоящие идеи").
//! Links inside footnote definitions cite sources and are never typed.

use crate::config::{Relation, RelationsConfig};
use crate::note::{LinkSource, Note};
use crate::text::Span;
use crate::vault::simple_lowercase;

/// Where a typed link got its relation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Declared {
    /// A frontmatter property; the key as written.
    Property(String),
    /// A Dataview inline field; the key as written.
    InlineField(String),
    /// A link section; the index of its heading in [`Note::headings`].
    Section(usize),
}

/// One typed link of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedLink {
    /// Index into [`Note::links`].
    pub link: u32,
    pub relation: Relation,
    pub declared: Declared,
}

/// Heading patterns, normalized once.
#[derive(Clone, Debug)]
pub struct HeadingMatcher {
    patterns: Vec<(String, Relation)>,
    /// The first letter of each pattern: most headings start with none of them, and need
    /// not be normalized at all.
    firsts: Vec<char>,
    /// Characters of the longest pattern.
    longest: usize,
}

impl HeadingMatcher {
    pub fn new(config: &RelationsConfig) -> HeadingMatcher {
        let mut patterns = Vec::new();
        for relation in Relation::ALL {
            for pattern in &config.headings[relation.index()] {
                let normalized = normalize_heading(pattern);
                if !normalized.is_empty() {
                    patterns.push((normalized, relation));
                }
            }
        }
        // Longest first, so "Upstream" wins over "Up" when both are configured.
        patterns.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let mut firsts: Vec<char> = patterns
            .iter()
            .filter_map(|(p, _)| p.chars().next())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        let longest = patterns
            .iter()
            .map(|(p, _)| p.chars().count())
            .max()
            .unwrap_or(0);
        HeadingMatcher {
            patterns,
            firsts,
            longest,
        }
    }

    /// The relation a heading's text names: a pattern at its start, as whole words,
    /// ignoring case, numbering, emoji and punctuation around it.
    pub fn relation_of(&self, heading: &str) -> Option<Relation> {
        // The normalized text starts with the first letter, lowercased (patterns are never
        // empty), so a heading whose first letter starts no pattern names no relation.
        let first = heading.chars().find(|&c| is_alphabetic(c))?;
        let first = simple_lowercase(first).or_else(|| first.to_lowercase().next())?;
        if self.firsts.binary_search(&first).is_err() {
            return None;
        }
        // Only the start of the text can match: one character past the longest pattern
        // says all (normalizing whole headings was a tenth of the topology's time).
        let text = normalized_head(heading, self.longest + 1);
        self.patterns.iter().find_map(|(pattern, relation)| {
            let rest = text.strip_prefix(pattern.as_str())?;
            let boundary = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
            boundary.then_some(*relation)
        })
    }
}

/// The first `limit` characters of [`normalize_heading`]'s text, in one loop over the
/// heading's characters (an iterator of splits and flat maps took thousands of
/// instructions a heading).
fn normalized_head(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let (mut started, mut gap) = (false, false);
    for c in text.chars() {
        if !started {
            if !is_alphabetic(c) {
                continue;
            }
            started = true;
        }
        if !is_alphanumeric(c) {
            gap = true;
            continue;
        }
        if gap {
            if count == limit {
                break;
            }
            out.push(' ');
            count += 1;
            gap = false;
        }
        match simple_lowercase(c) {
            Some(lower) => {
                if count == limit {
                    break;
                }
                out.push(lower);
                count += 1;
            }
            None => {
                for lower in c.to_lowercase() {
                    if count == limit {
                        return out;
                    }
                    out.push(lower);
                    count += 1;
                }
            }
        }
    }
    out
}

/// `char::is_alphabetic`, without the Unicode tables for the Russian alphabet.
#[inline]
fn is_alphabetic(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && (is_russian_letter(c) || c.is_alphabetic()))
}

/// `char::is_alphanumeric`, without the Unicode tables for the Russian alphabet.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && (is_russian_letter(c) || c.is_alphanumeric()))
}

#[inline]
fn is_russian_letter(c: char) -> bool {
    matches!(c, '\u{0410}'..='\u{044F}' | 'Ё' | 'ё')
}

/// Lowercase words separated by single spaces, without what surrounds them: "1️⃣ Вышестоящие
/// идеи:" becomes "вышестоящие идеи". Digits inside the text are kept.
fn normalize_heading(text: &str) -> String {
    let start = text.find(char::is_alphabetic).unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() - start);
    for word in text[start..].split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The typed links of `note`, in the order of its links.
pub fn typed_links(
    note: &Note,
    config: &RelationsConfig,
    matcher: &HeadingMatcher,
) -> Vec<TypedLink> {
    let sections: Vec<(Span, Relation, usize)> = note
        .headings
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let relation = matcher.relation_of(&h.text)?;
            Some((note.section_span(i), relation, i))
        })
        .collect();
    let footnotes = footnote_zones(note);
    let mut sweep = SectionSweep::new(&sections);
    let mut out = Vec::new();
    for (i, link) in note.links.iter().enumerate() {
        let typed = match &link.source {
            LinkSource::Frontmatter { key } => config
                .relation_of_key(key)
                .map(|r| (r, Declared::Property(key.to_string()))),
            LinkSource::Body => {
                let at = link.span.start as usize;
                if in_zone(&footnotes, at) {
                    continue;
                }
                inline_field(&note.text, at, config).or_else(|| sweep.innermost(at))
            }
        };
        if let Some((relation, declared)) = typed {
            out.push(TypedLink {
                link: i as u32,
                relation,
                declared,
            });
        }
    }
    out
}

/// Finds the innermost relation section around each offset of a rising sequence in one
/// pass: sections (in document order, so nested or disjoint) open as the offsets pass
/// their start and close at their end. A long note with thousands of sections and links
/// stays linear.
struct SectionSweep<'a> {
    sections: &'a [(Span, Relation, usize)],
    next: usize,
    open: Vec<usize>,
    last: usize,
}

impl<'a> SectionSweep<'a> {
    fn new(sections: &'a [(Span, Relation, usize)]) -> SectionSweep<'a> {
        SectionSweep {
            sections,
            next: 0,
            open: Vec::new(),
            last: 0,
        }
    }

    fn innermost(&mut self, at: usize) -> Option<(Relation, Declared)> {
        if at < self.last {
            // Offsets went back (not expected of body links): start the sweep again.
            self.next = 0;
            self.open.clear();
        }
        self.last = at;
        while let Some((span, _, _)) = self.sections.get(self.next)
            && span.start as usize <= at
        {
            while self
                .open
                .last()
                .is_some_and(|&o| self.sections[o].0.end <= span.start)
            {
                self.open.pop();
            }
            self.open.push(self.next);
            self.next += 1;
        }
        while self
            .open
            .last()
            .is_some_and(|&o| self.sections[o].0.end as usize <= at)
        {
            self.open.pop();
        }
        let &top = self.open.last()?;
        let (_, relation, heading) = self.sections[top];
        Some((relation, Declared::Section(heading)))
    }
}

/// Whether `at` falls in one of `zones` (sorted by start, not overlapping).
fn in_zone(zones: &[std::ops::Range<usize>], at: usize) -> bool {
    let after = zones.partition_point(|z| z.start <= at);
    after > 0 && zones[after - 1].contains(&at)
}

/// Byte ranges of footnote definitions: the marker's line and the indented lines after it.
fn footnote_zones(note: &Note) -> Vec<std::ops::Range<usize>> {
    let text = note.text.as_bytes();
    let mut zones = note
        .footnote_defs
        .iter()
        .map(|def| {
            let start = def.span.start as usize;
            let mut end = line_end(text, start);
            // Continuation lines are indented and not blank.
            while end < text.len() {
                let next = end + 1;
                let next_end = line_end(text, next);
                let line = &text[next..next_end];
                let indented = matches!(line.first(), Some(b' ' | b'\t'));
                if !indented || line.iter().all(u8::is_ascii_whitespace) {
                    break;
                }
                end = next_end;
            }
            start..end
        })
        .collect::<Vec<_>>();
    // Indented definitions can fall inside another's continuation: merge, so the zones
    // are sorted and disjoint for `in_zone`.
    zones.sort_by_key(|z| z.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(zones.len());
    for zone in zones {
        match merged.last_mut() {
            Some(last) if zone.start <= last.end => last.end = last.end.max(zone.end),
            _ => merged.push(zone),
        }
    }
    merged
}

fn line_end(text: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &text[from.min(text.len())..]).map_or(text.len(), |i| from + i)
}

/// How far before a link an inline field's key may start.
const MAX_FIELD_LOOKBACK: usize = 1024;

/// The relation of a Dataview inline field whose value holds the link at `at`:
/// `key:: [[A]], [[B]]` at the start of a line (or list item, or quote), or
/// `[key:: [[A]]]` / `(key:: [[A]])` anywhere on it.
fn inline_field(text: &str, at: usize, config: &RelationsConfig) -> Option<(Relation, Declared)> {
    // Look back a bounded distance: a 5 MB line full of links must stay linear.
    let mut window = at.saturating_sub(MAX_FIELD_LOOKBACK);
    while !text.is_char_boundary(window) {
        window += 1;
    }
    let (line_start, whole_line) = match memchr::memrchr(b'\n', &text.as_bytes()[window..at]) {
        Some(i) => (window + i + 1, true),
        None => (window, window == 0),
    };
    let before = &text[line_start..at];
    let colons = rfind_colons(before.as_bytes())?;
    let head = &before[..colons];
    let value = &before[colons + 2..];
    // The key begins after an opening bracket, or after list and quote markers.
    let (key_start, closer) = match head.rfind(['[', '(']) {
        Some(i) if !head[i..].contains([']', ')']) => (i + 1, Some(head.as_bytes()[i])),
        _ if whole_line => (line_prefix_len(head), None),
        _ => return None,
    };
    let key = head[key_start..].trim();
    if key.is_empty() || key.len() > 64 || key.contains(['[', ']', '(', ')', ':', '|', '#']) {
        return None;
    }
    if let Some(open) = closer {
        let close = if open == b'[' { b']' } else { b')' };
        let mut depth = 0i32;
        for b in value.bytes() {
            if b == open {
                depth += 1;
            } else if b == close {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
        }
    }
    let relation = config.relation_of_key(key)?;
    Some((relation, Declared::InlineField(key.to_string())))
}

/// Where the last `::` of `bytes` starts, as `rfind("::")` says, by the last colon that
/// follows another (most lines before a link have no colon at all).
fn rfind_colons(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while let Some(i) = memchr::memrchr(b':', &bytes[..end]) {
        if i > 0 && bytes[i - 1] == b':' {
            return Some(i - 1);
        }
        end = i;
    }
    None
}

/// Length of the indentation, blockquote markers and list marker at the start of a line.
fn line_prefix_len(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'>') {
            i += 1;
        }
        if i + 1 < bytes.len() && matches!(bytes[i], b'-' | b'*' | b'+') && bytes[i + 1] == b' ' {
            i += 2;
            continue;
        }
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0
            && matches!(bytes.get(i + digits), Some(b'.' | b')'))
            && bytes.get(i + digits + 1) == Some(&b' ')
        {
            i += digits + 2;
            continue;
        }
        return i;
    }
}

#[cfg(test)]
#[path = "tests/relations.rs"]
mod tests;
