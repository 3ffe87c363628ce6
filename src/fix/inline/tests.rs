//! Inlining a note on fixture vaults: the cursor sits on the link; the expectation is
//! every file the edit leaves, in full, and `deleted` for the inlined note.

use super::inline_note;
use crate::analysis::fixture::Fixture;
use crate::fix::FixContext;
use crate::fix::edit::{FileOp, apply_changes};

fn run(fixture: &str) -> Result<(String, crate::fix::extract::Moved), String> {
    let f = Fixture::parse(fixture);
    let (id, offset) = f.cursor();
    let a = &f.analysis;
    let note = a.vault.note(id);
    let j = note
        .links
        .iter()
        .position(|l| l.span.start as usize <= offset && offset < l.span.end as usize)
        .expect("the cursor is on a link");
    let cx = FixContext::from_analysis(a);
    let moved = inline_note(&cx, id, j)?;
    let mut out = String::new();
    for op in &moved.fix.ops {
        match op {
            FileOp::Edit { path, changes } => {
                let old = &a.vault.note(a.vault.note_by_path(path).unwrap()).text;
                out.push_str(&format!("== {path}\n{}", apply_changes(old, changes)));
            }
            FileOp::Delete { path } => out.push_str(&format!("== deleted {path}\n")),
            other => panic!("inlining does not {other:?}"),
        }
    }
    Ok((out, moved))
}

fn check(fixture: &str, expect: &str) {
    let (out, _) = run(fixture).unwrap();
    let expect: String = expect
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .map(|l| format!("{}\n", l.strip_prefix("        ").unwrap_or(l.trim_start())))
        .collect();
    assert_eq!(
        out,
        expect.trim_end_matches([' ', '\n']).to_string() + "\n",
        "\n--- actual ---\n{out}"
    );
}

fn refused(fixture: &str) -> String {
    run(fixture).map(|(out, _)| out).unwrap_err()
}

#[test]
fn an_embed_becomes_the_note_and_the_note_goes() {
    check(
        "
//- Home.md
# Home
Intro.

![[Pa$0rt]]

## After
//- Part.md
## Part
Words. ^blk
See [[Part#^blk]] and [[#Part]].
",
        "
        == Home.md
        # Home
        Intro.

        ## Part
        Words. ^blk
        See [[#^blk]] and [[#Part]].

        ## After
        == deleted Part.md
        ",
    );
    let (_, moved) = run("//- A.md\n[[B$0]]\n//- B.md\nb\n").unwrap();
    assert_eq!((moved.from.as_str(), moved.to.as_str()), ("B.md", "A.md#B"));
}

#[test]
fn the_rest_of_the_note_is_kept_byte_for_byte() {
    let home = "---\r\na: 1\r\n---\r\nx  \r\n\r\n  [[P]]\r\n\r\ny\r\n";
    let fixture = format!(
        "//- Home.md\n{}//- P.md\n\r\n# P\r\nz\r\n\r\n",
        home.replacen("[[P", "[[$0P", 1)
    );
    let (_, moved) = run(&fixture).unwrap();
    let FileOp::Edit { changes, .. } = &moved.fix.ops[0] else {
        panic!("an edit")
    };
    let at = home.find("[[P]]").unwrap();
    assert_eq!(
        apply_changes(home, changes),
        format!("{}# P\r\nz{}", &home[..at], &home[at + 5..])
    );
}

#[test]
fn relations_between_the_two_notes_go_with_the_note() {
    check(
        "
//- Home.md
# Home
[[Topic$0]]
## Downstream
- [[Q]]
- [[Topic]]
//- Topic.md
## Topic
x

## Upstream
- [[Home]]
//- Q.md
up: [[Home]]
",
        "
        == Home.md
        # Home
        ## Topic
        x
        ## Downstream
        - [[Q]]
        == deleted Topic.md
        ",
    );
    check(
        "
//- Home.md
---
down: [\"[[Q]]\", \"[[Topic]]\"]
---
# Home
[[Topic$0]]
//- Topic.md
---
up:
  - \"[[Home]]\"
---
## Topic
x
//- Q.md
",
        "
        == Home.md
        ---
        down: [\"[[Q]]\"]
        ---
        # Home
        ## Topic
        x
        == deleted Topic.md
        ",
    );
}

#[test]
fn what_cannot_be_inlined_is_refused() {
    // Another note links to it.
    assert!(refused("//- A.md\n[[B$0]]\n//- B.md\nb\n//- C.md\n[[B]]\n").contains("other links"));
    // The link is inside a sentence.
    assert!(refused("//- A.md\nsee [[B$0]]\n//- B.md\nb\n").contains("shares its line"));
    // A link into the note, or to itself.
    assert!(refused("//- A.md\n[[B#H$0]]\n//- B.md\n# H\n").contains("whole other note"));
    // Properties other than relations would be lost.
    assert!(
        refused("//- A.md\n[[B$0]]\n//- B.md\n---\ntags: [x]\n---\nb\n").contains("properties")
    );
}

#[test]
fn links_written_relative_to_the_inlined_notes_folder_are_rebased() {
    check(
        "
//- Home.md
[[Sub/Part$0]]
//- Sub/Part.md
[up](../Top.md) [side](./Side.md) [[./Side]] [[Side]]
//- Top.md
//- Sub/Side.md
",
        "
        == Home.md
        [up](Top.md) [side](Sub/Side.md) [[./Sub/Side]] [[Side]]
        == deleted Sub/Part.md
        ",
    );
}
