//! Capabilities: what the client offers (read once at `initialize`) and what the
//! server announces in return.

use serde_json::json;
use tower_lsp_server::gen_lsp_types::*;

use super::convert;
use super::handlers;
use super::state::ClientCaps;
use crate::text::ColumnEncoding;

/// The optional client features the server adapts to.
pub fn client(caps: &ClientCapabilities) -> ClientCaps {
    let workspace = caps.workspace.as_ref();
    let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
    let ops = edit
        .and_then(|e| e.resource_operations.as_deref())
        .unwrap_or(&[]);
    let text = caps.text_document.as_ref();
    ClientCaps {
        // File operations travel only in `documentChanges`: a client that announces
        // them applies it, even without saying so (Neovim 0.7).
        document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false) || !ops.is_empty(),
        create_files: ops.contains(&ResourceOperationKind::Create),
        rename_files: ops.contains(&ResourceOperationKind::Rename),
        delete_files: ops.contains(&ResourceOperationKind::Delete),
        work_done_progress: caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watched_files_dynamic: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        hierarchical_symbols: text
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|d| d.hierarchical_document_symbol_support)
            .unwrap_or(false),
        markdown_hover: text
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_some_and(|f| f.contains(&MarkupKind::Markdown)),
        pull_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
        diagnostic_refresh: workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        inlay_hint_refresh: workspace
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|h| h.refresh_support)
            .unwrap_or(false),
    }
}

/// What the server offers, with the negotiated position encoding; pull diagnostics to a
/// client that pulls.
pub fn server(encoding: ColumnEncoding, client: &ClientCaps) -> ServerCapabilities {
    let md_filter = json!([{"scheme": "file", "pattern": {"glob": "**/*.md"}}]);
    let all_filter = json!([{"scheme": "file", "pattern": {"glob": "**/*"}}]);
    let value = json!({
        "positionEncoding": convert::to_proto::encoding_kind(encoding),
        "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
        "definitionProvider": true,
        "referencesProvider": true,
        "hoverProvider": true,
        "completionProvider": {"triggerCharacters": ["[", "#", "^", "(", "/", "|", "!"]},
        "renameProvider": {"prepareProvider": true},
        "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.extract", "refactor.inline"]},
        "documentSymbolProvider": true,
        "workspaceSymbolProvider": true,
        "codeLensProvider": {"resolveProvider": false},
        "executeCommandProvider": {"commands": super::commands::announced()},
        "documentLinkProvider": {"resolveProvider": false},
        "foldingRangeProvider": true,
        "inlayHintProvider": true,
        "semanticTokensProvider": {
            "legend": handlers::semantic_tokens::legend(),
            "full": true,
        },
        "workspace": {
            "workspaceFolders": {"supported": true, "changeNotifications": true},
            "fileOperations": {
                "willRename": {"filters": all_filter},
                "didRename": {"filters": all_filter},
                "didCreate": {"filters": md_filter},
                "didDelete": {"filters": all_filter},
            },
        },
    });
    let mut value = value;
    if client.pull_diagnostics {
        // A finding in one note depends on others (links, relations): inter-file.
        value["diagnosticProvider"] = json!({
            "identifier": "twin",
            "interFileDependencies": true,
            "workspaceDiagnostics": true,
        });
    }
    serde_json::from_value(value).expect("server capabilities are well-formed")
}
