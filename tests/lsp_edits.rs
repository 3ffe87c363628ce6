//! End-to-end tests of rename, file renames and quick fixes: each applies the server's
//! WorkspaceEdit to a temporary copy of a fixture vault, then checks the result with
//! the library (no new findings) and that only link targets (or the renamed thing) changed.

mod lsp_support;

use std::collections::BTreeMap;
use std::path::Path;

use lsp_support::{Client, apply_workspace_edit, check, copy_fixture, pos_of, redact};
use serde_json::{Value, json};

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).expect("read")
}

/// Parses a note of the vault as the server does, for its link target spans.
fn link_targets(root: &Path, rel: &str) -> Vec<(usize, usize)> {
    let text: std::sync::Arc<str> = read(root, rel).into();
    let note = twin::note::parse_note(rel.into(), text);
    note.links
        .iter()
        .map(|l| (l.target_span.start as usize, l.target_span.end as usize))
        .collect()
}

fn request_at(
    c: &mut Client,
    method: &str,
    rel: &str,
    needle: &str,
    delta: usize,
    extra: Value,
) -> Value {
    let root = c.root.clone().unwrap();
    let mut params = json!({"textDocument": {"uri": c.uri(rel)}, "position": pos_of(&read(&root, rel), needle, delta)});
    if let Value::Object(extra) = extra {
        params.as_object_mut().unwrap().extend(extra);
    }
    c.request(method, params)
}

/// Every replaced range lies inside a link target of the original note.
fn only_link_targets_changed(
    before: &BTreeMap<String, Vec<(usize, usize)>>,
    applied: &BTreeMap<String, Vec<(usize, usize, String)>>,
) {
    for (file, edits) in applied {
        let targets = &before[file];
        for (start, end, _) in edits {
            assert!(
                targets.iter().any(|(s, e)| s <= start && end <= e),
                "{file}: edit {start}..{end} is outside every link target {targets:?}"
            );
        }
    }
}

