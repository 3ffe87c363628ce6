//! Full-text selectors: each distinct `search` query of the rules in effect is run once
//! per check against the search index, and its matches kept as a set of paths, so
//! selecting a note is a set lookup rather than a search per note.

use rustc_hash::{FxHashMap, FxHashSet};

use super::QueryRule;
use super::single::{NoteTerms, note_matches};
use crate::diagnostic::Severity;
use crate::note::VaultPath;
use crate::search::schema::Analyzers;
use crate::search::{IndexOptions, SearchError, SearchIndex, parse_query};
use crate::vault::{NoteId, Vault};

/// The notes each full-text selector matches.
#[derive(Clone, Debug, Default)]
pub struct FullText {
    sets: FxHashMap<String, FxHashSet<VaultPath>>,
}

impl FullText {
    /// The distinct search queries of `rules`, in rule order.
    pub fn queries<'a>(rules: &[(&'a QueryRule, Severity)]) -> Vec<&'a str> {
        let mut queries: Vec<&str> = Vec::new();
        for (rule, _) in rules {
            if let Some(query) = rule.select.search.as_deref()
                && !queries.contains(&query)
            {
                queries.push(query);
            }
        }
        queries
    }

    /// Runs each query once against an open index.
    pub fn from_index(index: &SearchIndex, queries: &[&str]) -> Result<FullText, SearchError> {
        let mut sets = FxHashMap::default();
        for query in queries {
            let paths = index.matching_paths(&parse_query(query))?;
            sets.insert((*query).to_owned(), paths.into_iter().collect());
        }
        Ok(FullText { sets })
    }

    /// Builds an index of `vault` in RAM and runs the queries (when no cached index is at
    /// hand). Nothing is built when there is no query. An index that cannot be built
    /// matches nothing.
    pub fn in_memory(vault: &Vault, queries: &[&str]) -> FullText {
        if queries.is_empty() {
            return FullText::default();
        }
        let options = IndexOptions {
            in_memory: true,
            ..IndexOptions::default()
        };
        SearchIndex::open_vault(vault, &options)
            .and_then(|(index, _)| FullText::from_index(&index, queries))
            .unwrap_or_default()
    }

    /// The queries run against one note alone (the language server after an edit): a
    /// note's match does not depend on the other notes, so it is decided from the note's
    /// own terms, without an index.
    pub fn for_note(vault: &Vault, id: NoteId, queries: &[&str]) -> FullText {
        let mut sets = FxHashMap::default();
        if queries.is_empty() {
            return FullText { sets };
        }
        let note = vault.note(id);
        let mut analyzers = Analyzers::default();
        let terms = NoteTerms::new(note, &mut analyzers);
        for query in queries {
            let mut set = FxHashSet::default();
            if note_matches(&terms, &parse_query(query), &mut analyzers) {
                set.insert(note.path.clone());
            }
            sets.insert((*query).to_owned(), set);
        }
        FullText { sets }
    }

    /// Whether `query` matched the note at `path`.
    pub fn contains(&self, query: &str, path: &str) -> bool {
        self.sets.get(query).is_some_and(|set| set.contains(path))
    }
}
