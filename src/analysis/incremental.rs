//! Applies file changes to a vault model incrementally: reparse only what changed,
//! re-resolve only the links a change can affect, and report whose findings may move.
//!
//! After an edit, a note's own links are resolved again; when its headings or block
//! ids changed, so are the links into it; when a note or file appears or disappears,
//! so are the links whose target names it. Everything else keeps its resolution.

use std::sync::Arc;

use super::{Analysis, Change, Effect, build_coherence};
use crate::note::{Link, Note, VaultPath, note_name, strip_md_extension};
use crate::resolve::{LinkResolution, LinkTarget, canvas_backlinks, resolve_link};
use crate::vault::normalize_key;
use crate::vault::{AttachmentId, NoteId, SkippedFile, unread_note};

pub fn apply(model: &mut Analysis, changes: Vec<Change>) -> Effect {
    let mut effect = Effect::default();
    let mut shifted = false;
    let mut canvases = false;
    // Whether a name came or went, and whether a note was edited (its anchors may differ).
    let (mut names, mut edited) = (false, false);
    for change in changes {
        names |= matches!(
            change,
            Change::AddAttachment(_) | Change::RemoveAttachment(_) | Change::Remove(_)
        );
        edited |= matches!(change, Change::Upsert(_));
        match change {
            Change::Upsert(note) => shifted |= upsert(model, note, &mut effect),
            Change::Remove(path) => {
                remove(model, &path, &mut effect);
                shifted = true;
            }
            Change::AddAttachment(path) => add_attachment(model, path, &mut effect),
            Change::RemoveAttachment(path) => {
                canvases |= model.vault.remove_canvas(&path).is_some();
                remove_attachment(model, &path, &mut effect);
            }
            Change::Skip(file) => {
                skip(model, file, &mut effect);
                shifted = true;
            }
            Change::Canvas(canvas) => {
                model.vault.set_canvas(canvas);
                canvases = true;
            }
        }
    }
    if shifted || canvases {
        update_canvases(model, &mut effect);
    }
    // Canvas findings are vault-wide: judge them again when a canvas changed, a name came
    // or went, or a note was edited while a card links into a heading or block.
    let anchored_cards = || {
        model
            .vault
            .canvases
            .iter()
            .any(|c| c.links.iter().any(|l| l.link.anchor.is_some()))
    };
    if canvases
        || (!model.vault.canvases.is_empty() && (shifted || names || (edited && anchored_cards())))
    {
        effect.vault_rules = true;
    }
    update_coherence(model, shifted, &mut effect);
    effect
}

/// Resolves every canvas's file nodes again, and rechecks the notes that came onto a
/// canvas or left every canvas (`orphan-note` counts them).
fn update_canvases(model: &mut Analysis, effect: &mut Effect) {
    let on_canvas = |model: &Analysis| -> std::collections::BTreeSet<VaultPath> {
        let refs = &model.graph.canvas_backlinks;
        (0..refs.len())
            .filter(|&i| !refs[i].is_empty())
            .filter_map(|i| model.vault.notes.get(i).map(|n| n.path.clone()))
            .collect()
    };
    let before = on_canvas(model);
    model.graph.canvas_backlinks = canvas_backlinks(&model.vault);
    let after = on_canvas(model);
    effect
        .recheck
        .extend(before.symmetric_difference(&after).cloned());
}

/// Brings the coherence model up to date with the notes whose links changed. When ids
/// shifted (a note came or went) it is built again and every note is rechecked, since
/// orphans, relations and term statistics may all have moved.
fn update_coherence(model: &mut Analysis, shifted: bool, effect: &mut Effect) {
    if !model.is_coherent() {
        // A staged load builds it later, from the vault as it is then.
        return;
    }
    if shifted {
        let coherence = build_coherence(&model.vault, &model.graph, &model.rulebook);
        model.set_coherence(coherence);
        effect.recheck.extend(model.all_paths());
        return;
    }
    let changed: Vec<NoteId> = effect
        .recheck
        .iter()
        .filter_map(|p| model.vault.note_by_path(p))
        .collect();
    for id in changed {
        // `update_note` reports the notes linked after the change, not those linked
        // before: a note that loses its last backlink may become an orphan.
        let before = model.coherence.topology.edges(id).clone();
        for other in &before.links {
            effect.recheck.insert(model.vault.note(*other).path.clone());
        }
        for other in model.update_coherence(id) {
            effect.recheck.insert(model.vault.note(other).path.clone());
        }
        // `relation-cycle` reports on typed links: it runs again when they change or
        // may have moved in the text.
        let after = &model.coherence.topology.edges(id).typed;
        effect.vault_rules |= before.typed != *after || !after.is_empty();
    }
}

/// The lookup key of the file name a link target names (`guide` for `docs/Guide.md`).
/// `text` is the text of the note the link is in.
fn link_key(text: &str, link: &Link) -> Option<String> {
    let target = link.target(text).trim();
    if target.is_empty() {
        return None;
    }
    let name = strip_md_extension(target.rsplit('/').next().unwrap_or(target));
    Some(normalize_key(name).into_owned())
}

