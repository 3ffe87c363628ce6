//! `textDocument/diagnostic` and `workspace/diagnostic`: the worker's reports (`pull.rs`)
//! for clients that pull, "unchanged" when the client's result id is still current.

use std::collections::HashMap;

use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::super::pull::{Report, empty_id, result_id};
use super::super::snapshot::Snapshot;

/// One document's report: the note's findings, or none outside every vault.
pub fn document(
    snap: &Snapshot,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReport> {
    let report = match snap.workspace_of(&params.text_document.uri) {
        Some((ws, path)) => ws.live.pulled.get(&path),
        None => Report {
            id: empty_id(),
            items: Default::default(),
        },
    };
    let value = report_json(&report, params.previous_result_id.as_deref());
    Ok(serde_json::from_value(value).expect("a well-formed report"))
}

/// Every closed note's report across the workspaces (open notes are pulled one by one),
/// unchanged where the client's id is current, and an empty full report for each note the
/// client knows that has none now (fixed, deleted, or in a folder removed). The flag says
/// whether any report is not "unchanged".
pub fn workspace(
    snap: &Snapshot,
    params: WorkspaceDiagnosticParams,
) -> Result<(WorkspaceDiagnosticReport, bool)> {
    // The client's ids by workspace and vault path (its URI spelling may not be ours).
    let mut previous: HashMap<(usize, String), (&Uri, &str)> = HashMap::new();
    let mut outside: Vec<(&Uri, &str)> = Vec::new();
    for p in &params.previous_result_ids {
        let place = snap.workspaces.iter().enumerate().find_map(|(i, ws)| {
            let path = ws.vault_path(&p.uri)?;
            Some((i, path))
        });
        match place {
            Some(key) => {
                previous.insert(key, (&p.uri, p.value.as_str()));
            }
            None => outside.push((&p.uri, p.value.as_str())),
        }
    }
    let mut items: Vec<(String, Value)> = Vec::new();
    let mut changed = false;
    let mut add = |uri: &Uri, item: Value| {
        changed |= item["kind"] == "full";
        items.push((AsRef::<str>::as_ref(uri).to_string(), with_uri(item, uri)));
    };
    let empty = Report {
        id: empty_id(),
        items: Default::default(),
    };
    for (i, ws) in snap.workspaces.iter().enumerate() {
        for (path, report) in ws.live.pulled.all() {
            let before = previous.remove(&(i, path.to_string()));
            if ws.open_uris.contains_key(&path) {
                continue;
            }
            add(&ws.uri_of(&path), report_json(&report, before.map(|b| b.1)));
        }
    }
    // What the client knows that has no findings now; open notes are pulled apart.
    for ((i, path), (uri, id)) in previous {
        if snap.workspaces[i].open_uris.contains_key(path.as_str()) {
            continue;
        }
        add(uri, report_json(&empty, Some(id)));
    }
    for (uri, id) in outside {
        add(uri, report_json(&empty, Some(id)));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let items: Vec<Value> = items.into_iter().map(|(_, item)| item).collect();
    let report =
        serde_json::from_value(json!({ "items": items })).expect("a well-formed workspace report");
    Ok((report, changed))
}

/// A full report, or an unchanged one when the client already has this id.
fn report_json(report: &Report, previous: Option<&str>) -> Value {
    let id = result_id(report.id);
    if previous == Some(id.as_str()) {
        json!({"kind": "unchanged", "resultId": id})
    } else {
        json!({"kind": "full", "resultId": id, "items": &*report.items})
    }
}

/// A workspace item: the report with its document (closed: no version).
fn with_uri(mut item: Value, uri: &Uri) -> Value {
    item["uri"] = json!(uri);
    item["version"] = Value::Null;
    item
}
