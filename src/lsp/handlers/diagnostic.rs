//! `textDocument/diagnostic` and `workspace/diagnostic`: the worker's reports (`pull.rs`)
//! for clients that pull, "unchanged" when the client's result id is still current.

use std::collections::{HashMap, HashSet};

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
    let id = result_id(report.id);
    Ok(
        if params.previous_result_id.as_deref() == Some(id.as_str()) {
            DocumentDiagnosticReport::RelatedUnchangedDocumentDiagnosticReport(
                RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: id,
                    },
                },
            )
        } else {
            DocumentDiagnosticReport::RelatedFullDocumentDiagnosticReport(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(id),
                        items: report.items.to_vec(),
                    },
                },
            )
        },
    )
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
        match place(snap, &p.uri) {
            Some(key) => {
                previous.insert(key, (&p.uri, p.value.as_str()));
            }
            None => outside.push((&p.uri, p.value.as_str())),
        }
    }
    let mut items: Vec<(String, WorkspaceDocumentDiagnosticReport)> = Vec::new();
    let mut changed = false;
    let mut add = |uri: &Uri, report: &Report, previous: Option<&str>| {
        let item = workspace_item(uri, report, previous);
        changed |= matches!(
            item,
            WorkspaceDocumentDiagnosticReport::WorkspaceFullDocumentDiagnosticReport(_)
        );
        items.push((AsRef::<str>::as_ref(uri).to_string(), item));
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
            add(&ws.uri_of(&path), &report, before.map(|b| b.1));
        }
    }
    // What the client knows that has no findings now; open notes are pulled apart.
    for ((i, path), (uri, id)) in previous {
        if snap.workspaces[i].open_uris.contains_key(path.as_str()) {
            continue;
        }
        add(uri, &empty, Some(id));
    }
    for (uri, id) in outside {
        add(uri, &empty, Some(id));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let items = items.into_iter().map(|(_, item)| item).collect();
    Ok((WorkspaceDiagnosticReport { items }, changed))
}

/// The closed notes with findings that the running first loads judged since `cursors`
/// (a position in each workspace's list), for a workspace pull that sends partial results
/// (`server/pull.rs`). Advances the cursors; a URI already in `sent` is not sent again.
pub fn judged(
    snap: &Snapshot,
    previous: &HashMap<(usize, String), String>,
    cursors: &mut Vec<usize>,
    sent: &mut HashSet<String>,
) -> Vec<WorkspaceDocumentDiagnosticReport> {
    cursors.resize(snap.workspaces.len(), 0);
    let mut items = Vec::new();
    for (i, ws) in snap.workspaces.iter().enumerate() {
        let Some(judged) = ws.live.pulled.judged_since(cursors[i]) else {
            continue;
        };
        cursors[i] += judged.len();
        for (path, report) in judged {
            if ws.open_uris.contains_key(&path) {
                continue;
            }
            let uri = ws.uri_of(&path);
            if !sent.insert(AsRef::<str>::as_ref(&uri).to_string()) {
                continue;
            }
            let before = previous.get(&(i, path.to_string())).map(String::as_str);
            items.push(workspace_item(&uri, &report, before));
        }
    }
    items
}

/// The client's result ids by workspace and vault path.
pub fn previous_ids(
    snap: &Snapshot,
    params: &WorkspaceDiagnosticParams,
) -> HashMap<(usize, String), String> {
    params
        .previous_result_ids
        .iter()
        .filter_map(|p| Some((place(snap, &p.uri)?, p.value.clone())))
        .collect()
}

/// The URI a workspace report is for.
pub fn item_uri(item: &WorkspaceDocumentDiagnosticReport) -> &Uri {
    match item {
        WorkspaceDocumentDiagnosticReport::WorkspaceFullDocumentDiagnosticReport(r) => &r.uri,
        WorkspaceDocumentDiagnosticReport::WorkspaceUnchangedDocumentDiagnosticReport(r) => &r.uri,
    }
}

/// The workspace (by index) and vault path of a URI the client sent.
fn place(snap: &Snapshot, uri: &Uri) -> Option<(usize, String)> {
    snap.workspaces
        .iter()
        .enumerate()
        .find_map(|(i, ws)| Some((i, ws.vault_path(uri)?)))
}

/// A closed note's report (no version): unchanged when the client already has its id.
fn workspace_item(
    uri: &Uri,
    report: &Report,
    previous: Option<&str>,
) -> WorkspaceDocumentDiagnosticReport {
    let id = result_id(report.id);
    if previous == Some(id.as_str()) {
        WorkspaceDocumentDiagnosticReport::WorkspaceUnchangedDocumentDiagnosticReport(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri: uri.clone(),
                version: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            },
        )
    } else {
        WorkspaceDocumentDiagnosticReport::WorkspaceFullDocumentDiagnosticReport(
            WorkspaceFullDocumentDiagnosticReport {
                uri: uri.clone(),
                version: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(id),
                    items: report.items.to_vec(),
                },
            },
        )
    }
}
