//! End-to-end tests of `parse_note`: the seed sample, encodings, exclusions and ordering.

use super::*;

fn parse(text: &str) -> Note {
    parse_note(Arc::from("dir/Note.md"), Arc::from(text))
}

fn slice(note: &Note, span: Span) -> &str {
    &note.text[span.range()]
}

pub(super) const SEED: &str = "---
tags:
  - agi-twin
  - field-based-cognition paradigm-shift
  - \"#S0_ProblemClarification\"
description: AGI‑Двойник нельзя выгрузить в файл
title: AGI Twin Non-Exportability Principle
updated: 2025-09-06 19:59:44
created: 2025-08-24
---
## **Часть I.3 — Принцип**
## 🔗 Блок ссылок
### 1️⃣ Вышестоящие идеи
- [[Overlay AGI Comprehensive System Development]] – описывает [^1].
### 3️⃣ Прямо относящиеся к этой заметке
- [[AGI Twin Non-Exportability Principle]] – текущая запись [^9].
#### 📚 Sources
[ ^1 ]: [[Overlay AGI Comprehensive System Development]]
[ ^9 ]: [[AGI Twin Non-Exportability Principle]]
#### Sources:
[^1]: [[2 часа обзор проекта]]
[^9]: [[02_Philosophical_Criteria]]
[^10]: [[03_Architectural_Principles]]
";

fn check_seed(note: &Note) {
    let fm = note.frontmatter.as_ref().unwrap();
    assert_eq!(fm.title(), Some("AGI Twin Non-Exportability Principle"));
    assert_eq!(note.title(), "AGI Twin Non-Exportability Principle");
    assert_eq!(
        fm.description(),
        Some("AGI‑Двойник нельзя выгрузить в файл")
    );
    let keys: Vec<&str> = fm.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["tags", "description", "title", "updated", "created"]);
    assert_eq!(
        fm.get("updated").unwrap().value.value.as_str(),
        Some("2025-09-06 19:59:44")
    );
    assert!(note.problems.is_empty(), "{:?}", note.problems);

    let headings: Vec<(u8, &str)> = note
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            (2, "Часть I.3 — Принцип"),
            (2, "🔗 Блок ссылок"),
            (3, "1️⃣ Вышестоящие идеи"),
            (3, "3️⃣ Прямо относящиеся к этой заметке"),
            (4, "📚 Sources"),
            (4, "Sources:"),
        ]
    );
    assert_eq!(
        slice(note, note.headings[0].span),
        "## **Часть I.3 — Принцип**"
    );

    let links: Vec<&str> = note.links.iter().map(|l| l.target(&note.text)).collect();
    assert_eq!(
        links,
        [
            "Overlay AGI Comprehensive System Development",
            "AGI Twin Non-Exportability Principle",
            "Overlay AGI Comprehensive System Development",
            "AGI Twin Non-Exportability Principle",
            "2 часа обзор проекта",
            "02_Philosophical_Criteria",
            "03_Architectural_Principles",
        ]
    );
    for l in &note.links {
        assert_eq!(slice(note, l.target_span), l.target(&note.text));
        assert_eq!(slice(note, l.span), format!("[[{}]]", l.target(&note.text)));
        assert_eq!(l.source, LinkSource::Body);
    }

    let tags: Vec<(&str, &str)> = note
        .tags
        .iter()
        .map(|t| (t.name.as_str(), slice(note, t.span)))
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
        ]
    );

    let refs: Vec<(&str, &str)> = note
        .footnote_refs
        .iter()
        .map(|r| (r.label.as_str(), slice(note, r.span)))
        .collect();
    assert_eq!(refs, [("1", "[^1]"), ("9", "[^9]")]);
    let defs: Vec<(&str, &str, bool, &str)> = note
        .footnote_defs
        .iter()
        .map(|d| {
            (
                d.label.as_str(),
                slice(note, d.span),
                d.malformed,
                d.content.as_str(),
            )
        })
        .collect();
    assert_eq!(
        defs,
        [
            (
                "1",
                "[ ^1 ]:",
                true,
                "[[Overlay AGI Comprehensive System Development]]"
            ),
            (
                "9",
                "[ ^9 ]:",
                true,
                "[[AGI Twin Non-Exportability Principle]]"
            ),
            ("1", "[^1]:", false, "[[2 часа обзор проекта]]"),
            ("9", "[^9]:", false, "[[02_Philosophical_Criteria]]"),
            ("10", "[^10]:", false, "[[03_Architectural_Principles]]"),
        ]
    );
}

