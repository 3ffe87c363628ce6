//! Where indexes are cached, the manifest of what they hold, and the scan for changes.
//!
//! Each vault gets a folder under the cache root named by a hash of its canonical path.
//! The folder holds `index/` (tantivy), `manifest.json` (size, mtime and content hash of
//! every indexed note) and `writer.lock`, held by the one process that may write.

use std::fs::{File, OpenOptions, TryLockError};
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::note::{Note, VaultPath, parse_note};
use crate::vault::{FileKind, MAX_NOTE_BYTES, Vault, discover_files};

/// Overrides the cache root (as `--cache-dir` does).
pub const CACHE_DIR_ENV: &str = "TWIN_CACHE_DIR";

const MANIFEST_FILE: &str = "manifest.json";
const LOCK_FILE: &str = "writer.lock";
const INDEX_DIR: &str = "index";

/// twin's cache root: `TWIN_CACHE_DIR`, else the platform's user cache folder plus
/// `twin` (`$XDG_CACHE_HOME` or `~/.cache` on Linux). `None` when nothing says where.
pub fn default_cache_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    platform_cache_dir().map(|dir| dir.join("twin"))
}

fn platform_cache_dir() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return env("LOCALAPPDATA");
    }
    let home = env("HOME");
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library/Caches"));
    }
    // XDG says a relative value must be ignored.
    env("XDG_CACHE_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(".cache")))
}

/// The cache folder of one vault: its folder name (for people) and a hash of its path.
pub fn vault_cache_dir(cache_root: &Path, vault_root: &Path) -> PathBuf {
    let canonical = vault_root
        .canonicalize()
        .unwrap_or_else(|_| vault_root.to_path_buf());
    let name: String = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    let hash = fnv1a(canonical.as_os_str().as_encoded_bytes());
    cache_root.join(format!("{name}-{hash:016x}"))
}

/// FNV-1a: tiny and fixed forever, so cache folder names never change between builds.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A hash of a note's text, to tell a touched file from a changed one.
pub fn content_hash(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.write_usize(text.len());
    hasher.finish()
}

/// The paths inside one vault's cache folder.
#[derive(Clone, Debug)]
pub struct CacheDir {
    pub dir: PathBuf,
}

impl CacheDir {
    pub fn index_dir(&self) -> PathBuf {
        self.dir.join(INDEX_DIR)
    }

    pub fn manifest_path(&self) -> PathBuf {
        self.dir.join(MANIFEST_FILE)
    }

    /// Takes the writer lock without waiting: `Ok(None)` when another process holds it.
    /// The lock is released when the returned file is closed, even by a crash.
    pub fn try_lock(&self) -> io::Result<Option<File>> {
        std::fs::create_dir_all(&self.dir)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

/// What the index holds of one note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch; `None` for text that came from
    /// an editor rather than the disk, so the next start compares hashes.
    pub mtime: Option<u64>,
    pub hash: u64,
}

/// The manifest: what the committed index holds, note by note.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    /// Matches the payload of the index commit it describes; anything else means the
    /// manifest and the index went apart (a crash between the two writes).
    pub generation: u64,
    /// Codes of the modes used by indexed notes (see `Mode::code`).
    pub modes: Vec<String>,
    pub notes: FxHashMap<String, Stamp>,
}

impl Manifest {
    /// Reads a manifest; `None` when it is missing or unreadable.
    pub fn load(path: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the manifest atomically: a temporary file renamed over the old one.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let mut file = File::create(&tmp)?;
        file.write_all(&serde_json::to_vec(self).map_err(io::Error::other)?)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    }
}

/// A note file on disk and its stamp before hashing.
#[derive(Clone, Debug)]
pub struct DiskNote {
    pub path: VaultPath,
    pub abs_path: PathBuf,
    pub size: u64,
    pub mtime: Option<u64>,
}

impl DiskNote {
    /// Whether the manifest's stamp says the file is unchanged, without reading it.
    pub fn matches(&self, stamp: &Stamp) -> bool {
        stamp.size == self.size && stamp.mtime.is_some() && stamp.mtime == self.mtime
    }
}

/// Lists the vault's notes (the same files `twin check` reads) with size and mtime.
pub fn scan_notes(root: &Path, config: &Config) -> Vec<DiskNote> {
    let files = discover_files(root, config);
    files
        .into_par_iter()
        .filter(|f| f.kind == FileKind::Note && !f.lossy_name)
        .filter_map(|f| {
            let meta = std::fs::metadata(&f.abs_path).ok()?;
            Some(DiskNote {
                size: meta.len(),
                mtime: mtime_nanos(&meta),
                path: f.path,
                abs_path: f.abs_path,
            })
        })
        .collect()
}

/// A file's modification time in nanoseconds since the epoch, where the platform has one.
pub fn mtime_nanos(meta: &std::fs::Metadata) -> Option<u64> {
    let since = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(since.as_nanos()).ok()
}

/// Reads a note's text as the vault loader does: size limit, no NUL bytes, UTF-8.
/// `None` for a file `twin check` would skip; it is not indexed.
pub fn read_note_text(path: &Path) -> Option<Arc<str>> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() as u64 > MAX_NOTE_BYTES
        || memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
    {
        return None;
    }
    String::from_utf8(bytes).ok().map(Arc::from)
}

/// Where the notes to index come from.
#[derive(Clone, Copy)]
pub enum NoteSource<'a> {
    /// Read from disk, as `twin check` discovers them.
    Disk { root: &'a Path, config: &'a Config },
    /// A vault already loaded (the language server), whose notes may hold unsaved text.
    Vault(&'a Vault),
}

