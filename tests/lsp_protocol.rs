//! End-to-end protocol tests of `twin lsp`: encoding negotiation, ordered incremental
//! edits under load, and hostile or unusual input.

mod lsp_support;

use lsp_support::{Client, Rng, full_capabilities, pos_of};
use serde_json::{Value, json};

fn temp_vault(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn negotiates_utf8_when_offered_else_utf16() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut caps = full_capabilities();
    caps["general"]["positionEncodings"] = json!(["utf-16", "utf-8"]);
    let client = Client::start(Some(dir.path()), caps, json!({}));
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-8"
    );
    assert_eq!(client.initialize_result["serverInfo"]["name"], "twin");
    assert!(client.shutdown().success());

    let client = Client::start(Some(dir.path()), json!({}), json!({}));
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-16"
    );
    assert!(client.shutdown().success());
}

/// Char-boundary offsets a cursor can be at: never between `\r` and `\n`.
fn cursor_offsets(text: &str) -> Vec<usize> {
    (0..=text.len())
        .filter(|&i| {
            text.is_char_boundary(i)
                && !(i > 0
                    && text.as_bytes()[i - 1] == b'\r'
                    && text.as_bytes().get(i) == Some(&b'\n'))
        })
        .collect()
}

/// An LSP position of a byte offset, columns in UTF-16 or UTF-8 units.
fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = if utf8 {
        offset - start
    } else {
        text[start..offset].encode_utf16().count()
    };
    json!({"line": line, "character": col})
}

fn random_edits(utf8: bool, seed: u64) {
    const PIECES: &[&str] = &[
        "a",
        "ж",
        "😀",
        "\r\n",
        "\n",
        "[[",
        "]]",
        "#",
        "é",
        " ",
        "Привет",
        "👩‍💻",
    ];
    let dir = temp_vault(&[("Note.md", "")]);
    let mut caps = full_capabilities();
    if utf8 {
        caps["general"]["positionEncodings"] = json!(["utf-8"]);
    }
    let mut client = Client::start(Some(dir.path()), caps, json!({}));
    let initial = "# Title\r\nСтрока 😀 line\nend";
    let uri = client.open("Note.md", Some(initial));
    let mut text = initial.to_string();
    let mut rng = Rng(seed);
    let mut pending = Vec::new();
    for version in 2..1202 {
        let offsets = cursor_offsets(&text);
        let a = offsets[rng.below(offsets.len())];
        let b = if rng.below(3) == 0 {
            offsets[rng.below(offsets.len())]
        } else {
            a
        };
        let (start, end) = (a.min(b), a.max(b));
        let insert: String = (0..rng.below(4))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect();
        let range =
            json!({"start": position(&text, start, utf8), "end": position(&text, end, utf8)});
        text.replace_range(start..end, &insert);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": insert}]}),
        );
        // Requests interleaved with the edits, at positions that may be stale.
        if version % 7 == 0 {
            let offsets = cursor_offsets(&text);
            let at = position(&text, offsets[rng.below(offsets.len())], utf8);
            let method = [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
                "textDocument/documentSymbol",
            ][rng.below(4)];
            pending.push(client.send_request(
                method,
                json!({"textDocument": {"uri": uri}, "position": at}),
            ));
        }
    }
    for id in pending {
        let response = client.response(id);
        assert!(
            response.get("error").is_none(),
            "request failed: {response}"
        );
    }
    let server = client.request("twin/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(server["version"], 1201);
    assert!(
        server["text"] == text.as_str(),
        "the server's text differs from the client's after 1200 edits"
    );
    assert!(client.shutdown().success());
}

