//! Link resolution as Obsidian does it: resolving one link against the vault's name index,
//! and the link graph.

mod graph;
mod link;
mod normalize;
#[cfg(test)]
pub(crate) mod tests;

pub use graph::{LinkGraph, build_link_graph, canvas_backlinks};
pub use link::{
    AnchorResolution, LinkResolution, LinkTarget, resolve_anchor, resolve_canvas_link,
    resolve_link, resolve_vault_path,
};
pub use normalize::{heading_matches, heading_source, note_heading_matches};
