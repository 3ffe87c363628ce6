//! The writing aids' suggestions on fixture vaults with a cursor:
//! `check_suggestions(fixture, expect)` lists each suggestion as
//! `label (detail) => what it writes`, then the span it replaces, once, first.

use super::{Insert, Suggestion};
use crate::analysis::fixture::Fixture;
use crate::vault::NoteId;

fn show(f: &Fixture, id: NoteId, items: Option<Vec<Suggestion>>, limit: usize) -> String {
    let Some(items) = items else {
        return "none".to_owned();
    };
    let mut lines = Vec::new();
    if let Some(first) = items.first() {
        lines.push(format!("replaces {}", f.show(id, first.replace)));
    }
    for s in items.iter().take(limit) {
        let insert = match &s.insert {
            Insert::Text(t) => t.clone(),
            Insert::Link {
                path,
                anchor,
                embed,
            } => format!(
                "{}link {path}{}",
                if *embed { "!" } else { "" },
                anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()
            ),
            Insert::Name { name, embed } => {
                format!("{}name {name}", if *embed { "!" } else { "" })
            }
        };
        let detail = s.detail.as_deref().unwrap_or("");
        lines.push(format!("{} ({detail}) => {insert}", s.label));
        if let Some(b) = &s.new_block_id {
            lines.push(format!("  + {} @{}: {:?}", b.note, b.offset, b.text));
        }
    }
    lines.join("\n")
}

fn check(
    fixture: &str,
    limit: usize,
    ask: impl Fn(&Fixture, NoteId, usize) -> Option<Vec<Suggestion>>,
    expect: &str,
) {
    let f = Fixture::parse(fixture);
    let (id, offset) = f.cursor();
    let actual = show(&f, id, ask(&f, id, offset), limit);
    let expect = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(actual, expect, "\n--- actual ---\n{actual}\n");
}

fn check_callouts(fixture: &str, limit: usize, expect: &str) {
    check(
        fixture,
        limit,
        |f, id, at| f.analysis.callout_suggestions(id, at),
        expect,
    );
}

fn check_unresolved(fixture: &str, expect: &str) {
    check(
        fixture,
        20,
        |f, id, at| f.analysis.unresolved_suggestions(id, at),
        expect,
    );
}

#[test]
fn callouts_offer_obsidian_types_first_with_fold_variants() {
    check_callouts(
        "//- A.md\n> [!$0\n",
        7,
        "replaces A.md:1:5:
         note (callout) => note]
         note- (callout, folded) => note]-
         note+ (callout, foldable) => note]+
         abstract (callout) => abstract]
         abstract- (callout, folded) => abstract]-
         abstract+ (callout, foldable) => abstract]+
         summary (callout, as abstract) => summary]",
    );
}

#[test]
fn callouts_rank_by_what_is_typed_and_replace_the_closing_bracket() {
    check_callouts(
        "//- A.md\n> > [!wa$0rn]- Title\n",
        3,
        "replaces A.md:1:7: warn]-
         warning (callout) => warning]
         warning- (callout, folded) => warning]-
         warning+ (callout, foldable) => warning]+",
    );
}

#[test]
fn callouts_include_the_vaults_own_types() {
    check_callouts(
        "//- A.md\n> [!rec$0\n//- B.md\n> [!Recipe] Soup\n\n> [!recipe]\n//- C.md\n> [!recall]\n",
        6,
        "replaces A.md:1:5: rec
         recipe (callout used 2 times in the vault) => recipe]
         recipe- (callout used 2 times in the vault, folded) => recipe]-
         recipe+ (callout used 2 times in the vault, foldable) => recipe]+
         recall (callout used 1 times in the vault) => recall]
         recall- (callout used 1 times in the vault, folded) => recall]-
         recall+ (callout used 1 times in the vault, foldable) => recall]+",
    );
}

#[test]
fn callouts_only_after_quote_markers() {
    check_callouts("//- A.md\nText [!no$0\n", 3, "none");
}

#[test]
fn unresolved_names_are_the_broken_links_of_other_notes() {
    check_unresolved(
        "//- A.md\nSee [[Fu$0
//- B.md
[[Future plan]], [[future plan#Part]], [[Fun.png]], [[Exists]]
//- C.md
[[Future Plan]] and [[Fuzzy idea]] and [Doc](Future%20doc)
//- Exists.md
",
        "replaces A.md:1:5: [[Fu
         Fuzzy idea (no note yet, linked from 1 note) => name Fuzzy idea
         Future plan (no note yet, linked from 2 notes) => name Future plan",
    );
}

#[test]
fn unresolved_names_skip_the_link_being_typed_and_keep_embeds() {
    check_unresolved(
        "//- A.md\nSee ![[Draf$0]] and [[Draft]]\n",
        "replaces A.md:1:5: ![[Draf]]
         Draft (no note yet, linked from 1 note) => !name Draft",
    );
    check_unresolved("//- A.md\nSee [[Note#Pa$0\n", "none");
}