#[test]
fn thousand_random_edits_stay_in_order_utf16() {
    random_edits(false, 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn thousand_random_edits_stay_in_order_utf8() {
    random_edits(true, 0xD1B5_4A32_D192_ED03);
}

#[test]
fn stale_version_is_ignored_and_the_server_keeps_running() {
    let dir = temp_vault(&[("A.md", "")]);
    let mut client = Client::start(Some(dir.path()), full_capabilities(), json!({}));
    let uri = client.open("A.md", Some("abc"));
    let change = |version: i32, text: &str| {
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": text}]})
    };
    client.notify("textDocument/didChange", change(3, "x"));
    client.notify("textDocument/didChange", change(2, "STALE"));
    client.notify("textDocument/didChange", change(3, "AGAIN"));
    let log = client.wait_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("not newer"))
    });
    assert_eq!(log["type"], 2, "a warning");
    let server = client.request("twin/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(server, json!({"text": "xabc", "version": 3}));
    assert!(client.shutdown().success());
}

#[test]
fn files_outside_the_workspace_or_never_opened_get_empty_answers() {
    let dir = temp_vault(&[("A.md", "# A\n[[B]]\n"), ("B.md", "# B\n")]);
    let mut client = Client::ready(dir.path());
    let outside = "file:///nowhere/else/X.md";
    let at = json!({"line": 0, "character": 0});
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/prepareRename",
    ] {
        let result = client.request(
            method,
            json!({"textDocument": {"uri": outside}, "position": at}),
        );
        assert_eq!(result, Value::Null, "{method} outside the workspace");
    }
    let refs = client.request("textDocument/references", json!({"textDocument": {"uri": outside}, "position": at, "context": {"includeDeclaration": true}}));
    assert_eq!(refs, Value::Null);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": outside}}),
    );
    assert_eq!(symbols, Value::Null);
    // A note of the vault that was never opened is answered from disk.
    let uri = client.uri("A.md");
    let text = client.request("twin/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(text, Value::Null, "never opened");
    let not_a_file = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": at}),
    );
    assert_eq!(not_a_file, Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn positions_past_the_end_clamp() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let uri = client.open("A.md", Some("ab\ncd"));
    let change = json!({"textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 99}, "end": {"line": 7, "character": 3}}, "text": "!"}]});
    client.notify("textDocument/didChange", change);
    let server = client.request("twin/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(server["text"], "ab!");
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
    ] {
        let response = client.request_raw(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 100, "character": 100}}),
        );
        assert!(response.get("error").is_none(), "{method}: {response}");
    }
    assert!(client.shutdown().success());
}

#[test]
fn invalid_params_unknown_methods_and_bad_json_get_errors() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let response = client.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(
        response["error"]["code"], -32602,
        "invalid params: {response}"
    );
    let response = client.request_raw("twin/noSuchMethod", json!({}));
    assert_eq!(
        response["error"]["code"], -32601,
        "method not found: {response}"
    );
    // A body that is not JSON: a parse error with a null id, and the server lives on.
    client.send_raw("{not json");
    client.send_raw(r#"{"jsonrpc": "2.0", "id": 77}"#);
    client.send_raw("[1, 2]");
    let uri = client.open("A.md", None);
    let text = client.request("twin/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(text["text"], "# A\n");
    client.wait_null_id_responses(2);
    let codes: Vec<&Value> = client
        .null_id_responses
        .iter()
        .map(|r| &r["error"]["code"])
        .collect();
    assert_eq!(
        codes,
        [&json!(-32700), &json!(-32600)],
        "{:?}",
        client.null_id_responses
    );
    assert_eq!(client.response(77)["error"]["code"], -32600);
    assert!(client.shutdown().success());
}

#[test]
fn cancelled_requests_get_an_answer_and_the_server_lives_on() {
    let dir = temp_vault(&[("A.md", "# A\n[[A]]\n")]);
    let mut client = Client::ready(dir.path());
    let uri = client.open("A.md", None);
    let ids: Vec<i64> = (0..20)
        .map(|_| client.send_request("textDocument/references", json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}, "context": {"includeDeclaration": true}})))
        .collect();
    for id in &ids {
        client.notify("$/cancelRequest", json!({"id": id}));
    }
    for id in ids {
        let response = client.response(id);
        let ok = response.get("result").is_some() || response["error"]["code"] == -32800;
        assert!(
            ok,
            "a cancelled request is answered with its result or RequestCancelled: {response}"
        );
    }
    let pos = pos_of("# A\n[[A]]\n", "[[A", 2);
    let def = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    );
    assert!(client.is_running());
    let _ = def;
    assert!(client.shutdown().success());
}

