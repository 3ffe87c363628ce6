//! End-to-end tests of diagnostics: the rules of `twin check` published by `twin lsp`,
//! kept current across notes as the writer edits, and as files change on disk.

mod lsp_support;

use lsp_support::{Client, codes, copy_fixture, full_capabilities};
use serde_json::{Value, json};

fn has(diagnostics: &Value, code: &str) -> bool {
    codes(diagnostics).iter().any(|c| c == code)
}

#[test]
fn publishes_findings_with_code_source_docs_and_related_information() {
    let dir = copy_fixture("diag");
    let root = dir.path();
    std::fs::write(
        root.join("Other.md"),
        "---\naliases: [Shared]\n---\n# Other\n",
    )
    .unwrap();
    let mut c = Client::ready(root);
    let b = c.diagnostics(&c.uri("B.md"), |_| true);
    insta::assert_json_snapshot!("diagnostics_b", lsp_support::redact(&b, root));
    // The rule's page when Cargo.toml names a repository; no link at all while it does not.
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    for d in b.as_array().expect("diagnostics") {
        let href = d["codeDescription"]["href"].as_str();
        let want = format!(
            "{repository}/blob/HEAD/docs/rules/{}.md",
            d["code"].as_str().unwrap()
        );
        assert_eq!(href, (!repository.is_empty()).then_some(want.as_str()));
    }
    let aliased = c.diagnostics(&c.uri("Aliased.md"), |d| has(d, "alias-conflict"));
    let related = &aliased[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], c.uri("Other.md"));
    assert!(c.shutdown().success());
}

#[test]
fn an_edit_to_one_note_updates_the_notes_that_link_to_it() {
    let dir = copy_fixture("diag");
    let root = dir.path();
    let mut c = Client::ready(root);
    let b_uri = c.uri("B.md");
    let first = c.diagnostics(&b_uri, |_| true);
    assert_eq!(
        codes(&first),
        ["broken-heading", "broken-link", "footnote-undefined"]
    );
    // Adding `## Intro` to A clears broken-heading in B, which is not even open.
    let a_uri = c.open("A.md", None);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": a_uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "\n## Intro\n"}]}));
    let after = c.diagnostics(&b_uri, |d| !has(d, "broken-heading"));
    assert_eq!(codes(&after), ["broken-link", "footnote-undefined"]);
    // Deleting A turns B's links to it into broken links, and B into an orphan.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": a_uri}}),
    );
    std::fs::remove_file(root.join("A.md")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": a_uri, "type": 3}]}),
    );
    let deleted = c.diagnostics(&b_uri, |d| {
        codes(d).iter().filter(|c| *c == "broken-link").count() == 3
    });
    assert_eq!(
        codes(&deleted),
        [
            "broken-link",
            "broken-link",
            "broken-link",
            "footnote-undefined",
            "orphan-note"
        ]
    );
    // Creating C on disk fixes the link to it.
    std::fs::write(root.join("C.md"), "# C\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("C.md"), "type": 1}]}),
    );
    let created = c.diagnostics(&b_uri, |d| {
        codes(d).iter().filter(|c| *c == "broken-link").count() == 2
    });
    assert_eq!(
        codes(&created),
        ["broken-link", "broken-link", "footnote-undefined"]
    );
    assert!(c.shutdown().success());
}

#[test]
fn fixing_a_note_clears_its_diagnostics() {
    let dir = copy_fixture("diag");
    let root = dir.path();
    let mut c = Client::ready(root);
    let uri = c.open("B.md", Some("# B\n\nSee [[A]].\n"));
    let cleared = c.diagnostics(&uri, |d| d.as_array().unwrap().is_empty());
    assert_eq!(cleared, json!([]));
    assert!(c.shutdown().success());
}

#[test]
fn scope_open_publishes_only_open_notes_until_changed_to_vault() {
    let dir = copy_fixture("diag");
    let root = dir.path();
    let mut c = Client::start(
        Some(root),
        full_capabilities(),
        json!({"diagnostics": {"scope": "open"}}),
    );
    c.wait_indexed();
    let b_uri = c.uri("B.md");
    let none = c.try_wait_notification(
        "textDocument/publishDiagnostics",
        std::time::Duration::from_millis(400),
        |p| p["uri"] == b_uri.as_str(),
    );
    assert!(none.is_none(), "B is not open: {none:?}");
    c.open("B.md", None);
    let open = c.diagnostics(&b_uri, |d| !d.as_array().unwrap().is_empty());
    assert!(has(&open, "broken-link"));
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": b_uri}}),
    );
    c.diagnostics(&b_uri, |d| d.as_array().unwrap().is_empty());
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"twin": {"diagnostics": {"scope": "vault"}}}}),
    );
    let vault = c.diagnostics(&b_uri, |d| !d.as_array().unwrap().is_empty());
    assert!(has(&vault, "broken-heading"));
    assert!(c.shutdown().success());
}

