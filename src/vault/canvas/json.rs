//! A small reader of a canvas's JSON text that keeps where each node's `type`, `file`
//! and `text` strings are written, byte for byte, so links inside them can be reported
//! and edited in place (serde reads values, never positions).
//!
//! It runs on text serde has already accepted, but stays total on any input: it never
//! panics and never loops; on text that is not JSON it returns what it saw.

use crate::text::Span;

/// A JSON string as written: its span in the document (quotes excluded), its value, and
/// for every byte offset of the value (and its end) the offset in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawString {
    pub span: Span,
    pub value: String,
    map: Vec<u32>,
}

impl RawString {
    /// The document span written for `span` of the value (whose ends lie on character
    /// boundaries): an escape is covered whole.
    pub fn doc_span(&self, span: Span) -> Span {
        let at = |i: u32| self.map.get(i as usize).copied().unwrap_or(self.span.end);
        Span {
            start: at(span.start),
            end: at(span.end),
        }
    }
}

/// The strings of one element of the top-level `nodes` array.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawNode {
    pub kind: Option<RawString>,
    pub file: Option<RawString>,
    pub text: Option<RawString>,
}

/// The elements of the document's top-level `nodes` array, in order.
pub fn nodes(text: &str) -> Vec<RawNode> {
    let mut r = Reader {
        t: text,
        b: text.as_bytes(),
        i: 0,
    };
    let mut out = Vec::new();
    r.ws();
    if !r.eat(b'{') {
        return out;
    }
    while let Some(key) = r.member_key() {
        if key.value == "nodes" && r.peek() == Some(b'[') {
            r.i += 1;
            r.each_element(|r| {
                if r.peek() == Some(b'{') {
                    out.push(r.node());
                } else {
                    r.skip_value();
                }
            });
        } else {
            r.skip_value();
        }
    }
    out
}

struct Reader<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.ws();
        let hit = self.peek() == Some(byte);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// The next key of an object (after `{` or a value), with its `:` consumed; `None`
    /// at the object's end (consumed) or when the text is not JSON.
    fn member_key(&mut self) -> Option<RawString> {
        self.eat(b',');
        self.ws();
        if self.peek() != Some(b'"') {
            self.eat(b'}');
            return None;
        }
        let key = self.string();
        self.eat(b':');
        self.ws();
        Some(key)
    }

    /// Calls `each` at every element of an array whose `[` is consumed; consumes its `]`.
    fn each_element(&mut self, mut each: impl FnMut(&mut Self)) {
        loop {
            self.eat(b',');
            self.ws();
            match self.peek() {
                None => return,
                Some(b']') => {
                    self.i += 1;
                    return;
                }
                Some(_) => {
                    let before = self.i;
                    each(self);
                    if self.i == before {
                        // Not JSON: stop rather than loop.
                        self.i = self.b.len();
                    }
                }
            }
        }
    }

    /// One node object, `{` not yet consumed.
    fn node(&mut self) -> RawNode {
        self.i += 1;
        let mut node = RawNode::default();
        while let Some(key) = self.member_key() {
            let slot = match key.value.as_str() {
                "type" => &mut node.kind,
                "file" => &mut node.file,
                "text" => &mut node.text,
                _ => {
                    self.skip_value();
                    continue;
                }
            };
            if self.peek() == Some(b'"') {
                *slot = Some(self.string());
            } else {
                self.skip_value();
            }
        }
        node
    }

    /// Skips one value of any kind, nested ones included, without recursion.
    fn skip_value(&mut self) {
        self.ws();
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return,
                Some(b'"') => {
                    self.string();
                }
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.i += 1;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Some(b',') if depth == 0 => return,
                Some(_) => self.i += 1,
            }
            if depth == 0 && matches!(self.b.get(self.i.wrapping_sub(1)), Some(b'"' | b'}' | b']'))
            {
                return;
            }
        }
    }

    /// A string at `"`: its value decoded and its offsets mapped. Escapes that are not
    /// JSON are kept as written; a lone surrogate becomes U+FFFD.
    fn string(&mut self) -> RawString {
        self.i += 1;
        let start = self.i;
        let mut value = String::new();
        let mut map: Vec<u32> = Vec::new();
        while let Some(byte) = self.peek() {
            let at = self.i;
            match byte {
                b'"' => break,
                b'\\' => {
                    let (ch, len) = escape(&self.b[at..]);
                    value.push(ch);
                    map.resize(value.len(), at as u32);
                    self.i += len;
                }
                _ => {
                    // A run of plain bytes at once; it ends at ASCII, so on a boundary.
                    let run = self.b[at..]
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\')
                        .map_or(self.b.len(), |n| at + n);
                    let chunk = self.t.get(at..run).unwrap_or_default();
                    value.push_str(chunk);
                    map.extend((at..at + chunk.len()).map(|i| i as u32));
                    self.i = run;
                }
            }
        }
        let end = self.i.min(self.b.len());
        map.push(end as u32);
        if self.peek() == Some(b'"') {
            self.i += 1;
        }
        RawString {
            span: Span::new(start, end),
            value,
            map,
        }
    }
}

