//! The query syntax of `twin search` and its translation into tantivy queries.
//!
//! `word` and `"a phrase"` match titles, aliases, headings and prose (boosted in that
//! order); `title:x` only titles and aliases; `tag:x` (or `#x`) a tag or any tag nested
//! under it; `path:x` words of the note's path, the last one as a prefix. Clauses are
//! all required; `a OR b` makes one clause of two; `-x` excludes.

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::prose::prose_segments;
use super::schema::{Analyzers, Fields, Mode, path_words};
use crate::note::Note;
use crate::text::Span;

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchQuery {
    /// Every group must match (or, when negated, must not).
    pub groups: Vec<Group>,
}

/// Clauses joined by `OR`.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub negated: bool,
    pub alternatives: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    /// A word or a quoted phrase.
    Text {
        text: String,
        title_only: bool,
    },
    Tag(String),
    Path(String),
}

/// Parses a query; anything unbalanced (a lone quote) is read as well as it can be.
pub fn parse_query(input: &str) -> SearchQuery {
    let mut groups: Vec<Group> = Vec::new();
    let mut join_next = false;
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let (token, after) = next_token(rest);
        rest = after.trim_start();
        let Some((negated, clause)) = token else {
            // `OR`: the next clause joins the previous group.
            join_next = !groups.is_empty();
            continue;
        };
        match groups.last_mut() {
            Some(group) if join_next && !negated && !group.negated => {
                group.alternatives.push(clause)
            }
            _ => groups.push(Group {
                negated,
                alternatives: vec![clause],
            }),
        }
        join_next = false;
    }
    SearchQuery { groups }
}

/// One clause from the start of `s`, or `None` for `OR`, and the rest of `s`.
fn next_token(s: &str) -> (Option<(bool, Clause)>, &str) {
    let (negated, s) = match s.strip_prefix('-') {
        Some(rest) if !rest.is_empty() && !rest.starts_with(char::is_whitespace) => (true, rest),
        _ => (false, s),
    };
    let (key, s) = match s.split_once(':') {
        Some((key, rest))
            if ["tag", "path", "title"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key)) =>
        {
            (Some(key.to_ascii_lowercase()), rest)
        }
        _ => (None, s),
    };
    let (value, rest) = match s.strip_prefix('"') {
        Some(quoted) => match quoted.find('"') {
            Some(end) => (&quoted[..end], &quoted[end + 1..]),
            None => (quoted, ""),
        },
        None => {
            let end = s.find(char::is_whitespace).unwrap_or(s.len());
            (&s[..end], &s[end..])
        }
    };
    if key.is_none() && !negated && value == "OR" && !s.starts_with('"') {
        return (None, rest);
    }
    let clause = match key.as_deref() {
        Some("tag") => Clause::Tag(value.trim_start_matches('#').to_lowercase()),
        Some("path") => Clause::Path(value.to_string()),
        _ if key.is_none() && value.len() > 1 && value.starts_with('#') && !s.starts_with('"') => {
            Clause::Tag(value[1..].to_lowercase())
        }
        other => Clause::Text {
            text: value.to_string(),
            title_only: other == Some("title"),
        },
    };
    (Some((negated, clause)), rest)
}

impl SearchQuery {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The tantivy query, with words analyzed in each of `modes`; `None` when nothing
    /// searchable is left (only stop words, say).
    pub(crate) fn build(
        &self,
        fields: &Fields,
        modes: &[Mode],
        analyzers: &mut Analyzers,
    ) -> Option<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for group in &self.groups {
            let mut alternatives: Vec<Box<dyn Query>> = group
                .alternatives
                .iter()
                .filter_map(|c| clause_query(c, fields, modes, analyzers))
                .collect();
            let query = match alternatives.len() {
                0 => continue,
                1 => alternatives.pop()?,
                _ => Box::new(BooleanQuery::union(alternatives)),
            };
            let occur = if group.negated {
                Occur::MustNot
            } else {
                Occur::Must
            };
            clauses.push((occur, query));
        }
        if clauses.is_empty() {
            return None;
        }
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The lines of a note's prose where a searched word occurs, with each occurrence.
    pub fn matching_lines(&self, note: &Note) -> Vec<LineMatch> {
        let mode = Mode::of_note(note);
        let mut analyzers = Analyzers::default();
        let mut wanted: Vec<String> = Vec::new();
        for group in self.groups.iter().filter(|g| !g.negated) {
            for clause in &group.alternatives {
                if let Clause::Text { text, .. } = clause {
                    analyzers.for_each_term(mode, text, |t| wanted.push(t.text.to_string()));
                }
            }
        }
        let mut lines: Vec<LineMatch> = Vec::new();
        if wanted.is_empty() {
            return lines;
        }
        let text = &*note.text;
        for segment in prose_segments(note) {
            let base = segment.start;
            analyzers.for_each_term(mode, &text[segment], |t| {
                if !wanted.iter().any(|w| w == t.text) {
                    return;
                }
                let hit = Span::new(base + t.span.0, base + t.span.1);
                let line = Span::line_around(text, hit.start as usize);
                match lines.last_mut() {
                    Some(last) if last.line == line => last.matches.push(hit),
                    _ => lines.push(LineMatch {
                        line,
                        matches: vec![hit],
                    }),
                }
            });
        }
        lines
    }
}

