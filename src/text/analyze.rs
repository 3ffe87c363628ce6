//! Text analysis shared by drift detection and the future search index: words, stems, stop words.
//!
//! Text is split and lowercased with tantivy's `SimpleTokenizer`, `RemoveLongFilter` and
//! `LowerCaser`; each word then goes through the stop-word list and Snowball stemmer of its
//! language. The language is chosen per word by script: Cyrillic words are Russian, every
//! other word takes the note's language (English unless its `lang` property names another
//! language tantivy can stem). Results are cached per word, since vaults repeat their words.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer,
};

/// Words longer than this many bytes are dropped (hashes, base64, URLs glued together).
const MAX_WORD_BYTES: usize = 40;
/// The per-word cache is cleared when it grows past this many entries.
const MAX_CACHED_WORDS: usize = 200_000;

/// The stable identity of a stemmed term: a 64-bit hash of its text.
pub type TermId = u64;

/// The id of a stem, as [`Analyzer`] computes it.
pub fn term_id(stem: &str) -> TermId {
    let mut hasher = FxHasher::default();
    stem.hash(&mut hasher);
    hasher.finish()
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

/// A reusable analyzer; keep one per thread, since it caches stems.
pub struct Analyzer {
    words: TextAnalyzer,
    russian: TextAnalyzer,
    latin: TextAnalyzer,
    latin_language: Language,
    /// Lowercase word → its stem and id, or `None` for stop words and noise.
    cache: FxHashMap<Box<str>, Option<(TermId, Box<str>)>>,
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
            words: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
                .filter(LowerCaser)
                .build(),
            russian: word_analyzer(Language::Russian),
            latin: word_analyzer(latin_language),
            latin_language,
            cache: FxHashMap::default(),
        }
    }

    /// Switches the language of non-Cyrillic words (a note's `lang` property).
    pub fn set_latin_language(&mut self, language: Language) {
        if language != self.latin_language {
            self.latin = word_analyzer(language);
            self.latin_language = language;
            self.cache.clear();
        }
    }

    /// Calls `f` with every term of `text`, in order; stop words and noise are skipped.
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(Term<'_>)) {
        let Analyzer {
            words,
            russian,
            latin,
            cache,
            ..
        } = self;
        if cache.len() > MAX_CACHED_WORDS {
            cache.clear();
        }
        let mut stream = words.token_stream(text);
        while stream.advance() {
            let word = stream.token().text.as_str();
            let entry = match cache.get(word) {
                Some(entry) => entry,
                None => {
                    let analyzed = analyze_word(word, russian, latin);
                    cache.entry(word.into()).or_insert(analyzed)
                }
            };
            if let Some((id, stem)) = entry {
                f(Term {
                    id: *id,
                    stem,
                    word,
                });
            }
        }
    }

    /// The terms of `text` as owned stems, in order (tests and messages).
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |t| out.push(t.stem.to_string()));
        out
    }
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
    use super::*;

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
