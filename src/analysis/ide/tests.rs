//! Editor features on fixture vaults with a cursor: `check_x(fixture, expect)`, where the
//! expectation lists what the feature answers, one `path:line:col: text` per place.

use super::Target;
use crate::analysis::fixture::Fixture;

/// Lines against an expectation written indented, blank lines left out.
pub(super) fn assert_lines(actual: Vec<String>, expect: &str) {
    let actual = actual.join("\n");
    let expect = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(actual, expect, "\n--- actual ---\n{actual}\n");
}

fn check_definition(fixture: &str, expect: &str) {
    let f = Fixture::parse(fixture);
    let (id, offset) = f.cursor();
    let shown = f
        .analysis
        .definition(id, offset)
        .into_iter()
        .map(|target| match target {
            Target::Place(place) => f.show(place.note, place.span),
            Target::Attachment(a) => format!("file {}", f.analysis.vault.attachment(a)),
        })
        .collect();
    assert_lines(shown, expect);
}

fn check_references(fixture: &str, include_declaration: bool, expect: &str) {
    let f = Fixture::parse(fixture);
    let (id, offset) = f.cursor();
    let shown = match f.analysis.references(id, offset, include_declaration) {
        Some(places) => places.iter().map(|p| f.show(p.note, p.span)).collect(),
        None => vec!["no symbol".to_owned()],
    };
    assert_lines(shown, expect);
}

fn check_hover(fixture: &str, expect: &str) {
    let f = Fixture::parse(fixture);
    let (id, offset) = f.cursor();
    let shown = match f.analysis.hover(id, offset) {
        Some(hover) => std::iter::once(f.show(id, hover.span))
            .chain(
                hover
                    .markdown
                    .lines()
                    .map(|l| format!("> {l}").trim_end().to_owned()),
            )
            .collect(),
        None => vec!["no hover".to_owned()],
    };
    assert_lines(shown, expect);
}

fn check_lenses(fixture: &str, expect: &str) {
    let f = Fixture::parse(fixture);
    let (id, _) = f.cursor();
    let shown = f
        .analysis
        .reference_lenses(id)
        .iter()
        .map(|lens| {
            let from: Vec<String> = lens.links.iter().map(|p| f.show(p.note, p.span)).collect();
            format!("{} ← [{}]", f.show(id, lens.span), from.join(", "))
        })
        .collect();
    assert_lines(shown, expect);
}

