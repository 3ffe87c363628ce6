//! Selectors: which notes a rule applies to. Every key given must match (they are joined
//! by AND); the values of one key are alternatives (OR). An empty selector takes every note.

use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::eval::QueryContext;
use crate::config::Relation;
use crate::note::{Note, YamlValue, strip_md_extension};
use crate::search::syntax::{Clause, parse_query};
use crate::vault::NoteId;

#[derive(Clone, Debug, Default)]
pub struct Selector {
    /// Folder globs over the note's vault path; `None` when the rule names none.
    pub folders: Option<GlobSet>,
    /// The globs as written, for `twin rules --explain`.
    pub folder_patterns: Vec<String>,
    /// Lowercase tags without `#`; a nested tag `a/b` is under `a`.
    pub tags: Vec<String>,
    /// Property keys and the values that select (`*` for any value).
    pub properties: Vec<(String, Vec<String>)>,
    /// Typed relations and the notes they must point at (`*` for any).
    pub relations: Vec<(Relation, Vec<String>)>,
    /// A query in the syntax of `twin search`.
    pub search: Option<String>,
}

impl Selector {
    /// Whether the note matches every key but `search` (cheap, from the note alone).
    pub fn matches_without_search(&self, cx: &QueryContext<'_>, id: NoteId) -> bool {
        let note = cx.vault.note(id);
        if let Some(folders) = &self.folders
            && !folders.is_match(&*note.path)
        {
            return false;
        }
        if !self.tags.is_empty() && !self.tags.iter().any(|tag| has_tag(note, tag)) {
            return false;
        }
        if !self
            .properties
            .iter()
            .all(|(key, values)| has_property_value(note, key, values))
        {
            return false;
        }
        self.relations
            .iter()
            .all(|(relation, targets)| has_relation(cx, id, *relation, targets))
    }

    /// Whether the note matches the whole selector.
    pub fn matches(&self, cx: &QueryContext<'_>, id: NoteId) -> bool {
        if !self.matches_without_search(cx, id) {
            return false;
        }
        match &self.search {
            None => true,
            Some(query) => cx.fulltext.contains(query, &cx.vault.note(id).path),
        }
    }
}

/// Whether a note has `tag` or a tag nested under it (case-insensitive).
pub fn has_tag(note: &Note, tag: &str) -> bool {
    note.tags.iter().any(|t| tag_under(&t.name, tag))
}

/// `a/b` is under `a` and under `a/b`, not under `a/bc`.
pub fn tag_under(name: &str, tag: &str) -> bool {
    let name = name.trim_start_matches('#');
    name.len() >= tag.len()
        && name.is_char_boundary(tag.len())
        && name[..tag.len()].to_lowercase() == tag
        && (name.len() == tag.len() || name.as_bytes()[tag.len()] == b'/')
}

fn has_property_value(note: &Note, key: &str, values: &[String]) -> bool {
    let Some(entry) = note.frontmatter.as_ref().and_then(|fm| fm.get(key)) else {
        return false;
    };
    if values.iter().any(|v| v == "*") {
        return !matches!(entry.value.value, YamlValue::Null);
    }
    let equals = |value: &YamlValue| match value {
        YamlValue::Bool(b) => values
            .iter()
            .any(|v| v.eq_ignore_ascii_case(&b.to_string())),
        other => other
            .as_str()
            .is_some_and(|s| values.iter().any(|v| v.trim() == s.trim())),
    };
    match &entry.value.value {
        YamlValue::List(items) => items.iter().any(|item| equals(&item.value)),
        other => equals(other),
    }
}

fn has_relation(cx: &QueryContext<'_>, id: NoteId, relation: Relation, targets: &[String]) -> bool {
    cx.coherence
        .topology
        .typed(id)
        .iter()
        .filter(|edge| edge.relation == relation)
        .any(|edge| {
            targets
                .iter()
                .any(|t| t == "*" || names_note(t, &cx.vault.note(edge.to).path))
        })
}

/// Whether `[[X]]` (or `X`, a path or a name, `.md` optional) names the note at `path`,
/// case-insensitively. Runs for every link of a vault, so a file name that cannot match
/// is refused before anything is allocated.
pub fn names_note(written: &str, path: &str) -> bool {
    let name = written
        .trim()
        .trim_start_matches("![[")
        .trim_start_matches("[[")
        .trim_end_matches("]]");
    let name = name.split(['|', '#']).next().unwrap_or(name).trim();
    let name = strip_md_extension(name);
    let path = strip_md_extension(path);
    let (written_file, path_file) = (
        name.rsplit('/').next().unwrap_or(name),
        path.rsplit('/').next().unwrap_or(path),
    );
    if written_file.is_ascii()
        && path_file.is_ascii()
        && !written_file.eq_ignore_ascii_case(path_file)
    {
        return false;
    }
    let name = name.to_lowercase();
    let path = path.to_lowercase();
    !name.is_empty()
        && (path == name || path.ends_with(&format!("/{}", name.trim_start_matches('/'))))
}

