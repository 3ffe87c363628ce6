//! The search index's life on disk: warm starts, corrupt caches, two processes, live
//! updates and the background handle. Every cache folder is a temporary one.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use common::{copy_dir, fixture};
use twin::config::Config;
use twin::note::parse_note;
use twin::search::cache::CacheDir;
use twin::search::{IndexOptions, OpenReport, SearchHandle, SearchIndex, Storage, parse_query};

/// Notes in `fixtures/search`.
const FIXTURE_NOTES: usize = 8;

fn config(root: &Path) -> Config {
    twin::analysis::load_rulebook(root)
        .map(|rulebook| rulebook.config)
        .expect("config loads")
}

/// A writable copy of `fixtures/search` and an empty cache root, both temporary.
fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    copy_dir(&fixture("search"), &vault);
    let cache = dir.path().join("cache");
    (dir, vault, cache)
}

fn open(vault: &Path, cache: &Path) -> (SearchIndex, OpenReport) {
    let options = IndexOptions {
        cache_dir: Some(cache.to_path_buf()),
        in_memory: false,
        ..IndexOptions::default()
    };
    SearchIndex::open(vault, &config(vault), &options).expect("index opens")
}

fn paths(index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(&parse_query(query), 20)
        .unwrap()
        .into_iter()
        .map(|h| h.path.to_string())
        .collect()
}

fn index_dir(report: &OpenReport) -> PathBuf {
    CacheDir {
        dir: report.dir.clone().expect("on disk"),
    }
    .index_dir()
}

#[test]
fn warm_start_reindexes_only_what_changed() {
    let (_tmp, vault, cache) = scratch();
    let (index, first) = open(&vault, &cache);
    assert_eq!(first.storage, Storage::Disk);
    assert_eq!(first.indexed, FIXTURE_NOTES, "{first:?}");
    assert!(first.dir.as_ref().unwrap().starts_with(&cache));
    drop(index);

    let (index, second) = open(&vault, &cache);
    assert_eq!(
        (second.indexed, second.unchanged),
        (0, FIXTURE_NOTES),
        "{second:?}"
    );
    assert_eq!(paths(&index, "luhmann"), ["Zettelkasten.md"]);
    drop(index);

    // One note edited, one added, one deleted, one touched with the same text.
    let alpha = vault.join("projects/Alpha.md");
    let mut text = std::fs::read_to_string(&alpha).unwrap();
    text.push_str("\nThe heliotrope milestone moved.\n");
    std::fs::write(&alpha, text).unwrap();
    std::fs::write(vault.join("New note.md"), "# New\n\nA quokka appears.\n").unwrap();
    std::fs::remove_file(vault.join("Reading list.md")).unwrap();
    let touched = std::fs::File::options()
        .write(true)
        .open(vault.join("Evergreen notes.md"))
        .unwrap();
    touched
        .set_modified(SystemTime::now() + Duration::from_secs(60))
        .unwrap();
    drop(touched);

    let (index, third) = open(&vault, &cache);
    assert_eq!(third.indexed, 2, "edited and added: {third:?}");
    assert_eq!(third.touched, 1, "{third:?}");
    assert_eq!(third.removed, 1, "{third:?}");
    assert_eq!(third.unchanged, FIXTURE_NOTES - 3, "{third:?}");
    assert_eq!(paths(&index, "heliotrope"), ["projects/Alpha.md"]);
    assert_eq!(paths(&index, "quokka"), ["New note.md"]);
    assert!(
        paths(&index, "gardening")
            .iter()
            .all(|p| p != "Reading list.md")
    );
    assert_eq!(index.num_notes(), FIXTURE_NOTES as u64);
}

#[test]
fn corrupt_or_outdated_caches_are_rebuilt() {
    let (_tmp, vault, cache) = scratch();
    let (index, report) = open(&vault, &cache);
    drop(index);
    let dir = report.dir.clone().unwrap();
    let manifest = CacheDir { dir: dir.clone() }.manifest_path();

    type Damage<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let damage: Vec<Damage> = vec![
        (
            "meta.json",
            Box::new(|| std::fs::write(index_dir(&report).join("meta.json"), b"{").unwrap()),
        ),
        (
            "segment",
            Box::new(|| {
                // Halve every term dictionary: the files' footers no longer check out.
                for entry in std::fs::read_dir(index_dir(&report)).unwrap() {
                    let path = entry.unwrap().path();
                    if path.extension().is_some_and(|e| e == "term") {
                        let bytes = std::fs::read(&path).unwrap();
                        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
                    }
                }
            }),
        ),
        (
            "manifest",
            Box::new(|| std::fs::write(&manifest, b"not json").unwrap()),
        ),
        (
            "schema",
            Box::new(|| {
                let text = std::fs::read_to_string(&manifest).unwrap();
                let old = text.replacen("\"schema\":", "\"schema\":0,\"was\":", 1);
                std::fs::write(&manifest, old).unwrap();
            }),
        ),
        (
            "index folder",
            Box::new(|| std::fs::remove_dir_all(index_dir(&report)).unwrap()),
        ),
    ];
    for (what, break_it) in damage {
        break_it();
        let (index, rebuilt) = open(&vault, &cache);
        assert_eq!(rebuilt.storage, Storage::Disk, "{what}: {rebuilt:?}");
        assert_eq!(rebuilt.indexed, FIXTURE_NOTES, "{what}: {rebuilt:?}");
        assert_eq!(
            rebuilt.messages.len(),
            1,
            "{what}: one log line: {rebuilt:?}"
        );
        assert!(
            rebuilt.messages[0].contains("building the search index"),
            "{what}: {rebuilt:?}"
        );
        assert_eq!(paths(&index, "luhmann"), ["Zettelkasten.md"], "{what}");
        drop(index);
        let (_, again) = open(&vault, &cache);
        assert_eq!(
            again.indexed, 0,
            "{what}: rebuilt cache is reused: {again:?}"
        );
        assert!(again.messages.is_empty(), "{what}: {again:?}");
    }
}

