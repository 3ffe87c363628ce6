//! Whether a body still uses the words its note declares, in some form: inflected,
//! compounded, with a particle or article glued on. No stemmer needed, so a note in a
//! language stemmed as English, or not stemmed at all, is not called drifted because its
//! title word appears in the body in another grammatical form.

use rustc_hash::FxHashSet;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::note::Note;
use crate::words::{Analyzer, is_unsegmented};

use super::terms::{MAX_ANALYZED_BYTES, body_segments, identity_text, set_note_language};

/// Letters of a word that say which word it is, whatever its ending: the first five.
const ECHO_PREFIX_CHARS: usize = 5;
/// Letters two words must share in one run to be forms of one word (a compound's part, a
/// word with a prefix glued on); two for syllabic scripts, whose letters are syllables.
const SHARED_CHARS: usize = 4;
const SHARED_SYLLABLES: usize = 2;
/// The share of the shorter word that run must cover.
const SHARED_SHARE: f64 = 0.6;

/// Whether the body echoes what the note declares: a third of the content words of its
/// title, its file name or one of its aliases, or of all its declared words (tags and
/// description included), each found in the body in some form. A body rewritten about
/// something else echoes none of them.
pub fn echoes_declared_words(analyzer: &mut Analyzer, note: &Note) -> bool {
    set_note_language(analyzer, note);
    let mut names: Vec<Vec<String>> = vec![content_words(analyzer, &identity_text(note))];
    names.push(content_words(analyzer, note.title()));
    names.push(content_words(analyzer, note.name()));
    for alias in note.aliases() {
        names.push(content_words(analyzer, &alias.name));
    }
    names.retain(|words| !words.is_empty());
    if names.is_empty() {
        return false;
    }
    let body = body_words(analyzer, note);
    names.iter().any(|words| {
        let echoed = words.iter().filter(|d| echoed(d, &body)).count();
        echoed * 3 >= words.len()
    })
}

/// The distinct content words of a text, lowercased: no stop words, no numbers, nothing
/// in an unsegmented script.
fn content_words(analyzer: &mut Analyzer, text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    analyzer.for_each_term(text, |t| {
        if !t.word.bytes().any(|b| b.is_ascii_digit()) && !is_unsegmented(t.word) {
            words.push(t.word.to_owned());
        }
    });
    words.sort_unstable();
    words.dedup();
    words
}

/// The distinct words of the body, stop words included (a declared word may be one in
/// the language the analyzer assumed and not in the note's own).
fn body_words(analyzer: &mut Analyzer, note: &Note) -> FxHashSet<Box<str>> {
    let mut words = FxHashSet::default();
    let mut budget = MAX_ANALYZED_BYTES;
    for segment in body_segments(note) {
        if budget == 0 {
            break;
        }
        let text = &note.text[segment];
        let mut end = text.len().min(budget);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        budget -= end.max(1).min(budget);
        analyzer.for_each_word(&text[..end], |w| {
            if !words.contains(w.word) {
                words.insert(w.word.into());
            }
        });
    }
    words
}

/// Whether some body word is a form of `declared`.
fn echoed(declared: &str, body: &FxHashSet<Box<str>>) -> bool {
    body.contains(declared) || body.iter().any(|w| same_word(declared, w))
}

/// Whether two lowercase words are forms of one word, accents aside (Greek and Slovak
/// accents move as words inflect): the same first five letters (`päivitä`, `päivitykset`),
/// or a long enough run of letters in common (`tagspanel` and `panelet`, `الاسترداد` and
/// `للاسترداد`, `언어` and `언어로`).
fn same_word(a: &str, b: &str) -> bool {
    let a = letters(a);
    let b = letters(b);
    let prefix = ECHO_PREFIX_CHARS;
    if a.len().min(prefix) == b.len().min(prefix)
        && a[..a.len().min(prefix)] == b[..b.len().min(prefix)]
    {
        return true;
    }
    let shorter = a.len().min(b.len());
    let syllabic = a.iter().chain(&b).any(|c| is_syllabic(*c));
    let least = if syllabic {
        SHARED_SYLLABLES
    } else {
        SHARED_CHARS
    };
    let needed = least.max((shorter as f64 * SHARED_SHARE).ceil() as usize);
    shorter >= needed && longest_common_run(&a, &b) >= needed
}

/// A word's letters without their accents and other combining marks.
fn letters(word: &str) -> Vec<char> {
    if word.is_ascii() {
        return word.chars().collect();
    }
    word.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Hangul, whose letters are syllables: a two-letter word is a whole word.
fn is_syllabic(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// The length of the longest run of characters the two words share.
fn longest_common_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { 0 };
            best = best.max(row[j + 1]);
            diagonal = above;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::same_word;

    #[test]
    fn forms_of_one_word() {
        // Inflected, compounded, with a particle glued on.
        assert!(same_word("päivitä", "päivitykset"));
        assert!(same_word("tagspanel", "panelet"));
        assert!(same_word("الاسترداد", "للاسترداد"));
        assert!(same_word("גרור", "לגרור"));
        assert!(same_word("ושחרר", "לשחרר"));
        assert!(same_word("언어", "언어로"));
        assert!(same_word("einstellungen", "spracheinstellungen"));
        // Accents aside.
        assert!(same_word("ασφάλεια", "ασφαλείας"));
        assert!(same_word("pusť", "pustiť"));
    }

    #[test]
    fn different_words() {
        assert!(!same_word("repetition", "material"));
        assert!(!same_word("art", "start"));
        assert!(!same_word("설정", "언어"));
    }
}
