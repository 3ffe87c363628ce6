//! End-to-end tests of the microconflict history in `twin lsp` on `fixtures/lsp/history`:
//! ages and escalation in diagnostics, the hover's timeline, `twin/history`, recording on
//! save (and not with `history.record` off), renames carrying history, and "Re-anchor
//! this note". The clock is scripted with `TWIN_NOW`, as for `twin check --record`.

mod lsp_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use lsp_support::{Client, copy_fixture, full_capabilities, pos_of};
use serde_json::{Value, json};

const NOW: &str = "2026-01-30T00:00:00Z";

/// `twin check --record` on `root` at time `now`.
fn record(root: &Path, now: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_twin"))
        .args(["check", "--record"])
        .arg(root)
        .env("TWIN_NOW", now)
        .output()
        .expect("run twin check");
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
}

/// The history of B's `broken-heading`: opened, resolved, reopened.
fn scripted_history(root: &Path) {
    let a = std::fs::read_to_string(root.join("A.md")).unwrap();
    record(root, "2026-01-01T00:00:00Z");
    std::fs::write(root.join("A.md"), format!("{a}\n## Intro\n")).unwrap();
    record(root, "2026-01-05T00:00:00Z");
    std::fs::write(root.join("A.md"), &a).unwrap();
    record(root, "2026-01-10T00:00:00Z");
}

fn start(root: &Path, options: Value) -> Client {
    let mut c = Client::start_with_env(
        Some(root),
        full_capabilities(),
        options,
        &[("TWIN_NOW", NOW)],
    );
    c.wait_indexed();
    c
}

fn find<'a>(diagnostics: &'a Value, code: &str) -> Option<&'a Value> {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
}

fn trace(root: &Path) -> String {
    std::fs::read_to_string(root.join(".twin/trace.jsonl")).unwrap_or_default()
}

