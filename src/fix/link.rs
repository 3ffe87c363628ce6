//! Fixes for a broken link or a link to a missing heading: the safe repairs (a near miss
//! of exactly one note or heading, a note known to be renamed), the unsafe ones (the
//! single closest name), and the quick fixes an editor offers (all of those, plus
//! creating the note or heading).

use super::FixContext;
use super::Safety;
use super::create::{new_note_path, new_note_text};
use super::distance::{closest, single_best};
use super::edit::{FileOp, Fix, TextChange, append, edit};
use super::names::Found;
use super::target::{anchor_heading_text, markdown_target, retarget, wiki_target};
use crate::note::{AnchorKind, Link, LinkKind, Note, note_name, strip_md_extension};
use crate::resolve::{
    AnchorResolution, LinkTarget, heading_source, note_heading_matches, resolve_anchor,
};
use crate::text::Span;
use crate::vault::NoteId;

use percent_encoding::percent_decode_str;

/// Why a broken link has no safe repair when nothing resembles its target: the one case
/// where creating the note it names makes sense.
pub const NO_MATCH: &str = "no note matches it up to case, spacing, `.md` or encoding, and neither git nor the history trace knows a rename of it";

/// The one repair `twin fix` applies to link `j` of note `id`, or why there is none.
/// Unsafe repairs are looked for only when `allow_unsafe`; creating a missing note is
/// left to the caller, which creates each note once for all the links to it.
pub fn repair_link(
    cx: &FixContext<'_>,
    id: NoteId,
    j: usize,
    allow_unsafe: bool,
) -> Result<(Safety, Fix), String> {
    let note = cx.vault.note(id);
    let link = &note.links[j];
    let resolution = &cx.graph.resolutions[id.0 as usize][j];
    match (&resolution.target, &resolution.anchor) {
        (None, _) if resolution.outside_vault() => Err("the target is outside the vault".into()),
        (None, _) if link.target(&note.text).trim().is_empty() => {
            Err("the link has no target".into())
        }
        (None, _) => {
            if let Some(fix) = near_miss_fix(cx, note, link)? {
                return Ok((Safety::Safe, fix));
            }
            if let Some(fix) = alias_fix(cx, note, link) {
                return Ok((Safety::Safe, fix));
            }
            if let Some(fix) = renamed_fix(cx, note, link)? {
                return Ok((Safety::Safe, fix));
            }
            let why = NO_MATCH;
            if !allow_unsafe {
                return Err(why.into());
            }
            match closest_note_fix(cx, note, link) {
                Some(fix) => Ok((Safety::Unsafe, fix)),
                None => Err(format!("{why}, and no single note has a close name")),
            }
        }
        (Some(LinkTarget::Note(target)), AnchorResolution::Missing) => {
            heading_repair(cx, note, link, *target, allow_unsafe)
        }
        _ => Err("the link is not broken".into()),
    }
}

/// Points a broken link to the one note or file it names up to case, normalization,
/// whitespace, `.md` and encoding; `Err` when it names several.
fn near_miss_fix(cx: &FixContext<'_>, note: &Note, link: &Link) -> Result<Option<Fix>, String> {
    let found = match cx.names().near_miss(&note.path, &note.text, link) {
        Ok(found) => found,
        Err(many) if many.len() > 1 => {
            let paths: Vec<&str> = many.iter().take(3).map(|f| path_of(cx, *f)).collect();
            return Err(format!("it could be any of {}", paths.join(", ")));
        }
        Err(_) => return Ok(None),
    };
    point_to(cx, note, link, found).map(Some)
}

