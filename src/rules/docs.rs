//! Where the rules are documented: one page per rule in `docs/rules/`, compiled in so that
//! `twin rules --explain` prints the same text a reader finds in the repository, and the
//! links to those pages (SARIF `helpUri`, the language server's `codeDescription`).

/// The repository twin was built from (`repository` in `Cargo.toml`); empty while unset.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The page of a built-in rule (`docs/rules/<code>.md`), or `None` for an unknown code.
pub fn page(code: &str) -> Option<&'static str> {
    Some(match code {
        "broken-link" => include_str!("../../docs/rules/broken-link.md"),
        "broken-heading" => include_str!("../../docs/rules/broken-heading.md"),
        "broken-block" => include_str!("../../docs/rules/broken-block.md"),
        "ambiguous-link" => include_str!("../../docs/rules/ambiguous-link.md"),
        "self-link" => include_str!("../../docs/rules/self-link.md"),
        "footnote-undefined" => include_str!("../../docs/rules/footnote-undefined.md"),
        "footnote-unused" => include_str!("../../docs/rules/footnote-unused.md"),
        "footnote-duplicate" => include_str!("../../docs/rules/footnote-duplicate.md"),
        "footnote-malformed" => include_str!("../../docs/rules/footnote-malformed.md"),
        "frontmatter-invalid" => include_str!("../../docs/rules/frontmatter-invalid.md"),
        "frontmatter-duplicate-key" => {
            include_str!("../../docs/rules/frontmatter-duplicate-key.md")
        }
        "tag-invalid" => include_str!("../../docs/rules/tag-invalid.md"),
        "alias-conflict" => include_str!("../../docs/rules/alias-conflict.md"),
        "file-unreadable" => include_str!("../../docs/rules/file-unreadable.md"),
        "one-sided-relation" => include_str!("../../docs/rules/one-sided-relation.md"),
        "relation-cycle" => include_str!("../../docs/rules/relation-cycle.md"),
        "relation-conflict" => include_str!("../../docs/rules/relation-conflict.md"),
        "self-relation" => include_str!("../../docs/rules/self-relation.md"),
        "orphan-note" => include_str!("../../docs/rules/orphan-note.md"),
        "date-order" => include_str!("../../docs/rules/date-order.md"),
        "identity-drift" => include_str!("../../docs/rules/identity-drift.md"),
        "relation-drift" => include_str!("../../docs/rules/relation-drift.md"),
        "unlinked-mention" => include_str!("../../docs/rules/unlinked-mention.md"),
        "anchor-drift" => include_str!("../../docs/rules/anchor-drift.md"),
        _ => return None,
    })
}

/// The address of a built-in rule's page, or `None` while `Cargo.toml` names no repository:
/// a link is never made up.
pub fn docs_url(code: &str) -> Option<String> {
    page_url(REPOSITORY, &format!("docs/rules/{code}.md"))
}

/// The address of a built-in query-rule pack's section.
pub fn pack_docs_url(pack: &str) -> Option<String> {
    page_url(REPOSITORY, &format!("docs/queries.md#pack-{pack}"))
}

/// The repository's address, when `Cargo.toml` names one.
pub fn repository_url() -> Option<&'static str> {
    let base = REPOSITORY.trim_end_matches('/');
    (!base.is_empty()).then_some(base)
}

/// A file of the repository at its default branch (`blob/HEAD/`, as GitHub, Gitea and
/// Codeberg spell it).
fn page_url(repository: &str, page: &str) -> Option<String> {
    let base = repository.trim_end_matches('/');
    let base = base.strip_suffix(".git").unwrap_or(base);
    (!base.is_empty()).then(|| format!("{base}/blob/HEAD/{page}"))
}

#[cfg(test)]
mod tests {
    use super::{page, page_url};
    use crate::rules::RULES;

    #[test]
    fn every_rule_has_a_page_that_starts_with_its_code() {
        for rule in RULES {
            let text = page(rule.code).unwrap_or_else(|| panic!("no page for `{}`", rule.code));
            let first = text.lines().next().unwrap_or_default();
            assert_eq!(
                first,
                format!("# {}", rule.code),
                "docs/rules/{}.md must start with its code",
                rule.code
            );
        }
        assert_eq!(page("no-such-rule"), None);
    }

    #[test]
    fn links_need_a_repository() {
        assert_eq!(page_url("", "docs/rules/x.md"), None);
        let want = Some("https://example.org/a/twin/blob/HEAD/docs/rules/x.md".to_string());
        assert_eq!(
            page_url("https://example.org/a/twin", "docs/rules/x.md"),
            want
        );
        assert_eq!(
            page_url("https://example.org/a/twin.git", "docs/rules/x.md"),
            want
        );
        assert_eq!(
            page_url("https://example.org/a/twin/", "docs/rules/x.md"),
            want
        );
    }
}
