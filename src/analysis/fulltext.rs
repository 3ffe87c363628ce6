//! Full-text selectors of query rules, run against the cached search index (warm start:
//! only changed notes are indexed again), for `twin check`, `twin select` and
//! `twin rules --explain`.

use crate::diagnostic::Severity;
use crate::query_rules::{FullText, QueryRule};
use crate::search::{IndexOptions, SearchIndex};
use crate::vault::Vault;

/// The selectors' matches, and what the caller should tell the user about the index.
#[derive(Default)]
pub struct FullTextOutcome {
    pub fulltext: FullText,
    /// What opening the cache did (a rebuild, a fallback), one sentence each.
    pub info: Vec<String>,
    /// Why the cache could not be used and an index was built in memory instead.
    pub warnings: Vec<String>,
}

/// The matches of the full-text selectors of `rules` (usually the query rules in effect).
/// Without a search selector nothing is opened; when the cache cannot be used the index is
/// built in RAM.
pub fn cached_fulltext(vault: &Vault, rules: &[(&QueryRule, Severity)]) -> FullTextOutcome {
    let queries = FullText::queries(rules);
    if queries.is_empty() {
        return FullTextOutcome::default();
    }
    let mut outcome = FullTextOutcome::default();
    let opened = SearchIndex::open_vault(vault, &IndexOptions::default()).map(|(index, report)| {
        outcome.info = report.messages;
        FullText::from_index(&index, &queries)
    });
    match opened {
        Ok(Ok(fulltext)) => outcome.fulltext = fulltext,
        Ok(Err(err)) => {
            outcome
                .warnings
                .push(format!("{err}; searching an index built in memory"));
            outcome.fulltext = FullText::in_memory(vault, &queries);
        }
        Err(err) => {
            outcome
                .warnings
                .push(format!("{err}; searching an index built in memory"));
            outcome.fulltext = FullText::in_memory(vault, &queries);
        }
    }
    outcome
}