/// Compiles folder globs. A plain folder name (no glob character) means everything under
/// it: `ideas` is `ideas/**`.
pub fn folder_globs(
    items: &[(&str, Range<usize>)],
    key: &str,
) -> Result<(Option<GlobSet>, Vec<String>), (usize, String)> {
    if items.is_empty() {
        return Ok((None, Vec::new()));
    }
    let mut builder = GlobSetBuilder::new();
    let mut patterns = Vec::new();
    for (pattern, span) in items {
        crate::config::check_glob_length(pattern)
            .map_err(|e| (span.start, format!("invalid {e} in {key}")))?;
        let trimmed = pattern
            .trim()
            .trim_start_matches("./")
            .trim_start_matches('/');
        let glob = if trimmed.contains(['*', '?', '[', '{']) || trimmed.ends_with(".md") {
            trimmed.to_owned()
        } else {
            format!("{}/**", trimmed.trim_end_matches('/'))
        };
        let compiled = Glob::new(&glob).map_err(|e| {
            (
                span.start,
                format!("invalid glob `{pattern}` in {key}: {}", e.kind()),
            )
        })?;
        builder.add(compiled);
        patterns.push(pattern.to_string());
    }
    let set = builder
        .build()
        .map_err(|e| (items[0].1.start, format!("invalid glob in {key}: {e}")))?;
    Ok((Some(set), patterns))
}

/// Refuses search queries that cannot mean what was written: empty ones, an unclosed
/// quote, a `tag:`/`path:`/`title:` without a value, or only exclusions of nothing.
pub fn check_search(query: &str) -> Result<(), String> {
    if query.trim().is_empty() {
        return Err("select.search is empty".to_owned());
    }
    if query.matches('"').count() % 2 == 1 {
        return Err(format!(
            "invalid search query `{query}` in select.search: a quote is not closed"
        ));
    }
    let parsed = parse_query(query);
    if parsed.is_empty() {
        return Err(format!(
            "invalid search query `{query}` in select.search: nothing to search"
        ));
    }
    for group in &parsed.groups {
        for clause in &group.alternatives {
            let empty = match clause {
                Clause::Text { text, .. } => text.trim().is_empty(),
                Clause::Tag(tag) => tag.trim().is_empty(),
                Clause::Path(path) => path.trim().is_empty(),
            };
            if empty {
                return Err(format!(
                    "invalid search query `{query}` in select.search: a `key:` has no value"
                ));
            }
        }
    }
    Ok(())
}

impl Selector {
    /// A selector from the options of `twin select` (folder globs, tags, `key=value`
    /// properties and a search query); the error says which value is wrong.
    pub fn from_options(
        folders: &[String],
        tags: &[String],
        properties: &[String],
        search: Option<&str>,
    ) -> Result<Selector, String> {
        let items: Vec<(&str, Range<usize>)> = folders.iter().map(|f| (f.as_str(), 0..0)).collect();
        let (folders, folder_patterns) =
            folder_globs(&items, "--folder").map_err(|(_, message)| message)?;
        let mut by_key: Vec<(String, Vec<String>)> = Vec::new();
        for property in properties {
            let (key, value) = property.split_once('=').unwrap_or((property, "*"));
            match by_key.iter_mut().find(|(k, _)| k == key.trim()) {
                Some((_, values)) => values.push(value.trim().to_owned()),
                None => by_key.push((key.trim().to_owned(), vec![value.trim().to_owned()])),
            }
        }
        if let Some(query) = search {
            check_search(query).map_err(|m| m.replace("select.search", "--search"))?;
        }
        Ok(Selector {
            folders,
            folder_patterns,
            tags: tags
                .iter()
                .map(|t| t.trim_start_matches('#').to_lowercase())
                .collect(),
            properties: by_key,
            relations: Vec::new(),
            search: search.map(|q| q.trim().to_owned()),
        })
    }
}

#[cfg(test)]
mod glob_length_tests {
    use super::folder_globs;

    #[test]
    fn a_folder_glob_of_fifty_thousand_characters_is_refused() {
        let long = "a".repeat(50_000);
        let Err((at, message)) = folder_globs(&[(long.as_str(), 7..50_007)], "select.folder")
        else {
            panic!("a 50,000-character glob was accepted");
        };
        assert_eq!(at, 7);
        assert!(message.contains("at most 1024"), "{message}");
        assert!(message.ends_with("in select.folder"), "{message}");
    }
}
