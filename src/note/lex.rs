//! Small lexical helpers shared by the note scanners: trimming byte ranges, escapes, line starts.

use std::ops::Range;

/// `range` without leading and trailing Unicode whitespace.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// `range` without trailing whitespace, line terminators included.
pub(crate) fn trim_end_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    range.start..range.start + s.trim_end().len()
}

/// Whether the byte at `pos` is escaped by an odd number of backslashes after `lo`.
pub(crate) fn is_escaped(bytes: &[u8], pos: usize, lo: usize) -> bool {
    let mut i = pos;
    while i > lo && bytes[i - 1] == b'\\' {
        i -= 1;
    }
    (pos - i) % 2 == 1
}

/// The offset where the line containing `pos` starts, not before `lo`.
pub(crate) fn line_start(bytes: &[u8], pos: usize, lo: usize) -> usize {
    memchr::memrchr(b'\n', &bytes[lo..pos]).map_or(lo, |k| lo + k + 1)
}

/// The offset where the line containing `pos` ends, before any `\r\n` or `\n`.
pub(crate) fn line_end(bytes: &[u8], pos: usize) -> usize {
    let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |k| pos + k);
    if end > pos && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lines() {
        let text = "  ab c \r\nнет\n";
        assert_eq!(trim_range(text, 0..9), 2..6);
        assert_eq!(trim_range(text, 0..2), 2..2);
        assert_eq!(trim_end_range(text, 0..9), 0..6);
        assert_eq!(line_start(text.as_bytes(), 12, 0), 9);
        assert_eq!(line_end(text.as_bytes(), 0), 7);
        assert_eq!(line_end(text.as_bytes(), 9), 15);
        assert!(is_escaped(b"a\\#", 2, 0));
        assert!(!is_escaped(b"a\\\\#", 3, 0));
        assert!(!is_escaped(b"\\#", 1, 1));
    }
}
