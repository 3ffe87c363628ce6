//! Extracting a section on fixture vaults: the cursor sits on the heading; the
//! expectation is every file the edit writes, in full, after it is applied.

use super::extract_section;
use crate::analysis::fixture::Fixture;
use crate::config::Config;
use crate::fix::FixContext;
use crate::fix::edit::{FileOp, apply_changes};

/// The files the extraction writes, each as `== path` and its whole new text.
fn run(fixture: &str, embed: bool, config: &Config) -> Result<(String, super::Moved), String> {
    let f = Fixture::parse(fixture);
    let (id, offset) = f.cursor();
    let a = &f.analysis;
    let note = a.vault.note(id);
    let h = note.heading_at(offset).expect("the cursor is in a section");
    let cx = FixContext::new(&a.vault, &a.graph, &a.coherence, config);
    let moved = extract_section(&cx, id, h, embed)?;
    let mut out = String::new();
    for op in &moved.fix.ops {
        match op {
            FileOp::Create { path, text } => out.push_str(&format!("== new {path}\n{text}")),
            FileOp::Edit { path, changes } => {
                let old = &a.vault.note(a.vault.note_by_path(path).unwrap()).text;
                out.push_str(&format!("== {path}\n{}", apply_changes(old, changes)));
            }
            FileOp::Rename { .. } | FileOp::Delete { .. } => {
                unreachable!("extraction only creates")
            }
        }
        if !out.ends_with('\n') {
            out.push_str("⏎\n");
        }
    }
    Ok((out, moved))
}

fn check(fixture: &str, embed: bool, expect: &str) {
    check_with(fixture, embed, &Config::default(), expect);
}

fn check_with(fixture: &str, embed: bool, config: &Config, expect: &str) {
    let (out, _) = run(fixture, embed, config).unwrap();
    let expect = unindent(expect);
    assert_eq!(out, expect, "\n--- actual ---\n{out}");
}

fn unindent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().skip_while(|l| l.trim().is_empty()).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    lines[..end]
        .iter()
        .map(|l| l.strip_prefix("        ").unwrap_or(l.trim_start()))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_section_moves_to_a_new_note_and_a_link_takes_its_place() {
    check(
        "
//- Parent.md
# Parent
Intro.

## Moved$0 part
Text. ^blk
### Sub
More.

## Kept
End.
",
        false,
        "
        == new Moved part.md
        ## Moved part
        Text. ^blk
        ### Sub
        More.
        == Parent.md
        # Parent
        Intro.

        [[Moved part]]

        ## Kept
        End.
        ",
    );
}

#[test]
fn the_rest_of_the_parent_is_kept_byte_for_byte() {
    let parent = "---\ntags: [a]\n---\n# P\r\nIntro  \r\n\r\n## Go\r\nx\r\n\r\n\r\n## Stay\r\ny";
    let fixture = format!("//- P.md\n{}", parent.replacen("## Go", "## G$0o", 1));
    let (_, moved) = run(&fixture, true, &Config::default()).unwrap();
    let FileOp::Edit { changes, .. } = &moved.fix.ops[1] else {
        panic!("an edit of the parent")
    };
    let after = apply_changes(parent, changes);
    let start = parent.find("## Go").unwrap();
    let end = parent.find("## Stay").unwrap();
    assert_eq!(
        after,
        format!("{}![[Go]]\r\n\r\n\r\n{}", &parent[..start], &parent[end..])
    );
    assert_eq!(
        moved.fix.ops[0],
        FileOp::Create {
            path: "Go.md".into(),
            text: "## Go\r\nx\r\n".into()
        }
    );
    assert_eq!(
        (moved.from.as_str(), moved.to.as_str()),
        ("P.md#Go", "Go.md")
    );
}

#[test]
fn the_last_section_of_a_note_without_a_final_line_break() {
    check(
        "
//- P.md
# P
## La$0st
Words.",
        true,
        "
        == new Last.md
        ## Last
        Words.
        == P.md
        # P
        ![[Last]]⏎
        ",
    );
}

