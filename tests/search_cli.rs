//! `twin search` through the real binary: output snapshots, exit codes, the cache folder
//! and a second process next to a writer. Caches always go to temporary folders.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::fixture;
use twin::search::{IndexOptions, SearchIndex, Storage};

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `twin search` with `TWIN_CACHE_DIR` pointing into `cache`, so nothing reaches
/// the user's cache folder even when a test leaves `--cache-dir` out.
fn search(cache: &Path, args: &[&str]) -> Out {
    let output = Command::new(env!("CARGO_BIN_EXE_twin"))
        .arg("search")
        .args(args)
        .env("TWIN_CACHE_DIR", cache)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("twin runs");
    Out {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn vault() -> String {
    fixture("search").to_string_lossy().into_owned()
}

#[test]
fn json_output() {
    let cache = tempfile::tempdir().unwrap();
    let out = search(
        cache.path(),
        &["zettelkasten OR заметки", &vault(), "--format", "json"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    insta::assert_snapshot!("search_json", serde_json::to_string_pretty(&value).unwrap());
}

#[test]
fn human_output() {
    let cache = tempfile::tempdir().unwrap();
    let out = search(
        cache.path(),
        &["linking notes", &vault(), "--color", "never"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    insta::assert_snapshot!("search_human", out.stdout);
    let limited = search(
        cache.path(),
        &["note", &vault(), "--limit", "1", "--color", "never"],
    );
    insta::assert_snapshot!("search_human_limited", limited.stdout);
}

#[test]
fn human_output_highlights_matches_in_colour() {
    let cache = tempfile::tempdir().unwrap();
    let out = search(cache.path(), &["Häuser", &vault(), "--color", "always"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("\u{1b}[1m\u{1b}[31mHäuser\u{1b}[0m"),
        "{:?}",
        out.stdout
    );
    insta::assert_snapshot!("search_human_color", out.stdout);
}

#[test]
fn exit_codes() {
    let cache = tempfile::tempdir().unwrap();
    let none = search(cache.path(), &["frobnicate", &vault()]);
    assert_eq!(none.code, Some(1));
    assert_eq!(none.stdout, "0 matching notes.\n");
    let missing = search(cache.path(), &["x", "/no/such/vault"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("does not exist"),
        "{}",
        missing.stderr
    );
    let usage = search(cache.path(), &[]);
    assert_eq!(usage.code, Some(2));
}

#[test]
fn the_cache_is_built_once_and_kept_outside_the_vault() {
    let cache = tempfile::tempdir().unwrap();
    let first = search(cache.path(), &["luhmann", &vault()]);
    assert_eq!(first.code, Some(0));
    assert!(
        first.stderr.contains("building the search index"),
        "{}",
        first.stderr
    );
    let folders: Vec<_> = std::fs::read_dir(cache.path()).unwrap().collect();
    assert_eq!(folders.len(), 1, "one folder per vault");
    let second = search(cache.path(), &["luhmann", &vault()]);
    assert_eq!(second.stderr, "", "a warm start says nothing");
    assert_eq!(second.stdout, first.stdout);

    // `--cache-dir` wins over the environment; `--no-cache` writes nowhere.
    let other = tempfile::tempdir().unwrap();
    let other_root = other.path().join("caches");
    let flagged = search(
        cache.path(),
        &[
            "luhmann",
            &vault(),
            "--cache-dir",
            other_root.to_str().unwrap(),
        ],
    );
    assert_eq!(flagged.stdout, first.stdout);
    assert!(other_root.exists());
    let fresh = tempfile::tempdir().unwrap();
    let unwritten = fresh.path().join("never");
    let ram = search(&unwritten, &["luhmann", &vault(), "--no-cache"]);
    assert_eq!(ram.stdout, first.stdout);
    assert_eq!(ram.stderr, "");
    assert!(!unwritten.exists());
}

#[test]
fn a_second_process_searches_while_the_first_writes() {
    let cache = tempfile::tempdir().unwrap();
    let root = fixture("search");
    let config = twin::analysis::load_rulebook(&root)
        .map(|rulebook| rulebook.config)
        .unwrap();
    let options = IndexOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        in_memory: false,
        ..IndexOptions::default()
    };
    // This test process plays the language server: it holds the writer lock.
    let (writer, report) = SearchIndex::open(&root, &config, &options).unwrap();
    assert_eq!(report.storage, Storage::Disk);
    let out = search(cache.path(), &["luhmann", &vault()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    assert!(out.stdout.starts_with("Zettelkasten.md"), "{}", out.stdout);
    // Two readers at once, and the writer still works afterwards.
    let a = std::thread::spawn({
        let cache = cache.path().to_path_buf();
        move || search(&cache, &["заметки", &vault()])
    });
    let b = search(cache.path(), &["заметки", &vault()]);
    let a = a.join().unwrap();
    assert_eq!((a.code, b.code), (Some(0), Some(0)));
    assert_eq!(a.stdout, b.stdout);
    assert!(writer.commit().is_ok());
    drop(writer);
    let after = search(cache.path(), &["luhmann", &vault()]);
    assert_eq!(after.stderr, "", "the lock is free again: {}", after.stderr);
}
