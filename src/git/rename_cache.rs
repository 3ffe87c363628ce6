//! The committed renames of a vault, cached in twin's cache folder beside the search
//! index, so that a run after the first reads only the commits made since, and a run at
//! the same HEAD reads none. A failure is remembered for its HEAD too: a repository whose
//! history cannot be walked is not walked again at every start. The cache is disposable:
//! a missing, unreadable or outdated file (history rewritten, a new format) means walking
//! the history again.

use std::path::Path;

use gix::ObjectId;

use super::{GitError, VaultRepo};

/// The cache file's name inside the vault's cache folder.
pub const RENAME_CACHE_FILE: &str = "git-renames.tsv";

/// The first line of the file; changed whenever its meaning changes.
const HEADER: &str = "twin git renames 2";

/// What [`committed_renames_cached`] found, and what it cost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CachedRenames {
    /// `(old, new)` vault paths, oldest first.
    pub renames: Vec<(String, String)>,
    /// Commits compared by this call (0 when the cache was up to date).
    pub compared: usize,
    /// Commits that could not be compared, in this call or those the cache records.
    pub skipped: usize,
    /// Why the first of them could not (one sentence).
    pub skip_reason: Option<String>,
}

/// What the cache file holds.
enum Cached {
    /// HEAD then, the commits skipped (and why), and the renames.
    Renames(ObjectId, usize, Option<String>, Vec<(String, String)>),
    /// HEAD then, and why its history could not be read.
    Failed(ObjectId, String),
}

/// Committed renames of the last `max_commits` commits of HEAD, oldest first, reading only
/// the commits after those recorded in `cache` (when given) and updating it. Renames from
/// before the window that the cache already knows are kept: the window bounds the work,
/// not what is known.
pub fn committed_renames_cached(
    repo: &VaultRepo,
    max_commits: usize,
    cache: Option<&Path>,
) -> Result<CachedRenames, GitError> {
    let head = repo.head();
    let cached = match cache.and_then(read_cache) {
        Some(Cached::Failed(then, reason)) if Some(then) == head => return Err(GitError(reason)),
        Some(Cached::Renames(then, skipped, reason, renames)) => {
            Some((then, skipped, reason, renames))
        }
        _ => None,
    };
    let known = cached.as_ref().map(|(then, ..)| *then);
    let walked = repo
        .commits_after(Some(max_commits), known)
        .and_then(|(commits, reached)| Ok((repo.renames_in(&commits)?, commits.len(), reached)));
    let (new, compared, reached) = match walked {
        Ok(walked) => walked,
        Err(err) => {
            if let (Some(cache), Some(head)) = (cache, head) {
                // A cache that cannot be written costs the next run time, nothing else.
                let _ = write_cache(cache, head, Err(&err.0));
            }
            return Err(err);
        }
    };
    let mut found = match cached {
        Some((_, skipped, skip_reason, renames)) if reached => CachedRenames {
            renames,
            compared,
            skipped,
            skip_reason,
        },
        _ => CachedRenames {
            compared,
            ..CachedRenames::default()
        },
    };
    found.renames.extend(new.renames);
    found.skipped += new.skipped;
    if found.skip_reason.is_none() {
        found.skip_reason = new.first_error.map(|e| e.0);
    }
    // Nothing new since the cache: it is already right.
    if let (Some(cache), Some(head), true) = (cache, head, compared > 0) {
        let _ = write_cache(cache, head, Ok(&found));
    }
    Ok(found)
}

fn read_cache(path: &Path) -> Option<Cached> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let head = ObjectId::from_hex(lines.next()?.as_bytes()).ok()?;
    let state = lines.next()?;
    if let Some(reason) = state.strip_prefix("failed\t") {
        return Some(Cached::Failed(head, reason.to_string()));
    }
    let skipped = state.strip_prefix("skipped\t")?;
    let (count, reason) = skipped.split_once('\t').unwrap_or((skipped, ""));
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    let mut renames = Vec::new();
    for line in lines {
        let (old, new) = line.split_once('\t')?;
        renames.push((old.to_string(), new.to_string()));
    }
    Some(Cached::Renames(head, count.parse().ok()?, reason, renames))
}

/// Writes what was found at `head`, or why the history could not be read.
fn write_cache(
    path: &Path,
    head: ObjectId,
    entry: Result<&CachedRenames, &str>,
) -> std::io::Result<()> {
    let one_line = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut text = format!("{HEADER}\n{head}\n");
    match entry {
        Err(reason) => text.push_str(&format!("failed\t{}\n", one_line(reason))),
        Ok(found) => {
            let reason = found
                .skip_reason
                .as_deref()
                .map(one_line)
                .unwrap_or_default();
            text.push_str(&format!("skipped\t{}\t{reason}\n", found.skipped));
            for (old, new) in &found.renames {
                if [old, new].iter().any(|p| p.contains(['\t', '\n', '\r'])) {
                    // Not representable in this format: keep no cache rather than a wrong one.
                    return Ok(());
                }
                text.push_str(&format!("{old}\t{new}\n"));
            }
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
