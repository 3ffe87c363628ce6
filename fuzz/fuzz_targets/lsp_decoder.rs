//! Fuzz target: arbitrary bytes on the language server's stdin, through the filter in
//! front of tower-lsp. It never panics or hangs; what it passes on is whole frames of
//! messages tower-lsp can decode; what it answers itself is framed JSON-RPC errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (passed, errors) = twin::lsp::filter_bytes(data);
    for body in frames(&passed) {
        let value: Value = serde_json::from_slice(body).expect("passed-on frames are JSON");
        assert!(value.is_object(), "passed on a non-object: {value}");
    }
    for error in &errors {
        let bodies = frames(error);
        assert_eq!(bodies.len(), 1, "one frame per error");
        let value: Value = serde_json::from_slice(bodies[0]).expect("errors are JSON");
        assert_eq!(value["jsonrpc"], "2.0");
        assert!(value["error"]["code"].is_i64());
    }
});

/// Splits `Content-Length` frames as a client would; panics on a torn frame.
fn frames(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let header_end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let header = std::str::from_utf8(&bytes[..header_end]).expect("ASCII header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .expect("Content-Length")
            .parse()
            .expect("a length");
        let body = &bytes[header_end + 4..header_end + 4 + length];
        out.push(body);
        bytes = &bytes[header_end + 4 + length..];
    }
    out
}
