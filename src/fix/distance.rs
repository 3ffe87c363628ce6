//! Edit distance between names, and the closest names to a misspelt one.

use crate::vault::normalize_key;

/// At most this many "did you mean" suggestions per broken link.
pub const MAX_SUGGESTIONS: usize = 3;

/// Edit distance in characters (Levenshtein).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Edit distance when it is at most `limit`; `None` as soon as it cannot be, which
/// makes rejecting a distant name cost a few rows instead of the whole table.
pub fn edit_distance_within(a: &str, b: &[char], limit: usize) -> Option<usize> {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            best = best.min(row[j + 1]);
            prev = cur;
        }
        if best > limit {
            return None;
        }
    }
    (row[b.len()] <= limit).then_some(row[b.len()])
}

/// The largest distance still taken for a typo of a name of this many characters.
pub fn limit(chars: usize) -> usize {
    (chars / 3).max(2)
}

/// Candidates close enough to `wanted` to be a typo, with their distances, best first
/// (ties in the order of `candidates`' sort), without duplicates.
pub fn scored<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Vec<(usize, &'a str)> {
    let wanted: Vec<char> = normalize_key(wanted).chars().collect();
    let limit = limit(wanted.len());
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let key = normalize_key(c);
            // Lengths alone bound the distance: skip the work when they are too far apart.
            if key.chars().count().abs_diff(wanted.len()) > limit {
                return None;
            }
            edit_distance_within(&key, &wanted, limit).map(|d| (d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
}

/// The candidates closest to `wanted`, close enough to be a typo, best first.
pub fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    scored(wanted, candidates)
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c)
        .collect()
}

/// The one candidate strictly closer to `wanted` than every other, if there is one.
pub fn single_best<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let scored = scored(wanted, candidates);
    match scored.as_slice() {
        [(_, only)] => Some(only),
        [(d0, best), (d1, _), ..] if d0 < d1 => Some(best),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Заметка", "Заметки"), 1);
        let sitting: Vec<char> = "sitting".chars().collect();
        assert_eq!(edit_distance_within("kitten", &sitting, 3), Some(3));
        assert_eq!(edit_distance_within("kitten", &sitting, 2), None);
        assert_eq!(edit_distance_within("", &[], 0), Some(0));
    }

    #[test]
    fn single_best_needs_a_strict_winner() {
        let names = ["Guide", "Glide", "Guides"];
        assert_eq!(single_best("Gide", names.iter().copied()), None);
        assert_eq!(
            single_best("Guidez", ["Guide", "Other"].into_iter()),
            Some("Guide")
        );
        assert_eq!(single_best("Zzzzzz", names.iter().copied()), None);
    }
}
