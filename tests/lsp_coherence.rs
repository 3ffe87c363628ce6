//! End-to-end tests of coherence in `twin lsp` on `fixtures/lsp/coherence`: the
//! `twin/coherence` request (vault and note), the lens on a note's first line, the hover
//! of its title, and the reference lens's command with its locations.

mod lsp_support;

use std::path::{Path, PathBuf};

use lsp_support::{Client, redact};
use serde_json::{Value, json};

fn vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lsp/coherence")
}

fn doc(c: &Client, rel: &str) -> Value {
    json!({"textDocument": {"uri": c.uri(rel)}})
}

#[test]
fn twin_coherence_answers_the_vault_score_and_a_notes_vector() {
    let mut c = Client::ready(&vault());
    // Conflicts come from the published findings: wait for Branch's broken link.
    c.diagnostics(&c.uri("Branch.md"), |d| {
        d.to_string().contains("broken-link")
    });
    let vault_answer = c.request("twin/coherence", json!({}));
    let branch = c.request("twin/coherence", doc(&c, "Branch.md"));
    let root = c.request("twin/coherence", doc(&c, "Root.md"));
    insta::assert_json_snapshot!(
        "coherence",
        json!({"vault": vault_answer, "branch": redact(&branch, &vault()), "root": root})
    );
    // One of Branch's three links (the `up` property is one) is broken.
    assert_eq!(branch["vector"]["link_integrity"], 0.6667);
    let score = |v: &Value| v["score"].as_f64().unwrap();
    assert!(score(&branch) < score(&root));
    // The vault's score is the mean of its notes' scores.
    let leaf = c.request("twin/coherence", doc(&c, "Leaf.md"));
    let mean = (score(&branch) + score(&root) + score(&leaf)) / 3.0;
    assert!(
        (score(&vault_answer) - mean).abs() < 1e-3,
        "{vault_answer} vs {mean}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn the_lens_and_the_title_hover_show_the_notes_coherence() {
    let mut c = Client::ready(&vault());
    c.diagnostics(&c.uri("Branch.md"), |d| {
        d.to_string().contains("broken-link")
    });
    let lenses = c.request("textDocument/codeLens", doc(&c, "Branch.md"));
    let first = &lenses[0];
    assert_eq!(first["range"]["start"], json!({"line": 0, "character": 0}));
    let title = first["command"]["title"].as_str().unwrap();
    assert!(title.starts_with("coherence 0."), "{title}");
    assert!(title.contains("links 0.67"), "{title}");
    // Clicking it asks the server, which answers the vector and shows it.
    let command = &first["command"];
    let answer = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(answer["summary"], title);
    let shown = c.wait_notification("window/showMessage", |_| true);
    assert_eq!(shown["message"], title);

    // The hover of the title heading.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": c.uri("Branch.md")}, "position": {"line": 3, "character": 3}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("\n\n**Coherence 0."), "{value}");
    assert!(value.contains("- link integrity 0.67 (3 links)"), "{value}");
    assert!(c.shutdown().success());
}

#[test]
fn reference_lenses_carry_their_locations_for_the_client_command() {
    let mut c = Client::ready(&vault());
    let lenses = c.request("textDocument/codeLens", doc(&c, "Branch.md"));
    let refs = lenses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["command"]["command"] == "twin.showReferences")
        .expect("a reference lens");
    let args = &refs["command"]["arguments"];
    assert_eq!(args[0], c.uri("Branch.md"));
    let locations = args[2].as_array().unwrap();
    let from: Vec<&str> = locations
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs["command"]["title"],
        format!("{} references", locations.len())
    );
    assert!(from.contains(&c.uri("Root.md").as_str()), "{from:?}");
    assert!(from.contains(&c.uri("Leaf.md").as_str()), "{from:?}");
    // A client that passes the command on to the server gets the locations back.
    let answer = c.request(
        "workspace/executeCommand",
        json!({"command": "twin.showReferences", "arguments": args}),
    );
    assert_eq!(&answer, &args[2]);
    assert!(c.shutdown().success());
}

#[test]
fn twin_server_report_writes_the_picture_outside_the_vault() {
    let mut c = Client::ready(&vault());
    let answer = c.request(
        "workspace/executeCommand",
        json!({"command": "twin.server.report", "arguments": [c.uri("Branch.md")]}),
    );
    let path = PathBuf::from(answer["path"].as_str().expect("a path"));
    assert!(!path.starts_with(vault()), "{path:?} is outside the vault");
    assert!(
        answer["uri"].as_str().unwrap().starts_with("file://"),
        "{answer}"
    );
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("\"Branch.md\""), "the notes are in the page");
    assert!(html.contains("broken-link"), "and their findings");
    assert!(
        c.initialize_result["capabilities"]["executeCommandProvider"]["commands"]
            .as_array()
            .unwrap()
            .contains(&json!("twin.server.report"))
    );
    assert!(c.shutdown().success());
}
