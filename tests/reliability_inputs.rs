//! The fuzz targets' properties as proptests in the normal suite, and the real `twin
//! lsp` fed random bytes on stdin. The fuzz targets (`fuzz/`, see RELIABILITY.md) run
//! the same checks for hours; inputs they ever find go in `regressions()` below.

mod lsp_support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use lsp_support::Client;
use proptest::prelude::*;
use serde_json::{Value, json};
use twin::note::parse_note;
use twin::text::{ColumnEncoding, LineCol, LineIndex};

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
        out.push(&bytes[header_end + 4..header_end + 4 + length]);
        bytes = &bytes[header_end + 4 + length..];
    }
    out
}

/// What the `lsp_decoder` fuzz target checks.
fn decoder_holds(input: &[u8]) {
    let (passed, errors) = twin::lsp::filter_bytes(input);
    for body in frames(&passed) {
        let value: Value = serde_json::from_slice(body).expect("passed-on frames are JSON");
        assert!(value.is_object());
    }
    for error in &errors {
        let bodies = frames(error);
        assert_eq!(bodies.len(), 1);
        let value: Value = serde_json::from_slice(bodies[0]).expect("errors are JSON");
        // An error answer, or a framing error the filter logs to the client.
        assert!(value["error"]["code"].is_i64() || value["method"] == "window/logMessage");
    }
}

