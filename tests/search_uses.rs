//! What the search index answers on the fixture vaults: rankings, stemming, the query
//! language, highlights, workspace symbols and unlinked mentions.

mod common;

use std::path::Path;

use common::fixture;
use twin::search::{
    IndexOptions, Mention, SearchIndex, SymbolKind, link_edit, parse_query, unlinked_mentions,
    workspace_symbols,
};
use twin::vault::{Vault, load_vault};

/// The vault at `root` and an in-memory index of it.
fn indexed(root: &Path) -> (Vault, SearchIndex) {
    let config = twin::analysis::load_rulebook(root)
        .map(|rulebook| rulebook.config)
        .unwrap();
    let vault = load_vault(root, &config).unwrap();
    let options = IndexOptions {
        cache_dir: None,
        in_memory: true,
        ..IndexOptions::default()
    };
    let (index, report) = SearchIndex::open_vault(&vault, &options).unwrap();
    assert_eq!(report.indexed, vault.notes.len());
    (vault, index)
}

fn paths(index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(&parse_query(query), 20)
        .unwrap()
        .into_iter()
        .map(|h| h.path.to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn the_named_note_ranks_first() {
    let (_, index) = indexed(&fixture("search"));
    // The title outranks prose; the note that only links to it does not match at all.
    assert_eq!(
        paths(&index, "zettelkasten"),
        ["Zettelkasten.md", "Reading list.md"]
    );
    assert_eq!(paths(&index, "slip box")[0], "Zettelkasten.md");
    assert_eq!(paths(&index, "evergreen")[0], "Evergreen notes.md");
    assert_eq!(paths(&index, "заметки")[0], "ru/Заметка.md");
    assert_eq!(paths(&index, "связи")[0], "ru/Связи.md");
}

#[test]
fn words_match_by_stem_in_each_notes_language() {
    let (_, index) = indexed(&fixture("search"));
    // `linking` finds `links` (English stems) and the `lang: ja` note's own `Linking`.
    let linking = paths(&index, "linking");
    assert!(
        linking.contains(&"Zettelkasten.md".to_string()),
        "{linking:?}"
    );
    assert!(linking.contains(&"ja/メモ.md".to_string()), "{linking:?}");
    // `заметки` finds `заметка` and `заметке`.
    assert_eq!(
        sorted(paths(&index, "заметки")),
        ["ru/Заметка.md", "ru/Связи.md"]
    );
    // The `lang: de` note is stemmed in German: `Haus` finds `Häuser`.
    assert_eq!(paths(&index, "Haus"), ["de/Häuser.md"]);
    assert_eq!(paths(&index, "2024"), ["projects/Alpha.md"]);
}

#[test]
fn frontmatter_code_comments_and_link_targets_are_not_prose() {
    let (_, index) = indexed(&fixture("search"));
    for hidden in ["frobnicate", "quasar", "nebula", "obscurium"] {
        assert!(paths(&index, hidden).is_empty(), "{hidden} was found");
    }
    assert_eq!(paths(&index, "luhmann"), ["Zettelkasten.md"]);
}

#[test]
fn query_language() {
    let (_, index) = indexed(&fixture("search"));
    let pkm = ["Evergreen notes.md", "Zettelkasten.md"];
    assert_eq!(sorted(paths(&index, "tag:pkm")), pkm);
    assert_eq!(sorted(paths(&index, "tag:#PKM/notes")), pkm);
    assert_eq!(paths(&index, "tag:method"), ["Zettelkasten.md"]);
    assert_eq!(paths(&index, "#project"), ["projects/Alpha.md"]);
    assert_eq!(
        sorted(paths(&index, "path:ru")),
        ["ru/Заметка.md", "ru/Связи.md"]
    );
    assert_eq!(paths(&index, "path:proj"), ["projects/Alpha.md"]);
    assert_eq!(paths(&index, "title:notes"), ["Evergreen notes.md"]);
    assert_eq!(paths(&index, "title:\"slip box\""), ["Zettelkasten.md"]);
    assert_eq!(paths(&index, "\"slip box\""), ["Zettelkasten.md"]);
    assert!(paths(&index, "\"box slip\"").is_empty());
    assert_eq!(
        paths(&index, "notes -evergreen -tag:method"),
        ["Reading list.md"]
    );
    assert_eq!(
        sorted(paths(&index, "alpha OR luhmann")),
        ["Zettelkasten.md", "projects/Alpha.md"]
    );
    assert_eq!(paths(&index, "gardening evenings"), ["Reading list.md"]);
    assert!(
        paths(&index, "the of").is_empty(),
        "stop words alone find nothing"
    );
}

#[test]
fn matching_lines_mark_every_form_of_the_words() {
    let (vault, _) = indexed(&fixture("search"));
    let note = vault.note(vault.note_by_path("Zettelkasten.md").unwrap());
    let lines = parse_query("linking note").matching_lines(note);
    let marked: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| l.matches.iter().map(|m| &note.text[m.range()]).collect())
        .collect();
    assert_eq!(
        marked,
        [
            vec!["notes", "links"],
            vec!["note", "links", "notes"],
            vec!["Links", "notes"],
        ]
    );
    assert!(note.text[lines[0].line.range()].starts_with("A Zettelkasten is"));
}

#[test]
fn workspace_symbols_rank_names_and_stems() {
    let (vault, index) = indexed(&fixture("search"));
    let top = |q: &str| {
        workspace_symbols(&index, &vault, q, 5)
            .into_iter()
            .map(|s| (s.name, s.kind, s.path.to_string()))
            .collect::<Vec<_>>()
    };
    let zettel = top("zettel");
    assert_eq!(
        zettel[0],
        (
            "Zettelkasten".into(),
            SymbolKind::Note,
            "Zettelkasten.md".into()
        )
    );
    assert_eq!(top("histor")[0].0, "History");
    assert_eq!(
        top("slip")[0],
        (
            "Slip box".into(),
            SymbolKind::Alias,
            "Zettelkasten.md".into()
        )
    );
    // No fuzzy match: the heading is found through the index's stems.
    assert!(
        top("linking")
            .iter()
            .any(|s| s.0 == "Links between notes" && s.1 == SymbolKind::Heading),
        "{:?}",
        top("linking")
    );
    assert_eq!(top("заметк")[0].2, "ru/Заметка.md");
    let all = workspace_symbols(&index, &vault, "  ", 3);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|s| s.kind == SymbolKind::Note));
    let heading = workspace_symbols(&index, &vault, "History", 1).remove(0);
    assert_eq!(heading.container.as_deref(), Some("Zettelkasten"));
    let note = vault.note(vault.note_by_path("Zettelkasten.md").unwrap());
    assert_eq!(&note.text[heading.span.range()], "History");
}

