//! The check cache on disk: shard files of postcard-encoded entries, each with a magic
//! number and a checksum, written to a temporary file and renamed into place.
//!
//! A shard file is `notes-<count>-<index>.bin`: the notes whose path hashes to `index` of
//! `count` shards. The count grows with the vault (about 100 notes a shard, at most 1,024
//! shards), so that a change to 100 notes of 100,000 rewrites a tenth of the cache.

use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use super::Entry;
use crate::coherence::{Coherence, NoteTerms};
use crate::note::Note;
use crate::search::cache::content_hash;
use crate::vault::{NoteId, Vault};

/// Bumped whenever what an entry holds changes meaning; a change of shape (a field added to
/// the note model or the term vectors) is caught by [`model_fingerprint`] as well.
/// 3: block ids right after an inline element (`![[pic.png]]^id`) are read.
/// 4: a link's target, display and anchor are spans into the note's text.
pub const CACHE_FORMAT: u32 = 5;
/// A note that uses most of the model, serialized to fingerprint its shape.
const SAMPLE_NOTE: &str = "---\ntitle: T\naliases: [A]\ntags: [t]\nup: \"[[U]]\"\nk: {a: [1, true, ~]}\n---\n# H\n\nText [[L#H|d]] [m](x.md#^b) #tag[^1] %%c%% `code` ^b\n\n> [!note] T\n> q\n\n| a |\n|---|\n\n[^1]: def\n";
/// The first bytes of every shard file.
const MAGIC: &[u8; 8] = b"twinchk\x01";
const PREFIX: &str = "notes-";
const SUFFIX: &str = ".bin";
/// Notes a shard holds about, and the most shards a vault gets.
const NOTES_PER_SHARD: usize = 100;
const MAX_SHARDS: usize = 1024;

/// What precedes the entries, decoded first so that a shard of another version is told
/// apart before its entries are read.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    version: &'a str,
    format: u32,
    model: u64,
    count: u32,
    index: u32,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    path: &'a str,
    len: u64,
    hash: u64,
    note: &'a Note,
    terms: Option<&'a NoteTerms>,
}

/// The same fields as [`EntryOut`], owned: postcard writes no field names, so the two
/// must list the same fields in the same order.
#[derive(Deserialize)]
struct EntryIn {
    path: String,
    len: u64,
    hash: u64,
    note: Note,
    terms: Option<NoteTerms>,
}

/// How many shards a vault of `notes` notes gets: a power of two.
pub(super) fn shard_count(notes: usize) -> u32 {
    (notes / NOTES_PER_SHARD)
        .clamp(1, MAX_SHARDS)
        .next_power_of_two() as u32
}

fn shard_of(path: &str, count: u32) -> u32 {
    (content_hash(path) % u64::from(count)) as u32
}

fn shard_name(count: u32, index: u32) -> String {
    format!("{PREFIX}{count}-{index}{SUFFIX}")
}

/// (count, index) of a shard file's name.
fn parse_name(name: &str) -> Option<(u32, u32)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (count, index) = rest.split_once('-')?;
    Some((count.parse().ok()?, index.parse().ok()?))
}

