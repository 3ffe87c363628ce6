//! The check cache: each note's parse and term vectors, kept in twin's cache folder beside
//! the search index, so that a re-check parses and analyzes only the notes that changed.
//!
//! What a note yields here depends on its text alone (parsing and term counting read no
//! configuration), so an entry is keyed by the note's path, its length and a hash of its
//! text, and versioned by twin's version and the cache format. Everything vault-wide (names,
//! links, topology, document frequencies, rules) is computed again from these parts.
//! Modification times are not trusted: a CI checkout gives every file a new one, and a
//! file can change within one tick of a coarse clock.
//!
//! Entries live in shard files (`store.rs`), each written whole to a temporary file and
//! renamed into place, so a reader sees an old shard or a new one, never half of one, and
//! two runs at once cost at most some work. A shard that cannot be read is left out and
//! rewritten; the first such problem becomes one warning.

pub(crate) mod run;
pub(crate) mod stamps;
mod store;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use crate::coherence::{Coherence, NoteTerms};
use crate::note::{Note, VaultPath, parse_note};
use crate::search::cache::{content_hash, vault_cache_dir};
use crate::text::LineIndex;
use crate::vault::Vault;

pub use stamps::set_racy_window;
pub use store::CACHE_FORMAT;

/// The folder of the check cache inside a vault's cache folder.
const CHECK_DIR: &str = "check";

/// Where the check cache lives and whether to use it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CacheSetting {
    /// No cache (`--no-cache`, or no cache folder known).
    #[default]
    Off,
    /// twin's cache root (`TWIN_CACHE_DIR` or the user cache folder); the vault's folder
    /// under it is named by the vault's path, as for the search index.
    Root(PathBuf),
}

/// What the cache did during a load, for `TWIN_TIMINGS` and the CLI's warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheReport {
    /// Notes whose parse came from the cache.
    pub hits: usize,
    /// Notes parsed afresh.
    pub misses: usize,
    /// Shard files written.
    pub written: usize,
    /// Notes and canvases read to learn their text's hash, their stamps being new.
    pub hashed: usize,
    /// The findings are the last run's: nothing they depend on changed.
    pub reused: bool,
    /// Problems with the cache, one sentence each (a corrupt shard, a folder that cannot
    /// be written); the check goes on without it.
    pub warnings: Vec<String>,
}

/// One note as cached, read back.
#[derive(Debug)]
pub(crate) struct Entry {
    pub len: u64,
    pub hash: u64,
    pub note: Mutex<Option<Note>>,
    pub terms: Mutex<Option<NoteTerms>>,
    /// Whether the entry was written with term vectors.
    pub had_terms: bool,
    /// The text of the note that took this entry's parse, once one did. A note whose text
    /// is still this one has the parse and terms of the entry; one edited since (the
    /// language server edits its model) has another text.
    pub taken: OnceLock<Arc<str>>,
}

impl Entry {
    /// Whether a note of the vault took this entry's parse.
    pub fn hit(&self) -> bool {
        self.taken.get().is_some()
    }

    /// Whether `note` is the note that took this entry's parse, unchanged since (or
    /// edited back to the same text, which an editor opening it also does).
    pub fn fresh_for(&self, note: &Note) -> bool {
        self.taken
            .get()
            .is_some_and(|t| Arc::ptr_eq(t, &note.text) || **t == *note.text)
    }
}

/// The check cache of one vault, opened: every readable entry by path.
pub(crate) struct CheckCache {
    dir: PathBuf,
    entries: FxHashMap<Box<str>, Entry>,
    /// Entries per shard file as read, by (shard count, index): a shard is rewritten when
    /// a note in it changed, appeared or vanished.
    shards: FxHashMap<(u32, u32), usize>,
    pub report: CacheReport,
}

impl CheckCache {
    /// Opens the cache of the vault at `root` (canonical). `None` when the setting is off
    /// or the folder would be inside the vault (twin writes nothing there unasked).
    pub fn open(setting: &CacheSetting, root: &Path) -> Option<CheckCache> {
        match check_dir(setting, root)? {
            Ok(dir) => Some(CheckCache::open_dir(dir, None)),
            Err(warning) => Some(CheckCache {
                dir: PathBuf::new(),
                entries: FxHashMap::default(),
                shards: FxHashMap::default(),
                report: CacheReport {
                    warnings: vec![warning],
                    ..CacheReport::default()
                },
            }),
        }
    }

