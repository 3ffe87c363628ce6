//! `textDocument/codeAction`.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use crate::lsp::snapshot::Snapshot;

pub fn code_action(_snap: &Snapshot, _params: CodeActionParams) -> Result<Option<Vec<CodeActionResponse>>> {
    Ok(None)
}
