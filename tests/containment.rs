//! Containment: no link, embed, config value or cache path makes twin read or write
//! outside the vault and its cache folder (`../`, absolute paths, symlinks out,
//! `%2e%2e%2f`), and twin writes nothing in the vault but `.twin/` (on request) and
//! the edits a client applies. Each test snapshots the vault and a sibling folder
//! (paths, sizes, modification times, contents) before and after.

mod common;
mod lsp_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::run_twin;
use lsp_support::{Client, file_uri};
use serde_json::{Value, json};

const LIMIT: Duration = Duration::from_secs(120);
const SECRET: &str = "SECRET-OUTSIDE-THE-VAULT";

/// Every entry under `root` (symlinks not followed): kind, size, mtime and contents.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (String, Option<SystemTime>, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let kind = if meta.is_symlink() {
                format!("link {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                "dir".to_string()
            } else {
                "file".to_string()
            };
            let bytes = if meta.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            out.insert(rel, (kind, meta.modified().ok(), bytes));
        }
    }
    out
}

/// The differences between two snapshots, as paths.
fn changed(
    before: &BTreeMap<PathBuf, (String, Option<SystemTime>, Vec<u8>)>,
    after: &BTreeMap<PathBuf, (String, Option<SystemTime>, Vec<u8>)>,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = before
        .iter()
        .filter(|(p, v)| after.get(*p) != Some(v))
        .map(|(p, _)| p.clone())
        .collect();
    out.extend(after.keys().filter(|p| !before.contains_key(*p)).cloned());
    out
}

/// A parent folder holding `vault/` and a sibling `outside/` with a secret note, a
/// secret attachment, and a symlink out of the vault to it. The vault links out in
/// every way a path can be written.
struct Setup {
    _dir: tempfile::TempDir,
    vault: PathBuf,
    outside: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let vault = base.join("vault");
    let outside = base.join("outside");
    std::fs::create_dir_all(vault.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        format!("# {SECRET}\n\n{SECRET} ^blk\n"),
    )
    .unwrap();
    std::fs::write(outside.join("secret.png"), SECRET).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, vault.join("out")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.md"), vault.join("linked.md")).unwrap();
    }
    let abs = outside.join("secret.md");
    let note = format!(
        "# Home\n\n\
         [[../outside/secret]] [[../../outside/secret#Top]] ![[../outside/secret.png]]\n\
         [a](../outside/secret.md) [b](%2e%2e%2foutside%2fsecret.md) [c](..%2Foutside%2Fsecret.md)\n\
         [d]({abs}) [[{abs}]] [[/etc/passwd]] [e](/etc/hostname) [[out/secret]] [[secret]]\n\
         [f](file://{abs}) [[sub/../../outside/secret]] [[linked]]\n\
         See [[Other]].\n",
        abs = abs.display()
    );
    std::fs::write(vault.join("Home.md"), note).unwrap();
    std::fs::write(vault.join("sub/Other.md"), "# Other\n\nBack to [[Home]].\n").unwrap();
    std::fs::create_dir_all(vault.join(".obsidian")).unwrap();
    std::fs::write(
        vault.join(".obsidian/app.json"),
        format!(
            r#"{{"attachmentFolderPath": "../outside", "newFileFolderPath": "{}", "userIgnoreFilters": ["../outside/"]}}"#,
            outside.display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(vault.join(".twin")).unwrap();
    std::fs::write(
        vault.join(".twin/config.toml"),
        "exclude = [\"../outside/**\", \"/etc/**\"]\n",
    )
    .unwrap();
    Setup {
        _dir: dir,
        vault,
        outside,
    }
}

#[test]
fn check_never_reads_outside_the_vault_and_writes_nothing() {
    let s = setup();
    let (vault_before, outside_before) = (snapshot(&s.vault), snapshot(&s.outside));
    for format in ["json", "human", "sarif"] {
        let run = run_twin(
            &["check", "--format", format, &s.vault.to_string_lossy()],
            LIMIT,
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "twin check --format {format} read a note outside the vault:\n{}",
            run.stdout
        );
        if format == "json" {
            let json: Value = serde_json::from_str(&run.stdout).unwrap();
            // Home and Other: neither the symlinked folder nor the symlinked note counts.
            assert_eq!(json["notes"], 2, "{}", run.stdout);
            let broken = json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["code"] == "broken-link")
                .count();
            // Every link out of the vault is broken; only [[Other]] resolves, and the
            // `file://` link is a URL, not a vault link.
            assert_eq!(broken, 14, "{}", run.stdout);
        }
    }
    let run = run_twin(
        &["graph", "--format", "json", &s.vault.to_string_lossy()],
        LIMIT,
    );
    assert!(!run.stdout.contains(SECRET) && !run.stdout.contains("outside/"));
    assert!(
        changed(&vault_before, &snapshot(&s.vault)).is_empty(),
        "twin check wrote into the vault"
    );
    assert!(changed(&outside_before, &snapshot(&s.outside)).is_empty());
}