    /// Reads the shards in `dir`; `problem` is one already met with the cache's other
    /// files, said in place of the shards' own so that a damaged cache makes one warning.
    pub fn open_dir(dir: PathBuf, problem: Option<String>) -> CheckCache {
        let mut report = CacheReport::default();
        let (entries, shards, shard_problem) = store::read_all(&dir);
        if let Some(problem) = problem.or(shard_problem) {
            report
                .warnings
                .push(format!("the check cache {problem}; it is rebuilt"));
        }
        CheckCache {
            dir,
            entries,
            shards,
            report,
        }
    }

    /// Whether the cache may be written (it is not inside the vault).
    fn usable(&self) -> bool {
        !self.dir.as_os_str().is_empty()
    }

    /// The note at `path` with `text`: the cached parse when the text is the one it was
    /// made from, else a fresh one.
    pub fn parse(&self, path: VaultPath, text: Arc<str>) -> Note {
        let hash = match self.entries.get(&*path) {
            Some(entry) if entry.len == text.len() as u64 => content_hash(&text),
            _ => return parse_note(path, text),
        };
        self.parse_hashed(path, text, hash)
    }

    /// [`CheckCache::parse`] of a text whose hash the caller has.
    pub fn parse_hashed(&self, path: VaultPath, text: Arc<str>, hash: u64) -> Note {
        if let Some(entry) = self.entries.get(&*path)
            && entry.len == text.len() as u64
            && entry.hash == hash
            && let Some(mut note) = entry.note.lock().ok().and_then(|mut n| n.take())
        {
            let _ = entry.taken.set(text.clone());
            note.line_index = LineIndex::new(&text);
            note.path = path;
            note.text = text;
            return note;
        }
        parse_note(path, text)
    }

    /// The cached term vectors of every note whose parse came from the cache, by note id.
    pub fn known_terms(&self, vault: &Vault) -> Vec<Option<NoteTerms>> {
        vault
            .notes
            .iter()
            .map(|note| {
                let entry = self.entries.get(&*note.path)?;
                if !entry.fresh_for(note) {
                    return None;
                }
                entry.terms.lock().ok()?.take()
            })
            .collect()
    }

    /// Counts hits and misses, and writes the shards whose notes changed: every note of
    /// `vault` with its terms from `coherence` when they were computed.
    pub fn save(mut self, vault: &Vault, coherence: &Coherence) -> CacheReport {
        let hits = self.entries.values().filter(|e| e.hit()).count();
        self.report.hits = hits;
        self.report.misses = vault.notes.len().saturating_sub(hits);
        if !self.usable() {
            return self.report;
        }
        match store::write_changed(&self.dir, &self.entries, &self.shards, vault, coherence) {
            Ok(written) => self.report.written = written,
            Err(e) => self.report.warnings.push(format!(
                "the check cache cannot be written in {}: {e}",
                self.dir.display()
            )),
        }
        self.report
    }
}

/// The check cache's folder for the vault at `root` (canonical): `None` when the setting is
/// off, `Err` with a warning when the folder would be inside the vault.
pub(crate) fn check_dir(setting: &CacheSetting, root: &Path) -> Option<Result<PathBuf, String>> {
    let CacheSetting::Root(cache_root) = setting else {
        return None;
    };
    let dir = vault_cache_dir(cache_root, root).join(CHECK_DIR);
    if inside(&dir, root) {
        return Some(Err(format!(
            "the cache folder {} is inside the vault; checking without the cache",
            dir.display()
        )));
    }
    Some(Ok(dir))
}

/// Whether `dir` (which may not exist yet) is inside the vault at `root` (canonical).
fn inside(dir: &Path, root: &Path) -> bool {
    // The nearest folder that exists says where the path really goes (symlinks resolved).
    let mut probe = Some(dir);
    while let Some(at) = probe {
        if let Ok(real) = at.canonicalize() {
            let rest = dir.strip_prefix(at).unwrap_or(Path::new(""));
            return real.join(rest).starts_with(root);
        }
        probe = at.parent();
    }
    false
}
