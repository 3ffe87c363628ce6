//! The committed renames of a vault, cached in twin's cache folder beside the search
//! index, so that a run after the first reads only the commits made since. The cache is
//! disposable: a missing, unreadable or outdated file (history rewritten, a new format)
//! means walking the history again.

use std::path::Path;

use gix::ObjectId;

use super::{GitError, VaultRepo};

/// The cache file's name inside the vault's cache folder.
pub const RENAME_CACHE_FILE: &str = "git-renames.tsv";

/// The first line of the file; changed whenever its meaning changes.
const HEADER: &str = "twin git renames 1";

/// Committed renames of the last `max_commits` commits of HEAD, oldest first, reading only
/// the commits after those recorded in `cache` (when given) and updating it. Renames from
/// before the window that the cache already knows are kept: the window bounds the work,
/// not what is known.
pub fn committed_renames_cached(
    repo: &VaultRepo,
    max_commits: usize,
    cache: Option<&Path>,
) -> Result<Vec<(String, String)>, GitError> {
    let cached = cache.and_then(read_cache);
    let known = cached.as_ref().map(|(head, _)| *head);
    let (commits, reached) = repo.commits_after(Some(max_commits), known)?;
    let new = repo.renames_in(&commits)?;
    let mut renames = match cached {
        Some((_, old)) if reached => old,
        _ => Vec::new(),
    };
    renames.extend(new);
    // Nothing new since the cache: it is already right.
    if let (Some(cache), Some(head)) = (cache, commits.last().map(|c| c.id)) {
        // A cache that cannot be written costs the next run time, nothing else.
        let _ = write_cache(cache, head, &renames);
    }
    Ok(renames)
}

fn read_cache(path: &Path) -> Option<(ObjectId, Vec<(String, String)>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let head = ObjectId::from_hex(lines.next()?.as_bytes()).ok()?;
    let mut renames = Vec::new();
    for line in lines {
        let (old, new) = line.split_once('\t')?;
        renames.push((old.to_string(), new.to_string()));
    }
    Some((head, renames))
}

fn write_cache(path: &Path, head: ObjectId, renames: &[(String, String)]) -> std::io::Result<()> {
    let mut text = format!("{HEADER}\n{head}\n");
    for (old, new) in renames {
        if [old, new].iter().any(|p| p.contains(['\t', '\n', '\r'])) {
            // Not representable in this format: keep no cache rather than a wrong one.
            return Ok(());
        }
        text.push_str(&format!("{old}\t{new}\n"));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
