//! `textDocument/rename`, `textDocument/prepareRename` and `workspace/willRenameFiles`.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use crate::lsp::snapshot::Snapshot;

pub fn prepare_rename(_snap: &Snapshot, _params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResult>> {
    Ok(None)
}

pub fn rename(_snap: &Snapshot, _params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    Ok(None)
}

pub fn will_rename_files(_snap: &Snapshot, _params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
    Ok(None)
}
