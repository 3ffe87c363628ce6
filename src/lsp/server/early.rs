//! `textDocument/definition` during the first load: answered as soon as the names are
//! indexed ([`Ready::Names`]) when the note it is asked from is open with its text on disk,
//! its own links resolved on the spot; otherwise once every link is resolved, as every
//! other navigation request.

use std::panic::AssertUnwindSafe;

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::Result;

use super::{Server, not_ready, ready_limit};
use crate::lsp::handlers;
use crate::lsp::state::Ready;

impl Server {
    pub(super) async fn definition_staged(
        &self,
        params: DefinitionParams,
    ) -> Result<Option<DefinitionResponse>> {
        let shared = self.shared.clone();
        let asked = params.clone();
        let early = tokio::task::spawn_blocking(move || {
            if !shared.wait_ready(Ready::Names, ready_limit()) {
                return Some(Err(not_ready()));
            }
            let uri = &asked.text_document_position_params.text_document.uri;
            let snapshot = shared.early_snapshot(uri)?;
            // A panic here leaves the request to the resolved model, which reports it.
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                handlers::definition::early(&snapshot, asked)
            }))
            .ok()
            .flatten()
            .map(Ok)
        })
        .await
        .ok()
        .flatten();
        match early {
            Some(answer) => answer,
            None => self.run(params, handlers::definition::definition).await,
        }
    }
}
