//! A random-edit stress test of the real server: incremental `didChange` edits with
//! multi-byte text (é, 中, emoji, combining marks), CRLF and lone CR, positions past a
//! line's end, whole-document replacements, notes changed, created and deleted on disk
//! (`didChangeWatchedFiles`), and requests in between. After every step the server's text
//! of each open note must equal the client's; every few steps the pulled diagnostics and
//! symbols of the open notes must equal those of a fresh server loading the same texts.
//! Seeded, so a failure names the seed and step that reproduce it. The normal run is
//! short; `cargo test --test lsp_stress -- --ignored` runs the long one.

mod lsp_support;

use std::collections::BTreeMap;
use std::path::Path;

use lsp_support::{Client, Rng, file_uri, full_capabilities, redact};
use serde_json::{Value, json};

/// Pieces of text the edits are made of: markdown that means something to twin, and
/// characters of every UTF-8 and UTF-16 width, line ends of every kind.
const PIECES: &[&str] = &[
    "a",
    "word ",
    "é",
    "中文",
    "😀",
    "👨‍👩‍👧",
    "e\u{301}",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " ",
    "\t",
    "[[",
    "]]",
    "[[B]]",
    "[[B#Part]]",
    "[[Missing]]",
    "[[C|alias]]",
    "[[D]]",
    "# Title\n",
    "## Part\n",
    "^blk",
    "[[B#^blk]]",
    "#tag ",
    "[^1]",
    "[^1]: note\n",
    "%%",
    "```\n",
    "---\n",
    "up: \"[[B]]\"\n",
    "|",
    "ü",
    "\u{feff}",
];

fn random_text(rng: &mut Rng, pieces: usize) -> String {
    (0..rng.below(pieces + 1))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

/// The LSP position of a char offset, its column in UTF-8 bytes or UTF-16 units; lines
/// end at `\n`, `\r\n` or a lone `\r`.
fn position(text: &[char], at: usize, utf8: bool) -> Value {
    let (mut line, mut col) = (0, 0);
    let mut i = 0;
    while i < at {
        match text[i] {
            '\r' if text.get(i + 1) == Some(&'\n') && i + 1 < at => {
                line += 1;
                col = 0;
                i += 2;
                continue;
            }
            '\n' | '\r' => {
                line += 1;
                col = 0;
            }
            c if utf8 => col += c.len_utf8(),
            c => col += c.len_utf16(),
        }
        i += 1;
    }
    json!({"line": line, "character": col})
}

/// A char offset that is not between the `\r` and `\n` of a CRLF (no position names it).
fn snap(text: &[char], at: usize) -> usize {
    if at > 0 && at < text.len() && text[at - 1] == '\r' && text[at] == '\n' {
        at - 1
    } else {
        at
    }
}

/// The end of the line holding `at` (before its line break).
fn line_end(text: &[char], mut at: usize) -> usize {
    while at < text.len() && text[at] != '\n' && text[at] != '\r' {
        at += 1;
    }
    at
}

struct Doc {
    uri: String,
    text: Vec<char>,
    version: i64,
}

/// One `didChange` of one to three edits, applied to the client's model in order; now
/// and then an end is sent past its line's end, which means the line's end.
fn random_change(rng: &mut Rng, doc: &mut Doc, utf8: bool) -> Vec<Value> {
    let mut changes = Vec::new();
    for _ in 0..=rng.below(3) {
        if rng.chance(4) {
            let text = random_text(rng, 12);
            doc.text = text.chars().collect();
            changes.push(json!({"text": text}));
            continue;
        }
        let len = doc.text.len();
        let a = snap(&doc.text, rng.below(len + 1));
        let b = snap(&doc.text, (a + rng.below(8)).min(len));
        let start = position(&doc.text, a, utf8);
        let (end, b) = if rng.chance(10) {
            let b = line_end(&doc.text, b);
            let mut past = position(&doc.text, b, utf8);
            let beyond = 1 + rng.below(40) as u64;
            past["character"] = json!(past["character"].as_u64().unwrap() + beyond);
            (past, b)
        } else {
            (position(&doc.text, b, utf8), b)
        };
        let insert = if rng.chance(70) {
            random_text(rng, 3)
        } else {
            String::new()
        };
        doc.text.splice(a..b, insert.chars());
        changes.push(json!({"range": {"start": start, "end": end}, "text": insert}));
    }
    changes
}

fn pull_caps(utf8: bool) -> Value {
    let mut caps = full_capabilities();
    if utf8 {
        caps["general"]["positionEncodings"] = json!(["utf-8", "utf-16"]);
    }
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps
}

/// What a client sees of an open note: its pulled findings and its symbols.
fn answers(c: &mut Client, uri: &str, root: &Path) -> Value {
    let diagnostics = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    redact(
        &json!({"diagnostics": diagnostics["items"], "symbols": symbols}),
        root,
    )
}

/// The same notes loaded from scratch by a fresh server: the answers must not differ.
fn compare_with_fresh(
    c: &mut Client,
    root: &Path,
    disk: &BTreeMap<String, String>,
    docs: &[(String, Doc)],
    context: &str,
) {
    let fresh = tempfile::tempdir().unwrap();
    for (name, text) in disk {
        std::fs::write(fresh.path().join(name), text).unwrap();
    }
    for (name, doc) in docs {
        std::fs::write(fresh.path().join(name), doc.text.iter().collect::<String>()).unwrap();
    }
    let utf8 = c.initialize_result["capabilities"]["positionEncoding"] == "utf-8";
    let mut other = Client::start(Some(fresh.path()), pull_caps(utf8), json!({}));
    // The closed notes, through the workspace pull (open ones are pulled one by one).
    let closed = |c: &mut Client, root: &Path| -> Value {
        let all = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
        let mut items: Vec<Value> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                !docs
                    .iter()
                    .any(|(name, _)| i["uri"].as_str().unwrap().ends_with(&format!("/{name}")))
            })
            .map(|i| json!([i["uri"], i["items"]]))
            .collect();
        items.sort_by_key(|i| i[0].as_str().unwrap().to_string());
        redact(&json!(items), root)
    };
    let here = closed(c, root);
    let there = closed(&mut other, fresh.path());
    assert_eq!(
        here, there,
        "{context}: closed notes differ from a fresh load of {disk:?}"
    );
    for (name, doc) in docs {
        let here = answers(c, &doc.uri, root);
        let uri = file_uri(&fresh.path().join(name));
        let there = answers(&mut other, &uri, fresh.path());
        assert_eq!(
            here,
            there,
            "{context}: {name} differs from a fresh load of {:?}",
            doc.text.iter().collect::<String>()
        );
    }
    assert!(other.shutdown().success());
}

