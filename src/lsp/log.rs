//! Logging: to stderr and, through the client, to `window/logMessage`. Never stdout.

use std::io::Write;

use super::Outgoing;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// Writes one line to stderr; stdout belongs to the protocol.
pub fn stderr(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "twin lsp: {message}");
}

/// Logs to stderr and to the client's log.
pub fn send(out: &tokio::sync::mpsc::UnboundedSender<Outgoing>, level: Level, message: String) {
    stderr(&message);
    let _ = out.send(Outgoing::Log(level, message));
}
