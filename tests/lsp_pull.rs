//! End-to-end tests of pull diagnostics (LSP 3.17): a client that announces
//! `textDocument.diagnostic` pulls its findings (`textDocument/diagnostic`,
//! `workspace/diagnostic`) with result ids and "unchanged" reports, is asked to pull again
//! when a change elsewhere alters an open note, and is never pushed the same findings.

mod lsp_support;

use std::time::Duration;

use lsp_support::{Client, codes, copy_fixture, full_capabilities};
use serde_json::{Value, json};

/// What VS Code's language client announces for pulls.
fn pull_capabilities() -> Value {
    let mut caps = full_capabilities();
    caps["textDocument"]["diagnostic"] =
        json!({"dynamicRegistration": true, "relatedDocumentSupport": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    caps
}

fn pull(c: &mut Client, uri: &str, previous: Option<&str>) -> Value {
    let mut params = json!({"textDocument": {"uri": uri}});
    if let Some(id) = previous {
        params["previousResultId"] = json!(id);
    }
    c.request("textDocument/diagnostic", params)
}

fn edit(c: &mut Client, uri: &str, line: u32, text: &str) {
    let version = c.next_version();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": text}]}),
    );
}

/// No `publishDiagnostics` for notes arrives within `wait`.
fn assert_no_note_pushes(c: &mut Client, wait: Duration) {
    let pushed = c.try_wait_notification("textDocument/publishDiagnostics", wait, |p| {
        p["uri"].as_str().is_some_and(|u| u.ends_with(".md"))
    });
    assert!(pushed.is_none(), "a pull client was pushed {pushed:?}");
}

#[test]
fn a_pull_client_pulls_reports_with_ids_and_is_pushed_nothing() {
    let dir = copy_fixture("diag");
    let mut c = Client::start(Some(dir.path()), pull_capabilities(), json!({}));
    let provider = &c.initialize_result["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["interFileDependencies"], true, "{provider}");
    assert_eq!(provider["workspaceDiagnostics"], true, "{provider}");
    // Sent before the load is done: it waits for the first check, never "no problems".
    let b = c.uri("B.md");
    let first = pull(&mut c, &b, None);
    assert_eq!(first["kind"], "full", "{first}");
    assert_eq!(
        codes(&first["items"]),
        ["broken-heading", "broken-link", "footnote-undefined"]
    );
    let id = first["resultId"].as_str().expect("a result id").to_string();
    let again = pull(&mut c, &b, Some(&id));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));
    // An outdated id gets the full report.
    let stale = pull(&mut c, &b, Some("0"));
    assert_eq!(stale["kind"], "full");
    assert_no_note_pushes(&mut c, Duration::from_millis(300));
    assert!(c.shutdown().success());
}

#[test]
fn a_pull_right_after_an_edit_answers_for_the_edited_text() {
    let dir = copy_fixture("diag");
    let mut c = Client::start(Some(dir.path()), pull_capabilities(), json!({}));
    let b = c.open("B.md", None);
    let before = pull(&mut c, &b, None);
    assert!(codes(&before["items"]).contains(&"broken-link".to_string()));
    // Fix every finding of B and pull at once: the answer waits for the worker.
    let version = c.next_version();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": b, "version": version},
            "contentChanges": [{"text": "# B\n\nSee [[A#Setup]] and [[A]].\n"}]}),
    );
    let after = pull(&mut c, &b, before["resultId"].as_str());
    assert_eq!(after["kind"], "full", "{after}");
    assert_eq!(after["items"], json!([]), "{after}");
    assert!(c.shutdown().success());
}

