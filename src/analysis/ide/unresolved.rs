//! Names not written yet: after `[[`, the notes other notes link to that do not exist,
//! so a writer links to the same future note everyone else does.

use std::collections::HashMap;

use super::fuzzy;
use super::suggestion::{Insert, Suggestion, SuggestionKind, link_span, typed_link_name};
use crate::analysis::Analysis;
use crate::note::LinkKind;
use crate::vault::NoteId;
use crate::vault::normalize_key;

impl Analysis {
    /// The unresolved link targets matching the name typed after `[[`, best first, then
    /// most linked; `None` when the cursor is not in a link's name. The caller ranks them
    /// below existing notes.
    pub fn unresolved_suggestions(&self, id: NoteId, offset: usize) -> Option<Vec<Suggestion>> {
        let note = self.vault.note(id);
        let (open, typed) = typed_link_name(note, offset)?;
        let (replace, embed) = link_span(note, open, offset);
        // Name key → (the name as first written, notes linking to it).
        let mut names: HashMap<String, (String, Vec<NoteId>)> = HashMap::new();
        for (from, n) in self.vault.notes.iter().enumerate() {
            let from = NoteId(from as u32);
            for (link, res) in n.links.iter().zip(&self.graph.resolutions[from.0 as usize]) {
                if res.target.is_some()
                    || res.outside_vault()
                    || link.target(&n.text).trim().is_empty()
                {
                    continue;
                }
                // The link being typed names nothing yet.
                if from == id && link.span.touches(offset) {
                    continue;
                }
                let Some(name) = note_name(link.target(&n.text), link.kind) else {
                    continue;
                };
                let entry = names
                    .entry(normalize_key(name).into_owned())
                    .or_insert_with(|| (name.to_owned(), Vec::new()));
                if entry.1.last() != Some(&from) {
                    entry.1.push(from);
                }
            }
        }
        let mut scored: Vec<(i64, usize, String)> = names
            .into_values()
            .filter_map(|(name, from)| Some((fuzzy::score(typed, &name)?, from.len(), name)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Some(
            scored
                .into_iter()
                .map(|(_, count, name)| Suggestion {
                    label: name.clone(),
                    kind: SuggestionKind::Unresolved,
                    detail: Some(match count {
                        1 => "no note yet, linked from 1 note".to_owned(),
                        n => format!("no note yet, linked from {n} notes"),
                    }),
                    replace,
                    insert: Insert::Name {
                        name: name.clone(),
                        embed,
                    },
                    filter: format!("[[{name}"),
                    new_block_id: None,
                })
                .collect(),
        )
    }
}

/// The note name a broken link target asks for: without `.md`; `None` for a file of
/// another type (a missing attachment is no note to write).
fn note_name(target: &str, kind: LinkKind) -> Option<&str> {
    let target = target.trim();
    if let Some(stem) = target.strip_suffix(".md") {
        return Some(stem);
    }
    // The kinds of file Obsidian opens or embeds (as `fix::link::names_a_file` lists them).
    const FILES: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "mp3", "wav", "m4a", "ogg",
        "3gp", "flac", "webm", "mp4", "ogv", "mov", "mkv", "pdf", "canvas", "base",
    ];
    let file = target.rsplit('/').next().unwrap_or(target);
    let is_file = file
        .rsplit_once('.')
        .is_some_and(|(_, ext)| FILES.iter().any(|e| ext.eq_ignore_ascii_case(e)));
    // A markdown link names a file by its path: without `.md` it is no note.
    (!is_file && kind == LinkKind::Wiki).then_some(target)
}
