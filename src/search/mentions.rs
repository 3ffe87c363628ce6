//! Unlinked mentions: prose in other notes that names a note without linking to it.
//!
//! A name (title, file name or alias) matches whole words, case-insensitively and by stem
//! (`Zettelkasten` matches `zettelkastens`), in prose only: code, links, comments and
//! frontmatter never count. Notes that already link to the named note are left out, and
//! so is the note itself.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::query::{BooleanQuery, Query};

use super::index::SearchIndex;
use super::prose::prose_segments;
use super::query::{term_variants, terms_query};
use crate::note::{Link, LinkKind, LinkSource, Note, VaultPath, strip_md_extension};
use crate::resolve::{LinkTarget, resolve_link};
use crate::text::Span;
use crate::text::analyze::Analyzer;
use crate::vault::{NoteId, Vault};

/// A place in a note that names another note without linking to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The note that mentions.
    pub path: VaultPath,
    /// The mentioning words, from the first word's start to the last word's end.
    pub span: Span,
    /// The words as written.
    pub text: String,
}

/// A text edit in core terms: replace `span` of the note at `path` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkEdit {
    pub path: VaultPath,
    pub span: Span,
    pub new_text: String,
}

/// Characters allowed between the words of a mention besides white space, so that
/// `Zettel-Kasten` and `Zettel Kasten` both name `Zettel Kasten`, but `Zettel. Kasten` does not.
const JOINERS: &[char] = &['-', '_', '\'', '’'];

/// Every name of `targets`, as sequences of word keys, found by first key.
pub struct MentionFinder {
    names: Vec<(Vec<String>, NoteId)>,
    by_first: FxHashMap<String, Vec<usize>>,
}

impl MentionFinder {
    /// The names (title, file name, aliases) of each target note.
    pub fn new(vault: &Vault, targets: impl IntoIterator<Item = NoteId>) -> MentionFinder {
        let mut analyzer = Analyzer::default();
        let mut names: Vec<(Vec<String>, NoteId)> = Vec::new();
        for id in targets {
            let note = vault.note(id);
            let aliases = note.aliases().iter().map(|a| a.name.as_str());
            for name in [note.title(), note.name()].into_iter().chain(aliases) {
                if let Some(keys) = name_keys(&mut analyzer, name)
                    && !names
                        .iter()
                        .rev()
                        .take(8)
                        .any(|(k, t)| *t == id && *k == keys)
                {
                    names.push((keys, id));
                }
            }
        }
        let mut by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, (keys, _)) in names.iter().enumerate() {
            by_first.entry(keys[0].clone()).or_default().push(i);
        }
        MentionFinder { names, by_first }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Calls `f` with each mention in the prose of `note` and the notes it names; where
    /// names overlap, the longest wins.
    pub fn find(&self, note: &Note, analyzer: &mut Analyzer, mut f: impl FnMut(Span, &[NoteId])) {
        let text = &*note.text;
        let mut words: Vec<(usize, usize, String)> = Vec::new();
        let mut targets: Vec<NoteId> = Vec::new();
        for segment in prose_segments(note) {
            words.clear();
            let base = segment.start;
            analyzer.for_each_word(&text[segment], |w| {
                let key = w.term.map_or(w.word, |(_, stem)| stem);
                words.push((base + w.start, base + w.end, key.to_string()));
            });
            let mut i = 0;
            while i < words.len() {
                let mut best = 0;
                targets.clear();
                for &n in self
                    .by_first
                    .get(&words[i].2)
                    .map_or(&[][..], |v| v.as_slice())
                {
                    let (keys, target) = &self.names[n];
                    if keys.len() < best || !matches_at(text, &words[i..], keys) {
                        continue;
                    }
                    if keys.len() > best {
                        best = keys.len();
                        targets.clear();
                    }
                    if !targets.contains(target) {
                        targets.push(*target);
                    }
                }
                if best == 0 {
                    i += 1;
                    continue;
                }
                f(Span::new(words[i].0, words[i + best - 1].1), &targets);
                i += best;
            }
        }
    }
}

/// Whether `keys` match the words starting at `words[0]`, with only spaces or joiners between.
fn matches_at(text: &str, words: &[(usize, usize, String)], keys: &[String]) -> bool {
    keys.len() <= words.len()
        && keys.iter().zip(words).all(|(k, w)| *k == w.2)
        && words[..keys.len()].windows(2).all(|pair| {
            text[pair[0].1..pair[1].0]
                .chars()
                .all(|c| c.is_whitespace() || JOINERS.contains(&c))
        })
}

