//! The search index: kept in step with the vault (updates, commits, warm-start changes)
//! and searched. Opening it is in [`super::open`].

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::SearchError;
use super::cache::{CacheDir, Manifest, NoteSource, Stamp, content_hash, find_changes};
use super::inflight::{InFlight, QueuedDoc};
use super::schema::{Analyzers, Fields, Mode, note_document};
use super::syntax::SearchQuery;
use crate::config::Config;
use crate::note::{Note, VaultPath};

/// Documents made but not yet indexed, at most, while many notes are indexed at once:
/// enough to keep the writer busy, few enough that the notes' prose is not all copied.
const MAX_IN_FLIGHT: usize = 64;

/// Where the index lives and how to find it.
#[derive(Clone, Debug, Default)]
pub struct IndexOptions {
    /// The cache root (`--cache-dir`); `None` for [`default_cache_root`].
    pub cache_dir: Option<PathBuf>,
    /// Keep the index in RAM only (`--no-cache`).
    pub in_memory: bool,
    /// When another process writes the cached index, build one in RAM (which takes this
    /// process's edits) instead of reading that process's last commit. For a second
    /// language server; a one-shot search is better served by the commit.
    pub memory_when_busy: bool,
    /// Write with one thread and tantivy's smallest indexing memory: for the language
    /// server, which keeps its writer for its whole life and indexes mostly one note at
    /// a time. A first build makes more, smaller segments, merged in the background.
    pub lean_writer: bool,
}

/// Where an open index keeps its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// In the cache folder, written by this process.
    Disk,
    /// In the cache folder, written by another process; this one only reads.
    ReadOnly,
    /// In RAM, gone when the process ends.
    Memory,
}

/// What opening the index did, for logs and tests.
#[derive(Clone, Debug)]
pub struct OpenReport {
    pub storage: Storage,
    /// The vault's cache folder, when the index is on disk.
    pub dir: Option<PathBuf>,
    /// Notes (re)indexed.
    pub indexed: usize,
    /// Notes whose stamp changed but whose text did not.
    pub touched: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// One line per notable event (rebuilds, fallbacks), for stderr or the client log.
    pub messages: Vec<String>,
}

/// A search hit: a note and its score.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub path: VaultPath,
    pub score: f32,
}

/// A tantivy index of a vault's notes. All methods take `&self`, so one index can be
/// shared between threads: searches never wait for the writer.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    storage: Storage,
    dir: Option<PathBuf>,
    writer: Option<Mutex<Writer>>,
    /// Modes of the indexed notes: a query word is analyzed in each of them.
    modes: RwLock<Vec<Mode>>,
    analyzers: Mutex<Analyzers>,
}

