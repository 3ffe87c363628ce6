//! Fuzz target: arbitrary bytes as a note. Parsing never panics and every span it
//! returns lies inside the text, on character boundaries, and converts to positions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twin::note::{Note, parse_note};
use twin::text::{ColumnEncoding, LineCol, Span};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let note = parse_note("fuzz/note.md".into(), text.as_ref().into());
    check_spans(&note);
});

fn check_spans(note: &Note) {
    let text: &str = &note.text;
    let ok = |span: Span, what: &str| {
        let (s, e) = (span.start as usize, span.end as usize);
        assert!(s <= e && e <= text.len(), "{what} {s}..{e} out of 0..{}", text.len());
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{what} {s}..{e} splits a character"
        );
        // Every span converts to a position and back without panicking.
        for enc in [ColumnEncoding::Utf16, ColumnEncoding::Char, ColumnEncoding::Utf8] {
            let LineCol { line, col } = note.line_index.line_col(text, s, enc);
            let back = note.line_index.offset(text, LineCol { line, col }, enc);
            assert!(back <= text.len());
        }
    };
    for h in &note.headings {
        ok(h.span, "heading");
    }
    for b in &note.block_ids {
        ok(b.span, "block id");
    }
    for l in &note.links {
        ok(l.span, "link");
        ok(l.target_span, "link target");
        // A reference link's target lies in its definition, elsewhere in the note, so
        // the target span need not lie inside the link.
        if let Some(a) = &l.anchor {
            ok(a.span, "anchor");
        }
    }
    for t in &note.tags {
        ok(t.span, "tag");
    }
    for c in &note.comments {
        ok(*c, "comment");
    }
    for p in &note.problems {
        ok(p.span, "problem");
    }
    for f in &note.footnote_refs {
        ok(f.span, "footnote ref");
    }
    for f in &note.footnote_defs {
        ok(f.span, "footnote def");
    }
    if let Some(fm) = &note.frontmatter {
        ok(fm.span, "frontmatter");
        ok(fm.body_span, "frontmatter body");
    }
    for i in 0..note.headings.len() {
        ok(note.section_span(i), "section");
    }
}