#[test]
fn a_second_process_reads_the_last_commit() {
    let (_tmp, vault, cache) = scratch();
    let (writer, _) = open(&vault, &cache);
    let (reader, report) = open(&vault, &cache);
    assert_eq!(report.storage, Storage::ReadOnly, "{report:?}");
    assert!(
        report.messages[0].contains("another twin process"),
        "{report:?}"
    );
    assert_eq!(paths(&reader, "luhmann"), ["Zettelkasten.md"]);

    // The writer's commits reach the reader when it reloads; the reader writes nothing.
    let note = parse_note(
        Arc::from("Fresh.md"),
        Arc::from("# Fresh\n\nA heliotrope.\n"),
    );
    assert!(writer.update_note(&note).unwrap());
    assert!(writer.commit().unwrap());
    assert!(paths(&reader, "heliotrope").is_empty());
    assert!(!reader.commit().unwrap());
    assert_eq!(paths(&reader, "heliotrope"), ["Fresh.md"]);
    assert!(!reader.update_note(&note).unwrap());
    assert!(!reader.remove_note("Fresh.md"));

    // Once the writer is gone, the next process writes again.
    drop(writer);
    drop(reader);
    let (_, next) = open(&vault, &cache);
    assert_eq!(next.storage, Storage::Disk, "{next:?}");
}

#[test]
fn a_busy_cache_without_a_readable_index_falls_back_to_ram() {
    let (_tmp, vault, cache) = scratch();
    let dir = twin::search::cache::vault_cache_dir(&cache, &vault);
    let held = CacheDir { dir: dir.clone() }.try_lock().unwrap();
    assert!(held.is_some());
    let (index, report) = open(&vault, &cache);
    assert_eq!(report.storage, Storage::Memory, "{report:?}");
    assert!(report.messages[0].contains("in memory"), "{report:?}");
    assert_eq!(paths(&index, "luhmann"), ["Zettelkasten.md"]);
    assert!(!CacheDir { dir }.index_dir().exists(), "nothing written");
}

#[test]
fn no_cache_writes_nothing() {
    let (_tmp, vault, cache) = scratch();
    let options = IndexOptions {
        cache_dir: Some(cache.clone()),
        in_memory: true,
        ..IndexOptions::default()
    };
    let (index, report) = SearchIndex::open(&vault, &config(&vault), &options).unwrap();
    assert_eq!(report.storage, Storage::Memory);
    assert!(report.messages.is_empty());
    assert_eq!(index.cache_dir(), None);
    assert_eq!(paths(&index, "luhmann"), ["Zettelkasten.md"]);
    assert!(!cache.exists());
}

#[test]
fn live_updates_need_a_commit() {
    let (_tmp, vault, cache) = scratch();
    let (index, _) = open(&vault, &cache);
    let note = |text: &str| parse_note(Arc::from("projects/Alpha.md"), Arc::from(text));
    index.update_note(&note("# Alpha\n\nA wombat.\n")).unwrap();
    assert!(index.has_pending());
    assert_eq!(paths(&index, "wombat"), Vec::<String>::new());
    assert!(index.commit().unwrap());
    assert_eq!(paths(&index, "wombat"), ["projects/Alpha.md"]);
    assert!(paths(&index, "budget").is_empty(), "the old text is gone");
    // The same text again changes nothing.
    index.update_note(&note("# Alpha\n\nA wombat.\n")).unwrap();
    assert!(!index.has_pending());
    assert!(index.remove_note("projects/Alpha.md"));
    index.commit().unwrap();
    assert!(paths(&index, "wombat").is_empty());

    // The manifest follows the commits: a restart re-reads only the removed note's file.
    drop(index);
    let (_, report) = open(&vault, &cache);
    assert_eq!(report.indexed, 1, "{report:?}");
}

