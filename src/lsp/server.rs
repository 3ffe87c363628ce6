//! The protocol layer: a thin `LanguageServer` that routes to `state` and `handlers`.
//!
//! Notifications change state synchronously, before any `.await`, so edits apply in
//! the order they arrived even though tower-lsp runs handlers concurrently. Requests
//! run on a snapshot in a blocking thread; a panic becomes an error response.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ropey::Rope;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::{Client, LanguageServer};

use super::convert::{self, from_proto};
use super::diagnostics::{self, Event};
use super::files::{FileChange, FileChangeKind};
use super::handlers;
use super::recorder::Recorder;
use super::snapshot::Snapshot;
use super::state::{Ready, Shared, Workspace};
use super::{Outgoing, capabilities, log, transport, watch};

mod custom;
mod early;
mod folders;
mod pull;

pub struct Server {
    client: Client,
    shared: Arc<Shared>,
    events: std::sync::mpsc::Sender<Event>,
    out: tokio::sync::mpsc::UnboundedSender<Outgoing>,
    /// Our own file watchers (one per workspace folder), when the client cannot watch for us.
    watchers: Mutex<Vec<(PathBuf, watch::Watcher)>>,
    /// Records the history on save and carries it across renames.
    recorder: Recorder,
}

impl Server {
    pub fn new(client: Client) -> Server {
        let shared = Arc::new(Shared::default());
        let (out, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(send_loop(client.clone(), rx, shared.clone()));
        let events = diagnostics::spawn(shared.clone(), out.clone());
        let recorder = Recorder::spawn(shared.clone(), events.clone(), out.clone());
        Server {
            client,
            shared,
            events,
            out,
            watchers: Mutex::new(Vec::new()),
            recorder,
        }
    }

    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    /// Hands an event to the worker, with a mark behind it that pulls can wait for.
    fn notify(&self, event: Event) {
        let seq = self
            .shared
            .marks_sent
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let _ = self.events.send(event);
        let _ = self.events.send(Event::Mark(seq));
    }

    fn warn(&self, message: String) {
        log::send(&self.out, log::Level::Warning, message);
    }

    /// Runs a request handler on a fresh snapshot in a blocking thread, once the links
    /// are resolved. A panic in the handler becomes an internal-error response and the
    /// server keeps serving.
    async fn run<P, R>(&self, params: P, handler: fn(&Snapshot, P) -> Result<R>) -> Result<R>
    where
        P: Send + 'static,
        R: Send + 'static,
    {
        self.run_when(Ready::Links, params, handler).await
    }

    /// [`Server::run`] once every workspace's load has reached `need`. Past a bound it
    /// answers `ContentModified`, which clients drop or retry, rather than an empty
    /// answer that would mean "nothing there".
    async fn run_when<P, R>(
        &self,
        need: Ready,
        params: P,
        handler: fn(&Snapshot, P) -> Result<R>,
    ) -> Result<R>
    where
        P: Send + 'static,
        R: Send + 'static,
    {
        let wait = move |shared: &Shared| (!shared.wait_ready(need, ready_limit())).then(not_ready);
        self.run_after(wait, params, handler).await
    }

    /// [`Server::run`] once `wait` (run on the blocking thread) returns no error.
    async fn run_after<P, R>(
        &self,
        wait: impl FnOnce(&Shared) -> Option<Error> + Send + 'static,
        params: P,
        handler: fn(&Snapshot, P) -> Result<R>,
    ) -> Result<R>
    where
        P: Send + 'static,
        R: Send + 'static,
    {
        let shared = self.shared.clone();
        // Set when the request's future is dropped (cancelled): a request still queued
        // for a thread then does not take a snapshot for nobody.
        let dropped = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _guard = SetOnDrop(dropped.clone());
        let task = tokio::task::spawn_blocking(move || {
            if dropped.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(Err(Error::request_cancelled()));
            }
            if let Some(error) = wait(&shared) {
                return Ok(Err(error));
            }
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                let snapshot = shared.snapshot();
                handler(&snapshot, params)
            }))
        });
        match task.await {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => {
                let message = panic_message(&panic);
                log::send(
                    &self.out,
                    log::Level::Error,
                    format!("request failed: {message}"),
                );
                Err(Error {
                    code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                    message: format!("twin: internal error: {message}").into(),
                    data: None,
                })
            }
            Err(err) => Err(Error::internal_error().with_message(err.to_string())),
        }
    }

    /// `twin/documentText`: the server's text of an open document (used by tests to
    /// check that edits were applied in order).
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<Value>> {
        let state = self.shared.lock();
        Ok(state
            .docs
            .get(params.text_document.uri.as_ref())
            .map(|doc| json!({"text": doc.rope.to_string(), "version": doc.version})))
    }
}

