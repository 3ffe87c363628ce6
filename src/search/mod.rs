//! Vault search: a tantivy index of the notes, cached per vault, kept live, and what
//! builds on it: `twin search`, ranked workspace symbols and unlinked mentions.
//!
//! - [`schema`]: fields, per-note language modes, the tokenizer over the shared analyzer.
//! - [`index`]: [`SearchIndex`]: update, commit, search; `open.rs`: warm start, rebuilds
//!   and the lock fallback.
//! - `inflight.rs`: the bound on documents queued for the writer.
//! - [`cache`]: the cache folder, the manifest and the scan for changed notes.
//! - [`handle`]: [`SearchHandle`]: opening on a background thread, debounced commits.
//! - [`query`]: the query language; [`symbols`]; [`mentions`].
//!
//! Core code: byte spans and vault paths, no CLI or LSP types, never prints.

pub mod cache;
pub mod handle;
pub mod index;
mod inflight;
pub mod mentions;
mod open;
pub mod prose;
pub mod schema;
pub mod symbols;
pub mod syntax;

pub use handle::SearchHandle;
pub use index::{IndexOptions, OpenReport, SearchHit, SearchIndex, Storage};
pub use mentions::{LinkEdit, Mention, link_edit, unlinked_mentions};
pub use symbols::{SymbolHit, SymbolKind, workspace_symbols};
pub use syntax::{LineMatch, SearchQuery, parse_query};

/// Why the index could not be used or written.
#[derive(Debug)]
pub enum SearchError {
    Index(tantivy::TantivyError),
    Io(std::io::Error),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::Index(e) => write!(f, "search index: {e}"),
            SearchError::Io(e) => write!(f, "search index: {e}"),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e)
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Io(e)
    }
}