/// The word keys of a name (stems, or the words themselves for stop words), without
/// leading and trailing stop words; `None` for names with no real word (dates, `The`).
fn name_keys(analyzer: &mut Analyzer, name: &str) -> Option<Vec<String>> {
    let mut keys: Vec<(String, bool)> = Vec::new();
    analyzer.for_each_word(name, |w| {
        let content = w.term.is_some() && !w.word.bytes().all(|b| b.is_ascii_digit());
        keys.push((w.term.map_or(w.word, |(_, s)| s).to_string(), content));
    });
    let first = keys.iter().position(|k| k.1)?;
    let last = keys.iter().rposition(|k| k.1)?;
    Some(keys.drain(first..=last).map(|k| k.0).collect())
}

/// The places in other notes that mention note `id` by a name without linking to it,
/// sorted by path and position. The index picks the notes to read; a stale index can
/// only miss notes changed since its last commit.
pub fn unlinked_mentions(vault: &Vault, index: &SearchIndex, id: NoteId) -> Vec<Mention> {
    let finder = MentionFinder::new(vault, [id]);
    if finder.is_empty() {
        return Vec::new();
    }
    let target = vault.note(id);
    let body = index.fields().body;
    let modes = index.modes();
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    {
        let mut analyzers = index.analyzers();
        let aliases = target.aliases().iter().map(|a| a.name.as_str());
        for name in [target.title(), target.name()].into_iter().chain(aliases) {
            for terms in term_variants(name, &modes, &mut analyzers) {
                queries.push(terms_query(body, &terms));
            }
        }
    }
    if queries.is_empty() {
        return Vec::new();
    }
    let candidates = index
        .run(&BooleanQuery::union(queries), vault.notes.len().max(1))
        .unwrap_or_default();
    let mut sources: Vec<NoteId> = candidates
        .iter()
        .filter_map(|hit| vault.note_by_path(&hit.path))
        .filter(|&source| source != id && !links_to(vault, source, id))
        .collect();
    sources.sort_unstable();
    let mut analyzer = Analyzer::default();
    let mut mentions = Vec::new();
    for source in sources {
        let note = vault.note(source);
        finder.find(note, &mut analyzer, |span, _| {
            mentions.push(Mention {
                path: note.path.clone(),
                span,
                text: note.text[span.range()].to_string(),
            });
        });
    }
    mentions
}

/// Whether any link of `source` resolves to `target`.
pub(crate) fn links_to(vault: &Vault, source: NoteId, target: NoteId) -> bool {
    vault
        .note(source)
        .links
        .iter()
        .any(|link| resolve_link(vault, source, link).target == Some(LinkTarget::Note(target)))
}

/// The notes that `source` links to, from any of its links.
pub(crate) fn linked_notes(resolutions: &[crate::resolve::LinkResolution]) -> FxHashSet<NoteId> {
    resolutions
        .iter()
        .filter_map(|r| match r.target {
            Some(LinkTarget::Note(n)) => Some(n),
            _ => None,
        })
        .collect()
}

/// The edit that turns a mention into a wikilink to `target`: `[[Name]]` when the words
/// are the link text, else `[[Name|words]]`. The link uses the bare name when it resolves
/// to `target` from the mentioning note, else the note's path.
pub fn link_edit(vault: &Vault, target: NoteId, mention: &Mention) -> LinkEdit {
    let note = vault.note(target);
    let name = note.name();
    let by_name = Link {
        kind: LinkKind::Wiki,
        embed: false,
        source: LinkSource::Body,
        target: name.to_string(),
        target_span: Span::empty(0),
        anchor: None,
        display: None,
        span: Span::empty(0),
    };
    let resolves = vault.note_by_path(&mention.path).is_none_or(|from| {
        resolve_link(vault, from, &by_name).target == Some(LinkTarget::Note(target))
    });
    let link_text = if resolves {
        name
    } else {
        strip_md_extension(&note.path)
    };
    let new_text = if mention.text == link_text {
        format!("[[{link_text}]]")
    } else {
        format!("[[{link_text}|{}]]", mention.text)
    };
    LinkEdit {
        path: mention.path.clone(),
        span: mention.span,
        new_text,
    }
}
