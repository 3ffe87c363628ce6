//! Term vectors of every note (its body and its declared identity) and document frequencies.

use std::borrow::Cow;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::prose::{ProseCount, prose_count};
use crate::note::{LinkSource, Note, YamlValue};
use crate::text::Span;
use crate::vault::{NoteId, Vault};
use crate::words::{Analyzer, TermId, is_unsegmented, language_from_tag, with_thread_analyzer};

/// Bytes of a body analyzed at most: enough to say what a note is about, and a bound on
/// the cost of a pathological 50 MB note.
pub const MAX_ANALYZED_BYTES: usize = 512 * 1024;

/// Term counts sorted by term id.
pub type TermCounts = Vec<(TermId, u32)>;

/// What one note says (body) and what it declares itself to be (identity).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteTerms {
    /// Terms of the text after the frontmatter.
    pub body: TermCounts,
    /// Terms of the title (or file name), aliases, tags and description.
    pub identity: TermCounts,
    /// How many terms the body has in all (words of unsegmented scripts left out).
    pub body_len: u32,
    /// Body words in a script the analyzer does not segment (Chinese, Japanese, Thai…):
    /// left out of the vectors, since they were not measured.
    pub unmeasured: u32,
    /// Whether the identity has words in such a script.
    pub identity_unmeasured: bool,
    /// Distinct content terms (no digits: `v0` of `v0.0.11` is no subject) of the names the
    /// note declares: title, file name, aliases and description, tags aside.
    pub named_terms: u32,
    /// Links in the body (embeds aside): a note with about as many links as words is an
    /// index, not prose.
    pub body_links: u32,
    /// The body's words, and those of its prose (see [`prose_count`]).
    pub prose: ProseCount,
    /// Whether most body terms are Cyrillic: notes in different scripts cannot be compared
    /// word by word.
    pub cyrillic: bool,
    /// Whether the body echoes the words the note declares (`echoes_declared_words`), once
    /// drift needed to know: it depends on the note alone, so the check cache keeps it and
    /// a warm run does not read the body again for it.
    pub echo: Option<bool>,
}

impl NoteTerms {
    /// Identity and body together: the note as a whole.
    pub fn whole(&self) -> TermCounts {
        merge(&self.body, &self.identity)
    }
}

/// Term vectors and document frequencies over the vault.
#[derive(Clone, Debug, Default)]
pub struct TermStats {
    notes: Vec<NoteTerms>,
    /// Per term: in how many notes (body or identity) it occurs, and its inverse document
    /// frequency, computed once per term rather than once per use (tens of millions of
    /// uses in a 100k-note vault, each a logarithm).
    df: FxHashMap<TermId, Df>,
}

/// A term's document frequency and the inverse document frequency it gives.
#[derive(Clone, Copy, Debug, Default)]
struct Df {
    count: u32,
    idf: f32,
}

