//! The index schema, the per-note language modes and the tokenizer that applies them.
//!
//! Words are analyzed by [`crate::words::Analyzer`], the analyzer the coherence
//! rules use. Each text value carries its note's mode as a short private-use prefix, so
//! one tantivy tokenizer can stem each note in its own language.

use std::ops::Range;

use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, SimpleTokenizer, TextAnalyzer, Token, TokenStream,
    Tokenizer,
};
use tantivy::{Index, TantivyDocument};

use super::prose::prose_text;
use crate::note::{Note, YamlValue, strip_md_extension};
use crate::words::{Analyzer, language_from_tag};

/// Bumped whenever the schema or the analysis changes, so older caches are rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

/// The tokenizer of title, alias, heading and body values.
const NOTE_TOKENIZER: &str = "twin_note";
/// Lowercased words of paths, for `path:` queries.
const PATH_TOKENIZER: &str = "twin_path";
/// Whole lowercased values, for tags.
const TAG_TOKENIZER: &str = "twin_tag";

/// Opens and closes the mode prefix of a text value.
const MODE_OPEN: char = '\u{E000}';
const MODE_CLOSE: char = '\u{E001}';

/// Characters read to guess the script of a note without `lang`.
const SCRIPT_SAMPLE_CHARS: usize = 512;

/// How a note's words become terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Stop words and Snowball stems: Cyrillic words in Russian, others in this language.
    Stem(Language),
    /// Lowercased words only, for languages tantivy cannot stem.
    Plain,
}

impl Mode {
    /// English for Latin words and Russian for Cyrillic ones: notes without `lang`.
    pub const DEFAULT: Mode = Mode::Stem(Language::English);

    /// The mode of a note: its `lang` property, else the script of its text.
    pub fn of_note(note: &Note) -> Mode {
        let lang = note
            .frontmatter
            .as_ref()
            .and_then(|f| f.get("lang"))
            .and_then(|e| match &e.value.value {
                YamlValue::String(s) => Some(s.as_str()),
                _ => None,
            });
        match lang {
            Some(tag) => language_from_tag(tag).map_or(Mode::Plain, Mode::Stem),
            None if mostly_other_script(&note.text) => Mode::Plain,
            None => Mode::DEFAULT,
        }
    }

    /// A short stable name, kept in the manifest.
    pub fn code(self) -> String {
        match self {
            Mode::Plain => "plain".to_string(),
            Mode::Stem(language) => format!("{language:?}").to_ascii_lowercase(),
        }
    }

    pub fn from_code(code: &str) -> Option<Mode> {
        if code == "plain" {
            return Some(Mode::Plain);
        }
        language_from_tag(code).map(Mode::Stem)
    }
}

/// Whether most letters of the text's start are neither Latin nor Cyrillic (CJK, Greek…).
fn mostly_other_script(text: &str) -> bool {
    let (mut known, mut other) = (0u32, 0u32);
    for c in text.chars().take(SCRIPT_SAMPLE_CHARS) {
        // Latin and Cyrillic are decided by range: the Unicode tables are slow.
        if c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{0400}'..='\u{052F}')
        {
            known += 1;
        } else if !c.is_ascii() && c.is_alphabetic() {
            other += 1;
        }
    }
    other > known
}

/// One term as the index sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexTerm<'a> {
    pub text: &'a str,
    /// Position among the words of the value, stop words included.
    pub position: usize,
    /// Byte range of the word it came from.
    pub span: (usize, usize),
}

/// One analyzer per mode, created on first use; their word caches stay warm.
#[derive(Default)]
pub struct Analyzers {
    stem: Vec<(Language, Analyzer)>,
    plain: Option<Analyzer>,
}

impl Analyzers {
    pub fn get(&mut self, mode: Mode) -> &mut Analyzer {
        match mode {
            Mode::Plain => self.plain.get_or_insert_with(Analyzer::plain),
            Mode::Stem(language) => {
                let i = match self.stem.iter().position(|(l, _)| *l == language) {
                    Some(i) => i,
                    None => {
                        self.stem.push((language, Analyzer::new(language)));
                        self.stem.len() - 1
                    }
                };
                &mut self.stem[i].1
            }
        }
    }

