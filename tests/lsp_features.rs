//! End-to-end tests of the navigation and editing features of `twin lsp` on the
//! `fixtures/lsp/nav` vault, through the real binary. Responses are insta snapshots
//! with the vault's URI replaced by `[VAULT]`.

mod lsp_support;

use std::path::{Path, PathBuf};

use lsp_support::{Client, pos_of, redact};
use serde_json::{Value, json};

fn vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lsp/nav")
}

fn text(rel: &str) -> String {
    std::fs::read_to_string(vault().join(rel)).expect("fixture")
}

/// The params of a position request at `needle` (+`delta` chars) in `rel`.
fn at(client: &Client, rel: &str, needle: &str, delta: usize) -> Value {
    json!({"textDocument": {"uri": client.uri(rel)}, "position": pos_of(&text(rel), needle, delta)})
}

fn snap(value: &Value) -> Value {
    redact(value, &vault())
}

#[test]
fn definition_of_notes_headings_blocks_embeds_footnotes_and_tags() {
    let mut c = Client::ready(&vault());
    let cases = [
        ("note", "[[Guide]]", 3),
        ("heading", "[[Guide#Install]]", 10),
        ("block", "[[Guide#^setup-step]]", 12),
        ("embed", "![[Guide#Usage]]", 5),
        ("markdown_link", "(Guide.md)", 2),
        ("url_encoded", "(sub/Deep%20Note.md)", 6),
        ("footnote", "claim[^1]", 6),
        ("tag", "#area/work/meetings", 2),
    ];
    let mut out = serde_json::Map::new();
    for (name, needle, delta) in cases {
        let result = c.request("textDocument/definition", at(&c, "Home.md", needle, delta));
        out.insert(name.to_string(), snap(&result));
    }
    let none = c.request("textDocument/definition", at(&c, "Home.md", "See [[", 1));
    assert_eq!(none, Value::Null);
    insta::assert_json_snapshot!("definition", out);
    assert!(c.shutdown().success());
}

#[test]
fn references_of_notes_headings_blocks_tags_and_footnotes() {
    let mut c = Client::ready(&vault());
    let refs = |c: &mut Client, rel: &str, needle: &str, delta: usize, decl: bool| {
        let mut params = at(c, rel, needle, delta);
        params["context"] = json!({"includeDeclaration": decl});
        snap(&c.request("textDocument/references", params))
    };
    let mut out = serde_json::Map::new();
    out.insert(
        "note_from_link".into(),
        refs(&mut c, "Home.md", "[[Guide]]", 3, false),
    );
    out.insert(
        "heading_from_definition".into(),
        refs(&mut c, "Guide.md", "## Usage", 4, true),
    );
    out.insert(
        "block_from_definition".into(),
        refs(&mut c, "Guide.md", "^setup-step", 2, false),
    );
    out.insert(
        "tag_nested_and_frontmatter".into(),
        refs(&mut c, "Guide.md", "#project", 2, false),
    );
    out.insert("footnote".into(), refs(&mut c, "Home.md", "[^1]:", 1, true));
    out.insert(
        "note_from_anywhere".into(),
        refs(&mut c, "Home.md", "A claim", 0, false),
    );
    insta::assert_json_snapshot!("references", out);
    assert!(c.shutdown().success());
}

#[test]
fn hover_previews_targets_with_backlink_counts() {
    let mut c = Client::ready(&vault());
    let mut out = serde_json::Map::new();
    for (name, needle, delta) in [
        ("note", "[[Guide]]", 3),
        ("heading", "[[Guide#Install]]", 10),
        ("block", "[[Guide#^setup-step]]", 12),
        ("tag", "#project", 1),
        ("footnote", "claim[^1]", 6),
    ] {
        out.insert(
            name.into(),
            snap(&c.request("textDocument/hover", at(&c, "Home.md", needle, delta))),
        );
    }
    insta::assert_json_snapshot!("hover", out);
    assert!(c.shutdown().success());
}