#[test]
fn check_record_writes_only_twin_folder() {
    let s = setup();
    let before = snapshot(&s.vault);
    let run = run_twin(&["check", "--record", &s.vault.to_string_lossy()], LIMIT);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let diff = changed(&before, &snapshot(&s.vault));
    assert!(!diff.is_empty(), "--record wrote no trace");
    assert!(
        diff.iter().all(|p| p.starts_with(".twin")),
        "--record wrote outside .twin/: {diff:?}"
    );
}

#[test]
fn search_writes_only_its_cache_folder() {
    let s = setup();
    let cache = tempfile::tempdir().unwrap();
    let (vault_before, outside_before) = (snapshot(&s.vault), snapshot(&s.outside));
    let run = run_twin(
        &[
            "search",
            "--format",
            "json",
            "--cache-dir",
            &cache.path().to_string_lossy(),
            "secret",
            &s.vault.to_string_lossy(),
        ],
        LIMIT,
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        !run.stdout.contains(SECRET),
        "search found text outside: {}",
        run.stdout
    );
    assert!(
        !snapshot(cache.path()).is_empty(),
        "the index was not cached where asked"
    );
    assert!(changed(&vault_before, &snapshot(&s.vault)).is_empty());
    assert!(changed(&outside_before, &snapshot(&s.outside)).is_empty());
    // A cache folder given as a relative path with `..` is still only that folder.
    let rel = run_twin(
        &["search", "--no-cache", "secret", &s.vault.to_string_lossy()],
        LIMIT,
    );
    assert!(!rel.stdout.contains(SECRET));
    assert!(changed(&vault_before, &snapshot(&s.vault)).is_empty());
}

/// Every URI in a server response lies inside the vault.
fn uris_inside(value: &Value, vault_uri: &str, what: &str) {
    match value {
        Value::String(s) if s.starts_with("file:") => assert!(
            s.starts_with(&format!("{vault_uri}/"))
                && !s.split('/').any(|seg| seg == ".." || seg == "."),
            "{what}: a URI outside the vault: {s}"
        ),
        Value::String(s) => assert!(!s.contains(SECRET), "{what}: outside text {s}"),
        Value::Array(items) => items.iter().for_each(|v| uris_inside(v, vault_uri, what)),
        Value::Object(map) => {
            for (k, v) in map {
                if k.starts_with("file:") {
                    uris_inside(&Value::String(k.clone()), vault_uri, what);
                }
                uris_inside(v, vault_uri, what);
            }
        }
        _ => {}
    }
}

