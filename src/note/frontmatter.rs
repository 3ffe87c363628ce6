//! The YAML frontmatter: its fences, properties, duplicate keys, and the title, aliases,
//! tags and wikilinks Obsidian reads from it.

use std::collections::HashMap;
use std::ops::Range;

use super::lex::line_end;
use super::model::{
    Alias, Frontmatter, FrontmatterEntry, Link, LinkSource, ParseProblem, ParseProblemKind,
    Spanned, Tag, TagSource, YamlValue,
};
use super::wikilink;
use super::yaml;
use crate::text::Span;

const BOM: &str = "\u{feff}";

/// What the frontmatter contributes to a note.
#[derive(Debug, Default)]
pub(crate) struct FrontmatterParse {
    pub frontmatter: Option<Frontmatter>,
    /// Where the markdown body starts: after the BOM and the frontmatter.
    pub body_start: usize,
    pub tags: Vec<Tag>,
    pub links: Vec<Link>,
    pub problems: Vec<ParseProblem>,
}

/// Finds and reads the frontmatter at the top of `text`.
pub(crate) fn parse(text: &str) -> FrontmatterParse {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut out = FrontmatterParse {
        body_start: start,
        ..FrontmatterParse::default()
    };
    let Some(fences) = find_fences(text, start) else {
        out.problems.extend(unclosed_problem(text, start));
        return out;
    };
    out.body_start = fences.after;
    let body = fences.body.clone();
    let mut fm = Frontmatter {
        span: Span::new(fences.block.start, fences.block.end),
        body_span: Span::new(body.start, body.end),
        ..Frontmatter::default()
    };
    match yaml::parse(&text[body.clone()], body.start) {
        Ok(None) => {}
        Ok(Some(Spanned {
            value: YamlValue::Map(map),
            ..
        })) => read_entries(text, map, &mut fm, &mut out),
        Ok(Some(_)) => out.problems.push(ParseProblem {
            kind: ParseProblemKind::FrontmatterInvalid,
            span: fm.body_span,
            message: "frontmatter is not a mapping of properties".to_string(),
        }),
        Err(e) => {
            let span = match e.offset {
                Some(off) => one_char(text, body.start + off, body.end),
                None => fm.body_span,
            };
            out.problems.push(ParseProblem {
                kind: ParseProblemKind::FrontmatterInvalid,
                span,
                message: e.message,
            });
        }
    }
    out.frontmatter = Some(fm);
    out
}

struct Fences {
    /// From the opening `---` to the end of the closing fence, without its newline.
    block: Range<usize>,
    /// The YAML between the fence lines.
    body: Range<usize>,
    /// Where the line after the closing fence starts.
    after: usize,
}

/// Whether a line (without its terminator) is the fence `marker`, trailing blanks allowed.
fn is_fence(line: &str, marker: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == marker
}

fn find_fences(text: &str, start: usize) -> Option<Fences> {
    let bytes = text.as_bytes();
    let first_end = line_end(bytes, start);
    if !is_fence(&text[start..first_end], "---") {
        return None;
    }
    let body_start = next_line(bytes, first_end)?;
    let mut line = body_start;
    loop {
        let end = line_end(bytes, line);
        let content = &text[line..end];
        if is_fence(content, "---") || is_fence(content, "...") {
            let after = next_line(bytes, end).unwrap_or(bytes.len());
            return Some(Fences {
                block: start..end,
                body: body_start..line,
                after,
            });
        }
        line = next_line(bytes, end)?;
    }
}

/// The start of the line after the one ending at `end`, if there is a line terminator.
fn next_line(bytes: &[u8], end: usize) -> Option<usize> {
    match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => Some(end + 2),
        Some(b'\n') => Some(end + 1),
        _ => None,
    }
}

/// An opening fence without a closing one is a thematic break, not frontmatter; it is
/// reported only when the next line looks like a property, as a forgotten fence would.
fn unclosed_problem(text: &str, start: usize) -> Option<ParseProblem> {
    let bytes = text.as_bytes();
    let first_end = line_end(bytes, start);
    if !is_fence(&text[start..first_end], "---") {
        return None;
    }
    let second = next_line(bytes, first_end)?;
    let line = &text[second..line_end(bytes, second)];
    let key = line.split_once(':')?.0;
    let looks_like_key = !key.is_empty()
        && !key.starts_with([' ', '\t', '#', '-', '>'])
        && !key.contains(char::is_whitespace);
    looks_like_key.then(|| ParseProblem {
        kind: ParseProblemKind::FrontmatterInvalid,
        span: Span::new(start, first_end),
        message: "frontmatter is not closed by a `---` line".to_string(),
    })
}

/// A span covering the character at `at`, or empty at the end of the body.
fn one_char(text: &str, at: usize, limit: usize) -> Span {
    let at = at.min(limit);
    let len = text[at..limit].chars().next().map_or(0, char::len_utf8);
    // A newline is a poor thing to underline: point before it instead.
    if len == 0 || matches!(text.as_bytes()[at], b'\n' | b'\r') {
        Span::empty(at)
    } else {
        Span::new(at, at + len)
    }
}

