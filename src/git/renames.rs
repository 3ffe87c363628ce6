//! Renames git knows of: committed ones (git's rename detection between each commit and
//! its first parent) and uncommitted ones (a note of HEAD gone from the vault, and a new
//! note with mostly the same lines).

use gix::ObjectId;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Commit, GitError, VaultRepo, failed};
use crate::vault::{Vault, is_markdown};

/// Git's default: a pair is a rename when at least half of it is the same.
const MIN_SIMILARITY: f32 = 0.5;

/// Memory for objects read by each thread of a rename walk. On the Obsidian help
/// vault's 1,919 commits, 4 MB walks as fast as 32 MB (1.5 s of CPU) with 35 MB less
/// heap on two threads; nothing at all costs 10% more CPU.
const WALK_OBJECT_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// Commits walked with one mapping of the repository's packs, on one thread. On the help
/// vault's 1,919 commits, a fresh mapping every 256 commits took the walk's peak from 67 to
/// 43 MB (debug build; 60 MB with two threads of 256) for 6% more CPU. The walk runs once
/// per HEAD (`rename_cache.rs`), in the background: memory matters more than its time.
const WALK_BATCH: usize = 256;

/// Above this many (gone × new) pairs, only identical contents are paired.
const MAX_PAIRS: usize = 250_000;

impl VaultRepo {
    /// Notes renamed in the last `max_commits` commits of HEAD's first-parent history
    /// (all when `None`), oldest first, as `(old, new)` vault paths.
    pub fn committed_renames(
        &self,
        max_commits: Option<usize>,
    ) -> Result<Vec<(String, String)>, GitError> {
        Ok(self.renames_in(&self.commits(max_commits)?)?.renames)
    }

    /// The renames of `commits` (each against its first parent), in their order. A commit
    /// that cannot be compared (objects missing, as in a partial clone or an incomplete
    /// copy) is counted and skipped rather than failing the others.
    pub fn renames_in(&self, commits: &[Commit]) -> Result<CommitRenames, GitError> {
        let mut all = CommitRenames::default();
        for batch in commits.chunks(WALK_BATCH) {
            // Batches run one after the other: each thread reading the history would add
            // its own mapped pages and caches. A fresh handle per batch maps the packs anew and unmaps the old ones: a long
            // history's walk reads most of a pack, and every page read stays resident
            // for as long as its mapping lives.
            let shared = gix::ThreadSafeRepository::open_opts(
                self.repo.git_dir(),
                self.repo.open_options().clone(),
            )
            .unwrap_or_else(|_| self.repo.clone().into_sync());
            let part = self.renames_in_batch(&shared, batch);
            all.absorb(part);
        }
        Ok(all)
    }

    fn renames_in_batch(
        &self,
        shared: &gix::ThreadSafeRepository,
        commits: &[Commit],
    ) -> CommitRenames {
        let worker = VaultRepo::from_parts(
            shared.to_thread_local(),
            self.prefix.clone(),
            WALK_OBJECT_CACHE_BYTES,
        );
        let mut part = CommitRenames::default();
        for commit in commits {
            match worker.renames_between(commit.parent, commit.id) {
                Ok(renames) => part.renames.extend(renames),
                Err(err) => {
                    part.skipped += 1;
                    part.first_error.get_or_insert(err);
                }
            }
        }
        part
    }

    /// Notes renamed from commit `old` (none: the empty tree) to commit `new`, as
    /// `(old, new)` vault paths. A note moved into or out of the vault is not a rename.
    /// When a file's content is missing (a partial clone, a damaged copy), only renames
    /// with identical contents are looked for, which reads no file.
    pub fn renames_between(
        &self,
        old: Option<ObjectId>,
        new: ObjectId,
    ) -> Result<Vec<(String, String)>, GitError> {
        let Some(old) = old else {
            return Ok(Vec::new());
        };
        self.renames_between_trees(old, new, Some(MIN_SIMILARITY))
            .or_else(|_| self.renames_between_trees(old, new, None))
    }

