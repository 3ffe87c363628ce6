//! Pull diagnostics: `textDocument/diagnostic` and `workspace/diagnostic` answer once the
//! first check is done and the worker has caught up with every event sent before them, so
//! an empty report always means "no problems", never "not computed yet".

use std::time::Duration;

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};

use super::{Server, ready_limit};
use crate::lsp::handlers;
use crate::lsp::state::{Ready, Shared};

/// How long a `workspace/diagnostic` whose answer would be all "unchanged" is held for a
/// change before it answers anyway (clients pull again at once or after a pause).
const HOLD: Duration = Duration::from_secs(30);

impl Server {
    pub(super) async fn pull_document(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReport> {
        let uri = params.text_document.uri.as_ref().to_string();
        let (mark, version) = self.pull_mark(Some(&uri));
        let answer = self
            .run_after(caught_up(mark), params, handlers::diagnostic::document)
            .await;
        if answer.is_ok()
            && let Some(version) = version
        {
            self.shared.lock().pulled_versions.insert(uri, version);
        }
        answer
    }

    pub(super) async fn pull_workspace(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReport> {
        let mut generation = self.shared.pull_generation.subscribe();
        let (mark, _) = self.pull_mark(None);
        let (report, changed) = self
            .run_after(
                caught_up(mark),
                params.clone(),
                handlers::diagnostic::workspace,
            )
            .await?;
        // Nothing new for a client that has reports: wait for a change rather than have
        // it poll an answer of unchanged reports every few seconds.
        if changed || params.previous_result_ids.is_empty() {
            return Ok(report);
        }
        if !matches!(
            tokio::time::timeout(HOLD, generation.changed()).await,
            Ok(Ok(()))
        ) {
            return Ok(report);
        }
        let (mark, _) = self.pull_mark(None);
        let (report, _) = self
            .run_after(caught_up(mark), params, handlers::diagnostic::workspace)
            .await?;
        Ok(report)
    }

    /// The last mark sent to the worker, and the version of `uri` when it is open.
    fn pull_mark(&self, uri: Option<&str>) -> (u64, Option<i32>) {
        let state = self.shared.lock();
        let mark = self
            .shared
            .marks_sent
            .load(std::sync::atomic::Ordering::SeqCst);
        (mark, uri.and_then(|u| state.docs.get(u)).map(|d| d.version))
    }
}

/// Waits for the diagnostics stage of the load, then for the worker to act on `mark`.
fn caught_up(mark: u64) -> impl FnOnce(&Shared) -> Option<Error> + Send + 'static {
    move |shared: &Shared| {
        let ok = shared.wait_ready(Ready::Diagnostics, ready_limit())
            && shared.wait_caught_up(mark, ready_limit());
        (!ok).then(cancelled)
    }
}

/// Past the bound: the client is asked to pull again (`DiagnosticServerCancellationData`).
fn cancelled() -> Error {
    Error {
        // ServerCancelled (LSP 3.17), which the error codes here do not name.
        code: ErrorCode::ServerError(-32802),
        message: "twin: the vault is still loading; pull again".into(),
        data: Some(serde_json::json!({"retriggerRequest": true})),
    }
}