fn run(seed: u64, steps: usize, compare_every: usize, utf8: bool) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut disk: BTreeMap<String, String> = BTreeMap::new();
    disk.insert("B.md".into(), "# B\n\n## Part\n\nText ^blk\n".into());
    disk.insert("C.md".into(), "# C\r\n\r\n[[B]] and [[A]]\r\n".into());
    let open = [
        ("A.md", "# A\n\nSee [[B]] and [[C]].\n"),
        ("E.md", "É [[A]]\r中\r"),
    ];
    for (name, text) in open {
        std::fs::write(root.join(name), text).unwrap();
    }
    for (name, text) in &disk {
        std::fs::write(root.join(name), text).unwrap();
    }
    let mut c = Client::start(Some(root), pull_caps(utf8), json!({}));
    let encoding = &c.initialize_result["capabilities"]["positionEncoding"];
    assert_eq!(encoding, if utf8 { "utf-8" } else { "utf-16" });
    let mut docs: Vec<(String, Doc)> = open
        .iter()
        .map(|(name, text)| {
            let uri = c.open(name, Some(text));
            let doc = Doc {
                uri,
                text: text.chars().collect(),
                version: 1,
            };
            (name.to_string(), doc)
        })
        .collect();
    let mut rng = Rng(seed.max(1));
    for step in 0..steps {
        let context = format!("seed {seed}, step {step}");
        let roll = rng.below(100);
        if roll < 65 {
            let (_, doc) = &mut docs[rng.below(2)];
            if std::env::var_os("TWIN_STRESS_TRACE").is_some() {
                eprintln!(
                    "{context}: {} before {:?}",
                    doc.uri,
                    doc.text.iter().collect::<String>()
                );
            }
            let changes = random_change(&mut rng, doc, utf8);
            doc.version += 1;
            if std::env::var_os("TWIN_STRESS_TRACE").is_some() {
                eprintln!("{context}: {changes}", changes = json!(changes));
            }
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": changes}),
            );
        } else if roll < 68 {
            // Closed (the note goes back to the disk's text) and opened again.
            let (name, doc) = &mut docs[rng.below(2)];
            c.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": doc.uri}}),
            );
            let text = if rng.chance(50) {
                std::fs::read_to_string(root.join(&*name)).unwrap()
            } else {
                random_text(&mut rng, 10)
            };
            doc.text = text.chars().collect();
            doc.version += 1;
            c.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": doc.uri, "languageId": "markdown", "version": doc.version, "text": text}}),
            );
        } else if roll < 80 {
            // A note changes on disk: a closed one, created, deleted, or an open one (whose
            // buffer wins over the disk).
            let name = ["B.md", "C.md", "D.md", "A.md"][rng.below(4)];
            let (kind, uri) = if name != "A.md" && disk.contains_key(name) && rng.chance(30) {
                disk.remove(name);
                std::fs::remove_file(root.join(name)).unwrap();
                (3, file_uri(&root.join(name)))
            } else {
                let text = random_text(&mut rng, 10);
                let created = !root.join(name).exists();
                std::fs::write(root.join(name), &text).unwrap();
                if name != "A.md" {
                    disk.insert(name.to_string(), text);
                }
                (if created { 1 } else { 2 }, file_uri(&root.join(name)))
            };
            c.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": uri, "type": kind}]}),
            );
        } else {
            let (_, doc) = &docs[rng.below(2)];
            let at = snap(&doc.text, rng.below(doc.text.len() + 1));
            let at = json!({"textDocument": {"uri": doc.uri}, "position": position(&doc.text, at, utf8)});
            let method = [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/completion",
                "textDocument/references",
                "textDocument/diagnostic",
            ][rng.below(5)];
            let mut params = at;
            params["context"] = match method {
                "textDocument/completion" => json!({"triggerKind": 1}),
                _ => json!({"includeDeclaration": true}),
            };
            let response = c.request_raw(method, params);
            assert!(
                response.get("error").is_none(),
                "{context}: {method}: {response}"
            );
        }
        for (name, doc) in &docs {
            let server = c.request(
                "twin/documentText",
                json!({"textDocument": {"uri": doc.uri}}),
            );
            let want: String = doc.text.iter().collect();
            assert_eq!(
                server["text"].as_str(),
                Some(want.as_str()),
                "{context}: the server's {name} differs from the client's"
            );
            assert_eq!(server["version"], doc.version, "{context}");
        }
        if (step + 1) % compare_every == 0 || step + 1 == steps {
            compare_with_fresh(&mut c, root, &disk, &docs, &context);
        }
    }
    assert!(c.shutdown().success());
}