/// The character an escape at the start of `b` stands for, and its length in bytes.
fn escape(b: &[u8]) -> (char, usize) {
    let Some(&kind) = b.get(1) else {
        return ('\\', 1);
    };
    let simple = match kind {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode_escape(b),
        _ => return ('\\', 1),
    };
    (simple, 2)
}

/// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`.
fn unicode_escape(b: &[u8]) -> (char, usize) {
    let hex = |at: usize| {
        b.get(at..at + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(high) = hex(2) else {
        return ('\\', 1);
    };
    if (0xD800..0xDC00).contains(&high)
        && b.get(6..8) == Some(b"\\u")
        && let Some(low) = hex(8)
        && (0xDC00..0xE000).contains(&low)
    {
        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        return (char::from_u32(code).unwrap_or('\u{FFFD}'), 12);
    }
    (char::from_u32(high).unwrap_or('\u{FFFD}'), 6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn node_strings_keep_their_place_through_escapes() {
        let text = r#"{"edges":[{"x":[1,{"y":"]"}]}],"nodes":[3,{"text":"a\n\u00e9 [[B\/c]] \ud83d\ude00!","id":"n","type":"text","x":-1.5e3,"q":{"text":"no"}},[]]}"#;
        let nodes = nodes(text);
        assert_eq!(nodes.len(), 1);
        let s = nodes[0].text.as_ref().unwrap();
        assert_eq!(s.value, "a\né [[B/c]] 😀!");
        assert_eq!(nodes[0].kind.as_ref().unwrap().value, "text");
        let at = s.value.find("B/c").unwrap();
        let span = s.doc_span(Span::new(at, at + 3));
        assert_eq!(&text[span.range()], r"B\/c");
        let at = s.value.find('😀').unwrap();
        let span = s.doc_span(Span::new(at, at + 4));
        assert_eq!(&text[span.range()], r"\ud83d\ude00");
        assert_eq!(
            &text[s.span.range()],
            &text[s.doc_span(Span::new(0, s.value.len())).range()]
        );
    }

    proptest! {
        /// Whatever a node's text is, and however it is escaped, every character of the
        /// value maps to exactly what encodes it.
        #[test]
        fn offsets_map_through_any_escaping(value in "\\PC{0,40}", ascii in any::<bool>()) {
            let literal = if ascii {
                value.chars().map(|c| if c.is_ascii() && c != '"' && c != '\\' {
                    c.to_string()
                } else {
                    let mut buf = [0u16; 2];
                    c.encode_utf16(&mut buf).iter().map(|u| format!("\\u{u:04x}")).collect()
                }).collect::<String>()
            } else {
                let s = serde_json::to_string(&value).unwrap();
                s[1..s.len() - 1].to_string()
            };
            let text = format!(r#"{{"nodes":[{{"type":"text","text":"{literal}"}}]}}"#);
            let node = nodes(&text).pop().unwrap();
            let s = node.text.unwrap();
            prop_assert_eq!(&s.value, &value);
            for (i, c) in value.char_indices() {
                let span = s.doc_span(Span::new(i, i + c.len_utf8()));
                let written: String = serde_json::from_str(&format!("\"{}\"", &text[span.range()])).unwrap();
                prop_assert_eq!(written, c.to_string());
            }
        }

        /// Any text at all: no panic, no endless loop.
        #[test]
        fn any_text_is_read_without_failing(text in "[{}\\[\\]\",:a-z\\\\ 0-9]{0,60}") {
            let _ = nodes(&text);
            let _ = nodes(&format!(r#"{{"nodes":[{text}"#));
        }
    }
}
