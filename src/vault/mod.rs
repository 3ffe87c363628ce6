//! The set of notes and attachments of one vault, found on disk and parsed in parallel.

mod canvas;
mod contain;
mod discover;
mod load;
mod names;
mod paths;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

use crate::note::{Note, VaultPath};

pub use canvas::{
    Canvas, CanvasFile, CanvasLink, CanvasProblem, MAX_CANVAS_BYTES, is_canvas, parse_canvas,
    read_canvas,
};
pub use contain::{name_problem, own_file, resolve_inside};
pub use discover::{DiscoveredFile, FileKind, discover_files, is_excluded, is_markdown};
pub use load::{
    LoadError, MAX_NOTE_BYTES, ODD_BYTE, ParseFn, load_discovered, load_vault, load_vault_with,
    note_text, odd_bytes, read_note_file,
};
pub use names::NameIndex;
pub use paths::{
    file_name, join_relative, normalize_key, normalize_segments, parent_folder, simple_lowercase,
    with_key,
};

/// Index of a note in [`Vault::notes`]. Ids are positions in path order, so adding or
/// removing a note shifts the ids after it (see [`Vault::upsert_note`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoteId(pub u32);

/// Index of an attachment in [`Vault::attachments`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttachmentId(pub u32);

/// A markdown file that could not be read; checked as `file-unreadable`. It stays in the
/// vault as an empty note (see [`Vault::from_parts`]), so that links to it resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: VaultPath,
    /// Why it was skipped, as one sentence for the user ("not valid UTF-8 at byte 12").
    pub reason: String,
}

/// The empty note that stands for a markdown file that could not be read.
pub fn unread_note(path: VaultPath) -> Note {
    crate::note::parse_note(path, Arc::from(""))
}

/// A loaded vault: every note parsed, every attachment listed, names indexed.
#[derive(Clone, Debug)]
pub struct Vault {
    /// The vault's root, canonicalized.
    pub root: PathBuf,
    /// Notes sorted by path; a [`NoteId`] indexes this.
    pub notes: Vec<Arc<Note>>,
    /// Non-markdown files sorted by path; an [`AttachmentId`] indexes this.
    pub attachments: Vec<VaultPath>,
    /// Markdown files that could not be read, sorted by path. Each is also in `notes`, empty.
    pub skipped: Vec<SkippedFile>,
    /// Names, paths and aliases for link resolution.
    pub index: NameIndex,
    /// The canvases among the attachments, read, sorted by path (see [`Vault::set_canvas`]).
    pub canvases: Vec<Canvas>,
}

impl Vault {
    /// A vault from notes already parsed (tests, the language server's single-file mode).
    /// A skipped file that is not among `notes` is added as an empty note: the file exists,
    /// so Obsidian resolves links to it.
    pub fn from_parts(
        root: PathBuf,
        mut notes: Vec<Arc<Note>>,
        mut attachments: Vec<VaultPath>,
        mut skipped: Vec<SkippedFile>,
    ) -> Vault {
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        let missing: Vec<Arc<Note>> = skipped
            .iter()
            // A name that is not UTF-8 (read with U+FFFD) is one no link can write.
            .filter(|s| !s.path.contains('\u{fffd}'))
            .filter(|s| notes.binary_search_by(|n| n.path.cmp(&s.path)).is_err())
            .map(|s| Arc::new(unread_note(s.path.clone())))
            .collect();
        if !missing.is_empty() {
            notes.extend(missing);
            notes.sort_by(|a, b| a.path.cmp(&b.path));
            notes.dedup_by(|a, b| a.path == b.path);
        }
        attachments.sort();
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        let index = NameIndex::build(&notes, &attachments);
        Vault {
            root,
            notes,
            attachments,
            skipped,
            index,
            canvases: Vec::new(),
        }
    }

    /// Adds or replaces a canvas (its file must be among the attachments to count).
    pub fn set_canvas(&mut self, canvas: Canvas) {
        match self.canvases.binary_search_by(|c| c.path.cmp(&canvas.path)) {
            Ok(i) => self.canvases[i] = canvas,
            Err(i) => self.canvases.insert(i, canvas),
        }
    }