#[test]
fn requests_after_shutdown_are_invalid_and_exit_without_shutdown_is_code_1() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let response = client.request_raw("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    let response = client.request_raw("textDocument/hover", json!({"textDocument": {"uri": client.uri("A.md")}, "position": {"line": 0, "character": 0}}));
    assert_eq!(
        response["error"]["code"], -32600,
        "invalid request after shutdown: {response}"
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0));

    let mut client = Client::ready(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1), "exit without shutdown");
}

#[test]
fn a_client_that_supports_nothing_optional_still_works() {
    let dir = temp_vault(&[("A.md", "# A\n## Sub\n"), ("B.md", "[[A#Sub]]\n")]);
    let mut client = Client::start(Some(dir.path()), json!({}), json!({}));
    // No progress without window.workDoneProgress, no watcher registration.
    let uri = client.open("B.md", None);
    let _ = client.diagnostics(&uri, |_| true);
    assert!(
        client
            .server_requests
            .iter()
            .all(|r| r["method"] != "window/workDoneProgress/create"
                && r["method"] != "client/registerCapability")
    );
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": client.uri("A.md")}}),
    );
    assert!(
        symbols
            .as_array()
            .is_some_and(|s| s.iter().all(|s| s.get("location").is_some())),
        "flat symbols: {symbols}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn a_panic_in_a_request_is_an_error_response_and_the_server_keeps_serving() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let response = client.request_raw("twin/debugPanic", json!({}));
    assert_eq!(
        response["error"]["code"], -32603,
        "internal error: {response}"
    );
    assert!(
        response["error"]["message"]
            .as_str()
            .unwrap()
            .contains("debug panic requested")
    );
    let log = client.wait_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("request failed"))
    });
    assert_eq!(log["type"], 1);
    let uri = client.open("A.md", None);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols[0]["name"], "A");
    assert!(client.shutdown().success());
}

/// A request framed with `Content-Length` off by `delta` bytes.
fn misframed(id: i64, delta: i64) -> Vec<u8> {
    let body =
        json!({"jsonrpc": "2.0", "id": id, "method": "workspace/symbol", "params": {"query": "A"}})
            .to_string();
    let length = body.len() as i64 + delta;
    format!("Content-Length: {length}\r\n\r\n{body}").into_bytes()
}

fn framed(id: i64) -> Vec<u8> {
    misframed(id, 0)
}

/// Issue 19, item 9: one misframed message never silences the server.
#[test]
fn a_content_length_off_by_three_never_silences_the_server() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let answered = |client: &mut Client, id: i64| {
        client
            .try_response(id, std::time::Duration::from_secs(10))
            .unwrap_or_else(|| panic!("request {id} never answered"))
    };
    // Too large, and nothing follows: answered once the stream stalls.
    client.send_bytes(&misframed(501, 3));
    assert!(answered(&mut client, 501)["result"].is_array());
    // Too large, the next message right behind it.
    let mut both = misframed(502, 3);
    both.extend(framed(503));
    client.send_bytes(&both);
    assert!(answered(&mut client, 502)["result"].is_array());
    assert!(answered(&mut client, 503)["result"].is_array());
    // Too small: that message is lost (a parse error), the next one is answered.
    let mut both = misframed(504, -3);
    both.extend(framed(505));
    client.send_bytes(&both);
    assert!(answered(&mut client, 505)["result"].is_array());
    for id in 506..510 {
        client.send_bytes(&framed(id));
        assert!(answered(&mut client, id)["result"].is_array());
    }
    assert!(client.shutdown().success());
}

/// Issue 19, item 9: a length past the cap ends the session with a clear message
/// instead of buffering without limit.
#[test]
fn a_content_length_past_the_cap_ends_the_session() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    client.send_bytes(b"Content-Length: 3111111111111118\r\n\r\n{\"jsonrpc\"");
    // The server logs the error and exits; the exit can win the race with the log message
    // on stdout, so only the exit is asserted.
    let started = std::time::Instant::now();
    while client.is_running() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the server still runs"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(client.wait_exit().code(), Some(1));
}

