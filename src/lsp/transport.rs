//! Stdio framing around tower-lsp: malformed messages are answered here.
//!
//! tower-lsp's reader stops for good at the first body it cannot decode, which would
//! let one bad message kill the server. So stdin passes through a filter that answers
//! invalid JSON (-32700) and invalid messages (-32600) itself, and stdout through a
//! single writer that interleaves those answers between whole frames.

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

/// One framed message body, or `None` at the end of the stream.
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
    // Read what arrives instead of allocating the announced length up front: a header
    // claiming petabytes must not abort the process.
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
    mut stdin: impl AsyncBufRead + Unpin,
    mut to_server: impl AsyncWrite + Unpin,
    errors: mpsc::UnboundedSender<Vec<u8>>,
) {
    while let Some(body) = read_frame(&mut stdin).await {
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

async fn write_output(
    mut from_server: impl AsyncBufRead + Unpin,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
    mut stdout: impl AsyncWrite + Unpin,
) {
    loop {
        let bytes = tokio::select! {
            body = read_frame(&mut from_server) => match body {
                Some(body) => frame(&body),
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