fn name_key(path: &str) -> String {
    normalize_key(note_name(path)).into_owned()
}

fn attachment_key(path: &str) -> String {
    normalize_key(path.rsplit('/').next().unwrap_or(path)).into_owned()
}

/// Whether anything a link can name in the note changed: headings (text and level)
/// or block ids.
fn surface_changed(old: &Note, new: &Note) -> bool {
    old.headings.len() != new.headings.len()
        || old.block_ids.len() != new.block_ids.len()
        || old
            .headings
            .iter()
            .zip(&new.headings)
            .any(|(a, b)| a.level != b.level || a.text != b.text)
        || old
            .block_ids
            .iter()
            .zip(&new.block_ids)
            .any(|(a, b)| a.id != b.id)
}

/// Whether aliases changed, in name or place (`alias-conflict` reports their spans).
fn aliases_changed(old: &Note, new: &Note) -> bool {
    old.aliases() != new.aliases()
}

/// Returns whether note ids shifted (a new path).
fn upsert(model: &mut Analysis, note: Arc<Note>, effect: &mut Effect) -> bool {
    let path = note.path.clone();
    let was_skipped = model.vault.skipped.iter().any(|s| s.path == path);
    effect.vault_rules |= was_skipped;
    effect.removed.remove(&path);
    effect.recheck.insert(path.clone());
    if let Some(id) = model.vault.note_by_path(&path) {
        let old = model.vault.notes[id.0 as usize].clone();
        // Anchors into a file read again are judged again.
        let surface = was_skipped || surface_changed(&old, &note);
        let aliases = aliases_changed(&old, &note);
        effect.vault_rules |= aliases;
        if aliases {
            // `broken-link` names the note whose alias a broken link wrote.
            for (i, resolutions) in model.graph.resolutions.iter().enumerate() {
                if resolutions.iter().any(|r| r.target.is_none()) {
                    effect.recheck.insert(model.vault.notes[i].path.clone());
                }
            }
        }
        model.vault.upsert_note(note);
        set_outgoing(model, id);
        if surface {
            let incoming: Vec<(NoteId, u32)> = model.graph.backlinks[id.0 as usize].clone();
            for (src, j) in incoming {
                if src != id && reresolve(model, src, j as usize) {
                    effect.recheck.insert(model.vault.note(src).path.clone());
                }
            }
        }
        return false;
    }
    let key = name_key(&path);
    let id = model.vault.upsert_note(note);
    shift_notes(model, |n| if n >= id.0 { Some(n + 1) } else { Some(n) });
    model.graph.resolutions.insert(id.0 as usize, Vec::new());
    model.graph.backlinks.insert(id.0 as usize, Vec::new());
    set_outgoing(model, id);
    effect.vault_rules = true;
    reresolve_named(model, &key, Some(id), false, effect);
    true
}

fn remove(model: &mut Analysis, path: &str, effect: &mut Effect) {
    let Some(id) = model.vault.note_by_path(path) else {
        return;
    };
    let key = name_key(path);
    clear_outgoing(model, id);
    model.vault.remove_note(path);
    model.graph.resolutions.remove(id.0 as usize);
    model.graph.backlinks.remove(id.0 as usize);
    // Links into the removed note point nowhere until they are resolved again below.
    shift_notes(model, |n| match n.cmp(&id.0) {
        std::cmp::Ordering::Less => Some(n),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(n - 1),
    });
    effect.recheck.remove(path);
    effect.removed.insert(path.into());
    effect.vault_rules = true;
    // Renumbering forgot what the links into it were, so their notes are rechecked whatever
    // their new resolution.
    reresolve_named(model, &key, None, true, effect);
}

/// A file that can no longer be read stays a note, empty, so that links to it still
/// resolve; `file-unreadable` says why.
fn skip(model: &mut Analysis, file: SkippedFile, effect: &mut Effect) {
    upsert(model, Arc::new(unread_note(file.path.clone())), effect);
    effect.vault_rules = true;
    let path = file.path.clone();
    let skipped = &mut model.vault.skipped;
    match skipped.binary_search_by(|s| s.path.cmp(&file.path)) {
        Ok(i) => skipped[i] = file,
        Err(i) => skipped.insert(i, file),
    }
    // Anchors into a file that cannot be read are no longer judged.
    if let Some(id) = model.vault.note_by_path(&path) {
        let incoming: Vec<(NoteId, u32)> = model.graph.backlinks[id.0 as usize].clone();
        for (src, j) in incoming {
            if src != id && reresolve(model, src, j as usize) {
                effect.recheck.insert(model.vault.note(src).path.clone());
            }
        }
    }
}

fn add_attachment(model: &mut Analysis, path: VaultPath, effect: &mut Effect) {
    if model.vault.attachment_by_path(&path).is_some() {
        return;
    }
    let key = attachment_key(&path);
    let id = model.vault.add_attachment(path);
    shift_attachments(model, |a| if a >= id.0 { Some(a + 1) } else { Some(a) });
    model
        .graph
        .attachment_backlinks
        .insert(id.0 as usize, Vec::new());
    reresolve_named(model, &key, None, false, effect);
}

