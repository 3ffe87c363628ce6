//! Tests for the frontmatter reader: fences, properties, problems, tags, aliases, links.

use super::*;
use crate::note::model::AnchorKind;

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

#[test]
fn fences_bom_and_crlf() {
    let text = "\u{feff}---\r\ntitle: T\r\n---\r\n# Body\r\n";
    let out = parse(text);
    let fm = out.frontmatter.unwrap();
    assert_eq!(slice(text, fm.span), "---\r\ntitle: T\r\n---");
    assert_eq!(slice(text, fm.body_span), "title: T\r\n");
    assert_eq!(&text[out.body_start..], "# Body\r\n");
    assert_eq!(fm.title(), Some("T"));
    assert_eq!(slice(text, fm.entries[0].key_span), "title");
    assert_eq!(slice(text, fm.entries[0].value.span), "T");
    assert!(out.problems.is_empty());
}

#[test]
fn dots_close_and_empty_frontmatter() {
    let text = "---\na: 1\n...\nbody";
    let out = parse(text);
    assert_eq!(&text[out.body_start..], "body");
    let text = "---\n---\n";
    let out = parse(text);
    let fm = out.frontmatter.unwrap();
    assert!(fm.entries.is_empty());
    assert!(fm.body_span.is_empty());
    assert_eq!(out.body_start, text.len());
    assert!(out.problems.is_empty());
    // The closing fence may end the file without a newline.
    let out = parse("---\na: 1\n---");
    assert_eq!(out.frontmatter.unwrap().entries.len(), 1);
}

#[test]
fn not_frontmatter() {
    for text in [
        "",
        "text\n---\na: 1\n---\n",
        " ---\na: 1\n---\n",
        "----\na: 1\n---\n",
        "---",
    ] {
        let out = parse(text);
        assert!(out.frontmatter.is_none(), "{text:?}");
        assert!(out.problems.is_empty(), "{text:?}");
        assert_eq!(out.body_start, 0);
    }
}

#[test]
fn unclosed_fence_is_a_thematic_break() {
    let out = parse("---\nSome text after a rule\n");
    assert!(out.frontmatter.is_none());
    assert!(out.problems.is_empty());
    let text = "---\ntitle: x\n# Body\n";
    let out = parse(text);
    assert!(out.frontmatter.is_none());
    assert_eq!(out.body_start, 0);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].kind, ParseProblemKind::FrontmatterInvalid);
    assert_eq!(slice(text, out.problems[0].span), "---");
}

#[test]
fn duplicate_keys_point_at_both() {
    let text = "---\ntitle: A\ntags: x\ntitle: B\n---\n";
    let out = parse(text);
    let fm = out.frontmatter.unwrap();
    assert_eq!(fm.entries.len(), 3);
    assert_eq!(fm.title(), Some("B"));
    assert_eq!(out.problems.len(), 1);
    let p = &out.problems[0];
    let ParseProblemKind::FrontmatterDuplicateKey { key, first } = &p.kind else {
        panic!("{p:?}")
    };
    assert_eq!(key, "title");
    assert_eq!(*first, Span::new(4, 9));
    assert_eq!(
        p.span,
        Span::new(
            text.rfind("title").unwrap(),
            text.rfind("title").unwrap() + 5
        )
    );
}

#[test]
fn invalid_yaml_is_a_problem_with_a_position() {
    let text = "---\ntitle: ok\nlist: [a, b\n---\nbody [[Link]]\n";
    let out = parse(text);
    let fm = out.frontmatter.unwrap();
    assert!(fm.entries.is_empty());
    assert_eq!(out.problems.len(), 1);
    let p = &out.problems[0];
    assert_eq!(p.kind, ParseProblemKind::FrontmatterInvalid);
    assert_eq!(slice(text, p.span), "[");
    assert!(!p.message.is_empty() && !p.message.contains('\n'));
    assert_eq!(&text[out.body_start..], "body [[Link]]\n");
}

#[test]
fn not_a_mapping() {
    for text in ["---\n- a\n- b\n---\n", "---\njust text\n---\n"] {
        let out = parse(text);
        let fm = out.frontmatter.unwrap();
        assert!(fm.entries.is_empty());
        assert_eq!(out.problems.len(), 1);
        assert_eq!(
            out.problems[0].message,
            "frontmatter is not a mapping of properties"
        );
        assert_eq!(out.problems[0].span, fm.body_span);
    }
}

#[test]
fn alias_bomb_is_a_problem() {
    let mut text = String::from("---\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        text.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    text.push_str("---\n");
    let start = crate::note::cpu_clock::Clock::start();
    let out = parse(&text);
    assert!(start.secs() < 2.0);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].kind, ParseProblemKind::FrontmatterInvalid);
}