impl NoteSource<'_> {
    /// Every note with its size and mtime on disk.
    pub fn listing(&self) -> Vec<DiskNote> {
        match self {
            NoteSource::Disk { root, config } => scan_notes(root, config),
            NoteSource::Vault(vault) => vault
                .notes
                .par_iter()
                .map(|note| {
                    let abs_path = vault.root.join(&*note.path);
                    let meta = std::fs::metadata(&abs_path).ok();
                    DiskNote {
                        path: note.path.clone(),
                        size: meta.as_ref().map_or(note.text.len() as u64, |m| m.len()),
                        // Text that differs in length from the file is an unsaved edit.
                        mtime: meta
                            .as_ref()
                            .filter(|m| m.len() == note.text.len() as u64)
                            .and_then(mtime_nanos),
                        abs_path,
                    }
                })
                .collect(),
        }
    }

    /// The parsed note behind a listing entry; `None` when it cannot be read.
    fn note(&self, file: &DiskNote) -> Option<Arc<Note>> {
        match self {
            NoteSource::Disk { .. } => {
                let text = read_note_text(&file.abs_path)?;
                Some(Arc::new(parse_note(file.path.clone(), text)))
            }
            NoteSource::Vault(vault) => vault
                .note_by_path(&file.path)
                .map(|id| vault.notes[id.0 as usize].clone()),
        }
    }
}

/// What a warm start found: notes to index, notes whose stamp alone changed, and notes
/// that are gone.
#[derive(Debug, Default)]
pub struct Changes {
    /// Notes handed to the indexing callback, with their new stamps.
    pub indexed: Vec<(VaultPath, Stamp)>,
    /// Same content under a new stamp (a `touch`, a checkout): nothing to re-index.
    pub touched: Vec<(VaultPath, Stamp)>,
    /// In the manifest but no longer readable notes of the vault.
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Compares the vault with the manifest. Notes whose size or mtime differ are read and
/// hashed; those whose content differs go to `index`, in parallel.
pub fn find_changes(
    source: NoteSource<'_>,
    manifest: &Manifest,
    index: impl Fn(&Note) + Sync,
) -> Changes {
    enum Found {
        Unchanged(VaultPath),
        Touched(VaultPath, Stamp),
        Indexed(VaultPath, Stamp),
        Unreadable,
    }
    let found: Vec<Found> = source
        .listing()
        .into_par_iter()
        .map(|file| {
            let old = manifest.notes.get(&*file.path);
            if old.is_some_and(|old| file.matches(old)) {
                return Found::Unchanged(file.path);
            }
            let Some(note) = source.note(&file) else {
                return Found::Unreadable;
            };
            let stamp = Stamp {
                size: file.size,
                mtime: file.mtime,
                hash: content_hash(&note.text),
            };
            if old.is_some_and(|old| old.hash == stamp.hash) {
                return Found::Touched(file.path, stamp);
            }
            index(&note);
            Found::Indexed(file.path, stamp)
        })
        .collect();
    let mut changes = Changes::default();
    let mut present: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for f in &found {
        match f {
            Found::Unchanged(path) => {
                changes.unchanged += 1;
                present.insert(path);
            }
            Found::Touched(path, stamp) => {
                present.insert(path);
                changes.touched.push((path.clone(), *stamp));
            }
            Found::Indexed(path, stamp) => {
                present.insert(path);
                changes.indexed.push((path.clone(), *stamp));
            }
            Found::Unreadable => {}
        }
    }
    changes.removed = manifest
        .notes
        .keys()
        .filter(|path| !present.contains(path.as_str()))
        .cloned()
        .collect();
    changes.removed.sort_unstable();
    changes
}

/// How many notes differ from the manifest by their stamp, without reading any.
pub fn count_stale(source: NoteSource<'_>, manifest: &Manifest) -> usize {
    let listing = source.listing();
    let changed = listing
        .iter()
        .filter(|f| !manifest.notes.get(&*f.path).is_some_and(|s| f.matches(s)))
        .count();
    let known = listing
        .iter()
        .filter(|f| manifest.notes.contains_key(&*f.path))
        .count();
    changed + (manifest.notes.len() - known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_stable_and_distinct() {
        let root = Path::new("/cache");
        let a = vault_cache_dir(root, Path::new("/no/such/My Vault"));
        let b = vault_cache_dir(root, Path::new("/no/such/other/My Vault"));
        assert_ne!(a, b);
        assert!(
            a.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("My_Vault-")
        );
        // FNV-1a of "a" is a published test vector; the folder key must never change.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn manifest_round_trips_and_lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CacheDir {
            dir: dir.path().join("v"),
        };
        let first = cache.try_lock().unwrap();
        assert!(first.is_some());
        assert!(cache.try_lock().unwrap().is_none(), "second lock must fail");
        drop(first);
        assert!(
            cache.try_lock().unwrap().is_some(),
            "lock is released on close"
        );

        let mut manifest = Manifest {
            schema: 3,
            generation: 7,
            ..Manifest::default()
        };
        let stamp = Stamp {
            size: 1,
            mtime: None,
            hash: content_hash("x"),
        };
        manifest.notes.insert("a.md".into(), stamp);
        manifest.save(&cache.manifest_path()).unwrap();
        let loaded = Manifest::load(&cache.manifest_path()).unwrap();
        assert_eq!(loaded.generation, 7);
        assert_eq!(loaded.notes["a.md"], stamp);
        std::fs::write(cache.manifest_path(), b"{not json").unwrap();
        assert!(Manifest::load(&cache.manifest_path()).is_none());
    }
}
