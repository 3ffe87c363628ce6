//! One fixture vault and one snapshot per rule: `fixtures/rules/<code>/`.

mod common;

use common::{check, check_json, fixture};
use twin::rules::RULES;

/// Snapshots the JSON report of a rule's fixture and checks the rule fired there.
fn check_rule(code: &str) {
    let root = fixture(&format!("rules/{code}"));
    let fired = check(&root).iter().filter(|d| d.code == code).count();
    assert!(fired > 0, "rule {code} found nothing in its own fixture");
    insta::assert_snapshot!(code, check_json(&root));
}

macro_rules! rule_tests {
    ($($name:ident => $code:literal,)*) => {
        $(#[test] fn $name() { check_rule($code); })*

        #[test]
        fn every_rule_has_a_fixture_test() {
            let tested = [$($code),*];
            for rule in RULES {
                assert!(tested.contains(&rule.code), "rule {} has no fixture test", rule.code);
            }
        }
    };
}

rule_tests! {
    broken_link => "broken-link",
    broken_heading => "broken-heading",
    broken_block => "broken-block",
    ambiguous_link => "ambiguous-link",
    self_link => "self-link",
    footnote_undefined => "footnote-undefined",
    footnote_unused => "footnote-unused",
    footnote_duplicate => "footnote-duplicate",
    footnote_malformed => "footnote-malformed",
    frontmatter_invalid => "frontmatter-invalid",
    frontmatter_duplicate_key => "frontmatter-duplicate-key",
    tag_invalid => "tag-invalid",
    alias_conflict => "alias-conflict",
    file_unreadable => "file-unreadable",
    one_sided_relation => "one-sided-relation",
    relation_cycle => "relation-cycle",
    relation_conflict => "relation-conflict",
    self_relation => "self-relation",
    orphan_note => "orphan-note",
    date_order => "date-order",
    identity_drift => "identity-drift",
    relation_drift => "relation-drift",
    unlinked_mention => "unlinked-mention",
    anchor_drift => "anchor-drift",
}

#[test]
fn clean_vault_has_no_findings() {
    let findings = check(&fixture("clean-vault"));
    assert!(
        findings.is_empty(),
        "expected no findings, got {findings:#?}"
    );
}

#[test]
fn demo_vault_reports_exactly_its_planted_defects() {
    // fixtures/README.md lists the defects; this snapshot is that list, as twin reports it.
    insta::assert_snapshot!("demo-vault", check_json(&fixture("demo-vault")));
}

#[test]
fn a_broken_link_to_an_alias_of_one_note_says_so() {
    let messages: Vec<String> = check(&fixture("fix/alias"))
        .into_iter()
        .filter(|d| d.code == "broken-link")
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages[0],
        "no note or file named `Nick` in the vault; it is an alias of `Real Name`, and Obsidian does not resolve links through aliases (write [[Real Name|Nick]])"
    );
    // An alias two notes share names neither.
    assert_eq!(
        messages.last().unwrap(),
        "no note or file named `Shared` in the vault"
    );
}
