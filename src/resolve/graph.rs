//! The link graph: every link of every note resolved, and backlinks per target.

use rayon::prelude::*;

use super::link::{AnchorResolution, LinkResolution, LinkTarget, resolve_link, resolve_vault_path};
use crate::vault::{NoteId, Vault};

/// Every link resolved, with the reverse edges.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkGraph {
    /// Per note, per link index (as in [`crate::note::Note::links`]).
    pub resolutions: Vec<Vec<LinkResolution>>,
    /// Per target note: the links that resolve to it, as (source note, link index),
    /// sorted. Self-links such as `[[#Heading]]` are included.
    pub backlinks: Vec<Vec<(NoteId, u32)>>,
    /// Per attachment: the links that resolve to it, as (source note, link index), sorted.
    pub attachment_backlinks: Vec<Vec<(NoteId, u32)>>,
    /// Per note: the canvas `file` nodes that show it, as (index in
    /// [`Vault::canvases`], index in that canvas's files), sorted. Obsidian counts them
    /// among the note's backlinks.
    pub canvas_backlinks: Vec<Vec<(u32, u32)>>,
}

impl LinkGraph {
    /// Links resolving to `target` whose anchor resolution passes `keep`, as (source note,
    /// link index).
    pub fn links_to(
        &self,
        target: NoteId,
        keep: impl Fn(&AnchorResolution) -> bool,
    ) -> Vec<(NoteId, usize)> {
        let Some(edges) = self.backlinks.get(target.0 as usize) else {
            return Vec::new();
        };
        edges
            .iter()
            .filter(|(src, j)| {
                self.resolutions[src.0 as usize]
                    .get(*j as usize)
                    .is_some_and(|r| keep(&r.anchor))
            })
            .map(|(src, j)| (*src, *j as usize))
            .collect()
    }

    /// Whether a canvas shows note `id` in a `file` node.
    pub fn on_canvas(&self, id: NoteId) -> bool {
        self.canvas_backlinks
            .get(id.0 as usize)
            .is_some_and(|refs| !refs.is_empty())
    }

    /// Every link to note `id`, whatever its anchor.
    pub fn links_to_note(&self, id: NoteId) -> Vec<(NoteId, usize)> {
        self.links_to(id, |_| true)
    }

    /// Every link to heading `h` of note `id`.
    pub fn links_to_heading(&self, id: NoteId, h: usize) -> Vec<(NoteId, usize)> {
        self.links_to(id, |a| *a == AnchorResolution::Heading(h as u32))
    }

    /// Every link to block `b` of note `id`.
    pub fn links_to_block(&self, id: NoteId, b: usize) -> Vec<(NoteId, usize)> {
        self.links_to(id, |a| *a == AnchorResolution::Block(b as u32))
    }
}

/// Resolves every link of the vault, in parallel.
pub fn build_link_graph(vault: &Vault) -> LinkGraph {
    let resolutions: Vec<Vec<LinkResolution>> = vault
        .notes
        .par_iter()
        .enumerate()
        .map(|(i, note)| {
            let from = NoteId(i as u32);
            note.links
                .iter()
                .map(|link| resolve_link(vault, from, link))
                .collect()
        })
        .collect();
    let mut backlinks = vec![Vec::new(); vault.notes.len()];
    let mut attachment_backlinks = vec![Vec::new(); vault.attachments.len()];
    // Sources are visited in id order, so every list comes out sorted.
    for (i, links) in resolutions.iter().enumerate() {
        for (j, resolution) in links.iter().enumerate() {
            let edge = (NoteId(i as u32), j as u32);
            match resolution.target {
                Some(LinkTarget::Note(to)) => backlinks[to.0 as usize].push(edge),
                Some(LinkTarget::Attachment(to)) => attachment_backlinks[to.0 as usize].push(edge),
                None => {}
            }
        }
    }
    LinkGraph {
        resolutions,
        backlinks,
        attachment_backlinks,
        canvas_backlinks: canvas_backlinks(vault),
    }
}

/// Per note, the canvas `file` nodes that show it (see [`LinkGraph::canvas_backlinks`]).
/// Cheap enough to compute again after any change: a few lookups per node.
pub fn canvas_backlinks(vault: &Vault) -> Vec<Vec<(u32, u32)>> {
    let mut refs = vec![Vec::new(); vault.notes.len()];
    for (c, canvas) in vault.canvases.iter().enumerate() {
        for (f, file) in canvas.files.iter().enumerate() {
            if let Some(LinkTarget::Note(id)) = resolve_vault_path(vault, &file.file) {
                refs[id.0 as usize].push((c as u32, f as u32));
            }
        }
    }
    refs
}