#[test]
fn the_workspace_pull_reports_closed_notes_and_is_held_until_they_change() {
    let dir = copy_fixture("diag");
    let mut c = Client::start(Some(dir.path()), pull_capabilities(), json!({}));
    let first = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = first["items"].as_array().expect("items");
    let b = c.uri("B.md");
    let b_item = items
        .iter()
        .find(|i| i["uri"] == b.as_str())
        .unwrap_or_else(|| panic!("B in {first}"));
    assert_eq!(b_item["kind"], "full");
    assert!(codes(&b_item["items"]).contains(&"broken-heading".to_string()));
    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    // Nothing changed: the pull is held (no answer yet) until something does.
    let held = c.send_request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    );
    assert!(
        c.try_response(held, Duration::from_millis(500)).is_none(),
        "answered while nothing changed"
    );
    // Adding `## Intro` to A clears B's broken-heading; A is open, so pulled apart.
    let a = c.open("A.md", None);
    edit(&mut c, &a, 1, "\n## Intro\n");
    let answer = c.response(held);
    let items = answer["result"]["items"].as_array().expect("items");
    let b_item = items.iter().find(|i| i["uri"] == b.as_str()).unwrap();
    assert_eq!(b_item["kind"], "full", "{answer}");
    assert!(!codes(&b_item["items"]).contains(&"broken-heading".to_string()));
    assert!(
        items.iter().all(|i| i["uri"] != a.as_str()),
        "open notes are pulled one by one: {answer}"
    );
    let unchanged = items.iter().filter(|i| i["kind"] == "unchanged").count();
    assert_eq!(unchanged + 1, items.len(), "{answer}");
    assert_no_note_pushes(&mut c, Duration::ZERO);
    // A pull still held does not hold up the exit.
    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    let held = c.send_request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    );
    assert!(c.try_response(held, Duration::from_millis(300)).is_none());
    let started = std::time::Instant::now();
    assert!(c.shutdown().success());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_change_elsewhere_asks_the_client_to_pull_again() {
    let dir = copy_fixture("diag");
    let mut c = Client::start(Some(dir.path()), pull_capabilities(), json!({}));
    let b = c.open("B.md", None);
    let a = c.open("A.md", None);
    let before = pull(&mut c, &b, None);
    pull(&mut c, &a, None);
    let refreshes = |c: &Client| {
        c.server_requests
            .iter()
            .filter(|r| r["method"] == "workspace/diagnostic/refresh")
            .count()
    };
    let start = refreshes(&c);
    // An edit to A alters the open B, which the client would not pull by itself.
    edit(&mut c, &a, 1, "\n## Intro\n");
    pull(&mut c, &a, None);
    let deadline = std::time::Instant::now() + lsp_support::TIMEOUT;
    while refreshes(&c) == start {
        assert!(std::time::Instant::now() < deadline, "no refresh request");
        c.try_wait_notification("none", Duration::from_millis(50), |_| false);
    }
    let after = pull(&mut c, &b, before["resultId"].as_str());
    assert_eq!(after["kind"], "full");
    assert!(!codes(&after["items"]).contains(&"broken-heading".to_string()));
    assert!(c.shutdown().success());
}

#[test]
fn a_push_client_is_not_offered_pulls() {
    let dir = copy_fixture("diag");
    let mut c = Client::ready(dir.path());
    let caps = &c.initialize_result["capabilities"];
    assert!(caps.get("diagnosticProvider").is_none(), "{caps}");
    c.diagnostics(&c.uri("B.md"), |d| !d.as_array().unwrap().is_empty());
    assert!(c.shutdown().success());
}

#[test]
fn pulls_sent_during_the_load_wait_for_its_first_check() {
    // Enough notes that the load is still running when the pulls arrive.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..1500 {
        let text = format!(
            "# Note {i}\n\n[[Note {}]] and [[Nowhere {i}]]\n",
            (i + 1) % 1500
        );
        std::fs::write(dir.path().join(format!("Note {i}.md")), text).unwrap();
    }
    let mut c = Client::start_with_env(
        Some(dir.path()),
        pull_capabilities(),
        json!({}),
        &[("TWIN_LSP_READY_TIMEOUT_MS", "120000")],
    );
    let uri = c.uri("Note 1234.md");
    let document = c.send_request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let workspace = c.send_request("workspace/diagnostic", json!({"previousResultIds": []}));
    let document = c.response(document);
    assert_eq!(
        codes(&document["result"]["items"]),
        ["broken-link"],
        "{document}"
    );
    let workspace = c.response(workspace);
    let items = workspace["result"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 1500);
    assert!(items.iter().all(|i| codes(&i["items"]) == ["broken-link"]));
    assert!(c.shutdown().success());
}

