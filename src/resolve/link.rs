//! Resolves one link of one note to a note, a heading, a block or an attachment.
//!
//! The order follows Obsidian: an exact vault path wins; otherwise a path suffix
//! ending at a folder boundary or a bare name, preferring the linking note's folder,
//! then the shortest path, then the path that sorts first. Markdown links are
//! relative to the linking note first. Everything is an index lookup: resolution
//! never touches the file system.

use std::borrow::Cow;

use super::normalize::{
    block_id_matches, block_key, heading_key, heading_source, note_heading_matches,
};
use crate::note::{AnchorIndex, AnchorKind, Link, LinkKind, Note, strip_md_extension};
use crate::vault::{
    AttachmentId, NoteId, Vault, file_name, join_relative, normalize_segments, parent_folder,
    with_key,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    Note(NoteId),
    Attachment(AttachmentId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorResolution {
    /// The link has no anchor, or it points to an attachment (anchors are ignored there).
    None,
    /// Index into the target note's headings.
    Heading(u32),
    /// Index into the target note's block ids.
    Block(u32),
    /// The anchor names a heading or block the target does not have.
    Missing,
}

/// 24 bytes: a vault holds one per link (1.4 million at 100k notes), and what few links
/// have (several candidates, a target outside the vault) lives out of line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkResolution {
    /// `None` when the link is broken (or would leave the vault).
    pub target: Option<LinkTarget>,
    pub anchor: AnchorResolution,
    /// `None` unless the link has candidates or leaves the vault, so that equal
    /// resolutions compare equal.
    rare: Option<Box<Rare>>,
}

/// The parts of a resolution that few links have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Rare {
    /// When a bare name matched several notes: all of them, the chosen one first.
    candidates: Vec<NoteId>,
    /// The target would resolve outside the vault (`../..`); it is broken.
    outside_vault: bool,
}

impl LinkResolution {
    /// A broken link: no target.
    pub fn broken() -> Self {
        LinkResolution {
            target: None,
            anchor: AnchorResolution::None,
            rare: None,
        }
    }

    /// When a bare name matched several notes: all of them, the chosen one first.
    /// Empty when there was a single match (or none).
    pub fn candidates(&self) -> &[NoteId] {
        self.rare.as_ref().map_or(&[], |r| &r.candidates)
    }

    /// The target would resolve outside the vault (`../..`); it is broken.
    pub fn outside_vault(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.outside_vault)
    }

    /// Keeps the candidates `f` keeps, changed as it changes them.
    pub fn retain_candidates(&mut self, f: impl FnMut(&mut NoteId) -> bool) {
        if let Some(rare) = &mut self.rare {
            rare.candidates.retain_mut(f);
            if rare.candidates.is_empty() && !rare.outside_vault {
                self.rare = None;
            }
        }
    }

    fn set_candidates(&mut self, candidates: Vec<NoteId>) {
        if !candidates.is_empty() {
            self.rare.get_or_insert_default().candidates = candidates;
        }
    }

    fn set_outside_vault(&mut self) {
        self.rare.get_or_insert_default().outside_vault = true;
    }
}

/// The outcome of looking a target path up, before anchors.
enum Found {
    Note(NoteId, Vec<NoteId>),
    Attachment(AttachmentId),
    Broken,
    Outside,
}

/// Resolves `link`, written in note `from`, against the vault.
pub fn resolve_link(vault: &Vault, from: NoteId, link: &Link) -> LinkResolution {
    let note = vault.note(from);
    resolve_from(vault, &note.path, Some(from), link, &note.text)
}

/// Resolves `link`, written in a text card of the canvas at `canvas` (a vault path), as
/// Obsidian resolves a card's links: as if written in a note of the canvas's folder.
pub fn resolve_canvas_link(vault: &Vault, canvas: &str, link: &Link) -> LinkResolution {
    // A card's link holds its own strings (`Link::detach`): no text is needed.
    resolve_from(vault, canvas, None, link, "")
}

/// Resolves `link` written in the file at `from_path`, which is note `from` when it is
/// one (a same-note link such as `[[#H]]` needs it; from a canvas it is broken), whose
/// text is `text`.
fn resolve_from(
    vault: &Vault,
    from_path: &str,
    from: Option<NoteId>,
    link: &Link,
    text: &str,
) -> LinkResolution {
    let target = link.target(text).trim();
    let found = if target.is_empty() {
        from.map_or(Found::Broken, |from| Found::Note(from, Vec::new()))
    } else {
        match link.kind {
            LinkKind::Wiki => resolve_wiki(vault, from_path, target),
            LinkKind::Markdown => resolve_markdown(vault, from_path, target),
        }
    };
    let mut resolution = LinkResolution::broken();
    match found {
        Found::Note(id, candidates) => {
            resolution.target = Some(LinkTarget::Note(id));
            let note = vault.note(id);
            // A file that could not be read has headings no one can see: its anchors are
            // not judged.
            if !vault.is_skipped(&note.path) {
                resolution.anchor = resolve_anchor(note, link.anchor_kind(text).as_ref());
            }
            resolution.set_candidates(candidates);
        }
        Found::Attachment(id) => resolution.target = Some(LinkTarget::Attachment(id)),
        Found::Broken => {}
        Found::Outside => resolution.set_outside_vault(),
    }
    resolution
}

