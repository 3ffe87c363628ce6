//! End-to-end tests of vault search in `twin lsp` on `fixtures/lsp/search`: `twin/search`,
//! `twin/unlinkedMentions`, the "Link to [[Note]]" action, ranked workspace symbols, the
//! search command, live updates from edits, and files that ignore rules keep out.

mod lsp_support;

use std::time::{Duration, Instant};

use lsp_support::{Client, copy_fixture, pos_of, redact};
use serde_json::{Value, json};

/// Asks `twin/search` until the index is ready, then returns the answer.
fn search_ready(c: &mut Client, query: &str) -> Value {
    let deadline = Instant::now() + lsp_support::TIMEOUT;
    loop {
        let answer = c.request("twin/search", json!({"query": query, "limit": 10}));
        if answer["ready"] == true {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "the search index never became ready"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn hit_paths(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn twin_search_ranks_notes_with_their_matching_lines() {
    let dir = copy_fixture("search");
    let root = dir.path();
    let mut c = Client::ready(root);
    let answer = search_ready(&mut c, "zettelkasten");
    // The title outranks prose; the note that only links to it matches by its prose.
    assert_eq!(hit_paths(&answer)[0], "Zettelkasten.md");
    insta::assert_json_snapshot!("search_zettelkasten", redact(&answer, root));
    // Stemming per language: `заметки` finds `Заметка`.
    let ru = search_ready(&mut c, "заметки");
    assert_eq!(hit_paths(&ru), ["ru/Заметка.md"]);
    // The same answer through workspace/executeCommand.
    let command = c.request(
        "workspace/executeCommand",
        json!({"command": "twin.server.search", "arguments": ["заметки", 5]}),
    );
    assert_eq!(hit_paths(&command), ["ru/Заметка.md"]);
    assert!(
        c.initialize_result["capabilities"]["executeCommandProvider"]["commands"]
            .as_array()
            .unwrap()
            .contains(&json!("twin.server.search"))
    );
    assert!(c.shutdown().success());
}

#[test]
fn edits_reach_the_index_without_a_save() {
    let dir = copy_fixture("search");
    let root = dir.path();
    let mut c = Client::ready(root);
    assert!(hit_paths(&search_ready(&mut c, "pruning")).contains(&"Gardening.md".to_string()));
    let uri = c.open("Gardening.md", None);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": "# Gardening\n\nCompost heaps and quasars.\n"}]}),
    );
    // The index commits after a pause; the new word shows up, the old one is gone.
    let deadline = Instant::now() + lsp_support::TIMEOUT;
    loop {
        let found = hit_paths(&search_ready(&mut c, "quasar"));
        if found == ["Gardening.md"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edit never reached the index: {found:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(hit_paths(&search_ready(&mut c, "pruning")).is_empty());
    assert!(c.shutdown().success());
}

#[test]
fn unlinked_mentions_and_the_link_action() {
    let dir = copy_fixture("search");
    let root = dir.path();
    let mut c = Client::ready(root);
    search_ready(&mut c, "zettelkasten");
    let mentions = c.request(
        "twin/unlinkedMentions",
        json!({"textDocument": {"uri": c.uri("Zettelkasten.md")}}),
    );
    assert_eq!(mentions["ready"], true);
    // Code, partial words and the note that links already are left out.
    insta::assert_json_snapshot!("unlinked_mentions", redact(&mentions, root));
    let texts: Vec<&str> = mentions["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["zettelkasten", "slip box"]);

    // The code action on the mention in Journal turns the words into a link.
    let text = std::fs::read_to_string(root.join("Journal.md")).unwrap();
    let uri = c.open("Journal.md", None);
    let at = pos_of(&text, "slip box", 2);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at},
            "context": {"diagnostics": []}}),
    );
    let link = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Link to [[Zettelkasten]]")
        .unwrap_or_else(|| panic!("no link action in {actions}"));
    let edit = &link["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "[[Zettelkasten|slip box]]");
    assert_eq!(edit["range"]["start"], pos_of(&text, "slip box", 0));
    // Nothing to link on a line without mentions.
    let quiet = pos_of(&text, "# Journal", 2);
    let none = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": quiet, "end": quiet},
            "context": {"diagnostics": []}}),
    );
    assert!(
        !none.to_string().contains("Link to"),
        "no link action on the title: {none}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn workspace_symbols_find_notes_by_stemmed_names_once_indexed() {
    let dir = copy_fixture("search");
    let root = dir.path();
    let mut c = Client::ready(root);
    search_ready(&mut c, "x");
    let symbols = c.request("workspace/symbol", json!({"query": "linking"}));
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    // `linking` is no subsequence of `Links between notes`: only the index's stems find it.
    assert_eq!(names.first(), Some(&"Links between notes"), "{names:?}");
    let by_alias = c.request("workspace/symbol", json!({"query": "slip"}));
    assert_eq!(by_alias[0]["name"], "Slip box");
    assert!(c.shutdown().success());
}

#[test]
fn created_files_follow_the_vaults_ignore_rules() {
    let dir = copy_fixture("search");
    let root = dir.path();
    let mut c = Client::ready(root);
    std::fs::create_dir_all(root.join("build")).unwrap();
    std::fs::write(
        root.join("build/Generated.md"),
        "# Generated\n\n[[Nowhere]]\n",
    )
    .unwrap();
    std::fs::write(root.join("Fresh.md"), "# Fresh\n\n[[Nowhere]]\n").unwrap();
    let changes = json!({"changes": [
        {"uri": c.uri("build/Generated.md"), "type": 1},
        {"uri": c.uri("Fresh.md"), "type": 1},
    ]});
    c.notify("workspace/didChangeWatchedFiles", changes);
    // The note that discovery would list gets its findings…
    c.diagnostics(&c.uri("Fresh.md"), |d| {
        d.to_string().contains("broken-link")
    });
    // …the ignored one is not in the vault at all.
    let symbols = c.request("workspace/symbol", json!({"query": "Generated"}));
    assert_eq!(symbols, json!([]), "an ignored note became a symbol");
    let generated = c.uri("build/Generated.md");
    assert!(
        c.try_wait_notification(
            "textDocument/publishDiagnostics",
            Duration::from_millis(500),
            |p| { p["uri"] == generated.as_str() }
        )
        .is_none(),
        "an ignored note got diagnostics"
    );
    assert!(c.shutdown().success());
}
