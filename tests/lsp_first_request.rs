//! Requests sent the moment the editor has said `initialized` and opened a note, before
//! the vault has finished loading, get full answers: each waits for the stage of the load
//! it needs instead of answering from an empty model. Not timed: the vault is large
//! enough that the load is still running when the requests arrive.

mod lsp_support;

use std::path::Path;

use lsp_support::{Client, copy_fixture, full_capabilities, pos_of};
use serde_json::{Value, json};

/// Notes beside the `nav` fixture, each linking to the guide, so the load takes a while
/// and every answer about the guide depends on the whole vault.
const FILLER: usize = 2_000;

fn write_filler(root: &Path) {
    let dir = root.join("filler");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..FILLER {
        let text = format!(
            "# Filler {i}\n\nAbout [[Guide]] and [[Filler {}]].\n\n## Part {i}\n\nSome prose on topic {i}.\n",
            (i + 1) % FILLER
        );
        std::fs::write(dir.join(format!("Filler {i}.md")), text).unwrap();
    }
}

#[test]
fn first_requests_after_initialized_get_full_answers() {
    let vault = copy_fixture("nav");
    write_filler(vault.path());
    let home = std::fs::read_to_string(vault.path().join("Home.md")).unwrap();
    let mut c = Client::start_with_env(
        Some(vault.path()),
        full_capabilities(),
        json!({}),
        &[("TWIN_LSP_READY_TIMEOUT_MS", "120000")],
    );
    let uri = c.open("Home.md", None);
    let at = |needle: &str, delta: usize| json!({"textDocument": {"uri": uri}, "position": pos_of(&home, needle, delta)});
    let mut refs = at("[[Guide]]", 3);
    refs["context"] = json!({"includeDeclaration": false});
    let mut rename = at("[[Guide]]", 3);
    rename["newName"] = json!("Manual");
    let ids = [
        c.send_request("textDocument/definition", at("[[Guide]]", 3)),
        c.send_request("textDocument/references", refs),
        c.send_request("textDocument/hover", at("[[Guide]]", 3)),
        c.send_request("textDocument/completion", at("[[Guide]]", 2)),
        c.send_request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ),
        c.send_request("workspace/symbol", json!({"query": "Filler 1234"})),
        c.send_request("textDocument/rename", rename),
    ];
    let answers: Vec<Value> = ids
        .iter()
        .map(|&id| {
            let response = c.response(id);
            assert!(response.get("error").is_none(), "{response}");
            response["result"].clone()
        })
        .collect();
    let [
        definition,
        references,
        hover,
        completion,
        symbols,
        workspace,
        rename,
    ] = answers.try_into().unwrap();

    let target = definition.as_array().map_or(&definition, |a| &a[0]);
    let target = target["uri"].as_str().or(target["targetUri"].as_str());
    assert!(
        target.is_some_and(|u| u.ends_with("/Guide.md")),
        "{definition}"
    );

    let references = references.as_array().expect("references");
    let from_filler = references
        .iter()
        .filter(|r| r["uri"].as_str().unwrap().contains("/filler/"))
        .count();
    assert_eq!(from_filler, FILLER, "every filler note links to the guide");

    let hover = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(hover.contains("Guide"), "{hover}");

    let items = completion["items"].as_array().or(completion.as_array());
    let labels: Vec<&str> = items
        .expect("completion items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.iter().any(|l| l.contains("Filler")), "{labels:?}");

    assert!(!symbols.as_array().expect("symbols").is_empty());

    let names: Vec<&str> = workspace
        .as_array()
        .expect("workspace symbols")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"Filler 1234"), "{names:?}");

    let edited = rename["documentChanges"]
        .as_array()
        .expect("document changes")
        .iter()
        .filter(|c| {
            c["textDocument"]["uri"]
                .as_str()
                .is_some_and(|u| u.contains("/filler/"))
        })
        .count();
    assert_eq!(edited, FILLER, "the rename reaches every filler note");

    // Each stage of the load is logged with its time.
    for stage in ["load", "resolve", "coherence"] {
        let line = format!("stage {stage}: ");
        c.wait_notification("window/logMessage", |p| {
            p["message"].as_str().is_some_and(|m| m.starts_with(&line))
        });
    }
    assert!(c.shutdown().success());
}

#[test]
fn a_request_that_waits_too_long_is_answered_content_modified() {
    let vault = copy_fixture("nav");
    write_filler(vault.path());
    let home = std::fs::read_to_string(vault.path().join("Home.md")).unwrap();
    let mut c = Client::start_with_env(
        Some(vault.path()),
        full_capabilities(),
        json!({}),
        &[("TWIN_LSP_READY_TIMEOUT_MS", "0")],
    );
    let uri = c.open("Home.md", None);
    let params = json!({"textDocument": {"uri": uri}, "position": pos_of(&home, "[[Guide]]", 3)});
    let response = c.request_raw("textDocument/definition", params.clone());
    assert_eq!(response["error"]["code"], -32801, "{response}");
    assert_eq!(response["error"]["data"]["retriggerRequest"], true);
    // Once loaded, the same request is answered.
    c.wait_indexed();
    let response = c.request_raw("textDocument/definition", params);
    assert!(
        response["result"].to_string().contains("Guide.md"),
        "{response}"
    );
    assert!(c.shutdown().success());
}
