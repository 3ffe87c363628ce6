//! The server starts from the check cache `twin check` keeps beside the search index:
//! started on a warm cache it answers as it does started cold, and a corrupt cache is
//! rebuilt with one line in the log.

mod lsp_support;

use std::collections::BTreeMap;
use std::path::Path;

use lsp_support::{Client, copy_fixture, full_capabilities, pos_of};
use serde_json::{Value, json};

/// What a server started on `vault` with its caches in `cache` says: the answers to a few
/// requests on `Home.md`, every note's published diagnostics, its log lines about the
/// check cache (warnings and the summary).
struct Session {
    answers: Vec<Value>,
    diagnostics: BTreeMap<String, Value>,
    cache_lines: Vec<String>,
}

fn session(vault: &Path, cache: &Path) -> Session {
    let mut c = Client::start_with_env(
        Some(vault),
        full_capabilities(),
        json!({}),
        &[("TWIN_CACHE_DIR", cache.to_str().unwrap())],
    );
    let home = std::fs::read_to_string(vault.join("Home.md")).unwrap();
    let uri = c.open("Home.md", None);
    let at = |needle: &str, delta: usize| json!({"textDocument": {"uri": uri}, "position": pos_of(&home, needle, delta)});
    let mut references = at("[[Guide#Install]]", 3);
    references["context"] = json!({"includeDeclaration": true});
    let answers = vec![
        c.request("textDocument/definition", at("[[Guide#Install]]", 10)),
        c.request("textDocument/references", references),
        c.request("textDocument/hover", at("[[Guide]]", 3)),
        c.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ),
    ];
    // The summary comes once the first diagnostics are out.
    let summary = c.wait_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("check cache:"))
    });
    let mut cache_lines = Vec::new();
    let mut diagnostics = BTreeMap::new();
    for n in c.notifications.drain(..) {
        let params = &n["params"];
        match n["method"].as_str() {
            Some("textDocument/publishDiagnostics") => {
                diagnostics.insert(
                    params["uri"].as_str().unwrap().to_string(),
                    params["diagnostics"].clone(),
                );
            }
            Some("window/logMessage") => {
                let message = params["message"].as_str().unwrap_or_default();
                if message.contains("check cache") {
                    cache_lines.push(message.to_string());
                }
            }
            _ => {}
        }
    }
    cache_lines.push(summary["message"].as_str().unwrap().to_string());
    assert!(c.shutdown().success());
    Session {
        answers,
        diagnostics,
        cache_lines,
    }
}

/// The cache's shard files for the vault (under `<cache>/<vault folder>/check/`).
fn shards(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for dir in std::fs::read_dir(cache).unwrap().flatten() {
        if let Ok(files) = std::fs::read_dir(dir.path().join("check")) {
            found.extend(files.flatten().map(|f| f.path()));
        }
    }
    found.sort();
    found
}

#[test]
fn a_server_on_a_warm_cache_answers_as_a_cold_one_and_a_corrupt_cache_is_rebuilt() {
    let vault = copy_fixture("nav");
    let cache = tempfile::tempdir().unwrap();
    let notes = 3;

    let cold = session(vault.path(), cache.path());
    assert_eq!(
        cold.cache_lines,
        [format!(
            "check cache: 0 notes from the cache, {notes} parsed, 1 shards written"
        )]
    );
    assert!(!shards(cache.path()).is_empty());
    let definition = cold.answers[0].to_string();
    assert!(definition.contains("Guide.md"), "{definition}");

    let warm = session(vault.path(), cache.path());
    assert_eq!(
        warm.cache_lines,
        [format!(
            "check cache: {notes} notes from the cache, 0 parsed, 0 shards written"
        )]
    );
    assert_eq!(warm.answers, cold.answers);
    assert_eq!(warm.diagnostics, cold.diagnostics);

    // A shard cut short: one warning, every note parsed again, the shard written anew.
    for shard in shards(cache.path()) {
        let bytes = std::fs::read(&shard).unwrap();
        std::fs::write(&shard, &bytes[..bytes.len() / 2]).unwrap();
    }
    let rebuilt = session(vault.path(), cache.path());
    assert_eq!(rebuilt.cache_lines.len(), 2, "{:?}", rebuilt.cache_lines);
    assert!(
        rebuilt.cache_lines[0].contains("truncated or corrupt; it is rebuilt"),
        "{:?}",
        rebuilt.cache_lines
    );
    assert_eq!(
        rebuilt.cache_lines[1],
        format!("check cache: 0 notes from the cache, {notes} parsed, 1 shards written")
    );
    assert_eq!(rebuilt.answers, cold.answers);
    assert_eq!(rebuilt.diagnostics, cold.diagnostics);

    let again = session(vault.path(), cache.path());
    assert_eq!(again.cache_lines[0], warm.cache_lines[0]);
}

/// A definition asked while the links are being resolved (held here by a test hook) is
/// answered from the names stage, as it is once they are; one the names stage cannot
/// answer (from an edited note, or on a tag) waits for the links and is right too.
#[test]
fn a_definition_answers_before_the_links_are_resolved_and_only_when_it_can() {
    let vault = copy_fixture("nav");
    let cache = tempfile::tempdir().unwrap();
    let cold = session(vault.path(), cache.path());
    let mut c = Client::start_with_env(
        Some(vault.path()),
        full_capabilities(),
        json!({}),
        &[
            ("TWIN_CACHE_DIR", cache.path().to_str().unwrap()),
            ("TWIN_LSP_TEST_HOLD_NAMES_MS", "3000"),
        ],
    );
    let resolved = |c: &Client| {
        c.notifications.iter().any(|n| {
            n["params"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("stage resolve"))
        })
    };
    let home = std::fs::read_to_string(vault.path().join("Home.md")).unwrap();
    let uri = c.open("Home.md", None);
    let at = |text: &str, needle: &str, delta: usize| json!({"textDocument": {"uri": uri}, "position": pos_of(text, needle, delta)});
    let early = c.request(
        "textDocument/definition",
        at(&home, "[[Guide#Install]]", 10),
    );
    assert_eq!(early, cold.answers[0]);
    assert!(!resolved(&c), "answered only once the links were resolved");

    // On a tag: its uses in every note, once the links are resolved.
    let tag = c.request("textDocument/definition", at(&home, "#project", 2));
    assert!(tag.to_string().contains("Guide.md"), "{tag}");
    drop(c);

    // From a note edited in the editor: its text, not the disk's.
    let mut c = Client::start_with_env(
        Some(vault.path()),
        full_capabilities(),
        json!({}),
        &[
            ("TWIN_CACHE_DIR", cache.path().to_str().unwrap()),
            ("TWIN_LSP_TEST_HOLD_NAMES_MS", "3000"),
        ],
    );
    let edited = home.replace("[[Guide#Install]]", "[[Deep Note]]");
    let uri = c.open("Home.md", Some(&edited));
    let at = |needle: &str| json!({"textDocument": {"uri": uri}, "position": pos_of(&edited, needle, 4)});
    let deep = c.request("textDocument/definition", at("[[Deep Note]]"));
    assert!(deep.to_string().contains("Deep%20Note.md"), "{deep}");
}
