//! The language server: `twin lsp` speaks LSP over stdio on the same core as `twin check`.
//!
//! Layout follows rust-analyzer and ruff: `server` is the thin protocol layer, `state`
//! owns everything mutable, requests read a `snapshot`, `convert` is the only place
//! spans become LSP positions, `handlers/` holds one file per request, and the
//! `diagnostics` worker keeps models current and publishes findings.

// Stdout carries the protocol; a stray print would corrupt it.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

mod capabilities;
mod commands;
mod convert;
mod diagnostics;
mod documents;
mod files;
mod handlers;
mod history_view;
mod live;
mod log;
mod memory;
mod moves;
mod pull;
mod recorder;
mod rule_files;
mod server;
mod snapshot;
mod state;
#[cfg(test)]
mod tests;
mod transport;
mod watch;

use tower_lsp_server::LspService;
use tower_lsp_server::gen_lsp_types::{Diagnostic, ProgressToken, Uri};
#[doc(hidden)]
pub use transport::filter_bytes;

/// A message for the client, sent in order by one task.
#[derive(Debug)]
pub enum Outgoing {
    Publish(Uri, Vec<Diagnostic>, Option<i32>),
    Log(log::Level, String),
    /// Asks the client for a progress token before reporting on it.
    ProgressCreate(ProgressToken),
    /// A `$/progress` value (begin, report or end).
    Progress(ProgressToken, serde_json::Value),
    /// `workspace/diagnostic/refresh`: the client pulls its diagnostics again.
    RefreshDiagnostics,
}

/// Threads that run requests at most (tokio's blocking pool; its default is 512).
///
/// Each request takes the state lock to bring the model up to date, then reads its
/// snapshot; more threads than cores do not answer sooner. Unbounded, a burst of
/// requests (cancelled ones keep running) left a dozen more threads alive for good, each
/// with its own allocator arena and word cache, and the server's memory grew with them
/// (RELIABILITY.md, issue 19 item 13). Requests past the bound wait in order.
fn request_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (2 * cores).clamp(4, 16)
}

/// Runs the language server on stdin/stdout until the client exits; returns the exit
/// code: 0 after `shutdown` then `exit`, 1 when the client went away without them.
pub fn run() -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(request_threads())
        .thread_name("twin-lsp")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            log::stderr(&format!("cannot start the async runtime: {err}"));
            return 2;
        }
    };
    let clean = runtime.block_on(async {
        let (service, socket) = LspService::build(server::Server::new)
            .custom_method("twin/documentText", server::Server::document_text)
            .custom_method("twin/debugPanic", server::Server::debug_panic)
            .custom_method("twin/search", server::Server::search)
            .custom_method("twin/unlinkedMentions", server::Server::unlinked_mentions)
            .custom_method("twin/history", server::Server::history)
            .custom_method("twin/coherence", server::Server::coherence)
            .finish();
        let shared = service.inner().shared();
        transport::serve(service, socket).await;
        shared.lock().shutdown_requested
    });
    // Requests still running on blocking threads are abandoned, not awaited.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if clean { 0 } else { 1 }
}