/// Writes `[[Nick]]` as `[[Real|Nick]]` when `Nick` is an alias of exactly one note,
/// as Obsidian's suggester does: the link then reads the same and reaches the note.
fn alias_fix(cx: &FixContext<'_>, note: &Note, link: &Link) -> Option<Fix> {
    if link.kind != LinkKind::Wiki || link.embed {
        return None;
    }
    let owner = cx
        .vault
        .note(cx.vault.index.alias_owner(link.target(&note.text))?);
    let nick = link.target(&note.text).trim();
    let target = retarget(cx.vault, note, link, &owner.path, &owner.path);
    let mut changes = vec![TextChange {
        span: link.target_span,
        new_text: target,
    }];
    if link.display(&note.text).is_none() {
        // The alias becomes the display, before `]]` and after any anchor.
        let close = Span::empty(link.span.end as usize - 2);
        changes.push(TextChange {
            span: close,
            new_text: format!("|{nick}"),
        });
    }
    Some(Fix {
        title: format!("Change link to {} (its alias {nick})", owner.path),
        ops: vec![FileOp::Edit {
            path: note.path.clone(),
            changes,
        }],
        preferred: true,
    })
}

/// Points a broken link to the note its target was renamed to.
fn renamed_fix(cx: &FixContext<'_>, note: &Note, link: &Link) -> Result<Option<Fix>, String> {
    let Some(id) = cx
        .moves
        .and_then(|r| r.renamed_note(cx.vault, link.target(&note.text)))
    else {
        return Ok(None);
    };
    let mut fix = point_to(cx, note, link, Found::Note(id))?;
    fix.title = format!("Change link to {} (renamed)", cx.vault.note(id).path);
    Ok(Some(fix))
}

/// Points a broken link to the single note with the closest name.
fn closest_note_fix(cx: &FixContext<'_>, note: &Note, link: &Link) -> Option<Fix> {
    let target = closest_other_note(cx, note, link)?;
    Some(change_link(cx, note, link, &target.path, true))
}

/// The single note whose name is closest to what a broken link names, when the link
/// names a note at all (a file such as `clip.mp4` is no note's typo) and that note is
/// not the linking note itself (which would make it link to itself).
fn closest_other_note<'v>(cx: &FixContext<'v>, note: &Note, link: &Link) -> Option<&'v Note> {
    if names_a_file(link.target(&note.text)) {
        return None;
    }
    let wanted = note_name(strip_md_extension(link.target(&note.text)));
    let target = cx.vault.note(cx.names().closest_note(wanted)?);
    (target.path != note.path).then_some(target)
}

/// Whether a link target names a file other than a note, by its extension: the kinds of
/// file Obsidian opens or embeds (images, audio, video, PDF, canvas, base).
pub fn names_a_file(target: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "mp3", "wav", "m4a", "ogg",
        "3gp", "flac", "webm", "mp4", "ogv", "mov", "mkv", "pdf", "canvas", "base",
    ];
    let name = target.rsplit('/').next().unwrap_or(target);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

fn path_of<'c>(cx: &'c FixContext<'_>, found: Found) -> &'c str {
    match found {
        Found::Note(id) => &cx.vault.note(id).path,
        Found::Attachment(a) => cx.vault.attachment(a),
    }
}

/// Rewrites a link's target to `found` in the link's own style (display kept), and its
/// heading anchor when that differs only by encoding from a heading there; `Err` when
/// the anchor names nothing there, so that a fix never trades one finding for another.
fn point_to(cx: &FixContext<'_>, note: &Note, link: &Link, found: Found) -> Result<Fix, String> {
    let path = path_of(cx, found);
    let mut changes = vec![TextChange {
        span: link.target_span,
        new_text: retarget(cx.vault, note, link, path, path),
    }];
    if let (Found::Note(id), Some(anchor)) = (found, &link.anchor) {
        let target = cx.vault.note(id);
        if resolve_anchor(target, link.anchor_kind(&note.text).as_ref())
            == AnchorResolution::Missing
        {
            let heading = wanted_heading(note, link)
                .filter(|(_, parts)| *parts == 1)
                .and_then(|(wanted, _)| unique_heading(target, &wanted));
            let Some(heading) = heading else {
                let written = &note.text[anchor.span.range()];
                return Err(format!("{path} would fit, but it has no `#{written}`"));
            };
            changes.push(TextChange {
                span: anchor.span,
                new_text: anchor_heading_text(heading),
            });
        }
    }
    Ok(Fix {
        title: format!("Change link to {path}"),
        ops: vec![FileOp::Edit {
            path: note.path.clone(),
            changes,
        }],
        preferred: true,
    })
}

