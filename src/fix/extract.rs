//! Extract a heading's section into a new note: the section (the heading and everything
//! until the next heading of the same or a higher level) moves, byte for byte, to a note
//! named after the heading, in the folder Obsidian's "new note location" names; a link or
//! an embed takes its place; links into the moved headings and blocks follow it; in a vault
//! that types its relations the two notes declare each other (upstream, downstream).

use std::collections::BTreeMap;

use super::FixContext;
use super::edit::{FileOp, Fix, TextChange, apply_changes, group_edits};
use super::relation::declare;
use percent_encoding::percent_decode_str;

use super::target::{
    encode_target, markdown_target, parent_folder, relative_path, retarget, wiki_target,
};
use crate::config::{Config, Relation};
use crate::note::{LinkKind, VaultPath, parse_note, strip_md_extension};
use crate::resolve::{AnchorResolution, LinkTarget};
use crate::text::Span;
use crate::vault::{NoteId, Vault, normalize_key};

/// Characters a file name cannot hold in Obsidian (`* " \ / < > : | ?`) or that a link to
/// it could not (`# ^ [ ]`).
const FORBIDDEN: &str = "*\"\\/<>:|?#^[]";

/// A refactoring that moves text between notes: its edits, and the move the history
/// records once the editor has applied them (`from` may name a section, `Note.md#Heading`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub fix: Fix,
    pub from: String,
    pub to: String,
}

