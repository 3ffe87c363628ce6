//! Stdio framing around tower-lsp: malformed messages are answered here.
//!
//! tower-lsp's reader stops for good at the first body it cannot decode, which would
//! let one bad message kill the server. So stdin passes through a filter that answers
//! invalid JSON (-32700) and invalid messages (-32600) itself, and stdout through a
//! single writer that interleaves those answers between whole frames.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, LanguageServer, LspService, Server};

/// Buffer between the filters and tower-lsp.
const PIPE: usize = 1 << 16;

/// Serves `service` on stdin/stdout through the filters.
pub async fn serve<S: LanguageServer>(service: LspService<S>, socket: ClientSocket) {
    let (to_server, server_in) = tokio::io::duplex(PIPE);
    let (server_out, from_server) = tokio::io::duplex(PIPE);
    let (errors_tx, errors_rx) = mpsc::unbounded_channel();
    tokio::spawn(filter_input(
        BufReader::new(tokio::io::stdin()),
        to_server,
        errors_tx,
    ));
    let output = tokio::spawn(write_output(
        BufReader::new(from_server),
        errors_rx,
        tokio::io::stdout(),
    ));
    Server::new(server_in, server_out, socket)
        .serve(service)
        .await;
    // tower-lsp's end of the pipe is closed now; let the writer drain it.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), output).await;
}

/// The largest message accepted: a note may be up to `MAX_NOTE_BYTES` (64 MiB), and
/// JSON escaping can double it. A longer announced length ends the session.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;
/// How long a body may stall once what was read is a whole JSON value: a
/// `Content-Length` larger than the message must not leave the server waiting for
/// bytes that never come.
const STALL: std::time::Duration = std::time::Duration::from_millis(500);

/// What the reader found next on the stream.
enum Frame {
    Body(Vec<u8>),
    /// A framing error that cannot be recovered from: logged, then the session ends.
    Fatal(String),
    /// A framing error recovered from (logged): the reader is in step again.
    Resynced(String, Option<Vec<u8>>),
}

/// stdin with the bytes a misframed message read too far pushed back in front.
struct Input<R> {
    reader: R,
    pending: Vec<u8>,
}

impl<R: AsyncBufRead + Unpin> Input<R> {
    fn new(reader: R) -> Input<R> {
        Input {
            reader,
            pending: Vec::new(),
        }
    }

    /// One line with its `\n`, or what is left at the end of the stream.
    async fn read_line(&mut self) -> Option<Vec<u8>> {
        if let Some(i) = self.pending.iter().position(|&b| b == b'\n') {
            return Some(self.pending.drain(..=i).collect());
        }
        let mut line = std::mem::take(&mut self.pending);
        let read = self.reader.read_until(b'\n', &mut line).await.ok()?;
        (read > 0 || !line.is_empty()).then_some(line)
    }

    /// Up to `length` body bytes. When the stream stalls and what was read is already a
    /// whole JSON value, the announced length was too large: that value is returned.
    async fn read_body(&mut self, length: usize) -> Result<Vec<u8>, Vec<u8>> {
        let take = self.pending.len().min(length);
        let mut body: Vec<u8> = self.pending.drain(..take).collect();
        while body.len() < length {
            // `fill_buf` is cancel-safe: a stall loses no byte.
            let available = match tokio::time::timeout(STALL, self.reader.fill_buf()).await {
                Ok(Ok(available)) => available,
                Ok(Err(_)) => return Err(body),
                Err(_) if whole_json(&body).is_some() => return Err(body),
                // A slow client: keep waiting.
                Err(_) => continue,
            };
            if available.is_empty() {
                return Err(body);
            }
            let n = available.len().min(length - body.len());
            body.extend_from_slice(&available[..n]);
            self.reader.consume(n);
        }
        Ok(body)
    }

