//! What the documentation tests share: the pages (README.md and `docs/`), their fenced
//! blocks and links, running the real binary, and comparing its output with a sample.
//!
//! A sample may leave parts out: a line `...` stands for any number of lines, `[..]` for
//! any text within a line; in a JSON sample, the string `"[..]"` stands for any value and a
//! last array element `"..."` for any further elements.

#![allow(dead_code)]

pub mod markdown;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[allow(unused_imports)]
pub use markdown::{Block, Page, pages};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real `twin` with `args` from the repository's root, with its caches in `cache`
/// and no colour.
pub fn twin(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twin"))
        .args(args)
        .current_dir(root())
        .env("TWIN_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .env_remove("TWIN_TIMINGS")
        .stdin(Stdio::null())
        .output()
        .expect("run twin")
}

/// Splits a sample's command line into words, as a shell would for plain words and quotes.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Whether `actual` matches the sample `expected`: as JSON when the sample is JSON, else
/// line by line with `...` and `[..]`.
pub fn matches(expected: &str, actual: &str) -> bool {
    let trimmed = expected.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let Ok(want) = serde_json::from_str::<Value>(expected) else {
            return false;
        };
        let Ok(got) = serde_json::from_str::<Value>(actual) else {
            return false;
        };
        return json_matches(&want, &got);
    }
    let want: Vec<&str> = expected.lines().map(str::trim_end).collect();
    let got: Vec<&str> = actual.lines().map(str::trim_end).collect();
    lines_match(&want, &got)
}

/// Lines with `...` standing for any number of lines.
pub fn lines_match(want: &[&str], got: &[&str]) -> bool {
    match want.split_first() {
        None => got.is_empty(),
        Some((&"...", rest)) => (0..=got.len()).any(|skip| lines_match(rest, &got[skip..])),
        Some((line, rest)) => match got.split_first() {
            Some((first, more)) => line_matches(line, first) && lines_match(rest, more),
            None => false,
        },
    }
}

/// One line, with `[..]` standing for any text.
pub fn line_matches(want: &str, got: &str) -> bool {
    let parts: Vec<&str> = want.split("[..]").collect();
    if parts.len() == 1 {
        return want == got;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !got.starts_with(first) || !got[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &got[first.len()..got.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn json_matches(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::String(w), _) if w == "[..]" => true,
        (Value::String(w), Value::String(g)) => line_matches(w, g),
        (Value::Number(w), Value::Number(g)) => w.as_f64() == g.as_f64(),
        (Value::Array(w), Value::Array(g)) => {
            let open = w.last().and_then(Value::as_str) == Some("...");
            let w = if open { &w[..w.len() - 1] } else { &w[..] };
            let lengths = if open {
                g.len() >= w.len()
            } else {
                g.len() == w.len()
            };
            lengths && w.iter().zip(g).all(|(w, g)| json_matches(w, g))
        }
        (Value::Object(w), Value::Object(g)) => {
            let open = w.contains_key("...");
            (open || w.len() == g.len())
                && w.iter()
                    .filter(|(key, _)| *key != "...")
                    .all(|(key, w)| g.get(key).is_some_and(|g| json_matches(w, g)))
        }
        _ => want == got,
    }
}

/// The GitHub anchor of a heading: lowercase, spaces to `-`, punctuation dropped.
pub fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c == ' ' {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else {
                None
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(line_matches(
            "Checked 2 notes in [..]s.",
            "Checked 2 notes in 0.06s."
        ));
        assert!(!line_matches(
            "Checked 2 notes in [..]s.",
            "Checked 3 notes in 0.06s."
        ));
        assert!(lines_match(&["a", "...", "d"], &["a", "b", "c", "d"]));
        assert!(lines_match(&["a", "...", "d"], &["a", "d"]));
        assert!(!lines_match(&["a", "...", "d"], &["a", "b"]));
        assert!(matches(
            r#"{"a": "[..]", "b": [1, "..."]}"#,
            r#"{"a": {"x": 1}, "b": [1.0, 2, 3]}"#
        ));
        assert!(!matches(r#"{"a": 1}"#, r#"{"a": 1, "b": 2}"#));
        assert!(!matches(r#"{"b": [1]}"#, r#"{"b": [1, 2]}"#));
        assert_eq!(slug("`twin rules`"), "twin-rules");
        assert_eq!(slug("Emacs (eglot)"), "emacs-eglot");
        assert_eq!(
            shell_words(r#"twin search "a phrase" x"#),
            ["twin", "search", "a phrase", "x"]
        );
    }
}
