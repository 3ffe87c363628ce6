//! Link resolution as Obsidian does it: the name index, resolving one link, and the link graph.

mod graph;
mod index;
mod link;

pub use graph::{LinkGraph, build_link_graph};
pub use index::{NameIndex, normalize_name};
pub use link::{AnchorResolution, LinkResolution, LinkTarget, resolve_link};
