//! A small LSP client for end-to-end tests: starts `twin lsp`, frames messages with
//! Content-Length headers, answers the server's own requests, and waits with timeouts
//! so a hung server fails the test instead of blocking it.
#![allow(dead_code)]

mod edits;
mod rng;

#[allow(unused_imports)]
pub use edits::*;
#[allow(unused_imports)]
pub use rng::Rng;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub notifications: VecDeque<Value>,
    /// Requests the server sent us, in order.
    pub server_requests: Vec<Value>,
    /// Responses that arrived while waiting for another one.
    responses: std::collections::HashMap<i64, Value>,
    /// Error responses to messages that had no usable id.
    pub null_id_responses: Vec<Value>,
    pub root: Option<PathBuf>,
    pub initialize_result: Value,
}

/// Client capabilities of a typical full-featured editor.
pub fn full_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": true},
        "workspace": {
            "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "configuration": true,
        },
        "textDocument": {
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "publishDiagnostics": {"relatedInformation": true},
        },
    })
}

/// The `code` of each published diagnostic, sorted.
pub fn codes(diagnostics: &Value) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

pub fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl Client {
    /// Starts the server and initializes it on `root` (no workspace folder when `None`).
    pub fn start(root: Option<&Path>, capabilities: Value, options: Value) -> Client {
        Client::start_with_env(root, capabilities, options, &[])
    }

    /// [`Client::start`] with extra environment variables for the server.
    pub fn start_with_env(
        root: Option<&Path>,
        capabilities: Value,
        options: Value,
        env: &[(&str, &str)],
    ) -> Client {
        // `TWIN_TEST_SERVER_WRAPPER="heaptrack -o /tmp/twin"` runs the server under a
        // profiler from its first allocation (attaching to a running server stalled it).
        // The process the client then measures (RSS, threads) is the wrapper's.
        let wrapper = std::env::var("TWIN_TEST_SERVER_WRAPPER").unwrap_or_default();
        let mut words = wrapper.split_whitespace();
        let mut command = match words.next() {
            Some(program) => {
                let mut command = Command::new(program);
                command.args(words).arg(env!("CARGO_BIN_EXE_twin"));
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_twin")),
        };
        let mut child = command
            .arg("lsp")
            .env("TWIN_LSP_TEST_HOOKS", "1")
            // The caches stay in the build folder, not the user's cache, unless the
            // test says where.
            .env(
                "TWIN_CACHE_DIR",
                std::env::var_os("TWIN_CACHE_DIR").unwrap_or_else(|| {
                    concat!(env!("CARGO_TARGET_TMPDIR"), "/search-cache").into()
                }),
            )
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TWIN_TEST_STDERR").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start twin lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            notifications: VecDeque::new(),
            server_requests: Vec::new(),
            responses: std::collections::HashMap::new(),
            null_id_responses: Vec::new(),
            root: root.map(Path::to_path_buf),
            initialize_result: Value::Null,
        };
        let folders = match root {
            Some(root) => json!([{"uri": file_uri(root), "name": "vault"}]),
            None => Value::Null,
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "workspaceFolders": folders,
                "initializationOptions": options,
            }),
        );
        client.initialize_result = result;
        client.notify("initialized", json!({}));
        client
    }

    /// Starts on a vault with full capabilities and waits until it is indexed.
    pub fn ready(root: &Path) -> Client {
        let mut client = Client::start(Some(root), full_capabilities(), json!({}));
        client.wait_indexed();
        client
    }

    pub fn uri(&self, rel: &str) -> String {
        file_uri(&self.root.as_ref().expect("a workspace root").join(rel))
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).expect("serialize");
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its whole response (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request and returns its result; panics on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params.clone());
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return response;
            }
            let message = self
                .next_message(deadline)
                .unwrap_or_else(|| panic!("no response to request {id} in {TIMEOUT:?}"));
            self.dispatch(message);
        }
    }

    /// Waits for a notification `method` that satisfies `accept`.
    pub fn wait_notification(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_notification(method, TIMEOUT, accept)
            .unwrap_or_else(|| panic!("no {method} notification in {TIMEOUT:?}"))
    }

    pub fn try_wait_notification(
        &mut self,
        method: &str,
        timeout: Duration,
        accept: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && accept(&n["params"]))
        {
            return self.notifications.remove(i).map(|n| n["params"].clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let message = self.next_message(deadline)?;
            if message["method"] == method
                && message.get("id").is_none()
                && accept(&message["params"])
            {
                return Some(message["params"].clone());
            }
            self.dispatch(message);
        }
    }

    /// Waits for diagnostics of `uri` that satisfy `accept`.
    pub fn diagnostics(&mut self, uri: &str, accept: impl Fn(&Value) -> bool) -> Value {
        let uri = uri.to_string();
        self.wait_notification("textDocument/publishDiagnostics", move |p| {
            p["uri"] == uri.as_str() && accept(&p["diagnostics"])
        })["diagnostics"]
            .clone()
    }

    /// Waits until the end of the indexing progress.
    pub fn wait_indexed(&mut self) {
        self.wait_notification("$/progress", |p| p["value"]["kind"] == "end");
    }

    /// Drops queued notifications.
    pub fn clear(&mut self) {
        while let Ok(message) = self.rx.try_recv() {
            self.dispatch(message);
        }
        self.notifications.clear();
    }

    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(message) => Some(message),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Queues a notification or answers a request from the server.
    fn dispatch(&mut self, message: Value) {
        if message.get("method").is_none() {
            match message["id"].as_i64() {
                Some(id) => {
                    self.responses.insert(id, message);
                }
                None => self.null_id_responses.push(message),
            }
            return;
        }
        if let Some(id) = message.get("id").cloned() {
            let result = match message["method"].as_str() {
                Some("workspace/configuration") => json!([null]),
                Some("workspace/applyEdit") => json!({"applied": false}),
                _ => Value::Null,
            };
            self.server_requests.push(message);
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        } else {
            self.notifications.push_back(message);
        }
    }

    /// Opens a document with its text from disk (or `text`).
    pub fn open(&mut self, rel: &str, text: Option<&str>) -> String {
        let uri = self.uri(rel);
        let text = match text {
            Some(t) => t.to_string(),
            None => std::fs::read_to_string(self.root.as_ref().unwrap().join(rel))
                .expect("read fixture"),
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        uri
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let response = self.request_raw("shutdown", Value::Null);
        assert!(
            response.get("error").is_none(),
            "shutdown failed: {response}"
        );
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> ExitStatus {
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Replaces the vault's URI and path with `[VAULT]` everywhere in `value`.
pub fn redact(value: &Value, root: &Path) -> Value {
    let uri = file_uri(root);
    let path = root.to_string_lossy().to_string();
    match value {
        Value::String(s) => Value::String(s.replace(&uri, "[VAULT]").replace(&path, "[VAULT]")),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact(v, root)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.replace(&uri, "[VAULT]"), redact(v, root)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A copy of a fixture vault in a temporary folder.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/lsp")
        .join(name);
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = dst.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The position (UTF-16) of the first occurrence of `needle` in `text`, plus `delta` chars.
pub fn pos_of(text: &str, needle: &str, delta: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[line_start..at].encode_utf16().count()
        + text[at..]
            .chars()
            .take(delta)
            .map(char::len_utf16)
            .sum::<usize>();
    json!({"line": line, "character": col})
}

impl Client {
    /// Sends a framed body as is, valid JSON or not.
    pub fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write to server");
        stdin.flush().expect("flush");
    }
}

impl Client {
    /// A fresh document version for the next didChange (all documents share one counter).
    pub fn next_version(&mut self) -> i64 {
        self.next_id += 1;
        1000 + self.next_id
    }
}

impl Client {
    /// The server's peak resident set size in KiB (Linux).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Client {
    /// Waits until `n` responses without a usable id have arrived.
    pub fn wait_null_id_responses(&mut self, n: usize) {
        let deadline = Instant::now() + TIMEOUT;
        while self.null_id_responses.len() < n {
            let message = self.next_message(deadline).unwrap_or_else(|| {
                panic!("only {} null-id responses", self.null_id_responses.len())
            });
            self.dispatch(message);
        }
    }
}

impl Client {
    /// The server's CPU time (user + system) so far (Linux).
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        // Clock ticks are 1/100 s on Linux.
        Some(Duration::from_millis(ticks * 10))
    }
}

impl Client {
    /// The server's current resident set size in KiB (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// The server's thread count (Linux).
    pub fn threads(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("Threads:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Waits for the response to request `id`, at most `timeout`.
    pub fn try_response(&mut self, id: i64, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return Some(response);
            }
            let message = self.next_message(deadline)?;
            self.dispatch(message);
        }
    }
}

impl Client {
    /// Writes bytes to the server's stdin as they are (headers included).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }
}
