//! Names, paths and aliases of every note and attachment, normalized for lookup.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use super::paths::{file_name, normalize_key};
use super::{AttachmentId, NoteId};
use crate::note::{Note, VaultPath, strip_md_extension};

/// Ids sharing one name: nearly always one, kept inline to spare a pointer chase.
type Ids<T> = SmallVec<[T; 4]>;

/// Lookup tables from normalized names and paths to notes and attachments.
///
/// Keys are NFC + lowercase ([`normalize_key`]). Note keys have no `.md`;
/// attachment keys keep their extension. Id lists are sorted, so by path.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameIndex {
    /// Per note: its normalized path without `.md`.
    note_keys: Vec<Box<str>>,
    notes_by_name: HashMap<Box<str>, Ids<NoteId>>,
    notes_by_alias: HashMap<Box<str>, Ids<NoteId>>,
    /// Per attachment: its normalized path.
    attachment_keys: Vec<Box<str>>,
    attachments_by_name: HashMap<Box<str>, Ids<AttachmentId>>,
}

impl NameIndex {
    pub fn build(notes: &[Arc<Note>], attachments: &[VaultPath]) -> NameIndex {
        let mut index = NameIndex {
            note_keys: Vec::with_capacity(notes.len()),
            attachment_keys: Vec::with_capacity(attachments.len()),
            ..NameIndex::default()
        };
        for (i, note) in notes.iter().enumerate() {
            let id = NoteId(i as u32);
            let key = note_key(&note.path);
            // Ids arrive in increasing order, so pushing keeps every list sorted.
            push_unique(&mut index.notes_by_name, file_name(&key), id);
            for alias in alias_keys(note) {
                push_unique(&mut index.notes_by_alias, &alias, id);
            }
            index.note_keys.push(key);
        }
        for (i, path) in attachments.iter().enumerate() {
            let id = AttachmentId(i as u32);
            let key: Box<str> = normalize_key(path).into();
            push_unique(&mut index.attachments_by_name, file_name(&key), id);
            index.attachment_keys.push(key);
        }
        index
    }

    /// Notes whose normalized file name (without `.md`) is `name`.
    /// `name` must already be normalized with [`normalize_key`].
    pub fn notes_named(&self, name: &str) -> &[NoteId] {
        self.notes_by_name
            .get(name)
            .map_or(&[], |ids| ids.as_slice())
    }

    /// Notes with an alias whose normalized form is `name`.
    /// `name` must already be normalized with [`normalize_key`].
    pub fn notes_with_alias(&self, name: &str) -> &[NoteId] {
        self.notes_by_alias
            .get(name)
            .map_or(&[], |ids| ids.as_slice())
    }

    /// The one note that has `target` (a link target as written) as an alias, when exactly
    /// one does. Obsidian never resolves a link through an alias; this names the note a
    /// broken link probably meant.
    pub fn alias_owner(&self, target: &str) -> Option<NoteId> {
        let target = target.trim();
        if target.is_empty() || target.contains('/') {
            return None;
        }
        let key = super::normalize_key(crate::note::strip_md_extension(target));
        match self.notes_with_alias(&key) {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The normalized path (without `.md`) of a note.
    pub fn note_key(&self, id: NoteId) -> &str {
        &self.note_keys[id.0 as usize]
    }

    /// Notes whose key is `key` or ends with `/key`, each with whether the whole key
    /// matched; `key` is normalized, without `.md`.
    pub(crate) fn match_notes<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (NoteId, bool)> + Clone + 'a {
        match_keys(&self.notes_by_name, &self.note_keys, key, |id| id.0)
    }

    /// Attachments whose key is `key` or ends with `/key`, each with whether the
    /// whole key matched; `key` is normalized.
    pub(crate) fn match_attachments<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (AttachmentId, bool)> + Clone + 'a {
        match_keys(
            &self.attachments_by_name,
            &self.attachment_keys,
            key,
            |id| id.0,
        )
    }

    /// Adds a note that was inserted at `id` in the vault's notes: every id at or
    /// after it shifts up by one.
    pub fn insert_note(&mut self, id: NoteId, note: &Note) {
        self.shift_notes(|n| if n >= id.0 { n + 1 } else { n });
        let key = note_key(&note.path);
        insert_sorted(&mut self.notes_by_name, file_name(&key), id);
        for alias in alias_keys(note) {
            insert_sorted(&mut self.notes_by_alias, &alias, id);
        }
        self.note_keys.insert(id.0 as usize, key);
    }