/// Inverse document frequency, smoothed: terms in every note still weigh a little.
fn idf_of(notes: usize, df: u32) -> f32 {
    ((1.0 + notes as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Sublinear term frequency, `1 + ln(n)`, from a table for the usual small counts.
fn tf_of(n: u32) -> f32 {
    const SMALL: usize = 64;
    static TABLE: std::sync::OnceLock<[f32; SMALL]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| std::array::from_fn(|i| 1.0 + (i as f32).ln()));
    match table.get(n as usize) {
        Some(tf) => *tf,
        None => 1.0 + (n as f32).ln(),
    }
}

/// The text a note declares itself by: title, aliases, tags and description.
pub fn identity_text(note: &Note) -> String {
    declared_text(note, true)
}

/// Title, file name, aliases, tags (when asked for) and description, one a line.
fn declared_text(note: &Note, tags: bool) -> String {
    let mut text = String::from(note.title());
    if note.title() != note.name() {
        text.push('\n');
        text.push_str(note.name());
    }
    for alias in note.aliases() {
        text.push('\n');
        text.push_str(&alias.name);
    }
    for tag in note.tags.iter().filter(|_| tags) {
        text.push('\n');
        text.push_str(&tag.name);
    }
    if let Some(description) = note.frontmatter.as_ref().and_then(|f| f.description()) {
        text.push('\n');
        text.push_str(description);
    }
    text
}

/// Distinct content terms of a text: measured, and without digits.
fn content_terms(analyzer: &mut Analyzer, text: &str) -> u32 {
    let mut ids: Vec<TermId> = Vec::new();
    analyzer.for_each_term(text, |t| {
        if !t.word.bytes().any(|b| b.is_ascii_digit()) && !is_unsegmented(t.word) {
            ids.push(t.id);
        }
    });
    ids.sort_unstable();
    ids.dedup();
    ids.len() as u32
}

/// The note's body: everything after the frontmatter, without what names other notes or
/// repeats this one's name: link targets and anchors (another note's identity, not this
/// note's words) and headings equal to the title or file name.
pub fn body_text(note: &Note) -> Cow<'_, str> {
    let segments = body_segments(note);
    match segments.as_slice() {
        [one] => Cow::Borrowed(&note.text[one.clone()]),
        many => Cow::Owned(
            many.iter()
                .map(|r| &note.text[r.clone()])
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// The byte ranges [`body_text`] keeps, in order: analyzed one by one, so no copy is made.
pub fn body_segments(note: &Note) -> Vec<Range<usize>> {
    let start = note.frontmatter.as_ref().map_or(0, |f| f.span.end as usize);
    let end = note.text.len();
    let title = note.title().to_lowercase();
    let name = note.name().to_lowercase();
    let mut cut: Vec<Span> = note
        .headings
        .iter()
        .filter(|h| lowercase_is(&h.text, &title) || lowercase_is(&h.text, &name))
        .map(|h| h.span)
        .collect();
    for link in note.links.iter().filter(|l| l.source == LinkSource::Body) {
        cut.push(link.target_span);
        if let Some(anchor) = &link.anchor {
            cut.push(anchor.span);
        }
    }
    cut.retain(|span| span.start as usize >= start && !span.is_empty());
    cut.sort_by_key(|span| span.start);
    let mut segments = Vec::with_capacity(cut.len() + 1);
    let mut at = start.min(end);
    for span in cut {
        let (from, to) = (span.start as usize, (span.end as usize).min(end));
        if from > at {
            segments.push(at..from);
        }
        at = at.max(to);
    }
    if at < end || segments.is_empty() {
        segments.push(at..end);
    }
    segments
}

/// Whether `text.to_lowercase()` is `lower`, compared as it is lowercased: most headings
/// differ from a note's title within a letter, and lowercasing each whole heading was most
/// of [`body_segments`]' time. A capital sigma lowercases by its place in a word, which
/// only the whole text says.
fn lowercase_is(text: &str, lower: &str) -> bool {
    if text.contains('Σ') {
        return text.to_lowercase() == lower;
    }
    text.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// Points the analyzer at the note's language (its `lang` property, when it names one).
pub fn set_note_language(analyzer: &mut Analyzer, note: &Note) {
    let lang = note
        .frontmatter
        .as_ref()
        .and_then(|f| f.get("lang"))
        .and_then(|e| match &e.value.value {
            YamlValue::String(s) => language_from_tag(s),
            _ => None,
        });
    analyzer.set_latin_language(lang.unwrap_or(tantivy::tokenizer::Language::English));
}

/// The terms of some texts: sorted counts and what was left out.
struct Counted {
    counts: TermCounts,
    /// Terms counted.
    len: u32,
    /// Terms that are Cyrillic.
    cyrillic: u32,
    /// Words of unsegmented scripts, left out.
    unmeasured: u32,
}

/// Sorted term counts of the texts; words of unsegmented scripts are left out and counted.
/// `bytes` is about how long the texts are: terms are reserved for, at one in 8 bytes, so
/// the list is not grown term by term.
fn count<'t>(
    analyzer: &mut Analyzer,
    texts: impl IntoIterator<Item = &'t str>,
    bytes: usize,
) -> Counted {
    let mut ids = Vec::with_capacity(bytes.min(MAX_ANALYZED_BYTES) / 8);
    let (mut cyrillic, mut unmeasured) = (0, 0);
    for text in texts {
        analyzer.for_each_term(text, |t| {
            if is_unsegmented(t.word) {
                unmeasured += 1;
                return;
            }
            ids.push(t.id);
            // Cyrillic letters take two bytes and start with 0xD0–0xD4 in UTF-8.
            if matches!(t.word.as_bytes().first(), Some(0xD0..=0xD4)) {
                cyrillic += 1;
            }
        });
    }
    let len = ids.len() as u32;
    ids.sort_unstable();
    let mut counts: TermCounts = Vec::new();
    for id in ids {
        match counts.last_mut() {
            Some((last, n)) if *last == id => *n += 1,
            _ => counts.push((id, 1)),
        }
    }
    // Kept for the vault's lifetime: no spare capacity.
    counts.shrink_to_fit();
    Counted {
        counts,
        len,
        cyrillic,
        unmeasured,
    }
}

/// Analyzes one note.
pub fn note_terms(analyzer: &mut Analyzer, note: &Note) -> NoteTerms {
    set_note_language(analyzer, note);
    let segments = body_segments(note);
    let mut budget = MAX_ANALYZED_BYTES;
    let texts = segments.iter().map_while(|r| {
        if budget == 0 {
            return None;
        }
        let text = &note.text[r.clone()];
        let mut end = text.len().min(budget);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        budget -= end.max(1).min(budget);
        Some(&text[..end])
    });
    let body_bytes = segments.iter().map(|r| r.len()).sum();
    let body = count(analyzer, texts, body_bytes);
    let identity = identity_text(note);
    let identity = count(analyzer, [identity.as_str()], identity.len());
    let named_terms = content_terms(analyzer, &declared_text(note, false));
    let body_links = note
        .links
        .iter()
        .filter(|l| l.source == LinkSource::Body && !l.embed)
        .count() as u32;
    NoteTerms {
        body: body.counts,
        identity: identity.counts,
        body_len: body.len,
        unmeasured: body.unmeasured,
        identity_unmeasured: identity.unmeasured > 0,
        named_terms,
        body_links,
        prose: prose_count(note),
        cyrillic: body.cyrillic * 2 > body.len,
        echo: None,
    }
}

/// Two sorted count lists added together.
fn merge(a: &TermCounts, b: &TermCounts) -> TermCounts {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Identity and body together, term by term as [`NoteTerms::whole`] lists them, without
/// making the list.
fn whole_counts(terms: &NoteTerms) -> impl Iterator<Item = (TermId, u32)> + '_ {
    let (a, b) = (&terms.body, &terms.identity);
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                i += 1;
                j += 1;
                (x.0, x.1 + y.1)
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                *x
            }
            (_, Some(y)) => {
                j += 1;
                *y
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (None, None) => return None,
        };
        Some(next)
    })
}

/// Each distinct term of a note once: body and identity merged.
fn distinct_terms(terms: &NoteTerms) -> impl Iterator<Item = TermId> + '_ {
    whole_counts(terms).map(|(term, _)| term)
}

