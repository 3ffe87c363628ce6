//! Obsidian's heading and block-id comparison.

use unicode_normalization::UnicodeNormalization;

use crate::note::Note;
use crate::vault::simple_lowercase;

/// Whether heading `h` of `note` is the one an anchor part names. Obsidian compares the
/// heading as written in the note; the text without inline markup is accepted too, so
/// that a link written against either never reads as broken.
pub fn note_heading_matches(note: &Note, h: usize, part: &str) -> bool {
    let heading = &note.headings[h];
    heading_matches(heading_source(note, h), part) || heading_matches(&heading.text, part)
}

/// Heading `h` of `note` as written between its markers (the `#`s, a closing run or a
/// setext underline), falling back to its text when the span does not fit the note.
pub fn heading_source(note: &Note, h: usize) -> &str {
    let heading = &note.headings[h];
    note.text
        .get(heading.text_span.range())
        .unwrap_or(&heading.text)
}

/// Whether a heading's text matches one part of a `#Heading` anchor, as Obsidian
/// compares them (its sanitizer): case-insensitive, each of
/// `` !"#$%&()*+,.:;<=>?@^`{|}~/[]\ `` and every run of whitespace as one space, the
/// ends trimmed.
pub fn heading_matches(heading: &str, part: &str) -> bool {
    if heading.is_ascii() && part.is_ascii() {
        // ASCII needs no composition or Unicode case tables.
        ascii_heading_chars(heading).eq(ascii_heading_chars(part))
    } else if is_simple(heading) && is_simple(part) {
        // Nor do Russian letters (see `simple_lowercase`).
        simple_heading_chars(heading).eq(simple_heading_chars(part))
    } else {
        heading_chars(heading).eq(heading_chars(part))
    }
}

/// The key under which [`heading_matches`] compares: two texts match exactly when their
/// keys are equal.
pub fn heading_key(text: &str) -> String {
    if text.is_ascii() {
        ascii_heading_chars(text).collect()
    } else if is_simple(text) {
        simple_heading_chars(text).collect()
    } else {
        heading_chars(text).collect()
    }
}

/// Whether every character of `s` has a [`simple_lowercase`].
fn is_simple(s: &str) -> bool {
    s.chars().all(|c| simple_lowercase(c).is_some())
}

/// The key under which [`block_id_matches`] compares.
pub fn block_key(id: &str) -> String {
    id.chars().flat_map(char::to_lowercase).collect()
}

/// Whether two block ids are equal ignoring case.
pub fn block_id_matches(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

fn heading_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    // Compared lazily, char by char, so matching anchors never allocates.
    Collapse {
        inner: s.chars().nfc().flat_map(char::to_lowercase),
        pending_space: false,
        started: false,
        held: None,
    }
}

/// [`heading_chars`] of a text [`is_simple`] says is simple: NFC leaves it as it is.
fn simple_heading_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    Collapse {
        inner: s.chars().map(|c| simple_lowercase(c).unwrap_or(c)),
        pending_space: false,
        started: false,
        held: None,
    }
}

fn ascii_heading_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    Collapse {
        inner: s.bytes().map(|b| char::from(b.to_ascii_lowercase())),
        pending_space: false,
        started: false,
        held: None,
    }
}

fn is_heading_separator(c: char) -> bool {
    // Obsidian's sanitizer: `/[!"#$%&()*+,.:;<=>?@^`{|}~\/\[\]\\]/g` to spaces, then
    // `\s+` to one space, trimmed.
    c.is_whitespace()
        || matches!(
            c,
            '!' | '"'
                | '#'
                | '$'
                | '%'
                | '&'
                | '('
                | ')'
                | '*'
                | '+'
                | ','
                | '.'
                | ':'
                | ';'
                | '<'
                | '='
                | '>'
                | '?'
                | '@'
                | '^'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | '/'
                | '['
                | ']'
                | '\\'
        )
}

/// Maps separators to single spaces between words; drops them at both ends.
struct Collapse<I> {
    inner: I,
    pending_space: bool,
    started: bool,
    held: Option<char>,
}

impl<I: Iterator<Item = char>> Iterator for Collapse<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.held.take() {
            return Some(c);
        }
        loop {
            let c = self.inner.next()?;
            if is_heading_separator(c) {
                self.pending_space = self.started;
                continue;
            }
            self.started = true;
            if self.pending_space {
                self.pending_space = false;
                self.held = Some(c);
                return Some(' ');
            }
            return Some(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn simple_headings_compare_as_the_full_rules_say(
            a in "[a-zA-Z0-9 .:#а-яА-ЯёЁйЙ\u{0306}éΣ-]{0,16}",
            b in "[a-zA-Z0-9 .:#а-яА-ЯёЁйЙ\u{0306}éΣ-]{0,16}",
        ) {
            let full = heading_chars(&a).eq(heading_chars(&b));
            proptest::prop_assert_eq!(heading_matches(&a, &b), full);
            proptest::prop_assert_eq!(heading_matches(&a, &a), true);
            proptest::prop_assert_eq!(heading_key(&a), heading_chars(&a).collect::<String>());
        }
    }

    #[test]
    fn headings_compare_like_obsidian() {
        assert!(heading_matches("Setup: Linux", "setup linux"));
        assert!(heading_matches("  A   [b]  ", "a b"));
        assert!(heading_matches("Ünïcode", "üNÏCODE"));
        assert!(heading_matches("Cafe\u{301}: menu", "CAF\u{c9} MENU"));
        assert!(heading_matches("a|b^c%d", "a b c d"));
        assert!(!heading_matches("ab", "a b"));
        // The characters Obsidian's sanitizer turns into spaces.
        assert!(heading_matches(
            "Steadiness (Penguin story)",
            "Steadiness Penguin story"
        ));
        assert!(heading_matches("`move`", "move"));
        assert!(heading_matches("What's new? (v1.2)", "What's new v1 2"));
        assert!(heading_matches(r#"a!"$&*+,.;<=>?@{}~/\b"#, "a b"));
        assert!(!heading_matches("a-b", "a b"));
        assert!(!heading_matches("a_b", "a b"));
        assert!(!heading_matches("it's", "it s"));
        assert!(!heading_matches("Setup", "Setup 2"));
        assert!(block_id_matches("Abc-1", "aBC-1"));
        assert!(!block_id_matches("abc", "abd"));
    }
}
