//! Editor features that reach into canvases: references and hover of a note list the
//! canvases that show it (`file` nodes) or link it (text cards).

use crate::analysis::fixture::Fixture;

const VAULT: &str = r#"
//- Home.md
Read [[No$0te]] and [[Note#Part]].
//- Note.md
# Note
## Part
//- Board.canvas
{"nodes":[
{"id":"a","type":"file","file":"Note.md"},
{"id":"b","type":"text","text":"See [[Note#Part]],\n\u00e9 [[note]] and [[Home]]"},
{"id":"c","type":"file","file":"Home.md"}
]}
//- Other.canvas
{"nodes":[{"id":"a","type":"text","text":"[[Nowhere]] `[[Note]]`"}]}
"#;

#[test]
fn references_of_a_note_include_its_canvas_nodes_and_card_links() {
    let f = Fixture::parse(VAULT);
    let (id, offset) = f.cursor();
    let shown: Vec<String> = f
        .analysis
        .canvas_references(id, offset)
        .iter()
        .map(|p| f.show_canvas(&p.canvas, p.span))
        .collect();
    assert_eq!(
        shown,
        [
            "Board.canvas:2:33: Note.md",
            "Board.canvas:3:37: [[Note#Part]]",
            "Board.canvas:3:60: [[note]]",
        ]
    );
    // From the heading: only the card link that names it.
    let part = f.analysis.vault.note(id).text.find("Part").unwrap();
    let shown: Vec<String> = f
        .analysis
        .canvas_references(id, part)
        .iter()
        .map(|p| f.show_canvas(&p.canvas, p.span))
        .collect();
    assert_eq!(shown, ["Board.canvas:3:37: [[Note#Part]]"]);
}

#[test]
fn hover_counts_the_canvases_of_a_note() {
    let f = Fixture::parse(VAULT);
    let (id, offset) = f.cursor();
    let hover = f.analysis.hover(id, offset).expect("a hover");
    assert!(
        hover
            .markdown
            .ends_with("2 backlinks to this note, on 1 canvas"),
        "{}",
        hover.markdown
    );
    let other = Fixture::parse(
        &VAULT
            .replace("Note.md\"}", "Gone.md\"}")
            .replace("[[Note#Part]],", "")
            .replace("[[note]]", ""),
    );
    let (id, offset) = other.cursor();
    let hover = other.analysis.hover(id, offset).expect("a hover");
    assert!(
        hover.markdown.ends_with("to this note"),
        "{}",
        hover.markdown
    );
}
