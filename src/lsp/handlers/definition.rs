//! `textDocument/definition`: a link's target note, heading or block; a footnote's
//! definition; on a tag, every place the tag is used.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{cursor, location};
use crate::lsp::query::{self, Item, Symbol};
use crate::lsp::snapshot::Snapshot;
use crate::resolve::LinkTarget;

pub fn definition(snap: &Snapshot, params: DefinitionParams) -> Result<Option<DefinitionResponse>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Ok(None);
    };
    let Some(item) = query::item_at(at.note, at.offset) else {
        return Ok(None);
    };
    let vault = at.ws.vault();
    let graph = at.ws.graph();
    let locations: Vec<Location> = match item {
        Item::Link(i, _) => {
            let resolution = &graph.resolutions[at.id.0 as usize][i];
            // Wherever the cursor is in the link, its anchor is where it leads.
            let whole = Item::Link(i, query::LinkPart::Other);
            match (
                &resolution.target,
                query::symbol_of(vault, graph, at.id, whole),
            ) {
                (Some(LinkTarget::Attachment(a)), _) => {
                    let path = vault.attachment(*a);
                    vec![Location::new(at.ws.uri_of(path), Range::default())]
                }
                (_, Some(symbol @ (Symbol::Note(_) | Symbol::Heading(..) | Symbol::Block(..)))) => {
                    query::declaration(vault, &symbol)
                        .map(|p| location(snap, at.ws, &p))
                        .into_iter()
                        .collect()
                }
                _ => Vec::new(),
            }
        }
        Item::FootnoteRef(_) => query::symbol_of(vault, graph, at.id, item)
            .and_then(|s| query::declaration(vault, &s))
            .map(|p| location(snap, at.ws, &p))
            .into_iter()
            .collect(),
        Item::Tag(_) => {
            let Some(symbol) = query::symbol_of(vault, graph, at.id, item) else {
                return Ok(None);
            };
            query::references(vault, graph, &symbol, false)
                .iter()
                .map(|p| location(snap, at.ws, p))
                .collect()
        }
        Item::FootnoteDef(_) | Item::BlockId(_) | Item::Heading(_) | Item::Alias(_) => Vec::new(),
    };
    Ok(match locations.len() {
        0 => None,
        1 => Some(DefinitionResponse::Definition(Definition::Location(
            locations.into_iter().next().expect("one location"),
        ))),
        _ => Some(DefinitionResponse::Definition(Definition::LocationList(
            locations,
        ))),
    })
}