/// Waits until the trace satisfies `accept`.
fn wait_trace(root: &Path, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + lsp_support::TIMEOUT;
    loop {
        let text = trace(root);
        if accept(&text) {
            return text;
        }
        assert!(Instant::now() < deadline, "trace never matched:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn diagnostics_carry_age_and_reopen_count_and_chronic_ones_escalate() {
    let dir = copy_fixture("history");
    let root = dir.path();
    scripted_history(root);
    let mut c = start(root, json!({}));
    let b = c.diagnostics(&c.uri("B.md"), |d| find(d, "broken-heading").is_some());
    let heading = find(&b, "broken-heading").unwrap();
    let message = heading["message"].as_str().unwrap();
    assert!(
        message.ends_with("(open 20 days, reopened 1×)"),
        "{message}"
    );
    assert_eq!(heading["severity"], 2, "a warning without escalation");
    assert!(c.shutdown().success());

    // `history.escalate-after-days` raises it one step, to an error.
    let mut c = start(root, json!({"history": {"escalate-after-days": 14}}));
    let b = c.diagnostics(&c.uri("B.md"), |d| find(d, "broken-heading").is_some());
    assert_eq!(find(&b, "broken-heading").unwrap()["severity"], 1);
    assert!(c.shutdown().success());
}

#[test]
fn hover_on_a_finding_shows_its_timeline_and_twin_history_lists_events() {
    let dir = copy_fixture("history");
    let root = dir.path();
    scripted_history(root);
    let mut c = start(root, json!({}));
    c.diagnostics(&c.uri("B.md"), |d| find(d, "broken-heading").is_some());
    let text = std::fs::read_to_string(root.join("B.md")).unwrap();
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": c.uri("B.md")}, "position": pos_of(&text, "Intro]]", 1)}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    let history = &value[value.find("**History").expect("a timeline section")..];
    assert_eq!(
        history,
        "**History of `broken-heading`** (open 20 days, reopened 1×)\n\n\
         - 2026-01-01T00:00:00Z opened\n\
         - 2026-01-05T00:00:00Z resolved\n\
         - 2026-01-10T00:00:00Z reopened"
    );
    // The link preview is still there, above it.
    assert!(value.starts_with("**A**"), "{value}");

    let answer = c.request(
        "twin/history",
        json!({"textDocument": {"uri": c.uri("B.md")}}),
    );
    let entries = answer["entries"].as_array().unwrap();
    let events: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e["code"] == "broken-heading")
        .map(|e| (e["time"].as_str().unwrap(), e["event"].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        [
            ("2026-01-10T00:00:00Z", "reopened"),
            ("2026-01-05T00:00:00Z", "resolved"),
            ("2026-01-01T00:00:00Z", "opened"),
        ]
    );
    assert!(entries.iter().all(|e| e["path"] == "B.md"));
    assert!(
        entries[0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("reopened broken-heading")
    );
    assert!(c.shutdown().success());
}

#[test]
fn saving_records_the_saved_notes_findings_unless_recording_is_off() {
    let dir = copy_fixture("history");
    let root = dir.path();
    let mut c = start(root, json!({"history": {"record": false}}));
    let uri = c.open("B.md", None);
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    std::thread::sleep(Duration::from_millis(1000));
    assert!(
        !root.join(".twin").exists(),
        "recorded with history.record off"
    );
    // Turned on while running, a save records B's finding as opened.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"twin": {"history": {"record": true}}}}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let text = wait_trace(root, |t| t.contains("\"opened\""));
    assert!(
        text.contains(r#""event":"opened","fp":"#)
            && text.contains(r#""code":"broken-heading","path":"B.md""#),
        "{text}"
    );
    assert!(
        !text.contains(r#""path":"C.md""#),
        "only the saved note is recorded: {text}"
    );
    // Fixing the link and saving resolves it, at the scripted time.
    let fixed = "# B\n\nSee [[A#Setup]] and [[A]].\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let text = wait_trace(root, |t| t.contains("\"resolved\""));
    assert!(
        text.contains(r#"{"ts":"2026-01-30T00:00:00Z","event":"resolved""#),
        "{text}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn a_renamed_note_carries_its_history() {
    let dir = copy_fixture("history");
    let root = dir.path();
    scripted_history(root);
    let mut c = start(root, json!({}));
    // The editor renames B.md to Renamed.md in its file tree: links are updated…
    let edit = c.request(
        "workspace/willRenameFiles",
        json!({"files": [{"oldUri": c.uri("B.md"), "newUri": c.uri("Renamed.md")}]}),
    );
    assert!(edit.to_string().contains("Renamed"), "{edit}");
    // …the file moves, and the client says so.
    std::fs::rename(root.join("B.md"), root.join("Renamed.md")).unwrap();
    c.notify(
        "workspace/didRenameFiles",
        json!({"files": [{"oldUri": c.uri("B.md"), "newUri": c.uri("Renamed.md")}]}),
    );
    let text = wait_trace(root, |t| t.contains("\"moved\""));
    assert!(
        text.contains(r#""event":"renamed""#) && text.contains(r#""path":"Renamed.md""#),
        "{text}"
    );
    // The renamed note's history includes what happened under its old path, and its
    // finding keeps its age.
    let answer = c.request(
        "twin/history",
        json!({"textDocument": {"uri": c.uri("Renamed.md")}}),
    );
    let kinds: Vec<&str> = answer["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for kind in ["moved", "renamed", "reopened", "resolved", "opened"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let renamed = c.diagnostics(&c.uri("Renamed.md"), |d| {
        find(d, "broken-heading").is_some_and(|h| h["message"].to_string().contains("reopened 1×"))
    });
    assert!(find(&renamed, "broken-heading").is_some());
    assert!(c.shutdown().success());
}

#[test]
fn reanchor_this_note_records_a_new_anchor_and_clears_the_drift() {
    let dir = copy_fixture("../rules/anchor-drift");
    let root = dir.path();
    let mut c = start(root, json!({}));
    // The note whose body moved away from its anchor.
    let (uri, drift) = {
        let deadline = Instant::now() + lsp_support::TIMEOUT;
        loop {
            let n = c.wait_notification("textDocument/publishDiagnostics", |p| {
                find(&p["diagnostics"], "anchor-drift").is_some()
            });
            if let Some(d) = find(&n["diagnostics"], "anchor-drift") {
                break (n["uri"].as_str().unwrap().to_string(), d.clone());
            }
            assert!(Instant::now() < deadline);
        }
    };
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": drift["range"],
            "context": {"diagnostics": [drift]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Re-anchor this note")
        .unwrap_or_else(|| panic!("no re-anchor action in {actions}"))
        .clone();
    let before = trace(root).lines().count();
    let command = &action["command"];
    let answer = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(answer["reanchored"], true, "{answer}");
    let after = trace(root);
    assert_eq!(after.lines().count(), before + 1);
    assert!(
        after
            .lines()
            .last()
            .unwrap()
            .contains(r#""event":"anchor""#)
    );
    // The note is compared with its new anchor: the drift is gone.
    c.diagnostics(&uri, |d| find(d, "anchor-drift").is_none());
    assert!(c.shutdown().success());
}

#[test]
fn a_note_renamed_through_lsp_rename_carries_its_history_once_moved_on_disk() {
    let dir = copy_fixture("history");
    let root = dir.path();
    scripted_history(root);
    let mut c = start(root, json!({}));
    let a = std::fs::read_to_string(root.join("A.md")).unwrap();
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": c.uri("A.md")}, "position": pos_of(&a, "[[B]]", 2),
            "newName": "Bee"}),
    );
    assert!(edit.to_string().contains("Bee.md"), "{edit}");
    // Proposed only: nothing is recorded until the rename happens.
    std::thread::sleep(Duration::from_millis(300));
    assert!(!trace(root).contains("\"moved\""));
    // The client applies it; its file watcher reports the two paths.
    std::fs::rename(root.join("B.md"), root.join("Bee.md")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("B.md"), "type": 3}, {"uri": c.uri("Bee.md"), "type": 1}]}),
    );
    let text = wait_trace(root, |t| t.contains("\"moved\""));
    assert!(
        text.contains(r#""event":"moved","path":"Bee.md","from":"B.md""#),
        "{text}"
    );
    assert!(c.shutdown().success());
}
