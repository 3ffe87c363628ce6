//! Open documents: the editor's text of each file as a rope, with its version.
//!
//! The editor's buffer, not the disk, is the truth for an open file. Edits arrive as
//! LSP ranges; `convert` turns them into rope indices, so this file knows no encodings.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;

/// One open document.
#[derive(Clone, Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// Whether the vault model holds the text of this version.
    pub synced: bool,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        Document {
            rope: Rope::from_str(text),
            version,
            synced: false,
        }
    }

    /// The whole text as one string, for parsing.
    pub fn text(&self) -> Arc<str> {
        Arc::from(self.rope.to_string())
    }

    /// Replaces the characters `start..end` (char indices) with `text`.
    pub fn replace(&mut self, start: usize, end: usize, text: &str) {
        let len = self.rope.len_chars();
        let (start, end) = (start.min(len), end.min(len));
        let (start, end) = (start.min(end), end.max(start));
        if start < end {
            self.rope.remove(start..end);
        }
        if !text.is_empty() {
            self.rope.insert(start, text);
        }
    }
}

/// Why an edit was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    NotOpen,
    /// The change's version is not newer than the document's.
    StaleVersion {
        have: i32,
        got: i32,
    },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::NotOpen => write!(f, "the document is not open"),
            EditError::StaleVersion { have, got } => {
                write!(f, "version {got} is not newer than version {have}")
            }
        }
    }
}

/// The open documents, keyed by URI string.
#[derive(Clone, Debug, Default)]
pub struct Documents {
    docs: HashMap<String, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: String, text: &str, version: i32) {
        self.docs.insert(uri, Document::new(text, version));
    }

    pub fn close(&mut self, uri: &str) -> Option<Document> {
        self.docs.remove(uri)
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.docs.get(uri)
    }

    /// The document to edit, when `version` is newer than what we have.
    pub fn for_edit(&mut self, uri: &str, version: i32) -> Result<&mut Document, EditError> {
        let doc = self.docs.get_mut(uri).ok_or(EditError::NotOpen)?;
        if version <= doc.version {
            return Err(EditError::StaleVersion {
                have: doc.version,
                got: version,
            });
        }
        Ok(doc)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Document)> {
        self.docs.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Document)> {
        self.docs.iter_mut()
    }
}
