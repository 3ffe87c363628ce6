//! A fast reader for the plain frontmatter most notes have; anything else goes to serde-saphyr.
//!
//! It accepts only a strict subset: top-level `key: value` lines whose values are
//! single-line plain or quoted scalars, block lists of such scalars, or one-line flow
//! lists. Within it the result equals serde-saphyr's (a differential test checks
//! this); at the first sign of anything else it gives up and the full parser runs.

use std::ops::Range;

use super::model::{Spanned, YamlValue};
use crate::text::Span;

/// `None` when the text is outside the subset; `Some(None)` for an empty document.
pub(crate) fn parse(yaml: &str, base: usize) -> Option<Option<Spanned<YamlValue>>> {
    if !plain_characters(yaml.as_bytes()) {
        return None;
    }
    let lines = lines(yaml);
    let mut entries = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].clone();
        i += 1;
        let text = &yaml[line.clone()];
        if is_blank_or_comment(text) {
            continue;
        }
        // Indented lines here would continue a scalar or nest a mapping.
        if text.starts_with(' ') {
            return None;
        }
        let colon = key_end(text)?;
        let key = line.start..line.start + colon;
        let after = line.start + colon + 1;
        let rest = skip_spaces(yaml, after, line.end);
        // `key_end` guarantees a space between the colon and a comment.
        let value = if rest == line.end || yaml.as_bytes()[rest] == b'#' {
            let (value, next) = block_list(yaml, &lines, i, base)?;
            i = next;
            value.unwrap_or((YamlValue::Null, key.end..key.end))
        } else if yaml.as_bytes()[rest] == b'[' {
            flow_list(yaml, rest, line.end, base)?
        } else {
            let (value, r) = scalar(yaml, rest, line.end)?;
            (value, r)
        };
        entries.push((
            Spanned {
                value: yaml[key.clone()].to_string(),
                span: span(&key, base),
            },
            Spanned {
                span: span(&value.1, base),
                value: value.0,
            },
        ));
    }
    let Some(first) = entries.first() else {
        return Some(None);
    };
    let start = first.0.span.start;
    let end = entries
        .iter()
        .map(|(k, v)| k.span.end.max(v.span.end))
        .max()?;
    Some(Some(Spanned {
        value: YamlValue::Map(entries),
        span: Span {
            start,
            end: end.max(start),
        },
    }))
}

fn span(r: &Range<usize>, base: usize) -> Span {
    Span::new(r.start + base, r.end + base)
}

/// Line content ranges, without terminators.
fn lines(yaml: &str) -> Vec<Range<usize>> {
    let bytes = yaml.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let nl = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |k| start + k);
        let end = if nl > start && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        out.push(start..end);
        start = nl + 1;
    }
    out
}

/// No tabs, no lone carriage returns, and nothing YAML calls non-printable.
fn plain_characters(bytes: &[u8]) -> bool {
    for (i, &b) in bytes.iter().enumerate() {
        let bad = match b {
            b'\n' | 0x20..=0x7e => false,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            0x00..=0x1f | 0x7f => true,
            // C1 controls other than NEL are encoded as C2 80..9F.
            0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
            // U+FEFF, U+FFFE and U+FFFF.
            0xef => matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ),
            _ => false,
        };
        if bad {
            return false;
        }
    }
    true
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#')
}

fn skip_spaces(yaml: &str, mut i: usize, end: usize) -> usize {
    while i < end && yaml.as_bytes()[i] == b' ' {
        i += 1;
    }
    i
}

/// The offset of the `:` ending a plain top-level key, which must start the line.
fn key_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let colon = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ')))?;
    let key = &line[..colon];
    let ok = !key.is_empty()
        && key.len() <= 256
        && !starts_with_indicator(key)
        && !key.ends_with(' ')
        && !key.contains(" #")
        && !key.contains(['[', ']', '{', '}', ',', '"', '\'']);
    ok.then_some(colon)
}

/// Whether a plain scalar cannot start this way (an indicator, or `-`, `?`, `:` before a space).
fn starts_with_indicator(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        None => false,
        Some(b'-' | b'?' | b':') => matches!(b.get(1), None | Some(b' ')),
        Some(c) => b",[]{}#&*!|>'\"%@`".contains(c),
    }
}

/// A block list starting on line `i` (after blank and comment lines), if there is one.
/// Returns the list (or `None` for a null value) and the line after it.
#[allow(clippy::type_complexity)]
fn block_list(
    yaml: &str,
    lines: &[Range<usize>],
    mut i: usize,
    base: usize,
) -> Option<(Option<(YamlValue, Range<usize>)>, usize)> {
    let first = (i..lines.len()).find(|&j| !is_blank_or_comment(&yaml[lines[j].clone()]));
    let Some(first) = first else {
        return Some((None, lines.len()));
    };
    let text = &yaml[lines[first].clone()];
    let indent = text.len() - text.trim_start_matches(' ').len();
    if !text[indent..].starts_with("- ") {
        // Anything indented here would be a nested mapping or a continuation.
        return (indent == 0).then_some((None, i));
    }
    let mut items = Vec::new();
    let mut start = None;
    i = first;
    while i < lines.len() {
        let line = lines[i].clone();
        let text = &yaml[line.clone()];
        if is_blank_or_comment(text) {
            i += 1;
            continue;
        }
        let this_indent = text.len() - text.trim_start_matches(' ').len();
        if this_indent != indent || !text[indent..].starts_with("- ") {
            if this_indent == 0 && !text.starts_with("- ") {
                break;
            }
            return None;
        }
        let dash = line.start + indent;
        let at = skip_spaces(yaml, dash + 2, line.end);
        if at == line.end || yaml.as_bytes()[at] == b'#' {
            return None;
        }
        // serde-saphyr starts an unindented list at its first item, an indented one at the dash.
        start.get_or_insert(if indent == 0 { at } else { dash });
        let (value, r) = scalar(yaml, at, line.end)?;
        items.push(Spanned {
            value,
            span: span(&r, base),
        });
        i += 1;
    }
    let start = start?;
    let end = items.last().map_or(start, |it| it.span.end as usize - base);
    Some((Some((YamlValue::List(items), start..end)), i))
}

