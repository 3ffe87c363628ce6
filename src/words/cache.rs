//! The analyzer's word cache: a word's stem and id, kept in two generations of bounded
//! size so that the words a thread keeps meeting stay cached and the others are let go.
//!
//! Vaults repeat their words, so most lookups hit. A language server, though, sees new
//! words all its life (typing `x` into a word makes one), and its threads live as long
//! as it does: one map that only grows, or one cleared at a large size (whose table keeps
//! its capacity), held tens of megabytes per thread after a few hours of editing.

use rustc_hash::FxHashMap;

use super::TermId;

/// A word's stem and its id, or `None` for stop words and noise.
pub type Entry = Option<(TermId, Box<str>)>;

/// Words per generation. A thread keeps at most twice this many (about 110 bytes each:
/// a few megabytes); a word met again while in the old generation moves to the young one.
pub const GENERATION: usize = 1 << 14;

/// The two generations. Lookups try the young one, then the old; when the young one is
/// full it becomes the old one and the previous old one is freed.
#[derive(Default)]
pub struct WordCache {
    young: FxHashMap<Box<str>, Entry>,
    old: FxHashMap<Box<str>, Entry>,
}

impl WordCache {
    /// The entry of a word met recently.
    pub fn get(&self, word: &str) -> Option<&Entry> {
        self.young.get(word)
    }

    /// Keeps `word`'s entry, taken from the old generation or made by `analyze`.
    pub fn insert(&mut self, word: &str, analyze: impl FnOnce() -> Entry) -> &Entry {
        let entry = self.old.remove(word).unwrap_or_else(analyze);
        if self.young.len() >= GENERATION {
            // Replaced, not cleared: a cleared map keeps its table.
            self.old = std::mem::take(&mut self.young);
        }
        self.young.entry(word.into()).or_insert(entry)
    }

    /// Forgets every word (the analyzer's language changed).
    pub fn clear(&mut self) {
        *self = WordCache::default();
    }

    /// Words cached in both generations.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(word: &str) -> Entry {
        Some((super::super::term_id(word), word.into()))
    }

    #[test]
    fn new_words_without_end_keep_two_generations_and_the_words_met_again() {
        let mut cache = WordCache::default();
        let mut made = 0;
        for n in 0..10 * GENERATION {
            let word = format!("w{n}");
            if cache.get(&word).is_none() {
                cache.insert(&word, || {
                    made += 1;
                    entry(&word)
                });
            }
            // A word met all the time stays, whatever else comes.
            if cache.get("often").is_none() {
                cache.insert("often", || {
                    made += 1;
                    entry("often")
                });
            }
            assert!(cache.len() <= 2 * GENERATION, "{} words kept", cache.len());
        }
        assert_eq!(made, 10 * GENERATION + 1, "each word analyzed once");
        assert_eq!(cache.get("often"), Some(&entry("often")));
    }
}
