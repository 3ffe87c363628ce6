//! Words for drift detection and the search index: splitting, stems and stop words.
//!
//! Text is split and lowercased as tantivy's `SimpleTokenizer`, `RemoveLongFilter` and
//! `LowerCaser` would (by [`split_words`], which is faster on Cyrillic); each word then
//! goes through the stop-word list and Snowball stemmer of its
//! language. The language is chosen per word by script: Cyrillic words are Russian, every
//! other word takes the note's language (English unless its `lang` property names another
//! language tantivy can stem). Results are cached per word, since vaults repeat their words.

mod cache;

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, StopWordFilter, TextAnalyzer};

use cache::WordCache;

/// Words longer than this many bytes are dropped (hashes, base64, URLs glued together).
const MAX_WORD_BYTES: usize = 40;

/// The stable identity of a stemmed term: a 32-bit hash of its text. Term vectors of every
/// note stay in memory, and 32 bits halve them (an id and a count or weight fit in 8 bytes).
/// A vault of a million distinct stems has about a hundred colliding pairs: two rare words
/// counted as one, which moves a similarity by far less than its calibration notices.
pub type TermId = u32;

/// The id of a stem, as [`Analyzer`] computes it.
pub fn term_id(stem: &str) -> TermId {
    let mut hasher = FxHasher::default();
    stem.hash(&mut hasher);
    let hash = hasher.finish();
    // FxHash mixes into the high bits: fold them in.
    ((hash >> 32) ^ hash) as u32
}

/// One analyzed word: the word lowercased, its stem and the stem's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term<'a> {
    pub id: TermId,
    pub stem: &'a str,
    pub word: &'a str,
}

thread_local! {
    static THREAD_ANALYZER: RefCell<Analyzer> = RefCell::new(Analyzer::default());
}

/// Runs `f` with this thread's analyzer, whose stem cache outlives the call: parallel
/// workers keep their caches across notes and across runs.
pub fn with_thread_analyzer<R>(f: impl FnOnce(&mut Analyzer) -> R) -> R {
    THREAD_ANALYZER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut analyzer) => f(&mut analyzer),
        // Re-entered from inside `f`: a fresh analyzer keeps this correct.
        Err(_) => f(&mut Analyzer::default()),
    })
}

/// One word of a text with its place: what [`Analyzer::for_each_word`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word lowercased.
    pub word: &'a str,
    /// Byte range of the word in the analyzed text.
    pub start: usize,
    pub end: usize,
    /// Index of the word among the text's words, stop words included.
    pub position: usize,
    /// The word's stem and its id; `None` for stop words, numbers and single letters.
    pub term: Option<(TermId, &'a str)>,
}

/// A reusable analyzer; keep one per thread, since it caches stems.
pub struct Analyzer {
    /// The current word, lowercased.
    lowered: String,
    russian: TextAnalyzer,
    latin: TextAnalyzer,
    latin_language: Language,
    /// Every word is its own term: no stop words, no stemming (languages tantivy cannot stem).
    plain: bool,
    /// Lowercase word → its stem and id, or `None` for stop words and noise.
    cache: WordCache,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(Language::English)
    }
}

impl Analyzer {
    /// An analyzer whose non-Cyrillic words are in `latin_language`.
    pub fn new(latin_language: Language) -> Analyzer {
        Analyzer {
            lowered: String::new(),
            russian: word_analyzer(Language::Russian),
            latin: word_analyzer(latin_language),
            latin_language,
            plain: false,
            cache: WordCache::default(),
        }
    }

    /// An analyzer that only lowercases: every word is a term, whatever its script.
    pub fn plain() -> Analyzer {
        Analyzer {
            plain: true,
            ..Analyzer::default()
        }
    }

    /// Whether this analyzer only lowercases (see [`Analyzer::plain`]).
    pub fn is_plain(&self) -> bool {
        self.plain
    }

