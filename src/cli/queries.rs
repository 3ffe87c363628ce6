//! What `twin check`, `twin select` and `twin rules --explain` share about query rules:
//! loading a vault with its configuration, and running full-text selectors against the
//! cached search index.

use std::path::Path;

use crate::coherence::Coherence;
use crate::config::Config;
use crate::query::{FullText, QueryRule};
use crate::resolve::{LinkGraph, build_link_graph};
use crate::rules::Severity;
use crate::search::{IndexOptions, SearchIndex};
use crate::vault::Vault;

/// A vault loaded with everything query rules read.
pub struct Loaded {
    pub config: Config,
    pub vault: Vault,
    pub graph: LinkGraph,
    pub coherence: Coherence,
}

/// Loads the vault at `root` with its links and coherence model; failures are reported
/// on stderr and give the exit code.
pub fn load(root: &Path) -> Result<Loaded, u8> {
    let config = super::load::open_config(root)?;
    let vault = super::load::open_vault(root, &config)?;
    let graph = build_link_graph(&vault);
    let coherence = Coherence::build(&vault, &graph, &config);
    Ok(Loaded {
        config,
        vault,
        graph,
        coherence,
    })
}

/// The matches of the rules' full-text selectors, from the cached search index (warm
/// start: only changed notes are indexed again). Without a search selector nothing is
/// opened; when the cache cannot be used the index is built in RAM.
pub fn fulltext(vault: &Vault, rules: &[(&QueryRule, Severity)]) -> FullText {
    let queries = FullText::queries(rules);
    if queries.is_empty() {
        return FullText::default();
    }
    match SearchIndex::open_vault(vault, &IndexOptions::default()) {
        Ok((index, report)) => {
            for message in &report.messages {
                eprintln!("info: {message}");
            }
            match FullText::from_index(&index, &queries) {
                Ok(fulltext) => fulltext,
                Err(err) => {
                    eprintln!("warning: {err}; searching an index built in memory");
                    FullText::in_memory(vault, &queries)
                }
            }
        }
        Err(err) => {
            eprintln!("warning: {err}; searching an index built in memory");
            FullText::in_memory(vault, &queries)
        }
    }
}