/// A one-line flow list `[a, "b", 'c']` starting at `open`.
fn flow_list(
    yaml: &str,
    open: usize,
    end: usize,
    base: usize,
) -> Option<(YamlValue, Range<usize>)> {
    let bytes = yaml.as_bytes();
    let mut items = Vec::new();
    let mut i = skip_spaces(yaml, open + 1, end);
    if i < end && bytes[i] == b']' {
        i += 1;
    } else {
        loop {
            let (value, r) = match bytes.get(i) {
                Some(b'"' | b'\'') if i < end => quoted(yaml, i, end)?,
                _ => {
                    let stop = (i..end).find(|&k| matches!(bytes[k], b',' | b']'))?;
                    let plain = yaml[i..stop].trim_end_matches(' ');
                    if plain.is_empty()
                        || starts_with_indicator(plain)
                        || plain.contains(['[', '{', '}', ':'])
                        || plain.contains(" #")
                    {
                        return None;
                    }
                    (plain_value(plain)?, i..i + plain.len())
                }
            };
            items.push(Spanned {
                value,
                span: span(&r, base),
            });
            i = skip_spaces(yaml, r.end, end);
            match bytes.get(i) {
                Some(b',') if i < end => i = skip_spaces(yaml, i + 1, end),
                Some(b']') if i < end => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
            if i < end && bytes[i] == b']' {
                // A trailing comma: leave it to the full parser.
                return None;
            }
        }
    }
    if !rest_is_comment(yaml, i, end) {
        return None;
    }
    let last = items
        .last()
        .map_or(open + 1, |it| it.span.end as usize - base);
    Some((YamlValue::List(items), open..last.max(open + 1)))
}

/// A scalar running to the end of the line (or to a ` #` comment).
fn scalar(yaml: &str, at: usize, end: usize) -> Option<(YamlValue, Range<usize>)> {
    match yaml.as_bytes()[at] {
        b'"' | b'\'' => {
            let (value, r) = quoted(yaml, at, end)?;
            rest_is_comment(yaml, r.end, end).then_some((value, r))
        }
        _ => {
            let line = &yaml[at..end];
            let stop = line.find(" #").unwrap_or(line.len());
            let plain = line[..stop].trim_end_matches(' ');
            if starts_with_indicator(plain) || plain.contains(": ") || plain.ends_with(':') {
                return None;
            }
            Some((plain_value(plain)?, at..at + plain.len()))
        }
    }
}

/// A one-line quoted scalar starting at `at`; double-quoted ones may not use escapes.
fn quoted(yaml: &str, at: usize, end: usize) -> Option<(YamlValue, Range<usize>)> {
    let bytes = yaml.as_bytes();
    let q = bytes[at];
    let mut i = at + 1;
    let mut value = String::new();
    loop {
        let k = i + memchr::memchr2(q, b'\\', &bytes[i..end])?;
        if bytes[k] == b'\\' {
            if q == b'"' {
                return None;
            }
            value.push_str(&yaml[i..=k]);
            i = k + 1;
            continue;
        }
        value.push_str(&yaml[i..k]);
        if q == b'\'' && bytes.get(k + 1) == Some(&b'\'') && k + 1 < end {
            value.push('\'');
            i = k + 2;
            continue;
        }
        return Some((YamlValue::String(value), at..k + 1));
    }
}

/// Whether only spaces, or spaces and a comment, follow `at` on the line.
fn rest_is_comment(yaml: &str, at: usize, end: usize) -> bool {
    let rest = &yaml[at..end];
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

/// Resolves a plain scalar as serde-saphyr does with strict booleans, or `None` when
/// the spelling is one the fast path does not decide (radix prefixes, `.inf`, `1.2.3`).
fn plain_value(t: &str) -> Option<YamlValue> {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Some(YamlValue::Null),
        "true" | "True" | "TRUE" => return Some(YamlValue::Bool(true)),
        "false" | "False" | "FALSE" => return Some(YamlValue::Bool(false)),
        _ => {}
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let b = unsigned.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_digit() => {}
        Some(b'.') => return None,
        _ if unsigned.len() < t.len() => return None,
        // Numbers start with a digit; `inf` and `nan` stay text without their dot.
        _ => return Some(YamlValue::String(t.to_string())),
    }
    if is_decimal(b) {
        return Some(YamlValue::Number(t.to_string()));
    }
    // Outside digits, letters, `_` and `.`, only an exponent's sign can be in a number.
    let impossible = b.iter().enumerate().any(|(i, &c)| {
        let exponent_sign = matches!(c, b'+' | b'-') && i > 0 && matches!(b[i - 1], b'e' | b'E');
        !(c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign)
    });
    impossible.then(|| YamlValue::String(t.to_string()))
}

/// `123`, `1.5`, `1.`, `1e5`, `1.5E-3`: spellings both integer and float readers accept.
fn is_decimal(b: &[u8]) -> bool {
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = digits(0);
    if i == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1 + digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let n = digits(j);
        if n == 0 {
            return false;
        }
        i = j + n;
    }
    i == b.len()
}

#[cfg(test)]
mod tests;