    /// The next frame, or `None` at the end of the stream.
    async fn next_frame(&mut self) -> Option<Frame> {
        let mut length: Option<Result<usize, String>> = None;
        let mut skipped = false;
        loop {
            let raw = self.read_line().await?;
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end();
            if line.is_empty() {
                if length.is_some() {
                    break;
                }
                continue;
            }
            // A header may follow junk on the same line (the end of a message whose
            // Content-Length was too small): take it from where it starts.
            let lower = line.to_ascii_lowercase();
            match lower.find("content-length:") {
                Some(at) => {
                    skipped |= at > 0;
                    let value = line[at + "content-length:".len()..].trim();
                    length = Some(match value.parse::<usize>() {
                        Ok(n) if n <= MAX_MESSAGE_BYTES => Ok(n),
                        Ok(n) => Err(format!(
                            "a message of {n} bytes is over the limit of {MAX_MESSAGE_BYTES} bytes"
                        )),
                        Err(_) => Err(format!("an invalid Content-Length `{value}`")),
                    });
                }
                None if line.contains(':') && !line.starts_with('{') => {}
                None => skipped = true,
            }
        }
        let length = match length? {
            Ok(length) => length,
            Err(why) => return Some(Frame::Fatal(why)),
        };
        let body = match self.read_body(length).await {
            Ok(body) => body,
            Err(partial) => {
                return match whole_json(&partial) {
                    Some(end) => {
                        let rest = partial[end..].to_vec();
                        self.pending.splice(0..0, rest);
                        Some(Frame::Resynced(
                            format!(
                                "a Content-Length of {length} is larger than its message ({end} bytes)"
                            ),
                            Some(partial[..end].to_vec()),
                        ))
                    }
                    None if partial.len() < length => None,
                    None => Some(Frame::Resynced("a torn message".into(), None)),
                };
            }
        };
        // A body that holds a whole message and the start of the next header was
        // framed too long: pass the message on and read the next header from there.
        if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err()
            && let Some(end) = whole_json(&body)
        {
            let rest = body[end..].to_vec();
            if rest
                .iter()
                .all(|b| b.is_ascii_whitespace() || b.is_ascii_graphic())
                && !rest.iter().all(u8::is_ascii_whitespace)
            {
                self.pending.splice(0..0, rest);
                return Some(Frame::Resynced(
                    format!(
                        "a Content-Length of {length} is larger than its message ({end} bytes)"
                    ),
                    Some(body[..end].to_vec()),
                ));
            }
        }
        if skipped {
            return Some(Frame::Resynced(
                "bytes outside any message were skipped (a Content-Length too small?)".into(),
                Some(body),
            ));
        }
        Some(Frame::Body(body))
    }
}

/// The end of the JSON value `bytes` start with, when there is a whole one.
fn whole_json(bytes: &[u8]) -> Option<usize> {
    let mut values =
        serde_json::Deserializer::from_slice(bytes).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => Some(values.byte_offset()),
        _ => None,
    }
}