/// A line of a note and the matches in it (byte spans into the note's text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMatch {
    /// The line without its line break.
    pub line: Span,
    pub matches: Vec<Span>,
}

fn clause_query(
    clause: &Clause,
    fields: &Fields,
    modes: &[Mode],
    analyzers: &mut Analyzers,
) -> Option<Box<dyn Query>> {
    match clause {
        Clause::Tag(tag) if !tag.is_empty() => Some(Box::new(TermQuery::new(
            Term::from_field_text(fields.tags, tag),
            IndexRecordOption::Basic,
        ))),
        Clause::Path(path) => {
            let words = path_words(path);
            let terms: Vec<Term> = words
                .iter()
                .map(|w| Term::from_field_text(fields.path_words, w))
                .collect();
            match terms.len() {
                0 => None,
                // The last word may be partial: `path:proj` finds `projects/`.
                1 => Some(Box::new(FuzzyTermQuery::new_prefix(
                    terms[0].clone(),
                    0,
                    false,
                ))),
                _ => Some(Box::new(PhrasePrefixQuery::new(terms))),
            }
        }
        Clause::Text { text, title_only } => {
            let searched: Vec<(Field, f32)> = if *title_only {
                vec![(fields.title, 1.0), (fields.aliases, 1.0)]
            } else {
                fields.text_fields().to_vec()
            };
            let variants = term_variants(text, modes, analyzers);
            let mut queries: Vec<Box<dyn Query>> = Vec::new();
            for terms in &variants {
                for &(field, boost) in &searched {
                    queries.push(Box::new(BoostQuery::new(terms_query(field, terms), boost)));
                }
            }
            match queries.len() {
                0 => None,
                _ => Some(Box::new(BooleanQuery::union(queries))),
            }
        }
        Clause::Tag(_) => None,
    }
}

/// The distinct term sequences `text` yields in each mode: `(position, term)` pairs.
pub(crate) fn term_variants(
    text: &str,
    modes: &[Mode],
    analyzers: &mut Analyzers,
) -> Vec<Vec<(usize, String)>> {
    let mut variants: Vec<Vec<(usize, String)>> = Vec::new();
    for &mode in modes {
        let mut terms = Vec::new();
        analyzers.for_each_term(mode, text, |t| terms.push((t.position, t.text.to_string())));
        if let Some(first) = terms.first().map(|t| t.0) {
            for t in &mut terms {
                t.0 -= first;
            }
            if !variants.contains(&terms) {
                variants.push(terms);
            }
        }
    }
    variants
}

/// A term query for one term, a phrase query (stop-word gaps kept) for several.
pub(crate) fn terms_query(field: Field, terms: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, term)] = terms {
        return Box::new(TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        ));
    }
    Box::new(PhraseQuery::new_with_offset(
        terms
            .iter()
            .map(|(position, term)| (*position, Term::from_field_text(field, term)))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Clause {
        Clause::Text {
            text: t.to_string(),
            title_only: false,
        }
    }

    fn group(negated: bool, alternatives: Vec<Clause>) -> Group {
        Group {
            negated,
            alternatives,
        }
    }

    #[test]
    fn parses_words_phrases_fields_or_and_negation() {
        let q = parse_query(
            r#"links "graph view" tag:#Project path:notes/2024 title:Home -draft a OR b #idea"#,
        );
        assert_eq!(
            q.groups,
            vec![
                group(false, vec![text("links")]),
                group(false, vec![text("graph view")]),
                group(false, vec![Clause::Tag("project".into())]),
                group(false, vec![Clause::Path("notes/2024".into())]),
                group(
                    false,
                    vec![Clause::Text {
                        text: "Home".into(),
                        title_only: true
                    }]
                ),
                group(true, vec![text("draft")]),
                group(false, vec![text("a"), text("b")]),
                group(false, vec![Clause::Tag("idea".into())]),
            ]
        );
    }

    #[test]
    fn odd_input_is_read_leniently() {
        assert_eq!(parse_query("  ").groups, vec![]);
        assert_eq!(
            parse_query(r#""unclosed phrase"#).groups,
            vec![group(false, vec![text("unclosed phrase")])]
        );
        // A lone `OR` or a dash is just a word or nothing.
        assert_eq!(
            parse_query("OR x").groups,
            vec![group(false, vec![text("x")])]
        );
        assert_eq!(
            parse_query("- x").groups,
            vec![group(false, vec![text("-")]), group(false, vec![text("x")])]
        );
        assert_eq!(
            parse_query("Unknown:key").groups,
            vec![group(false, vec![text("Unknown:key")])]
        );
    }

    #[test]
    fn stop_words_alone_build_nothing() {
        let (_, fields) = super::super::schema::build_schema();
        let mut analyzers = Analyzers::default();
        let q = parse_query("the of");
        assert!(q.build(&fields, &[Mode::DEFAULT], &mut analyzers).is_none());
        let q = parse_query("-draft");
        assert!(q.build(&fields, &[Mode::DEFAULT], &mut analyzers).is_some());
    }

    #[test]
    fn variants_differ_by_mode() {
        let mut analyzers = Analyzers::default();
        let v = term_variants(
            "Linking notes",
            &[Mode::DEFAULT, Mode::Plain],
            &mut analyzers,
        );
        assert_eq!(
            v,
            vec![
                vec![(0, "link".to_string()), (1, "note".to_string())],
                vec![(0, "linking".to_string()), (1, "notes".to_string())],
            ]
        );
    }
}