#[test]
fn tags_from_list_and_comma_string() {
    let text = "---\ntags:\n  - agi-twin\n  - field-based-cognition paradigm-shift\n  - \"#S0_ProblemClarification\"\ntag: one, two three ,#four\n---\n";
    let out = parse(text);
    let tags: Vec<(&str, &str)> = out
        .tags
        .iter()
        .map(|t| (t.name.as_str(), slice(text, t.span)))
        .collect();
    assert_eq!(
        tags,
        [
            ("agi-twin", "agi-twin"),
            (
                "field-based-cognition paradigm-shift",
                "field-based-cognition paradigm-shift"
            ),
            ("#S0_ProblemClarification", "#S0_ProblemClarification"),
            ("one", "one"),
            ("two three", "two three"),
            ("#four", "#four"),
        ]
    );
    assert!(out.tags.iter().all(|t| t.source == TagSource::Frontmatter));
}

#[test]
fn tags_flow_list_and_numbers() {
    let text = "---\nTags: [a, 2024, 'b c']\n---\n";
    let out = parse(text);
    let names: Vec<&str> = out.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "2024", "b c"]);
    assert_eq!(slice(text, out.tags[2].span), "b c");
}

#[test]
fn aliases_title_description() {
    let text = "---\naliases:\n  - Первый\n  - \"Second one\"\nalias: Third\ntitle: \"Quoted: title\"\ndescription: >\n  folded\n  text\n---\n";
    let out = parse(text);
    let fm = out.frontmatter.unwrap();
    let aliases: Vec<(&str, &str)> = fm
        .aliases
        .iter()
        .map(|a| (a.name.as_str(), slice(text, a.span)))
        .collect();
    assert_eq!(
        aliases,
        [
            ("Первый", "Первый"),
            ("Second one", "Second one"),
            ("Third", "Third")
        ]
    );
    assert_eq!(fm.title(), Some("Quoted: title"));
    assert_eq!(fm.description(), Some("folded text\n"));
}

#[test]
fn wikilinks_in_property_values() {
    let text = "---\nup: \"[[X]]\"\nrelated: [\"[[A]]\", \"[[B|b]]\"]\nlist:\n  - \"[[C#Part]]\"\n  - plain [[D]] text\nnested:\n  deep: '[[E]]'\nnot: \"[[\"\n---\n";
    let out = parse(text);
    let links: Vec<(&str, &str, &str)> = out
        .links
        .iter()
        .map(|l| {
            let LinkSource::Frontmatter { key } = &l.source else {
                panic!()
            };
            (&**key, l.target(text), slice(text, l.span))
        })
        .collect();
    assert_eq!(
        links,
        [
            ("up", "X", "[[X]]"),
            ("related", "A", "[[A]]"),
            ("related", "B", "[[B|b]]"),
            ("list", "C", "[[C#Part]]"),
            ("list", "D", "[[D]]"),
            ("nested", "E", "[[E]]"),
        ]
    );
    for l in &out.links {
        assert_eq!(slice(text, l.target_span), l.target(text));
    }
    assert_eq!(out.links[2].display(text), Some("b"));
    assert_eq!(
        out.links[3].anchor_kind(text).unwrap(),
        AnchorKind::Heading(smallvec::smallvec!["Part"])
    );
}

#[test]
fn unquoted_double_brackets_are_yaml_lists_not_links() {
    // `up: [[X]]` is a list holding a list in YAML; Obsidian does not link it either.
    let out = parse("---\nup: [[X]]\n---\n");
    assert!(out.links.is_empty());
    assert!(out.problems.is_empty());
}

#[test]
fn many_duplicate_keys_use_the_hashed_search() {
    let keys: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
    let text = format!("---\n{keys}k3: again\nk39: again\n---\n");
    let out = parse(&text);
    let dups: Vec<(&str, &str)> = out
        .problems
        .iter()
        .map(|p| match &p.kind {
            ParseProblemKind::FrontmatterDuplicateKey { key, first } => {
                (key.as_str(), slice(&text, *first))
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(dups, [("k3", "k3"), ("k39", "k39")]);
    assert_eq!(
        out.problems[0].span.start as usize,
        text.find("k3: again").unwrap()
    );
}

#[test]
fn title_key_is_exact_tags_key_is_not() {
    let out = parse("---\nTitle: no\nTAGS: [x]\nAlias: A\n---\n");
    let fm = out.frontmatter.unwrap();
    assert_eq!(fm.title(), None);
    assert_eq!(out.tags[0].name, "x");
    assert_eq!(fm.aliases[0].name, "A");
}