#[test]
fn language_server_stays_inside_the_vault() {
    let s = setup();
    let (vault_before, outside_before) = (snapshot(&s.vault), snapshot(&s.outside));
    let vault_uri = file_uri(&s.vault);
    let mut c = Client::ready(&s.vault);
    let text = std::fs::read_to_string(s.vault.join("Home.md")).unwrap();
    let uri = c.open("Home.md", Some(&text));
    let note = twin::note::parse_note("Home.md".into(), text.as_str().into());
    let lines = twin::text::LineIndex::new(&text);
    let doc = json!({"uri": uri});
    for link in &note.links {
        let lc = lines.line_col(
            &text,
            link.target_span.start as usize + 1,
            twin::text::ColumnEncoding::Utf16,
        );
        let pos = json!({"line": lc.line, "character": lc.col});
        let range = json!({"start": pos, "end": pos});
        for (method, params) in [
            (
                "textDocument/definition",
                json!({"textDocument": doc, "position": pos}),
            ),
            (
                "textDocument/hover",
                json!({"textDocument": doc, "position": pos}),
            ),
            (
                "textDocument/references",
                json!({"textDocument": doc, "position": pos, "context": {"includeDeclaration": true}}),
            ),
            (
                "textDocument/completion",
                json!({"textDocument": doc, "position": pos}),
            ),
            (
                "textDocument/prepareRename",
                json!({"textDocument": doc, "position": pos}),
            ),
            (
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
            ),
        ] {
            let response = c.request_raw(method, params);
            uris_inside(
                &response,
                &vault_uri,
                &format!("{method} on {:?}", link.target(&note.text)),
            );
        }
    }
    for (method, params) in [
        ("textDocument/documentLink", json!({"textDocument": doc})),
        ("workspace/symbol", json!({"query": "SECRET"})),
        ("textDocument/documentSymbol", json!({"textDocument": doc})),
    ] {
        let response = c.request_raw(method, params);
        uris_inside(&response, &vault_uri, method);
    }
    // A rename to a path out of the vault is refused or stays inside.
    let other = std::fs::read_to_string(s.vault.join("sub/Other.md")).unwrap();
    let other_uri = c.open("sub/Other.md", Some(&other));
    let at = lsp_support::pos_of(&other, "[[Home]]", 3);
    for new_name in [
        "../../outside/Escaped",
        "/../outside/Escaped",
        "..%2f..%2fEscaped",
        &format!("{}/Escaped", s.outside.display()),
    ] {
        let response = c.request_raw(
            "textDocument/rename",
            json!({"textDocument": {"uri": other_uri}, "position": at, "newName": new_name}),
        );
        uris_inside(&response, &vault_uri, &format!("rename to {new_name}"));
    }
    // Diagnostics name only files inside the vault.
    c.clear();
    let diagnostics = c.diagnostics(&uri, |d| !d.as_array().unwrap().is_empty());
    uris_inside(&diagnostics, &vault_uri, "diagnostics");
    assert!(c.shutdown().success());
    assert!(
        changed(&vault_before, &snapshot(&s.vault)).is_empty(),
        "a language server session wrote into the vault"
    );
    assert!(changed(&outside_before, &snapshot(&s.outside)).is_empty());
}

/// A vault whose writable-looking places lead out through symlinks: a folder
/// (`linkdir` → `outside/linked`), the new-note template and the trace; links with
/// backslashes; a note named with a backslash (issue 19, items 1–5).
#[cfg(unix)]
fn hostile_setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let vault = base.join("vault");
    let outside = base.join("outside");
    std::fs::create_dir_all(vault.join("sub")).unwrap();
    std::fs::create_dir_all(vault.join(".twin/templates")).unwrap();
    std::fs::create_dir_all(outside.join("linked")).unwrap();
    std::fs::write(outside.join("template.md"), format!("{SECRET}\n")).unwrap();
    std::fs::write(outside.join("trace.jsonl"), "").unwrap();
    let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, vault.join(at)).unwrap();
    link(&outside.join("linked"), "linkdir");
    link(&outside.join("template.md"), ".twin/templates/new-note.md");
    link(&outside.join("trace.jsonl"), ".twin/trace.jsonl");
    std::fs::write(
        vault.join("Home.md"),
        "# Home\n\n[[linkdir/through-symlink]] [[linkdir/sub/deeper]]\n\
         [[..\\..\\outside\\Created]] [[sub\\..\\..\\..\\outside\\Up]]\n\nSee [[Target]].\n",
    )
    .unwrap();
    std::fs::write(
        vault.join("sub/Target.md"),
        "# Target\n\nBack to [[Home]].\n",
    )
    .unwrap();
    std::fs::write(vault.join("back\\slash.md"), "# Slash\n\n[[Nowhere]]\n").unwrap();
    Setup {
        _dir: dir,
        vault,
        outside,
    }
}

/// Whether a `file://` URI names a place inside `vault` once the symlinks of the
/// folders that exist are followed.
#[cfg(unix)]
fn resolves_inside(uri: &str, vault: &Path) -> bool {
    let Some(rest) = uri.strip_prefix("file://") else {
        return true;
    };
    let path = PathBuf::from(lsp_support::percent_decode(rest));
    let mut existing = path.as_path();
    while existing.symlink_metadata().is_err() {
        existing = existing.parent().unwrap();
    }
    let real = existing.canonicalize().unwrap();
    real.starts_with(vault) && !path.components().any(|c| c.as_os_str() == "..")
}

