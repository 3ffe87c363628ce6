//! Maps byte offsets to lines and columns and back, in UTF-8, UTF-16 or scalar units.
//!
//! The core stores byte offsets only; editors want UTF-16 (LSP), terminals and the
//! JSON report want Unicode scalar values. Conversion happens at the edges through
//! this index, which stores one offset per line start.

/// How columns are counted when talking to the outside world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnEncoding {
    /// Bytes of UTF-8 (LSP `utf-8` position encoding).
    Utf8,
    /// UTF-16 code units (the LSP default, SARIF).
    Utf16,
    /// Unicode scalar values (`twin check` human and JSON output).
    Char,
}

/// A zero-based line and column, the column counted in some [`ColumnEncoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Lines longer than this get checkpoints, so that a column on a 5 MB line costs
/// a few kilobytes of counting instead of the whole line.
const LONG_LINE: usize = 4096;
/// Distance in bytes between checkpoints on a long line.
const STRIDE: usize = 4096;

/// Column counts at one offset of a long line, relative to the line's start.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    offset: u32,
    chars: u32,
    utf16: u32,
}

impl Checkpoint {
    fn count(&self, encoding: ColumnEncoding, line_start: u32) -> u32 {
        match encoding {
            ColumnEncoding::Utf8 => self.offset - line_start,
            ColumnEncoding::Utf16 => self.utf16,
            ColumnEncoding::Char => self.chars,
        }
    }
}

