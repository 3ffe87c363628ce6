//! Unlinked mentions: prose in other notes that names a note without linking to it.
//!
//! A name (title, file name or alias) matches whole words, case-insensitively and by stem
//! (`Zettelkasten` matches `zettelkastens`), in prose only: code, links, comments and
//! frontmatter never count. Notes that already link to the named note are left out, and
//! so is the note itself.

use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::query::{BooleanQuery, Query};

use super::index::SearchIndex;
use super::prose::prose_segments;
use super::symbols::fold_case;
use super::syntax::{term_variants, terms_query};
use crate::note::{Link, LinkKind, Note, VaultPath, note_name, strip_md_extension};
use crate::resolve::{LinkTarget, resolve_link};
use crate::text::Span;
use crate::vault::normalize_key;
use crate::vault::{NoteId, Vault};
use crate::words::{Analyzer, TermId, Word, term_id};

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

/// Every name of `targets`, as sequences of word keys (term ids of stems, or of the words
/// themselves for stop words), found by first key.
pub struct MentionFinder {
    names: Vec<(Vec<TermId>, NoteId)>,
    by_first: FxHashMap<TermId, Vec<usize>>,
    /// For a few names: lowercase text every mention starts with, so that only the lines
    /// holding it are analyzed. `None` scans all prose.
    prefixes: Option<Vec<String>>,
}

/// Names at most for which [`MentionFinder`] looks for prefixes before analyzing.
const MAX_PREFIXED_NAMES: usize = 32;
/// Characters of a first stem used as its prefix.
const PREFIX_CHARS: usize = 3;

impl MentionFinder {
    /// The names (title, file name, aliases) of each target note.
    pub fn new(vault: &Vault, targets: impl IntoIterator<Item = NoteId>) -> MentionFinder {
        let mut analyzer = Analyzer::default();
        let mut names: Vec<(Vec<TermId>, NoteId)> = Vec::new();
        let mut prefixes: Vec<String> = Vec::new();
        for id in targets {
            let note = vault.note(id);
            let aliases = note.aliases().iter().map(|a| a.name.as_str());
            for name in [note.title(), note.name()].into_iter().chain(aliases) {
                if let Some((keys, first)) = name_keys(&mut analyzer, name)
                    && !names
                        .iter()
                        .rev()
                        .take(8)
                        .any(|(k, t)| *t == id && *k == keys)
                {
                    names.push((keys, id));
                    let prefix: String = first.chars().take(PREFIX_CHARS).collect();
                    if !prefixes.contains(&prefix) {
                        prefixes.push(prefix);
                    }
                }
            }
        }
        let mut by_first: FxHashMap<TermId, Vec<usize>> = FxHashMap::default();
        for (i, (keys, _)) in names.iter().enumerate() {
            by_first.entry(keys[0]).or_default().push(i);
        }
        // Snowball stems of Latin and Cyrillic words begin as their words do (but for a
        // handful of English irregulars such as `dying`), so a prefix can guide the scan.
        let usable = names.len() <= MAX_PREFIXED_NAMES
            && prefixes.iter().all(|p| {
                p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, 'а'..='я' | 'ё'))
            });
        MentionFinder {
            names,
            by_first,
            prefixes: usable.then_some(prefixes),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Calls `f` with each mention in the prose of `note` and the notes it names; where
    /// names overlap, the longest wins.
    pub fn find(&self, note: &Note, analyzer: &mut Analyzer, mut f: impl FnMut(Span, &[NoteId])) {
        let text = &*note.text;
        let mut words: Vec<(usize, usize, TermId)> = Vec::new();
        let mut targets: Vec<NoteId> = Vec::new();
        for segment in prose_segments(note) {
            for range in self.windows(text, segment) {
                words.clear();
                let base = range.start;
                analyzer.for_each_word(&text[range], |w| {
                    words.push((base + w.start, base + w.end, word_key(&w)));
                });
                self.match_words(text, &words, &mut targets, &mut f);
            }
        }
    }

    /// The parts of a prose segment worth analyzing: with prefixes, each line holding one
    /// and the line after it (a name may wrap); else the whole segment.
    fn windows(&self, text: &str, segment: Range<usize>) -> Vec<Range<usize>> {
        let Some(prefixes) = &self.prefixes else {
            return vec![segment];
        };
        let Some(lower) = lowercase_in_place(&text[segment.clone()]) else {
            return vec![segment];
        };
        let bytes = lower.as_bytes();
        let mut windows: Vec<Range<usize>> = Vec::new();
        for prefix in prefixes {
            for at in memchr::memmem::find_iter(bytes, prefix.as_bytes()) {
                let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
                let line_end =
                    memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
                let end = memchr::memchr(b'\n', &bytes[line_end..])
                    .map_or(bytes.len(), |i| line_end + i + 1);
                windows.push(segment.start + start..segment.start + end);
            }
        }
        windows.sort_unstable_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        merged
    }

    /// Reports the names found in a run of consecutive words.
    fn match_words(
        &self,
        text: &str,
        words: &[(usize, usize, TermId)],
        targets: &mut Vec<NoteId>,
        f: &mut impl FnMut(Span, &[NoteId]),
    ) {
        let mut i = 0;
        while i < words.len() {
            let mut best = 0;
            targets.clear();
            let candidates = self
                .by_first
                .get(&words[i].2)
                .map_or(&[][..], |v| v.as_slice());
            for &n in candidates {
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
            f(Span::new(words[i].0, words[i + best - 1].1), targets);
            i += best;
        }
    }
}

/// `text` lowercased when that keeps every character's byte length (so offsets carry
/// over), as it does for Latin and Cyrillic text.
fn lowercase_in_place(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let lower = fold_case(c);
        if lower.len_utf8() != c.len_utf8() {
            return None;
        }
        out.push(lower);
    }
    Some(out)
}

