//! Links to any block or heading of the vault (help page "Internal links"): `[[^^words`
//! searches every paragraph, list item, quote and table, `[[##words` every heading. A
//! block without an id gets one when chosen: ` ^id` at the end of a paragraph or list
//! item, or `^id` on a line of its own after a quote or table, as Obsidian requires.

use rayon::prelude::*;

use super::fuzzy;
use super::suggestion::{Insert, LinkAnchor, NewBlockId, Suggestion, SuggestionKind, link_span};
use crate::analysis::Analysis;
use crate::note::{Block, BlockKind, Note};
use crate::resolve::heading_source;
use crate::vault::NoteId;

/// Suggestions shown at most; the list is always incomplete, so clients ask again.
pub const MAX_ANCHORS: usize = 100;
/// Characters of a block shown in its label.
const LABEL_CHARS: usize = 70;
/// Characters at a block's start where a word not found as written may match fuzzily:
/// about its label, and a bound on the cost of a query with a typo.
const FUZZY_CHARS: usize = 80;

/// What `[[` is followed by: `^^` searches blocks, `##` headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Search {
    Blocks,
    Headings,
}

/// One match before it becomes a suggestion.
struct Hit {
    score: i64,
    note: NoteId,
    /// Index into the note's blocks or headings.
    index: usize,
}

impl Analysis {
    /// Blocks after `[[^^words`, headings after `[[##words`, best first; `None` elsewhere.
    /// `seed` makes the ids new blocks get (six lowercase letters and digits, unique in
    /// their note); the server passes a random one, tests a fixed one.
    pub fn vault_anchor_suggestions(
        &self,
        id: NoteId,
        offset: usize,
        seed: u64,
    ) -> Option<Vec<Suggestion>> {
        let note = self.vault.note(id);
        let (open, search, query) = typed_search(note, offset)?;
        let (replace, embed) = link_span(note, open, offset);
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        // Words as written first; only when that finds too little, fuzzily too.
        let mut hits = self.anchor_hits(id, offset, search, &words, false);
        if hits.len() < MAX_ANCHORS && !words.is_empty() {
            hits = self.anchor_hits(id, offset, search, &words, true);
        }
        let order = |a: &Hit, b: &Hit| {
            b.score
                .cmp(&a.score)
                .then(a.note.cmp(&b.note))
                .then(a.index.cmp(&b.index))
        };
        if hits.len() > MAX_ANCHORS {
            hits.select_nth_unstable_by(MAX_ANCHORS, order);
            hits.truncate(MAX_ANCHORS);
        }
        hits.sort_by(order);
        let filter = note.text[replace.start as usize..offset].to_owned();
        let suggestion = |hit: &Hit| {
            let target = self.vault.note(hit.note);
            let (label, detail, anchor, new_block_id, kind) = match search {
                Search::Headings => {
                    let h = &target.headings[hit.index];
                    (
                        h.text.clone(),
                        format!("{} {}", target.path, "#".repeat(h.level as usize)),
                        LinkAnchor::Heading(heading_source(target, hit.index).to_owned()),
                        None,
                        SuggestionKind::Heading,
                    )
                }
                Search::Blocks => {
                    let block = &target.blocks[hit.index];
                    let existing = target.block_ids.iter().find(|b| b.block_span == block.span);
                    let (block_id, new) = match existing {
                        Some(b) => (b.id.clone(), None),
                        None => {
                            let fresh = new_id(target, seed, hit);
                            let edit = NewBlockId {
                                note: target.path.clone(),
                                offset: id_offset(block),
                                text: id_text(target, block, &fresh),
                            };
                            (fresh, Some(edit))
                        }
                    };
                    (
                        block_label(&target.text[block.span.range()]),
                        format!("{} ^{block_id}", target.path),
                        LinkAnchor::Block(block_id),
                        new,
                        SuggestionKind::Block,
                    )
                }
            };
            Suggestion {
                label,
                kind,
                detail: Some(detail),
                replace,
                insert: Insert::Link {
                    path: target.path.clone(),
                    anchor: Some(anchor),
                    embed,
                },
                filter: filter.clone(),
                new_block_id,
            }
        };
        Some(hits.iter().map(suggestion).collect())
    }