#[test]
fn unlinked_mentions_skip_code_links_partial_words_and_linking_notes() {
    let (vault, index) = indexed(&fixture("rules/unlinked-mention"));
    let id = vault.note_by_path("Zettelkasten.md").unwrap();
    let mentions = unlinked_mentions(&vault, &index, id);
    let found: Vec<(&str, &str)> = mentions
        .iter()
        .map(|m| (&*m.path, m.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("Journal.md", "zettelkasten"),
            ("Journal.md", "Zettelkastens"),
            ("Journal.md", "slip box"),
        ]
    );
    let journal = vault.note(vault.note_by_path("Journal.md").unwrap());
    for m in &mentions {
        assert_eq!(&journal.text[m.span.range()], m.text);
    }

    let evergreen = vault.note_by_path("Evergreen Notes.md").unwrap();
    let mentions = unlinked_mentions(&vault, &index, evergreen);
    assert_eq!(mentions.len(), 1, "{mentions:?}");
    assert_eq!(mentions[0].text, "Evergreen notes");
    // Names of no real word (`Guide` is one; a date is not) still work; a note's own name never.
    let guide = vault.note_by_path("Guide.md").unwrap();
    assert!(unlinked_mentions(&vault, &index, guide).is_empty());
}

#[test]
fn link_edits_keep_the_words() {
    let (vault, _) = indexed(&fixture("rules/unlinked-mention"));
    let target = vault.note_by_path("Zettelkasten.md").unwrap();
    let mention = |text: &str| Mention {
        path: "Journal.md".into(),
        span: twin::text::Span::new(10, 10 + text.len()),
        text: text.to_string(),
    };
    let edit = link_edit(&vault, target, &mention("zettelkasten"));
    assert_eq!(edit.new_text, "[[Zettelkasten|zettelkasten]]");
    assert_eq!(edit.span, twin::text::Span::new(10, 22));
    assert_eq!(edit.path.as_ref(), "Journal.md");
    assert_eq!(
        link_edit(&vault, target, &mention("Zettelkasten")).new_text,
        "[[Zettelkasten]]"
    );
    assert_eq!(
        link_edit(&vault, target, &mention("slip box")).new_text,
        "[[Zettelkasten|slip box]]"
    );
}

/// A vault of the given notes (nothing on disk) and an in-memory index of it.
fn vault_of(notes: &[(&str, &str)]) -> (Vault, SearchIndex) {
    let notes = notes
        .iter()
        .map(|(path, text)| {
            std::sync::Arc::new(twin::note::parse_note((*path).into(), (*text).into()))
        })
        .collect();
    let vault = Vault::from_parts("/nonexistent-vault".into(), notes, Vec::new(), Vec::new());
    let options = IndexOptions {
        cache_dir: None,
        in_memory: true,
        ..IndexOptions::default()
    };
    let (index, _) = SearchIndex::open_vault(&vault, &options).unwrap();
    (vault, index)
}

fn mention_texts(vault: &Vault, index: &SearchIndex, path: &str) -> Vec<String> {
    let id = vault.note_by_path(path).unwrap();
    unlinked_mentions(vault, index, id)
        .into_iter()
        .map(|m| m.text)
        .collect()
}

#[test]
fn mentions_keep_numbers_case_and_line_breaks() {
    let (vault, index) = vault_of(&[
        ("Chapter 9.md", "# Chapter 9\n"),
        ("Evergreen Notes.md", "# Evergreen Notes\n"),
        (
            "Other.md",
            "See chapter 9, not chapter 10 nor a chapter.\nEVERGREEN NOTES shout; evergreen\nnotes wrap.\n",
        ),
    ]);
    assert_eq!(mention_texts(&vault, &index, "Chapter 9.md"), ["chapter 9"]);
    assert_eq!(
        mention_texts(&vault, &index, "Evergreen Notes.md"),
        ["EVERGREEN NOTES", "evergreen\nnotes"]
    );
}

#[test]
fn link_edits_use_a_path_when_the_name_is_taken() {
    let (vault, _) = vault_of(&[
        ("a/Topic.md", "# Topic\n"),
        ("b/Topic.md", "# Topic\n"),
        ("c/Other.md", "A topic here.\n"),
    ]);
    let mention = Mention {
        path: "c/Other.md".into(),
        span: twin::text::Span::new(2, 7),
        text: "topic".into(),
    };
    let a = vault.note_by_path("a/Topic.md").unwrap();
    let b = vault.note_by_path("b/Topic.md").unwrap();
    assert_eq!(link_edit(&vault, a, &mention).new_text, "[[Topic|topic]]");
    assert_eq!(link_edit(&vault, b, &mention).new_text, "[[b/Topic|topic]]");
}