/// A vault of `n` notes, each with one broken link.
fn broken_vault(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let text = format!(
            "# Note {i}\n\n[[Note {}]] and [[Nowhere {i}]]\n",
            (i + 1) % n
        );
        std::fs::write(dir.path().join(format!("Note {i}.md")), text).unwrap();
    }
    dir
}

/// The URIs of a list of workspace reports.
fn uris(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["uri"].as_str().expect("a uri").to_string())
        .collect()
}

#[test]
fn a_workspace_pull_with_a_token_gets_partial_results_while_the_vault_loads() {
    // Several of the worker's chunks (512 notes), each slowed so the load is still
    // running when the first partial result is written.
    let n = 1800;
    let dir = broken_vault(n);
    let mut c = Client::start_with_env(
        Some(dir.path()),
        pull_capabilities(),
        json!({}),
        &[
            ("TWIN_LSP_READY_TIMEOUT_MS", "120000"),
            ("TWIN_LSP_TEST_CHUNK_PAUSE_MS", "300"),
        ],
    );
    let id = c.send_request(
        "workspace/diagnostic",
        json!({"previousResultIds": [], "partialResultToken": "pull-1"}),
    );
    let response = c.response(id);
    assert_eq!(
        response["result"],
        json!({"items": []}),
        "once partial results were sent, the response has no items"
    );
    // Everything received before the response, in order: the partial results, and
    // the indexing progress whose end says the whole vault is judged.
    let before: Vec<Value> = c
        .notifications
        .drain(..)
        .filter(|n| n["method"] == "$/progress")
        .map(|n| n["params"].clone())
        .collect();
    let partials: Vec<&Value> = before.iter().filter(|p| p["token"] == "pull-1").collect();
    assert!(partials.len() >= 2, "{} partial results", partials.len());
    let first = before.iter().position(|p| p["token"] == "pull-1").unwrap();
    let load_end = before
        .iter()
        .position(|p| p["token"] != "pull-1" && p["value"]["kind"] == "end");
    assert!(
        load_end.is_none_or(|end| first < end),
        "the first partial result came after the load's end"
    );
    // Nothing for the token after the response.
    assert!(
        c.try_wait_notification("$/progress", Duration::from_millis(500), |p| {
            p["token"] == "pull-1"
        })
        .is_none(),
        "a partial result after the response"
    );
    // Every note's report exactly once across the partial results and the response.
    let mut all: Vec<String> = partials
        .iter()
        .flat_map(|p| uris(&p["value"]["items"]))
        .collect();
    all.extend(uris(&response["result"]["items"]));
    let unique: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "a note reported twice");
    assert_eq!(all.len(), n);
    for p in &partials {
        for item in p["value"]["items"].as_array().unwrap() {
            assert_eq!(item["kind"], "full", "{item}");
            assert_eq!(codes(&item["items"]), ["broken-link"], "{item}");
        }
    }
    // Without a token, the same client gets one whole response (held for nothing: it
    // sends no result ids).
    let whole = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    assert_eq!(uris(&whole["items"]).len(), n);
    assert!(
        c.try_wait_notification("$/progress", Duration::from_millis(300), |p| {
            p["token"] == "pull-1"
        })
        .is_none()
    );
    assert!(c.shutdown().success());
}

#[test]
fn a_workspace_pull_without_a_token_gets_one_whole_response_during_the_load() {
    let n = 1200;
    let dir = broken_vault(n);
    let mut c = Client::start_with_env(
        Some(dir.path()),
        pull_capabilities(),
        json!({}),
        &[
            ("TWIN_LSP_READY_TIMEOUT_MS", "120000"),
            ("TWIN_LSP_TEST_CHUNK_PAUSE_MS", "100"),
        ],
    );
    let whole = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    assert_eq!(uris(&whole["items"]).len(), n);
    assert!(
        c.try_wait_notification("$/progress", Duration::from_millis(300), |p| {
            p["value"].get("items").is_some()
        })
        .is_none(),
        "partial results without a token"
    );
    assert!(c.shutdown().success());
}