#[test]
fn seed_sample() {
    check_seed(&parse(SEED));
}

#[test]
fn seed_sample_with_bom_and_crlf() {
    let text = format!("\u{feff}{}", SEED.replace('\n', "\r\n"));
    let note = parse(&text);
    check_seed(&note);
    let fm = note.frontmatter.as_ref().unwrap();
    assert_eq!(fm.span.start, 3);
    assert!(slice(&note, fm.span).ends_with("created: 2025-08-24\r\n---"));
    // Nothing ends inside a CRLF pair.
    assert!(
        note.headings
            .iter()
            .all(|h| !slice(&note, h.span).ends_with('\r'))
    );
    assert_eq!(
        note.footnote_defs[4].content,
        "[[03_Architectural_Principles]]"
    );
}

#[test]
fn code_math_html_and_comments_exclude_everything() {
    let text = "Keep [[Yes]] #yes [^y]\n\
                ```\n[[Fenced]] #fenced [^f]\n[^f]: def\n```\n\n    [[Indented]] #indented\n\n\
                Inline `[[Code]] #code [^c]` and $[[Math]] #math$ and\n\n$$\n[[Display]] #display\n$$\n\n\
                <div>\n[[Html]] #html\n</div>\n\n\
                %% [[Comment]] #comment [^m] ^cid %%\n\
                %%\n## Hidden heading\n[md](Hidden.md)\n%%\n\
                [[Last]] ^real\n";
    let note = parse(text);
    let links: Vec<&str> = note.links.iter().map(|l| l.target(&note.text)).collect();
    assert_eq!(links, ["Yes", "Last"]);
    let tags: Vec<&str> = note.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["yes"]);
    let refs: Vec<&str> = note
        .footnote_refs
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    assert_eq!(refs, ["y"]);
    assert!(note.footnote_defs.is_empty());
    assert!(note.headings.is_empty());
    let ids: Vec<&str> = note.block_ids.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["real"]);
    let comments: Vec<&str> = note.comments.iter().map(|c| slice(&note, *c)).collect();
    assert_eq!(
        comments,
        [
            "%% [[Comment]] #comment [^m] ^cid %%",
            "%%\n## Hidden heading\n[md](Hidden.md)\n%%"
        ]
    );
}

#[test]
fn unclosed_comment_hides_the_rest() {
    let note = parse("[[A]] %% start\n[[B]] #b\n");
    assert_eq!(note.links.len(), 1);
    assert!(note.tags.is_empty());
    assert_eq!(slice(&note, note.comments[0]), "%% start\n[[B]] #b\n");
}

#[test]
fn tags_not_in_links_urls_or_heading_markers() {
    let text = "# Heading #h1\n##nospace\n[see #no](Note.md#Part) [[Note#Part|#alias]] \
                <https://x.com/#auto> http://x.com/#frag https://x.com/?#q and #ok, (#paren)";
    let note = parse(text);
    let tags: Vec<&str> = note.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["h1", "ok", "paren"]);
    for t in &note.tags {
        assert_eq!(slice(&note, t.span), format!("#{}", t.name));
    }
}

#[test]
fn links_ordered_body_then_frontmatter() {
    let text = "---\nup: \"[[Up]]\"\n---\n[md](B.md) [[A]] ![[C.png]]\n";
    let note = parse(text);
    let links: Vec<(&str, bool, bool)> = note
        .links
        .iter()
        .map(|l| (l.target(&note.text), l.embed, l.source == LinkSource::Body))
        .collect();
    assert_eq!(
        links,
        [
            ("B.md", false, true),
            ("A", false, true),
            ("C.png", true, true),
            ("Up", false, false)
        ]
    );
    assert_eq!(slice(&note, note.links[3].span), "[[Up]]");
    assert_eq!(slice(&note, note.links[2].span), "![[C.png]]");
}

