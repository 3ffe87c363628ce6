//! Renames as byte-span edits: a note (every link to it keeps its anchor, display text,
//! wiki or markdown style and URL-encoding; canvases that show or link it follow), a
//! heading, a block id, a tag.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use super::edit::{FileOp, Fix, TextChange, group_edits};
use super::target::{anchor_heading_text, encode_target, parent_folder, relative_path, retarget};
use crate::note::{Link, LinkKind, Note, VaultPath, strip_md_extension, tag_matches};
use crate::resolve::{LinkGraph, LinkTarget};
use crate::text::Span;
use crate::vault::{NoteId, Vault};

/// Why a rename cannot be done.
#[derive(Debug, PartialEq, Eq)]
pub struct RenameError(pub String);

/// Edits every link to the notes in `moves` (old path → new path, with `.md`), as when
/// files are renamed or moved. Relative markdown links inside moved notes are updated too.
pub fn move_notes(vault: &Vault, graph: &LinkGraph, moves: &[(NoteId, String)]) -> Vec<FileOp> {
    let mut changes: BTreeMap<VaultPath, Vec<TextChange>> = BTreeMap::new();
    let new_path_of = |id: NoteId| {
        moves
            .iter()
            .find(|(m, _)| *m == id)
            .map(|(_, p)| p.as_str())
    };
    for (id, new) in moves {
        let old = &vault.note(*id).path;
        for (src, j) in graph.links_to_note(*id) {
            let from = vault.note(src);
            let link = &from.links[j];
            if link.target(&from.text).is_empty() {
                continue;
            }
            // A moved note's own links are written as seen from its new place.
            let mut from_moved;
            let from_ref = match new_path_of(src) {
                Some(p) => {
                    from_moved = from.clone();
                    from_moved.path = p.into();
                    &from_moved
                }
                None => from,
            };
            let text = retarget(vault, from_ref, link, old, new);
            changes
                .entry(from.path.clone())
                .or_default()
                .push(TextChange {
                    span: link.target_span,
                    new_text: text,
                });
        }
    }
    // Relative markdown links from a note that changes folder.
    for (id, new) in moves {
        let note = vault.note(*id);
        if parent_folder(&note.path) == parent_folder(new) {
            continue;
        }
        for (j, link) in note.links.iter().enumerate() {
            let written = &note.text[link.target_span.range()];
            if link.kind != LinkKind::Markdown
                || written.starts_with('/')
                || link.target(&note.text).is_empty()
            {
                continue;
            }
            let target_path = match &graph.resolutions[id.0 as usize][j].target {
                Some(LinkTarget::Note(t)) => {
                    new_path_of(*t).map_or_else(|| vault.note(*t).path.to_string(), str::to_string)
                }
                Some(LinkTarget::Attachment(a)) => vault.attachment(*a).to_string(),
                None => continue,
            };
            let decoded = percent_decode_str(written).decode_utf8_lossy();
            if !decoded.contains('/')
                && parent_folder(&target_path).is_empty()
                && !parent_folder(new).is_empty()
            {
                // A bare name still resolves by name from anywhere.
                continue;
            }
            let mut path = relative_path(parent_folder(new), &target_path);
            if strip_md_extension(&decoded).len() == decoded.len() {
                path = strip_md_extension(&path).to_string();
            }
            let encoded = decoded != written || !written.contains(' ');
            let text = if encoded { encode_target(&path) } else { path };
            changes
                .entry(note.path.clone())
                .or_default()
                .push(TextChange {
                    span: link.target_span,
                    new_text: text,
                });
        }
    }
    super::canvas::canvas_moves(vault, moves, &mut changes);
    group_edits(changes)
}

/// Renames a note to `new_name` (a name in the same folder, or a vault path with `/`).
pub fn rename_note(
    vault: &Vault,
    graph: &LinkGraph,
    id: NoteId,
    new_name: &str,
) -> Result<Fix, RenameError> {
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.ends_with('/') {
        return Err(RenameError("a note needs a name".into()));
    }
    // A wikilink cannot name a note with these: `#` starts a heading, `|` the display
    // text, `^` a block, and brackets end the link. Obsidian refuses them too.
    if let Some(bad) = new_name.chars().find(|c| "#|^[]".contains(*c)) {
        return Err(RenameError(format!(
            "a note name cannot contain `{bad}`: links could not name it"
        )));
    }
    let note = vault.note(id);
    let stem = strip_md_extension(new_name);
    // A name with `/` is a path from the vault's root: `..` would leave the vault.
    if stem.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(RenameError(
            "a new name is a name or a path from the vault's root, without `.` or `..`".into(),
        ));
    }
    let new_path = if stem.contains('/') {
        format!("{}.md", stem.trim_start_matches('/'))
    } else {
        let folder = parent_folder(&note.path);
        if folder.is_empty() {
            format!("{stem}.md")
        } else {
            format!("{folder}/{stem}.md")
        }
    };
    if new_path == *note.path {
        return Err(RenameError("the note already has this name".into()));
    }
    // The final path, checked on disk: a symlinked folder leads out without a `..`.
    crate::vault::resolve_inside(&vault.root, &new_path).map_err(RenameError)?;
    if let Some(other) = vault.note_by_path(&new_path)
        && other != id
    {
        return Err(RenameError(format!("a note {new_path} already exists")));
    }
    // Edits first, the rename last: clients apply document changes in order, so an edit
    // of the renamed note's own links must still name it by its old path.
    let mut ops = move_notes(vault, graph, &[(id, new_path.clone())]);
    ops.push(FileOp::Rename {
        from: note.path.clone(),
        to: new_path.as_str().into(),
    });
    Ok(Fix {
        title: format!("Rename {} to {}", note.path, new_path),
        ops,
        preferred: true,
    })
}