#[test]
fn without_client_watching_the_server_watches_the_vault_itself() {
    let dir = copy_fixture("diag");
    let root = dir.path();
    let mut caps = full_capabilities();
    caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] = json!(false);
    let mut c = Client::start(Some(root), caps, json!({}));
    c.wait_indexed();
    let b_uri = c.uri("B.md");
    c.diagnostics(&b_uri, |d| has(d, "broken-link"));
    std::fs::write(root.join("C.md"), "# C\n").unwrap();
    let fixed = c.diagnostics(&b_uri, |d| !has(d, "broken-link"));
    assert_eq!(codes(&fixed), ["broken-heading", "footnote-undefined"]);
    assert!(
        c.server_requests
            .iter()
            .all(|r| r["method"] != "client/registerCapability")
    );
    assert!(c.shutdown().success());
}

#[test]
fn single_file_mode_checks_the_open_note_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Lone.md");
    std::fs::write(&path, "# Lone\n[[Elsewhere]] and [[#Missing]] and [^1]\n").unwrap();
    let mut c = Client::start(None, full_capabilities(), json!({}));
    let uri = lsp_support::file_uri(&path);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
        "text": std::fs::read_to_string(&path).unwrap()}}),
    );
    let diagnostics = c.diagnostics(&uri, |d| !d.as_array().unwrap().is_empty());
    // Links to other notes cannot be judged without a vault; the rest is checked.
    assert_eq!(
        codes(&diagnostics),
        ["broken-heading", "footnote-undefined"]
    );
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols[0]["name"], "Lone");
    assert!(c.shutdown().success());
}

/// Issue 19, item 11: a folder deleted and created again with another note (within one
/// debounce) leaves no ghost of the notes it held.
#[test]
fn a_folder_deleted_and_created_again_leaves_no_ghost_notes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("F")).unwrap();
    std::fs::write(root.join("Home.md"), "# Home\n\n[[a]]\n\n[[b]]\n").unwrap();
    std::fs::write(root.join("F/a.md"), "# Alpha\n\n[[Home]]\n").unwrap();
    let mut c = Client::ready(root);
    let home = c.uri("Home.md");
    let broken_lines = |d: &Value| -> Vec<u64> {
        d.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "broken-link")
            .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
            .collect()
    };
    c.diagnostics(&home, |d| broken_lines(d) == [4]);
    std::fs::remove_dir_all(root.join("F")).unwrap();
    std::fs::create_dir_all(root.join("F")).unwrap();
    std::fs::write(root.join("F/b.md"), "# Beta\n\n[[Home]]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("F"), "type": 3}, {"uri": c.uri("F/b.md"), "type": 1}]}),
    );
    let settled = c.try_wait_notification(
        "textDocument/publishDiagnostics",
        std::time::Duration::from_secs(10),
        |p| p["uri"] == home.as_str() && broken_lines(&p["diagnostics"]) == [2],
    );
    assert!(
        settled.is_some(),
        "[[a]] still resolves to the deleted F/a.md"
    );
    let symbols = c.request("workspace/symbol", json!({"query": "Alpha"}));
    assert!(
        !symbols.to_string().contains("F/a.md"),
        "the deleted note is still listed: {symbols}"
    );
    assert!(c.shutdown().success());
}