    /// Every block or heading that matches the words, in no order.
    fn anchor_hits(
        &self,
        id: NoteId,
        offset: usize,
        search: Search,
        words: &[String],
        fuzzy: bool,
    ) -> Vec<Hit> {
        let notes = &self.vault.notes;
        (0..notes.len())
            .into_par_iter()
            .fold(Vec::new, |mut hits, n| {
                let target = &notes[n];
                let note_id = NoteId(n as u32);
                let texts: Box<dyn Iterator<Item = (usize, &str)>> = match search {
                    Search::Blocks => {
                        Box::new(target.blocks.iter().enumerate().filter_map(|(i, b)| {
                            // The block being written in is not a target.
                            let here = note_id == id
                                && b.span.start as usize <= offset
                                && offset <= b.span.end as usize;
                            (!here).then(|| (i, &target.text[b.span.range()]))
                        }))
                    }
                    Search::Headings => Box::new(
                        target
                            .headings
                            .iter()
                            .enumerate()
                            .map(|(i, h)| (i, h.text.as_str())),
                    ),
                };
                for (index, text) in texts {
                    if let Some(score) = score_words(words, text, fuzzy) {
                        hits.push(Hit {
                            score,
                            note: note_id,
                            index,
                        });
                    }
                }
                hits
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            })
    }
}

/// `[[` before the cursor followed by `^^` or `##` and the words typed so far.
fn typed_search(note: &Note, offset: usize) -> Option<(usize, Search, &str)> {
    let text = &note.text[..offset];
    let line_start = text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let open = line_start + text[line_start..].rfind("[[")?;
    let inner = &text[open + 2..];
    if inner.contains('|') || inner.contains("]]") {
        return None;
    }
    if let Some(query) = inner.strip_prefix("^^") {
        Some((open, Search::Blocks, query))
    } else {
        inner
            .strip_prefix("##")
            .map(|query| (open, Search::Headings, query))
    }
}

/// How well `text` matches the query's words (lowercase), higher is better: each word
/// as a substring, best at a word's start and early; with `fuzzy`, a word found nowhere
/// falls back to the fuzzy matcher over the text's first `FUZZY_CHARS` characters. `None` when a word does not
/// match. Shorter texts rank first among equals.
fn score_words(words: &[String], text: &str, fuzzy: bool) -> Option<i64> {
    let mut score: i64 = 0;
    for word in words {
        score += match find_ignore_case(text, word) {
            Some(at) => {
                let bytes = text.as_bytes();
                let word_start = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
                let early = 40 - (at as i64).min(400) / 10;
                100 + if word_start { 50 } else { 0 } + early
            }
            None if fuzzy => {
                // Bounded, so that a query with a typo does not read every block whole;
                // a bytewise test first, as most blocks fail it.
                let head = prefix_chars(text, FUZZY_CHARS);
                if word.is_ascii() && !ascii_subsequence(word.as_bytes(), head.as_bytes()) {
                    return None;
                }
                fuzzy::score(word, head)? / 4
            }
            None => return None,
        };
    }
    Some(score - (text.len() as i64).min(2000) / 20)
}

/// The first byte offset of `word` (lowercase) in `text`, ignoring case. ASCII words
/// are searched bytewise with `memchr` on their first letter; others through a
/// lowercased copy.
fn find_ignore_case(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return Some(0);
    }
    if !word.is_ascii() {
        let lower = text.to_lowercase();
        // Lowercasing can change lengths outside ASCII: the offset is approximate there.
        return lower.find(word).map(|i| i.min(text.len()));
    }
    let w = word.as_bytes();
    let bytes = text.as_bytes();
    let first = w[0];
    let upper = first.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(first, upper, &bytes[from..]) {
        let at = from + i;
        match bytes.get(at..at + w.len()) {
            Some(candidate) if candidate.eq_ignore_ascii_case(w) => return Some(at),
            Some(_) => from = at + 1,
            None => return None,
        }
    }
    None
}

/// Whether `word` (lowercase ASCII) is a subsequence of `text`, ignoring ASCII case.
fn ascii_subsequence(word: &[u8], text: &[u8]) -> bool {
    let mut want = word.iter();
    let mut next = want.next();
    for b in text {
        match next {
            Some(w) if b.to_ascii_lowercase() == *w => next = want.next(),
            Some(_) => {}
            None => return true,
        }
    }
    next.is_none()
}

