//! The vault as it was at one commit, built from the commit's tree with the discovery
//! rules of today's vault; notes unchanged since the previous commit are not parsed again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gix::ObjectId;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::git::{GitError, VaultRepo};
use crate::note::{Note, VaultPath, parse_note};
use crate::vault::{SkippedFile, Vault, is_excluded, is_markdown, note_text};

/// A note's content id and its parse, or why it is no note.
type Parsed = (ObjectId, Result<Arc<Note>, String>);

/// Builds [`Vault`]s commit after commit, reusing what did not change.
pub struct CommitVault<'a> {
    root: PathBuf,
    config: &'a Config,
    /// Each note path's content at the last commit built, parsed (or why it is no note).
    parsed: FxHashMap<Arc<str>, Parsed>,
    /// Whether discovery excludes a path (asked once per path).
    excluded: FxHashMap<String, bool>,
}

impl<'a> CommitVault<'a> {
    pub fn new(root: &Path, config: &'a Config) -> CommitVault<'a> {
        CommitVault {
            root: root.to_path_buf(),
            config,
            parsed: FxHashMap::default(),
            excluded: FxHashMap::default(),
        }
    }

    /// The vault at `commit`.
    pub fn vault_at(&mut self, repo: &VaultRepo, commit: ObjectId) -> Result<Vault, GitError> {
        let files = repo.files_at(commit)?;
        let mut attachments: Vec<VaultPath> = Vec::new();
        let mut notes = Vec::new();
        for file in files {
            let (root, config) = (&self.root, self.config);
            let excluded = *self
                .excluded
                .entry(file.path.clone())
                .or_insert_with(|| is_excluded(root, config, &file.path));
            if excluded {
                continue;
            }
            if is_markdown(&file.path) {
                notes.push(file);
            } else {
                attachments.push(file.path.into());
            }
        }
        // Read what changed (the repository is one thread's), then parse in parallel.
        let mut changed: Vec<(VaultPath, ObjectId, Vec<u8>)> = Vec::new();
        for file in &notes {
            let same = self
                .parsed
                .get(file.path.as_str())
                .is_some_and(|(blob, _)| *blob == file.blob);
            if !same {
                let bytes = repo.read_blob(file.blob)?;
                changed.push((file.path.as_str().into(), file.blob, bytes));
            }
        }
        let parsed: Vec<_> = changed
            .into_par_iter()
            .map(|(path, blob, bytes)| {
                let note = note_text(bytes).map(|text| Arc::new(parse_note(path.clone(), text)));
                (path, blob, note)
            })
            .collect();
        for (path, blob, note) in parsed {
            self.parsed.insert(path, (blob, note));
        }
        // Forget notes gone at this commit, so memory follows the vault's size.
        let present: rustc_hash::FxHashSet<&str> = notes.iter().map(|f| f.path.as_str()).collect();
        self.parsed.retain(|path, _| present.contains(&**path));

        let mut parsed_notes = Vec::with_capacity(notes.len());
        let mut skipped = Vec::new();
        for file in &notes {
            match &self.parsed[file.path.as_str()].1 {
                Ok(note) => parsed_notes.push(note.clone()),
                Err(reason) => skipped.push(SkippedFile {
                    path: file.path.as_str().into(),
                    reason: reason.clone(),
                }),
            }
        }
        Ok(Vault::from_parts(
            self.root.clone(),
            parsed_notes,
            attachments,
            skipped,
        ))
    }
}