impl TermStats {
    /// Analyzes every note in parallel and counts document frequencies.
    pub fn build(vault: &Vault) -> TermStats {
        TermStats::build_with(vault, Vec::new())
    }

    /// [`TermStats::build`] taking each note's terms from `known` (by note id) where it has
    /// them: the check cache's, for notes whose text did not change.
    pub fn build_with(vault: &Vault, mut known: Vec<Option<NoteTerms>>) -> TermStats {
        known.resize(vault.notes.len(), None);
        let notes: Vec<NoteTerms> = vault
            .notes
            .par_iter()
            .zip(known)
            .map_init(Analyzer::default, |analyzer, (note, known)| {
                known.unwrap_or_else(|| note_terms(analyzer, note))
            })
            .collect();
        let mut df = notes
            .par_iter()
            .fold(
                FxHashMap::default,
                |mut df: FxHashMap<TermId, Df>, terms| {
                    for id in distinct_terms(terms) {
                        df.entry(id).or_default().count += 1;
                    }
                    df
                },
            )
            .reduce(FxHashMap::default, |a, b| {
                let (small, mut large) = if a.len() < b.len() { (a, b) } else { (b, a) };
                for (id, n) in small {
                    large.entry(id).or_default().count += n.count;
                }
                large
            });
        let n = notes.len();
        for entry in df.values_mut() {
            entry.idf = idf_of(n, entry.count);
        }
        TermStats { notes, df }
    }

