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
        .map(|t| {
            (
                note.links[t.link as usize].target(&note.text).to_string(),
                t.relation,
            )
        })
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
        .map(|t| note.links[t.link as usize].target(&note.text))
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

mod sweep {
    //! The one-pass section sweep against a scan of every section for each offset.

    use proptest::prelude::*;

    use super::super::{SectionSweep, in_zone};
    use super::*;
    use crate::text::Span;

    /// Sections as `section_span` makes them: each to the next of the same or a higher level.
    fn sections(levels: &[u8]) -> Vec<(Span, Relation, usize)> {
        let starts: Vec<usize> = (0..levels.len()).map(|i| i * 10).collect();
        let end_of_text = levels.len() * 10;
        (0..levels.len())
            .map(|i| {
                let end = (i + 1..levels.len())
                    .find(|&j| levels[j] <= levels[i])
                    .map_or(end_of_text, |j| starts[j]);
                (Span::new(starts[i], end), Relation::Up, i)
            })
            .collect()
    }

    fn innermost_by_scan(sections: &[(Span, Relation, usize)], at: usize) -> Option<usize> {
        sections
            .iter()
            .filter(|(span, _, _)| (span.start as usize) <= at && at < span.end as usize)
            .max_by_key(|(span, _, _)| span.start)
            .map(|(_, _, heading)| *heading)
    }

    proptest! {
        #[test]
        fn sweep_and_scan_agree(
            levels in prop::collection::vec(1u8..5, 0..30),
            keep in prop::collection::vec(any::<bool>(), 30),
            mut offsets in prop::collection::vec(0usize..320, 0..40),
        ) {
            // Relation sections are a subset of all headings' sections.
            let all = sections(&levels);
            let kept: Vec<_> = all.into_iter().filter(|s| keep[s.2]).collect();
            offsets.sort_unstable();
            let mut sweep = SectionSweep::new(&kept);
            for at in offsets {
                let swept = sweep.innermost(at).map(|(_, d)| match d {
                    Declared::Section(h) => h,
                    other => panic!("{other:?}"),
                });
                prop_assert_eq!(swept, innermost_by_scan(&kept, at), "at {}", at);
            }
        }
    }

    #[test]
    fn offsets_going_back_restart_the_sweep() {
        let kept = sections(&[1, 2, 1]);
        let mut sweep = SectionSweep::new(&kept);
        assert!(matches!(
            sweep.innermost(25),
            Some((_, Declared::Section(2)))
        ));
        assert!(matches!(
            sweep.innermost(15),
            Some((_, Declared::Section(1)))
        ));
    }

    #[test]
    fn zones_are_found_by_binary_search() {
        let zones = [0..5, 10..20, 30..31];
        let inside: Vec<usize> = (0..35).filter(|&at| in_zone(&zones, at)).collect();
        let expected: Vec<usize> = (0..5).chain(10..20).chain(30..31).collect();
        assert_eq!(inside, expected);
        assert!(!in_zone(&[], 3));
    }
}

proptest::proptest! {
    /// Headings are compared with the patterns lazily; the answer is the one of
    /// normalizing the heading in full first.
    #[test]
    fn lazy_matching_is_normalizing_first(
        heading in "[ 0-9.:#🔗—-]{0,3}(Up|UPSTREAM|See also|Related|Вышестоящие|Нижестоящие идеи|Children|İ|x| ){0,3}[ a-zа-яİ!]{0,6}"
    ) {
        let matcher = HeadingMatcher::new(&RelationsConfig::default());
        let text = normalize_heading(&heading);
        let whole = matcher.patterns.iter().find_map(|(pattern, relation)| {
            let rest = text.strip_prefix(pattern.as_str())?;
            let boundary = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
            boundary.then_some(*relation)
        });
        let gated = heading
            .chars()
            .find(|c| c.is_alphabetic())
            .and_then(|c| c.to_lowercase().next())
            .filter(|c| matcher.firsts.binary_search(c).is_ok());
        let expected = gated.and(whole);
        proptest::prop_assert_eq!(matcher.relation_of(&heading), expected);
        proptest::prop_assert_eq!(normalized_head(&heading, usize::MAX), text.clone());
        let chars = text.chars().count().min(5);
        proptest::prop_assert_eq!(normalized_head(&heading, chars), text.chars().take(chars).collect::<String>());
    }
}

proptest::proptest! {
    /// The last `::` of a line is found as `rfind` finds it, runs of colons included.
    #[test]
    fn colons_are_found_as_rfind_finds_them(line in "[a:: \\[]{0,12}") {
        proptest::prop_assert_eq!(rfind_colons(line.as_bytes()), line.rfind("::"));
    }
}