    /// [`VaultRepo::renames_between`] with git's similarity threshold `percentage` (`None`:
    /// identical contents only).
    fn renames_between_trees(
        &self,
        old: ObjectId,
        new: ObjectId,
        percentage: Option<f32>,
    ) -> Result<Vec<(String, String)>, GitError> {
        let tree_of = |id: ObjectId| {
            self.repo
                .find_commit(id)
                .map_err(|e| failed("read a commit")(&e))?
                .tree()
                .map_err(|e| failed("read a commit's tree")(&e))
        };
        let (old_tree, new_tree) = (tree_of(old)?, tree_of(new)?);
        let mut cache = self.diff_cache.borrow_mut();
        let cache = match &mut *cache {
            Some(cache) => cache,
            empty => empty.insert(
                self.repo
                    .diff_resource_cache(gix::diff::blob::pipeline::Mode::ToGit, Default::default())
                    .map_err(|e| failed("prepare to compare commits")(&e))?,
            ),
        };
        let mut candidates = Vec::new();
        let outcome = old_tree
            .changes()
            .map_err(|e| failed("compare two commits")(&e))?
            .options(|o| {
                o.track_path().track_rewrites(Some(gix::diff::Rewrites {
                    copies: None,
                    percentage,
                    ..Default::default()
                }));
            })
            .for_each_to_obtain_tree_with_cache(&new_tree, cache, |change| {
                if let gix::object::tree::diff::Change::Rewrite {
                    source_location,
                    source_id,
                    location,
                    id,
                    copy: false,
                    ..
                } = change
                    && let (Some(from), Some(to)) = (
                        self.vault_path(source_location.as_ref()),
                        self.vault_path(location.as_ref()),
                    )
                    && is_markdown(&from)
                    && is_markdown(&to)
                {
                    candidates.push((from, to, source_id.detach(), id.detach()));
                }
                Ok(std::ops::ControlFlow::Continue(()))
            })
            .map_err(|e| failed("compare two commits")(&e));
        // The blobs read for similarity are not needed again: keep the memory bounded.
        cache.clear_resource_cache();
        outcome?;
        drop((old_tree, new_tree));
        // Git's 50% lets two notes of one template pass for a rename; a fix must not.
        let mut renames = Vec::new();
        for (from, to, old_blob, new_blob) in candidates {
            let (old_text, new_text) = (self.read_blob(old_blob)?, self.read_blob(new_blob)?);
            let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
            if plausible_rename(&text(&old_text), &text(&new_text)) {
                renames.push((from, to));
            }
        }
        renames.sort();
        Ok(renames)
    }
}

/// The renames of several commits, and the commits that could not be compared.
#[derive(Clone, Debug, Default)]
pub struct CommitRenames {
    /// `(old, new)` vault paths, oldest first.
    pub renames: Vec<(String, String)>,
    /// How many commits could not be compared (their renames are missing).
    pub skipped: usize,
    /// Why the first of them could not.
    pub first_error: Option<GitError>,
}

impl CommitRenames {
    /// Appends the renames of later commits.
    fn absorb(&mut self, later: CommitRenames) {
        self.renames.extend(later.renames);
        self.skipped += later.skipped;
        if self.first_error.is_none() {
            self.first_error = later.first_error;
        }
    }
}