/// Labels and edits of a completion at the end of `typed`, inserted on a new last line.
fn complete(c: &mut Client, typed: &str, after: &str) -> Value {
    let original = text("sub/Deep Note.md");
    let edited = format!("{original}{typed}{after}");
    let uri = c.uri("sub/Deep Note.md");
    let version = c.next_version();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"text": edited}]}),
    );
    let pos = pos_of(&edited, &format!("{typed}{after}"), typed.chars().count());
    let result = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    );
    let items: Vec<Value> = result["items"]
        .as_array()
        .expect("a completion list")
        .iter()
        .map(|i| json!({"label": i["label"], "detail": i["detail"], "edit": i["textEdit"]}))
        .collect();
    snap(&json!(items))
}

#[test]
fn completion_of_notes_aliases_headings_blocks_tags_footnotes_and_paths() {
    let mut c = Client::ready(&vault());
    c.open("sub/Deep Note.md", None);
    let mut out = serde_json::Map::new();
    out.insert("notes_fuzzy".into(), complete(&mut c, "[[gd", "]]"));
    out.insert("alias".into(), complete(&mut c, "[[Sta", ""));
    out.insert("headings".into(), complete(&mut c, "[[Guide#", "]]"));
    out.insert("blocks".into(), complete(&mut c, "[[Guide#^", "]]"));
    out.insert("tags".into(), complete(&mut c, "#pro", ""));
    out.insert("paths".into(), complete(&mut c, "[x](Gu", ")"));
    insta::assert_json_snapshot!("completion", out);
    assert!(c.shutdown().success());
}

#[test]
fn completion_honours_markdown_link_settings() {
    let dir = lsp_support::copy_fixture("nav");
    std::fs::write(
        dir.path().join(".obsidian/app.json"),
        r#"{"useMarkdownLinks": true, "newLinkFormat": "relative"}"#,
    )
    .unwrap();
    let mut c = Client::ready(dir.path());
    let uri = c.open("sub/Deep Note.md", Some("[[Gui"));
    let result = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}}),
    );
    let guide = result["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Guide")
        .expect("Guide offered")
        .clone();
    assert_eq!(guide["textEdit"]["newText"], "[Guide](../Guide.md)");
    assert_eq!(
        guide["textEdit"]["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}})
    );
    assert!(c.shutdown().success());
}

#[test]
fn symbols_lenses_links_folding_and_semantic_tokens() {
    let mut c = Client::ready(&vault());
    // Workspace symbols are ranked through the search index once it is ready.
    let deadline = std::time::Instant::now() + lsp_support::TIMEOUT;
    while c.request("twin/search", json!({"query": "x"}))["ready"] != true {
        assert!(std::time::Instant::now() < deadline, "no search index");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let doc = |c: &Client, rel: &str| json!({"textDocument": {"uri": c.uri(rel)}});
    let mut out = serde_json::Map::new();
    out.insert(
        "document_symbols".into(),
        snap(&c.request("textDocument/documentSymbol", doc(&c, "Guide.md"))),
    );
    out.insert(
        "workspace_symbols".into(),
        snap(&c.request("workspace/symbol", json!({"query": "ins"}))),
    );
    out.insert(
        "code_lens".into(),
        snap(&c.request("textDocument/codeLens", doc(&c, "Guide.md"))),
    );
    out.insert(
        "document_links".into(),
        snap(&c.request("textDocument/documentLink", doc(&c, "Home.md"))),
    );
    out.insert(
        "folding".into(),
        snap(&c.request("textDocument/foldingRange", doc(&c, "Guide.md"))),
    );
    out.insert(
        "semantic_tokens".into(),
        snap(&c.request(
            "textDocument/semanticTokens/full",
            doc(&c, "sub/Deep Note.md"),
        )),
    );
    insta::assert_json_snapshot!("symbols", out);
    assert!(c.shutdown().success());
}