/// One framed message body, or `None` at the end of the stream (for the output side,
/// which tower-lsp frames itself).
async fn read_frame(reader: &mut (impl AsyncBufRead + Unpin)) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length?;
    let mut body = Vec::new();
    reader
        .take(length as u64)
        .read_to_end(&mut body)
        .await
        .ok()?;
    (body.len() == length).then_some(body)
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The error response for a body tower-lsp would choke on, or `None` when it is fine.
fn reject(body: &[u8]) -> Option<Value> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) => return Some(error_response(Value::Null, -32700, "Parse error")),
    };
    let is_request = value.get("method").is_some_and(Value::is_string)
        && serde_json::from_value::<Request>(value.clone()).is_ok();
    let is_response = value.get("method").is_none()
        && (value.get("result").is_some() != value.get("error").is_some())
        && serde_json::from_value::<Response>(value.clone()).is_ok();
    let is_message = is_request || is_response;
    // Every `$/` method is a notification; the spec lets a server ignore those, but a
    // request must be answered, so an unknown `$/` request gets MethodNotFound.
    if is_request
        && let Some(id @ (Value::Number(_) | Value::String(_))) = value.get("id")
        && value["method"]
            .as_str()
            .is_some_and(|m| m.starts_with("$/"))
    {
        return Some(error_response(id.clone(), -32601, "Method not found"));
    }
    if is_message {
        return None;
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    Some(error_response(id, -32600, "Invalid request"))
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

async fn filter_input(
    stdin: impl AsyncBufRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    errors: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut input = Input::new(stdin);
    let log = |level: u8, message: String| {
        crate::lsp::log::stderr(&message);
        let note = json!({"jsonrpc": "2.0", "method": "window/logMessage",
            "params": {"type": level, "message": format!("twin: {message}")}});
        let _ = errors.send(frame(note.to_string().as_bytes()));
    };
    while let Some(next) = input.next_frame().await {
        let body = match next {
            Frame::Body(body) => body,
            Frame::Resynced(why, body) => {
                log(
                    2,
                    format!("framing error: {why}; reading on from the next header"),
                );
                match body {
                    Some(body) => body,
                    None => continue,
                }
            }
            Frame::Fatal(why) => {
                // Past a length that cannot be honoured, nothing on the stream can be
                // trusted: end the session so that the editor starts a new server.
                log(1, format!("framing error: {why}; the server stops"));
                break;
            }
        };
        let (body, warning) = sanitize(body);
        if let Some(warning) = warning {
            log(2, warning);
        }
        match reject(&body) {
            None => {
                if to_server.write_all(&frame(&body)).await.is_err() {
                    break;
                }
            }
            Some(error) => {
                let _ = errors.send(frame(error.to_string().as_bytes()));
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// Repairs what tower-lsp would misread: a `didChange` position that is not a `u32`
/// fails to parse as a range, and the change is then read as a whole-document one, so
/// its text would replace the document. Positions past `u32` clamp to the end (the
/// spec's rule for positions past the end); a change with a negative or fractional
/// position is dropped and logged.
fn sanitize(body: Vec<u8>) -> (Vec<u8>, Option<String>) {
    if !body.windows(10).any(|w| w == b"didChange\"") {
        return (body, None);
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
        return (body, None);
    };
    if value.get("method").and_then(Value::as_str) != Some("textDocument/didChange") {
        return (body, None);
    }
    let Some(changes) = value
        .pointer_mut("/params/contentChanges")
        .and_then(Value::as_array_mut)
    else {
        return (body, None);
    };
    let mut clamped = 0;
    let before = changes.len();
    changes.retain_mut(|change| {
        let Some(range) = change.get_mut("range").filter(|r| !r.is_null()) else {
            return true;
        };
        for end in ["start", "end"] {
            for key in ["line", "character"] {
                let Some(n) = range.get_mut(end).and_then(|p| p.get_mut(key)) else {
                    return false;
                };
                match n.as_u64() {
                    Some(v) if v <= u64::from(u32::MAX) => {}
                    Some(_) => {
                        *n = Value::from(u32::MAX);
                        clamped += 1;
                    }
                    None => return false,
                }
            }
        }
        true
    });
    let dropped = before - changes.len();
    if clamped == 0 && dropped == 0 {
        return (body, None);
    }
    let warning = format!(
        "didChange: {clamped} position(s) past the largest line or column clamped to the end, \
         {dropped} change(s) with a negative or invalid position ignored"
    );
    (value.to_string().into_bytes(), Some(warning))
}

/// `$/progress` notifications handed to tower-lsp, and those written to stdout. tower-lsp
/// writes its notifications and its responses from two queues in no set order; a
/// response that must follow its partial results (`server/pull.rs`) waits until they
/// are written.
static PROGRESS_SENT: AtomicU64 = AtomicU64::new(0);
static PROGRESS_WRITTEN: AtomicU64 = AtomicU64::new(0);
/// How every `$/progress` notification tower-lsp writes begins (its field order).
const PROGRESS_PREFIX: &[u8] = br#"{"jsonrpc":"2.0","method":"$/progress","#;

/// Counts a `$/progress` notification about to be handed to tower-lsp; returns the count.
pub fn progress_sending() -> u64 {
    PROGRESS_SENT.fetch_add(1, Ordering::SeqCst) + 1
}

/// Waits until `count` `$/progress` notifications are written, at most `limit`.
pub async fn progress_written(count: u64, limit: std::time::Duration) {
    let deadline = tokio::time::Instant::now() + limit;
    while PROGRESS_WRITTEN.load(Ordering::SeqCst) < count && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
}

async fn write_output(
    mut from_server: impl AsyncBufRead + Unpin,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
    mut stdout: impl AsyncWrite + Unpin,
) {
    loop {
        let bytes = tokio::select! {
            body = read_frame(&mut from_server) => match body {
                Some(body) => {
                    if body.starts_with(PROGRESS_PREFIX) {
                        PROGRESS_WRITTEN.fetch_add(1, Ordering::SeqCst);
                    }
                    frame(&body)
                }
                None => break,
            },
            Some(error) = errors.recv() => error,
        };
        if stdout.write_all(&bytes).await.is_err() || stdout.flush().await.is_err() {
            break;
        }
    }
    let _ = stdout.flush().await;
}

/// Runs the stdin filter over `input` as if it arrived on stdin, and returns the bytes it
/// passes on to tower-lsp and the error answers it writes itself. For the fuzzer
/// (`fuzz/fuzz_targets/lsp_decoder.rs`) and the reliability tests.
#[doc(hidden)]
pub fn filter_bytes(input: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime needs no OS resources");
    runtime.block_on(async {
        let (to_server, mut server_in) = tokio::io::duplex(PIPE);
        let (errors_tx, mut errors_rx) = mpsc::unbounded_channel();
        let filter = filter_input(BufReader::new(input), to_server, errors_tx);
        let mut passed = Vec::new();
        let (_, read) = tokio::join!(filter, server_in.read_to_end(&mut passed));
        read.expect("reading a duplex pipe cannot fail");
        let mut errors = Vec::new();
        while let Ok(error) = errors_rx.try_recv() {
            errors.push(error);
        }
        (passed, errors)
    })
}
