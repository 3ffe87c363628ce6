//! A bag of a text's ASCII characters in one `u64`, case folded: a search keeps, per block,
//! the bag of its start, and drops a block whose bag lacks a character of the word it
//! looks for without reading the block.

/// The bit of one byte: one per letter (either case) and digit; the other ASCII bytes
/// share the remaining 28 bits; non-ASCII bytes have none, so a bag says nothing of them.
#[inline]
pub const fn ascii_bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'A'..=b'Z' => 1 << (b - b'A'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        0..=127 => 1 << (36 + b % 28),
        _ => 0,
    }
}

/// [`ascii_bit`] of every byte, looked up rather than computed.
static BITS: [u64; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = ascii_bit(b as u8);
        b += 1;
    }
    table
};

/// The bag of the first `chars` characters of `text`.
pub fn head_bag(text: &str, chars: usize) -> u64 {
    let bytes = text.as_bytes();
    let head = &bytes[..bytes.len().min(chars)];
    if head.is_ascii() {
        // Most blocks start in ASCII: their first `chars` bytes are their first characters.
        return head.iter().fold(0, |bag, &b| bag | BITS[usize::from(b)]);
    }
    let mut bag = 0;
    let mut seen = 0;
    for &b in text.as_bytes() {
        // A byte that starts a character (not a UTF-8 continuation byte).
        if b & 0xC0 != 0x80 {
            if seen == chars {
                break;
            }
            seen += 1;
        }
        bag |= BITS[usize::from(b)];
    }
    bag
}

/// The bag of an ASCII word, or `None` when it has other characters, which a bag cannot
/// rule out.
pub fn word_bag(word: &str) -> Option<u64> {
    word.is_ascii()
        .then(|| word.bytes().fold(0, |bag, b| bag | ascii_bit(b)))
}

#[cfg(test)]
mod tests {
    use super::{head_bag, word_bag};

    #[test]
    fn a_word_is_in_the_bag_of_a_text_that_holds_its_characters() {
        let within = |word: &str, text: &str, chars: usize| {
            let bag = word_bag(word).unwrap();
            bag & !head_bag(text, chars) == 0
        };
        assert!(within("fox", "The Quick FOX", 80));
        assert!(within("qk", "The Quick FOX", 80));
        assert!(!within("fox", "The Quick FOX", 10), "past the head");
        assert!(within("fo", "The Quick FOX", 12));
        assert!(!within("z", "The Quick FOX", 80));
        assert!(within("a-1", "1 a-", 80));
        // Characters, not bytes: the head of `éé fox` is five characters long.
        assert!(within("f", "éé fox", 4) && !within("o", "éé fox", 4));
        assert_eq!(word_bag("café"), None);
    }
}
