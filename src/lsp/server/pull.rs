//! Pull diagnostics: `textDocument/diagnostic` and `workspace/diagnostic` answer once the
//! first check is done and the worker has caught up with every event sent before them, so
//! an empty report always means "no problems", never "not computed yet".

use std::collections::HashSet;
use std::time::Duration;

use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};

use super::{Server, ready_limit};
use crate::lsp::state::{Ready, Shared};
use crate::lsp::{handlers, transport};

/// How long a `workspace/diagnostic` whose answer would be all "unchanged" is held for a
/// change before it answers anyway (clients pull again at once or after a pause).
const HOLD: Duration = Duration::from_secs(30);
/// Reports in one partial result once the load is over (the worker judges notes in
/// chunks of the same size).
const CHUNK: usize = 512;
/// How long a partial result may take to be written before the pull goes on anyway.
const WRITTEN_LIMIT: Duration = Duration::from_secs(5);

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

    /// Every closed note's report. With a `partialResultToken` (LSP 3.17 partial
    /// results), the reports go out in `$/progress` notifications: during the first load,
    /// each chunk of notes as soon as it is judged; after it, in chunks of [`CHUNK`]
    /// reports. The response then has no items, as the spec asks once partial results
    /// were sent; each note's report is sent once.
    pub(super) async fn pull_workspace(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReport> {
        let Some(token) = params.partial_result_params.partial_result_token.clone() else {
            return self.pull_whole(params, true).await;
        };
        // The mark before the load is followed: the answer reflects every event sent
        // before the pull, as without a token.
        let (mark, _) = self.pull_mark(None);
        let mut sent = HashSet::new();
        self.follow_load(&token, &params, &mut sent).await;
        // Holding an answer back is for a client that polls with nothing new to learn.
        let hold = sent.is_empty();
        let mut report = self.pull_after(mark, params, hold).await?;
        report.items.retain(|item| {
            !sent.contains(AsRef::<str>::as_ref(handlers::diagnostic::item_uri(item)))
        });
        if sent.is_empty() && report.items.len() <= CHUNK {
            return Ok(report);
        }
        for chunk in report.items.chunks(CHUNK) {
            self.send_partial(&token, chunk.to_vec()).await;
        }
        Ok(WorkspaceDiagnosticReport { items: Vec::new() })
    }

    /// While a first load runs, sends the reports of the notes it has judged as partial
    /// results; returns once every workspace is past its first check (or at the bound,
    /// where the final answer's own wait fails).
    async fn follow_load(
        &self,
        token: &ProgressToken,
        params: &WorkspaceDiagnosticParams,
        sent: &mut HashSet<String>,
    ) {
        let mut generation = self.shared.pull_generation.subscribe();
        let deadline = tokio::time::Instant::now() + ready_limit();
        let mut previous = None;
        let mut cursors = Vec::new();
        loop {
            let (loading, snap) = {
                let state = self.shared.lock();
                let loading = state
                    .workspaces
                    .iter()
                    .any(|w| w.ready < Ready::Diagnostics);
                // No sync: only the reports and the open notes are read.
                (loading, state.snapshot())
            };
            let previous =
                previous.get_or_insert_with(|| handlers::diagnostic::previous_ids(&snap, params));
            // At most one chunk of notes' reports, already converted: cheap enough here.
            let items = handlers::diagnostic::judged(&snap, previous, &mut cursors, sent);
            if !items.is_empty() {
                self.send_partial(token, items).await;
            }
            if !loading || tokio::time::Instant::now() >= deadline {
                return;
            }
            // A chunk judged, or the load over; the timeout covers a wake-up missed.
            let _ = tokio::time::timeout(Duration::from_millis(200), generation.changed()).await;
        }
    }

    /// One partial result, written before the response that follows it.
    async fn send_partial(
        &self,
        token: &ProgressToken,
        items: Vec<WorkspaceDocumentDiagnosticReport>,
    ) {
        let value = match serde_json::to_value(WorkspaceDiagnosticReportPartialResult { items }) {
            Ok(value) => value,
            Err(_) => return,
        };
        let count = transport::progress_sending();
        self.client
            .send_notification::<ProgressNotification>(ProgressParams::new(token.clone(), value))
            .await;
        transport::progress_written(count, WRITTEN_LIMIT).await;
    }

    /// The whole report without partial results.
    async fn pull_whole(
        &self,
        params: WorkspaceDiagnosticParams,
        hold: bool,
    ) -> Result<WorkspaceDiagnosticReport> {
        let (mark, _) = self.pull_mark(None);
        self.pull_after(mark, params, hold).await
    }

    /// The report once the worker has acted on `mark`; when `hold` and nothing changed
    /// for a client that has reports, held until something does (at most [`HOLD`]).
    async fn pull_after(
        &self,
        mark: u64,
        params: WorkspaceDiagnosticParams,
        hold: bool,
    ) -> Result<WorkspaceDiagnosticReport> {
        let mut generation = self.shared.pull_generation.subscribe();
        let (report, changed) = self
            .run_after(
                caught_up(mark),
                params.clone(),
                handlers::diagnostic::workspace,
            )
            .await?;
        // Nothing new for a client that has reports: wait for a change rather than have
        // it poll an answer of unchanged reports every few seconds.
        if !hold || changed || params.previous_result_ids.is_empty() {
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
