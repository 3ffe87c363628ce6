//! Loads a vault from disk: discovery, reading and parallel parsing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::canvas::{is_canvas, read_canvas};
use super::discover::{DiscoveredFile, FileKind, discover_files};
use super::{SkippedFile, Vault};
use crate::config::Config;
use crate::note::{Note, VaultPath, parse_note};

/// Notes larger than this are skipped, which also keeps every offset within `u32`.
pub const MAX_NOTE_BYTES: u64 = 64 * 1024 * 1024;

/// What stands in for each byte of a note that is not UTF-8: one byte (U+001A, the ASCII
/// substitute), so that every offset in the text is the offset in the file.
pub const ODD_BYTE: char = '\u{1a}';

/// Why a vault could not be loaded at all (a single bad note never stops loading).
#[derive(Debug)]
pub enum LoadError {
    /// The vault path does not exist or is not a folder.
    NotAFolder(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotAFolder(p) => write!(f, "{} is not a folder", p.display()),
            LoadError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads and parses every note of the vault at `root`, in parallel.
///
/// Fails only when `root` is not a usable folder; a note that cannot be read becomes
/// a [`SkippedFile`]. Attachments are listed, never read, but for canvases, whose file
/// nodes link.
pub fn load_vault(root: &Path, config: &Config) -> Result<Vault, LoadError> {
    load_vault_with(root, config, &parse_note)
}

/// How [`load_vault_with`] turns a note's path and text into a [`Note`]: [`parse_note`], or
/// a cache of earlier parses that falls back to it.
pub type ParseFn<'a> = &'a (dyn Fn(VaultPath, Arc<str>) -> Note + Sync);

/// [`load_vault`] with the notes made by `parse` (called in parallel, once per note read).
pub fn load_vault_with(
    root: &Path,
    config: &Config,
    parse: ParseFn<'_>,
) -> Result<Vault, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    let root = root
        .canonicalize()
        .map_err(|e| LoadError::Io(root.to_path_buf(), e))?;
    let files = discover_files(&root, config);
    Ok(load_discovered(root, &files, parse))
}

/// The vault of `files`, discovered in the canonical folder `root` ([`discover_files`]):
/// notes read and made by `parse`, canvases read, attachments listed. For a caller that
/// looks at the files before they are read (the check cache stamps them).
pub fn load_discovered(root: PathBuf, files: &[DiscoveredFile], parse: ParseFn<'_>) -> Vault {
    let mut attachments: Vec<VaultPath> = Vec::new();
    let mut note_files: Vec<&DiscoveredFile> = Vec::new();
    for file in files {
        match file.kind {
            FileKind::Note => note_files.push(file),
            // No link can name a file whose name is not UTF-8, so it is left out.
            FileKind::Attachment if file.lossy_name => {}
            FileKind::Attachment => attachments.push(file.path.clone()),
        }
    }
    let loaded: Vec<Result<Note, SkippedFile>> = note_files
        .par_iter()
        .map(|file| {
            read_note(file)
                .map(|text| parse(file.path.clone(), text))
                .map_err(|reason| SkippedFile {
                    path: file.path.clone(),
                    reason,
                })
        })
        .collect();

    let mut notes = Vec::with_capacity(loaded.len());
    let mut skipped = Vec::new();
    for result in loaded {
        match result {
            Ok(note) => notes.push(Arc::new(note)),
            Err(skip) => skipped.push(skip),
        }
    }
    let canvases: Vec<_> = files
        .par_iter()
        .filter(|f| f.kind == FileKind::Attachment && !f.lossy_name && is_canvas(&f.path))
        .filter_map(|f| read_canvas(f.path.clone(), &f.abs_path))
        .collect();
    let mut vault = Vault::from_parts(root, notes, attachments, skipped);
    for canvas in canvases {
        vault.set_canvas(canvas);
    }
    vault
}

/// Reads a note's text, or says in one sentence why it cannot be read.
/// A UTF-8 byte order mark is kept; the parser skips it.
pub(super) fn read_note(file: &DiscoveredFile) -> Result<Arc<str>, String> {
    if file.lossy_name {
        return Err("file name is not valid UTF-8".to_owned());
    }
    read_note_file(&file.abs_path)
}

/// Reads the note at `path` as loading does (the language server reads notes that
/// change on disk through this too, so both judge a file alike).
pub fn read_note_file(path: &Path) -> Result<Arc<str>, String> {
    let size = std::fs::metadata(path).map_err(io_reason)?.len();
    if size > MAX_NOTE_BYTES {
        return Err(too_large(size));
    }
    let bytes = std::fs::read(path).map_err(io_reason)?;
    note_text(bytes)
}

/// A note's text from its bytes; `Err` says in one sentence why there is none (over
/// [`MAX_NOTE_BYTES`]). Obsidian opens any `.md` file as text, so a NUL byte is kept and
/// each byte that is not UTF-8 becomes [`ODD_BYTE`]: offsets stay those of the file, and
/// [`odd_bytes`] says where the first one is.
pub fn note_text(bytes: Vec<u8>) -> Result<Arc<str>, String> {
    // A file may have grown since it was measured.
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    // simdutf8 checks text that is not ASCII (a vault in Chinese, Russian, ...) several
    // times faster than the standard library: on the Obsidian help vault this check was
    // an eighth of a warm start's instructions. `Arc<str>` copies the text either way.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(Arc::from(text));
    }
    Ok(Arc::from(lossy_same_length(&bytes)))
}

/// `bytes` as text, each byte of an invalid sequence replaced by [`ODD_BYTE`].
fn lossy_same_length(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                text.push_str(rest);
                return text;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                // Checked by `from_utf8` just above.
                text.push_str(std::str::from_utf8(&bytes[..valid]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(bytes.len() - valid);
                text.extend(std::iter::repeat_n(ODD_BYTE, bad));
                bytes = &bytes[valid + bad..];
            }
        }
    }
}

/// Where a note's text holds bytes that are not text, as one sentence: a NUL byte, or a
/// byte that was not UTF-8 (read as [`ODD_BYTE`]). `None` for a note of plain text.
pub fn odd_bytes(text: &str) -> Option<String> {
    let at = memchr::memchr2(0, ODD_BYTE as u8, text.as_bytes())?;
    let count = text
        .bytes()
        .filter(|&b| b == 0 || b == ODD_BYTE as u8)
        .count();
    let what = if text.as_bytes()[at] == 0 {
        "a NUL byte"
    } else {
        "a byte that is not UTF-8"
    };
    let more = match count {
        1 => String::new(),
        n => format!(", {} such bytes in all", n),
    };
    Some(format!(
        "holds bytes that are not text ({what} at byte {at}{more}); it is read as text around them"
    ))
}

fn io_reason(e: std::io::Error) -> String {
    format!("cannot be read: {e}")
}

fn too_large(size: u64) -> String {
    format!("larger than the 64 MiB limit ({size} bytes)")
}