    /// Removes the note at `id` (which must be `note`); later ids shift down by one.
    pub fn remove_note(&mut self, id: NoteId, note: &Note) {
        let key = self.note_keys.remove(id.0 as usize);
        remove_id(&mut self.notes_by_name, file_name(&key), id);
        for alias in alias_keys(note) {
            remove_id(&mut self.notes_by_alias, &alias, id);
        }
        self.shift_notes(|n| if n > id.0 { n - 1 } else { n });
    }

    /// Updates the aliases of the note at `id` when its content changed but not its path.
    pub fn replace_note(&mut self, id: NoteId, old: &Note, new: &Note) {
        for alias in alias_keys(old) {
            remove_id(&mut self.notes_by_alias, &alias, id);
        }
        for alias in alias_keys(new) {
            insert_sorted(&mut self.notes_by_alias, &alias, id);
        }
    }

    /// Adds an attachment inserted at `id` in the vault's attachments: every id at or
    /// after it shifts up by one.
    pub fn insert_attachment(&mut self, id: AttachmentId, path: &str) {
        self.shift_attachments(|n| if n >= id.0 { n + 1 } else { n });
        let key: Box<str> = normalize_key(path).into();
        insert_sorted(&mut self.attachments_by_name, file_name(&key), id);
        self.attachment_keys.insert(id.0 as usize, key);
    }

    /// Removes the attachment at `id`; later ids shift down by one.
    pub fn remove_attachment(&mut self, id: AttachmentId) {
        let key = self.attachment_keys.remove(id.0 as usize);
        remove_id(&mut self.attachments_by_name, file_name(&key), id);
        self.shift_attachments(|n| if n > id.0 { n - 1 } else { n });
    }

    fn shift_attachments(&mut self, f: impl Fn(u32) -> u32) {
        for ids in self.attachments_by_name.values_mut() {
            for id in ids {
                id.0 = f(id.0);
            }
        }
    }

    fn shift_notes(&mut self, f: impl Fn(u32) -> u32) {
        // Renumbering in place keeps every list sorted, since `f` is monotonic.
        for ids in self
            .notes_by_name
            .values_mut()
            .chain(self.notes_by_alias.values_mut())
        {
            for id in ids {
                id.0 = f(id.0);
            }
        }
    }
}

/// The key of a note path: normalized, without `.md`.
fn note_key(path: &str) -> Box<str> {
    normalize_key(strip_md_extension(path)).into()
}

/// A note's distinct normalized aliases.
fn alias_keys(note: &Note) -> Vec<String> {
    let mut keys: Vec<String> = note
        .aliases()
        .iter()
        .map(|a| normalize_key(a.name.trim()).into_owned())
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn push_unique<T: PartialEq>(map: &mut HashMap<Box<str>, Ids<T>>, key: &str, id: T) {
    match map.get_mut(key) {
        Some(ids) if ids.last() != Some(&id) => ids.push(id),
        Some(_) => {}
        None => {
            map.insert(key.into(), smallvec::smallvec![id]);
        }
    }
}

fn insert_sorted<T: Ord>(map: &mut HashMap<Box<str>, Ids<T>>, key: &str, id: T) {
    let ids = match map.get_mut(key) {
        Some(ids) => ids,
        None => map.entry(key.into()).or_default(),
    };
    if let Err(at) = ids.binary_search(&id) {
        ids.insert(at, id);
    }
}

fn remove_id<T: Ord>(map: &mut HashMap<Box<str>, Ids<T>>, key: &str, id: T) {
    if let Some(ids) = map.get_mut(key) {
        if let Ok(at) = ids.binary_search(&id) {
            ids.remove(at);
        }
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

fn match_keys<'a, T: Copy + 'a>(
    by_name: &'a HashMap<Box<str>, Ids<T>>,
    keys: &'a [Box<str>],
    key: &'a str,
    index_of: impl Fn(T) -> u32 + Clone + 'a,
) -> impl Iterator<Item = (T, bool)> + Clone + 'a {
    // Only entries with the same file name can match, so scan that bucket alone.
    let bucket = by_name
        .get(file_name(key))
        .map_or(&[][..], |ids| ids.as_slice());
    let bare = !key.contains('/');
    bucket.iter().filter_map(move |&id| {
        let candidate = &keys[index_of(id) as usize];
        if bare {
            // Every key in the bucket ends with this name after a `/` or is the name
            // itself: the length decides, without reading the key's bytes.
            Some((id, candidate.len() == key.len()))
        } else if **candidate == *key {
            Some((id, true))
        } else if candidate.ends_with(key) && at_folder_boundary(candidate, key.len()) {
            Some((id, false))
        } else {
            None
        }
    })
}

/// Whether the last `tail` bytes of `key` start right after a `/`.
fn at_folder_boundary(key: &str, tail: usize) -> bool {
    key.len() > tail && key.as_bytes()[key.len() - tail - 1] == b'/'
}
