//! Name keys (NFC + lowercase) and vault path arithmetic, shared by the name index,
//! resolution and fixes.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Longest ASCII key built on the stack by [`with_key`].
const INLINE_KEY: usize = 128;

/// The lookup key of a name or path: Unicode NFC, then Unicode lowercase.
///
/// Borrows when the text is already a key (ASCII without capitals), which is the
/// common case for link targets, so most lookups allocate nothing.
pub fn normalize_key(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else if s.is_ascii() {
        Cow::Owned(s.to_ascii_lowercase())
    } else if let Some(key) = simple_key(s) {
        Cow::Owned(key)
    } else if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        // Most text is already NFC: skip the composing pass.
        Cow::Owned(s.to_lowercase())
    } else {
        let nfc: String = s.nfc().collect();
        Cow::Owned(nfc.to_lowercase())
    }
}

/// The lowercase of a character of ASCII or the Russian alphabet, which NFC leaves as it
/// is and whose lowercase is one character; `None` for any other character. Names, paths
/// and headings in these scripts skip the Unicode composition and case tables, which
/// cost thousands of instructions a name.
#[inline]
pub fn simple_lowercase(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        _ if c.is_ascii() => Some(c),
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20),
        'Ё' => Some('ё'),
        '\u{0430}'..='\u{044F}' | 'ё' => Some(c),
        _ => None,
    }
}

/// The key of a text whose every character has a [`simple_lowercase`]: that of
/// [`normalize_key`], without its tables.
fn simple_key(s: &str) -> Option<String> {
    let mut key = String::with_capacity(s.len());
    for c in s.chars() {
        key.push(simple_lowercase(c)?);
    }
    Some(key)
}

/// Calls `f` with the key of `s` ([`normalize_key`]), building short ASCII keys on
/// the stack so that a lookup does not allocate.
pub fn with_key<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if s.is_ascii() && s.len() <= INLINE_KEY {
        let mut buf = [0u8; INLINE_KEY];
        let buf = &mut buf[..s.len()];
        for (out, b) in buf.iter_mut().zip(s.bytes()) {
            *out = b.to_ascii_lowercase();
        }
        // Lowercased ASCII is still ASCII, so this cannot fail.
        f(std::str::from_utf8(buf).unwrap_or_default())
    } else {
        f(&normalize_key(s))
    }
}

/// The folder part of a vault path (`a/b` for `a/b/c.md`, empty at the root).
pub fn parent_folder(path: &str) -> &str {
    last_slash(path).map_or("", |i| &path[..i])
}

/// The last segment of a path.
pub fn file_name(path: &str) -> &str {
    last_slash(path).map_or(path, |i| &path[i + 1..])
}

fn last_slash(path: &str) -> Option<usize> {
    // A plain loop: names are short, and memrchr's setup costs more than it saves.
    path.bytes().rposition(|b| b == b'/')
}

/// Resolves `.` and `..` segments and drops empty ones (`a//b`, a trailing `/`).
///
/// Returns `None` when the path climbs above the vault root. Borrows when there is
/// nothing to do.
pub fn normalize_segments(path: &str) -> Option<Cow<'_, str>> {
    let bytes = path.as_bytes();
    // Without a dot or a doubled, leading or trailing slash there is nothing to do.
    let quick_clean = !path.is_empty()
        && !bytes.contains(&b'.')
        && bytes[0] != b'/'
        && bytes[bytes.len() - 1] != b'/'
        && !path.contains("//");
    let clean = quick_clean
        || path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
    if clean {
        return Some(Cow::Borrowed(path));
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            _ => out.push(seg),
        }
    }
    Some(Cow::Owned(out.join("/")))
}

/// `rel` taken relative to `folder`, then normalized; `None` above the root.
pub fn join_relative(folder: &str, rel: &str) -> Option<String> {
    let joined = if folder.is_empty() {
        rel.to_owned()
    } else {
        format!("{folder}/{rel}")
    };
    match normalize_segments(&joined)? {
        Cow::Borrowed(_) => Some(joined),
        Cow::Owned(normalized) => Some(normalized),
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn simple_keys_are_nfc_lowercase(s in "[a-zA-Z0-9 ._/а-яА-ЯёЁйЙ\u{0306}\u{0308}éΣ-]{0,24}") {
            use unicode_normalization::UnicodeNormalization;
            let full = s.nfc().collect::<String>().to_lowercase();
            proptest::prop_assert_eq!(super::normalize_key(&s).into_owned(), full);
        }
    }

    use super::*;

    #[test]
    fn keys_are_nfc_lowercase() {
        assert!(matches!(normalize_key("notes/a"), Cow::Borrowed("notes/a")));
        assert_eq!(normalize_key("Notes/A"), "notes/a");
        assert_eq!(normalize_key("Заметка"), "заметка");
        // "é" written as e + combining acute becomes the single code point.
        assert_eq!(normalize_key("Cafe\u{301}"), "caf\u{e9}");
        assert_eq!(normalize_key("Caf\u{c9}"), "caf\u{e9}");
        assert_eq!(with_key("Notes/A b", str::to_owned), "notes/a b");
        assert_eq!(with_key("Cafe\u{301}", str::to_owned), "caf\u{e9}");
        let long = "X".repeat(INLINE_KEY + 1);
        assert_eq!(with_key(&long, str::to_owned), "x".repeat(INLINE_KEY + 1));
    }

    #[test]
    fn segments() {
        assert_eq!(normalize_segments("a/b").as_deref(), Some("a/b"));
        assert_eq!(normalize_segments("a/./b//c/").as_deref(), Some("a/b/c"));
        assert_eq!(normalize_segments("a/../b").as_deref(), Some("b"));
        assert_eq!(normalize_segments("a/../../b"), None);
        assert_eq!(normalize_segments("/a").as_deref(), Some("a"));
        assert_eq!(normalize_segments("a//b").as_deref(), Some("a/b"));
        assert_eq!(normalize_segments("a.b/c.md").as_deref(), Some("a.b/c.md"));
        assert_eq!(normalize_segments("..a/b").as_deref(), Some("..a/b"));
        assert_eq!(join_relative("x/y", "../z.md").as_deref(), Some("x/z.md"));
        assert_eq!(join_relative("", "../z.md"), None);
        assert_eq!(join_relative("x", "../../etc/passwd"), None);
        assert_eq!(parent_folder("a/b/c.md"), "a/b");
        assert_eq!(parent_folder("c.md"), "");
        assert_eq!(file_name("a/b/c.md"), "c.md");
        assert_eq!(file_name("c.md"), "c.md");
        assert_eq!(file_name("a/"), "");
    }
}