    /// Calls `f` with every term `text` yields under `mode`: stems, and numbers kept as
    /// written so that years and versions can be searched.
    pub fn for_each_term(&mut self, mode: Mode, text: &str, mut f: impl FnMut(IndexTerm<'_>)) {
        self.get(mode).for_each_word(text, |w| {
            let term = match w.term {
                Some((_, stem)) => stem,
                // Single digits too: names such as `Chapter 9` must be found as phrases.
                None if w.word.bytes().all(|b| b.is_ascii_digit()) => w.word,
                None => return,
            };
            f(IndexTerm {
                text: term,
                position: w.position,
                span: (w.start, w.end),
            });
        });
    }
}

/// The fields of the index.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The note's vault path, untokenized and stored: the key for updates.
    pub path: Field,
    /// Lowercased words of the path.
    pub path_words: Field,
    pub title: Field,
    pub aliases: Field,
    pub headings: Field,
    pub body: Field,
    /// Tags lowercased, each with its parents (`a/b` also gives `a`).
    pub tags: Field,
}

impl Fields {
    /// The fields searched by plain words and phrases, with their boosts.
    pub fn text_fields(&self) -> [(Field, f32); 4] {
        [
            (self.title, 4.0),
            (self.aliases, 3.0),
            (self.headings, 2.0),
            (self.body, 1.0),
        ]
    }
}

/// The schema and its fields.
pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        path: builder.add_text_field("path", STRING | STORED),
        path_words: builder.add_text_field("path_words", text(PATH_TOKENIZER, positions)),
        title: builder.add_text_field("title", text(NOTE_TOKENIZER, positions)),
        aliases: builder.add_text_field("aliases", text(NOTE_TOKENIZER, positions)),
        headings: builder.add_text_field("headings", text(NOTE_TOKENIZER, positions)),
        body: builder.add_text_field("body", text(NOTE_TOKENIZER, positions)),
        tags: builder.add_text_field("tags", text(TAG_TOKENIZER, IndexRecordOption::Basic)),
    };
    (builder.build(), fields)
}

/// The fields of an index built with [`build_schema`], or `None` for another schema.
pub fn fields_of(index: &Index) -> Option<Fields> {
    let (expected, fields) = build_schema();
    (index.schema() == expected).then_some(fields)
}

