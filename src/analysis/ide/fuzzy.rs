//! A small fuzzy matcher for completion and workspace symbols: the pattern's characters
//! in order, case-insensitively, scoring prefixes, word starts and runs higher.

/// The match score of `pattern` in `candidate`, higher is better; `None` when the
/// pattern is not a subsequence. An empty pattern matches everything with score 0.
pub fn score(pattern: &str, candidate: &str) -> Option<i64> {
    if pattern.is_empty() {
        return Some(0);
    }
    if pattern.is_ascii() && candidate.is_ascii() {
        return score_ascii(pattern.as_bytes(), candidate.as_bytes());
    }
    let mut pat = pattern.chars().flat_map(char::to_lowercase).peekable();
    let mut score: i64 = 0;
    let mut run: i64 = 0;
    let mut prev: Option<char> = None;
    let mut first_match: Option<usize> = None;
    for (i, ch) in candidate.chars().enumerate() {
        let Some(&want) = pat.peek() else { break };
        let lower = ch.to_lowercase().next().unwrap_or(ch);
        if lower == want {
            pat.next();
            first_match.get_or_insert(i);
            run += 1;
            score += 10 + run * 5;
            let word_start = prev
                .is_none_or(|p| !p.is_alphanumeric() || (p.is_lowercase() && ch.is_uppercase()));
            if word_start {
                score += 20;
            }
            if i == 0 {
                score += 30;
            }
        } else {
            run = 0;
        }
        prev = Some(ch);
    }
    if pat.peek().is_some() {
        return None;
    }
    // Earlier and shorter matches first.
    score -= first_match.unwrap_or(0) as i64 * 2;
    score -= candidate.chars().count() as i64;
    // Without allocating: is the pattern a prefix of the candidate, or all of it?
    let mut cand = candidate.chars().flat_map(char::to_lowercase);
    let is_prefix = pattern
        .chars()
        .flat_map(char::to_lowercase)
        .all(|p| cand.next() == Some(p));
    if is_prefix {
        score += if cand.next().is_none() { 1000 } else { 200 };
    }
    Some(score)
}

/// [`score`] on ASCII text, bytewise: the same score, without decoding characters (the
/// `[[^^` search runs it on thousands of blocks).
fn score_ascii(pattern: &[u8], candidate: &[u8]) -> Option<i64> {
    let mut pat = pattern.iter().map(u8::to_ascii_lowercase).peekable();
    let mut score: i64 = 0;
    let mut run: i64 = 0;
    let mut prev: Option<u8> = None;
    let mut first_match: Option<usize> = None;
    for (i, &ch) in candidate.iter().enumerate() {
        let Some(&want) = pat.peek() else { break };
        if ch.to_ascii_lowercase() == want {
            pat.next();
            first_match.get_or_insert(i);
            run += 1;
            score += 10 + run * 5;
            let word_start = prev.is_none_or(|p| {
                !p.is_ascii_alphanumeric() || (p.is_ascii_lowercase() && ch.is_ascii_uppercase())
            });
            if word_start {
                score += 20;
            }
            if i == 0 {
                score += 30;
            }
        } else {
            run = 0;
        }
        prev = Some(ch);
    }
    if pat.peek().is_some() {
        return None;
    }
    score -= first_match.unwrap_or(0) as i64 * 2;
    score -= candidate.len() as i64;
    let is_prefix = candidate.len() >= pattern.len()
        && candidate[..pattern.len()].eq_ignore_ascii_case(pattern);
    if is_prefix {
        score += if candidate.len() == pattern.len() {
            1000
        } else {
            200
        };
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::score;

    #[test]
    fn ranks_prefix_and_word_starts_first() {
        let cands = ["Meeting notes", "Some meeting", "mtg", "Projects/Meeting"];
        let mut ranked: Vec<_> = cands
            .iter()
            .filter_map(|c| score("meet", c).map(|s| (s, *c)))
            .collect();
        ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
        assert_eq!(ranked[0].1, "Meeting notes");
        assert!(score("xyz", "Meeting").is_none());
        assert!(
            score("mn", "Meeting notes").unwrap() > score("mn", "Commonplace").unwrap_or(i64::MIN)
        );
        assert_eq!(score("", "x"), Some(0));
    }

    #[test]
    fn ascii_text_scores_as_any_text() {
        // The bytewise path against the character one: `é` sends the same words through
        // the latter, and costs each candidate one character more.
        let cands = [
            "Meeting notes",
            "some MeetIng",
            "mtg",
            "Projects/Meeting",
            "meet",
            "x",
        ];
        for pattern in ["meet", "mn", "MEET", "Mt", "tg", "x", "zz"] {
            for cand in cands {
                let ascii = score(pattern, cand);
                let other = score(pattern, &format!("{cand}é"));
                let expected = other.map(|s| {
                    // `é` adds one to the length, and a pattern equal to the candidate
                    // becomes a mere prefix.
                    let whole = pattern.eq_ignore_ascii_case(cand);
                    s + 1 + if whole { 800 } else { 0 }
                });
                assert_eq!(ascii, expected, "{pattern:?} in {cand:?}");
            }
        }
    }

    #[test]
    fn unicode_case_insensitive() {
        assert!(score("зам", "Заметка").is_some());
    }
}