const NOTES: &str = "
//- Home.md
See [[Note]], [[Note#Part]] and [[Note#^blk]], ![[pic.png]] and #topic/sub.[^1]

[^1]: A source.
//- Note.md
# Note
Intro with #topic.
## Part
A paragraph. ^blk
//- Other.md
Back to [[Note#Part|the part]].
//- pic.png
";

/// `NOTES` with the cursor put in front of the first occurrence of `at` in Home.md.
fn home_with_cursor(at: &str) -> String {
    let home = NOTES.find("//- Home.md\n").unwrap() + "//- Home.md\n".len();
    let i = home + NOTES[home..].find(at).expect("text in Home.md");
    format!("{}$0{}", &NOTES[..i], &NOTES[i..])
}

#[test]
fn definition_of_a_link_is_its_target_note_heading_or_block() {
    check_definition(&home_with_cursor("Note]]"), "Note.md:1:1:");
    check_definition(&home_with_cursor("#Part"), "Note.md:3:1: ## Part");
    check_definition(&home_with_cursor("Note#Part"), "Note.md:3:1: ## Part");
    check_definition(&home_with_cursor("^blk"), "Note.md:4:1: A paragraph. ^blk");
    check_definition(&home_with_cursor("pic.png"), "file pic.png");
}

#[test]
fn definition_of_a_footnote_and_of_a_tag() {
    check_definition(&home_with_cursor("[^1]"), "Home.md:3:1: [^1]:");
    check_definition(&home_with_cursor("#topic/sub"), "Home.md:1:65: #topic/sub");
    check_definition(
        &NOTES.replace("with #topic", "with #to$0pic"),
        "Home.md:1:65: #topic/sub
         Note.md:2:12: #topic",
    );
}

#[test]
fn definition_of_plain_text_or_a_broken_link_is_nothing() {
    check_definition(&home_with_cursor("See"), "");
    check_definition("//- A.md\n[[Nowh$0ere]]\n", "");
}

#[test]
fn references_to_a_note_from_anywhere_in_it() {
    let fixture = NOTES.replace("Intro with", "Intro$0 with");
    check_references(
        &fixture,
        false,
        "Home.md:1:5: [[Note]]
         Home.md:1:15: [[Note#Part]]
         Home.md:1:33: [[Note#^blk]]
         Other.md:1:9: [[Note#Part|the part]]",
    );
}

#[test]
fn references_to_a_heading_include_its_declaration_when_asked() {
    let fixture = NOTES.replace("## Part", "## Pa$0rt");
    check_references(
        &fixture,
        true,
        "Note.md:3:1: ## Part
         Home.md:1:15: [[Note#Part]]
         Other.md:1:9: [[Note#Part|the part]]",
    );
}

#[test]
fn references_to_a_tag_include_nested_tags_and_a_broken_link_has_none() {
    let fixture = NOTES.replace("Intro with #topic", "Intro with #to$0pic");
    check_references(
        &fixture,
        false,
        "Home.md:1:65: #topic/sub
         Note.md:2:12: #topic",
    );
    check_references("//- A.md\n[[Nowh$0ere]]\n", false, "no symbol");
}

#[test]
fn hover_on_a_link_previews_its_target() {
    check_hover(
        &home_with_cursor("Part]]"),
        "Home.md:1:15: [[Note#Part]]
         > `Note.md` › **Part**
         >
         > ## Part
         > A paragraph. ^blk
         >
         > ---
         > 2 links to this heading",
    );
    check_hover(
        &home_with_cursor("Note]]"),
        "Home.md:1:5: [[Note]]
         > **Note** · `Note.md`
         >
         > # Note
         > Intro with #topic.
         > ## Part
         > A paragraph. ^blk
         >
         > ---
         > 4 backlinks to this note",
    );
}

#[test]
fn hover_on_a_tag_a_footnote_and_a_heading() {
    check_hover(
        &home_with_cursor("#topic/sub"),
        "Home.md:1:65: #topic/sub
         > `#topic/sub`: used 1 time in 1 note",
    );
    check_hover(
        &home_with_cursor("[^1]"),
        "Home.md:1:76: [^1]
         > `[^1]`: A source.",
    );
    check_hover(
        &NOTES.replace("## Part", "## Pa$0rt"),
        "Note.md:3:1: ## Part
         > 2 links to this heading",
    );
    check_hover(&home_with_cursor("See"), "no hover");
}

#[test]
fn lenses_count_links_to_the_note_and_each_heading() {
    check_lenses(
        &NOTES.replace("Intro with", "$0Intro with"),
        "Note.md:1:1: ← [Home.md:1:5: [[Note]], Home.md:1:15: [[Note#Part]], Home.md:1:33: [[Note#^blk]], Other.md:1:9: [[Note#Part|the part]]]
         Note.md:1:1: # Note ← []
         Note.md:3:1: ## Part ← [Home.md:1:15: [[Note#Part]], Other.md:1:9: [[Note#Part|the part]]]",
    );
}

/// Links that match their heading only through Obsidian's sanitizer (punctuation as
/// spaces) or only as the heading is written (markup kept).
const PUNCTUATED: &str = "
//- Home.md
[[Talk#Steadiness Penguin story]], [[Talk#`move`]], [[Talk#__init__ x]] and [[Talk#Steadiness (Penguin story)#Deep. End!]]
//- Talk.md
# Talk
##### Steadiness (Penguin story)
###### Deep: end?
### `move`
## __init__ (x)
";

#[test]
fn headings_match_as_obsidian_sanitizes_them() {
    let at = |marker: &str| {
        let i = PUNCTUATED.find(marker).expect("marker");
        format!("{}$0{}", &PUNCTUATED[..i], &PUNCTUATED[i..])
    };
    check_definition(
        &at("Steadiness Penguin"),
        "Talk.md:2:1: ##### Steadiness (Penguin story)",
    );
    check_definition(&at("`move`]]"), "Talk.md:4:1: ### `move`");
    // Written as the note has it: `__init__` is not emphasis to Obsidian's comparison.
    check_definition(&at("__init__ x"), "Talk.md:5:1: ## __init__ (x)");
    check_definition(&at("Deep. End"), "Talk.md:3:1: ###### Deep: end?");
    check_references(
        &PUNCTUATED.replace("### `move`", "### `mo$0ve`"),
        true,
        "Talk.md:4:1: ### `move`
         Home.md:1:36: [[Talk#`move`]]",
    );
    check_hover(
        &PUNCTUATED.replace("##### Steadiness", "##### Stea$0diness"),
        "Talk.md:2:1: ##### Steadiness (Penguin story)
         > 1 link to this heading",
    );
}
