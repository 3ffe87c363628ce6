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
use super::schema::Mode;
use super::syntax::{term_variants, terms_query};
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
    let wanted: Vec<char> = query.chars().map(fold_case).collect();
    let candidates = index_candidates(index, query);
    let mut analyzers = index.analyzers();
    let mut query_terms: Vec<String> = Vec::new();
    analyzers.for_each_term(Mode::DEFAULT, query, |t| {
        query_terms.push(t.text.to_string())
    });
    // Scores first, names later: only the best `limit` symbols are built.
    let mut scored: Vec<Scored> = Vec::new();
    for (i, note) in vault.notes.iter().enumerate() {
        let indexed = candidates.get(&*note.path).copied();
        let mode = indexed.map(|_| Mode::of_note(note));
        let mut score_of = |name: &str| {
            let fuzzy = fuzzy_score(&wanted, name);
            // The index's score counts only for names that hold one of the query's terms.
            let lifted = indexed.filter(|_| {
                let mut shares = false;
                analyzers.for_each_term(mode.unwrap_or(Mode::DEFAULT), name, |t| {
                    shares |= query_terms.iter().any(|q| t.text.starts_with(q.as_str()));
                });
                shares
            });
            match (fuzzy, lifted) {
                (None, None) => None,
                (f, l) => {
                    Some(FUZZY_WEIGHT * f.unwrap_or(0.0) + (1.0 - FUZZY_WEIGHT) * l.unwrap_or(0.0))
                }
            }
        };
        let mut push = |score: Option<f32>, name: &str, which: Which| {
            if let Some(score) = score {
                scored.push(Scored {
                    score,
                    name_len: name.len() as u32,
                    note: i as u32,
                    which,
                });
            }
        };
        // A note appears once, by the better of its title and file name.
        let title = note.title();
        let by_title = score_of(title);
        let by_name = (title != note.name())
            .then(|| score_of(note.name()))
            .flatten();
        if by_name.unwrap_or(f32::MIN) > by_title.unwrap_or(f32::MIN) {
            push(by_name, note.name(), Which::FileName);
        } else {
            push(by_title, title, Which::Title);
        }
        for (a, alias) in note.aliases().iter().enumerate() {
            push(score_of(&alias.name), &alias.name, Which::Alias(a as u32));
        }
        for (h, heading) in note.headings.iter().enumerate() {
            push(
                score_of(&heading.text),
                &heading.text,
                Which::Heading(h as u32),
            );
        }
    }
    let order = |a: &Scored, b: &Scored| {
        b.score
            .total_cmp(&a.score)
            .then(a.name_len.cmp(&b.name_len))
            .then(a.note.cmp(&b.note))
            .then(a.which.cmp(&b.which))
    };
    if scored.len() > limit && limit > 0 {
        scored.select_nth_unstable_by(limit - 1, order);
    }
    scored.truncate(limit);
    scored.sort_by(order);
    scored
        .into_iter()
        .map(|s| {
            let note = &vault.notes[s.note as usize];
            let (name, kind, span) = match s.which {
                Which::Title => (note.title(), SymbolKind::Note, Span::empty(0)),
                Which::FileName => (note.name(), SymbolKind::Note, Span::empty(0)),
                Which::Alias(a) => {
                    let alias = &note.aliases()[a as usize];
                    (alias.name.as_str(), SymbolKind::Alias, alias.span)
                }
                Which::Heading(h) => {
                    let heading = &note.headings[h as usize];
                    (
                        heading.text.as_str(),
                        SymbolKind::Heading,
                        heading.text_span,
                    )
                }
            };
            symbol(note, name, kind, span, s.score)
        })
        .collect()
}

/// A symbol's score before its hit is built.
struct Scored {
    score: f32,
    name_len: u32,
    note: u32,
    which: Which,
}

/// Which name of a note a symbol is; ordered as they appear in the note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Which {
    Title,
    FileName,
    Alias(u32),
    Heading(u32),
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

/// How well `name` matches the query (lowercased with [`fold_case`]): 1 for equal names,
/// then prefixes, then subsequences favouring word starts and runs; `None` when the query
/// is no subsequence of the name.
pub fn fuzzy_score(query: &[char], name: &str) -> Option<f32> {
    if query.is_empty() {
        return None;
    }
    // Most names fail this plain subsequence test; only the others are scored.
    let mut next = 0;
    for c in name.chars() {
        if fold_case(c) == query[next] {
            next += 1;
            if next == query.len() {
                break;
            }
        }
    }
    if next < query.len() {
        return None;
    }
    let mut next = 0;
    let mut points = 0.0f32;
    let mut previous: Option<char> = None;
    let mut previous_matched = false;
    let mut length = 0usize;
    for c in name.chars() {
        length += 1;
        if next < query.len() && fold_case(c) == query[next] {
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
    if length == query.len() {
        return Some(1.0);
    }
    // Each query character can earn at most 3 points; shorter names rank higher.
    let matched = points / (3.0 * query.len() as f32);
    let coverage = query.len() as f32 / length as f32;
    Some((0.75 * matched + 0.2 * coverage).min(0.95))
}

/// A character's lowercase form; Latin and Cyrillic without the Unicode tables.
pub fn fold_case(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        _ if c.is_ascii() => c,
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'Ё' => 'ё',
        '\u{0430}'..='\u{044F}' | 'ё' => c,
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(q: &str, name: &str) -> Option<f32> {
        let q: Vec<char> = q.chars().map(fold_case).collect();
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
