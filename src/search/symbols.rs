//! Ranked symbols for `workspace/symbol`: notes, aliases and headings by fuzzy name match,
//! lifted by the index's score where the query's stemmed words match the name.
//!
//! The fuzzy match sees every symbol (a name typed in part, `zk` for `Zettelkasten`); the
//! index finds names whose words match another form of the query's words (`linking`
//! for the heading `Links`) and ranks notes by how well they match.

use rustc_hash::FxHashMap;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Query};

use super::index::SearchIndex;
use super::query::{term_variants, terms_query};
use super::schema::Mode;
use crate::note::{Note, VaultPath};
use crate::text::Span;
use crate::vault::Vault;

/// Notes the index proposes at most, before fuzzy ranking.
const INDEX_CANDIDATES: usize = 200;
/// Weight of the fuzzy name match; the index's normalized score has the rest.
const FUZZY_WEIGHT: f32 = 0.7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A note, named by its title (or file name).
    Note,
    /// An alias of a note, from its `aliases` property.
    Alias,
    Heading,
}

/// One ranked symbol.
#[derive(Clone, Debug, PartialEq)]
pub struct SymbolHit {
    pub name: String,
    pub kind: SymbolKind,
    pub path: VaultPath,
    /// The heading's text, the alias in the frontmatter, or an empty span at the note's start.
    pub span: Span,
    /// For headings and aliases: the title of the note that holds them.
    pub container: Option<String>,
    /// Between 0 and 1; higher is better.
    pub score: f32,
}

/// The best `limit` symbols for `query`. An empty query lists notes by path. The index
/// may be stale or failing: the fuzzy match over `vault` still answers.
pub fn workspace_symbols(
    index: &SearchIndex,
    vault: &Vault,
    query: &str,
    limit: usize,
) -> Vec<SymbolHit> {
    let query = query.trim();
    if query.is_empty() {
        return vault
            .notes
            .iter()
            .take(limit)
            .map(|note| note_symbol(note, 0.0))
            .collect();
    }
    let wanted: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
    let candidates = index_candidates(index, query);
    let mut analyzers = index.analyzers();
    let mut query_terms: Vec<String> = Vec::new();
    analyzers.for_each_term(Mode::DEFAULT, query, |t| {
        query_terms.push(t.text.to_string())
    });
    let mut hits = Vec::new();
    for note in &vault.notes {
        let indexed = candidates.get(&*note.path).copied();
        let mut consider = |name: &str, kind: SymbolKind, span: Span| {
            let fuzzy = fuzzy_score(&wanted, name);
            // The index's score counts only for names that hold one of the query's terms.
            let lifted = indexed.filter(|_| {
                let mut shares = false;
                analyzers.for_each_term(Mode::of_note(note), name, |t| {
                    shares |= query_terms.iter().any(|q| t.text.starts_with(q.as_str()));
                });
                shares
            });
            let score = match (fuzzy, lifted) {
                (None, None) => return,
                (f, l) => FUZZY_WEIGHT * f.unwrap_or(0.0) + (1.0 - FUZZY_WEIGHT) * l.unwrap_or(0.0),
            };
            hits.push(symbol(note, name, kind, span, score));
        };
        let title = note.title();
        consider(title, SymbolKind::Note, Span::empty(0));
        if title != note.name() {
            consider(note.name(), SymbolKind::Note, Span::empty(0));
        }
        for alias in note.aliases() {
            consider(&alias.name, SymbolKind::Alias, alias.span);
        }
        for heading in &note.headings {
            consider(&heading.text, SymbolKind::Heading, heading.text_span);
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.name.len().cmp(&b.name.len()))
            .then_with(|| a.path.cmp(&b.path))
            .then(a.span.start.cmp(&b.span.start))
    });
    // A note named by both title and file name appears once, by its better name.
    let mut seen_notes = rustc_hash::FxHashSet::default();
    hits.retain(|h| h.kind != SymbolKind::Note || seen_notes.insert(h.path.clone()));
    hits.truncate(limit);
    hits
}