#[test]
fn links_into_the_section_follow_it() {
    check(
        "
//- Home.md
# Home
See [[#Moved]], [[#Sub]] and [[#Kept]].
## Mov$0ed
Back to [[#Kept]], down to [[#Sub]], [[Home#^blk|a block]]. ^blk
### Sub
## Kept
//- Other.md
[[Home#Moved]] [[Home#Moved|alias]] ![[Home#Sub]] [[Home#^blk]] [[Home#Kept]] [[Home]]
[m](Home.md#Moved) [s](Home.md#Sub)
",
        false,
        "
        == new Moved.md
        ## Moved
        Back to [[Home#Kept]], down to [[#Sub]], [[#^blk|a block]]. ^blk
        ### Sub
        == Home.md
        # Home
        See [[Moved]], [[Moved#Sub]] and [[#Kept]].
        [[Moved]]
        ## Kept
        == Other.md
        [[Moved]] [[Moved|alias]] ![[Moved#Sub]] [[Moved#^blk]] [[Home#Kept]] [[Home]]
        [m](Moved.md) [s](Moved.md#Sub)
        ",
    );
}

#[test]
fn forbidden_characters_leave_the_name_and_taken_names_are_numbered() {
    check(
        "
//- P.md
## What: a/b? [[x]]$0
t
//- What a b x.md
",
        false,
        "
        == new What a b x 1.md
        ## What: a/b? [[x]]
        t
        == P.md
        [[What a b x 1]]
        ",
    );
    assert_eq!(
        super::file_name(" .hidden #tag ^x "),
        Some("hidden tag x".into())
    );
    assert_eq!(super::file_name("[]"), None);
}

#[test]
fn new_notes_go_where_obsidian_puts_them() {
    let fixture = "//- A/B/P.md\n# P\n## S$0\nx\n";
    let mut config = Config::default();
    check_with(
        fixture,
        false,
        &config,
        "== new S.md\n## S\nx\n== A/B/P.md\n# P\n[[S]]\n",
    );
    config.new_file_location = Some("current".into());
    check_with(
        fixture,
        false,
        &config,
        "== new A/B/S.md\n## S\nx\n== A/B/P.md\n# P\n[[S]]\n",
    );
    config.new_file_location = Some("folder".into());
    config.new_file_folder = Some("Inbox/".into());
    check_with(
        fixture,
        false,
        &config,
        "== new Inbox/S.md\n## S\nx\n== A/B/P.md\n# P\n[[S]]\n",
    );
    config.use_markdown_links = true;
    check_with(
        fixture,
        false,
        &config,
        "== new Inbox/S.md\n## S\nx\n== A/B/P.md\n# P\n[S](../../Inbox/S.md)\n",
    );
}

#[test]
fn a_vault_typing_relations_in_sections_gets_them_both_ways() {
    check(
        "
//- P.md
# P
## Top$0ic
x
## Downstream
- [[Q]]
//- Q.md
## Upstream
- [[P]]
",
        false,
        "
        == new Topic.md
        ## Topic
        x

        ## Upstream
        - [[P]]
        == P.md
        # P
        [[Topic]]
        ## Downstream
        - [[Q]]
        - [[Topic]]
        ",
    );
}

#[test]
fn a_vault_typing_relations_in_properties_gets_properties() {
    check(
        "
//- P.md
---
down: [\"[[Q]]\"]
---
# P
## Top$0ic
x
//- Q.md
---
up: \"[[P]]\"
---
",
        false,
        "
        == new Topic.md
        ---
        up:
          - \"[[P]]\"
        ---
        ## Topic
        x
        == P.md
        ---
        down: [\"[[Q]]\", \"[[Topic]]\"]
        ---
        # P
        [[Topic]]
        ",
    );
}

#[test]
fn links_written_relative_to_the_folder_follow_the_move() {
    let config = Config {
        new_file_location: Some("folder".into()),
        new_file_folder: Some("Inbox".into()),
        ..Config::default()
    };
    check_with(
        "
//- A/B/P.md
## S$0
[m](../Q.md) [n](Q.md) [[../Q]] [[Q]] ![pic](../img%201.png) [[P#T]]
## T
//- A/Q.md
//- A/img 1.png
",
        false,
        &config,
        "
        == new Inbox/S.md
        ## S
        [m](../A/Q.md) [n](Q.md) [[../A/Q]] [[Q]] ![pic](../A/img%201.png) [[P#T]]
        == A/B/P.md
        [[S]]
        ## T
        ",
    );
}
