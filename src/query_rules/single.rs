//! One note against a search query without an index: what the language server needs after
//! an edit, where building an index for one note would cost more than the check. Terms come
//! from the same analyzer and the same fields as the index (title and name, aliases,
//! headings, prose; tags with their parents; path words), so a note matches here when the
//! index would return it, up to the languages tried: the query is analyzed in the note's
//! own language, the one its words were indexed in.

use crate::note::{Note, strip_md_extension};
use crate::search::SearchQuery;
use crate::search::prose::prose_text;
use crate::search::schema::{Analyzers, Mode, path_words, searchable_tags};
use crate::search::syntax::{Clause, term_variants};

/// A note's searchable terms: per field value, `(position, term)` sorted by position.
pub struct NoteTerms {
    mode: Mode,
    /// Title, name and aliases (what `title:` searches).
    titles: Vec<Vec<(usize, String)>>,
    /// Headings and prose.
    rest: Vec<Vec<(usize, String)>>,
    tags: Vec<String>,
    path: Vec<String>,
}

impl NoteTerms {
    pub fn new(note: &Note, analyzers: &mut Analyzers) -> NoteTerms {
        let mode = Mode::of_note(note);
        let mut terms = |text: &str| {
            let mut out = Vec::new();
            analyzers.for_each_term(mode, text, |t| out.push((t.position, t.text.to_string())));
            out
        };
        let mut titles = vec![terms(note.title())];
        if note.title() != note.name() {
            titles.push(terms(note.name()));
        }
        titles.extend(note.aliases().iter().map(|a| terms(&a.name)));
        let mut rest: Vec<Vec<(usize, String)>> =
            note.headings.iter().map(|h| terms(&h.text)).collect();
        rest.push(terms(&prose_text(note)));
        let tags = searchable_tags(note);
        NoteTerms {
            mode,
            titles,
            rest,
            tags,
            path: path_words(strip_md_extension(&note.path)),
        }
    }
}

/// Whether the query matches the note, with the boolean logic of the index: every group
/// (or, negated, none), any alternative of a group; clauses that analyze to nothing (only
/// stop words) are dropped, and a query left empty matches nothing.
pub fn note_matches(terms: &NoteTerms, query: &SearchQuery, analyzers: &mut Analyzers) -> bool {
    let mut any = false;
    for group in &query.groups {
        let results: Vec<bool> = group
            .alternatives
            .iter()
            .filter_map(|clause| clause_matches(terms, clause, analyzers))
            .collect();
        if results.is_empty() {
            continue;
        }
        any = true;
        let hit = results.iter().any(|&r| r);
        if hit == group.negated {
            return false;
        }
    }
    // Only exclusions: every note but the excluded ones, as the index's `AllQuery` gives.
    any
}

/// `None` when the clause searches nothing.
fn clause_matches(terms: &NoteTerms, clause: &Clause, analyzers: &mut Analyzers) -> Option<bool> {
    match clause {
        Clause::Tag(tag) if !tag.is_empty() => Some(terms.tags.iter().any(|t| t == tag)),
        Clause::Tag(_) => None,
        Clause::Path(path) => {
            let words = path_words(path);
            let (last, init) = words.split_last()?;
            let n = words.len();
            Some(
                terms
                    .path
                    .windows(n)
                    .any(|w| w[..n - 1] == *init && w[n - 1].starts_with(last.as_str())),
            )
        }
        Clause::Text { text, title_only } => {
            let variants = term_variants(text, &[terms.mode], analyzers);
            let variant = variants.first()?;
            let rest = if *title_only {
                &[][..]
            } else {
                &terms.rest[..]
            };
            Some(
                terms
                    .titles
                    .iter()
                    .chain(rest)
                    .any(|value| has_phrase(value, variant)),
            )
        }
    }
}

/// Whether `value` holds the terms at their relative positions.
fn has_phrase(value: &[(usize, String)], phrase: &[(usize, String)]) -> bool {
    let Some((_, first)) = phrase.first() else {
        return false;
    };
    value.iter().filter(|(_, t)| t == first).any(|(start, _)| {
        phrase[1..].iter().all(|(offset, term)| {
            value
                .binary_search_by_key(&(start + offset), |(p, _)| *p)
                .is_ok_and(|i| value[i].1 == *term)
        })
    })
}
