//! `textDocument/codeLens`: reference counts on the note and on each heading.

use serde_json::json;
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::lsp::convert::to_proto;
use crate::lsp::query::{self, Symbol};
use crate::lsp::snapshot::Snapshot;
use crate::text::Span;

pub fn code_lens(snap: &Snapshot, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some((ws, id, note)) = note_of(snap, &uri) else {
        return Ok(None);
    };
    let graph = ws.graph();
    let lens = |span: Span, n: usize| {
        let range = to_proto::note_range(note, span, snap.encoding);
        CodeLens {
            range,
            command: Some(Command {
                title: if n == 1 {
                    "1 reference".to_string()
                } else {
                    format!("{n} references")
                },
                tooltip: None,
                command: "twin.showReferences".to_string(),
                arguments: Some(vec![json!(uri.as_ref()), json!(range.start)]),
            }),
            data: None,
        }
    };
    let mut out = vec![lens(
        Span::empty(0),
        query::symbol_links(graph, &Symbol::Note(id)).len(),
    )];
    for (h, heading) in note.headings.iter().enumerate() {
        let n = query::symbol_links(graph, &Symbol::Heading(id, h)).len();
        out.push(lens(heading.span, n));
    }
    Ok(Some(out))
}
