//! The search index: opened from the cache or built, kept in step with the vault, searched.
//!
//! Only the process holding the cache folder's writer lock writes. Another process
//! reads the last commit (or, when that cannot be read, builds its own index in RAM),
//! so a second editor window or `twin search` next to a running server never fails and
//! never touches the files the writer owns.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::SearchError;
use super::cache::{
    CacheDir, Manifest, NoteSource, Stamp, content_hash, count_stale, default_cache_root,
    find_changes, vault_cache_dir,
};
use super::query::SearchQuery;
use super::schema::{
    Analyzers, Fields, Mode, SCHEMA_VERSION, build_schema, fields_of, note_document,
    register_tokenizers,
};
use crate::config::Config;
use crate::note::{Note, VaultPath};
use crate::vault::Vault;

/// Indexing memory per writer thread; tantivy flushes a segment when it is full.
const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;
/// Writer threads at most; indexing a vault is rarely worth more.
const MAX_WRITER_THREADS: usize = 4;

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

struct Writer {
    writer: IndexWriter<TantivyDocument>,
    manifest: Manifest,
    /// The index has uncommitted changes.
    pending: bool,
    /// The manifest has unsaved changes.
    manifest_dirty: bool,
    /// Held for as long as this process writes the cache folder.
    _lock: Option<File>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SearchIndex {
    /// Opens the vault's cached index and re-indexes what changed on disk since it was
    /// written (the warm start), or builds it. Never fails because of the cache: a broken
    /// index is rebuilt and a busy one read or replaced by RAM, as `messages` tells.
    pub fn open(
        root: &Path,
        config: &Config,
        options: &IndexOptions,
    ) -> Result<(SearchIndex, OpenReport), SearchError> {
        Self::open_source(NoteSource::Disk { root, config }, root, options)
    }

    /// As [`SearchIndex::open`], for a vault already loaded (its notes are not read again).
    pub fn open_vault(
        vault: &Vault,
        options: &IndexOptions,
    ) -> Result<(SearchIndex, OpenReport), SearchError> {
        Self::open_source(NoteSource::Vault(vault), &vault.root, options)
    }

    fn open_source(
        source: NoteSource<'_>,
        root: &Path,
        options: &IndexOptions,
    ) -> Result<(SearchIndex, OpenReport), SearchError> {
        let mut report = OpenReport {
            storage: Storage::Memory,
            dir: None,
            indexed: 0,
            touched: 0,
            removed: 0,
            unchanged: 0,
            messages: Vec::new(),
        };
        if !options.in_memory {
            match options.cache_dir.clone().or_else(default_cache_root) {
                Some(cache_root) => {
                    let cache = CacheDir {
                        dir: vault_cache_dir(&cache_root, root),
                    };
                    if let Some(index) =
                        Self::open_cached(&cache, source, options.memory_when_busy, &mut report)
                    {
                        return Ok((index, report));
                    }
                }
                None => report.messages.push(
                    "no cache folder is known (set TWIN_CACHE_DIR); the search index stays in memory"
                        .to_string(),
                ),
            }
        }
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_tokenizers(&index);
        let manifest = Manifest {
            schema: SCHEMA_VERSION,
            ..Manifest::default()
        };
        let writer = new_writer(&index, manifest, None)?;
        let search = SearchIndex::assemble(index, fields, Storage::Memory, None, Some(writer))?;
        search.index_changes(source, &mut report)?;
        search.commit()?;
        Ok((search, report))
    }

    /// The cached index as writer or reader, or `None` (with a message) to use RAM.
    fn open_cached(
        cache: &CacheDir,
        source: NoteSource<'_>,
        memory_when_busy: bool,
        report: &mut OpenReport,
    ) -> Option<SearchIndex> {
        let dir = cache.dir.display();
        let result = match cache.try_lock() {
            Ok(Some(file)) => Self::open_writable(cache, file, source, report),
            Ok(None) if memory_when_busy => Err("another twin process is writing it".to_string()),
            Ok(None) => match open_existing(cache) {
                Ok((index, manifest, fields)) => {
                    let stale = count_stale(source, &manifest);
                    report.messages.push(format!(
                        "another twin process is writing the search index in {dir}; \
                         searching its last commit read-only ({stale} notes changed since)"
                    ));
                    let search =
                        SearchIndex::assemble(index, fields, Storage::ReadOnly, Some(cache), None)
                            .map(|s| s.with_modes(&manifest));
                    report.unchanged = manifest.notes.len();
                    search.map_err(|e| e.to_string())
                }
                Err(reason) => Err(format!(
                    "another twin process is writing it and its last commit cannot be read ({reason})"
                )),
            },
            Err(e) => Err(format!("cannot lock {dir}: {e}")),
        };
        match result {
            Ok(search) => {
                report.storage = search.storage;
                report.dir = Some(cache.dir.clone());
                Some(search)
            }
            Err(reason) => {
                report.messages.push(format!(
                    "search index in {dir} not used: {reason}; building one in memory"
                ));
                None
            }
        }
    }

    fn open_writable(
        cache: &CacheDir,
        file: File,
        source: NoteSource<'_>,
        report: &mut OpenReport,
    ) -> Result<SearchIndex, String> {
        let index_dir = cache.index_dir();
        let (index, manifest, fields) = match open_existing(cache) {
            Ok(found) => found,
            Err(reason) => {
                report.messages.push(format!(
                    "building the search index in {} ({reason})",
                    cache.dir.display()
                ));
                create_on_disk(&index_dir).map_err(|e| e.to_string())?
            }
        };
        let modes = manifest.clone();
        let writer = new_writer(&index, manifest, Some(file)).map_err(|e| e.to_string())?;
        let search = SearchIndex::assemble(index, fields, Storage::Disk, Some(cache), Some(writer))
            .map_err(|e| e.to_string())?
            .with_modes(&modes);
        search
            .index_changes(source, report)
            .and_then(|()| search.commit().map(drop))
            .map_err(|e| e.to_string())?;
        Ok(search)
    }

    fn assemble(
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

    fn with_modes(self, manifest: &Manifest) -> SearchIndex {
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
    fn index_changes(
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
        let changes = find_changes(source, &w.manifest, |note| {
            let mode = Mode::of_note(note);
            if !fresh {
                w.writer.delete_term(path_term(&fields, &note.path));
            }
            if let Err(e) = w.writer.add_document(note_document(&fields, note, mode)) {
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
            .add_document(note_document(&self.fields, note, mode))?;
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

fn new_writer(
    index: &Index,
    manifest: Manifest,
    lock: Option<File>,
) -> Result<Writer, SearchError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_WRITER_THREADS);
    let writer = index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?;
    Ok(Writer {
        writer,
        manifest,
        pending: false,
        manifest_dirty: false,
        _lock: lock,
    })
}

/// The cached index and its manifest, when they are whole, current and agree.
fn open_existing(cache: &CacheDir) -> Result<(Index, Manifest, Fields), String> {
    let index_dir = cache.index_dir();
    if !index_dir.exists() {
        return Err("none yet".to_string());
    }
    let manifest = Manifest::load(&cache.manifest_path())
        .ok_or_else(|| "its manifest is missing or unreadable".to_string())?;
    if manifest.schema != SCHEMA_VERSION {
        return Err(format!(
            "made for schema {}, this twin uses {SCHEMA_VERSION}",
            manifest.schema
        ));
    }
    let index = Index::open_in_dir(&index_dir).map_err(|e| format!("cannot open it: {e}"))?;
    let fields = fields_of(&index).ok_or_else(|| "its schema differs".to_string())?;
    let metas = index
        .load_metas()
        .map_err(|e| format!("cannot read its metadata: {e}"))?;
    if metas.payload.as_deref() != Some(manifest.generation.to_string().as_str()) {
        return Err("the index and its manifest disagree".to_string());
    }
    // Reading every file once is cheap at vault sizes and catches a damaged cache.
    match index.validate_checksum() {
        Ok(damaged) if damaged.is_empty() => {}
        Ok(damaged) => return Err(format!("{} damaged files", damaged.len())),
        Err(e) => return Err(format!("corrupt: {e}")),
    }
    register_tokenizers(&index);
    Ok((index, manifest, fields))
}

/// A new empty index in `index_dir`, replacing whatever was there.
fn create_on_disk(index_dir: &Path) -> Result<(Index, Manifest, Fields), SearchError> {
    if index_dir.exists() {
        std::fs::remove_dir_all(index_dir)?;
    }
    std::fs::create_dir_all(index_dir)?;
    let (schema, fields) = build_schema();
    let index = Index::create_in_dir(index_dir, schema)?;
    register_tokenizers(&index);
    let manifest = Manifest {
        schema: SCHEMA_VERSION,
        ..Manifest::default()
    };
    Ok((index, manifest, fields))
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
