//! Callout types after `> [!`: the ones Obsidian knows (help page "Callouts"), then the
//! ones the vault already uses, each also in its foldable `+` and `-` forms.

use super::fuzzy;
use super::suggestion::{Insert, Suggestion, SuggestionKind};
use crate::analysis::Analysis;
use crate::text::Span;
use crate::vault::NoteId;

/// Obsidian's callout types, each with its aliases (which render as the type).
const KNOWN: &[(&str, &[&str])] = &[
    ("note", &[]),
    ("abstract", &["summary", "tldr"]),
    ("info", &[]),
    ("todo", &[]),
    ("tip", &["hint", "important"]),
    ("success", &["check", "done"]),
    ("question", &["help", "faq"]),
    ("warning", &["caution", "attention"]),
    ("failure", &["fail", "missing"]),
    ("danger", &["error"]),
    ("bug", &[]),
    ("example", &[]),
    ("quote", &["cite"]),
];

impl Analysis {
    /// Callout types when the cursor's line so far is `>` markers and `[!type`; `None`
    /// elsewhere. The item replaces the typed type, and the `]` and fold sign after the
    /// cursor when they are there.
    pub fn callout_suggestions(&self, id: NoteId, offset: usize) -> Option<Vec<Suggestion>> {
        let note = self.vault.note(id);
        let text = &*note.text;
        let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let prefix = callout_prefix(&text[line_start..offset])?;
        let after = &text[offset..];
        let mut end = offset;
        let rest =
            after.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if let Some(r) = rest.strip_prefix(']') {
            end = offset + (after.len() - rest.len()) + 1;
            if r.starts_with(['+', '-']) {
                end += 1;
            }
        }
        let replace = Span::new(offset - prefix.len(), end);

        // (type, what it is): Obsidian's first, then the vault's own, by use.
        let mut types: Vec<(String, String)> = Vec::new();
        for (kind, aliases) in KNOWN {
            types.push((kind.to_string(), "callout".to_owned()));
            for alias in *aliases {
                types.push((alias.to_string(), format!("callout, as {kind}")));
            }
        }
        let mut used: std::collections::BTreeMap<String, usize> = Default::default();
        for n in &self.vault.notes {
            for c in &n.callouts {
                // The callout being typed is no suggestion.
                if n.path == note.path && c.kind_span.touches(offset) {
                    continue;
                }
                *used.entry(c.kind.to_lowercase()).or_default() += 1;
            }
        }
        let mut own: Vec<(String, usize)> = used
            .into_iter()
            .filter(|(k, _)| !types.iter().any(|(t, _)| t == k))
            .collect();
        own.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        types.extend(
            own.into_iter()
                .map(|(k, n)| (k, format!("callout used {n} times in the vault"))),
        );

        let mut scored: Vec<(i64, usize, Suggestion)> = Vec::new();
        for (rank, (kind, what)) in types.into_iter().enumerate() {
            let Some(score) = fuzzy::score(prefix, &kind) else {
                continue;
            };
            for (i, (fold, how)) in [("", ""), ("-", ", folded"), ("+", ", foldable")]
                .into_iter()
                .enumerate()
            {
                let label = format!("{kind}{fold}");
                scored.push((
                    score,
                    rank * 3 + i,
                    Suggestion {
                        label: label.clone(),
                        kind: SuggestionKind::Callout,
                        detail: Some(format!("{what}{how}")),
                        replace,
                        insert: Insert::Text(format!("{kind}]{fold}")),
                        filter: label,
                        new_block_id: None,
                    },
                ));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Some(scored.into_iter().map(|(_, _, s)| s).collect())
    }
}

/// The type typed so far when `line` (up to the cursor) is `>` markers then `[!type`.
fn callout_prefix(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches([' ', '\t']);
    if !rest.starts_with('>') {
        return None;
    }
    let rest = rest.trim_start_matches(['>', ' ', '\t']);
    let prefix = rest.strip_prefix("[!")?;
    prefix
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        .then_some(prefix)
}

#[cfg(test)]
mod tests {
    use super::callout_prefix;

    #[test]
    fn reads_the_type_typed_after_quote_markers() {
        assert_eq!(callout_prefix("> [!wa"), Some("wa"));
        assert_eq!(callout_prefix("> > [!"), Some(""));
        assert_eq!(callout_prefix(">[!note"), Some("note"));
        assert_eq!(callout_prefix("  > [!my-type"), Some("my-type"));
        assert_eq!(callout_prefix("[!note"), None);
        assert_eq!(callout_prefix("> text [!note"), None);
        assert_eq!(callout_prefix("> [!note] title"), None);
    }
}
