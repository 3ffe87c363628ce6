//! Notes known to have been renamed: git's renames (committed and not yet committed) and
//! the `moved` events of the history trace, followed to the note that exists now.

use std::io;
use std::path::Path;

use rustc_hash::FxHashMap;

use super::names::loose_key;
use crate::git::{RENAME_CACHE_FILE, VaultRepo, committed_renames_cached, worktree_renames};
use crate::history::EventKind;
use crate::history::trace::{read_events, trace_path};
use crate::note::note_name;
use crate::search::cache::{default_cache_root, vault_cache_dir};
use crate::vault::{NoteId, Vault};

/// How many renames in a row are followed before giving up (a loop in the record).
const MAX_HOPS: usize = 32;

/// How many of HEAD's latest commits are searched for renames. A vault committed every
/// few minutes (Obsidian's git plugin) makes about 10,000 commits in two months.
pub const GIT_RENAME_COMMITS: usize = 10_000;

/// Old paths and where they went, by loose key.
#[derive(Clone, Debug, Default)]
pub struct KnownMoves {
    /// Loose key of an old path (without `.md`) → the new vault path.
    moved: FxHashMap<String, String>,
    /// Loose key of an old file name → loose keys of the old paths with that name.
    by_name: FxHashMap<String, Vec<String>>,
}

impl KnownMoves {
    /// The renames recorded in the vault's trace (`moved` events); none without a trace.
    pub fn from_trace(root: &Path) -> io::Result<KnownMoves> {
        let mut renames = KnownMoves::default();
        renames.add_trace(root)?;
        Ok(renames)
    }

    /// Every rename known for `vault`: git's committed renames (the last
    /// [`GIT_RENAME_COMMITS`] commits, oldest first, cached in twin's cache folder), the trace's, then git's uncommitted
    /// ones, so that the latest rename of a path wins. A source that cannot be read is
    /// left out with a warning (one sentence each).
    pub fn for_vault(vault: &Vault) -> (KnownMoves, Vec<String>) {
        let mut renames = KnownMoves::default();
        let mut warnings = Vec::new();
        let uncommitted = match VaultRepo::open(&vault.root) {
            Ok(Some(repo)) => {
                let cache = default_cache_root()
                    .map(|r| vault_cache_dir(&r, &vault.root).join(RENAME_CACHE_FILE));
                match committed_renames_cached(&repo, GIT_RENAME_COMMITS, cache.as_deref()) {
                    Ok(found) => {
                        found
                            .renames
                            .iter()
                            .for_each(|(old, new)| renames.add(old, new));
                        if let (n @ 1.., Some(reason)) = (found.skipped, found.skip_reason) {
                            warnings
                                .push(format!("{reason}; the renames of {n} commits are not used"));
                        }
                    }
                    Err(err) => warnings.push(format!("{err}; committed renames are not used")),
                }
                worktree_renames(&repo, vault).unwrap_or_else(|err| {
                    warnings.push(format!("{err}; uncommitted renames are not used"));
                    Vec::new()
                })
            }
            Ok(None) => Vec::new(),
            Err(err) => {
                warnings.push(format!("{err}; git renames are not used"));
                Vec::new()
            }
        };
        if let Err(err) = renames.add_trace(&vault.root) {
            warnings.push(format!("cannot read the history trace for renames: {err}"));
        }
        uncommitted
            .iter()
            .for_each(|(old, new)| renames.add(old, new));
        (renames, warnings)
    }

    /// Adds the renames recorded in the trace of the vault at `root`.
    fn add_trace(&mut self, root: &Path) -> io::Result<()> {
        read_events(&trace_path(root), |event| {
            if event.kind == EventKind::Moved && !event.from.is_empty() && !event.path.is_empty() {
                self.add(&event.from, &event.path);
            }
        })?;
        Ok(())
    }

    /// Records that the note at `old` now lives at `new` (vault paths).
    pub fn add(&mut self, old: &str, new: &str) {
        let key = loose_key(old);
        if key.is_empty() || key == loose_key(new) {
            return;
        }
        let name = loose_key(note_name(old));
        let paths = self.by_name.entry(name).or_default();
        if !paths.contains(&key) {
            paths.push(key.clone());
        }
        // A later rename of the same old path wins: the record is in time order.
        self.moved.insert(key, new.to_string());
    }

    /// How many old paths are known.
    pub fn len(&self) -> usize {
        self.moved.len()
    }

    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }

    /// The note a broken target (a path or a bare name) was renamed to, when the renames
    /// lead to exactly one note that exists.
    pub fn renamed_note(&self, vault: &Vault, target: &str) -> Option<NoteId> {
        let key = loose_key(target.trim_start_matches('/'));
        if key.is_empty() || self.moved.is_empty() {
            return None;
        }
        let name = key.rsplit('/').next().unwrap_or(&key);
        let mut found: Vec<NoteId> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter(|old| {
                **old == key
                    || old
                        .strip_suffix(key.as_str())
                        .is_some_and(|rest| rest.ends_with('/'))
            })
            .filter_map(|old| self.follow(vault, old))
            .collect();
        found.sort();
        found.dedup();
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Follows renames from an old path key to a note of the vault.
    fn follow(&self, vault: &Vault, old: &str) -> Option<NoteId> {
        let mut new = self.moved.get(old)?;
        for _ in 0..MAX_HOPS {
            if let Some(id) = vault.note_by_path(new) {
                return Some(id);
            }
            new = self.moved.get(&loose_key(new))?;
        }
        None
    }
}
