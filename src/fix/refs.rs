//! Who refers to what: the links that resolve to a note, a heading or a block, and which
//! tags are a tag or nested under it. Shared by renames here and the language server.

use crate::resolve::{AnchorResolution, LinkGraph};
use crate::vault::NoteId;

/// A tag as compared: without `#`, trimmed, lowercased (Obsidian ignores case).
pub fn tag_key(name: &str) -> String {
    name.trim().trim_start_matches('#').to_lowercase()
}

/// Whether tag `name` is `key` or nested under it (`a/b` under `a`).
pub fn tag_matches(name: &str, key: &str) -> bool {
    let name = tag_key(name);
    name == key
        || name
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Links resolving to `target` whose anchor resolution passes `keep`.
pub fn links_to(
    graph: &LinkGraph,
    target: NoteId,
    keep: impl Fn(&AnchorResolution) -> bool,
) -> Vec<(NoteId, usize)> {
    let Some(edges) = graph.backlinks.get(target.0 as usize) else {
        return Vec::new();
    };
    edges
        .iter()
        .filter(|(src, j)| {
            graph.resolutions[src.0 as usize]
                .get(*j as usize)
                .is_some_and(|r| keep(&r.anchor))
        })
        .map(|(src, j)| (*src, *j as usize))
        .collect()
}

/// Every link to note `id`, whatever its anchor.
pub fn links_to_note(graph: &LinkGraph, id: NoteId) -> Vec<(NoteId, usize)> {
    links_to(graph, id, |_| true)
}

/// Every link to heading `h` of note `id`.
pub fn links_to_heading(graph: &LinkGraph, id: NoteId, h: usize) -> Vec<(NoteId, usize)> {
    links_to(graph, id, |a| *a == AnchorResolution::Heading(h))
}

/// Every link to block `b` of note `id`.
pub fn links_to_block(graph: &LinkGraph, id: NoteId, b: usize) -> Vec<(NoteId, usize)> {
    links_to(graph, id, |a| *a == AnchorResolution::Block(b))
}
