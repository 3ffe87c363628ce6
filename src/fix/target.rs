//! How a link target is written: wikilink names and paths as Obsidian's `newLinkFormat`
//! asks, markdown paths relative and percent-encoded, and a link pointed elsewhere in its
//! own style (keeping `.md`, `./`, encoding), so a fix changes only the target's text.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::note::{Link, LinkKind, Note, note_name, strip_md_extension};
use crate::vault::Vault;
use crate::vault::normalize_key;

/// What markdown link targets percent-encode, as Obsidian writes them.
const LINK_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'%')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b']')
    .add(b'#')
    .add(b'^')
    .add(b'|');

/// The folder of a vault path (`a/b` for `a/b/c.md`, empty at the root).
pub fn parent_folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `to` relative to folder `from` (`../c/x.md`).
pub fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Percent-encodes a markdown link target.
pub fn encode_target(path: &str) -> String {
    utf8_percent_encode(path, LINK_SET).to_string()
}

/// Whether a bare note name would resolve to more than the one note at `path`.
fn name_is_shared(vault: &Vault, path: &str) -> bool {
    let key = normalize_key(note_name(path));
    vault
        .index
        .notes_named(&key)
        .iter()
        .any(|id| *vault.note(*id).path != *path)
}

/// The wikilink target to write for a note at `target` (a vault path with `.md`) from a
/// note at `from`, following Obsidian's `newLinkFormat`.
pub fn wiki_target(vault: &Vault, from: &str, target: &str, format: Option<&str>) -> String {
    let stem = strip_md_extension(target);
    match format {
        Some("relative") => {
            strip_md_extension(&relative_path(parent_folder(from), target)).to_string()
        }
        Some("absolute") => stem.to_string(),
        _ if name_is_shared(vault, target) => stem.to_string(),
        _ => note_name(target).to_string(),
    }
}

/// The markdown link target (encoded, with extension) for a file at `target`.
pub fn markdown_target(vault: &Vault, from: &str, target: &str, format: Option<&str>) -> String {
    let path = match format {
        Some("absolute") => target.to_string(),
        Some("shortest") | None if !name_is_shared(vault, target) && !target.contains('/') => {
            target.to_string()
        }
        _ => relative_path(parent_folder(from), target),
    };
    encode_target(&path)
}

/// The new text of a link's target part when the note it points to moves from `old`
/// to `new` (vault paths with `.md`), in the link's own style.
pub fn retarget(vault: &Vault, from: &Note, link: &Link, old: &str, new: &str) -> String {
    let written = &from.text[link.target_span.range()];
    retarget_written(vault, &from.path, written, link.kind, old, new)
}

/// As [`retarget`], for a target `written` of a link of `kind` in the file at `from`
/// (a note, or a canvas whose text cards link).
pub fn retarget_written(
    vault: &Vault,
    from: &str,
    written: &str,
    kind: LinkKind,
    old: &str,
    new: &str,
) -> String {
    match kind {
        LinkKind::Wiki => {
            let keep_md = strip_md_extension(written).len() != written.len();
            let mut out = if written.starts_with("./") || written.starts_with("../") {
                relative_path(parent_folder(from), strip_md_extension(new))
            } else if written.contains('/') || name_is_shared(vault, new) {
                strip_md_extension(new).to_string()
            } else {
                note_name(new).to_string()
            };
            if keep_md {
                out.push_str(".md");
            }
            out
        }
        LinkKind::Markdown => {
            let decoded = percent_decode_str(written).decode_utf8_lossy();
            let encoded = decoded != written || !written.contains(' ');
            let keep_md = strip_md_extension(&decoded).len() != decoded.len();
            let path = if decoded.starts_with('/') {
                format!("/{new}")
            } else if decoded.contains('/')
                || parent_folder(old) != parent_folder(from)
                || name_is_shared(vault, new)
            {
                relative_path(parent_folder(from), new)
            } else {
                new.rsplit('/').next().unwrap_or(new).to_string()
            };
            let path = if keep_md {
                path
            } else {
                strip_md_extension(&path).to_string()
            };
            if encoded { encode_target(&path) } else { path }
        }
    }
}

/// A heading as a link anchor writes it: characters Obsidian treats as spaces become one.
pub fn anchor_heading_text(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| if "#|^:%[]".contains(c) { ' ' } else { c })
        .collect();
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}