/// Moves the section of heading `h` of note `id` into a new note, leaving a link (or an
/// embed, with `embed`) in its place.
pub fn extract_section(
    cx: &FixContext<'_>,
    id: NoteId,
    h: usize,
    embed: bool,
) -> Result<Moved, String> {
    let vault = cx.vault;
    let note = vault.note(id);
    let heading = note.headings.get(h).ok_or("no heading there")?;
    let section = note.section_span(h);
    let name = file_name(&heading.text).ok_or("the heading has no text to name a note")?;
    let path = free_path(vault, &new_note_folder(cx.config, &note.path), &name)?;
    let new_name = strip_md_extension(path.rsplit('/').next().unwrap_or(&path)).to_string();

    // Every change in the parent's coordinates; those inside the section go with it.
    let mut changes: BTreeMap<VaultPath, Vec<TextChange>> = BTreeMap::new();
    let inside = |span: Span| span.start >= section.start && span.end <= section.end;
    // Whether an anchor points into the section (`Some`), and at its own heading (`true`).
    let into_section = |a: &AnchorResolution| match a {
        AnchorResolution::Heading(x) => {
            inside(note.headings[*x as usize].span).then_some(*x as usize == h)
        }
        AnchorResolution::Block(b) => inside(note.block_ids[*b as usize].span).then_some(false),
        _ => None,
    };
    for (src, j) in cx.graph.links_to_note(id) {
        let from = vault.note(src);
        let link = &from.links[j];
        let anchor = &cx.graph.resolutions[src.0 as usize][j].anchor;
        if src == id && inside(link.span) && link.target(&from.text).is_empty() {
            // `[[#Other]]` in the moved text: still the same note when it points into the
            // section, the parent by name when it points out of it.
            if into_section(anchor).is_none() {
                changes
                    .entry(from.path.clone())
                    .or_default()
                    .push(TextChange {
                        span: link.target_span,
                        new_text: target_text(cx, &path, &note.path, link.kind),
                    });
            }
            continue;
        }
        let Some(to_heading) = into_section(anchor) else {
            continue;
        };
        if src == id && inside(link.span) {
            // From the moved text into itself: a link within the new note.
            changes
                .entry(from.path.clone())
                .or_default()
                .push(TextChange {
                    span: link.target_span,
                    new_text: String::new(),
                });
            continue;
        }
        // A link to the moved heading itself now names the new note, without an anchor.
        let span = match &link.anchor {
            Some(a) if to_heading => {
                Span::new(link.target_span.start as usize, a.span.end as usize)
            }
            _ => link.target_span,
        };
        changes
            .entry(from.path.clone())
            .or_default()
            .push(TextChange {
                span,
                new_text: retarget(vault, from, link, &note.path, &path),
            });
    }

    // Links written relative to the parent's folder, when the new note is elsewhere.
    for (j, l) in note.links.iter().enumerate() {
        let to_parent = cx.graph.resolutions[id.0 as usize][j].target == Some(LinkTarget::Note(id));
        if inside(l.span)
            && !to_parent
            && let Some(text) = rebased_target(cx, id, j, &path)
        {
            changes
                .entry(note.path.clone())
                .or_default()
                .push(TextChange {
                    span: l.target_span,
                    new_text: text,
                });
        }
    }
    let (within, mut outside): (Vec<TextChange>, Vec<TextChange>) = changes
        .remove(&note.path)
        .unwrap_or_default()
        .into_iter()
        .partition(|c| inside(c.span));
    let moved_text = &note.text[section.range()];
    // The section's text up to its last line of content; the blank lines after it stay.
    let content_end = moved_text.trim_end().len();
    let body_end = moved_text[content_end..]
        .find('\n')
        .map_or(moved_text.len(), |i| content_end + i + 1);
    let (body, trailing) = moved_text.split_at(body_end);
    let mut shifted: Vec<TextChange> = within
        .into_iter()
        .map(|c| TextChange {
            span: Span::new(
                (c.span.start - section.start) as usize,
                (c.span.end - section.start) as usize,
            ),
            new_text: c.new_text,
        })
        .collect();
    shifted.sort_by_key(|c| (c.span.start, c.span.end));
    let mut new_text = apply_changes(body, &shifted);
    if !new_text.ends_with('\n') {
        new_text.push('\n');
    }

    let link = link_text(cx, &note.path, &path, &new_name);
    let line_break = &body[body.trim_end_matches(['\r', '\n']).len()..];
    outside.push(TextChange {
        span: section,
        new_text: format!(
            "{}{link}{line_break}{trailing}",
            if embed { "!" } else { "" }
        ),
    });
    if cx.style().types_relations() {
        let up = link_text(cx, &path, &note.path, note.name());
        let draft = parse_note(path.as_str().into(), new_text.as_str().into());
        let declared = declare(cx, &draft, Relation::Up, &[up])?;
        new_text = apply_changes(&new_text, &declared);
        let down = declare(cx, note, Relation::Down, &[link])?;
        // A relation section inside the moved text would answer for the new note itself.
        if down
            .iter()
            .all(|c| c.span.end <= section.start || c.span.start >= section.end)
        {
            outside.extend(down);
        }
    }
    outside.sort_by_key(|c| (c.span.start, c.span.end));
    changes.insert(note.path.clone(), outside);

    let mut ops = vec![FileOp::Create {
        path: path.as_str().into(),
        text: new_text,
    }];
    ops.extend(group_edits(changes));
    Ok(Moved {
        fix: Fix {
            title: format!(
                "Extract section to [[{new_name}]]{}",
                if embed { " and embed it" } else { "" }
            ),
            ops,
            preferred: false,
        },
        from: format!("{}#{}", note.path, heading.text),
        to: path,
    })
}

