//! The language server: `twin lsp` speaks LSP over stdio on the same core as `twin check`.

/// Runs the language server on stdin/stdout until the client exits; returns the exit code.
pub fn run() -> u8 {
    eprintln!("twin lsp: not implemented yet");
    2
}