    /// Switches the language of non-Cyrillic words (a note's `lang` property); a plain
    /// analyzer starts stemming.
    pub fn set_latin_language(&mut self, language: Language) {
        if self.plain {
            self.plain = false;
            self.cache.clear();
        }
        if language != self.latin_language {
            self.latin = word_analyzer(language);
            self.latin_language = language;
            self.cache.clear();
        }
    }

    /// Calls `f` with every term of `text`, in order; stop words and noise are skipped.
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(Term<'_>)) {
        self.for_each_word(text, |w| {
            if let Some((id, stem)) = w.term {
                f(Term {
                    id,
                    stem,
                    word: w.word,
                });
            }
        });
    }

    /// Calls `f` with every word of `text`, in order, stop words and noise included,
    /// with its byte range and position (search needs both for phrases and highlights).
    pub fn for_each_word(&mut self, text: &str, mut f: impl FnMut(Word<'_>)) {
        let Analyzer {
            lowered,
            russian,
            latin,
            plain,
            cache,
            ..
        } = self;
        split_words(text, lowered, |start, end, position, word| {
            let entry = match cache.get(word) {
                Some(entry) => entry,
                None => cache.insert(word, || {
                    if *plain {
                        Some((term_id(word), word.into()))
                    } else {
                        analyze_word(word, russian, latin)
                    }
                }),
            };
            f(Word {
                word,
                start,
                end,
                position,
                term: entry.as_ref().map(|(id, stem)| (*id, &**stem)),
            });
        });
    }

    /// The terms of `text` as owned stems, in order (tests and messages).
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |t| out.push(t.stem.to_string()));
        out
    }
}

/// Calls `f` with each word of `text` (a maximal run of alphanumeric characters), its
/// byte range, its position and its lowercased form, exactly as tantivy's
/// `SimpleTokenizer` + `RemoveLongFilter` + `LowerCaser` would, words of
/// [`MAX_WORD_BYTES`] or more left out (their positions still count). Latin and Cyrillic
/// letters skip the Unicode tables, which dominate analysis time otherwise, and a word
/// already in lowercase is handed over as it is written, without a copy.
pub fn split_words(text: &str, lowered: &mut String, mut f: impl FnMut(usize, usize, usize, &str)) {
    let mut position = 0;
    each_word(text, |start, end, case| {
        if end - start < MAX_WORD_BYTES {
            let word = &text[start..end];
            match case {
                Case::Lower => f(start, end, position, word),
                Case::AsciiUpper => {
                    lowered.clear();
                    lowered.push_str(word);
                    lowered.make_ascii_lowercase();
                    f(start, end, position, lowered);
                }
                Case::Other => {
                    lowered.clear();
                    for ch in word.chars() {
                        push_lowercase(lowered, ch);
                    }
                    f(start, end, position, lowered);
                }
            }
        }
        position += 1;
    });
}

/// Calls `f` with the byte range of each word [`split_words`] reports, in order, without
/// lowercasing it: for callers that count words and need not read them.
pub fn word_spans(text: &str, mut f: impl FnMut(usize, usize)) {
    each_word(text, |start, end, _| {
        if end - start < MAX_WORD_BYTES {
            f(start, end);
        }
    });
}

/// What lowercasing a word takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Nothing: ASCII lowercase letters and digits, Russian lowercase letters.
    Lower,
    /// ASCII only, some of it uppercase.
    AsciiUpper,
    /// Any other word: character by character.
    Other,
}

/// The class of each byte: [`NOT_WORD`] for ASCII that is not alphanumeric, [`LOWER`] for
/// ASCII lowercase letters and digits, [`UPPER`] for ASCII uppercase letters, [`WIDE`]
/// for the bytes that start or continue a character of two bytes or more. Each class but
/// the first is a bit of its own, so a word's classes can be or-ed together.
static CLASS: [u8; 256] = {
    let mut table = [NOT_WORD; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte >= 0x80 {
            WIDE
        } else if byte.is_ascii_uppercase() {
            UPPER
        } else if byte.is_ascii_alphanumeric() {
            LOWER
        } else {
            NOT_WORD
        };
        b += 1;
    }
    table
};
const NOT_WORD: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const WIDE: u8 = 4;