/// Registers twin's tokenizers on an index (needed after every open).
pub fn register_tokenizers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(NOTE_TOKENIZER, NoteTokenizer::default());
    manager.register(
        PATH_TOKENIZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
    manager.register(
        TAG_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// The lowercased words of a path without its `.md`, as `path_words` holds them.
pub fn path_words(path: &str) -> Vec<String> {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build();
    let mut stream = analyzer.token_stream(path);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The index document of a note.
pub fn note_document(fields: &Fields, note: &Note, mode: Mode) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &*note.path);
    doc.add_text(fields.path_words, strip_md_extension(&note.path));
    let with_mode = |text: &str| with_mode(mode, text);
    doc.add_text(fields.title, with_mode(note.title()));
    if note.title() != note.name() {
        doc.add_text(fields.title, with_mode(note.name()));
    }
    for alias in note.aliases() {
        doc.add_text(fields.aliases, with_mode(&alias.name));
    }
    for heading in &note.headings {
        doc.add_text(fields.headings, with_mode(&heading.text));
    }
    doc.add_text(fields.body, with_mode(&prose_text(note)));
    for tag in searchable_tags(note) {
        doc.add_text(fields.tags, tag);
    }
    doc
}

/// The note's tags as `tag:` finds them: lowercased, without `#`, each nested tag also
/// under each of its parents (as in Obsidian), sorted and without repeats.
pub fn searchable_tags(note: &Note) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in &note.tags {
        let name = tag.name.trim_start_matches('#').to_lowercase();
        for (i, _) in name.match_indices('/') {
            tags.push(name[..i].to_string());
        }
        tags.push(name);
    }
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// A text value with its mode prefix (none for the default mode).
fn with_mode(mode: Mode, text: &str) -> String {
    if mode == Mode::DEFAULT {
        return text.to_string();
    }
    let code = mode.code();
    let mut out = String::with_capacity(text.len() + code.len() + 6);
    out.push(MODE_OPEN);
    out.push_str(&code);
    out.push(MODE_CLOSE);
    out.push_str(text);
    out
}

/// Splits a value into its mode and its text.
fn split_mode(value: &str) -> (Mode, &str) {
    if let Some(rest) = value.strip_prefix(MODE_OPEN)
        && let Some((code, text)) = rest.split_once(MODE_CLOSE)
        && let Some(mode) = Mode::from_code(code)
    {
        return (mode, text);
    }
    (Mode::DEFAULT, value)
}

/// The tantivy tokenizer of note text: reads the mode prefix, then yields the terms of
/// [`Analyzers::for_each_term`]. Buffers are reused from one value to the next.
#[derive(Default)]
pub struct NoteTokenizer {
    analyzers: Analyzers,
    terms: Vec<(Range<usize>, usize, Range<usize>)>,
    stems: String,
}

impl Clone for NoteTokenizer {
    fn clone(&self) -> Self {
        // Each indexing thread gets its own analyzers; caches refill quickly.
        NoteTokenizer::default()
    }
}

impl Tokenizer for NoteTokenizer {
    type TokenStream<'a> = NoteTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, value: &'a str) -> NoteTokenStream<'a> {
        let (mode, text) = split_mode(value);
        let offset = value.len() - text.len();
        self.terms.clear();
        self.stems.clear();
        let NoteTokenizer {
            analyzers,
            terms,
            stems,
        } = self;
        analyzers.for_each_term(mode, text, |t| {
            let at = stems.len();
            stems.push_str(t.text);
            terms.push((
                at..stems.len(),
                t.position,
                t.span.0 + offset..t.span.1 + offset,
            ));
        });
        NoteTokenStream {
            terms: &self.terms,
            stems: &self.stems,
            next: 0,
            token: Token::default(),
        }
    }
}

pub struct NoteTokenStream<'a> {
    terms: &'a [(Range<usize>, usize, Range<usize>)],
    stems: &'a str,
    next: usize,
    token: Token,
}

impl TokenStream for NoteTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((stem, position, span)) = self.terms.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.text.clear();
        self.token.text.push_str(&self.stems[stem.clone()]);
        self.token.position = *position;
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::note::parse_note;

    fn tokens(value: &str) -> Vec<(String, usize)> {
        let mut tokenizer = NoteTokenizer::default();
        let mut stream = tokenizer.token_stream(value);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn default_mode_stems_by_script_and_keeps_numbers() {
        assert_eq!(
            tokens("The linking of заметки in 2024"),
            [
                ("link".to_string(), 1),
                ("заметк".to_string(), 3),
                ("2024".to_string(), 5)
            ]
        );
    }

    #[test]
    fn mode_prefix_switches_language() {
        let german = with_mode(Mode::Stem(Language::German), "Häuser");
        assert_eq!(tokens(&german), [("haus".to_string(), 0)]);
        let plain = with_mode(Mode::Plain, "The Linking");
        assert_eq!(
            tokens(&plain),
            [("the".to_string(), 0), ("linking".to_string(), 1)]
        );
    }

    #[test]
    fn note_mode_from_lang_or_script() {
        let mode = |text: &str| Mode::of_note(&parse_note(Arc::from("n.md"), Arc::from(text)));
        assert_eq!(mode("plain English"), Mode::DEFAULT);
        assert_eq!(mode("Русский текст"), Mode::DEFAULT);
        assert_eq!(
            mode("---\nlang: de\n---\nText"),
            Mode::Stem(Language::German)
        );
        assert_eq!(mode("---\nlang: ja\n---\nText"), Mode::Plain);
        assert_eq!(mode("Ελληνικό κείμενο εδώ"), Mode::Plain);
        for m in [Mode::Plain, Mode::DEFAULT, Mode::Stem(Language::Russian)] {
            assert_eq!(Mode::from_code(&m.code()), Some(m));
        }
    }
}
