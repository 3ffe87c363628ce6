//! Refactoring code actions: extract a heading's section into a new note, left behind as
//! a link or an embed, and inline a note nothing else links to (`crate::fix::extract`,
//! `crate::fix::inline`). Each is offered only to a client that can apply it (create or
//! delete files in `documentChanges`); each action carries a
//! command that records the move in the history once the editor has applied the edit
//! (a client runs an action's edit first, then its command).

use serde_json::json;
use tower_lsp_server::gen_lsp_types::*;

use crate::fix::FixContext;
use crate::fix::extract::{Moved, extract_section};
use crate::fix::inline::inline_note;
use crate::lsp::convert::to_proto;
use crate::lsp::snapshot::{Snapshot, WorkspaceSnapshot};
use crate::note::Note;
use crate::vault::NoteId;

/// Records a move (`[uri of a note of the vault, from, to]`, vault paths).
pub const RECORD_MOVE: &str = "twin.server.recordMove";

/// Whether a client asking only for `only` wants actions of `kind` ("refactor" covers
/// "refactor.extract").
pub fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        let kind = String::from(kind.clone());
        only.iter().any(|k| {
            let k = String::from(k.clone());
            k.is_empty() || kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

/// The refactorings offered at `start` of note `id`.
pub fn refactor_actions(
    snap: &Snapshot,
    ws: &WorkspaceSnapshot,
    id: NoteId,
    note: &Note,
    start: usize,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionResponse> {
    let mut out = Vec::new();
    let can_create = snap.caps.document_changes && snap.caps.create_files;
    if can_create && wanted(only, &CodeActionKind::RefactorExtract) {
        let on_heading = note
            .headings
            .iter()
            .position(|h| h.span.start as usize <= start && start < h.span.end as usize);
        if let Some(h) = on_heading {
            let cx = FixContext::from_analysis(&ws.model);
            for embed in [false, true] {
                if let Ok(moved) = extract_section(&cx, id, h, embed) {
                    out.push(action(
                        snap,
                        ws,
                        note,
                        moved,
                        CodeActionKind::RefactorExtract,
                    ));
                }
            }
        }
    }
    let can_delete = snap.caps.document_changes && snap.caps.delete_files;
    if can_delete && wanted(only, &CodeActionKind::RefactorInline) {
        let on_link = note
            .links
            .iter()
            .position(|l| l.span.start as usize <= start && start < l.span.end as usize);
        if let Some(j) = on_link {
            let cx = FixContext::from_analysis(&ws.model);
            if let Ok(moved) = inline_note(&cx, id, j) {
                out.push(action(
                    snap,
                    ws,
                    note,
                    moved,
                    CodeActionKind::RefactorInline,
                ));
            }
        }
    }
    out
}

fn action(
    snap: &Snapshot,
    ws: &WorkspaceSnapshot,
    note: &Note,
    moved: Moved,
    kind: CodeActionKind,
) -> CodeActionResponse {
    let uri = ws.uri_of(&note.path);
    CodeActionResponse::CodeAction(CodeAction {
        title: moved.fix.title.clone(),
        kind: Some(kind),
        edit: Some(to_proto::workspace_edit(snap, ws, &moved.fix, true)),
        command: Some(Command {
            title: "Record the move in the history".into(),
            command: RECORD_MOVE.into(),
            arguments: Some(vec![
                json!(uri.as_ref() as &str),
                json!(moved.from),
                json!(moved.to),
            ]),
            tooltip: None,
        }),
        ..CodeAction::default()
    })
}