#[test]
fn rename_a_note_renames_the_file_and_rewrites_every_link() {
    let dir = copy_fixture("nav");
    let root = dir.path();
    assert!(check(root).is_empty(), "the fixture is clean");
    let before: BTreeMap<String, Vec<(usize, usize)>> = ["Home.md", "sub/Deep Note.md", "Guide.md"]
        .iter()
        .map(|f| (f.to_string(), link_targets(root, f)))
        .collect();
    let mut c = Client::ready(root);
    let prepared = request_at(
        &mut c,
        "textDocument/prepareRename",
        "Home.md",
        "[[Guide#Install]]",
        3,
        json!({}),
    );
    assert_eq!(prepared["placeholder"], "Guide");
    let edit = request_at(
        &mut c,
        "textDocument/rename",
        "Home.md",
        "[[Guide#Install]]",
        3,
        json!({"newName": "User Manual"}),
    );
    insta::assert_json_snapshot!("rename_note", redact(&edit, root));
    let applied = apply_workspace_edit(root, &edit);
    only_link_targets_changed(&before, &applied);
    assert!(root.join("User Manual.md").exists() && !root.join("Guide.md").exists());
    assert!(
        check(root).is_empty(),
        "findings after the rename: {:?}",
        check(root)
    );
    let home = read(root, "Home.md");
    assert!(
        home.contains("[[User Manual#Install]]") && home.contains("(User%20Manual.md)"),
        "{home}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn rename_heading_block_and_tag() {
    let dir = copy_fixture("nav");
    let root = dir.path();
    let mut c = Client::ready(root);
    let heading = request_at(
        &mut c,
        "textDocument/rename",
        "Guide.md",
        "## Usage",
        4,
        json!({"newName": "How to use: it"}),
    );
    let block = request_at(
        &mut c,
        "textDocument/rename",
        "Home.md",
        "^setup-step]]",
        3,
        json!({"newName": "first-step"}),
    );
    // From the parent tag in the frontmatter: nested tags follow.
    let tag = request_at(
        &mut c,
        "textDocument/rename",
        "Home.md",
        "area/work]",
        2,
        json!({"newName": "domain/job"}),
    );
    insta::assert_json_snapshot!(
        "rename_heading_block_tag",
        json!({
        "heading": redact(&heading, root), "block": redact(&block, root), "tag": redact(&tag, root)})
    );
    for edit in [&heading, &block, &tag] {
        apply_workspace_edit(root, edit);
    }
    assert!(
        check(root).is_empty(),
        "findings after the renames: {:?}",
        check(root)
    );
    let home = read(root, "Home.md");
    assert!(
        home.contains("![[Guide#How to use it]]") && home.contains("[[Guide#^first-step]]"),
        "{home}"
    );
    assert!(
        home.contains("#domain/job/meetings") && home.contains("domain/job]"),
        "{home}"
    );
    assert!(read(root, "Guide.md").contains("## How to use: it"));
    assert!(c.shutdown().success());
}

#[test]
fn prepare_rename_refuses_plain_text() {
    let dir = copy_fixture("nav");
    let mut c = Client::ready(dir.path());
    let result = request_at(
        &mut c,
        "textDocument/prepareRename",
        "Guide.md",
        "Intro line",
        2,
        json!({}),
    );
    assert_eq!(result, Value::Null);
    assert!(c.shutdown().success());
}

#[test]
fn will_rename_files_rewrites_links_to_a_moved_note() {
    let dir = copy_fixture("nav");
    let root = dir.path();
    let before: BTreeMap<String, Vec<(usize, usize)>> = ["Home.md", "sub/Deep Note.md", "Guide.md"]
        .iter()
        .map(|f| (f.to_string(), link_targets(root, f)))
        .collect();
    let mut c = Client::ready(root);
    let old = c.uri("sub/Deep Note.md");
    let new = c.uri("archive/Deep Note.md");
    let edit = c.request(
        "workspace/willRenameFiles",
        json!({"files": [{"oldUri": old, "newUri": new}]}),
    );
    insta::assert_json_snapshot!("will_rename_files", redact(&edit, root));
    let applied = apply_workspace_edit(root, &edit);
    only_link_targets_changed(&before, &applied);
    std::fs::create_dir_all(root.join("archive")).unwrap();
    std::fs::rename(
        root.join("sub/Deep Note.md"),
        root.join("archive/Deep Note.md"),
    )
    .unwrap();
    assert!(
        check(root).is_empty(),
        "findings after the move: {:?}",
        check(root)
    );
    assert!(c.shutdown().success());
}

#[test]
fn quick_fixes_for_broken_links_headings_and_footnotes() {
    let dir = copy_fixture("nav");
    let root = dir.path();
    let broken = "# Broken\n\nSee [[Gide]] and [[Guide#Instal]] and [[Brand new]].\nA claim[^2] here.\n\n[^9]: Never used.\n";
    std::fs::write(root.join("Broken.md"), broken).unwrap();
    let mut c = Client::ready(root);
    let uri = c.open("Broken.md", None);
    let diagnostics = c.diagnostics(&uri, |d| d.as_array().is_some_and(|d| d.len() >= 5));
    let actions_at = |c: &mut Client, needle: &str| {
        let pos = pos_of(broken, needle, 2);
        c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": pos, "end": pos},
            "context": {"diagnostics": diagnostics}}),
        )
    };
    let mut out = serde_json::Map::new();
    for (name, needle) in [
        ("typo", "[[Gide]]"),
        ("heading", "[[Guide#Instal]]"),
        ("new_note", "[[Brand new]]"),
        ("undefined_footnote", "[^2]"),
        ("unused_footnote", "[^9]:"),
    ] {
        out.insert(name.into(), redact(&actions_at(&mut c, needle), root));
    }
    insta::assert_json_snapshot!("code_actions", out);
    // Applying the preferred fix of each finding, the last in the note first so the
    // others' positions still hold, leaves the note clean.
    for name in [
        "undefined_footnote",
        "unused_footnote",
        "new_note",
        "heading",
        "typo",
    ] {
        let actions = out[name].as_array().unwrap().clone();
        let action = actions
            .iter()
            .find(|a| a["isPreferred"] == true)
            .or(actions.first())
            .expect("an action");
        let edit = lsp_support::redact_back(&action["edit"], root);
        apply_workspace_edit(root, &edit);
    }
    let left: Vec<_> = check(root)
        .into_iter()
        .filter(|d| d.path.as_ref() == "Broken.md")
        .map(|d| d.code)
        .collect();
    assert!(
        left.is_empty(),
        "left after the fixes: {left:?}\n{}",
        read(root, "Broken.md")
    );
    assert!(c.shutdown().success());
}