/// Issue 19, item 9: `$/` requests are answered (only `$/` notifications may be ignored).
#[test]
fn an_unknown_dollar_request_gets_method_not_found() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let response = client.request_raw("$/unknown", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.notify("$/unknownNotification", json!({}));
    assert!(
        client
            .request("workspace/symbol", json!({"query": "A"}))
            .is_array()
    );
    assert!(client.shutdown().success());
}

/// Issue 19, item 7: a change whose range is not a `u32` position never replaces the
/// whole document: past the end clamps to the end, negative is ignored.
#[test]
fn an_out_of_range_change_never_replaces_the_document() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let uri = client.open("A.md", Some("ab\ncd"));
    let change = |version: i64, line: Value| {
        json!({"textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "NEG"}]})
    };
    client.notify("textDocument/didChange", change(2, json!(4_294_967_296u64)));
    let text = |client: &mut Client| {
        client.request("twin/documentText", json!({"textDocument": {"uri": uri}}))["text"].clone()
    };
    assert_eq!(text(&mut client), "ab\ncdNEG");
    client.notify("textDocument/didChange", change(3, json!(-1)));
    assert_eq!(text(&mut client), "ab\ncdNEG");
    assert!(client.shutdown().success());
}

/// Issue 19, item 10: re-anchoring a file outside every vault is the caller's mistake.
#[test]
fn reanchor_outside_the_vault_is_invalid_params() {
    let dir = temp_vault(&[("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let response = client.request_raw(
        "workspace/executeCommand",
        json!({"command": "twin.server.reanchor", "arguments": ["file:///etc/passwd"]}),
    );
    assert_eq!(response["error"]["code"], -32602, "{response}");
    assert!(
        response["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not a note")),
        "{response}"
    );
    assert!(client.shutdown().success());
}

/// Issue 19, item 8: a lone `\r` ends a line (LSP 3.17), for the positions of
/// diagnostics and for edits.
#[test]
fn a_lone_carriage_return_is_a_line_break() {
    let dir = temp_vault(&[("Home.md", "# Home\n"), ("A.md", "# A\n")]);
    let mut client = Client::ready(dir.path());
    let uri = client.open("A.md", Some("[[Home]]\r[[Missing]]\n"));
    let diagnostics = client.diagnostics(&uri, |d| {
        d.as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "broken-link")
    });
    let broken = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "broken-link")
        .unwrap_or_else(|| panic!("a broken link: {diagnostics}"));
    assert_eq!(broken["range"]["start"], json!({"line": 1, "character": 2}));
    assert_eq!(broken["range"]["end"], json!({"line": 1, "character": 9}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "X"}]}),
    );
    let text = client.request("twin/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(text["text"], "[[Home]]\rX[[Missing]]\n");
    assert!(client.shutdown().success());
}

#[test]
fn the_load_reports_its_stages_with_counts() {
    let dir = temp_vault(&[
        ("A.md", "# A\n[[B]] and [[C]]\n"),
        ("B.md", "[[A]]\n"),
        ("C.md", "# C\n"),
    ]);
    let mut client = Client::ready(dir.path());
    let reports: Vec<String> = std::iter::from_fn(|| {
        client.try_wait_notification("$/progress", std::time::Duration::ZERO, |p| {
            p["value"]["kind"] == "report"
        })
    })
    .filter_map(|p| p["value"]["message"].as_str().map(str::to_string))
    .collect();
    assert!(
        reports.iter().any(|m| m == "resolving links"),
        "{reports:?}"
    );
    assert!(
        reports
            .iter()
            .any(|m| m == "building the coherence model (3 notes, 3 links resolved)"),
        "{reports:?}"
    );
    assert!(
        reports.iter().any(|m| m == "checking 3 notes"),
        "{reports:?}"
    );
    assert!(client.shutdown().success());
}
