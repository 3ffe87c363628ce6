//! `textDocument/references`: backlinks to a note, heading or block (from its
//! definition or from any link to it), every use of a tag, a footnote's uses.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{cursor, location};
use crate::lsp::query::{self, Symbol};
use crate::lsp::snapshot::Snapshot;

pub fn references(snap: &Snapshot, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let vault = at.ws.vault();
    let graph = at.ws.graph();
    // Anywhere that is no symbol stands for the note itself.
    let symbol = match query::item_at(at.note, at.offset) {
        Some(item) => query::symbol_of(vault, graph, at.id, item),
        None => Some(Symbol::Note(at.id)),
    };
    let Some(symbol) = symbol else {
        return Ok(Some(Vec::new()));
    };
    let places = query::references(vault, graph, &symbol, params.context.include_declaration);
    Ok(Some(
        places.iter().map(|p| location(snap, at.ws, p)).collect(),
    ))
}