#[test]
fn the_handle_answers_once_ready_and_commits_after_a_pause() {
    let (_tmp, vault, _cache) = scratch();
    let (release, wait) = mpsc::channel::<()>();
    let root = vault.clone();
    let handle = SearchHandle::spawn(Duration::from_millis(50), move || {
        wait.recv().unwrap();
        let options = IndexOptions {
            cache_dir: None,
            in_memory: true,
            ..IndexOptions::default()
        };
        SearchIndex::open(&root, &config(&root), &options)
    });
    assert!(!handle.is_ready());
    assert!(handle.ready().is_none());
    // Edits made while the index is being built are applied when it is ready.
    handle.update_note(Arc::new(parse_note(
        Arc::from("Early.md"),
        Arc::from("An axolotl.\n"),
    )));
    release.send(()).unwrap();
    let index = handle.wait().unwrap();
    assert!(handle.is_ready());
    assert!(handle.report().unwrap().is_ok());
    let deadline = Instant::now() + Duration::from_secs(10);
    while paths(&index, "axolotl").is_empty() {
        assert!(Instant::now() < deadline, "the debounced commit never came");
        std::thread::sleep(Duration::from_millis(20));
    }
    handle.remove_note("Early.md");
    handle.flush().unwrap();
    assert!(paths(&index, "axolotl").is_empty());
}

/// Edits that never pause for the debounce time (a server under steady typing) are still
/// committed: before, nothing was, and the writer kept every replaced entry's delete.
#[test]
fn edits_that_never_pause_are_committed_within_the_longest_delay() {
    let (_tmp, vault, _cache) = scratch();
    let debounce = Duration::from_millis(100);
    let handle = SearchHandle::spawn(debounce, move || {
        let options = IndexOptions {
            cache_dir: None,
            in_memory: true,
            ..IndexOptions::default()
        };
        SearchIndex::open(&vault, &config(&vault), &options)
    });
    let index = handle.wait().unwrap();
    let started = Instant::now();
    let longest = debounce * twin::search::handle::MAX_DELAY_DEBOUNCES;
    let mut n = 0;
    // An edit every 5 ms, never a pause of 100 ms.
    while paths(&index, "quokka").is_empty() {
        assert!(
            started.elapsed() < longest * 5,
            "no commit in {:?} of steady edits",
            started.elapsed()
        );
        n += 1;
        let text = format!("A quokka, edit {n}.\n");
        handle.update_note(Arc::new(parse_note(
            Arc::from("Typed.md"),
            Arc::from(text.as_str()),
        )));
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn dropping_the_handle_commits_what_is_pending() {
    let (_tmp, vault, cache) = scratch();
    let options = IndexOptions {
        cache_dir: Some(cache.clone()),
        in_memory: false,
        ..IndexOptions::default()
    };
    // A long debounce: only the drop can commit in time.
    let handle = SearchHandle::spawn(Duration::from_secs(3600), {
        let vault = vault.clone();
        move || SearchIndex::open(&vault, &config(&vault), &options)
    });
    handle.wait().unwrap();
    // An editor saves a new note and tells the handle.
    std::fs::write(vault.join("Late.md"), "A pangolin.\n").unwrap();
    let note = parse_note(Arc::from("Late.md"), Arc::from("A pangolin.\n"));
    handle.update_note(Arc::new(note));
    drop(handle);
    // Committed on drop: the next start finds the note already indexed, by its hash.
    let (index, report) = open(&vault, &cache);
    assert_eq!((report.indexed, report.touched), (0, 1), "{report:?}");
    assert_eq!(paths(&index, "pangolin"), ["Late.md"]);
}

#[test]
fn a_busy_cache_can_be_replaced_by_ram_on_request() {
    let (_tmp, vault, cache) = scratch();
    let (writer, _) = open(&vault, &cache);
    let options = IndexOptions {
        cache_dir: Some(cache.clone()),
        in_memory: false,
        memory_when_busy: true,
        // As the language server opens it.
        lean_writer: true,
    };
    let (second, report) = SearchIndex::open(&vault, &config(&vault), &options).unwrap();
    assert_eq!(report.storage, Storage::Memory, "{report:?}");
    assert!(
        report.messages[0].contains("another twin process"),
        "{report:?}"
    );
    // Unlike a read-only index, it takes this process's edits.
    let note = parse_note(Arc::from("Mine.md"), Arc::from("A narwhal.\n"));
    assert!(second.update_note(&note).unwrap());
    second.commit().unwrap();
    assert_eq!(paths(&second, "narwhal"), ["Mine.md"]);
    assert!(paths(&writer, "narwhal").is_empty());
}

#[test]
fn short_runs_do_not_pile_up_segments() {
    let (_tmp, vault, cache) = scratch();
    let mut most = 0;
    for run in 0..20 {
        // Each run finds one new note, commits one small segment and exits.
        let text = format!("# Run {run}\n\nOne of many runs.\n");
        std::fs::write(vault.join(format!("Run {run}.md")), text).unwrap();
        let (index, report) = open(&vault, &cache);
        assert_eq!(report.indexed, if run == 0 { FIXTURE_NOTES + 1 } else { 1 });
        most = most.max(index.segment_count());
    }
    // Without merging, 20 runs leave 21 segments. Tantivy merges on background threads,
    // so the peak depends on timing: 14 was seen on a clean CI run; 16 still tells.
    assert!(most <= 16, "segments piled up: {most}");
    let (index, _) = open(&vault, &cache);
    assert_eq!(paths(&index, "many").len(), 20);
    assert_eq!(index.num_notes(), FIXTURE_NOTES as u64 + 20);
}