#[cfg(unix)]
fn all_uris_resolve_inside(value: &Value, vault: &Path, what: &str) {
    match value {
        Value::String(s) => {
            assert!(resolves_inside(s, vault), "{what}: a URI leading out: {s}");
            assert!(!s.contains(SECRET), "{what}: outside text {s}");
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| all_uris_resolve_inside(v, vault, what)),
        Value::Object(map) => {
            for (k, v) in map {
                all_uris_resolve_inside(&Value::String(k.clone()), vault, what);
                all_uris_resolve_inside(v, vault, what);
            }
        }
        _ => {}
    }
}

#[cfg(unix)]
#[test]
fn fix_and_record_write_nothing_through_symlinks_or_backslashes() {
    let s = hostile_setup();
    let outside_before = snapshot(&s.outside);
    let root = s.vault.to_string_lossy().to_string();
    let run = run_twin(&["fix", "--unsafe", "--yes", &root], LIMIT);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "twin fix read the symlinked template:\n{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("new-note.md"),
        "no word on the refused template: {}",
        run.stderr
    );
    assert!(
        changed(&outside_before, &snapshot(&s.outside)).is_empty(),
        "twin fix wrote outside the vault: {:?}\n{}",
        changed(&outside_before, &snapshot(&s.outside)),
        run.stdout
    );
    let run = run_twin(&["check", "--record", &root], LIMIT);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        changed(&outside_before, &snapshot(&s.outside)).is_empty(),
        "check --record wrote through the symlinked trace: {}",
        run.stderr
    );
    assert_ne!(
        run.code,
        Some(0),
        "a refused trace is an error: {}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn language_server_offers_nothing_through_symlinks_backslashes_or_control_names() {
    let s = hostile_setup();
    let outside_before = snapshot(&s.outside);
    let mut c = Client::ready(&s.vault);
    let text = std::fs::read_to_string(s.vault.join("Home.md")).unwrap();
    let uri = c.open("Home.md", Some(&text));
    let doc = json!({"uri": uri});
    for needle in [
        "linkdir/through",
        "linkdir/sub",
        "..\\..\\outside",
        "sub\\..",
    ] {
        let pos = lsp_support::pos_of(&text, needle, 1);
        let range = json!({"start": pos, "end": pos});
        let response = c.request_raw(
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
        );
        all_uris_resolve_inside(&response, &s.vault, &format!("code action on {needle}"));
    }
    // Renames of a linked note: into the symlinked folder, up with backslashes, and to
    // names with a newline or a NUL.
    let at = lsp_support::pos_of(&text, "[[Target]]", 3);
    for new_name in [
        "linkdir/Inside",
        "linkdir/sub/Deeper",
        "..\\..\\outside\\B",
        "x\ny",
        "x\0y",
    ] {
        let response = c.request_raw(
            "textDocument/rename",
            json!({"textDocument": doc, "position": at, "newName": new_name}),
        );
        assert!(
            response.get("error").is_some(),
            "rename to {new_name:?} was not refused: {response}"
        );
    }
    let response = c.request_raw(
        "workspace/willRenameFiles",
        json!({"files": [{"oldUri": c.uri("sub/Target.md"), "newUri": format!("{}/new%0Aline.md", file_uri(&s.vault))}]}),
    );
    assert!(
        !response["result"].to_string().contains("\\n"),
        "a newline written into links: {response}"
    );
    // The note named `back\slash.md` is published under its own name.
    let slash = file_uri(&s.vault.join("back\\slash.md"));
    assert!(slash.contains("%5C"), "{slash}");
    c.diagnostics(&slash, |d| !d.as_array().unwrap().is_empty());
    assert!(
        !c.notifications.iter().any(|n| n["params"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("back/slash.md"))),
        "diagnostics published under back/slash.md"
    );
    // A save records the history: never through the symlinked trace.
    c.notify("textDocument/didSave", json!({"textDocument": doc}));
    std::thread::sleep(Duration::from_millis(1500));
    assert!(c.shutdown().success());
    assert!(
        changed(&outside_before, &snapshot(&s.outside)).is_empty(),
        "a language server session wrote outside the vault"
    );
}