impl Server {
    /// `twin/debugPanic`: panics inside a request handler, to test that the server
    /// survives it. Only answered when `TWIN_LSP_TEST_HOOKS` is set.
    pub async fn debug_panic(&self, _: Value) -> Result<Value> {
        if std::env::var_os("TWIN_LSP_TEST_HOOKS").is_none() {
            return Err(Error::method_not_found());
        }
        self.run((), |_, ()| panic!("debug panic requested")).await
    }
}

/// Sets its flag when dropped.
struct SetOnDrop(Arc<std::sync::atomic::AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

trait WithMessage {
    fn with_message(self, message: String) -> Self;
}

impl WithMessage for Error {
    fn with_message(mut self, message: String) -> Self {
        self.message = message.into();
        self
    }
}

/// How long a request waits for the stage of the load it needs:
/// `TWIN_LSP_READY_TIMEOUT_MS`, 10 s by default.
fn ready_limit() -> std::time::Duration {
    let ms = std::env::var("TWIN_LSP_READY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    std::time::Duration::from_millis(ms)
}

/// The answer to a request that waited too long for the load: retry later.
fn not_ready() -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ContentModified,
        message: "twin: the vault is still loading; try again".into(),
        data: Some(json!({"retriggerRequest": true})),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Sends everything the server says on its own, in order.
async fn send_loop(
    client: Client,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<Outgoing>,
    shared: Arc<Shared>,
) {
    let mut tokens: Vec<ProgressToken> = Vec::new();
    while let Some(message) = rx.recv().await {
        match message {
            Outgoing::Publish(uri, diagnostics, version) => {
                client.publish_diagnostics(uri, diagnostics, version).await;
                // Saturating: other senders (rule files) do not count theirs.
                let _ = shared.unsent_publishes.fetch_update(
                    std::sync::atomic::Ordering::Relaxed,
                    std::sync::atomic::Ordering::Relaxed,
                    |n| n.checked_sub(1),
                );
            }
            Outgoing::Log(level, text) => {
                let kind = match level {
                    log::Level::Error => MessageType::Error,
                    log::Level::Warning => MessageType::Warning,
                    log::Level::Info => MessageType::Info,
                };
                client.log_message(kind, text).await;
            }
            Outgoing::ProgressCreate(token) => {
                if !shared.lock().caps.work_done_progress {
                    continue;
                }
                let created = tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    client.create_work_done_progress(token.clone()),
                )
                .await;
                if matches!(created, Ok(Ok(()))) {
                    tokens.push(token);
                }
            }
            Outgoing::RefreshDiagnostics => {
                // A request: answered on its own task, so nothing else waits for it.
                let client = client.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        std::time::Duration::from_secs(10),
                        client.workspace_diagnostic_refresh(),
                    )
                    .await;
                });
            }
            Outgoing::Progress(token, value) => {
                if tokens.contains(&token) {
                    transport::progress_sending();
                    client
                        .send_notification::<ProgressNotification>(ProgressParams::new(
                            token, value,
                        ))
                        .await;
                }
            }
        }
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = convert::negotiate_encoding(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let mut roots: Vec<PathBuf> = params
            .workspace_folders_initialize_params
            .workspace_folders
            .iter()
            .flat_map(|f| match f {
                WorkspaceFolders::WorkspaceFolderList(list) => list.as_slice(),
                WorkspaceFolders::Null => &[],
            })
            .filter_map(|f| from_proto::file_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(from_proto::file_path)
        {
            roots.push(root);
        }
        // Canonicalizing the roots touches the disk: not on the async runtime.
        let workspaces = tokio::task::spawn_blocking(move || {
            roots
                .into_iter()
                .map(|r| Workspace::new(r, true))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let caps = Arc::new(capabilities::client(&params.capabilities));
        {
            let mut state = self.shared.lock();
            state.encoding = encoding;
            state.caps = caps.clone();
            if let Some(options) = &params.initialization_options {
                state.settings.update(options);
            }
            state.single_file = workspaces.is_empty();
            state.workspaces = workspaces;
        }
        Ok(InitializeResult {
            capabilities: capabilities::server(encoding, &caps),
            server_info: Some(ServerInfo {
                name: "twin".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.notify(Event::Load);
        let (dynamic, roots) = {
            let state = self.shared.lock();
            let roots: Vec<PathBuf> = state
                .workspaces
                .iter()
                .map(|w| w.root().to_path_buf())
                .collect();
            (state.caps.watched_files_dynamic, roots)
        };
        if dynamic {
            let registration = Registration {
                id: "twin-watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: Some(json!({"watchers": [{"globPattern": "**/*"}]})),
            };
            // Not awaited here: a client that never answers must not hold up shutdown.
            let client = self.client.clone();
            let out = self.out.clone();
            tokio::spawn(async move {
                let answer = tokio::time::timeout(
                    std::time::Duration::from_secs(10),
                    client.register_capability(vec![registration]),
                )
                .await;
                if !matches!(answer, Ok(Ok(()))) {
                    log::send(
                        &out,
                        log::Level::Warning,
                        "the client did not register file watching".into(),
                    );
                }
            });
        } else {
            self.watch(roots).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        let lives: Vec<_> = {
            let mut state = self.shared.lock();
            state.shutdown_requested = true;
            state.workspaces.iter().map(|w| w.live.clone()).collect()
        };
        // The search index commits what it has pending, off the runtime.
        let _ = tokio::task::spawn_blocking(move || lives.iter().for_each(|l| l.flush())).await;
        self.notify(Event::Shutdown);
        self.watchers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.shared
            .lock()
            .docs
            .open(doc.uri.as_ref().to_string(), &doc.text, doc.version);
        self.notify(Event::Edited);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let id = params.text_document;
        let uri = id.text_document_identifier.uri;
        // Applied under the lock, before any await: edits keep their arrival order.
        let result = {
            let mut state = self.shared.lock();
            let encoding = state.encoding;
            state.docs.for_edit(uri.as_ref(), id.version).map(|doc| {
                for change in params.content_changes {
                    match change {
                        TextDocumentContentChangeEvent::TextDocumentContentChangePartial(p) => {
                            let start = from_proto::rope_char(&doc.rope, p.range.start, encoding);
                            let end = from_proto::rope_char(&doc.rope, p.range.end, encoding);
                            doc.replace(start, end, &p.text);
                        }
                        TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(
                            w,
                        ) => {
                            doc.rope = Rope::from_str(&w.text);
                        }
                    }
                }
                doc.version = id.version;
                doc.synced = false;
            })
        };
        match result {
            Ok(()) => self.notify(Event::Edited),
            Err(err) => self.warn(format!("ignored a change to {}: {err}", uri.as_ref())),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.shared.lock();
            state.docs.close(uri.as_ref());
            state.pulled_versions.remove(uri.as_ref() as &str);
        }
        if let Some(path) = from_proto::file_path(&uri) {
            self.notify(Event::Closed(path));
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if let Some(path) = from_proto::file_path(&params.text_document.uri) {
            self.recorder.saved(path);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (hints_turned, refresh) = {
            let mut state = self.shared.lock();
            let before = state.settings.inlay_hints;
            state.settings.update(&params.settings);
            (
                before != state.settings.inlay_hints,
                state.caps.inlay_hint_refresh,
            )
        };
        self.notify(Event::Settings);
        if hints_turned && refresh {
            // The editor asks again, and drops or shows the hints; not awaited, so a
            // client that never answers holds nothing up.
            let client = self.client.clone();
            tokio::spawn(async move { client.inlay_hint_refresh().await });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changes = params
            .changes
            .iter()
            .filter_map(|event| {
                let path = from_proto::file_path(&event.uri)?;
                let kind = match event.kind {
                    FileChangeType::Created => FileChangeKind::Created,
                    FileChangeType::Deleted => FileChangeKind::Deleted,
                    _ => FileChangeKind::Changed,
                };
                Some(FileChange { path, kind })
            })
            .collect();
        self.recorder.files_changed();
        self.notify(Event::Files(changes));
    }

    async fn did_rename_files(&self, params: RenameFilesParams) {
        let renamed: Vec<(PathBuf, PathBuf)> = params
            .files
            .iter()
            .filter_map(|f| {
                Some((
                    from_proto::file_path(&f.old_uri)?,
                    from_proto::file_path(&f.new_uri)?,
                ))
            })
            .collect();
        self.recorder.renamed(renamed);
        let mut changes = Vec::new();
        for file in &params.files {
            if let Some(path) = from_proto::file_path(&file.old_uri) {
                changes.push(FileChange {
                    path,
                    kind: FileChangeKind::Deleted,
                });
            }
            if let Some(path) = from_proto::file_path(&file.new_uri) {
                changes.push(FileChange {
                    path,
                    kind: FileChangeKind::Created,
                });
            }
        }
        self.notify(Event::Files(changes));
    }

    async fn did_create_files(&self, params: CreateFilesParams) {
        let changes = params
            .files
            .iter()
            .filter_map(|f| from_proto::file_path(&f.uri))
            .map(|path| FileChange {
                path,
                kind: FileChangeKind::Created,
            })
            .collect();
        self.notify(Event::Files(changes));
    }

    async fn did_delete_files(&self, params: DeleteFilesParams) {
        let changes = params
            .files
            .iter()
            .filter_map(|f| from_proto::file_path(&f.uri))
            .map(|path| FileChange {
                path,
                kind: FileChangeKind::Deleted,
            })
            .collect();
        self.notify(Event::Files(changes));
    }

    async fn goto_definition(
        &self,
        params: DefinitionParams,
    ) -> Result<Option<DefinitionResponse>> {
        self.definition_staged(params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.run(params, handlers::references::references).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.run(params, handlers::extras::hover_all).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.run(params, handlers::completion::completion).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResult>> {
        self.run(params, handlers::rename::prepare_rename).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let edit = self.run(params, handlers::rename::rename).await;
        if let Ok(edit) = &edit {
            self.expect_renames(edit);
        }
        edit
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.run(params, handlers::rename::will_rename_files).await
    }

    async fn code_action(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<Vec<CodeActionResponse>>> {
        self.run(params, handlers::extras::code_action_all).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.run(params, handlers::symbols::document_symbol).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.run(params, handlers::search::workspace_symbol).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.run(params, handlers::extras::code_lens_all).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        self.execute(params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.shared.lock().settings.inlay_hints {
            return Ok(None);
        }
        self.run_when(Ready::Coherence, params, handlers::inlay_hint::inlay_hint)
            .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.run(params, handlers::document_link::document_link)
            .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.run(params, handlers::folding::folding_range).await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReport> {
        self.pull_document(params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReport> {
        self.pull_workspace(params).await
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        self.change_folders(params).await;
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokens>> {
        self.run(params, handlers::semantic_tokens::semantic_tokens_full)
            .await
    }
}