/// Whether `keys` match the words starting at `words[0]`, with only spaces or joiners between.
fn matches_at(text: &str, words: &[(usize, usize, TermId)], keys: &[TermId]) -> bool {
    keys.len() <= words.len()
        && keys.iter().zip(words).all(|(k, w)| *k == w.2)
        && words[..keys.len()].windows(2).all(|pair| {
            text[pair[0].1..pair[1].0]
                .chars()
                .all(|c| c.is_whitespace() || JOINERS.contains(&c))
        })
}

/// A word's key: its stem's id, or the id of the word itself (stop words, numbers).
fn word_key(w: &Word<'_>) -> TermId {
    w.term.map_or_else(|| term_id(w.word), |(id, _)| id)
}

/// The word keys of a name without leading and trailing stop words, and the key text of
/// its first word; `None` for names with no real word (dates, `The`).
fn name_keys(analyzer: &mut Analyzer, name: &str) -> Option<(Vec<TermId>, String)> {
    let mut keys: Vec<(TermId, bool, bool, String)> = Vec::new();
    analyzer.for_each_word(name, |w| {
        let number = w.word.bytes().all(|b| b.is_ascii_digit());
        let content = w.term.is_some() && !number;
        // Numbers and single letters are part of a name (`Chapter 9`, `Vitamin C`).
        let stop = w.term.is_none() && !number && w.word.chars().nth(1).is_some();
        let text = w.term.map_or(w.word, |(_, stem)| stem).to_string();
        keys.push((word_key(&w), content, stop, text));
    });
    keys.iter().position(|k| k.1)?;
    let first = keys.iter().position(|k| !k.2)?;
    let last = keys.iter().rposition(|k| !k.2)?;
    let ids = keys[first..=last].iter().map(|k| k.0).collect();
    Some((ids, keys.swap_remove(first).3))
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
        .filter(|&source| source != id)
        .collect();
    sources.sort_unstable();
    mentions_in(vault, &finder, id, &sources)
}

/// Mentions of note `id` without an index: every other note is read (the language server's
/// answer while its index is still opening).
pub fn scan_unlinked_mentions(vault: &Vault, id: NoteId) -> Vec<Mention> {
    let finder = MentionFinder::new(vault, [id]);
    if finder.is_empty() {
        return Vec::new();
    }
    let sources: Vec<NoteId> = vault.note_ids().filter(|&source| source != id).collect();
    mentions_in(vault, &finder, id, &sources)
}

/// The unlinked mentions of `id` that `finder` finds in `sources` (sorted note ids).
fn mentions_in(
    vault: &Vault,
    finder: &MentionFinder,
    id: NoteId,
    sources: &[NoteId],
) -> Vec<Mention> {
    // Scanning dominates for common names, so notes are scanned in parallel, and links
    // are resolved only for notes that do mention the target.
    sources
        .par_iter()
        .map_init(Analyzer::default, |analyzer, &source| {
            let note = vault.note(source);
            let mut found = Vec::new();
            finder.find(note, analyzer, |span, _| {
                found.push(Mention {
                    path: note.path.clone(),
                    span,
                    text: note.text[span.range()].to_string(),
                });
            });
            if !found.is_empty() && links_to(vault, source, id) {
                found.clear();
            }
            found
        })
        .flatten()
        .collect()
}

/// Whether any link of `source` resolves to `target`. Only links that end in the
/// target's file name can, so only those are resolved.
pub(crate) fn links_to(vault: &Vault, source: NoteId, target: NoteId) -> bool {
    let key = normalize_key(vault.note(target).name()).into_owned();
    let note = vault.note(source);
    note.links.iter().any(|link| {
        normalize_key(note_name(link.target(&note.text).trim())) == key.as_str()
            && resolve_link(vault, source, link).target == Some(LinkTarget::Note(target))
    })
}

/// The mentions in note `source` of any note `finder` knows that `source` does not link
/// to, each with the note it names (the `unlinked-mention` rule and the editor's "Link to"
/// action).
pub fn unlinked_mentions_in(
    vault: &Vault,
    resolutions: &[crate::resolve::LinkResolution],
    finder: &MentionFinder,
    source: NoteId,
    analyzer: &mut Analyzer,
) -> Vec<(Mention, NoteId)> {
    let note = vault.note(source);
    let linked = linked_notes(resolutions);
    let mut found = Vec::new();
    finder.find(note, analyzer, |span, targets| {
        for &target in targets {
            if target != source && !linked.contains(&target) {
                let mention = Mention {
                    path: note.path.clone(),
                    span,
                    text: note.text[span.range()].to_string(),
                };
                found.push((mention, target));
            }
        }
    });
    found
}

/// The notes that `source` links to, from any of its links.
fn linked_notes(resolutions: &[crate::resolve::LinkResolution]) -> FxHashSet<NoteId> {
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
    let by_name = Link::to_target(LinkKind::Wiki, name, None);
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