/// The file at a vault path as a canvas node names it: the whole path, `.md` included,
/// compared as link names are (case, NFC), with no shortest-path fallback.
pub fn resolve_vault_path(vault: &Vault, path: &str) -> Option<LinkTarget> {
    let path = normalize_segments(path.trim().trim_start_matches('/'))?;
    match lookup(vault, &path, "", true) {
        Found::Note(id, _) => Some(LinkTarget::Note(id)),
        Found::Attachment(id) => Some(LinkTarget::Attachment(id)),
        Found::Broken | Found::Outside => None,
    }
}

/// A wikilink target: relative when it starts with `./` or `../`, else a vault path,
/// a path suffix or a bare name.
fn resolve_wiki(vault: &Vault, from_path: &str, target: &str) -> Found {
    let from_folder = parent_folder(from_path);
    if is_relative(target) {
        return match join_relative(from_folder, target) {
            Some(path) => lookup(vault, &path, from_folder, true),
            None => Found::Outside,
        };
    }
    match normalize_segments(target.trim_start_matches('/')) {
        Some(path) => lookup(vault, &path, from_folder, false),
        None => Found::Outside,
    }
}

/// A markdown link target: a path relative to the linking note (or to the vault root
/// with a leading `/`); when nothing is there, the wikilink algorithm, which is how
/// Obsidian's shortest-path markdown links resolve.
fn resolve_markdown(vault: &Vault, from_path: &str, target: &str) -> Found {
    let from_folder = parent_folder(from_path);
    let path = match target.strip_prefix('/') {
        Some(rooted) => normalize_segments(rooted).map(Cow::into_owned),
        None => join_relative(from_folder, target),
    };
    let Some(path) = path else {
        return Found::Outside;
    };
    match lookup(vault, &path, from_folder, true) {
        Found::Broken => resolve_wiki(vault, from_path, target),
        found => found,
    }
}

fn is_relative(target: &str) -> bool {
    target == "." || target == ".." || target.starts_with("./") || target.starts_with("../")
}

/// Looks a normalized vault path up as a note and as an attachment. A `.md` path is
/// only a note; a path with another extension is an attachment first (a note whose
/// name has a dot second); a path without one is a note first.
fn lookup(vault: &Vault, path: &str, from_folder: &str, exact_only: bool) -> Found {
    if path.is_empty() {
        return Found::Broken;
    }
    let stem = strip_md_extension(path);
    if stem.len() != path.len() {
        // Obsidian looks a name with a dot up as written first (`x.md` is the note
        // `x.md`), and with `.md` added only when no file has that name at all: then
        // `[[x.md]]` is the note `x.md.md` (`MetadataCache.getLinkpathDest`).
        return match lookup_note(vault, stem, from_folder, exact_only) {
            Found::Broken if !note_named(vault, file_name(stem)) => {
                lookup_note(vault, path, from_folder, exact_only)
            }
            found => found,
        };
    }
    if file_name(path).contains('.') {
        match lookup_attachment(vault, path, from_folder, exact_only) {
            Found::Broken => lookup_note(vault, path, from_folder, exact_only),
            found => found,
        }
    } else {
        match lookup_note(vault, path, from_folder, exact_only) {
            Found::Broken => lookup_attachment(vault, path, from_folder, exact_only),
            found => found,
        }
    }
}

/// Whether some note, in any folder, has the name `name` (without `.md`).
fn note_named(vault: &Vault, name: &str) -> bool {
    // Keys match whole names or end at a `/`, so any match is a note of that name.
    with_key(name, |key| vault.index.match_notes(key).next().is_some())
}

fn lookup_note(vault: &Vault, stem: &str, from_folder: &str, exact_only: bool) -> Found {
    with_key(stem, |key| {
        let matches = vault.index.match_notes(key);
        let path_of = |id: NoteId| &*vault.note(id).path;
        match choose(matches, path_of, from_folder, exact_only) {
            Some((id, candidates)) => Found::Note(id, candidates),
            None => Found::Broken,
        }
    })
}

fn lookup_attachment(vault: &Vault, path: &str, from_folder: &str, exact_only: bool) -> Found {
    with_key(path, |key| {
        let matches = vault.index.match_attachments(key);
        let path_of = |id: AttachmentId| vault.attachment(id);
        match choose(matches, path_of, from_folder, exact_only) {
            Some((id, _)) => Found::Attachment(id),
            None => Found::Broken,
        }
    })
}