/// The one heading of `note` that `wanted` names (case, spacing and punctuation aside).
fn unique_heading<'n>(note: &'n Note, wanted: &str) -> Option<&'n str> {
    let mut matching = (0..note.headings.len())
        .filter(|&h| note_heading_matches(note, h, wanted))
        .map(|h| heading_source(note, h));
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
}

/// Rewrites a link's target to `path` as a new link of the vault would name it.
fn change_link(cx: &FixContext<'_>, note: &Note, link: &Link, path: &str, preferred: bool) -> Fix {
    let format = cx.config.new_link_format.as_deref();
    let text = match link.kind {
        LinkKind::Wiki => wiki_target(cx.vault, &note.path, path, format),
        LinkKind::Markdown => markdown_target(cx.vault, &note.path, path, format),
    };
    Fix {
        title: format!("Change link to {path}"),
        ops: vec![edit(&note.path, link.target_span, text)],
        preferred,
    }
}

/// The last part of a heading anchor, URL-decoded.
fn wanted_heading(note: &Note, link: &Link) -> Option<(String, usize)> {
    let AnchorKind::Heading(parts) = link.anchor_kind(&note.text)? else {
        return None;
    };
    let last = parts.last()?;
    Some((
        percent_decode_str(last).decode_utf8_lossy().into_owned(),
        parts.len(),
    ))
}

/// Fixes a link to a heading its target lacks: the one heading it names once decoded
/// (safe when the anchor is not nested), else the single closest heading (unsafe).
fn heading_repair(
    cx: &FixContext<'_>,
    note: &Note,
    link: &Link,
    target: NoteId,
    allow_unsafe: bool,
) -> Result<(Safety, Fix), String> {
    let (Some(anchor), Some((wanted, parts))) = (&link.anchor, wanted_heading(note, link)) else {
        return Err("only heading anchors are repaired".into());
    };
    let target_note = cx.vault.note(target);
    let matching: Vec<&str> = (0..target_note.headings.len())
        .filter(|&h| note_heading_matches(target_note, h, &wanted))
        .map(|h| heading_source(target_note, h))
        .collect();
    let change = |heading: &str| Fix {
        title: format!("Change heading to {heading}"),
        ops: vec![edit(&note.path, anchor.span, anchor_heading_text(heading))],
        preferred: true,
    };
    match matching.as_slice() {
        [one] if parts == 1 => return Ok((Safety::Safe, change(one))),
        [one] if allow_unsafe => return Ok((Safety::Unsafe, change(one))),
        [one] => {
            return Err(format!(
                "the anchor's nesting is wrong; `{one}` is the heading (an unsafe fix)"
            ));
        }
        [_, _, ..] => return Err(format!("{} has several such headings", target_note.path)),
        _ => {}
    }
    let why = format!(
        "{} has no heading that matches up to case, spacing or encoding",
        target_note.path
    );
    if !allow_unsafe {
        return Err(why);
    }
    let headings = (0..target_note.headings.len()).map(|h| heading_source(target_note, h));
    match single_best(&wanted, headings) {
        Some(heading) => Ok((Safety::Unsafe, change(heading))),
        None => Err(format!("{why}, and no single heading has a close name")),
    }
}

