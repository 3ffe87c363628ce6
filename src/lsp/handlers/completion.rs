//! `textDocument/completion`.

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use crate::lsp::snapshot::Snapshot;

pub fn completion(_snap: &Snapshot, _params: CompletionParams) -> Result<Option<CompletionResponse>> {
    Ok(None)
}