/// A hash of how this build serializes a sample note and empty term vectors: a build whose
/// model has another shape (a field more) makes another, so its shards are never misread
/// even under the same version number.
fn model_fingerprint() -> u64 {
    static FINGERPRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FINGERPRINT.get_or_init(|| {
        let note = crate::note::parse_note("s.md".into(), SAMPLE_NOTE.into());
        let mut bytes = postcard::to_stdvec(&note).unwrap_or_default();
        bytes.extend(postcard::to_stdvec(&NoteTerms::default()).unwrap_or_default());
        checksum(&bytes)
    })
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

/// Every readable entry in `dir` by path, the entries per shard as read, and the first
/// problem met (a shard corrupt, truncated or of another version), as a phrase.
pub(super) type ReadAll = (
    FxHashMap<Box<str>, Entry>,
    FxHashMap<(u32, u32), usize>,
    Option<String>,
);

pub(super) fn read_all(dir: &Path) -> ReadAll {
    let mut files: Vec<((u32, u32), PathBuf)> = match std::fs::read_dir(dir) {
        Ok(list) => list
            .flatten()
            .filter_map(|e| {
                let name = e.file_name();
                Some((parse_name(name.to_str()?)?, e.path()))
            })
            .collect(),
        // No cache yet: nothing to say.
        Err(_) => return (FxHashMap::default(), FxHashMap::default(), None),
    };
    files.sort();
    type Shard = ((u32, u32), Vec<EntryIn>);
    let read: Vec<Result<Shard, String>> = files
        .into_par_iter()
        .map(|(key, path)| read_shard(&path, key).map(|entries| (key, entries)))
        .collect();
    let mut entries = FxHashMap::default();
    let mut shards = FxHashMap::default();
    let mut problem = None;
    for result in read {
        match result {
            Ok((key, list)) => {
                shards.insert(key, list.len());
                for e in list {
                    entries.insert(
                        e.path.into_boxed_str(),
                        Entry {
                            len: e.len,
                            hash: e.hash,
                            had_terms: e.terms.is_some(),
                            note: Mutex::new(Some(e.note)),
                            terms: Mutex::new(e.terms),
                            taken: OnceLock::new(),
                        },
                    );
                }
            }
            Err(message) => {
                problem.get_or_insert(message);
            }
        }
    }
    (entries, shards, problem)
}

fn read_shard(path: &Path, (count, index): (u32, u32)) -> Result<Vec<EntryIn>, String> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("file {name} cannot be read ({e})"))?;
    let corrupt = |what: &str| format!("file {name} is {what}");
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return Err(corrupt("not a twin check cache"));
    }
    let sum = u64::from_le_bytes(bytes[8..16].try_into().unwrap_or_default());
    let body = &bytes[16..];
    if checksum(body) != sum {
        return Err(corrupt("truncated or corrupt"));
    }
    let (header, rest) =
        postcard::take_from_bytes::<Header<'_>>(body).map_err(|_| corrupt("corrupt"))?;
    if header.version != env!("CARGO_PKG_VERSION")
        || header.format != CACHE_FORMAT
        || header.model != model_fingerprint()
    {
        return Err(format!(
            "file {name} was made by another version of twin ({})",
            header.version
        ));
    }
    if (header.count, header.index) != (count, index) {
        return Err(corrupt("misnamed"));
    }
    postcard::from_bytes(rest).map_err(|_| corrupt("corrupt"))
}

/// Writes the shards of `vault` whose notes changed since they were read, and removes
/// the shard files of another shard count. Returns how many were written.
pub(super) fn write_changed(
    dir: &Path,
    entries: &FxHashMap<Box<str>, Entry>,
    shards: &FxHashMap<(u32, u32), usize>,
    vault: &Vault,
    coherence: &Coherence,
) -> io::Result<usize> {
    let count = shard_count(vault.notes.len());
    let stats = coherence.drift.as_ref().map(|d| &d.stats);
    let mut members: Vec<Vec<NoteId>> = vec![Vec::new(); count as usize];
    for id in vault.note_ids() {
        members[shard_of(&vault.note(id).path, count) as usize].push(id);
    }
    let dirty: Vec<u32> = (0..count)
        .filter(|&i| {
            let ids = &members[i as usize];
            shards.get(&(count, i)) != Some(&ids.len())
                || ids.iter().any(|&id| {
                    let note = vault.note(id);
                    match entries.get(&*note.path) {
                        Some(e) => !e.fresh_for(note) || (stats.is_some() && !e.had_terms),
                        None => true,
                    }
                })
        })
        .collect();
    if dirty.is_empty() {
        return Ok(0);
    }
    std::fs::create_dir_all(dir)?;
    dirty.par_iter().try_for_each(|&i| {
        let ids = &members[i as usize];
        // Terms of notes whose entry keeps them (drift was not computed this run).
        let held: Vec<Option<NoteTerms>> = ids
            .iter()
            .map(|&id| {
                let note = vault.note(id);
                match (stats, entries.get(&*note.path)) {
                    (None, Some(e)) if e.fresh_for(note) => {
                        e.terms.lock().ok().and_then(|t| t.clone())
                    }
                    _ => None,
                }
            })
            .collect();
        let list: Vec<EntryOut<'_>> = ids
            .iter()
            .zip(&held)
            .map(|(&id, held)| {
                let note = vault.note(id);
                let cached = entries.get(&*note.path).filter(|e| e.fresh_for(note));
                EntryOut {
                    path: &note.path,
                    len: note.text.len() as u64,
                    hash: cached.map_or_else(|| content_hash(&note.text), |e| e.hash),
                    note,
                    terms: stats.map(|s| s.note(id)).or(held.as_ref()),
                }
            })
            .collect();
        write_shard(dir, count, i, &list)
    })?;
    // Shards of another count hold nothing this run reads again.
    for (c, i) in shards.keys() {
        if *c != count {
            let _ = std::fs::remove_file(dir.join(shard_name(*c, *i)));
        }
    }
    Ok(dirty.len())
}

