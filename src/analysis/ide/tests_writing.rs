//! The writing aids' suggestions on fixture vaults with a cursor:
//! `check_suggestions(fixture, expect)` lists each suggestion as
//! `label (detail) => what it writes`, then the span it replaces, once, first.

use super::tests::assert_lines;
use super::{Insert, LinkAnchor, Suggestion};
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
                match anchor {
                    Some(LinkAnchor::Heading(h)) => format!("#{h}"),
                    Some(LinkAnchor::Block(b)) => format!("#^{b}"),
                    None => String::new(),
                }
            ),
            Insert::Name { name, embed } => {
                format!("{}name {name}", if *embed { "!" } else { "" })
            }
        };
        let detail = s.detail.as_deref().unwrap_or("");
        lines.push(format!("{} ({detail}) => {insert}", s.label));
        if let Some(b) = &s.new_block_id {
            lines.push(format!("+ {} @{}: {:?}", b.note, b.offset, b.text));
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
    check_with(&Fixture::parse(fixture), limit, ask, expect);
}

fn check_with(
    f: &Fixture,
    limit: usize,
    ask: impl Fn(&Fixture, NoteId, usize) -> Option<Vec<Suggestion>>,
    expect: &str,
) {
    let (id, offset) = f.cursor();
    assert_lines(vec![show(f, id, ask(f, id, offset), limit)], expect);
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

fn check_anchors(fixture: &str, limit: usize, expect: &str) {
    check(
        fixture,
        limit,
        |f, id, at| f.analysis.vault_anchor_suggestions(id, at, 7),
        expect,
    );
}

const BLOCKS: &str = "//- Gems.md
---
title: Gems
---
# Gems

The quick purple gem dashes through the paragraph. ^37066d

Another paragraph about a gem
on two lines.

- Gemmy the list item
  - nested gem
- second item

> A quoted gem
> on two lines.
Lazy line.

| gem | x |
|-----|---|
| 1   | 2 |
Trailing text.

%% a commented gem %%
```
a fenced gem
```
";

#[test]
fn block_search_finds_every_kind_of_block_and_gives_new_ones_an_id() {
    check_anchors(
        &format!("//- A.md\nSee [[^^gem$0\n{BLOCKS}"),
        10,
        r#"replaces A.md:1:5: [[^^gem
         nested gem (Gems.md ^opa98m) => link Gems.md#^opa98m
           + Gems.md @169: " ^opa98m"
         Gemmy the list item (Gems.md ^nvy8td) => link Gems.md#^nvy8td
           + Gems.md @154: " ^nvy8td"
         | gem | x | (Gems.md ^t1rsl6) => link Gems.md#^t1rsl6
           + Gems.md @278: "\n\n^t1rsl6"
         The quick purple gem dashes through the paragraph. ^37066d (Gems.md ^37066d) => link Gems.md#^37066d
         A quoted gem (Gems.md ^4z6gj1) => link Gems.md#^4z6gj1
           + Gems.md @226: "\n\n^4z6gj1"
         Another paragraph about a gem (Gems.md ^d9bx2u) => link Gems.md#^d9bx2u
           + Gems.md @131: " ^d9bx2u""#,
    );
}

#[test]
fn heading_search_ranks_every_heading_of_the_vault() {
    check_anchors(
        "//- A.md\nSee ![[## team$0]]\n//- B.md\n# Team work\n## Meetings of the team\n//- C.md\n### Steam engines\n",
        5,
        "replaces A.md:1:5: ![[## team]]
         Team work (B.md #) => !link B.md#Team work
         Meetings of the team (B.md ##) => !link B.md#Meetings of the team
         Steam engines (C.md ###) => !link C.md#Steam engines",
    );
}

#[test]
fn block_search_needs_every_word() {
    check_anchors(
        &format!("//- A.md\n[[^^purple dashes$0\n{BLOCKS}"),
        5,
        "replaces A.md:1:1: [[^^purple dashes
         The quick purple gem dashes through the paragraph. ^37066d (Gems.md ^37066d) => link Gems.md#^37066d",
    );
    check_anchors("//- A.md\n[[Note#^^x$0\n", 5, "none");
}

#[test]
fn block_search_ranks_words_as_written_before_fuzzy_matches() {
    // `prple` is written in one block only; elsewhere it matches `purple` fuzzily, and
    // only in a block's first 80 characters.
    check_anchors(
        "//- A.md
[[^^prple gem$0
//- Gems.md
A purple stone, then a gem.

The purple gem.

Gem first, then a long run of words that pushes the colour far away from where it starts: purple.

The prple gem, written as typed.

Nothing here.

A gem.
",
        5,
        "replaces A.md:1:1: [[^^prple gem
         The prple gem, written as typed. (Gems.md ^nvy8td) => link Gems.md#^nvy8td
           + Gems.md @177: \" ^nvy8td\"
         The purple gem. (Gems.md ^d9bx2u) => link Gems.md#^d9bx2u
           + Gems.md @44: \" ^d9bx2u\"
         A purple stone, then a gem. (Gems.md ^lzfrbg) => link Gems.md#^lzfrbg
           + Gems.md @27: \" ^lzfrbg\"",
    );
}

/// The text of note `path` once a chosen block's new id is written, as the client does.
fn with_new_id(f: &Fixture, s: &Suggestion) -> (String, String) {
    let new = s.new_block_id.as_ref().expect("a new id");
    let id = f.analysis.vault.note_by_path(&new.note).unwrap();
    let mut text = f.analysis.vault.note(id).text.to_string();
    text.insert_str(new.offset, &new.text);
    (new.note.to_string(), text)
}

#[test]
fn a_new_id_names_its_block_when_the_note_is_read_again() {
    // Quotes and tables take their id on a line of their own, then a blank line; the
    // parser must read it as the id of the block above (help page "Internal links").
    let f = Fixture::parse(&format!("//- A.md\nSee [[^^gem$0\n{BLOCKS}"));
    let (id, at) = f.cursor();
    let found = f.analysis.vault_anchor_suggestions(id, at, 7).unwrap();
    let mut kinds = Vec::new();
    for s in found.iter().filter(|s| s.new_block_id.is_some()) {
        let Some(LinkAnchor::Block(block_id)) = (match &s.insert {
            Insert::Link { anchor, .. } => anchor.clone(),
            _ => None,
        }) else {
            panic!("a block link: {s:?}")
        };
        let (path, text) = with_new_id(&f, s);
        let note = crate::note::parse_note(path.as_str().into(), text.clone().into());
        let named = note
            .block_ids
            .iter()
            .find(|b| b.id == block_id)
            .unwrap_or_else(|| panic!("^{block_id} is read back:\n{text}"));
        let block = note
            .blocks
            .iter()
            .find(|b| b.span == named.block_span)
            .unwrap_or_else(|| panic!("^{block_id} names a block:\n{text}"));
        assert!(
            text[block.span.range()].contains(s.label.trim_end_matches('…')),
            "^{block_id} names {:?}, not {:?}",
            &text[block.span.range()],
            s.label
        );
        kinds.push(format!("{:?}", block.kind));
    }
    kinds.sort();
    assert_eq!(
        kinds,
        ["ListItem", "ListItem", "Paragraph", "Quote", "Table"]
    );
}

fn check_daily(fixture: &str, settings: Option<crate::config::DailyNotes>, expect: &str) {
    let mut f = Fixture::parse(fixture);
    if let Some(settings) = settings {
        let mut rulebook = (*f.analysis.rulebook).clone();
        rulebook.config.daily_notes = settings;
        f.analysis.set_rulebook(std::sync::Arc::new(rulebook));
    }
    // 2026-12-03 is a Thursday.
    let today = jiff::civil::date(2026, 12, 3);
    check_with(
        &f,
        30,
        |f, id, at| f.analysis.daily_suggestions(id, at, today),
        expect,
    );
}

#[test]
fn daily_links_name_todays_note_by_the_default_format() {
    check_daily(
        "//- A.md\nSee [[tod$0\n//- 2026-12-03.md\n",
        None,
        "replaces A.md:1:5: [[tod
         today (2026-12-03 · 2026-12-03.md) => link 2026-12-03.md",
    );
    check_daily("//- A.md\nSee [[t$0\n", None, "");
}

#[test]
fn daily_links_follow_the_folder_and_moment_format() {
    check_daily(
        "//- A.md\n![[next t$0]]\n",
        Some(crate::config::DailyNotes {
            folder: "Journal".into(),
            format: "YYYY/MM/dddd D MMMM [notes]".into(),
            template: None,
        }),
        "replaces A.md:1:1: ![[next t]]
         next tuesday (2026-12-08 · Journal/2026/12/Tuesday 8 December notes.md, new) => !link Journal/2026/12/Tuesday 8 December notes.md
         next thursday (2026-12-10 · Journal/2026/12/Thursday 10 December notes.md, new) => !link Journal/2026/12/Thursday 10 December notes.md",
    );
}

#[test]
fn daily_links_for_yesterday_tomorrow_and_weekdays() {
    // 2026-12-03 is a Thursday: `monday` is the coming one, `last` the one before.
    check_daily(
        "//- A.md\n[[yes$0\n//- 2026-12-02.md\n",
        None,
        "replaces A.md:1:1: [[yes
         yesterday (2026-12-02 · 2026-12-02.md) => link 2026-12-02.md",
    );
    check_daily(
        "//- A.md\n[[tom$0\n",
        None,
        "replaces A.md:1:1: [[tom
         tomorrow (2026-12-04 · 2026-12-04.md, new) => link 2026-12-04.md",
    );
    check_daily(
        "//- A.md\n[[Th$0\n",
        None,
        "replaces A.md:1:1: [[Th
         thursday (2026-12-03 · 2026-12-03.md, new) => link 2026-12-03.md",
    );
    check_daily(
        "//- A.md\n[[next monday$0\n",
        None,
        "replaces A.md:1:1: [[next monday
         next monday (2026-12-07 · 2026-12-07.md, new) => link 2026-12-07.md",
    );
    check_daily(
        "//- A.md\n[[last fr$0\n",
        None,
        "replaces A.md:1:1: [[last fr
         last friday (2026-11-27 · 2026-11-27.md, new) => link 2026-11-27.md",
    );
}

#[test]
fn a_daily_note_starts_from_the_template() {
    let mut f =
        Fixture::parse("//- Templates/Day.md\n# {{title}}\nWritten {{date:dddd}} at {{time}}.\n");
    let mut rulebook = (*f.analysis.rulebook).clone();
    rulebook.config.daily_notes.template = Some("Templates/Day.md".into());
    f.analysis.set_rulebook(std::sync::Arc::new(rulebook));
    let note = f.analysis.daily_note(
        jiff::civil::date(2026, 12, 3),
        jiff::civil::date(2026, 12, 3).at(8, 15, 0, 0),
    );
    assert_eq!(note.path, "2026-12-03.md");
    assert!(!note.exists);
    assert_eq!(note.text, "# 2026-12-03\nWritten Thursday at 08:15.\n");
}