#[test]
fn cyrillic_and_emoji_spans() {
    let text = "Привет 😀 [[Заметка#Раздел|показ]] и #тег/вложенный ^блок-1\n";
    let note = parse(text);
    let l = &note.links[0];
    assert_eq!(slice(&note, l.target_span), "Заметка");
    assert_eq!(slice(&note, l.anchor.as_ref().unwrap().span), "Раздел");
    assert_eq!(l.display(&note.text), Some("показ"));
    assert_eq!(note.tags[0].name, "тег/вложенный");
    // Block ids are ASCII letters, digits and dashes only, as Obsidian accepts them.
    assert!(note.block_ids.is_empty());
    let note = parse("Текст ^block-1\n");
    assert_eq!(note.block_ids[0].id, "block-1");
    assert_eq!(slice(&note, note.block_ids[0].block_span), "Текст ^block-1");
}

#[test]
fn wikilink_inside_footnote_definition_and_heading() {
    let text = "## See [[Target|shown]] now\n\nText[^a].\n\n[^a]: From [[Source#^blk]]\n";
    let note = parse(text);
    assert_eq!(note.headings[0].text, "See shown now");
    let targets: Vec<&str> = note.links.iter().map(|l| l.target(&note.text)).collect();
    assert_eq!(targets, ["Target", "Source"]);
    assert_eq!(note.footnote_defs[0].content, "From [[Source#^blk]]");
    assert_eq!(note.footnote_refs[0].label, "a");
}

#[test]
fn section_spans_follow_headings() {
    let note = parse("# A\ntext\n## B\nmore\n# C\n");
    assert_eq!(
        slice(&note, note.section_span(0)),
        "# A\ntext\n## B\nmore\n"
    );
    assert_eq!(slice(&note, note.section_span(1)), "## B\nmore\n");
    assert_eq!(note.heading_at(note.text.find("more").unwrap()), Some(1));
}

#[test]
fn every_span_is_on_char_boundaries() {
    let text = "---\ntags: [ж, \"😀\"]\nup: '[[Ё]]'\n---\n# Заголовок 😀\n- пункт [[Ссылка|😀]] #тег ^id\n> [!заметка] Титул\n[^ж]: [[Ф]]\n";
    let note = parse(text);
    let mut spans: Vec<Span> = Vec::new();
    spans.extend(note.headings.iter().flat_map(|h| [h.span, h.text_span]));
    spans.extend(note.links.iter().flat_map(|l| [l.span, l.target_span]));
    spans.extend(note.tags.iter().map(|t| t.span));
    spans.extend(note.block_ids.iter().flat_map(|b| [b.span, b.block_span]));
    spans.extend(note.footnote_defs.iter().map(|d| d.span));
    spans.extend(note.callouts.iter().flat_map(|c| [c.span, c.kind_span]));
    assert!(spans.len() > 12);
    for s in spans {
        assert!(s.end as usize <= text.len());
        assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize));
    }
    assert_eq!(note.callouts[0].kind, "заметка");
}

#[test]
fn backslash_escapes_disable_obsidian_syntax() {
    let text = "\\[[NotLink]] \\#nottag \\[^nf] \\![[Plain]] \\\\[[Real]]";
    let note = parse(text);
    let links: Vec<(&str, bool)> = note
        .links
        .iter()
        .map(|l| (l.target(&note.text), l.embed))
        .collect();
    assert_eq!(links, [("Plain", false), ("Real", false)]);
    assert!(note.tags.is_empty());
    assert!(note.footnote_refs.is_empty());
}

#[test]
fn links_in_tables_lists_and_quotes() {
    let text = "| a | b |\n|---|---|\n| [[T\\|alias]] | [md](M.md) |\n\n- [ ] task [[Task]]\n> [!note] [[Quoted]]\n";
    let note = parse(text);
    let links: Vec<(&str, Option<&str>)> = note
        .links
        .iter()
        .map(|l| (l.target(&note.text), l.display(&note.text)))
        .collect();
    assert_eq!(
        links,
        [
            ("T", Some("alias")),
            ("M.md", Some("md")),
            ("Task", None),
            ("Quoted", None)
        ]
    );
    assert_eq!(note.callouts[0].title.as_deref(), Some("[[Quoted]]"));
}
