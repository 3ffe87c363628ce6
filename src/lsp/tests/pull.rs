//! `textDocument/diagnostic` and `workspace/diagnostic` at the handler's edge: reports as
//! the worker keeps them (`pull.rs`), result ids, "unchanged", and empty reports for what
//! the client knows that has no findings now.

use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;

use super::Harness;
use crate::lsp::convert::to_proto;
use crate::lsp::handlers::diagnostic;
use crate::text::ColumnEncoding;

const VAULT: &str = "
//- Home.md
$0# Home
See [[Missing]] and [[Note#Nowhere]].
//- Note.md
# Note
Text with ünïcödé before [[Home]] and [[Lost]].
//- Clean.md
# Clean
[[Home]]
";

/// A harness whose reports are the notes' findings, as the worker would set them.
fn harness() -> Harness {
    let h = Harness::new(VAULT);
    let ws = &h.snap.workspaces[0];
    for (id, note) in ws.vault().notes.iter().enumerate() {
        let id = crate::vault::NoteId(id as u32);
        let items: Vec<_> = ws
            .model
            .check_note(id)
            .iter()
            .map(|d| to_proto::diagnostic(ws, Some(note), d, ColumnEncoding::Utf16))
            .collect();
        let hash = crate::lsp::diagnostics::hash_of(&items);
        ws.live.pulled.set(&note.path, hash, items);
    }
    h
}

fn document(h: &Harness, path: &str, previous: Option<&str>) -> Value {
    let params = DocumentDiagnosticParams {
        text_document: TextDocumentIdentifier::new(h.uri(path)),
        identifier: None,
        previous_result_id: previous.map(str::to_string),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let report = diagnostic::document(&h.snap, params).unwrap();
    serde_json::from_str(&h.show(report)).unwrap()
}

#[test]
fn a_document_report_has_an_id_and_is_unchanged_under_it() {
    let h = harness();
    let full = document(&h, "Note.md", None);
    assert_eq!(full["kind"], "full");
    // The broken link's target after `ünïcödé` (7 UTF-16 units, 11 bytes) is at column 40.
    assert_eq!(full["items"][0]["code"], "broken-link");
    assert_eq!(
        full["items"][0]["range"]["start"],
        json!({"line": 1, "character": 40})
    );
    let id = full["resultId"].as_str().unwrap();
    assert_eq!(
        document(&h, "Note.md", Some(id)),
        json!({"kind": "unchanged", "resultId": id})
    );
    // Another note's id is not this one's.
    let home = document(&h, "Home.md", None);
    assert_ne!(home["resultId"], full["resultId"]);
    assert_eq!(document(&h, "Home.md", Some(id))["kind"], "full");
}

#[test]
fn a_note_without_findings_and_a_file_outside_the_vault_get_empty_reports() {
    let h = harness();
    let clean = document(&h, "Clean.md", None);
    assert_eq!(clean["kind"], "full");
    assert_eq!(clean["items"], json!([]));
    let params = DocumentDiagnosticParams {
        text_document: TextDocumentIdentifier::new(Uri::from("file:///elsewhere/X.md".to_string())),
        identifier: None,
        previous_result_id: None,
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let outside = diagnostic::document(&h.snap, params).unwrap();
    let outside: Value = serde_json::to_value(outside).unwrap();
    assert_eq!(outside["items"], json!([]));
    assert_eq!(outside["resultId"], clean["resultId"]);
}

fn workspace(h: &Harness, previous: &[(String, String)]) -> (Value, bool) {
    let params = WorkspaceDiagnosticParams {
        identifier: None,
        previous_result_ids: previous
            .iter()
            .map(|(uri, value)| PreviousResultId {
                uri: Uri::from(uri.clone()),
                value: value.clone(),
            })
            .collect(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    };
    let (report, changed) = diagnostic::workspace(&h.snap, params).unwrap();
    (serde_json::from_str(&h.show(report)).unwrap(), changed)
}

#[test]
fn the_workspace_report_is_unchanged_where_ids_match_and_empties_what_is_gone() {
    let h = harness();
    let (first, changed) = workspace(&h, &[]);
    assert!(changed);
    let kinds: Vec<(String, String)> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["uri"].as_str().unwrap().into(),
                i["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    // Notes with findings only, sorted, closed (no version).
    assert_eq!(
        kinds,
        [
            ("/Home.md".into(), "full".into()),
            ("/Note.md".into(), "full".into())
        ]
    );
    assert_eq!(first["items"][0]["version"], Value::Null);
    let mut previous: Vec<(String, String)> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let uri = i["uri"]
                .as_str()
                .unwrap()
                .replacen('/', h.uri("").as_ref() as &str, 1);
            (uri, i["resultId"].as_str().unwrap().to_string())
        })
        .collect();
    let (second, changed) = workspace(&h, &previous);
    assert!(!changed, "{second}");
    assert!(
        second["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == "unchanged")
    );
    // Note is fixed: its report becomes empty; the client learns it from its old id.
    h.snap.workspaces[0].live.pulled.set(
        &"Note.md".into(),
        crate::lsp::pull::empty_id(),
        Vec::new(),
    );
    previous.push(("file:///elsewhere/Old.md".into(), "1234".into()));
    let (third, changed) = workspace(&h, &previous);
    assert!(changed);
    let show: Vec<String> = third["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{} {} {}", i["uri"], i["kind"], i["items"]))
        .collect();
    assert_eq!(
        show,
        [
            r#""file:///elsewhere/Old.md" "full" []"#,
            r#""/Home.md" "unchanged" null"#,
            r#""/Note.md" "full" []"#,
        ]
    );
}

#[test]
fn pulls_are_offered_only_to_clients_that_pull() {
    use crate::lsp::capabilities;
    let push = capabilities::client(&ClientCapabilities::default());
    let push = serde_json::to_value(capabilities::server(ColumnEncoding::Utf16, &push)).unwrap();
    assert!(push.get("diagnosticProvider").is_none(), "{push}");
    assert_eq!(
        push["workspace"]["workspaceFolders"],
        json!({"supported": true, "changeNotifications": true})
    );
    let announced = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}},
    });
    let caps = capabilities::client(&serde_json::from_value(announced).unwrap());
    assert!(caps.pull_diagnostics && caps.diagnostic_refresh);
    let pull = serde_json::to_value(capabilities::server(ColumnEncoding::Utf16, &caps)).unwrap();
    assert_eq!(
        pull["diagnosticProvider"],
        json!({"identifier": "twin", "interFileDependencies": true, "workspaceDiagnostics": true})
    );
}
