//! `textDocument/codeLens`: reference counts on the note and on each heading. Clicking
//! one runs the client command `twin.showReferences` with the URI, the position and the
//! referencing locations (the VS Code extension and the Neovim plugin show them in their
//! references view; other clients may send it to the server, which answers the locations).

use serde_json::json;
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::lsp::convert::to_proto;
use crate::lsp::query::{self, Symbol};
use crate::lsp::snapshot::Snapshot;
use crate::text::Span;

/// The client command a reference lens runs.
pub const SHOW_REFERENCES: &str = "twin.showReferences";

pub fn code_lens(snap: &Snapshot, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some((ws, id, note)) = note_of(snap, &uri) else {
        return Ok(None);
    };
    let vault = ws.vault();
    let graph = ws.graph();
    let lens = |span: Span, links: Vec<(crate::vault::NoteId, usize)>| {
        let range = to_proto::note_range(note, span, snap.encoding);
        let n = links.len();
        let locations: Vec<Location> = links
            .into_iter()
            .map(|(src, j)| {
                let from = vault.note(src);
                to_proto::location(ws, from, from.links[j].span, snap.encoding)
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
    };
    let mut out = vec![lens(
        Span::empty(0),
        query::symbol_links(graph, &Symbol::Note(id)),
    )];
    for (h, heading) in note.headings.iter().enumerate() {
        let links = query::symbol_links(graph, &Symbol::Heading(id, h));
        out.push(lens(heading.span, links));
    }
    Ok(Some(out))
}
