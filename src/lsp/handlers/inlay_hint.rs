//! `textDocument/inlayHint`: a block reference's first words and a link's relation when
//! it is declared elsewhere (`Analysis::inlay_hints`). Off with the `inlayHints.enable`
//! setting (checked by the server before it asks).

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::analysis::ide::InlayKind;
use crate::lsp::convert::{from_proto, to_proto};
use crate::lsp::snapshot::Snapshot;
use crate::text::Span;

pub fn inlay_hint(snap: &Snapshot, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some((ws, id, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let start = from_proto::offset(note, params.range.start, snap.encoding);
    let end = from_proto::offset(note, params.range.end, snap.encoding);
    let hints = ws
        .model
        .inlay_hints(id, Span::new(start, end.max(start)))
        .into_iter()
        .map(|hint| {
            let tooltip = match hint.kind {
                InlayKind::Block => "the block this reference points to".to_string(),
                InlayKind::Relation(r) => format!("{} (declared elsewhere)", r.as_str()),
            };
            InlayHint {
                position: to_proto::note_range(note, Span::empty(hint.offset), snap.encoding).start,
                label: Label::String(hint.label),
                kind: None,
                text_edits: None,
                tooltip: Some(Tooltip::String(tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            }
        })
        .collect();
    Ok(Some(hints))
}