    /// Re-analyzes note `id` after its text changed and updates document frequencies.
    pub fn update_note(&mut self, vault: &Vault, id: NoteId) {
        let fresh = with_thread_analyzer(|analyzer| note_terms(analyzer, vault.note(id)));
        let old = std::mem::replace(&mut self.notes[id.0 as usize], fresh);
        let n = self.notes.len();
        for term in distinct_terms(&old) {
            if let Some(entry) = self.df.get_mut(&term) {
                entry.count -= 1;
                entry.idf = idf_of(n, entry.count);
                if entry.count == 0 {
                    self.df.remove(&term);
                }
            }
        }
        for term in distinct_terms(&self.notes[id.0 as usize]) {
            let entry = self.df.entry(term).or_default();
            entry.count += 1;
            entry.idf = idf_of(n, entry.count);
        }
    }

    pub fn note(&self, id: NoteId) -> &NoteTerms {
        &self.notes[id.0 as usize]
    }

    /// Keeps whether note `id`'s body echoes its declared words (see [`NoteTerms::echo`]).
    pub(super) fn set_echo(&mut self, id: NoteId, echo: bool) {
        self.notes[id.0 as usize].echo = Some(echo);
    }

    pub fn len(&self) -> usize {
        self.notes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Inverse document frequency, smoothed: terms in every note still weigh a little.
    pub fn idf(&self, term: TermId) -> f32 {
        match self.df.get(&term) {
            Some(entry) => entry.idf,
            None => idf_of(self.notes.len(), 0),
        }
    }

    /// TF-IDF weights of a count list (sublinear term frequency), in the same order.
    pub fn weights(&self, counts: &TermCounts) -> Vec<(TermId, f32)> {
        counts
            .iter()
            .map(|&(id, n)| (id, tf_of(n) * self.idf(id)))
            .collect()
    }

    /// The TF-IDF weight of a term counted `n` times, as [`TermStats::weights`] gives it.
    fn weight(&self, term: TermId, n: u32) -> f32 {
        tf_of(n) * self.idf(term)
    }

    /// The norm of a whole note's TF-IDF vector (identity and body together), computed as
    /// [`cosine`] computes it from the weights of [`NoteTerms::whole`].
    pub fn whole_norm(&self, terms: &NoteTerms) -> f32 {
        whole_counts(terms)
            .map(|(id, n)| {
                let w = self.weight(id, n);
                w * w
            })
            .sum::<f32>()
            .sqrt()
    }

    /// The cosine of two whole notes under TF-IDF weights, given their norms
    /// ([`TermStats::whole_norm`]): the value [`cosine`] gives for the weights of their
    /// [`NoteTerms::whole`], with neither vector made and only shared terms looked up.
    pub fn whole_cosine(&self, a: &NoteTerms, a_norm: f32, b: &NoteTerms, b_norm: f32) -> f32 {
        if a_norm == 0.0 || b_norm == 0.0 {
            return 0.0;
        }
        let (mut x, mut y) = (whole_counts(a).peekable(), whole_counts(b).peekable());
        let mut dot = 0.0;
        while let (Some(&(i, m)), Some(&(j, n))) = (x.peek(), y.peek()) {
            match i.cmp(&j) {
                std::cmp::Ordering::Less => {
                    x.next();
                }
                std::cmp::Ordering::Greater => {
                    y.next();
                }
                std::cmp::Ordering::Equal => {
                    dot += self.weight(i, m) * self.weight(j, n);
                    x.next();
                    y.next();
                }
            }
        }
        (dot / (a_norm * b_norm)).clamp(0.0, 1.0)
    }

    /// Cosine similarity of two count lists under TF-IDF weights; 0 when either is empty.
    pub fn similarity(&self, a: &TermCounts, b: &TermCounts) -> f32 {
        cosine(&self.weights(a), &self.weights(b))
    }
}

/// Cosine of two sparse vectors sorted by term id.
pub fn cosine(a: &[(TermId, f32)], b: &[(TermId, f32)]) -> f32 {
    let norm = |v: &[(TermId, f32)]| v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    (dot / (na * nb)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn lowercase_is_comparing_whole_lowercase(a in "[aAбБЁΣσς İi]{0,6}", b in "[aAбБёΣσς İi\u{307}]{0,6}") {
            let lower = b.to_lowercase();
            proptest::prop_assert_eq!(super::lowercase_is(&a, &lower), a.to_lowercase() == lower);
            proptest::prop_assert!(super::lowercase_is(&a, &a.to_lowercase()));
        }
    }
}
