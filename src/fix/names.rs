//! Near misses: a broken link target that names exactly one note or file once case,
//! Unicode normalization, whitespace, `.md` and URL-encoding are ignored.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use rustc_hash::FxHashMap;

use crate::note::{Link, LinkKind, strip_md_extension};
use crate::vault::{AttachmentId, NoteId, Vault};
use crate::vault::{join_relative, normalize_key, parent_folder};

/// What a near miss points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Found {
    Note(NoteId),
    Attachment(AttachmentId),
}

/// The loose key of a target: URL-decoded, NFC, lowercase, each path segment's whitespace
/// collapsed and trimmed, empty and `.` segments dropped, and every trailing `.md` removed.
pub fn loose_key(target: &str) -> String {
    let decoded: Cow<'_, str> = if target.contains('%') {
        percent_decode_str(target).decode_utf8_lossy()
    } else {
        Cow::Borrowed(target)
    };
    let key = normalize_key(&decoded);
    let mut out = String::with_capacity(key.len());
    for segment in key.split('/') {
        let mut words = segment.split_whitespace().peekable();
        if words.peek().is_none() || segment.trim() == "." {
            continue;
        }
        if !out.is_empty() {
            out.push('/');
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    loop {
        let stripped = strip_md_extension(&out).trim_end();
        if stripped.len() == out.len() {
            return out;
        }
        out.truncate(stripped.len());
    }
}

struct Entry {
    found: Found,
    /// The loose key of the whole path (without `.md` for notes).
    path_key: String,
}

/// Every note and file of a vault under its loose name, for near-miss lookups.
pub struct NameTable {
    entries: Vec<Entry>,
    /// Every note's name key (NFC, lowercase) as characters, for edit distances.
    note_names: Vec<(Vec<char>, NoteId)>,
    /// Loose file name → indexes into `entries`.
    by_name: FxHashMap<String, Vec<u32>>,
}

impl NameTable {
    pub fn build(vault: &Vault) -> NameTable {
        let mut table = NameTable {
            entries: Vec::with_capacity(vault.notes.len() + vault.attachments.len()),
            note_names: vault
                .note_ids()
                .map(|id| (normalize_key(vault.note(id).name()).chars().collect(), id))
                .collect(),
            by_name: FxHashMap::default(),
        };
        for id in vault.note_ids() {
            table.insert(Found::Note(id), &vault.note(id).path);
        }
        for (i, path) in vault.attachments.iter().enumerate() {
            table.insert(Found::Attachment(AttachmentId(i as u32)), path);
        }
        table
    }

    fn insert(&mut self, found: Found, path: &str) {
        let path_key = loose_key(path);
        let name = path_key.rsplit('/').next().unwrap_or(&path_key).to_string();
        self.by_name
            .entry(name)
            .or_default()
            .push(self.entries.len() as u32);
        self.entries.push(Entry { found, path_key });
    }

    /// Everything whose loose path is `key` or ends with `/key` (a bare name when `key`
    /// has no `/`), sorted and without duplicates.
    pub fn matching(&self, key: &str) -> Vec<Found> {
        self.collect(key, false)
    }

    fn collect(&self, key: &str, exact_only: bool) -> Vec<Found> {
        let name = key.rsplit('/').next().unwrap_or(key);
        let mut out: Vec<Found> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i as usize])
            .filter(|e| {
                e.path_key == key
                    || (!exact_only
                        && e.path_key
                            .strip_suffix(key)
                            .is_some_and(|rest| rest.ends_with('/')))
            })
            .map(|e| e.found)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// What a broken link names up to case, normalization, whitespace, `.md` and encoding:
    /// `Ok` with the one match, `Err` with every match when there are none or several.
    /// `text` is the text of the note at `from_path`, where the link is.
    pub fn near_miss(&self, from_path: &str, text: &str, link: &Link) -> Result<Found, Vec<Found>> {
        let target = link.target(text).trim();
        let folder = parent_folder(from_path);
        let relative = target.starts_with("./") || target.starts_with("../");
        // Markdown links, and relative wikilinks, are read from the linking note's folder first.
        if (link.kind == LinkKind::Markdown && !target.starts_with('/')) || relative {
            let exact = join_relative(folder, &decode(target))
                .map(|joined| self.exact(&loose_key(&joined)))
                .unwrap_or_default();
            if let [one] = exact.as_slice() {
                return Ok(*one);
            }
            if relative {
                return Err(exact);
            }
        }
        let key = loose_key(target.trim_start_matches('/'));
        if key.is_empty() {
            return Err(Vec::new());
        }
        match self.matching(&key).as_slice() {
            [one] => Ok(*one),
            many => Err(many.to_vec()),
        }
    }

    /// The one note whose name is strictly closest to `wanted` by edit distance, within
    /// typo range (see [`super::distance::limit`]).
    pub fn closest_note(&self, wanted: &str) -> Option<NoteId> {
        let wanted = normalize_key(wanted);
        let limit = super::distance::limit(wanted.chars().count());
        let wanted_len = wanted.chars().count();
        // The best distance and the index of its first name; whether another name ties.
        let mut best: Option<(usize, usize)> = None;
        let mut tied = false;
        for (i, (name, _)) in self.note_names.iter().enumerate() {
            if name.len().abs_diff(wanted_len) > limit {
                continue;
            }
            // Only names as close as the best so far matter.
            let bound = best.map_or(limit, |(d, _)| d);
            let Some(d) = super::distance::edit_distance_within(&wanted, name, bound) else {
                continue;
            };
            match best {
                // Two notes may share a name: the same name twice is no tie.
                Some((b, first)) if d == b => tied |= self.note_names[first].0 != *name,
                Some((b, _)) if d > b => {}
                _ => {
                    best = Some((d, i));
                    tied = false;
                }
            }
        }
        match best {
            Some((_, i)) if !tied => Some(self.note_names[i].1),
            _ => None,
        }
    }

    /// Entries whose loose path is exactly `key`.
    fn exact(&self, key: &str) -> Vec<Found> {
        self.collect(key, true)
    }
}

fn decode(target: &str) -> Cow<'_, str> {
    if target.contains('%') {
        percent_decode_str(target).decode_utf8_lossy()
    } else {
        Cow::Borrowed(target)
    }
}

#[cfg(test)]
mod tests {
    use super::loose_key;

    #[test]
    fn loose_keys_ignore_case_spacing_encoding_and_md() {
        assert_eq!(loose_key("Meeting%20Notes"), "meeting notes");
        assert_eq!(loose_key(" Meeting  Notes .md"), "meeting notes");
        assert_eq!(loose_key("Folder / Note.md.md"), "folder/note");
        assert_eq!(loose_key("./a//B\u{a0}c"), "a/b c");
        assert_eq!(loose_key("Cafe\u{301}"), "caf\u{e9}");
        assert_eq!(loose_key("img.PNG"), "img.png");
    }
}
