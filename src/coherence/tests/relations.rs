//! Section detection, inline fields, property links and footnote sources.

use std::sync::Arc;

use super::*;
use crate::note::parse_note;

fn note(text: &str) -> Note {
    parse_note("Note.md".into(), Arc::from(text))
}

/// (target, relation) of every typed link of `text` under the default settings.
fn typed(text: &str) -> Vec<(String, Relation)> {
    let config = RelationsConfig::default();
    let note = note(text);
    typed_links(&note, &config, &HeadingMatcher::new(&config))
        .into_iter()
        .map(|t| (note.links[t.link as usize].target.clone(), t.relation))
        .collect()
}

fn pairs(list: &[(&str, Relation)]) -> Vec<(String, Relation)> {
    list.iter().map(|(t, r)| (t.to_string(), *r)).collect()
}

#[test]
fn headings_match_through_numbering_emoji_and_case() {
    let matcher = HeadingMatcher::new(&RelationsConfig::default());
    let cases = [
        ("1️⃣ Вышестоящие идеи", Some(Relation::Up)),
        ("2️⃣ Нижестоящие идеи", Some(Relation::Down)),
        (
            "3️⃣ Прямо относящиеся к этой заметке",
            Some(Relation::Related),
        ),
        ("Upstream", Some(Relation::Up)),
        ("2. upstream ideas:", Some(Relation::Up)),
        ("🔗 See also", Some(Relation::Related)),
        ("— Children —", Some(Relation::Down)),
        ("Up", Some(Relation::Up)),
        ("Связанные заметки", Some(Relation::Related)),
        // Whole words only, and at the start.
        ("Update log", None),
        ("Unrelated", None),
        ("Downloads", None),
        ("Notes on upstream", None),
        ("🔗 Блок ссылок", None),
    ];
    for (heading, expected) in cases {
        assert_eq!(matcher.relation_of(heading), expected, "{heading}");
    }
}

#[test]
fn configured_patterns_replace_defaults() {
    let mut config = RelationsConfig::default();
    config.headings[Relation::Up.index()] = vec!["Broader".into()];
    let matcher = HeadingMatcher::new(&config);
    assert_eq!(matcher.relation_of("Broader terms"), Some(Relation::Up));
    assert_eq!(matcher.relation_of("Upstream"), None);
}

#[test]
fn section_links_run_to_the_next_heading_of_same_or_higher_level() {
    let text = "# Title\n[[Intro]]\n## Upstream\n- [[A]]\n### Details\n- [[B]]\n## Notes\n[[C]]\n### Related\n[[D]]\n# Other\n[[E]]\n";
    assert_eq!(
        typed(text),
        pairs(&[
            ("A", Relation::Up),
            ("B", Relation::Up),
            ("D", Relation::Related)
        ])
    );
}

#[test]
fn seed_style_link_block() {
    let text = "## 🔗 Блок ссылок\n\n### 1️⃣ Вышестоящие идеи\n*Контекст.*\n\n- [[Up One]] – пояснение [^1]\n\n### 2️⃣ Нижестоящие идеи\n- [[Down One]]\n\n### 3️⃣ Прямо относящиеся к этой заметке\n- [[Note]] – текущая запись\n\n---\n\n#### 📚 Sources\n[ ^1 ]: [[Source Malformed]]\n\n#### Sources:\n\n[^1]: [[Source One]]\n    continued by [[Source Two]]\n";
    // `#### Sources` is a deeper heading, so it stays inside the related section; the
    // footnote definitions in it are sources all the same.
    assert_eq!(
        typed(text),
        pairs(&[
            ("Up One", Relation::Up),
            ("Down One", Relation::Down),
            ("Note", Relation::Related),
        ])
    );
}

#[test]
fn inline_fields() {
    let text = "up:: [[A]]\n- down:: [[B]], [[C]]\nSee [related:: [[D]]] and [[E]].\n> parent:: [[F]]\nnot a field: [[G]]\nUnknown:: [[H]]\n1. same:: [[I]]\n";
    assert_eq!(
        typed(text),
        pairs(&[
            ("A", Relation::Up),
            ("B", Relation::Down),
            ("C", Relation::Down),
            ("D", Relation::Related),
            ("F", Relation::Up),
            ("I", Relation::Related),
        ])
    );
}

#[test]
fn inline_field_beats_its_section() {
    let text = "## Related\ndown:: [[A]]\n- [[B]]\n";
    assert_eq!(
        typed(text),
        pairs(&[("A", Relation::Down), ("B", Relation::Related)])
    );
}

#[test]
fn property_links_by_key() {
    let text = "---\nup: \"[[A]]\"\nChildren:\n  - \"[[B]]\"\n  - \"[[C]]\"\nabout: \"[[D]]\"\nsame: \"[[E]]\"\n---\nBody [[F]]\n";
    assert_eq!(
        typed(text),
        pairs(&[
            ("A", Relation::Up),
            ("B", Relation::Down),
            ("C", Relation::Down),
            ("E", Relation::Related),
        ])
    );
}

#[test]
fn configured_keys_replace_defaults() {
    let config = RelationsConfig {
        keys: vec![("broader".into(), Relation::Up)],
        ..RelationsConfig::default()
    };
    let note = note("---\nup: \"[[A]]\"\nbroader: \"[[B]]\"\n---\nbroader:: [[C]]\n");
    let targets: Vec<&str> = typed_links(&note, &config, &HeadingMatcher::new(&config))
        .iter()
        .map(|t| note.links[t.link as usize].target.as_str())
        .collect();
    assert_eq!(targets, ["C", "B"]);
}

#[test]
fn relation_names() {
    assert_eq!(Relation::parse("Upstream"), Some(Relation::Up));
    assert_eq!(Relation::parse("down"), Some(Relation::Down));
    assert_eq!(Relation::parse("sideways"), None);
    for r in Relation::ALL {
        assert_eq!(r.inverse().inverse(), r);
        assert_eq!(Relation::parse(r.as_str()), Some(r));
        assert_eq!(Relation::parse(r.short()), Some(r));
    }
}
