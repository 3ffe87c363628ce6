//! The microconflict history in the editor: `twin/history` (a note's events, newest
//! first), the timeline of the findings under the cursor for the hover, and the
//! "Re-anchor this note" action on `anchor-drift`.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, Result};

use super::note_of;
use crate::history::surface::age;
use crate::history::{
    EventFilter, EventKind, OwnedEvent, TRACE_FILE, Timestamp, events, timeline, with_trace,
};
use crate::lsp::history_view::{findings_at, now};
use crate::lsp::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::text::Span;
use crate::vault::NoteId;

/// The server command the re-anchor action runs (it writes the trace, so it is a
/// command rather than an edit).
pub const REANCHOR_COMMAND: &str = "twin.server.reanchor";
/// Events listed at most by `twin/history`.
const MAX_EVENTS: usize = 500;

/// `twin/history` parameters: a note (or none for the whole vault), optionally one rule.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryParams {
    pub text_document: Option<TextDocumentIdentifier>,
    pub code: Option<String>,
    pub limit: Option<usize>,
}

/// `twin/history`: `{entries: [{time, event, code, path, uri, subject, message, summary}]}`,
/// newest first; a note's entries include those from before it was renamed.
pub fn history(snap: &Snapshot, params: HistoryParams) -> Result<Value> {
    let limit = params.limit.unwrap_or(MAX_EVENTS).clamp(1, 10_000);
    let (ws, note) = match &params.text_document {
        Some(doc) => match snap.workspace_of(&doc.uri) {
            Some((ws, path)) => (ws, Some(path)),
            None => return Ok(json!({"entries": []})),
        },
        None => match snap.workspaces.iter().find(|ws| ws.indexed) {
            Some(ws) => (ws, None),
            None => return Ok(json!({"entries": []})),
        },
    };
    let query = EventFilter {
        note,
        code: params.code,
        note_events: true,
        ..EventFilter::default()
    };
    let found = events(&ws.vault().root, &query)
        .map_err(|e| internal(format!("cannot read the history: {e}")))?;
    let entries: Vec<Value> = found.iter().take(limit).map(|e| entry(ws, e)).collect();
    Ok(json!({"entries": entries}))
}

fn entry(ws: &WorkspaceSnapshot, e: &OwnedEvent) -> Value {
    let summary = match e.kind {
        EventKind::Moved => format!("moved from {}", e.from),
        EventKind::Anchor => "drift anchor recorded".to_string(),
        EventKind::Score => format!("coherence score {:.3}", f64::from(e.n) / 1000.0),
        EventKind::Renamed => format!("{} carried over to {}: {}", e.code, e.path, e.message),
        kind => format!("{kind} {}: {}", e.code, e.message),
    };
    json!({
        "time": e.ts.to_string(),
        "event": e.kind.as_str(),
        "code": e.code,
        "path": e.path,
        "uri": ws.uri_of(&e.path),
        "subject": e.subject,
        "message": e.message,
        "fingerprint": e.fp.map(|fp| fp.to_string()),
        "summary": summary,
    })
}

fn internal(message: String) -> Error {
    let mut error = Error::internal_error();
    error.message = message.into();
    error
}

/// The hover section for the findings at `offset`: each one's events, oldest first,
/// with its age; the span of the first such finding.
pub fn hover_section(ws: &WorkspaceSnapshot, id: NoteId, offset: usize) -> Option<(Span, String)> {
    // Most vaults have no trace: no finding has a history then.
    if !ws.indexed || !ws.vault().root.join(TRACE_FILE).is_file() {
        return None;
    }
    let found = findings_at(ws, id, offset);
    if found.is_empty() {
        return None;
    }
    let root = &ws.vault().root;
    let now = Timestamp::from_system(now());
    let mut out: Vec<String> = Vec::new();
    let mut span = None;
    for (diagnostic, finding) in &found {
        let events = timeline(root, finding.fp).unwrap_or_default();
        if events.is_empty() {
            continue;
        }
        span.get_or_insert(diagnostic.span);
        let age = with_trace(root, |t| age(t.state(), finding, now))
            .ok()
            .flatten();
        let mut text = format!("**History of `{}`**", diagnostic.code);
        if let Some(age) = age {
            text.push_str(&format!(" ({})", age.describe()));
        }
        text.push('\n');
        for e in &events {
            text.push_str(&format!("\n- {} {}", e.ts, e.kind));
        }
        out.push(text);
    }
    Some((span?, out.join("\n\n")))
}

/// "Re-anchor this note" for each `anchor-drift` finding in the requested range.
pub fn reanchor_actions(snap: &Snapshot, params: &CodeActionParams) -> Vec<CodeActionResponse> {
    if !super::search::wants_quickfix(params) {
        return Vec::new();
    }
    let uri = &params.text_document.uri;
    let Some((_, _, note)) = note_of(snap, uri) else {
        return Vec::new();
    };
    let drift: Vec<Diagnostic> = params
        .context
        .diagnostics
        .iter()
        .filter(|d| matches!(&d.code, Some(Code::String(c)) if c == "anchor-drift"))
        .cloned()
        .collect();
    if drift.is_empty() {
        return Vec::new();
    }
    vec![CodeActionResponse::CodeAction(CodeAction {
        title: "Re-anchor this note".to_string(),
        kind: Some(CodeActionKind::QuickFix),
        diagnostics: Some(drift),
        command: Some(Command {
            title: "Re-anchor this note".to_string(),
            command: REANCHOR_COMMAND.to_string(),
            arguments: Some(vec![json!(uri.as_ref()), json!(&*note.path)]),
            tooltip: None,
        }),
        ..Default::default()
    })]
}
