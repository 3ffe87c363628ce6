//! `textDocument/references`: backlinks to a note, heading or block (from its
//! definition or from any link to it), every use of a tag, a footnote's uses
//! (`Analysis::references`), then the canvases that show or link it
//! (`Analysis::canvas_references`).

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{cursor, location};
use crate::lsp::snapshot::Snapshot;

pub fn references(snap: &Snapshot, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let include_declaration = params.context.include_declaration;
    let places = at
        .ws
        .model
        .references(at.id, at.offset, include_declaration)
        .unwrap_or_default();
    let mut locations: Vec<Location> = places.iter().map(|p| location(snap, at.ws, p)).collect();
    let vault = at.ws.vault();
    for place in at.ws.model.canvas_references(at.id, at.offset) {
        let Some(canvas) = vault.canvas(&place.canvas) else {
            continue;
        };
        let index = crate::text::LineIndex::new(&canvas.text);
        let range =
            crate::lsp::convert::to_proto::range(&canvas.text, &index, place.span, snap.encoding);
        locations.push(Location::new(at.ws.uri_of(&place.canvas), range));
    }
    Ok(Some(locations))
}
