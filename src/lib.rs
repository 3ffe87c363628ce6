//! twin: a language server and checker for Obsidian-style markdown vaults.
//!
//! Data flows one way: files ([`vault`]) → notes ([`note`]) → resolution ([`resolve`])
//! → rules ([`rules`]) → the edges ([`cli`]). Everything but `cli` is plain Rust with
//! byte offsets, and knows nothing of terminals, JSON reports or LSP.

pub mod analysis;
pub mod cli;
pub mod coherence;
pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod git;
pub mod history;
pub mod lsp;
pub mod note;
pub mod picture;
pub mod query_rules;
pub mod resolve;
pub mod rules;
pub mod search;
#[doc(hidden)]
pub mod synth;
pub mod text;
pub mod vault;
pub mod words;
