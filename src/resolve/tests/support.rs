//! Hand-built notes and links for tests, independent of the real parser.

use std::path::PathBuf;
use std::sync::Arc;

use crate::note::{Alias, BlockId, Frontmatter, Heading, Link, LinkKind, Note, parse_note};
use crate::resolve::{LinkResolution, LinkTarget, resolve_link};
use crate::text::Span;
use crate::vault::Vault;

/// A note with headings (`#` lines) and block ids (` ^id` line ends) found by a
/// tiny line scanner, and the given links and aliases.
pub fn note_with(path: &str, text: &str, links: &[Link], aliases: &[&str]) -> Note {
    let mut note = parse_note(path.into(), Arc::from(text));
    // The headings and blocks below are built by hand so these tests do not depend on
    // the parser's details; drop whatever the parser found.
    note.headings.clear();
    note.block_ids.clear();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let hashes = body.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && body[hashes..].starts_with(' ') {
            let start = offset + hashes + 1;
            note.headings.push(Heading {
                level: hashes as u8,
                text: body[hashes + 1..].trim().to_owned(),
                span: Span::new(offset, offset + body.len()),
                text_span: Span::new(start, offset + body.len()),
            });
        } else if let Some(at) = body.rfind(" ^") {
            note.block_ids.push(BlockId {
                id: body[at + 2..].to_owned(),
                span: Span::new(offset + at + 1, offset + body.len()),
                block_span: Span::new(offset, offset + body.len()),
            });
        }
        offset += line.len();
    }
    note.links = links.to_vec();
    if !aliases.is_empty() {
        note.frontmatter = Some(Frontmatter {
            aliases: aliases
                .iter()
                .map(|a| Alias {
                    name: (*a).to_owned(),
                    span: Span::default(),
                })
                .collect(),
            ..Frontmatter::default()
        });
    }
    note
}

pub fn note(path: &str) -> Note {
    note_with(path, "", &[], &[])
}

/// A link as the parser would build it from `target#anchor` (`#^id` for blocks).
pub fn link(kind: LinkKind, raw: &str) -> Link {
    let (target, anchor) = match raw.split_once('#') {
        None => (raw, None),
        Some((target, rest)) => (target, Some(rest)),
    };
    Link::to_target(kind, target, anchor)
}

pub fn wiki(raw: &str) -> Link {
    link(LinkKind::Wiki, raw)
}

pub fn md(raw: &str) -> Link {
    link(LinkKind::Markdown, raw)
}

pub fn vault(notes: Vec<Note>, attachments: &[&str]) -> Vault {
    Vault::from_parts(
        PathBuf::from("/vault"),
        notes.into_iter().map(Arc::new).collect(),
        attachments.iter().map(|&a| Arc::from(a)).collect(),
        Vec::new(),
    )
}

/// Resolves `link` from the note at `from` (which must exist).
pub fn resolve(vault: &Vault, from: &str, link: &Link) -> LinkResolution {
    let id = vault.note_by_path(from).expect("linking note exists");
    resolve_link(vault, id, link)
}

/// The path the link resolves to, or `None` when broken.
pub fn target(vault: &Vault, from: &str, link: &Link) -> Option<String> {
    path_of(vault, &resolve(vault, from, link))
}

pub fn path_of(vault: &Vault, resolution: &LinkResolution) -> Option<String> {
    match resolution.target.as_ref()? {
        LinkTarget::Note(id) => Some(vault.note(*id).path.to_string()),
        LinkTarget::Attachment(id) => Some(vault.attachment(*id).to_owned()),
    }
}

/// The paths of the candidates, in order.
pub fn candidates(vault: &Vault, resolution: &LinkResolution) -> Vec<String> {
    resolution
        .candidates()
        .iter()
        .map(|id| vault.note(*id).path.to_string())
        .collect()
}
