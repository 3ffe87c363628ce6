//! Footnote references `[^label]` and definitions `[^label]: ...`, including malformed `[ ^1 ]:` ones.

use memchr::memchr3;

use super::lex::{line_end, trim_range};
use super::model::{FootnoteDef, FootnoteRef};
use crate::text::Span;

/// Longest label looked at; longer bracket contents are not footnotes.
const MAX_LABEL: usize = 1000;

/// Reads a definition whose `[` is at `open`, if `open` begins a line (after at most
/// three spaces, or after blockquote markers) and the bracket is followed by `:`.
pub(crate) fn definition_at(text: &str, open: usize, lo: usize) -> Option<FootnoteDef> {
    let bytes = text.as_bytes();
    if !at_line_start(bytes, open, lo) {
        return None;
    }
    let limit = line_end(bytes, open).min(open + MAX_LABEL);
    let close = open + memchr3(b']', b'[', b'\n', &bytes[open + 1..limit]).map(|k| k + 1)?;
    if bytes[close] != b']' || bytes.get(close + 1) != Some(&b':') {
        return None;
    }
    let inside = &text[open + 1..close];
    let after_caret = inside.trim_start().strip_prefix('^')?;
    let label = after_caret.trim();
    if label.is_empty() {
        return None;
    }
    let malformed =
        inside.bytes().any(|b| b.is_ascii_whitespace()) || label.contains(char::is_whitespace);
    let content = trim_range(text, close + 2..line_end(bytes, close + 2));
    Some(FootnoteDef {
        label: label.to_string(),
        span: Span::new(open, close + 2),
        content: text[content].to_string(),
        malformed,
    })
}

/// Reads a reference `[^label]` whose `[` is at `open`: a label without spaces or brackets.
pub(crate) fn reference_at(text: &str, open: usize) -> Option<FootnoteRef> {
    let bytes = text.as_bytes();
    if bytes.get(open + 1) != Some(&b'^') {
        return None;
    }
    let start = open + 2;
    let mut end = start;
    while end < bytes.len() && end - start <= MAX_LABEL {
        match bytes[end] {
            b']' => break,
            b'[' | b' ' | b'\t' | b'\n' | b'\r' => return None,
            _ => end += 1,
        }
    }
    if end == start || bytes.get(end) != Some(&b']') {
        return None;
    }
    Some(FootnoteRef {
        label: text[start..end].to_string(),
        span: Span::new(open, end + 1),
    })
}

/// Whether only up to three spaces, or blockquote markers and spaces, precede `pos` on its line.
fn at_line_start(bytes: &[u8], pos: usize, lo: usize) -> bool {
    let mut i = pos;
    let mut quoted = false;
    while i > lo && pos - i < 64 {
        match bytes[i - 1] {
            b' ' | b'\t' => i -= 1,
            b'>' => {
                quoted = true;
                i -= 1;
            }
            b'\n' => break,
            _ => return false,
        }
    }
    if i > lo && bytes[i - 1] != b'\n' {
        return false;
    }
    quoted || pos - i <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_definition() {
        let text = "x\n[^note-1]:  [[Target]] rest \r\nnext";
        let open = 2;
        let def = definition_at(text, open, 0).unwrap();
        assert_eq!(def.label, "note-1");
        assert_eq!(&text[def.span.range()], "[^note-1]:");
        assert_eq!(def.content, "[[Target]] rest");
        assert!(!def.malformed);
    }

    #[test]
    fn malformed_definitions() {
        for (text, marker) in [
            ("[ ^1 ]: a", "[ ^1 ]:"),
            ("[^ 1]: a", "[^ 1]:"),
            ("   [ ^1]: a", "[ ^1]:"),
        ] {
            let open = text.find('[').unwrap();
            let def = definition_at(text, open, 0).unwrap();
            assert_eq!(def.label, "1", "{text}");
            assert!(def.malformed, "{text}");
            assert_eq!(&text[def.span.range()], marker);
            assert!(reference_at(text, open).is_none());
        }
    }

    #[test]
    fn not_definitions() {
        assert!(definition_at("a [^1]: b", 2, 0).is_none());
        assert!(definition_at("    [^1]: b", 4, 0).is_none());
        assert!(definition_at("[^1] b", 0, 0).is_none());
        assert!(definition_at("[ 1 ]: b", 0, 0).is_none());
        assert!(definition_at("[^]: b", 0, 0).is_none());
        let quoted = "> [^q]: b";
        assert_eq!(definition_at(quoted, 2, 0).unwrap().label, "q");
    }

    #[test]
    fn references() {
        let text = "a[^1] [^long-label]. [^ x] [^a b] [^]";
        let r = reference_at(text, 1).unwrap();
        assert_eq!(r.label, "1");
        assert_eq!(&text[r.span.range()], "[^1]");
        assert_eq!(reference_at(text, 6).unwrap().label, "long-label");
        assert!(reference_at(text, text.find("[^ x]").unwrap()).is_none());
        assert!(reference_at(text, text.find("[^a b]").unwrap()).is_none());
        assert!(reference_at(text, text.find("[^]").unwrap()).is_none());
    }
}
