//! `textDocument/hover`: a preview of what a link points to, a tag's uses, a footnote's
//! text, the links to a heading or block (`Analysis::hover`).

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::cursor;
use crate::lsp::convert::to_proto;
use crate::lsp::snapshot::Snapshot;

pub fn hover(snap: &Snapshot, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let Some(found) = at.ws.model.hover(at.id, at.offset) else {
        return Ok(None);
    };
    let kind = if snap.caps.markdown_hover {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    Ok(Some(Hover {
        contents: Contents::MarkupContent(MarkupContent {
            kind,
            value: found.markdown,
        }),
        range: Some(to_proto::note_range(at.note, found.span, snap.encoding)),
    }))
}
