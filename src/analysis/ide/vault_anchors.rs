//! Links to any block or heading of the vault (help page "Internal links"): `[[^^words`
//! searches every paragraph, list item, quote and table, `[[##words` every heading. A
//! block without an id gets one when chosen: ` ^id` at the end of a paragraph or list
//! item, or `^id` on a line of its own after a quote or table, as Obsidian requires.

use rayon::prelude::*;

use super::fuzzy;
use super::suggestion::{Insert, LinkAnchor, NewBlockId, Suggestion, SuggestionKind, link_span};
use crate::analysis::Analysis;
use crate::note::{BLOCK_HEAD_CHARS, Block, BlockKind, Note};
use crate::resolve::heading_source;
use crate::text::{head_bag, word_bag};
use crate::vault::NoteId;

/// Suggestions shown at most; the list is always incomplete, so clients ask again.
pub const MAX_ANCHORS: usize = 100;
/// Characters of a block shown in its label.
const LABEL_CHARS: usize = 70;
/// Characters at a block's start where a word not found as written may match fuzzily:
/// about its label, and a bound on the cost of a query with a typo. Blocks keep the bag
/// of these characters from their parse.
const FUZZY_CHARS: usize = BLOCK_HEAD_CHARS;

/// What `[[` is followed by: `^^` searches blocks, `##` headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Search {
    Blocks,
    Headings,
}

/// One match before it becomes a suggestion.
#[derive(Clone, Copy)]
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
        let words: Vec<Word> = query.split_whitespace().map(Word::new).collect();
        let mut hits = self.anchor_hits(id, offset, search, &words);
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

    /// Every block or heading that matches the words, in no order: those that hold every
    /// word as written; when they are fewer than [`MAX_ANCHORS`], those that match some
    /// words only fuzzily too. One pass reads every block; the fuzzy matcher then runs only
    /// on the blocks whose start holds the characters of the first word not found.
    fn anchor_hits(&self, id: NoteId, offset: usize, search: Search, words: &[Word]) -> Vec<Hit> {
        let notes = &self.vault.notes;
        let text_of = |note: NoteId, index: usize| -> &str {
            let target = &notes[note.0 as usize];
            match search {
                Search::Blocks => &target.text[target.blocks[index].span.range()],
                Search::Headings => &target.headings[index].text,
            }
        };
        let (mut hits, maybe) = (0..notes.len())
            .into_par_iter()
            .fold(
                || (Vec::new(), Vec::new()),
                |(mut hits, mut maybe), n| {
                    let target = &notes[n];
                    let note_id = NoteId(n as u32);
                    let mut take =
                        |index: usize, text: &str, head: &dyn Fn() -> u64| match score_exact(
                            words, text, head,
                        ) {
                            Exact::Hit(score) => hits.push(Hit {
                                score,
                                note: note_id,
                                index,
                            }),
                            Exact::Maybe(partial) => maybe.push((
                                Hit {
                                    score: partial.score,
                                    note: note_id,
                                    index,
                                },
                                partial.missing,
                            )),
                            Exact::No => {}
                        };
                    match search {
                        Search::Blocks => {
                            for (index, b) in target.blocks.iter().enumerate() {
                                // The block being written in is not a target.
                                let here = note_id == id
                                    && b.span.start as usize <= offset
                                    && offset <= b.span.end as usize;
                                if !here {
                                    take(index, &target.text[b.span.range()], &|| b.head_bag);
                                }
                            }
                        }
                        Search::Headings => {
                            for (index, h) in target.headings.iter().enumerate() {
                                // The bag only of headings a word misses.
                                take(index, &h.text, &|| head_bag(&h.text, FUZZY_CHARS));
                            }
                        }
                    }
                    (hits, maybe)
                },
            )
            .reduce(
                || (Vec::new(), Vec::new()),
                |(mut a, mut am), (mut b, mut bm)| {
                    a.append(&mut b);
                    am.append(&mut bm);
                    (a, am)
                },
            );
        if hits.len() < MAX_ANCHORS && !maybe.is_empty() {
            let fuzzy: Vec<Hit> = maybe
                .par_iter()
                .filter_map(|&(hit, missing)| {
                    let text = text_of(hit.note, hit.index);
                    let partial = hit.score + fuzzy_word(&words[missing].text, text)?;
                    let score = score_from(&words[missing + 1..], text, true, partial)?;
                    Some(Hit { score, ..hit })
                })
                .collect();
            hits.extend(fuzzy);
        }
        hits
    }
}

/// A word of the query, lowercase, with the bag of its characters (`None` outside ASCII).
struct Word {
    text: String,
    bag: Option<u64>,
}

