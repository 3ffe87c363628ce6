//! A small fuzzy matcher for completion and workspace symbols: the pattern's characters
//! in order, case-insensitively, scoring prefixes, word starts and runs higher.

/// The match score of `pattern` in `candidate`, higher is better; `None` when the
/// pattern is not a subsequence. An empty pattern matches everything with score 0.
pub fn score(pattern: &str, candidate: &str) -> Option<i64> {
    if pattern.is_empty() {
        return Some(0);
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
    fn unicode_case_insensitive() {
        assert!(score("зам", "Заметка").is_some());
    }
}
