//! `textDocument/documentSymbol` (the heading tree) and `workspace/symbol` (notes,
//! aliases and headings, fuzzy-matched and ranked).

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::note_of;
use crate::analysis::ide::fuzzy;
use crate::lsp::convert::to_proto;
use crate::lsp::snapshot::Snapshot;
use crate::note::Note;
use crate::text::Span;

/// Workspace symbol results are capped: a client shows a short list.
const MAX_SYMBOLS: usize = 128;

pub fn document_symbol(
    snap: &Snapshot,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some((ws, _, note)) = note_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let enc = snap.encoding;
    if !snap.caps.hierarchical_symbols {
        #[allow(deprecated)]
        let flat = note
            .headings
            .iter()
            .map(|h| SymbolInformation {
                deprecated: None,
                location: to_proto::location(ws, note, h.span, enc),
                base_symbol_information: BaseSymbolInformation {
                    name: h.text.clone(),
                    kind: SymbolKind::String,
                    tags: None,
                    container_name: None,
                },
            })
            .collect();
        return Ok(Some(DocumentSymbolResponse::SymbolInformationList(flat)));
    }
    let mut next = 0;
    let tree = heading_tree(note, &mut next, 0, enc);
    Ok(Some(DocumentSymbolResponse::DocumentSymbolList(tree)))
}

/// Headings from index `next` that are deeper than `parent_level`, as a tree.
fn heading_tree(
    note: &Note,
    next: &mut usize,
    parent_level: u8,
    enc: crate::text::ColumnEncoding,
) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    while let Some(h) = note.headings.get(*next) {
        if h.level <= parent_level {
            break;
        }
        let index = *next;
        *next += 1;
        let children = heading_tree(note, next, h.level, enc);
        let section = trim_end(note, note.section_span(index));
        #[allow(deprecated)]
        out.push(DocumentSymbol {
            name: if h.text.is_empty() {
                "(empty heading)".to_string()
            } else {
                h.text.clone()
            },
            detail: Some("#".repeat(h.level as usize)),
            kind: SymbolKind::String,
            tags: None,
            deprecated: None,
            range: to_proto::note_range(note, section, enc),
            selection_range: to_proto::note_range(note, h.text_span, enc),
            children: (!children.is_empty()).then_some(children),
        });
    }
    out
}

/// A section without its trailing blank lines.
pub fn trim_end(note: &Note, span: Span) -> Span {
    let text = &note.text[span.range()];
    Span::new(
        span.start as usize,
        span.start as usize + text.trim_end().len(),
    )
}

pub fn workspace_symbol(
    snap: &Snapshot,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let query = params.query.trim();
    let mut found: Vec<(i64, SymbolInformation)> = Vec::new();
    for ws in &snap.workspaces {
        for note in &ws.vault().notes {
            let mut push = |name: &str, kind: SymbolKind, span: Span, container: Option<String>| {
                if let Some(score) = fuzzy::score(query, name) {
                    #[allow(deprecated)]
                    found.push((
                        score,
                        SymbolInformation {
                            deprecated: None,
                            location: to_proto::location(ws, note, span, snap.encoding),
                            base_symbol_information: BaseSymbolInformation {
                                name: name.to_string(),
                                kind,
                                tags: None,
                                container_name: container,
                            },
                        },
                    ));
                }
            };
            push(
                note.name(),
                SymbolKind::File,
                Span::empty(0),
                Some(note.path.to_string()),
            );
            for alias in note.aliases() {
                push(
                    &alias.name,
                    SymbolKind::Key,
                    alias.span,
                    Some(note.name().to_string()),
                );
            }
            for h in &note.headings {
                push(
                    &h.text,
                    SymbolKind::String,
                    h.span,
                    Some(note.name().to_string()),
                );
            }
        }
    }
    found.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            a.1.base_symbol_information
                .name
                .cmp(&b.1.base_symbol_information.name)
        })
    });
    found.truncate(MAX_SYMBOLS);
    Ok(Some(WorkspaceSymbolResponse::SymbolInformationList(
        found.into_iter().map(|(_, s)| s).collect(),
    )))
}