/// The loop [`split_words`] and [`word_spans`] share: calls `f` with the byte range of
/// every word of `text`, long ones included, and what lowercasing it takes. Runs of ASCII
/// go byte by byte through [`CLASS`]; other characters are decoded one at a time.
#[inline(always)]
fn each_word(text: &str, mut f: impl FnMut(usize, usize, Case)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        // Skip to the next word; `at` always stays on a character boundary.
        match CLASS[usize::from(byte)] {
            NOT_WORD => {
                at += 1;
                continue;
            }
            WIDE => {
                let (is_word, _, len) = wide_char_at(text, at);
                if !is_word {
                    at += len;
                    continue;
                }
            }
            _ => {}
        }
        let start = at;
        let mut classes = 0u8;
        let mut other = false;
        loop {
            while let Some(&byte) = bytes.get(at) {
                let class = CLASS[usize::from(byte)];
                if class != LOWER && class != UPPER {
                    break;
                }
                classes |= class;
                at += 1;
            }
            match bytes.get(at) {
                Some(&byte) if byte >= 0x80 => {
                    let (is_word, lower, len) = wide_char_at(text, at);
                    if !is_word {
                        break;
                    }
                    classes |= WIDE;
                    other |= !lower;
                    at += len;
                }
                _ => break,
            }
        }
        let case = if classes & UPPER == 0 && !other {
            Case::Lower
        } else if classes & WIDE == 0 {
            Case::AsciiUpper
        } else {
            Case::Other
        };
        f(start, at, case);
    }
}

/// For the character at byte `at` (a character boundary, not ASCII): whether it is part of
/// a word, whether it is a Russian lowercase letter (which lowercasing keeps), and its
/// length in bytes. A two-byte character (Latin with accents, Greek, Cyrillic…) is
/// decoded by hand.
#[inline(always)]
fn wide_char_at(text: &str, at: usize) -> (bool, bool, usize) {
    let bytes = text.as_bytes();
    let byte = bytes[at];
    if byte & 0xE0 == 0xC0
        && let Some(&next) = bytes.get(at + 1)
    {
        // `text` is UTF-8 and `at` a boundary: a two-byte lead byte has its continuation.
        let code = (u32::from(byte & 0x1F) << 6) | u32::from(next & 0x3F);
        if matches!(code, 0x0430..=0x044F | 0x0451) {
            return (true, true, 2);
        }
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        return (is_word_char(c), false, 2);
    }
    let c = text[at..]
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER);
    (is_word_char(c), false, c.len_utf8())
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        matches!(c, '\u{0410}'..='\u{044F}' | 'Ё' | 'ё') || c.is_alphanumeric()
    }
}

#[inline(always)]
fn push_lowercase(out: &mut String, c: char) {
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        _ if c.is_ascii() => out.push(c),
        '\u{0410}'..='\u{042F}' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        'Ё' => out.push('ё'),
        '\u{0430}'..='\u{044F}' | 'ё' => out.push(c),
        _ => push_lowercase_slow(out, c),
    }
}

/// Characters outside ASCII and the Russian alphabet, through the Unicode tables.
#[inline(never)]
fn push_lowercase_slow(out: &mut String, c: char) {
    out.extend(c.to_lowercase());
}

/// English stop words: tantivy's (Lucene's) short list and the common function words it
/// lacks, which say nothing of a subject either.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
    "yours",
];

/// Stop-word filter and stemmer for one already lowercased word.
fn word_analyzer(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(RawTokenizer::default()).dynamic();
    let stop = match language {
        Language::English => Some(StopWordFilter::remove(
            ENGLISH_STOP_WORDS.iter().map(|w| w.to_string()),
        )),
        _ => StopWordFilter::new(language),
    };
    let builder = match stop {
        Some(stop) => builder.filter_dynamic(stop),
        None => builder,
    };
    builder.filter_dynamic(Stemmer::new(language)).build()
}