/// The span of the last part of a heading anchor (`Sub` in `Note#Top#Sub`).
fn last_anchor_part(note: &Note, link: &Link) -> Option<Span> {
    let anchor = link.anchor.as_ref()?;
    let text = &note.text[anchor.span.range()];
    let start = text.rfind('#').map_or(0, |i| i + 1);
    let trimmed_end = text.trim_end().len();
    Some(Span::new(
        anchor.span.start as usize + start,
        anchor.span.start as usize + trimmed_end.max(start),
    ))
}

/// Renames heading `h` of note `id` and every `#Heading` link to it.
pub fn rename_heading(
    vault: &Vault,
    graph: &LinkGraph,
    id: NoteId,
    h: usize,
    new_text: &str,
) -> Result<Fix, RenameError> {
    let new_text = new_text.trim();
    if new_text.is_empty() || new_text.contains('\n') {
        return Err(RenameError("a heading needs one line of text".into()));
    }
    let note = vault.note(id);
    let heading = &note.headings[h];
    let mut changes: BTreeMap<VaultPath, Vec<TextChange>> = BTreeMap::new();
    changes
        .entry(note.path.clone())
        .or_default()
        .push(TextChange {
            span: heading.text_span,
            new_text: new_text.to_string(),
        });
    let anchor_text = anchor_heading_text(new_text);
    for (src, j) in graph.links_to_heading(id, h) {
        let from = vault.note(src);
        if let Some(span) = last_anchor_part(from, &from.links[j]) {
            changes
                .entry(from.path.clone())
                .or_default()
                .push(TextChange {
                    span,
                    new_text: anchor_text.clone(),
                });
        }
    }
    Ok(Fix {
        title: format!("Rename heading to {new_text}"),
        ops: group_edits(changes),
        preferred: true,
    })
}

/// Renames block id `b` of note `id` and every `#^id` link to it.
pub fn rename_block(
    vault: &Vault,
    graph: &LinkGraph,
    id: NoteId,
    b: usize,
    new_id: &str,
) -> Result<Fix, RenameError> {
    let new_id = new_id.trim().trim_start_matches('^');
    if new_id.is_empty()
        || !new_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(RenameError(
            "a block id is ASCII letters, digits and dashes".into(),
        ));
    }
    let note = vault.note(id);
    let block = &note.block_ids[b];
    let mut changes: BTreeMap<VaultPath, Vec<TextChange>> = BTreeMap::new();
    let marker = Span::new(block.span.start as usize + 1, block.span.end as usize);
    changes
        .entry(note.path.clone())
        .or_default()
        .push(TextChange {
            span: marker,
            new_text: new_id.to_string(),
        });
    for (src, j) in graph.links_to_block(id, b) {
        let from = vault.note(src);
        let Some(anchor) = &from.links[j].anchor else {
            continue;
        };
        let text = &from.text[anchor.span.range()];
        let skip = text.find('^').map_or(0, |i| i + 1);
        let span = Span::new(
            anchor.span.start as usize + skip,
            anchor.span.start as usize + text.trim_end().len(),
        );
        changes
            .entry(from.path.clone())
            .or_default()
            .push(TextChange {
                span,
                new_text: new_id.to_string(),
            });
    }
    Ok(Fix {
        title: format!("Rename block to ^{new_id}"),
        ops: group_edits(changes),
        preferred: true,
    })
}

/// Renames tag `key` (and tags nested under it) everywhere.
pub fn rename_tag(vault: &Vault, key: &str, new_name: &str) -> Result<Fix, RenameError> {
    let new_name = new_name.trim().trim_start_matches('#');
    // A name `tag-invalid` would flag (a space, `#`, punctuation) would also end or
    // split the tag where it is written.
    if let Some(problem) = crate::rules::tag_problem(new_name, crate::note::TagSource::Inline) {
        return Err(RenameError(format!("the new tag {problem}")));
    }
    let mut changes: BTreeMap<VaultPath, Vec<TextChange>> = BTreeMap::new();
    for note in &vault.notes {
        for tag in &note.tags {
            if !tag_matches(&tag.name, key) {
                continue;
            }
            let text = &note.text[tag.span.range()];
            // The tag's own characters, without `#` or YAML quotes around them.
            let Some(at) = text.find(tag.name.trim_start_matches('#')) else {
                continue;
            };
            let old_len: usize = tag
                .name
                .trim_start_matches('#')
                .chars()
                .take(key.chars().count())
                .map(char::len_utf8)
                .sum();
            let start = tag.span.start as usize + at;
            changes
                .entry(note.path.clone())
                .or_default()
                .push(TextChange {
                    span: Span::new(start, start + old_len),
                    new_text: new_name.to_string(),
                });
        }
    }
    Ok(Fix {
        title: format!("Rename tag #{key} to #{new_name}"),
        ops: group_edits(changes),
        preferred: true,
    })
}
