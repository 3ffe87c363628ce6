//! The vault's git repository, read in-process with gix (no `git` subprocess): the renames
//! `twin fix` follows and the commits `twin history --from-git` replays.
//!
//! Paths going out are vault paths (relative to the vault root, `/`-separated), so callers
//! never see where the vault sits inside the work tree.

mod commits;
mod rename_cache;
mod renames;

use std::fmt;
use std::path::Path;

pub use commits::{Commit, TreeFile};
pub use rename_cache::{CachedRenames, RENAME_CACHE_FILE, committed_renames_cached};
pub use renames::{CommitRenames, content_similarity, plausible_rename, worktree_renames};

/// Something git-related went wrong; the message is one sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError(pub String);

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

/// Turns any gix error into a [`GitError`] saying what was being done.
fn failed(doing: &str) -> impl Fn(&dyn fmt::Display) -> GitError + '_ {
    move |err| GitError(format!("git: cannot {doing}: {err}"))
}

/// Memory for objects read while comparing trees.
const OBJECT_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// A git repository whose work tree holds the vault.
pub struct VaultRepo {
    repo: gix::Repository,
    /// The vault's folder inside the work tree, `""` or ending in `/`.
    prefix: String,
    /// Blob access for rename detection, made once: making it reads the index and the
    /// attributes, which costs more than comparing two commits.
    diff_cache: std::cell::RefCell<Option<gix::diff::blob::Platform>>,
}

impl VaultRepo {
    /// The repository whose work tree contains `root`, searched upwards as git does (and
    /// honouring `GIT_CEILING_DIRECTORIES` and `GIT_DIR`). `Ok(None)` when there is none,
    /// when it is bare, or when the vault is not inside its work tree.
    pub fn open(root: &Path) -> Result<Option<VaultRepo>, GitError> {
        let root = match root.canonicalize() {
            Ok(root) => root,
            Err(_) => return Ok(None),
        };
        let repo = match gix::ThreadSafeRepository::discover_with_environment_overrides(&root) {
            Ok(repo) => repo.to_thread_local(),
            Err(err) => {
                use gix::discover::upwards::Error as Discover;
                return match err.downcast_any_ref::<Discover>() {
                    Some(
                        Discover::NoGitRepository { .. }
                        | Discover::NoGitRepositoryWithinCeiling { .. }
                        | Discover::NoGitRepositoryWithinFs { .. },
                    ) => Ok(None),
                    _ => Err(failed("open the repository")(&err)),
                };
            }
        };
        let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
            return Ok(None);
        };
        let Ok(inside) = root.strip_prefix(&workdir) else {
            return Ok(None);
        };
        let mut prefix = String::new();
        for part in inside.components() {
            let Some(part) = part.as_os_str().to_str() else {
                // A vault under a folder whose name is not UTF-8: no note path can match.
                return Ok(None);
            };
            prefix.push_str(part);
            prefix.push('/');
        }
        Ok(Some(VaultRepo::from_parts(
            repo,
            prefix,
            OBJECT_CACHE_BYTES,
        )))
    }

    fn from_parts(mut repo: gix::Repository, prefix: String, object_cache: usize) -> VaultRepo {
        // Tree diffs read the same trees again and again; gix leaves the cache off.
        repo.object_cache_size(object_cache);
        VaultRepo {
            repo,
            prefix,
            diff_cache: Default::default(),
        }
    }

    /// The vault path of a path in the work tree, when it is inside the vault and UTF-8.
    fn vault_path(&self, repo_path: &[u8]) -> Option<String> {
        let path = std::str::from_utf8(repo_path).ok()?;
        let rest = path.strip_prefix(self.prefix.as_str())?;
        (!rest.is_empty()).then(|| rest.to_string())
    }
}