/// What the `note_parser` fuzz target checks (a subset: spans inside the text).
fn parser_holds(text: &str) {
    let note = parse_note("n.md".into(), text.into());
    let ok = |s: u32, e: u32| {
        let (s, e) = (s as usize, e as usize);
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    for l in &note.links {
        assert!(ok(l.span.start, l.span.end) && ok(l.target_span.start, l.target_span.end));
    }
    for h in &note.headings {
        assert!(ok(h.span.start, h.span.end) && ok(h.text_span.start, h.text_span.end));
    }
    for t in &note.tags {
        assert!(ok(t.span.start, t.span.end));
    }
    for p in &note.problems {
        assert!(ok(p.span.start, p.span.end));
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Inputs worth keeping: headers without bodies, lengths past the end, bodies that are
/// JSON but not messages, and notes that stress the scanners.
#[test]
fn regressions() {
    for input in [
        &b""[..],
        b"Content-Length: 99999999999999999999\r\n\r\n",
        b"Content-Length: 5\r\n\r\n{}",
        b"content-length:2\r\n\r\n[]Content-Length: 4\r\n\r\nnull",
        b"\r\n\r\n\r\nContent-Length: 2\r\n\r\n{}",
        b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}}",
        b"Content-Length: 46\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}xxxxxxx",
        b"Content-Length: 37\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,}",
        b"Content-Length: \xff\r\n\r\n",
        // Found by the lsp_decoder fuzz target: the filter allocated the announced
        // length up front, and a failed allocation aborts the process.
        b"Content-Length: 3111111111111118\r\n\t\r\n\r\r\n\r\n{ jsonrpc\":\"2.0\",\"ad\xff\xff\xff\xff",
    ] {
        decoder_holds(input);
    }
    for text in [
        "---\n---\n",
        "\u{feff}---\na: [[x\n---\n[[",
        "[[#]] [[^]] [[|]] [[#^]] ![[]] [](<>) [a](#) [^] [^]: ",
        "# \u{0} %% [[a]] %%%% `[[b]]` $$ [[c]] $$ <!-- [[d]] -->",
        "\r\n\r\n[[a\r\nb]] #tag\r",
        "- [ ] ^id\n> [!note] ^q\n>> ^x",
        // Found by the note_parser fuzz target: a reference link whose definition comes
        // later has its target span there, outside the link (the target's real place).
        "[ ^1 ] and [ ^1 ]\n\n[ ^1 ]: etition]]\n",
    ] {
        parser_holds(text);
    }
    // A `\r` at the very end is text, not half a terminator: the offset after it
    // round-trips (it mapped to the offset before it, so an edit there went astray).
    for text in ["\r", "a\r", "a\r\nb\r", "\r\r"] {
        let index = LineIndex::new(text);
        for enc in [
            ColumnEncoding::Utf8,
            ColumnEncoding::Utf16,
            ColumnEncoding::Char,
        ] {
            let pos = index.line_col(text, text.len(), enc);
            assert_eq!(index.offset(text, pos, enc), text.len(), "{text:?} {enc:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decoder_on_random_frames(bodies in proptest::collection::vec(
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            "\\{\"jsonrpc\":\"2.0\"(,\"id\":[0-9a\"]{1,3})?(,\"method\":\"[a-z/]{0,8}\")?(,\"result\":null)?\\}"
                .prop_map(String::into_bytes),
        ],
        0..6,
    ), tail in proptest::collection::vec(any::<u8>(), 0..32)) {
        let mut input = Vec::new();
        for body in &bodies {
            input.extend(frame(body));
        }
        input.extend(tail);
        decoder_holds(&input);
    }

    #[test]
    fn parser_on_markdownish_text(text in "([\\[\\]#|^!%`$<>\\-:\\n\\r >*_a-zé🦀\u{a0}\u{2003}\u{3000}\u{2028}]{0,8}){0,24}") {
        parser_holds(&text);
    }

    #[test]
    fn positions_round_trip(text in "(a|é|🦀|\u{a0}|\u{2003}|\u{3000}|\u{2028}|\u{85}|\\r\\n|\\n|\\r|\t){0,40}", offsets in proptest::collection::vec(0usize..200, 0..10), cols in proptest::collection::vec((0u32..8, 0u32..60), 0..10)) {
        let index = LineIndex::new(&text);
        for enc in [ColumnEncoding::Utf8, ColumnEncoding::Utf16, ColumnEncoding::Char] {
            for &o in &offsets {
                let o = o.min(text.len());
                let pos = index.line_col(&text, o, enc);
                let back = index.offset(&text, pos, enc);
                prop_assert!(back <= text.len() && text.is_char_boundary(back));
                let in_crlf = o > 0 && text.as_bytes()[o - 1] == b'\r' && text.as_bytes().get(o) == Some(&b'\n');
                if text.is_char_boundary(o) && !in_crlf {
                    prop_assert_eq!(back, o);
                }
            }
            for &(line, col) in &cols {
                let at = index.offset(&text, LineCol { line, col }, enc);
                prop_assert!(at <= text.len() && text.is_char_boundary(at));
            }
        }
    }
}

/// Random bytes on the real server's stdin, between valid messages: every valid request
/// is still answered, and the server exits cleanly at the end.
#[test]
fn random_bytes_on_stdin_never_kill_the_server() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("A.md"), "# A\n\n[[B]]\n").unwrap();
    let mut c = Client::ready(dir.path());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..40 {
        let mut junk = Vec::new();
        for _ in 0..(round * 7 % 50) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            junk.push(seed as u8);
        }
        // Framed junk (answered with an error) and an unframed line (skipped as a header).
        c.send_raw(&String::from_utf8_lossy(&junk));
        c.send_raw("{\"jsonrpc\":\"2.0\",\"id\":\"junk\",\"method\":7}");
        let symbols = c.request("workspace/symbol", json!({"query": "A"}));
        assert!(symbols.is_array(), "round {round}: {symbols}");
    }
    assert!(c.shutdown().success());

    // Pure noise until EOF: the server ends without a panic and without hanging.
    let mut child = Command::new(env!("CARGO_BIN_EXE_twin"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let noise: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    let _ = stdin.write_all(&noise);
    // A header announcing petabytes, then a few bytes: no allocation up front.
    let _ = stdin.write_all(b"Content-Length: 3111111111111118\r\n\r\n{\"a\"");
    drop(stdin);
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            // No shutdown was requested: exit code 1, as the protocol says.
            assert_eq!(status.code(), Some(1));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server hangs on noise"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A reference link's target span is the destination in its definition, so a rename
/// rewrites the definition, once, however many links use it.
#[test]
fn reference_link_target_is_in_its_definition() {
    let text = "See [the guide][g] and [again][g].\n\n[g]: Guide.md\n";
    let note = parse_note("n.md".into(), text.into());
    let targets: Vec<&str> = note
        .links
        .iter()
        .map(|l| &text[l.target_span.range()])
        .collect();
    assert_eq!(targets, ["Guide.md", "Guide.md"]);
}