/// Line starts of one text. Lines end at `\n`, `\r\n` or a lone `\r`, as LSP 3.17
/// says; a terminator is never counted as a column.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
    /// Checkpoints of long lines only, sorted by offset; each long line has one at its start.
    checkpoints: Vec<Checkpoint>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        let bytes = text.as_bytes();
        line_starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                // The `\r` of a `\r\n` ends nothing: its `\n` does.
                .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
                .map(|i| i as u32 + 1),
        );
        line_starts.shrink_to_fit();
        let checkpoints = long_line_checkpoints(text, &line_starts);
        LineIndex {
            line_starts,
            len: text.len() as u32,
            checkpoints,
        }
    }

    /// The checkpoints of the line `start..end`, empty for short lines.
    fn checkpoints_of(&self, start: usize, end: usize) -> &[Checkpoint] {
        if end - start <= LONG_LINE {
            return &[];
        }
        let from = self
            .checkpoints
            .partition_point(|c| (c.offset as usize) < start);
        let to = self
            .checkpoints
            .partition_point(|c| (c.offset as usize) <= end);
        &self.checkpoints[from..to]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The zero-based line that contains `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.len as usize) as u32;
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// Byte range of a line's content, without its terminator (`\n`, `\r\n` or `\r`).
    pub fn line_range(&self, text: &str, line: u32) -> std::ops::Range<usize> {
        let line = line as usize;
        let Some(&start) = self.line_starts.get(line) else {
            return text.len()..text.len();
        };
        let next = self.line_starts.get(line + 1);
        let mut end = next.map_or(text.len(), |&next| next as usize - 1);
        if next.is_some()
            && text.as_bytes()[end] == b'\n'
            && end > start as usize
            && text.as_bytes()[end - 1] == b'\r'
        {
            end -= 1;
        }
        start as usize..end
    }

    /// Converts a byte offset to a line and column. An offset inside a multi-byte
    /// character is moved back to that character's start.
    pub fn line_col(&self, text: &str, offset: usize, encoding: ColumnEncoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize] as usize;
        // A column never points into the `\r` of a CRLF terminator.
        let content = self.line_range(text, line);
        let offset = offset.min(content.end).max(start);
        let checkpoints = self.checkpoints_of(start, content.end);
        let (base_offset, base_col) = match checkpoints
            .partition_point(|c| c.offset as usize <= offset)
            .checked_sub(1)
        {
            Some(i) => {
                let c = &checkpoints[i];
                (c.offset as usize, c.count(encoding, start as u32) as usize)
            }
            None => (start, 0),
        };
        LineCol {
            line,
            col: (base_col + column_width(&text[base_offset..offset], encoding)) as u32,
        }
    }

    /// Converts a line and column back to a byte offset. Columns past the end of
    /// the line clamp to its end; lines past the end clamp to the end of the text,
    /// as the LSP specification asks.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: ColumnEncoding) -> usize {
        if pos.line as usize >= self.line_starts.len() {
            return text.len();
        }
        let mut range = self.line_range(text, pos.line);
        let mut remaining = pos.col as usize;
        // On a long line, start from the last checkpoint before the column.
        let line_start = range.start as u32;
        let checkpoints = self.checkpoints_of(range.start, range.end);
        if let Some(i) = checkpoints
            .partition_point(|c| c.count(encoding, line_start) as usize <= remaining)
            .checked_sub(1)
        {
            let c = &checkpoints[i];
            remaining -= c.count(encoding, line_start) as usize;
            range.start = c.offset as usize;
        }
        let line = &text[range.clone()];
        for (i, ch) in line.char_indices() {
            let width = char_width(ch, encoding);
            if remaining < width {
                // Inside a character (half of a surrogate pair, say): snap to its start.
                return range.start + i;
            }
            if remaining == 0 {
                return range.start + i;
            }
            remaining -= width;
        }
        range.end
    }
}

/// Checkpoints every [`STRIDE`] bytes on each line longer than [`LONG_LINE`].
fn long_line_checkpoints(text: &str, line_starts: &[u32]) -> Vec<Checkpoint> {
    let mut checkpoints = Vec::new();
    for (i, &start) in line_starts.iter().enumerate() {
        let start = start as usize;
        let end = line_starts
            .get(i + 1)
            .map_or(text.len(), |&next| next as usize);
        if end - start <= LONG_LINE {
            continue;
        }
        let (mut at, mut chars, mut utf16) = (start, 0u32, 0u32);
        loop {
            checkpoints.push(Checkpoint {
                offset: at as u32,
                chars,
                utf16,
            });
            if at >= end {
                break;
            }
            let mut next = (at + STRIDE).min(end);
            while !text.is_char_boundary(next) {
                next += 1;
            }
            // Counting bytes is enough: every scalar has one non-continuation byte, and
            // those of four bytes take two UTF-16 units.
            for &b in &text.as_bytes()[at..next] {
                chars += u32::from((b & 0xC0) != 0x80);
                utf16 += u32::from((b & 0xC0) != 0x80) + u32::from(b >= 0xF0);
            }
            at = next;
        }
    }
    checkpoints
}

fn char_width(ch: char, encoding: ColumnEncoding) -> usize {
    match encoding {
        ColumnEncoding::Utf8 => ch.len_utf8(),
        ColumnEncoding::Utf16 => ch.len_utf16(),
        ColumnEncoding::Char => 1,
    }
}

/// Width of `s` in the given column unit.
pub fn column_width(s: &str, encoding: ColumnEncoding) -> usize {
    match encoding {
        ColumnEncoding::Utf8 => s.len(),
        ColumnEncoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        ColumnEncoding::Char => s.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        // Issue 19, item 8: LSP 3.17 counts `\n`, `\r\n` and a lone `\r` as line ends.
        let text = "[[Home]]\r[[Missing]]\r\nend\r";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let missing = text.find("[[Missing").unwrap();
        assert_eq!(
            index.line_col(text, missing, ColumnEncoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(index.line_range(text, 0), 0..8);
        assert_eq!(index.line_range(text, 1), 9..20);
        assert_eq!(index.line_range(text, 2), 22..25);
        assert_eq!(
            index.offset(text, LineCol { line: 1, col: 0 }, ColumnEncoding::Utf16),
            missing
        );
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 99 }, ColumnEncoding::Utf16),
            8
        );
        assert_eq!(
            index.line_col(text, text.len(), ColumnEncoding::Utf16),
            LineCol { line: 3, col: 0 }
        );
    }

    #[test]
    fn multibyte_columns() {
        let text = "ab\nпривет 😀x\r\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            index.line_col(text, x, ColumnEncoding::Char),
            LineCol { line: 1, col: 8 }
        );
        assert_eq!(
            index.line_col(text, x, ColumnEncoding::Utf16),
            LineCol { line: 1, col: 9 }
        );
        assert_eq!(
            index.line_col(text, x, ColumnEncoding::Utf8),
            LineCol { line: 1, col: 17 }
        );
        assert_eq!(index.line_range(text, 1), 3..text.find('\r').unwrap());
        assert_eq!(
            index.offset(text, LineCol { line: 1, col: 99 }, ColumnEncoding::Utf16),
            text.find('\r').unwrap()
        );
        assert_eq!(
            index.offset(text, LineCol { line: 9, col: 0 }, ColumnEncoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn long_lines_use_checkpoints_and_agree_with_counting() {
        let line: String = "aж😀b".repeat(5000);
        let text = format!("first\n{line}\r\nlast");
        let index = LineIndex::new(&text);
        assert!(!index.checkpoints.is_empty());
        let start = text.find('\n').unwrap() + 1;
        for offset in (start..start + line.len())
            .step_by(997)
            .filter(|&o| text.is_char_boundary(o))
        {
            for encoding in [
                ColumnEncoding::Utf8,
                ColumnEncoding::Utf16,
                ColumnEncoding::Char,
            ] {
                let pos = index.line_col(&text, offset, encoding);
                let expected = column_width(&text[start..offset], encoding) as u32;
                assert_eq!(
                    pos,
                    LineCol {
                        line: 1,
                        col: expected
                    }
                );
                assert_eq!(index.offset(&text, pos, encoding), offset);
            }
        }
    }

    fn arb_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("ж"),
                Just("😀"),
                Just("\n"),
                Just("\r\n"),
                Just("#"),
                Just("é"),
                Just(" "),
            ],
            0..64,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn offset_roundtrip(text in arb_text(), pick in 0usize..1000) {
            let index = LineIndex::new(&text);
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i) && !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n')))
                .collect();
            let offset = boundaries[pick % boundaries.len()];
            for encoding in [ColumnEncoding::Utf8, ColumnEncoding::Utf16, ColumnEncoding::Char] {
                let pos = index.line_col(&text, offset, encoding);
                prop_assert_eq!(index.offset(&text, pos, encoding), offset);
            }
        }

        #[test]
        fn any_position_maps_inside_text(text in arb_text(), line in 0u32..20, col in 0u32..40) {
            let index = LineIndex::new(&text);
            for encoding in [ColumnEncoding::Utf8, ColumnEncoding::Utf16, ColumnEncoding::Char] {
                let offset = index.offset(&text, LineCol { line, col }, encoding);
                prop_assert!(offset <= text.len());
                prop_assert!(text.is_char_boundary(offset));
            }
        }
    }
}