#[test]
fn random_edits_keep_the_server_in_step_with_the_client() {
    for seed in [1, 2] {
        run(seed, 120, 60, false);
    }
    // Columns in UTF-8 bytes, when the client offers them.
    run(3, 120, 60, true);
}

#[test]
#[ignore = "long: several thousand random steps"]
fn random_edits_keep_the_server_in_step_with_the_client_long() {
    let seeds: u64 = std::env::var("TWIN_STRESS_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let steps = std::env::var("TWIN_STRESS_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    if let Some(seed) = std::env::var("TWIN_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return run(seed, steps, steps, seed % 2 == 1);
    }
    for seed in 1..=seeds {
        run(seed * 7919, steps, 250, seed % 2 == 1);
    }
}

/// Cancelled requests keep running on the server's request threads (a blocking task
/// cannot be stopped), and tower-lsp takes the next request at once: unbounded, a burst
/// of them made as many threads, each with its own allocator arena and word cache, and
/// the long soak's memory grew with them (RELIABILITY.md, issue 19 item 13). Requests sent
/// while the vault loads all wait for it, which holds their threads.
#[test]
fn cancelled_requests_leave_a_bounded_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    twin::synth::generate_vault(
        &root,
        &twin::synth::SynthOptions {
            notes: 1500,
            seed: 3,
            ..Default::default()
        },
    )
    .unwrap();
    let mut c = Client::start(Some(&root), full_capabilities(), json!({}));
    let mut ids = Vec::new();
    for _ in 0..64 {
        let id = c.send_request("workspace/symbol", json!({"query": "a"}));
        c.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
    }
    let mut peak = 0;
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(3) {
        peak = peak.max(c.threads().expect("the server's thread count"));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    for id in ids {
        c.try_response(id, std::time::Duration::from_secs(60))
            .expect("every request is answered");
    }
    // The fixed threads (runtime, worker, watcher, search index, rayon's) and at most
    // 16 request threads; before the bound, one per cancelled request.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    assert!(
        peak <= 40 + cores,
        "{peak} threads after 64 cancelled requests ({cores} cores)"
    );
    assert!(c.shutdown().success());
}