/// At most `n` characters of `text`.
fn prefix_chars(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// A block's first line without its list or quote markers, shortened.
fn block_label(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let line = line.trim_start_matches(['>', ' ', '\t']);
    let line = line
        .strip_prefix("- [ ] ")
        .or_else(|| line.strip_prefix("- [x] "))
        .or_else(|| line.strip_prefix("- "))
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
        .or_else(|| {
            let digits = line.find(|c: char| !c.is_ascii_digit())?;
            (digits > 0)
                .then(|| line[digits..].strip_prefix(". "))
                .flatten()
        })
        .unwrap_or(line)
        .trim();
    if line.chars().count() > LABEL_CHARS {
        format!("{}…", prefix_chars(line, LABEL_CHARS).trim_end())
    } else {
        line.to_owned()
    }
}

/// Where a new id goes: after a paragraph's or list item's own text, after a quote or
/// table.
fn id_offset(block: &Block) -> usize {
    match block.kind {
        BlockKind::Paragraph | BlockKind::ListItem => block.text_end as usize,
        BlockKind::Quote | BlockKind::Table => block.span.end as usize,
    }
}

/// The text inserted at [`id_offset`]: ` ^id` on the line, or `^id` on a line of its own
/// with a blank line before and after (help page "Internal links").
fn id_text(note: &Note, block: &Block, id: &str) -> String {
    match block.kind {
        BlockKind::Paragraph | BlockKind::ListItem => format!(" ^{id}"),
        BlockKind::Quote | BlockKind::Table => {
            let after = &note.text[block.span.end as usize..];
            let rest = after
                .strip_prefix("\r\n")
                .or_else(|| after.strip_prefix('\n'))
                .unwrap_or(after);
            let blank_follows = rest.is_empty() || rest.starts_with(['\n', '\r']);
            let newline = if note.text.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            if blank_follows {
                format!("{newline}{newline}^{id}")
            } else {
                format!("{newline}{newline}^{id}{newline}")
            }
        }
    }
}

/// Six lowercase letters and digits, as Obsidian's ids, from `seed` and the hit, and not
/// already an id in the note.
fn new_id(note: &Note, seed: u64, hit: &Hit) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = seed ^ ((hit.note.0 as u64) << 32 | hit.index as u64);
    loop {
        let mut x = splitmix(&mut state);
        let id: String = (0..6)
            .map(|_| {
                let c = ALPHABET[(x % ALPHABET.len() as u64) as usize];
                x /= ALPHABET.len() as u64;
                c as char
            })
            .collect();
        if !note
            .block_ids
            .iter()
            .any(|b| b.id.eq_ignore_ascii_case(&id))
        {
            return id;
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::{block_label, find_ignore_case, score_words};

    #[test]
    fn finds_words_ignoring_case() {
        assert_eq!(find_ignore_case("The Quick fox", "quick"), Some(4));
        assert_eq!(find_ignore_case("aaab", "ab"), Some(2));
        assert_eq!(find_ignore_case("abc", "abcd"), None);
        let score = |words: &[&str], text: &str, fuzzy: bool| {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            score_words(&words, text, fuzzy)
        };
        assert!(score(&["fox", "quick"], "The quick fox", false).is_some());
        assert!(score(&["zzz"], "The quick fox", true).is_none());
        // A word start beats the middle of a word.
        assert!(score(&["gem"], "a gem here", false) > score(&["gem"], "a stratagem", false));
        // A typo matches only fuzzily, and below the word as written.
        assert!(score(&["qiuck"], "The quick fox", false).is_none());
        assert!(score(&["qick"], "The quick fox", true) < score(&["quick"], "The quick fox", true));
    }

    #[test]
    fn labels_drop_markers_and_shorten() {
        assert_eq!(block_label("- [ ] buy milk\n  - more"), "buy milk");
        assert_eq!(block_label("> [!note] Title\n> body"), "[!note] Title");
        assert_eq!(block_label("12. twelfth"), "twelfth");
        assert_eq!(block_label(&"word ".repeat(30)).chars().count(), 70);
    }
}
