//! Containment: every path twin writes (new notes, renames, `.twin/` files) and every
//! file of its own it reads is checked on disk, after resolving the symlinks of the
//! folders that exist, against the vault's real root. The text of a path is not enough:
//! a symlinked folder inside the vault leads out of it without a `..`.

use std::io;
use std::path::{Path, PathBuf};

/// Why a name cannot be a vault path twin creates or moves a note to, or `None`.
///
/// Obsidian refuses `\`, `/` and `:` inside a file name; twin takes `/` as the folder
/// separator, refuses `\` (a folder separator on Windows, so `..\..\x` would climb out)
/// and control characters (a NUL ends the name for the system, a newline breaks links
/// and every line-based output).
pub fn name_problem(path: &str) -> Option<String> {
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        return Some(format!(
            "a note name cannot contain the control character U+{:04X}",
            c as u32
        ));
    }
    if path.contains('\\') {
        return Some("a note name cannot contain `\\`".into());
    }
    if path.starts_with('/')
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Some(
            "a note path is a path from the vault's root, without empty parts, `.` or `..`".into(),
        );
    }
    None
}

/// The absolute path of the vault path `rel` under `root`, when writing there stays
/// inside the vault: `rel` passes [`name_problem`], and every part of it that exists
/// on disk resolves (symlinks followed) to a place inside the vault's real root.
pub fn resolve_inside(root: &Path, rel: &str) -> Result<PathBuf, String> {
    if let Some(problem) = name_problem(rel) {
        return Err(problem);
    }
    // A root that does not exist (a vault built in memory) has nothing to follow.
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut at = root.to_path_buf();
    for seg in rel.split('/') {
        at.push(seg);
        match at.symlink_metadata() {
            Ok(_) => {
                let real = at.canonicalize().map_err(|e| {
                    format!("`{rel}` cannot be resolved on disk ({e}); twin stays inside the vault")
                })?;
                if !real.starts_with(&real_root) {
                    return Err(format!(
                        "`{rel}` leads out of the vault through a symbolic link"
                    ));
                }
            }
            // What does not exist yet is created inside what does.
            Err(_) => break,
        }
    }
    Ok(root.join(rel))
}

/// The path of one of twin's own files under `.twin/` (a template, the trace, its
/// lock) when it may be read or written: inside the vault once symlinks are resolved,
/// and a regular file, not a symbolic link, when it exists.
pub fn own_file(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let refuse = |why: String| io::Error::new(io::ErrorKind::PermissionDenied, why);
    let path = resolve_inside(root, rel).map_err(refuse)?;
    match path.symlink_metadata() {
        Ok(meta) if meta.file_type().is_symlink() => Err(refuse(format!(
            "`{rel}` is a symbolic link; twin reads and writes only regular files of its own"
        ))),
        Ok(meta) if !meta.is_file() => Err(refuse(format!("`{rel}` is not a regular file"))),
        _ => Ok(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_twin_refuses() {
        assert_eq!(name_problem("a/b.md"), None);
        assert_eq!(name_problem("Заметка 1.md"), None);
        for bad in [
            "..\\..\\outside\\B.md",
            "back\\slash.md",
            "x\ny.md",
            "x\0y.md",
            "a/../b.md",
            "/a.md",
            "a//b.md",
            "./a.md",
        ] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folders_out_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(vault.join("in")).unwrap();
        std::fs::create_dir_all(outside.join("linked")).unwrap();
        std::os::unix::fs::symlink(outside.join("linked"), vault.join("linkdir")).unwrap();
        std::os::unix::fs::symlink(vault.join("in"), vault.join("inlink")).unwrap();
        assert!(resolve_inside(&vault, "linkdir/x.md").is_err());
        assert!(resolve_inside(&vault, "linkdir/sub/deeper.md").is_err());
        assert_eq!(
            resolve_inside(&vault, "in/new/x.md").unwrap(),
            vault.join("in/new/x.md")
        );
        assert!(resolve_inside(&vault, "inlink/x.md").is_ok());
        std::fs::create_dir_all(vault.join(".twin")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", vault.join(".twin/t.md")).unwrap();
        assert!(own_file(&vault, ".twin/t.md").is_err());
        assert!(own_file(&vault, ".twin/absent.md").is_ok());
    }
}