/// The target link `j` of note `id` needs once its text lives in a note at `new_path`, in
/// another folder: `Some` only for a link written with a folder relative to its note's
/// (a markdown path with `/`, a wikilink from `./` or `../`) that resolves. A bare name
/// resolves from anywhere and stays.
pub fn rebased_target(cx: &FixContext<'_>, id: NoteId, j: usize, new_path: &str) -> Option<String> {
    let vault = cx.vault;
    let note = vault.note(id);
    let link = &note.links[j];
    if parent_folder(&note.path) == parent_folder(new_path) || link.target(&note.text).is_empty() {
        return None;
    }
    let written = &note.text[link.target_span.range()];
    let decoded = match link.kind {
        LinkKind::Markdown => percent_decode_str(written).decode_utf8_lossy().into_owned(),
        LinkKind::Wiki => written.to_string(),
    };
    let relative = match link.kind {
        LinkKind::Markdown => decoded.contains('/') && !decoded.starts_with('/'),
        LinkKind::Wiki => decoded.starts_with("./") || decoded.starts_with("../"),
    };
    if !relative {
        return None;
    }
    let target = match &cx.graph.resolutions[id.0 as usize][j].target {
        Some(LinkTarget::Note(t)) => vault.note(*t).path.to_string(),
        Some(LinkTarget::Attachment(a)) => vault.attachment(*a).to_string(),
        None => return None,
    };
    let mut out = relative_path(parent_folder(new_path), &target);
    if strip_md_extension(&decoded).len() == decoded.len() {
        out = strip_md_extension(&out).to_string();
    }
    Some(match link.kind {
        LinkKind::Markdown if decoded != written || !written.contains(' ') => encode_target(&out),
        LinkKind::Markdown => out,
        LinkKind::Wiki if out.starts_with("../") => out,
        LinkKind::Wiki => format!("./{out}"),
    })
}

/// A note's file name from a heading: characters Obsidian forbids become spaces, runs of
/// whitespace one space, no leading dot (a hidden file).
pub fn file_name(text: &str) -> Option<String> {
    let replaced: String = text
        .chars()
        .map(|c| {
            if FORBIDDEN.contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let name = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.trim_start_matches('.').trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// The folder new notes go to: the vault's root, the note's own folder (`current`), or
/// `newFileFolderPath` (`folder`), as Obsidian's "Default location for new notes" says.
pub fn new_note_folder(config: &Config, from: &str) -> String {
    match config.new_file_location.as_deref() {
        Some("current") => parent_folder(from).to_string(),
        Some("folder") => config
            .new_file_folder
            .as_deref()
            .unwrap_or("")
            .trim_matches('/')
            .to_string(),
        _ => String::new(),
    }
}

/// `folder/name.md`, or `name 1.md`, `name 2.md`… when taken, as Obsidian numbers them.
fn free_path(vault: &Vault, folder: &str, name: &str) -> Result<String, String> {
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    for n in 0..100 {
        let stem = if n == 0 {
            name.to_string()
        } else {
            format!("{name} {n}")
        };
        let path = format!("{prefix}{stem}.md");
        let on_disk = crate::vault::resolve_inside(&vault.root, &path)?;
        // A name differing only in case is taken too (Windows and macOS file systems).
        let lower = path.to_lowercase();
        let taken = vault
            .index
            .notes_named(&normalize_key(&stem))
            .iter()
            .any(|&n| vault.note(n).path.to_lowercase() == lower)
            || on_disk.symlink_metadata().is_ok();
        if !taken {
            return Ok(path);
        }
    }
    Err(format!("no free name for `{name}` in the folder"))
}

/// A link from the note at `from` to the note at `to`, in the vault's link style.
fn link_text(cx: &FixContext<'_>, from: &str, to: &str, name: &str) -> String {
    let format = cx.config.new_link_format.as_deref();
    if cx.config.use_markdown_links {
        format!("[{name}]({})", markdown_target(cx.vault, from, to, format))
    } else {
        format!("[[{}]]", wiki_target(cx.vault, from, to, format))
    }
}

/// The target part naming the note at `to` from the note at `from`, for a link of `kind`.
fn target_text(cx: &FixContext<'_>, from: &str, to: &str, kind: LinkKind) -> String {
    let format = cx.config.new_link_format.as_deref();
    match kind {
        LinkKind::Wiki => wiki_target(cx.vault, from, to, format),
        LinkKind::Markdown => markdown_target(cx.vault, from, to, format),
    }
}

#[cfg(test)]
mod tests;