/// Picks among matches: exact keys beat suffixes; then the linking note's folder,
/// the shortest path, the first path in sort order. Returns the choice and, when
/// there was more than one match, every match ranked.
fn choose<'v, T, I>(
    matches: I,
    path_of: impl Fn(T) -> &'v str,
    from_folder: &str,
    exact_only: bool,
) -> Option<(T, Vec<T>)>
where
    T: Copy + Ord,
    I: Iterator<Item = (T, bool)> + Clone,
{
    // The common case, one match, needs no ranking.
    let mut first_two = matches.clone();
    let (first, first_exact) = first_two.next()?;
    if first_two.next().is_none() {
        return (first_exact || !exact_only).then(|| (first, Vec::new()));
    }
    let any_exact = matches.clone().any(|(_, exact)| exact);
    if exact_only && !any_exact {
        return None;
    }
    // Ids sort like paths, so the id is the lexicographic tie-break.
    let rank = |&id: &T| {
        let path = path_of(id);
        (parent_folder(path) != from_folder, path.chars().count(), id)
    };
    let pool = matches.filter_map(|(id, exact)| (exact == any_exact).then_some(id));
    let best = pool.clone().min_by_key(rank)?;
    if pool.clone().nth(1).is_none() {
        return Some((best, Vec::new()));
    }
    let mut all: Vec<T> = pool.collect();
    all.sort_by_cached_key(rank);
    Some((best, all))
}

/// How an anchor resolves in `note`: a heading, a block, missing, or none.
pub fn resolve_anchor(note: &Note, anchor: Option<&AnchorKind<'_>>) -> AnchorResolution {
    let Some(anchor) = anchor else {
        return AnchorResolution::None;
    };
    match anchor {
        AnchorKind::Heading(parts) => {
            // `[[Note#]]` names no heading: it is a plain link to the note.
            if parts.iter().all(|p| p.trim().is_empty()) {
                return AnchorResolution::None;
            }
            let indexed = note.headings.len() > INDEXED_ANCHORS;
            find_heading(note, parts, 0, usize::MAX, None, indexed)
                .map_or(AnchorResolution::Missing, |h| {
                    AnchorResolution::Heading(h as u32)
                })
        }
        AnchorKind::Block(id) => {
            let found = if note.block_ids.len() > INDEXED_ANCHORS {
                let key = block_key(id);
                anchor_index(note)
                    .blocks
                    .get(key.as_str())
                    .map(|&i| i as usize)
            } else {
                note.block_ids
                    .iter()
                    .position(|b| block_id_matches(&b.id, id))
            };
            found.map_or(AnchorResolution::Missing, |b| {
                AnchorResolution::Block(b as u32)
            })
        }
    }
}

/// Above this many headings (or block ids) in a note, anchors into it are looked up in
/// its [`AnchorIndex`] instead of scanned.
const INDEXED_ANCHORS: usize = 32;

/// The note's anchor index, built on first use.
fn anchor_index(note: &Note) -> &AnchorIndex {
    note.anchor_index.get_or_init(|| {
        let mut index = AnchorIndex::default();
        for (i, heading) in note.headings.iter().enumerate() {
            // The same two keys `note_heading_matches` accepts.
            let source = heading_key(heading_source(note, i));
            let text = heading_key(&heading.text);
            if text != source {
                index
                    .headings
                    .entry(text.into())
                    .or_default()
                    .push(i as u32);
            }
            index
                .headings
                .entry(source.into())
                .or_default()
                .push(i as u32);
        }
        for (i, block) in note.block_ids.iter().enumerate().rev() {
            // Visited last to first, so the first occurrence is the one kept.
            index
                .blocks
                .insert(block_key(&block.id).into_boxed_str(), i as u32);
        }
        index
    })
}

/// Finds headings matching `parts` in order, each inside the previous one's section,
/// among headings from index `start` that begin before byte `end`. Tries every
/// heading matching the first part, since the right one may come second.
/// With `indexed`, candidates come from the note's [`AnchorIndex`] (same answer, no scan).
pub(super) fn find_heading(
    note: &Note,
    parts: &[&str],
    start: usize,
    end: usize,
    last: Option<usize>,
    indexed: bool,
) -> Option<usize> {
    let Some((first, rest)) = parts.split_first() else {
        return last;
    };
    if first.trim().is_empty() {
        return find_heading(note, rest, start, end, last, indexed);
    }
    let inside = |i: usize| {
        let section_end = note.section_span(i).end as usize;
        find_heading(note, rest, i + 1, section_end, Some(i), indexed)
    };
    if indexed {
        let key = heading_key(first);
        let same = anchor_index(note).headings.get(key.as_str())?;
        let from = same.partition_point(|&i| (i as usize) < start);
        return same[from..]
            .iter()
            .map(|&i| i as usize)
            .take_while(|&i| (note.headings[i].span.start as usize) < end)
            .find_map(inside);
    }
    for (i, heading) in note.headings.iter().enumerate().skip(start) {
        if heading.span.start as usize >= end {
            break;
        }
        if note_heading_matches(note, i, first)
            && let Some(found) = inside(i)
        {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// One per link of the vault.
    #[test]
    fn a_resolution_is_small() {
        assert_eq!(size_of::<LinkResolution>(), 24);
    }
}
