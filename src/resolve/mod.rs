//! Link resolution as Obsidian does it: the name index, resolving one link, and the link graph.

mod index;
mod link;

pub use index::NameIndex;
pub use link::{AnchorResolution, LinkResolution, LinkTarget, resolve_link};
