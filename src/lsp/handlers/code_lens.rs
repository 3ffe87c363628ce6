//! `textDocument/codeLens`: reference counts on the note and on each heading
//! (`Analysis::reference_lenses`). Clicking
//! one runs the client command `twin.showReferences` with the URI, the position and the
//! referencing locations (the VS Code extension and the Neovim plugin show them in their
//! references view; other clients may send it to the server, which answers the locations).

use serde_json::json;
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::lsp::convert::to_proto;
use crate::lsp::snapshot::Snapshot;

/// The client command a reference lens runs.
pub const SHOW_REFERENCES: &str = "twin.showReferences";

pub fn code_lens(snap: &Snapshot, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some((ws, id, note)) = note_of(snap, &uri) else {
        return Ok(None);
    };
    let vault = ws.vault();
    let lenses = ws.model.reference_lenses(id);
    let out = lenses
        .into_iter()
        .map(|lens| {
            let range = to_proto::note_range(note, lens.span, snap.encoding);
            let n = lens.links.len();
            let locations: Vec<Location> = lens
                .links
                .iter()
                .map(|place| {
                    let from = vault.note(place.note);
                    to_proto::location(ws, from, place.span, snap.encoding)
                })
                .collect();
            CodeLens {
                range,
                command: Some(Command {
                    title: if n == 1 {
                        "1 reference".to_string()
                    } else {
                        format!("{n} references")
                    },
                    tooltip: None,
                    command: SHOW_REFERENCES.to_string(),
                    arguments: Some(vec![
                        json!(uri.as_ref()),
                        json!(range.start),
                        json!(locations),
                    ]),
                }),
                data: None,
            }
        })
        .collect();
    Ok(Some(out))
}
