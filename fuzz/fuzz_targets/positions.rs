//! Fuzz target: position conversion on random text with random positions. A byte offset
//! converts to a line and column and back to itself (at character boundaries outside
//! CRLF terminators); any line and column, in any encoding, converts to a character
//! boundary inside the text.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use twin::text::{ColumnEncoding, LineCol, LineIndex};

#[derive(Debug, Arbitrary)]
struct Input {
    text: String,
    offsets: Vec<u32>,
    positions: Vec<(u8, u16, u8)>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let text = input.text.as_str();
    let index = LineIndex::new(text);
    let encodings = [ColumnEncoding::Utf8, ColumnEncoding::Utf16, ColumnEncoding::Char];
    for offset in input.offsets {
        let offset = offset as usize % (text.len() + 2);
        for enc in encodings {
            let pos = index.line_col(text, offset, enc);
            let back = index.offset(text, pos, enc);
            assert!(back <= text.len() && text.is_char_boundary(back));
            let in_crlf = offset > 0
                && offset <= text.len()
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            if offset <= text.len() && text.is_char_boundary(offset) && !in_crlf {
                assert_eq!(back, offset, "{enc:?} {pos:?} in {text:?}");
            }
        }
    }
    for (line, col, enc) in input.positions {
        let enc = encodings[enc as usize % 3];
        let pos = LineCol {
            line: u32::from(line),
            col: u32::from(col),
        };
        let offset = index.offset(text, pos, enc);
        assert!(offset <= text.len() && text.is_char_boundary(offset), "{pos:?} -> {offset}");
        let again = index.line_col(text, offset, enc);
        // Clamping never moves a position forward.
        if (pos.line as usize) < index.line_count() {
            assert!(again <= pos, "{pos:?} -> {offset} -> {again:?}");
        }
    }
});
