//! `textDocument/documentLink`: every resolved link, pointing at its target file
//! (with a `#L` line fragment for headings and blocks).

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::lsp::convert::to_proto;
use crate::resolve::{AnchorResolution, LinkTarget};

pub fn document_link(
    snap: &Snapshot,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    let Some((ws, id, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let vault = ws.vault();
    let resolutions = &ws.graph().resolutions[id.0 as usize];
    let mut out = Vec::new();
    for (link, resolution) in note.links.iter().zip(resolutions) {
        let (target, tooltip) = match &resolution.target {
            Some(LinkTarget::Note(t)) => {
                let target = vault.note(*t);
                let line = match resolution.anchor {
                    AnchorResolution::Heading(h) => Some(target.headings[h as usize].span.start),
                    AnchorResolution::Block(b) => {
                        Some(target.block_ids[b as usize].block_span.start)
                    }
                    _ => None,
                };
                let mut uri = ws.uri_of(&target.path).as_ref().to_string();
                if let Some(offset) = line {
                    uri.push_str(&format!(
                        "#L{}",
                        target.line_index.line_of(offset as usize) + 1
                    ));
                }
                (Uri::from(uri), target.path.to_string())
            }
            Some(LinkTarget::Attachment(a)) => (
                ws.uri_of(vault.attachment(*a)),
                vault.attachment(*a).to_string(),
            ),
            None => continue,
        };
        out.push(DocumentLink {
            range: to_proto::note_range(note, link.span, snap.encoding),
            target: Some(target),
            tooltip: Some(tooltip),
            data: None,
        });
    }
    Ok(Some(out))
}

use crate::lsp::snapshot::Snapshot;