/// Issue 19, item 12: what changes on disk while the server runs is judged as `twin
/// check` judges it: an `exclude` added to the configuration or a line added to
/// `.gitignore` takes notes out, and a note with bytes that are not UTF-8 is read as text.
#[test]
fn configuration_and_ignore_files_rerun_discovery_and_notes_read_as_check_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("Ex")).unwrap();
    std::fs::write(root.join("Home.md"), "# Home\n\n[[B]] [[C]]\n").unwrap();
    std::fs::write(root.join("Ex/B.md"), "# B\n\n[[Missing]]\n").unwrap();
    std::fs::write(root.join("C.md"), "# C\n\n[[Nowhere]]\n").unwrap();
    let mut c = Client::ready(root);
    let home = c.uri("Home.md");
    let broken = |d: &Value| codes(d).iter().filter(|c| *c == "broken-link").count();
    c.diagnostics(&c.uri("Ex/B.md"), |d| broken(d) == 1);
    let wait = |c: &mut Client, uri: &str, what: &str, accept: &dyn Fn(&Value) -> bool| {
        let uri = uri.to_string();
        let got = c.try_wait_notification(
            "textDocument/publishDiagnostics",
            std::time::Duration::from_secs(10),
            |p| p["uri"] == uri.as_str() && accept(&p["diagnostics"]),
        );
        assert!(got.is_some(), "{what}");
    };
    std::fs::create_dir_all(root.join(".twin")).unwrap();
    std::fs::write(root.join(".twin/config.toml"), "exclude = [\"Ex/**\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri(".twin/config.toml"), "type": 1}]}),
    );
    let b = c.uri("Ex/B.md");
    wait(&mut c, &b, "the excluded note keeps its findings", &|d| {
        d.as_array().unwrap().is_empty()
    });
    wait(
        &mut c,
        &home,
        "[[B]] still resolves to an excluded note",
        &|d| broken(d) == 1,
    );
    std::fs::write(root.join(".gitignore"), "C.md\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri(".gitignore"), "type": 1}]}),
    );
    let c_uri = c.uri("C.md");
    wait(
        &mut c,
        &c_uri,
        "the ignored note keeps its findings",
        &|d| d.as_array().unwrap().is_empty(),
    );
    wait(
        &mut c,
        &home,
        "[[C]] still resolves to an ignored note",
        &|d| broken(d) == 2,
    );
    // A byte that is not UTF-8: read as text around it, as `twin check` reads it.
    std::fs::write(root.join("Odd.md"), b"# Odd\n\n[[Missing]] \xff\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("Odd.md"), "type": 1}]}),
    );
    let odd = c.uri("Odd.md");
    wait(
        &mut c,
        &odd,
        "the note is not read as check reads it",
        &|d| codes(d) == ["broken-link", "file-unreadable"],
    );
    assert!(c.shutdown().success());
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_twin"))
        .args(["check", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let mut odd_codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "Odd.md")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    odd_codes.sort();
    assert_eq!(odd_codes, ["broken-link", "file-unreadable"]);
}

#[test]
fn a_note_with_thousands_of_findings_publishes_a_bounded_number_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".obsidian")).unwrap();
    std::fs::write(root.join("Home.md"), "# Home\n").unwrap();
    let text: String = (0..1500).map(|i| format!("[[Missing {i}]]\n")).collect();
    std::fs::write(root.join("Many.md"), &text).unwrap();
    let mut c = Client::ready(root);
    let uri = c.uri("Many.md");
    let found = c.diagnostics(&uri, |d| !d.as_array().unwrap().is_empty());
    let found = found.as_array().unwrap();
    let broken = found.iter().filter(|d| d["code"] == "broken-link").count();
    assert_eq!(broken, 999, "capped at 1,000 with the last one counting");
    let last = found
        .iter()
        .find(|d| d["code"] == "too-many-findings")
        .expect("a finding that counts the rest");
    let message = last["message"].as_str().unwrap();
    assert!(message.contains("1500 findings"), "{message}");
    assert!(c.shutdown().success());
}

#[test]
fn an_open_document_over_the_size_limit_is_not_analyzed_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".obsidian")).unwrap();
    std::fs::write(root.join("Home.md"), "# Home\n[[Big]]\n").unwrap();
    std::fs::write(root.join("Big.md"), "# Big\n").unwrap();
    let mut c = Client::ready(root);
    // Nine megabytes of broken links: analyzed, they would be a million findings.
    let line = "[[Missing]] ";
    let big = line.repeat((9 << 20) / line.len());
    let uri = c.open("Big.md", Some(&big));
    let found = c.diagnostics(&uri, |d| has(d, "file-unreadable"));
    assert_eq!(codes(&found), ["file-unreadable"]);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("up to 8 MB"), "{message}");
    // A small text brings the analysis back.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": "# Big\n[[Missing]]\n"}]}),
    );
    let after = c.diagnostics(&uri, |d| has(d, "broken-link"));
    assert!(!has(&after, "file-unreadable"), "{after}");
    assert!(c.shutdown().success());
}