    /// The canvas at `path`, when it was read.
    pub fn canvas(&self, path: &str) -> Option<&Canvas> {
        let i = self
            .canvases
            .binary_search_by(|c| (*c.path).cmp(path))
            .ok()?;
        Some(&self.canvases[i])
    }

    /// Forgets the canvas at `path`; returns it when there was one.
    pub fn remove_canvas(&mut self, path: &str) -> Option<Canvas> {
        let i = self
            .canvases
            .binary_search_by(|c| (*c.path).cmp(path))
            .ok()?;
        Some(self.canvases.remove(i))
    }

    /// Whether the note at `path` stands for a file that could not be read.
    pub fn is_skipped(&self, path: &str) -> bool {
        !self.skipped.is_empty()
            && self
                .skipped
                .binary_search_by(|s| (*s.path).cmp(path))
                .is_ok()
    }

    pub fn note(&self, id: NoteId) -> &Note {
        &self.notes[id.0 as usize]
    }

    pub fn note_ids(&self) -> impl Iterator<Item = NoteId> + '_ {
        (0..self.notes.len() as u32).map(NoteId)
    }

    pub fn note_by_path(&self, path: &str) -> Option<NoteId> {
        self.notes
            .binary_search_by(|n| (*n.path).cmp(path))
            .ok()
            .map(|i| NoteId(i as u32))
    }

    pub fn attachment(&self, id: AttachmentId) -> &str {
        &self.attachments[id.0 as usize]
    }

    pub fn attachment_by_path(&self, path: &str) -> Option<AttachmentId> {
        self.attachments
            .binary_search_by(|a| (**a).cmp(path))
            .ok()
            .map(|i| AttachmentId(i as u32))
    }

    /// Adds a note, or replaces the note with the same path, updating the name index
    /// in place. Returns the note's id.
    ///
    /// Ids are positions in the sorted [`Vault::notes`]: adding a new path shifts the
    /// ids of every note after it by one, so ids (and a `LinkGraph`) taken before
    /// this call are stale. Replacing an existing path keeps all ids.
    pub fn upsert_note(&mut self, note: Arc<Note>) -> NoteId {
        // A note that can be read again is no longer skipped.
        if let Ok(i) = self.skipped.binary_search_by(|s| (*s.path).cmp(&note.path)) {
            self.skipped.remove(i);
        }
        match self.notes.binary_search_by(|n| n.path.cmp(&note.path)) {
            Ok(i) => {
                let id = NoteId(i as u32);
                self.index.replace_note(id, &self.notes[i], &note);
                self.notes[i] = note;
                id
            }
            Err(i) => {
                let id = NoteId(i as u32);
                self.index.insert_note(id, &note);
                self.notes.insert(i, note);
                id
            }
        }
    }

    /// Adds an attachment (a no-op when it is already listed) and returns its id.
    /// Later attachment ids shift up by one, as note ids do in [`Vault::upsert_note`].
    pub fn add_attachment(&mut self, path: VaultPath) -> AttachmentId {
        match self.attachments.binary_search(&path) {
            Ok(i) => AttachmentId(i as u32),
            Err(i) => {
                let id = AttachmentId(i as u32);
                self.index.insert_attachment(id, &path);
                self.attachments.insert(i, path);
                id
            }
        }
    }

    /// Removes an attachment; returns whether it was listed. Later ids shift down.
    pub fn remove_attachment(&mut self, path: &str) -> bool {
        let Some(id) = self.attachment_by_path(path) else {
            return false;
        };
        self.attachments.remove(id.0 as usize);
        self.index.remove_attachment(id);
        true
    }

    /// Removes the note at `path`, updating the name index in place, and returns it.
    /// Ids of the notes after it shift down by one (see [`Vault::upsert_note`]).
    pub fn remove_note(&mut self, path: &str) -> Option<Arc<Note>> {
        let id = self.note_by_path(path)?;
        let note = self.notes.remove(id.0 as usize);
        self.index.remove_note(id, &note);
        Some(note)
    }
}
