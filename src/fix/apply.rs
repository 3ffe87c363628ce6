//! Writing one planned file: atomically (a temporary file beside it, synced, then renamed
//! over it), and never over a file that changed on disk since the plan read it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::plan::FileChange;

/// What happened to one file.
#[derive(Debug)]
pub enum ApplyOutcome {
    Written,
    Created,
    /// The file is no longer what the plan read: left alone.
    ChangedOnDisk,
    /// A file to create already exists: left alone.
    Exists,
    Failed(io::Error),
}

/// Writes one planned change under the vault `root`.
pub fn apply_file(root: &Path, change: &FileChange) -> ApplyOutcome {
    // The final path, checked on disk again just before writing: nothing is written
    // through a symlink that leads out of the vault.
    let inside = |path: &str| {
        crate::vault::resolve_inside(root, path)
            .map_err(|why| io::Error::new(io::ErrorKind::PermissionDenied, why))
    };
    let result = match change {
        FileChange::Edit {
            path,
            original,
            text,
        } => inside(path).and_then(|p| replace(&p, original.as_bytes(), text.as_bytes())),
        FileChange::Create { path, text } => inside(path).and_then(|p| create(&p, text.as_bytes())),
    };
    result.unwrap_or_else(ApplyOutcome::Failed)
}

fn replace(path: &Path, original: &[u8], text: &[u8]) -> io::Result<ApplyOutcome> {
    // Write through a symlink to the file it names, rather than replacing the link.
    let path = fs::canonicalize(path)?;
    if fs::read(&path)? != original {
        return Ok(ApplyOutcome::ChangedOnDisk);
    }
    let permissions = fs::metadata(&path)?.permissions();
    let temp = temp_path(&path);
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(text)?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        // The check again, as late as it can be: an editor may have saved meanwhile.
        if fs::read(&path)? != original {
            return Ok(ApplyOutcome::ChangedOnDisk);
        }
        fs::rename(&temp, &path)?;
        Ok(ApplyOutcome::Written)
    })();
    if !matches!(written, Ok(ApplyOutcome::Written)) {
        let _ = fs::remove_file(&temp);
    }
    written
}

fn create(path: &Path, text: &[u8]) -> io::Result<ApplyOutcome> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(ApplyOutcome::Exists),
        Err(e) => return Err(e),
    };
    file.write_all(text)?;
    file.sync_all()?;
    Ok(ApplyOutcome::Created)
}

/// A hidden temporary name beside `path`, unique to this process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.twin-fix-{}.tmp", std::process::id()))
}
