//! Requests whose answer combines the navigation handlers with search, history and
//! coherence: the hover gains the coherence of the note's title and the timeline of the
//! findings under the cursor, code lenses gain the coherence score, code actions gain
//! "Link to [[Note]]" and "Re-anchor this note".

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{code_action, code_lens, coherence, cursor, history, hover, search};
use crate::lsp::convert::to_proto;
use crate::lsp::snapshot::Snapshot;

pub fn hover_all(snap: &Snapshot, params: HoverParams) -> Result<Option<Hover>> {
    let base = hover::hover(snap, params.clone())?;
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(base);
    };
    let sections: Vec<_> = [
        coherence::hover_section(at.ws, at.id, at.note, at.offset),
        history::hover_section(at.ws, at.id, at.offset),
    ]
    .into_iter()
    .flatten()
    .collect();
    if sections.is_empty() {
        return Ok(base);
    }
    let markdown = snap.caps.markdown_hover;
    let mut texts: Vec<String> = Vec::new();
    let mut range = None;
    if let Some(base) = base {
        range = base.range;
        if let Contents::MarkupContent(content) = base.contents {
            texts.push(content.value);
        }
    }
    for (span, text) in sections {
        range.get_or_insert_with(|| to_proto::note_range(at.note, span, snap.encoding));
        texts.push(text);
    }
    let separator = if markdown { "\n\n---\n\n" } else { "\n\n" };
    Ok(Some(Hover {
        contents: Contents::MarkupContent(MarkupContent {
            kind: if markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value: texts.join(separator),
        }),
        range,
    }))
}

pub fn code_lens_all(snap: &Snapshot, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri.clone();
    let mut lenses = code_lens::code_lens(snap, params)?;
    if let (Some(list), Some(lens)) = (&mut lenses, coherence::lens(snap, &uri)) {
        list.insert(0, lens);
    }
    Ok(lenses)
}

pub fn code_action_all(
    snap: &Snapshot,
    params: CodeActionParams,
) -> Result<Option<Vec<CodeActionResponse>>> {
    let extra: Vec<CodeActionResponse> = search::mention_actions(snap, &params)
        .into_iter()
        .chain(history::reanchor_actions(snap, &params))
        .collect();
    let base = code_action::code_action(snap, params)?;
    if extra.is_empty() {
        return Ok(base);
    }
    let mut all = base.unwrap_or_default();
    all.extend(extra);
    Ok(Some(all))
}
