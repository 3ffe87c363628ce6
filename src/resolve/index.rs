//! Names, paths and path suffixes of every note and attachment, normalized for lookup.

use std::sync::Arc;

use crate::note::{Note, VaultPath};

/// Lookup tables from normalized names and paths to notes and attachments.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {}

impl NameIndex {
    pub fn build(_notes: &[Arc<Note>], _attachments: &[VaultPath]) -> NameIndex {
        NameIndex {}
    }
}

/// The lookup key of a name or path: NFC, Unicode lowercase.
pub fn normalize_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc().collect::<String>().to_lowercase()
}
