//! Opening the search index: the warm start from the cache folder, rebuilds, and the
//! fallbacks when another process holds the writer lock.
//!
//! Only the process holding the cache folder's writer lock writes. Another process
//! reads the last commit (or, when that cannot be read, builds its own index in RAM),
//! so a second editor window or `twin search` next to a running server never fails and
//! never touches the files the writer owns.

use std::fs::File;
use std::path::Path;

use tantivy::Index;

use super::SearchError;
use super::cache::{
    CacheDir, Manifest, NoteSource, count_stale, default_cache_root, vault_cache_dir,
};
use super::index::{IndexOptions, OpenReport, SearchIndex, Storage, Writer};
use super::schema::{Fields, SCHEMA_VERSION, build_schema, fields_of, register_tokenizers};
use crate::config::Config;
use crate::vault::Vault;

/// Indexing memory per writer thread; tantivy flushes a segment when it is full.
const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;
/// Writer threads at most; indexing a vault is rarely worth more.
const MAX_WRITER_THREADS: usize = 4;
/// Indexing memory of a lean writer ([`IndexOptions::lean_writer`]): tantivy's minimum.
const LEAN_WRITER_MEMORY: usize = 15_000_000;
/// Segments beyond which opening merges them all. Short-lived processes (`twin search`)
/// exit before tantivy's background merges finish, so each run that changes something
/// would otherwise leave one more segment behind.
const MAX_SEGMENTS: usize = 12;

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
                        Self::open_cached(&cache, source, options, &mut report)
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
        let writer = new_writer(&index, manifest, None, options.lean_writer)?;
        let search = SearchIndex::assemble(index, fields, Storage::Memory, None, Some(writer))?;
        search.index_changes(source, &mut report)?;
        search.commit()?;
        Ok((search, report))
    }

    /// The cached index as writer or reader, or `None` (with a message) to use RAM.
    fn open_cached(
        cache: &CacheDir,
        source: NoteSource<'_>,
        options: &IndexOptions,
        report: &mut OpenReport,
    ) -> Option<SearchIndex> {
        let memory_when_busy = options.memory_when_busy;
        let dir = cache.dir.display();
        let result = match cache.try_lock() {
            Ok(Some(file)) => Self::open_writable(cache, file, source, options.lean_writer, report),
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
                report.storage = search.storage();
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
        lean: bool,
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
        let writer = new_writer(&index, manifest, Some(file), lean).map_err(|e| e.to_string())?;
        let search = SearchIndex::assemble(index, fields, Storage::Disk, Some(cache), Some(writer))
            .map_err(|e| e.to_string())?
            .with_modes(&modes);
        search
            .index_changes(source, report)
            .and_then(|()| search.commit().map(drop))
            .and_then(|()| search.compact(MAX_SEGMENTS))
            .map_err(|e| e.to_string())?;
        Ok(search)
    }
}

fn new_writer(
    index: &Index,
    manifest: Manifest,
    lock: Option<File>,
    lean: bool,
) -> Result<Writer, SearchError> {
    let writer = if lean {
        index.writer_with_num_threads(1, LEAN_WRITER_MEMORY)?
    } else {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_WRITER_THREADS);
        index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?
    };
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