#[test]
fn rename_a_note_rewrites_the_canvases_that_show_or_link_it() {
    let dir = copy_fixture("canvas");
    let root = dir.path();
    assert!(check(root).is_empty(), "the fixture is clean");
    let before = read(root, "Board.canvas");
    let mut c = Client::ready(root);
    // References list the canvas's file node and both card links, at their place.
    let refs = request_at(
        &mut c,
        "textDocument/references",
        "Home.md",
        "[[Guide]]",
        3,
        json!({"context": {"includeDeclaration": false}}),
    );
    let on_canvas: Vec<(u64, u64)> = refs
        .as_array()
        .expect("locations")
        .iter()
        .filter(|l| l["uri"].as_str().unwrap().ends_with("Board.canvas"))
        .map(|l| {
            let start = &l["range"]["start"];
            (
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    let lines: Vec<&str> = before.lines().collect();
    let col = |line: usize, needle: &str| {
        lines[line][..lines[line].find(needle).unwrap()]
            .encode_utf16()
            .count() as u64
    };
    assert_eq!(
        on_canvas,
        [
            (2, col(2, "Guide.md")),
            (3, col(3, "[[Guide]]")),
            (3, col(3, "[the guide]")),
        ]
    );
    let edit = request_at(
        &mut c,
        "textDocument/rename",
        "Home.md",
        "[[Guide]]",
        3,
        json!({"newName": "User Manual"}),
    );
    apply_workspace_edit(root, &edit);
    assert!(root.join("User Manual.md").exists() && !root.join("Guide.md").exists());
    // Only the bytes that name the note changed, through JSON escapes and wide characters.
    let expected = before
        .replace(r#""file":"Guide.md""#, r#""file":"User Manual.md""#)
        .replace("[[Guide]]", "[[User Manual]]")
        .replace("(Guide.md)", "(User%20Manual.md)");
    assert_eq!(read(root, "Board.canvas"), expected);
    assert!(
        check(root).is_empty(),
        "findings after the rename: {:?}",
        check(root)
    );
    assert!(c.shutdown().success());
}

#[test]
fn a_canvas_broken_link_is_published_at_its_place() {
    let dir = copy_fixture("canvas");
    let root = dir.path();
    let canvas = read(root, "Board.canvas").replace("read [[Guide]]", "read [[Gone]]");
    std::fs::write(root.join("Board.canvas"), &canvas).unwrap();
    let mut c = Client::ready(root);
    let uri = c.uri("Board.canvas");
    let published = c.diagnostics(&uri, |d| !d.as_array().unwrap().is_empty());
    let found = &published.as_array().unwrap()[0];
    assert_eq!(found["code"], "broken-link");
    let line = canvas.lines().nth(3).unwrap();
    let col = line[..line.find("Gone").unwrap()].encode_utf16().count() as u64;
    assert_eq!(
        found["range"]["start"],
        json!({"line": 3, "character": col})
    );
    assert!(c.shutdown().success());
}
