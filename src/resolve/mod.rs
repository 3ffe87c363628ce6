//! Link resolution as Obsidian does it: the name index, resolving one link, and the link graph.

mod graph;
mod index;
mod link;
mod normalize;
#[cfg(test)]
pub(crate) mod tests;

pub use graph::{LinkGraph, build_link_graph};
pub use index::NameIndex;
pub use link::{AnchorResolution, LinkResolution, LinkTarget, resolve_anchor, resolve_link};
pub use normalize::{heading_matches, join_relative, normalize_key, parent_folder};
