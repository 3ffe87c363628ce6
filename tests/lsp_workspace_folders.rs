//! End-to-end tests of `workspace/didChangeWorkspaceFolders`: a folder added while the
//! server runs is loaded as a vault of its own (as at `initialize` with several folders),
//! a folder removed is dropped and its diagnostics cleared, for push and pull clients.

mod lsp_support;

use lsp_support::{Client, codes, copy_fixture, file_uri, full_capabilities};
use serde_json::{Value, json};

fn change_folders(c: &mut Client, added: &[&std::path::Path], removed: &[&std::path::Path]) {
    let folders = |paths: &[&std::path::Path]| -> Vec<Value> {
        paths
            .iter()
            .map(|p| json!({"uri": file_uri(p), "name": "vault"}))
            .collect()
    };
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": folders(added), "removed": folders(removed)}}),
    );
}

fn second_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Start.md"),
        "# Start\n\n[[Target]] and [[Gone]]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("Target.md"), "# Target\n\n[[Start]]\n").unwrap();
    dir
}

#[test]
fn folders_added_are_loaded_and_folders_removed_are_cleared() {
    let first = copy_fixture("diag");
    let mut c = Client::ready(first.path());
    let folders = &c.initialize_result["capabilities"]["workspace"]["workspaceFolders"];
    assert_eq!(folders["changeNotifications"], true, "{folders}");
    let b = c.uri("B.md");
    c.diagnostics(&b, |d| !d.as_array().unwrap().is_empty());

    let second = second_vault();
    change_folders(&mut c, &[second.path()], &[]);
    // Loaded with progress of its own (stage names and counts), checked, and navigable.
    c.wait_notification("$/progress", |p| {
        p["value"]["message"] == "building the coherence model (2 notes, 3 links resolved)"
    });
    c.wait_notification("$/progress", |p| {
        p["value"]["message"] == "checking 2 notes"
    });
    c.wait_indexed();
    let start = file_uri(&second.path().join("Start.md"));
    let found = c.diagnostics(&start, |d| !d.as_array().unwrap().is_empty());
    assert_eq!(codes(&found), ["broken-link"]);
    let text = std::fs::read_to_string(second.path().join("Start.md")).unwrap();
    let definition = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": start}, "position": lsp_support::pos_of(&text, "[[Target", 3)}),
    );
    let target = definition.as_array().map_or(&definition, |a| &a[0]);
    let target = target["uri"].as_str().or(target["targetUri"].as_str());
    assert!(
        target.is_some_and(|u| u.ends_with("/Target.md")),
        "{definition}"
    );

    // The first folder goes: its notes' diagnostics are cleared, the second stays.
    change_folders(&mut c, &[], &[first.path()]);
    c.diagnostics(&b, |d| d.as_array().unwrap().is_empty());
    let symbols = c.request("workspace/symbol", json!({"query": "Aliased"}));
    assert!(
        symbols
            .as_array()
            .is_none_or(|s| s.iter().all(|s| !s["location"]["uri"]
                .as_str()
                .unwrap_or("")
                .contains("Aliased"))),
        "{symbols}"
    );
    let symbols = c.request("workspace/symbol", json!({"query": "Target"}));
    assert!(symbols.to_string().contains("Target.md"), "{symbols}");
    assert!(c.shutdown().success());
}

#[test]
fn a_pull_client_gets_empty_reports_for_a_removed_folder() {
    let first = copy_fixture("diag");
    let mut caps = full_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let mut c = Client::start(Some(first.path()), caps, json!({}));
    let all = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let previous: Vec<Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    assert!(!previous.is_empty(), "{all}");
    change_folders(&mut c, &[], &[first.path()]);
    let after = c.request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    );
    let items = after["items"].as_array().unwrap();
    assert_eq!(items.len(), previous.len(), "{after}");
    assert!(
        items
            .iter()
            .all(|i| i["kind"] == "full" && i["items"] == json!([])),
        "{after}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn a_folder_added_around_a_loose_note_makes_it_part_of_a_vault() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("Other.md"), "# Other\n").unwrap();
    let text = "# Lone\n[[Other]] and [[Missing]]\n";
    std::fs::write(root.join("Lone.md"), text).unwrap();
    let mut c = Client::start(None, full_capabilities(), json!({}));
    let uri = file_uri(&root.join("Lone.md"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    // Alone, links to other notes cannot be judged.
    let alone = c.diagnostics(&uri, |_| true);
    assert_eq!(alone, json!([]));
    change_folders(&mut c, &[root], &[]);
    let found = c.diagnostics(&uri, |d| !d.as_array().unwrap().is_empty());
    assert_eq!(codes(&found), ["broken-link"], "{found}");
    assert!(found[0]["message"].as_str().unwrap().contains("Missing"));
    assert!(c.shutdown().success());
}