fn remove_attachment(model: &mut Analysis, path: &str, effect: &mut Effect) {
    let Some(id) = model.vault.attachment_by_path(path) else {
        return;
    };
    let key = attachment_key(path);
    model.vault.remove_attachment(path);
    model.graph.attachment_backlinks.remove(id.0 as usize);
    shift_attachments(model, |a| match a.cmp(&id.0) {
        std::cmp::Ordering::Less => Some(a),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(a - 1),
    });
    reresolve_named(model, &key, None, true, effect);
}

/// Resolves again every link whose target names `key`, except those of `skip`; with
/// `force`, their notes are rechecked even when the resolution looks unchanged.
fn reresolve_named(
    model: &mut Analysis,
    key: &str,
    skip: Option<NoteId>,
    force: bool,
    effect: &mut Effect,
) {
    let mut hits: Vec<(NoteId, usize)> = Vec::new();
    for (i, note) in model.vault.notes.iter().enumerate() {
        if Some(NoteId(i as u32)) == skip {
            continue;
        }
        for (j, link) in note.links.iter().enumerate() {
            if link_key(&note.text, link).as_deref() == Some(key) {
                hits.push((NoteId(i as u32), j));
            }
        }
    }
    for (src, j) in hits {
        if reresolve(model, src, j) || force {
            effect.recheck.insert(model.vault.note(src).path.clone());
        }
    }
}

/// Resolves link `j` of `src` again; returns whether its resolution changed.
fn reresolve(model: &mut Analysis, src: NoteId, j: usize) -> bool {
    let new = resolve_link(&model.vault, src, &model.vault.note(src).links[j]);
    let old = &model.graph.resolutions[src.0 as usize][j];
    if *old == new {
        return false;
    }
    let edge = (src, j as u32);
    if old.target != new.target {
        let old_target = old.target.clone();
        unlink(model, old_target.as_ref(), edge);
        link(model, new.target.as_ref(), edge);
    }
    model.graph.resolutions[src.0 as usize][j] = new;
    true
}

fn clear_outgoing(model: &mut Analysis, id: NoteId) {
    let old = std::mem::take(&mut model.graph.resolutions[id.0 as usize]);
    for (j, resolution) in old.iter().enumerate() {
        unlink(model, resolution.target.as_ref(), (id, j as u32));
    }
}

/// Resolves every link of `id` afresh and updates the reverse edges.
fn set_outgoing(model: &mut Analysis, id: NoteId) {
    clear_outgoing(model, id);
    let note = model.vault.notes[id.0 as usize].clone();
    let resolutions: Vec<LinkResolution> = note
        .links
        .iter()
        .map(|l| resolve_link(&model.vault, id, l))
        .collect();
    for (j, resolution) in resolutions.iter().enumerate() {
        link(model, resolution.target.as_ref(), (id, j as u32));
    }
    model.graph.resolutions[id.0 as usize] = resolutions;
}

fn edges<'m>(
    model: &'m mut Analysis,
    target: Option<&LinkTarget>,
) -> Option<&'m mut Vec<(NoteId, u32)>> {
    match target? {
        LinkTarget::Note(t) => model.graph.backlinks.get_mut(t.0 as usize),
        LinkTarget::Attachment(a) => model.graph.attachment_backlinks.get_mut(a.0 as usize),
    }
}

fn link(model: &mut Analysis, target: Option<&LinkTarget>, edge: (NoteId, u32)) {
    if let Some(list) = edges(model, target)
        && let Err(at) = list.binary_search(&edge)
    {
        list.insert(at, edge);
    }
}

fn unlink(model: &mut Analysis, target: Option<&LinkTarget>, edge: (NoteId, u32)) {
    if let Some(list) = edges(model, target)
        && let Ok(at) = list.binary_search(&edge)
    {
        list.remove(at);
    }
}

/// Renumbers note ids after an insertion or removal; `None` marks the removed note,
/// whose incoming links become unresolved.
fn shift_notes(model: &mut Analysis, f: impl Fn(u32) -> Option<u32>) {
    let graph = &mut model.graph;
    for resolution in graph.resolutions.iter_mut().flatten() {
        if let Some(LinkTarget::Note(t)) = resolution.target {
            match f(t.0) {
                Some(n) => resolution.target = Some(LinkTarget::Note(NoteId(n))),
                None => resolution.target = None,
            }
        }
        resolution.retain_candidates(|c| match f(c.0) {
            Some(n) => {
                c.0 = n;
                true
            }
            None => false,
        });
    }
    for list in graph
        .backlinks
        .iter_mut()
        .chain(graph.attachment_backlinks.iter_mut())
    {
        list.retain_mut(|(src, _)| match f(src.0) {
            Some(n) => {
                src.0 = n;
                true
            }
            None => false,
        });
    }
}

fn shift_attachments(model: &mut Analysis, f: impl Fn(u32) -> Option<u32>) {
    for resolution in model.graph.resolutions.iter_mut().flatten() {
        if let Some(LinkTarget::Attachment(a)) = resolution.target {
            resolution.target = f(a.0).map(|n| LinkTarget::Attachment(AttachmentId(n)));
        }
    }
}