impl Word {
    fn new(word: &str) -> Word {
        let text = word.to_lowercase();
        let bag = word_bag(&text);
        Word { text, bag }
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// A text against the words as written: a hit, or a miss that the fuzzy matcher may
/// still take (the start's bag holds the characters of the first word missing), or not.
enum Exact {
    Hit(i64),
    Maybe(Partial),
    No,
}

/// Where the words as written stopped: the score of those before `missing`.
#[derive(Clone, Copy)]
struct Partial {
    score: i64,
    missing: usize,
}

fn score_exact(words: &[Word], text: &str, head: impl FnOnce() -> u64) -> Exact {
    let mut score: i64 = 0;
    for (missing, word) in words.iter().enumerate() {
        match find_ignore_case(text, &word.text) {
            Some(at) => score += exact_score(text, at),
            None => {
                return match word.bag {
                    Some(bag) if bag & !head() != 0 => Exact::No,
                    _ => Exact::Maybe(Partial { score, missing }),
                };
            }
        }
    }
    Exact::Hit(score - length_cost(text))
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
/// falls back to the fuzzy matcher over the text's first `FUZZY_CHARS` characters. `None`
/// when a word does not match. Shorter texts rank first among equals.
#[cfg(test)]
fn score_words<W: AsRef<str>>(words: &[W], text: &str, fuzzy: bool) -> Option<i64> {
    score_from(words, text, fuzzy, 0)
}

/// The score of `words` in `text` added to `score`, as `score_words` counts it.
fn score_from<W: AsRef<str>>(words: &[W], text: &str, fuzzy: bool, score: i64) -> Option<i64> {
    let mut score = score;
    for word in words {
        let word = word.as_ref();
        score += match find_ignore_case(text, word) {
            Some(at) => exact_score(text, at),
            None if fuzzy => fuzzy_word(word, text)?,
            None => return None,
        };
    }
    Some(score - length_cost(text))
}

/// The score of a word not found as written, matched fuzzily over the text's start:
/// bounded, so that a query with a typo does not read every block whole, and below any
/// word found as written.
fn fuzzy_word(word: &str, text: &str) -> Option<i64> {
    let head = prefix_chars(text, FUZZY_CHARS);
    // A bytewise test first, as most texts fail it.
    if word.is_ascii() && !ascii_subsequence(word.as_bytes(), head.as_bytes()) {
        return None;
    }
    Some(fuzzy::score(word, head)? / 4)
}

/// The score of a word found as written at `at`.
fn exact_score(text: &str, at: usize) -> i64 {
    let bytes = text.as_bytes();
    let word_start = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
    let early = 40 - (at as i64).min(400) / 10;
    100 + if word_start { 50 } else { 0 } + early
}

/// What a text's length takes off its score: shorter texts first among equals.
fn length_cost(text: &str) -> i64 {
    (text.len() as i64).min(2000) / 20
}

/// The first byte offset of `word` (lowercase) in `text`, ignoring case. ASCII words
/// are searched bytewise with `memchr` on their rarest letter, so that the search stops
/// seldom; others through a lowercased copy.
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
    if bytes.len() < w.len() {
        return None;
    }
    // Matches are found in the order of their rare byte, so of their start: the first
    // one that holds is the first in the text.
    let k = (0..w.len()).min_by_key(|&i| commonness(w[i]))?;
    let (lower, upper) = (w[k], w[k].to_ascii_uppercase());
    let mut from = k;
    while let Some(i) = memchr::memchr2(lower, upper, &bytes[from..]) {
        let start = from + i - k;
        match bytes.get(start..start + w.len()) {
            Some(candidate) if candidate.eq_ignore_ascii_case(w) => return Some(start),
            Some(_) => from += i + 1,
            None => return None,
        }
    }
    None
}

/// How common a byte is in prose, 0 for the rarest letter: letters by their frequency in
/// English, anything else in the middle.
fn commonness(b: u8) -> usize {
    const RAREST_FIRST: &[u8] = b"zqjxkvbpygfwmucldrhsnioate";
    RAREST_FIRST.iter().position(|&l| l == b).unwrap_or(10)
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
        // The first match, whichever of its letters the search looks for.
        assert_eq!(find_ignore_case("jazz jazz", "azz"), Some(1));
        assert_eq!(find_ignore_case("zebra Zebu zeb", "zeb"), Some(0));
        assert_eq!(find_ignore_case("ab", "b"), Some(1));
        assert_eq!(find_ignore_case("a", "ab"), None);
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
