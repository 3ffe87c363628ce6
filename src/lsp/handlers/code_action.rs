//! `textDocument/codeAction`: quick fixes for broken links and headings, footnote
//! mistakes and one-sided relations, computed by `crate::fix` and converted here, and the
//! refactorings of `refactor.rs`.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{note_of, refactor};
use crate::fix::{FileOp, FixContext, QuickFix, quick_fixes};
use crate::lsp::convert::{from_proto, to_proto};
use crate::lsp::snapshot::Snapshot;

pub fn code_action(
    snap: &Snapshot,
    params: CodeActionParams,
) -> Result<Option<Vec<CodeActionResponse>>> {
    let Some((ws, id, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let start = from_proto::offset(note, params.range.start, snap.encoding);
    let end = from_proto::offset(note, params.range.end, snap.encoding);
    let only = params.context.only.as_deref();
    let refactors = refactor::refactor_actions(snap, ws, id, note, start, only);
    if !refactor::wanted(only, &CodeActionKind::QuickFix) {
        return Ok(Some(refactors));
    }
    let renames = ws.live.moves();
    let mut cx = FixContext::from_analysis(&ws.model);
    if let Some(renames) = &renames {
        cx = cx.with_moves(renames);
    }
    let found = quick_fixes(&cx, id, start, end);
    let can_create = snap.caps.document_changes && snap.caps.create_files;
    let actions = found
        .into_iter()
        .filter(|q| {
            can_create
                || !q
                    .fix
                    .ops
                    .iter()
                    .any(|op| matches!(op, FileOp::Create { .. }))
        })
        .map(|QuickFix { span, code, fix }| {
            let range = to_proto::note_range(note, span, snap.encoding);
            let diagnostics: Vec<Diagnostic> = params
                .context
                .diagnostics
                .iter()
                .filter(|d| {
                    matches!(&d.code, Some(Code::String(c)) if c == code)
                        && overlaps(d.range, range)
                })
                .cloned()
                .collect();
            CodeActionResponse::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QuickFix),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                is_preferred: fix.preferred.then_some(true),
                disabled: None,
                edit: Some(to_proto::workspace_edit(
                    snap,
                    ws,
                    &fix,
                    snap.caps.document_changes,
                )),
                command: None,
                data: None,
                tags: None,
            })
        })
        .chain(refactors)
        .collect();
    Ok(Some(actions))
}

fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}
