//! File stamps: what a stat says about a file (length, modification and change times, inode),
//! kept with the hash of the text read under that stamp, so that a re-check knows which
//! files are unchanged without reading them.
//!
//! A stamp is trusted only when nothing could have changed the file within the clock tick it
//! was taken in: a file whose change time is within [`racy_window`] of the moment it was
//! stamped is hashed again next time (git's "racy clean" rule). The change time is in the
//! stamp, so a tool that writes a file and sets its modification time back (`cp -p`,
//! `tar x`) still changes the stamp. What remains is a file rewritten to the same length
//! twice within one tick of a coarse clock and then not touched for the window, or a file
//! system whose clock lies; `--no-cache` is the way out there.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::store::{read_framed, write_framed};
use crate::search::cache::content_hash;
use crate::vault::{
    DiscoveredFile, FileKind, MAX_CANVAS_BYTES, MAX_NOTE_BYTES, is_canvas, note_text,
};

/// The manifest's file name in the check cache's folder.
const MANIFEST: &str = "files.bin";

/// What a stat says about a file. Equal stamps mean an unchanged file, unless racy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    pub len: u64,
    /// Nanoseconds since the epoch.
    pub modified: i128,
    pub changed: i128,
    pub inode: u64,
}

/// The window of [`racy`] in milliseconds: two seconds covers the coarsest clocks (FAT's);
/// tests shorten it.
static RACY_WINDOW_MS: AtomicU64 = AtomicU64::new(2000);

/// How close to its stamping a file's last change may be for the stamp to be trusted later.
pub(crate) fn racy_window() -> Duration {
    Duration::from_millis(RACY_WINDOW_MS.load(Ordering::Relaxed))
}

/// Sets [`racy_window`] (tests, which write files and check them within milliseconds).
pub fn set_racy_window(window: Duration) {
    RACY_WINDOW_MS.store(window.as_millis() as u64, Ordering::Relaxed);
}

fn nanos(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// The stamp of the file at `path` (symlinks followed), `None` when it cannot be stat'ed.
pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            meta.ino(),
        )
    };
    #[cfg(not(unix))]
    let (changed, inode) = (meta.created().map(nanos).unwrap_or(0), 0);
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().map(nanos).unwrap_or(0),
        changed,
        inode,
    })
}

/// Whether a file stamped at `at` changed too recently for its stamp to tell a later change.
fn racy(stamp: &Stamp, at: SystemTime) -> bool {
    let limit = nanos(at) - racy_window().as_nanos() as i128;
    stamp.modified.max(stamp.changed) >= limit
}

/// Stamps and text hashes of a vault's notes and canvases, by path, as last recorded.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub files: FxHashMap<Box<str>, (Stamp, u64)>,
}

impl Manifest {
    /// The manifest in `dir`, or an empty one (with the problem, as a phrase) when it is
    /// missing, corrupt or of another version.
    pub fn read(dir: &Path) -> (Manifest, Option<String>) {
        match read_framed(&dir.join(MANIFEST)) {
            Ok(None) => (Manifest::default(), None),
            Ok(Some(body)) => match postcard::from_bytes(&body) {
                Ok(manifest) => (manifest, None),
                Err(_) => (
                    Manifest::default(),
                    Some(format!("file {} is corrupt", dir.join(MANIFEST).display())),
                ),
            },
            Err(problem) => (Manifest::default(), Some(problem)),
        }
    }

    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let body = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(dir)?;
        write_framed(&dir.join(MANIFEST), &body)
    }
}

/// Whether a discovered file's text counts for the check (notes and canvases are read;
/// other attachments only listed).
pub(crate) fn is_read(file: &DiscoveredFile) -> bool {
    !file.lossy_name && (file.kind == FileKind::Note || is_canvas(&file.path))
}

/// What each of `files` holds, for the key of a whole run: a note's or canvas's text hash,
/// taken from `manifest` where the file's stamp is the recorded one and from the file
/// otherwise (for a file that cannot be read, a hash of its length); 0 for other
/// attachments. Returns them with the manifest to keep next, and how many files were read:
/// a file read now is recorded when its stamp held still while it was read and is not racy.
pub(crate) fn hash_files(
    files: &[DiscoveredFile],
    manifest: &Manifest,
    now: SystemTime,
) -> (Vec<u64>, Manifest, usize) {
    let looked: Vec<(u64, Option<Stamp>, bool)> = files
        .par_iter()
        .map(|file| {
            if !is_read(file) {
                return (0, None, false);
            }
            let Some(before) = stamp(&file.abs_path) else {
                return (UNREADABLE, None, false);
            };
            if let Some((known, hash)) = manifest.files.get(&*file.path)
                && *known == before
            {
                return (*hash, Some(before), false);
            }
            let Some(hash) = hash_file(file, before.len) else {
                return (UNREADABLE ^ before.len, None, true);
            };
            let still = stamp(&file.abs_path) == Some(before) && !racy(&before, now);
            (hash, still.then_some(before), true)
        })
        .collect();
    let read = looked.iter().filter(|l| l.2).count();
    let mut next = Manifest::default();
    next.files.reserve(files.len());
    let mut hashes = Vec::with_capacity(files.len());
    for (file, (hash, stamp, _)) in files.iter().zip(looked) {
        if let Some(stamp) = stamp {
            next.files
                .insert(file.path.to_string().into(), (stamp, hash));
        }
        hashes.push(hash);
    }
    (hashes, next, read)
}

/// The key part of a file that cannot be read (its length is mixed in).
const UNREADABLE: u64 = 0x7769_6e5f_756e_7264;

/// The hash of a note's or canvas's text as loading reads it (a note's bytes that are not
/// UTF-8 replaced), `None` when it cannot be read or is over the size limit.
fn hash_file(file: &DiscoveredFile, len: u64) -> Option<u64> {
    let limit = match file.kind {
        FileKind::Note => MAX_NOTE_BYTES,
        FileKind::Attachment => MAX_CANVAS_BYTES,
    };
    if len > limit {
        return None;
    }
    let bytes = std::fs::read(&file.abs_path).ok()?;
    if file.kind == FileKind::Note {
        note_text(bytes).ok().map(|text| content_hash(&text))
    } else {
        Some(content_hash(&String::from_utf8_lossy(&bytes)))
    }
}