fn analyze_word(
    word: &str,
    russian: &mut TextAnalyzer,
    latin: &mut TextAnalyzer,
) -> Option<(TermId, Box<str>)> {
    // Numbers and single letters carry no subject.
    if word.chars().nth(1).is_none() || word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let analyzer = if word.chars().any(is_cyrillic) {
        russian
    } else {
        latin
    };
    let mut stream = analyzer.token_stream(word);
    if !stream.advance() {
        return None;
    }
    let stem: Box<str> = stream.token().text.as_str().into();
    Some((term_id(&stem), stem))
}

/// Whether `word` is written in a script that separates words without spaces and that
/// [`split_words`] does not segment (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan):
/// such a "word" is a whole phrase or sentence, so its terms measure nothing, and drift must
/// not judge a note by them.
#[inline]
pub fn is_unsegmented(word: &str) -> bool {
    // Every such script lies above U+0E00: three bytes or more in UTF-8.
    word.bytes().any(|b| b >= 0xE0) && word.chars().any(is_unsegmented_char)
}

fn is_unsegmented_char(c: char) -> bool {
    matches!(
        c as u32,
        0x0E00..=0x0FFF // Thai, Lao, Tibetan
            | 0x1000..=0x109F // Myanmar
            | 0x1780..=0x17FF | 0x19E0..=0x19FF // Khmer
            | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F // Hiragana, Katakana
            | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF // Han
    )
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

/// The stemming language named by a `lang` property (`en`, `de`, `French`, `pt-BR`…).
pub fn language_from_tag(tag: &str) -> Option<Language> {
    let tag = tag.trim().to_ascii_lowercase();
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    let language = match primary {
        "ar" | "arabic" => Language::Arabic,
        "da" | "danish" => Language::Danish,
        "nl" | "dutch" => Language::Dutch,
        "en" | "english" => Language::English,
        "fi" | "finnish" => Language::Finnish,
        "fr" | "french" => Language::French,
        "de" | "german" => Language::German,
        "el" | "greek" => Language::Greek,
        "hu" | "hungarian" => Language::Hungarian,
        "it" | "italian" => Language::Italian,
        "no" | "nb" | "nn" | "norwegian" => Language::Norwegian,
        "pt" | "portuguese" => Language::Portuguese,
        "ro" | "romanian" => Language::Romanian,
        "ru" | "russian" => Language::Russian,
        "es" | "spanish" => Language::Spanish,
        "sv" | "swedish" => Language::Swedish,
        "ta" | "tamil" => Language::Tamil,
        "tr" | "turkish" => Language::Turkish,
        _ => return None,
    };
    Some(language)
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer};

    use super::*;

    /// What tantivy's own pipeline makes of `text`.
    fn tantivy_words(text: &str) -> Vec<(usize, usize, usize, String)> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.offset_from, t.offset_to, t.position, t.text.clone()));
        }
        out
    }

    fn our_words(text: &str) -> Vec<(usize, usize, usize, String)> {
        let mut out = Vec::new();
        split_words(text, &mut String::new(), |s, e, p, w| {
            out.push((s, e, p, w.to_string()))
        });
        out
    }

    #[test]
    fn split_words_is_tantivys_pipeline() {
        let long = "ё".repeat(25);
        for text in [
            "Hello, happy TAX payer!",
            "ЁЖИК и ёлка — AGI-Двойник's 2025 İstanbul ǅemal Straße ΣΊΣΥΦΟΣ 東京タワー ٣٤",
            &format!("a {long} b {}", "x".repeat(39)),
            "",
            "  ...  ",
        ] {
            assert_eq!(our_words(text), tantivy_words(text), "{text:?}");
        }
    }

    fn spans(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        word_spans(text, |s, e| out.push((s, e)));
        out
    }

    fn split_spans(text: &str) -> Vec<(usize, usize)> {
        our_words(text)
            .into_iter()
            .map(|(s, e, _, _)| (s, e))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn word_spans_are_split_words_ranges(text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(spans(&text), split_spans(&text));
        }

        #[test]
        fn word_spans_are_split_words_ranges_in_mixed_scripts(text in "[a-zA-Zа-яА-ЯёЁ0-9 ,.İẞΣ-]{0,120}") {
            proptest::prop_assert_eq!(spans(&text), split_spans(&text));
        }

        #[test]
        fn split_words_matches_tantivy_on_any_text(text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(our_words(&text), tantivy_words(&text));
        }

        #[test]
        fn split_words_matches_tantivy_on_mixed_scripts(text in "[a-zA-Zа-яА-ЯёЁ0-9 ,.İẞΣ-]{0,120}") {
            proptest::prop_assert_eq!(our_words(&text), tantivy_words(&text));
        }
    }

    #[test]
    fn stems_english_and_russian_by_script() {
        let mut a = Analyzer::default();
        assert_eq!(
            a.terms("The Architectures of reasoning"),
            ["architectur", "reason"]
        );
        assert_eq!(
            a.terms("Архитектурный перенос и архитектура"),
            {
                let mut b = Analyzer::default();
                let stems = b.terms("архитектурный перенос архитектура");
                assert_eq!(stems.len(), 3);
                stems
            }
        );
        // Mixed text: each word by its own script.
        let mixed = a.terms("AGI-Двойник exports");
        assert_eq!(mixed, ["agi", "двойник", "export"]);
    }

    #[test]
    fn drops_stop_words_numbers_and_long_words() {
        let mut a = Analyzer::default();
        let long = "x".repeat(60);
        assert_eq!(
            a.terms(&format!("the 2025 a и в не {long} notes")),
            ["note"]
        );
    }

    #[test]
    fn same_stem_same_id_from_cache_or_not() {
        let mut a = Analyzer::default();
        let mut ids = Vec::new();
        a.for_each_term("linking links linked", |t| ids.push(t.id));
        assert_eq!(ids.len(), 3);
        assert!(ids.iter().all(|&id| id == term_id("link")), "{ids:?}");
    }

    #[test]
    fn words_keep_offsets_positions_and_stop_words() {
        let mut a = Analyzer::default();
        let text = "The linking of Заметки";
        let mut words = Vec::new();
        a.for_each_word(text, |w| {
            words.push((
                w.word.to_string(),
                &text[w.start..w.end],
                w.position,
                w.term.map(|t| t.1.to_string()),
            ))
        });
        assert_eq!(
            words,
            [
                ("the".into(), "The", 0, None),
                ("linking".into(), "linking", 1, Some("link".into())),
                ("of".into(), "of", 2, None),
                ("заметки".into(), "Заметки", 3, Some("заметк".into())),
            ]
        );
    }

    #[test]
    fn plain_analyzer_only_lowercases() {
        let mut a = Analyzer::plain();
        assert!(a.is_plain());
        assert_eq!(
            a.terms("The Linking 42 заметки"),
            ["the", "linking", "42", "заметки"]
        );
        a.set_latin_language(Language::English);
        assert!(!a.is_plain());
        assert_eq!(a.terms("The Linking 42"), ["link"]);
    }

    #[test]
    fn unsegmented_scripts_are_recognized() {
        for word in ["ベースの作成", "列表视图", "bases構文", "มุมมอง", "ការកំណត់"]
        {
            assert!(is_unsegmented(word), "{word}");
        }
        for word in ["notes", "заметки", "ΣΊΣΥΦΟΣ", "한국어", "straße", "٣٤"] {
            assert!(!is_unsegmented(word), "{word}");
        }
    }

    #[test]
    fn lang_property_switches_latin_stemmer() {
        assert_eq!(language_from_tag("de-AT"), Some(Language::German));
        assert_eq!(language_from_tag("klingon"), None);
        let mut a = Analyzer::default();
        a.set_latin_language(Language::German);
        assert_eq!(a.terms("Häuser"), ["haus"]);
        // Cyrillic words stay Russian whatever the note's language.
        assert_eq!(a.terms("заметки"), ["заметк"]);
    }
}