/// Quick fixes for link `j` of note `id` when it is broken or names a missing anchor,
/// as an editor offers them: the safe repair first, then creating the note and the
/// closest names.
pub fn link_fixes(cx: &FixContext<'_>, id: NoteId, j: usize) -> Vec<Fix> {
    let vault = cx.vault;
    let note = vault.note(id);
    let link = &note.links[j];
    let resolution = &cx.graph.resolutions[id.0 as usize][j];
    let mut fixes = Vec::new();
    let safe = match repair_link(cx, id, j, false) {
        Ok((Safety::Safe, fix)) => Some(fix),
        _ => None,
    };
    let safe_title = safe.as_ref().map(|f| f.title.clone());
    fixes.extend(safe);
    match (&resolution.target, &resolution.anchor) {
        (None, _) if !link.target(&note.text).is_empty() && !resolution.outside_vault() => {
            if !link.embed
                && let Some(path) =
                    new_note_path(&vault.root, note, link.target(&note.text), link.kind)
            {
                fixes.push(Fix {
                    title: format!("Create note {path}"),
                    ops: vec![FileOp::Create {
                        text: new_note_text(note_name(&path), None),
                        path: path.as_str().into(),
                    }],
                    preferred: false,
                });
            }
            let wanted = note_name(strip_md_extension(link.target(&note.text)));
            // Never the linking note, and no note for a missing file.
            let names = vault
                .notes
                .iter()
                .filter(|n| n.path != note.path && !names_a_file(link.target(&note.text)))
                .map(|n| n.name());
            // A close name is a guess (`twin fix --unsafe`): offered, never preferred, so
            // an editor's automatic fix does not apply it.
            for name in closest(wanted, names) {
                let Some(target) = vault
                    .notes
                    .iter()
                    .find(|n| n.name() == name && n.path != note.path)
                else {
                    continue;
                };
                let fix = change_link(cx, note, link, &target.path, false);
                if Some(&fix.title) != safe_title.as_ref() {
                    fixes.push(fix);
                }
            }
        }
        (Some(LinkTarget::Note(target)), AnchorResolution::Missing) => {
            let target_note = vault.note(*target);
            let Some(anchor) = &link.anchor else {
                return fixes;
            };
            if let Some(AnchorKind::Heading(parts)) = link.anchor_kind(&note.text) {
                let wanted = parts.last().copied().unwrap_or("");
                let headings =
                    (0..target_note.headings.len()).map(|h| heading_source(target_note, h));
                for heading in closest(wanted, headings) {
                    let title = format!("Change heading to {heading}");
                    if Some(&title) == safe_title.as_ref() {
                        continue;
                    }
                    // A close heading is a guess too: never preferred.
                    fixes.push(Fix {
                        title,
                        ops: vec![edit(&note.path, anchor.span, anchor_heading_text(heading))],
                        preferred: false,
                    });
                }
                let heading = parts.join(" ").trim().to_string();
                if !heading.is_empty() {
                    fixes.push(Fix {
                        title: format!("Add heading {heading} to {}", target_note.path),
                        ops: vec![append(target_note, &format!("## {heading}\n"))],
                        preferred: false,
                    });
                }
            }
        }
        _ => {}
    }
    fixes
}

/// The note (or file) a broken link most likely meant, and whether pointing the link
/// there is safe: a near miss, a renamed note, or the single closest name.
pub fn candidate(cx: &FixContext<'_>, id: NoteId, j: usize) -> Option<(Safety, String)> {
    let note = cx.vault.note(id);
    let link = &note.links[j];
    if let Ok(found) = cx.names().near_miss(&note.path, &note.text, link) {
        return Some((Safety::Safe, path_of(cx, found).to_string()));
    }
    if let Some(renamed) = cx
        .moves
        .and_then(|r| r.renamed_note(cx.vault, link.target(&note.text)))
    {
        return Some((Safety::Safe, cx.vault.note(renamed).path.to_string()));
    }
    let target = closest_other_note(cx, note, link)?;
    Some((Safety::Unsafe, target.path.to_string()))
}