fn read_entries(
    text: &str,
    map: Vec<(Spanned<String>, Spanned<YamlValue>)>,
    fm: &mut Frontmatter,
    out: &mut FrontmatterParse,
) {
    report_duplicates(&map, &mut out.problems);
    fm.entries.reserve(map.len());
    for (key, value) in map {
        let k = key.value.as_str();
        // Obsidian reads `tags` and `aliases` whatever their case; `title` and
        // `description` are twin's own, read from their entries when asked.
        if k.eq_ignore_ascii_case("aliases") || k.eq_ignore_ascii_case("alias") {
            for_each_text(text, &value, |name, span| {
                fm.aliases.push(Alias { name, span });
            });
        } else if k.eq_ignore_ascii_case("tags") || k.eq_ignore_ascii_case("tag") {
            push_tags(text, &value, &mut out.tags);
        }
        if has_wikilink(&value) {
            let source = LinkSource::Frontmatter {
                key: key.value.as_str().into(),
            };
            push_links(text, &value, &source, &mut out.links);
        }
        fm.entries.push(FrontmatterEntry {
            key: key.value,
            key_span: key.span,
            value,
        });
    }
}

/// One problem per repeated top-level key, pointing at the first occurrence too.
fn report_duplicates(
    map: &[(Spanned<String>, Spanned<YamlValue>)],
    problems: &mut Vec<ParseProblem>,
) {
    let mut report = |key: &Spanned<String>, first: Span| {
        problems.push(ParseProblem {
            kind: ParseProblemKind::FrontmatterDuplicateKey {
                key: key.value.clone(),
                first,
            },
            span: key.span,
            message: format!("property `{}` is set more than once", key.value),
        });
    };
    // Typical frontmatter has a handful of keys: a direct search beats hashing there.
    if map.len() <= 32 {
        for (i, (key, _)) in map.iter().enumerate() {
            if let Some((first, _)) = map[..i].iter().find(|(k, _)| k.value == key.value) {
                report(key, first.span);
            }
        }
        return;
    }
    let mut first_seen: HashMap<&str, Span> = HashMap::with_capacity(map.len());
    for (key, _) in map {
        match first_seen.get(key.value.as_str()) {
            Some(&first) => report(key, first),
            None => {
                first_seen.insert(&key.value, key.span);
            }
        }
    }
}

fn has_wikilink(value: &Spanned<YamlValue>) -> bool {
    match &value.value {
        YamlValue::String(s) => s.contains("[["),
        YamlValue::List(items) => items.iter().any(has_wikilink),
        YamlValue::Map(entries) => entries.iter().any(|(_, v)| has_wikilink(v)),
        _ => false,
    }
}

/// Calls `f` with each string of a scalar or a list of scalars, and its span inside quotes.
fn for_each_text(text: &str, value: &Spanned<YamlValue>, mut f: impl FnMut(String, Span)) {
    let items = match &value.value {
        YamlValue::List(items) => items.as_slice(),
        _ => std::slice::from_ref(value),
    };
    for item in items {
        if let Some(s) = item.value.as_str()
            && !s.trim().is_empty()
        {
            f(s.to_string(), unquoted(text, item.span));
        }
    }
}

/// Tags from `tags`/`tag`: list items as written, or a string split on commas.
fn push_tags(text: &str, value: &Spanned<YamlValue>, out: &mut Vec<Tag>) {
    let mut push = |name: &str, span: Span| {
        out.push(Tag {
            name: name.to_string(),
            span,
            source: TagSource::Frontmatter,
        });
    };
    match &value.value {
        YamlValue::String(s) => {
            let span = unquoted(text, value.span);
            // Pieces get exact spans only when the source spells the value verbatim.
            let verbatim = &text[span.range()] == s;
            let mut offset = 0;
            for piece in s.split(',') {
                let trimmed = piece.trim();
                if !trimmed.is_empty() {
                    let lead = piece.len() - piece.trim_start().len();
                    let start = span.start as usize + offset + lead;
                    let piece_span = if verbatim {
                        Span::new(start, start + trimmed.len())
                    } else {
                        span
                    };
                    push(trimmed, piece_span);
                }
                offset += piece.len() + 1;
            }
        }
        _ => for_each_text(text, value, |name, span| push(name.trim(), span)),
    }
}

/// Wikilinks written anywhere inside string values, found in the source text itself.
fn push_links(text: &str, value: &Spanned<YamlValue>, source: &LinkSource, out: &mut Vec<Link>) {
    match &value.value {
        YamlValue::String(s) if s.contains("[[") => {
            wikilink::scan_range(text, value.span.range(), source, out);
        }
        YamlValue::List(items) => {
            for item in items {
                push_links(text, item, source, out);
            }
        }
        YamlValue::Map(entries) => {
            for (_, v) in entries {
                push_links(text, v, source, out);
            }
        }
        _ => {}
    }
}

/// A scalar's span without its surrounding quotes.
fn unquoted(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let quoted = s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')));
    if quoted {
        Span::new(span.start as usize + 1, span.end as usize - 1)
    } else {
        span
    }
}

#[cfg(test)]
mod tests;
