//! The commits of the vault's history (first parents from HEAD) and the vault's files at
//! one commit.

use gix::ObjectId;

use super::{GitError, VaultRepo, failed};

/// One commit of the replayed history.
#[derive(Clone, Debug)]
pub struct Commit {
    pub id: ObjectId,
    /// Committer time, seconds since the Unix epoch.
    pub time: i64,
    /// The first line of the message, for progress and errors.
    pub summary: String,
    /// The first parent, if any and present (not past a shallow clone's edge).
    pub parent: Option<ObjectId>,
}

/// A file of the vault at one commit: its vault path and the id of its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeFile {
    pub path: String,
    pub blob: ObjectId,
}

impl VaultRepo {
    /// The first-parent history of HEAD, oldest first: the last `max` commits when given,
    /// else all of them. Empty when HEAD has no commit yet.
    pub fn commits(&self, max: Option<usize>) -> Result<Vec<Commit>, GitError> {
        Ok(self.commits_after(max, None)?.0)
    }

    /// Like [`VaultRepo::commits`], but stops before commit `known` when the walk reaches
    /// it; the flag says whether it did.
    pub fn commits_after(
        &self,
        max: Option<usize>,
        known: Option<ObjectId>,
    ) -> Result<(Vec<Commit>, bool), GitError> {
        let head = match self.repo.head_id() {
            Ok(id) => id.detach(),
            // An unborn branch: a repository without commits has no history.
            Err(_) => return Ok((Vec::new(), false)),
        };
        let walk = self
            .repo
            .rev_walk([head])
            .first_parent_only()
            .all()
            .map_err(|e| failed("walk the history")(&e))?;
        let mut commits = Vec::new();
        let mut reached = false;
        for info in walk {
            if max.is_some_and(|max| commits.len() >= max) {
                break;
            }
            let info = info.map_err(|e| failed("walk the history")(&e))?;
            if Some(info.id) == known {
                reached = true;
                break;
            }
            let commit = info.object().map_err(|e| failed("read a commit")(&e))?;
            let time = commit
                .time()
                .map_err(|e| failed("read a commit's time")(&e))?
                .seconds;
            let summary = commit
                .message()
                .map(|m| String::from_utf8_lossy(m.summary().as_ref()).into_owned())
                .unwrap_or_default();
            // A shallow clone (CI checks out one commit) lacks the parents past its edge.
            let parent = commit
                .parent_ids()
                .next()
                .map(|id| id.detach())
                .filter(|id| self.repo.has_object(id));
            commits.push(Commit {
                id: info.id,
                time,
                summary,
                parent,
            });
        }
        commits.reverse();
        Ok((commits, reached))
    }

    /// The commit HEAD points at, if any.
    pub fn head(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|id| id.detach())
    }

    /// The files of the vault at `commit` (blobs only: no submodules or symlinks), sorted
    /// by path.
    pub fn files_at(&self, commit: ObjectId) -> Result<Vec<TreeFile>, GitError> {
        let Some(tree) = self.vault_tree(commit)? else {
            return Ok(Vec::new());
        };
        let entries = tree
            .traverse()
            .breadthfirst
            .files()
            .map_err(|e| failed("list a commit's files")(&e))?;
        let mut files: Vec<TreeFile> = entries
            .into_iter()
            .filter(|e| e.mode.is_blob())
            .filter_map(|e| {
                Some(TreeFile {
                    path: String::from_utf8(e.filepath.into()).ok()?,
                    blob: e.oid,
                })
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The tree of the vault's folder at `commit`; `None` when the folder did not exist.
    fn vault_tree(&self, commit: ObjectId) -> Result<Option<gix::Tree<'_>>, GitError> {
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(|e| failed("read a commit")(&e))?
            .tree()
            .map_err(|e| failed("read a commit's tree")(&e))?;
        let folder = self.prefix.trim_end_matches('/');
        if folder.is_empty() {
            return Ok(Some(tree));
        }
        let Some(entry) = tree
            .lookup_entry_by_path(folder)
            .map_err(|e| failed("find the vault's folder")(&e))?
        else {
            return Ok(None);
        };
        if !entry.mode().is_tree() {
            return Ok(None);
        }
        let object = entry
            .object()
            .map_err(|e| failed("read the vault's folder")(&e))?;
        Ok(Some(object.into_tree()))
    }

    /// The content of a blob.
    pub fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>, GitError> {
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| failed("read a file's content")(&e))?;
        Ok(blob.detach().data)
    }
}
