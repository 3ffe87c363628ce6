//! `textDocument/codeAction`: quick fixes for broken links and headings and for
//! footnote mistakes, computed by `fixes` and converted here.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::lsp::convert::{from_proto, to_proto};
use crate::lsp::fixes::{self, FileOp, Fix};
use crate::lsp::snapshot::Snapshot;
use crate::text::Span;

pub fn code_action(
    snap: &Snapshot,
    params: CodeActionParams,
) -> Result<Option<Vec<CodeActionResponse>>> {
    if let Some(only) = &params.context.only
        && !only
            .iter()
            .any(|k| *k == CodeActionKind::QuickFix || *k == CodeActionKind::Empty)
    {
        return Ok(None);
    }
    let Some((ws, id, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let start = from_proto::offset(note, params.range.start, snap.encoding);
    let end = from_proto::offset(note, params.range.end, snap.encoding);
    let hits = |span: Span| span.start as usize <= end && start <= span.end as usize;
    let (vault, graph) = (ws.vault(), ws.graph());
    let mut found: Vec<(Span, &str, Fix)> = Vec::new();
    for (j, link) in note.links.iter().enumerate().filter(|(_, l)| hits(l.span)) {
        let code = if graph.resolutions[id.0 as usize][j].target.is_none() {
            "broken-link"
        } else {
            "broken-heading"
        };
        for fix in fixes::link_fixes(vault, graph, id, j, ws.config.new_link_format.as_deref()) {
            found.push((link.span, code, fix));
        }
    }
    for (i, r) in note
        .footnote_refs
        .iter()
        .enumerate()
        .filter(|(_, r)| hits(r.span))
    {
        if !note
            .footnote_defs
            .iter()
            .any(|d| !d.malformed && d.label == r.label)
        {
            found.push((
                r.span,
                "footnote-undefined",
                fixes::add_footnote_definition(note, i),
            ));
        }
    }
    for (i, d) in note
        .footnote_defs
        .iter()
        .enumerate()
        .filter(|(_, d)| hits(d.span) && !d.malformed)
    {
        if !note.footnote_refs.iter().any(|r| r.label == d.label) {
            found.push((
                d.span,
                "footnote-unused",
                fixes::remove_footnote_definition(note, i),
            ));
        }
    }
    let can_create = snap.caps.document_changes && snap.caps.create_files;
    let actions = found
        .into_iter()
        .filter(|(_, _, fix)| {
            can_create || !fix.ops.iter().any(|op| matches!(op, FileOp::Create { .. }))
        })
        .map(|(span, code, fix)| {
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
        .collect();
    Ok(Some(actions))
}

fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}