fn write_shard(dir: &Path, count: u32, index: u32, entries: &[EntryOut<'_>]) -> io::Result<()> {
    let header = Header {
        version: env!("CARGO_PKG_VERSION"),
        format: CACHE_FORMAT,
        model: model_fingerprint(),
        count,
        index,
    };
    let mut body = postcard::to_stdvec(&header).map_err(io::Error::other)?;
    body.extend(postcard::to_stdvec(entries).map_err(io::Error::other)?);
    let mut bytes = Vec::with_capacity(body.len() + 16);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&checksum(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    let name = shard_name(count, index);
    atomic_write(&dir.join(&name), &bytes)
}

/// The first bytes of the cache's other files (the manifest of stamps, the last run).
const FRAMED_MAGIC: &[u8; 8] = b"twinchk\x02";

/// Writes `body` to `path` after a magic number, a checksum, twin's version and the cache
/// format, by temporary file and rename.
pub(super) fn write_framed(path: &Path, body: &[u8]) -> io::Result<()> {
    let mut inner = postcard::to_stdvec(&(env!("CARGO_PKG_VERSION"), CACHE_FORMAT))
        .map_err(io::Error::other)?;
    inner.extend_from_slice(body);
    let mut bytes = Vec::with_capacity(inner.len() + 16);
    bytes.extend_from_slice(FRAMED_MAGIC);
    bytes.extend_from_slice(&checksum(&inner).to_le_bytes());
    bytes.extend_from_slice(&inner);
    atomic_write(path, &bytes)
}

/// The body [`write_framed`] wrote at `path`: `Ok(None)` when there is no such file, `Err`
/// with a phrase when it is corrupt, truncated or of another version.
pub(super) fn read_framed(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("file {} cannot be read ({e})", path.display())),
    };
    let corrupt = |what: &str| format!("file {} is {what}", path.display());
    if bytes.len() < 16 || &bytes[..8] != FRAMED_MAGIC {
        return Err(corrupt("not a twin check cache"));
    }
    let sum = u64::from_le_bytes(bytes[8..16].try_into().unwrap_or_default());
    let inner = &bytes[16..];
    if checksum(inner) != sum {
        return Err(corrupt("truncated or corrupt"));
    }
    let ((version, format), body) =
        postcard::take_from_bytes::<(&str, u32)>(inner).map_err(|_| corrupt("corrupt"))?;
    if version != env!("CARGO_PKG_VERSION") || format != CACHE_FORMAT {
        return Err(format!(
            "file {} was made by another version of twin ({version})",
            path.display()
        ));
    }
    Ok(Some(body.to_vec()))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so that a
/// reader, or another twin writing the same shard, never sees half a file.
fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tmp = path.with_extension(format!(
        "{}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&tmp).and_then(|mut file| file.write_all(bytes));
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