/// Renames not committed yet: notes of HEAD missing from `vault` paired with notes of
/// `vault` missing from HEAD when their lines are mostly the same (best pairs first, each
/// note in at most one pair), as `(old, new)` vault paths.
pub fn worktree_renames(
    repo: &VaultRepo,
    vault: &Vault,
) -> Result<Vec<(String, String)>, GitError> {
    let Some(head) = repo.commits(Some(1))?.pop() else {
        return Ok(Vec::new());
    };
    let files = repo.files_at(head.id)?;
    let in_head: FxHashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let gone: Vec<_> = files
        .iter()
        .filter(|f| is_markdown(&f.path) && vault.note_by_path(&f.path).is_none())
        .filter(|f| !vault.skipped.iter().any(|s| *s.path == *f.path))
        .collect();
    let new: Vec<_> = vault
        .notes
        .iter()
        .filter(|n| !in_head.contains(&*n.path))
        .collect();
    if gone.is_empty() || new.is_empty() {
        return Ok(Vec::new());
    }
    let exact_only = gone.len().saturating_mul(new.len()) > MAX_PAIRS;
    let new_counts: Vec<LineCounts<'_>> = new.iter().map(|n| line_counts(&n.text)).collect();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (g, file) in gone.iter().enumerate() {
        let old = repo.read_blob(file.blob)?;
        let Ok(old) = std::str::from_utf8(&old) else {
            continue;
        };
        let old_counts = line_counts(old);
        for (n, (note, counts)) in new.iter().zip(&new_counts).enumerate() {
            if exact_only && old != &*note.text {
                continue;
            }
            if let Some(score) = rename_score(old, &old_counts, &note.text, counts) {
                pairs.push((score, g, n));
            }
        }
    }
    // Best first; ties by path order, so the result does not depend on hashing.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_gone, mut used_new) = (FxHashSet::default(), FxHashSet::default());
    let mut renames = Vec::new();
    for (_, g, n) in pairs {
        if !used_gone.contains(&g) && !used_new.contains(&n) {
            used_gone.insert(g);
            used_new.insert(n);
            renames.push((gone[g].path.clone(), new[n].path.to_string()));
        }
    }
    renames.sort();
    Ok(renames)
}

/// How much of two texts is the same, from 0 to 1: shared lines (as a multiset, ignoring
/// surrounding whitespace and blank lines) over the lines of both.
pub fn content_similarity(a: &str, b: &str) -> f32 {
    similarity(&line_counts(a), &line_counts(b))
}

/// Whether `new` can be `old` renamed: at least half the same lines, and enough of them
/// real text, not the headings and stubs a template gives every note. Identical notes
/// need one distinctive line; others two shared ones.
pub fn plausible_rename(old: &str, new: &str) -> bool {
    rename_score(old, &line_counts(old), new, &line_counts(new)).is_some()
}

/// The similarity of a plausible rename (see [`plausible_rename`]), from texts and their
/// [`line_counts`], which callers comparing many pairs compute once per text.
fn rename_score(old: &str, a: &LineCounts<'_>, new: &str, b: &LineCounts<'_>) -> Option<f32> {
    let distinctive = a
        .iter()
        .filter(|(line, _)| is_distinctive(line) && b.contains_key(*line))
        .count();
    if old == new {
        return (distinctive >= 1).then_some(1.0);
    }
    let score = similarity(a, b);
    (distinctive >= 2 && score >= MIN_SIMILARITY).then_some(score)
}

fn similarity(a: &LineCounts<'_>, b: &LineCounts<'_>) -> f32 {
    let total: u32 = a.values().sum::<u32>() + b.values().sum::<u32>();
    if total == 0 {
        return 0.0;
    }
    let shared: u32 = a
        .iter()
        .map(|(line, n)| (*n).min(b.get(line).copied().unwrap_or(0)))
        .sum();
    2.0 * shared as f32 / total as f32
}

/// A line a template would not give every note: not a heading, fence or property
/// delimiter, and long enough to be prose.
fn is_distinctive(line: &str) -> bool {
    const MIN_CHARS: usize = 12;
    !line.starts_with('#') && !line.starts_with("---") && line.chars().count() >= MIN_CHARS
}

/// Each non-blank line of a text (trimmed) and how often it occurs.
type LineCounts<'a> = FxHashMap<&'a str, u32>;

fn line_counts(text: &str) -> LineCounts<'_> {
    let mut counts = FxHashMap::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        *counts.entry(line).or_insert(0) += 1;
    }
    counts
}
