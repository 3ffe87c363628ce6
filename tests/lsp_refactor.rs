//! The writing refactorings and inlay hints end to end, through the real `twin lsp`: an
//! extraction applied to the files on disk as a client would (new note in the folder
//! `app.json` names, every other byte kept), its command recording the move in the trace,
//! the inverse inlining, and inlay hints turned off by a setting.

mod lsp_support;

use std::path::Path;

use lsp_support::{Client, apply_workspace_edit, pos_of};
use serde_json::{Value, json};

const HOME: &str = "# Home\nIntro.\n\n## Part\nWords. ^blk\n\n## After\nEnd.\n";

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_default()
}

fn actions_at(c: &mut Client, rel: &str, needle: &str) -> Vec<Value> {
    let root = c.root.clone().unwrap();
    let at = pos_of(&read(&root, rel), needle, 0);
    let answer = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": c.uri(rel)}, "range": {"start": at, "end": at},
               "context": {"diagnostics": [], "only": ["refactor"]}}),
    );
    answer.as_array().cloned().unwrap_or_default()
}

/// Applies an action as a client does: its edit, then its command.
fn run_action(c: &mut Client, action: &Value) {
    let root = c.root.clone().unwrap();
    apply_workspace_edit(&root, &action["edit"]);
    let command = &action["command"];
    let answer = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(answer["recorded"], true, "{answer}");
}

#[test]
fn extract_then_inline_round_trips_and_records_both_moves() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".obsidian")).unwrap();
    std::fs::write(
        root.join(".obsidian/app.json"),
        r#"{"newFileLocation": "folder", "newFileFolderPath": "Notes"}"#,
    )
    .unwrap();
    std::fs::write(root.join("Home.md"), HOME).unwrap();
    std::fs::write(root.join("Other.md"), "See [[Home#^blk]].\n").unwrap();
    let mut c = Client::ready(root);

    // Inlay hints: the block's words after the reference; none once turned off.
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}});
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": c.uri("Other.md")}, "range": range}),
    );
    assert_eq!(hints[0]["label"], "Words.", "{hints}");

    let found = actions_at(&mut c, "Home.md", "## Part");
    let extract = found
        .iter()
        .find(|a| a["title"] == "Extract section to [[Part]]")
        .unwrap_or_else(|| panic!("an extract action: {found:?}"));
    assert_eq!(extract["kind"], "refactor.extract");
    run_action(&mut c, extract);
    assert_eq!(read(root, "Notes/Part.md"), "## Part\nWords. ^blk\n");
    assert_eq!(
        read(root, "Home.md"),
        "# Home\nIntro.\n\n[[Part]]\n\n## After\nEnd.\n"
    );
    assert_eq!(read(root, "Other.md"), "See [[Part#^blk]].\n");

    // The server learns of the new note from the disk, then offers the way back.
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": c.uri("Notes/Part.md"), "type": 1},
            {"uri": c.uri("Home.md"), "type": 2},
            {"uri": c.uri("Other.md"), "type": 2},
        ]}),
    );
    let mut inline = None;
    for _ in 0..100 {
        let found = actions_at(&mut c, "Home.md", "[[Part]]");
        inline = found.into_iter().find(|a| a["kind"] == "refactor.inline");
        if inline.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Other.md links to the part's block: nothing else may link for an inlining.
    assert!(inline.is_none(), "{inline:?}");
    std::fs::write(root.join("Other.md"), "Nothing here.\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("Other.md"), "type": 2}]}),
    );
    for _ in 0..100 {
        let found = actions_at(&mut c, "Home.md", "[[Part]]");
        inline = found.into_iter().find(|a| a["kind"] == "refactor.inline");
        if inline.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let inline = inline.expect("an inline action once nothing else links");
    run_action(&mut c, &inline);
    assert_eq!(
        read(root, "Home.md"),
        HOME,
        "the round trip restores the note"
    );
    assert!(!root.join("Notes/Part.md").exists());

    let trace = read(root, ".twin/trace.jsonl");
    let moves: Vec<Value> = trace
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["event"] == "moved")
        .map(|e| json!([e["from"], e["path"]]))
        .collect();
    assert_eq!(
        moves,
        [
            json!(["Home.md#Part", "Notes/Part.md"]),
            json!(["Notes/Part.md", "Home.md#Part"])
        ]
    );

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"twin": {"inlayHints": {"enable": false}}}}),
    );
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": c.uri("Home.md")}, "range": range}),
    );
    assert_eq!(hints, Value::Null);
    c.shutdown();
}