pub(super) struct Writer {
    pub(super) writer: IndexWriter<QueuedDoc>,
    pub(super) manifest: Manifest,
    /// The index has uncommitted changes.
    pub(super) pending: bool,
    /// The manifest has unsaved changes.
    pub(super) manifest_dirty: bool,
    /// Held for as long as this process writes the cache folder.
    pub(super) _lock: Option<File>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SearchIndex {
    pub(super) fn assemble(
        index: Index,
        fields: Fields,
        storage: Storage,
        cache: Option<&CacheDir>,
        writer: Option<Writer>,
    ) -> Result<SearchIndex, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            fields,
            storage,
            dir: cache.map(|c| c.dir.clone()),
            writer: writer.map(Mutex::new),
            modes: RwLock::new(vec![Mode::DEFAULT]),
            analyzers: Mutex::new(Analyzers::default()),
        })
    }

    pub(super) fn with_modes(self, manifest: &Manifest) -> SearchIndex {
        for code in &manifest.modes {
            if let Some(mode) = Mode::from_code(code) {
                self.note_mode(mode);
            }
        }
        self
    }

    fn note_mode(&self, mode: Mode) {
        let known = self
            .modes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&mode);
        if !known {
            let mut modes = self.modes.write().unwrap_or_else(PoisonError::into_inner);
            if !modes.contains(&mode) {
                modes.push(mode);
                modes.sort_by_key(|m| m.code());
            }
        }
    }

    /// Indexes what differs between `source` and the manifest (everything, when new).
    pub(super) fn index_changes(
        &self,
        source: NoteSource<'_>,
        report: &mut OpenReport,
    ) -> Result<(), SearchError> {
        let Some(writer) = &self.writer else {
            return Ok(());
        };
        let mut guard = lock(writer);
        let w = &mut *guard;
        // A new index has nothing to delete, and deletes are not free.
        let fresh = w.manifest.notes.is_empty();
        let modes = Mutex::new(Vec::new());
        let failure = Mutex::new(None);
        let fields = self.fields;
        let in_flight = InFlight::new(MAX_IN_FLIGHT);
        let changes = find_changes(source, &w.manifest, |note| {
            let mode = Mode::of_note(note);
            if !fresh {
                w.writer.delete_term(path_term(&fields, &note.path));
            }
            let doc = in_flight.admit(note_document(&fields, note, mode));
            if let Err(e) = w.writer.add_document(doc) {
                *lock(&failure) = Some(e);
            }
            let mut modes = lock(&modes);
            if !modes.contains(&mode) {
                modes.push(mode);
            }
        });
        if let Some(e) = failure.into_inner().unwrap_or_else(PoisonError::into_inner) {
            return Err(e.into());
        }
        for mode in modes.into_inner().unwrap_or_else(PoisonError::into_inner) {
            self.note_mode(mode);
            let code = mode.code();
            if !w.manifest.modes.contains(&code) {
                w.manifest.modes.push(code);
            }
        }
        for path in &changes.removed {
            w.writer.delete_term(path_term(&fields, path));
            w.manifest.notes.remove(path);
        }
        for (path, stamp) in changes.indexed.iter().chain(&changes.touched) {
            w.manifest.notes.insert(path.to_string(), *stamp);
        }
        w.pending |= !changes.indexed.is_empty() || !changes.removed.is_empty();
        w.manifest_dirty |= w.pending || !changes.touched.is_empty();
        report.indexed += changes.indexed.len();
        report.touched += changes.touched.len();
        report.removed += changes.removed.len();
        report.unchanged += changes.unchanged;
        Ok(())
    }

    /// Brings the index in step with the disk again (after external changes), as a warm
    /// start would; the caller commits. Returns what changed.
    pub fn sync_with_disk(&self, root: &Path, config: &Config) -> Result<OpenReport, SearchError> {
        let mut report = OpenReport {
            storage: self.storage,
            dir: self.dir.clone(),
            indexed: 0,
            touched: 0,
            removed: 0,
            unchanged: 0,
            messages: Vec::new(),
        };
        self.index_changes(NoteSource::Disk { root, config }, &mut report)?;
        Ok(report)
    }

    /// Replaces a note's entry (delete by path, then add). Visible after [`commit`].
    /// Returns `false` when this index is read-only; an unchanged text is skipped.
    ///
    /// [`commit`]: SearchIndex::commit
    pub fn update_note(&self, note: &Note) -> Result<bool, SearchError> {
        let Some(writer) = &self.writer else {
            return Ok(false);
        };
        let hash = content_hash(&note.text);
        let mut w = lock(writer);
        if w.manifest
            .notes
            .get(&*note.path)
            .is_some_and(|s| s.hash == hash)
        {
            return Ok(true);
        }
        let mode = Mode::of_note(note);
        w.writer.delete_term(path_term(&self.fields, &note.path));
        w.writer
            .add_document(QueuedDoc::free(note_document(&self.fields, note, mode)))?;
        let stamp = Stamp {
            size: note.text.len() as u64,
            mtime: None,
            hash,
        };
        w.manifest.notes.insert(note.path.to_string(), stamp);
        let code = mode.code();
        if !w.manifest.modes.contains(&code) {
            w.manifest.modes.push(code);
        }
        w.pending = true;
        w.manifest_dirty = true;
        drop(w);
        self.note_mode(mode);
        Ok(true)
    }

    /// Removes a note by path. Visible after [`SearchIndex::commit`]; `false` when read-only.
    pub fn remove_note(&self, path: &str) -> bool {
        let Some(writer) = &self.writer else {
            return false;
        };
        let mut w = lock(writer);
        w.writer.delete_term(path_term(&self.fields, path));
        w.manifest.notes.remove(path);
        w.pending = true;
        w.manifest_dirty = true;
        true
    }

    /// Commits pending changes, reloads the reader and saves the manifest. A read-only
    /// index only reloads, picking up the writer process's latest commit. Returns whether
    /// anything was committed.
    pub fn commit(&self) -> Result<bool, SearchError> {
        let Some(writer) = &self.writer else {
            self.reader.reload()?;
            return Ok(false);
        };
        let mut w = lock(writer);
        let committed = w.pending;
        if w.pending {
            let generation = next_generation(w.manifest.generation);
            let mut prepared = w.writer.prepare_commit()?;
            prepared.set_payload(&generation.to_string());
            prepared.commit()?;
            w.manifest.generation = generation;
            w.pending = false;
            // The reader reloads by hand, right after each commit.
            self.reader.reload()?;
        }
        if w.manifest_dirty {
            if let (Storage::Disk, Some(dir)) = (self.storage, &self.dir) {
                let cache = CacheDir { dir: dir.clone() };
                w.manifest.save(&cache.manifest_path())?;
            }
            w.manifest_dirty = false;
        }
        Ok(committed)
    }

    /// Merges every segment into one when there are more than `max_segments`, and waits.
    pub(super) fn compact(&self, max_segments: usize) -> Result<(), SearchError> {
        let Some(writer) = &self.writer else {
            return Ok(());
        };
        let mut w = lock(writer);
        let ids = w.writer.index().searchable_segment_ids()?;
        if ids.len() > max_segments {
            // A segment already in a background merge makes this one fail: that merge
            // shrinks the count as well.
            if w.writer.merge(&ids).wait().is_ok() {
                self.reader.reload()?;
            }
        }
        Ok(())
    }

    /// Segments in the last committed index (tests, diagnostics).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Whether there are changes that [`SearchIndex::commit`] would write.
    pub fn has_pending(&self) -> bool {
        self.writer.as_ref().is_some_and(|w| lock(w).pending)
    }

    /// The best notes for a query, best first (ties by path).
    pub fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<SearchHit>, SearchError> {
        let modes = self.modes();
        let built = query.build(&self.fields, &modes, &mut lock(&self.analyzers));
        match built {
            Some(q) => self.run(&*q, limit),
            None => Ok(Vec::new()),
        }
    }

    /// The best notes for a query and how many notes match in all.
    pub fn search_counted(
        &self,
        query: &SearchQuery,
        limit: usize,
    ) -> Result<(Vec<SearchHit>, usize), SearchError> {
        let modes = self.modes();
        let built = query.build(&self.fields, &modes, &mut lock(&self.analyzers));
        let Some(q) = built else {
            return Ok((Vec::new(), 0));
        };
        let total = self.reader.searcher().search(&*q, &Count)?;
        Ok((self.run(&*q, limit)?, total))
    }

    /// Every note a query matches, unranked and unsorted (the full-text selectors of query
    /// rules need the whole set, not the best few).
    pub fn matching_paths(&self, query: &SearchQuery) -> Result<Vec<VaultPath>, SearchError> {
        let modes = self.modes();
        let built = query.build(&self.fields, &modes, &mut lock(&self.analyzers));
        let Some(q) = built else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&*q, &tantivy::collector::DocSetCollector)?;
        let mut paths = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(path) = doc.get_first(self.fields.path).and_then(|v| v.as_str()) {
                paths.push(VaultPath::from(path));
            }
        }
        Ok(paths)
    }

    /// Runs a tantivy query; hits best first, ties by path.
    pub(crate) fn run(
        &self,
        query: &dyn Query,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(path) = doc.get_first(self.fields.path).and_then(|v| v.as_str()) {
                hits.push(SearchHit {
                    path: VaultPath::from(path),
                    score,
                });
            }
        }
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(hits)
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The modes of the indexed notes, sorted.
    pub(crate) fn modes(&self) -> Vec<Mode> {
        self.modes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn analyzers(&self) -> MutexGuard<'_, Analyzers> {
        lock(&self.analyzers)
    }

    pub fn storage(&self) -> Storage {
        self.storage
    }

    /// The vault's cache folder, when the index is on disk.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Notes in the last committed index.
    pub fn num_notes(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

fn path_term(fields: &Fields, path: &str) -> Term {
    Term::from_field_text(fields.path, path)
}

/// A commit id that differs from the previous one, also across processes.
fn next_generation(previous: u64) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let generation = now ^ (u64::from(std::process::id()) << 40);
    if generation == previous {
        generation.wrapping_add(1)
    } else {
        generation
    }
}