fn note_symbol(note: &Note, score: f32) -> SymbolHit {
    SymbolHit {
        name: note.title().to_string(),
        kind: SymbolKind::Note,
        path: note.path.clone(),
        span: Span::empty(0),
        container: None,
        score,
    }
}

fn symbol(note: &Note, name: &str, kind: SymbolKind, span: Span, score: f32) -> SymbolHit {
    SymbolHit {
        name: name.to_string(),
        kind,
        path: note.path.clone(),
        span,
        container: (kind != SymbolKind::Note).then(|| note.title().to_string()),
        score,
    }
}

/// Notes whose title, aliases or headings match the query's words (the last one as a
/// prefix, since it may still be typed), with scores normalized to 0–1.
fn index_candidates(index: &SearchIndex, query: &str) -> FxHashMap<String, f32> {
    let fields = *index.fields();
    let modes = index.modes();
    let variants = term_variants(query, &modes, &mut index.analyzers());
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    for terms in &variants {
        for (field, boost) in [
            (fields.title, 3.0),
            (fields.aliases, 2.0),
            (fields.headings, 1.0),
        ] {
            queries.push(Box::new(BoostQuery::new(terms_query(field, terms), boost)));
            if let Some((_, last)) = terms.last() {
                let term = Term::from_field_text(field, last);
                let prefix = FuzzyTermQuery::new_prefix(term, 0, false);
                queries.push(Box::new(BoostQuery::new(Box::new(prefix), boost * 0.5)));
            }
        }
    }
    if queries.is_empty() {
        return FxHashMap::default();
    }
    let hits = index
        .run(&BooleanQuery::union(queries), INDEX_CANDIDATES)
        .unwrap_or_default();
    let best = hits.first().map_or(1.0, |h| h.score.max(f32::EPSILON));
    hits.into_iter()
        .map(|h| (h.path.to_string(), h.score / best))
        .collect()
}

/// How well `name` matches the lowercased query: 1 for equal names, then prefixes, then
/// subsequences favouring word starts and runs; `None` when the query is no subsequence.
pub fn fuzzy_score(query: &[char], name: &str) -> Option<f32> {
    if query.is_empty() {
        return None;
    }
    let mut next = 0;
    let mut points = 0.0f32;
    let mut previous: Option<char> = None;
    let mut previous_matched = false;
    let mut length = 0usize;
    for c in name.chars() {
        length += 1;
        let lower = c.to_lowercase().next().unwrap_or(c);
        if next < query.len() && lower == query[next] {
            let word_start = previous
                .is_none_or(|p| !p.is_alphanumeric() || (p.is_lowercase() && c.is_uppercase()));
            points += 1.0 + f32::from(u8::from(word_start)) + f32::from(u8::from(previous_matched));
            next += 1;
            previous_matched = true;
        } else {
            previous_matched = false;
        }
        previous = Some(c);
    }
    if next < query.len() {
        return None;
    }
    if length == query.len() {
        return Some(1.0);
    }
    // Each query character can earn at most 3 points; shorter names rank higher.
    let matched = points / (3.0 * query.len() as f32);
    let coverage = query.len() as f32 / length as f32;
    Some((0.75 * matched + 0.2 * coverage).min(0.95))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(q: &str, name: &str) -> Option<f32> {
        let q: Vec<char> = q.chars().flat_map(char::to_lowercase).collect();
        fuzzy_score(&q, name)
    }

    #[test]
    fn fuzzy_prefers_exact_then_prefix_then_word_starts() {
        assert_eq!(score("zettelkasten", "Zettelkasten"), Some(1.0));
        let prefix = score("zettel", "Zettelkasten").unwrap();
        let initials = score("zk", "Zettel Kasten").unwrap();
        let scattered = score("zk", "Zebra walk").unwrap();
        assert!(prefix > initials, "{prefix} {initials}");
        assert!(initials > scattered, "{initials} {scattered}");
        assert!(score("xyz", "Zettelkasten").is_none());
        assert!(score("", "Zettelkasten").is_none());
        assert!(score("ЗАМ", "Заметка").is_some());
    }
}
