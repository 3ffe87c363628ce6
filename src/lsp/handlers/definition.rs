//! `textDocument/definition`: a link's target note, heading or block; a footnote's
//! definition; on a tag, every place the tag is used (`Analysis::definition`).

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{cursor, location};
use crate::analysis::ide::Target;
use crate::lsp::snapshot::Snapshot;

pub fn definition(snap: &Snapshot, params: DefinitionParams) -> Result<Option<DefinitionResponse>> {
    Ok(early(snap, params).flatten())
}

/// [`definition`] from a model whose links may not be resolved yet (the first load's names
/// stage); `None` when the answer needs them (`Analysis::definition_unresolved`).
pub fn early(snap: &Snapshot, params: DefinitionParams) -> Option<Option<DefinitionResponse>> {
    let pos = params.text_document_position_params;
    let Some(at) = cursor(snap, &pos.text_document.uri, pos.position) else {
        return Some(None);
    };
    let mut locations: Vec<Location> = at
        .ws
        .model
        .definition_unresolved(at.id, at.offset)?
        .iter()
        .map(|target| match target {
            Target::Place(place) => location(snap, at.ws, place),
            Target::Attachment(a) => {
                let path = at.ws.vault().attachment(*a);
                Location::new(at.ws.uri_of(path), Range::default())
            }
        })
        .collect();
    Some(match locations.len() {
        0 => None,
        1 => Some(DefinitionResponse::Definition(Definition::Location(
            locations.remove(0),
        ))),
        _ => Some(DefinitionResponse::Definition(Definition::LocationList(
            locations,
        ))),
    })
}
