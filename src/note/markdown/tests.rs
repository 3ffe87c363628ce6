//! Tests for the markdown walk: headings, markdown links, block ids, callouts, zones.

use super::*;
use crate::note::model::{AnchorKind, LinkKind};

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

#[test]
fn atx_headings_plain_text_and_spans() {
    let text = "## **Часть I.3 — Принцип**\r\n### 1️⃣ Вышестоящие идеи ###\n#### `code` and [link](x.md) ####\n#not-a-heading\n";
    let md = walk(text, 0);
    let h: Vec<_> = md
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(
        h,
        [
            (2, "Часть I.3 — Принцип"),
            (3, "1️⃣ Вышестоящие идеи"),
            (4, "code and link"),
        ]
    );
    assert_eq!(
        slice(text, md.headings[0].span),
        "## **Часть I.3 — Принцип**"
    );
    assert_eq!(
        slice(text, md.headings[0].text_span),
        "**Часть I.3 — Принцип**"
    );
    assert_eq!(slice(text, md.headings[1].text_span), "1️⃣ Вышестоящие идеи");
    assert_eq!(
        slice(text, md.headings[2].span),
        "#### `code` and [link](x.md) ####"
    );
    assert_eq!(
        slice(text, md.headings[2].text_span),
        "`code` and [link](x.md)"
    );
}

#[test]
fn setext_and_empty_headings() {
    let text = "Title *one*\r\nline two\r\n===\r\n\r\nSub\n---\n\n#\n\n## Closed #\n";
    let md = walk(text, 0);
    let h: Vec<_> = md
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(
        h,
        [
            (1, "Title one line two"),
            (2, "Sub"),
            (1, ""),
            (2, "Closed")
        ]
    );
    assert_eq!(
        slice(text, md.headings[0].span),
        "Title *one*\r\nline two\r\n==="
    );
    assert_eq!(
        slice(text, md.headings[0].text_span),
        "Title *one*\r\nline two"
    );
    assert_eq!(slice(text, md.headings[1].text_span), "Sub");
    assert!(md.headings[2].text_span.is_empty());
    assert_eq!(slice(text, md.headings[3].text_span), "Closed");
}

#[test]
fn markdown_links_internal_only() {
    let text = "[a](My%20Note.md#Some%20Heading) ![alt](img/p.png) [x](https://e.com/#f) \
                [m](mailto:a@b) [o](obsidian://open?x) [h](#Local) [b](Note.md#^blk) [e]() \
                [ang](<Spaced Name.md> \"title\")";
    let md = walk(text, 0);
    let l = &md.links;
    assert_eq!(l.len(), 5);
    assert!(l.iter().all(|l| l.kind == LinkKind::Markdown));
    assert_eq!(l[0].target(text), "My Note.md");
    assert_eq!(slice(text, l[0].target_span), "My%20Note.md");
    let a0 = l[0].anchor.as_ref().unwrap();
    assert_eq!(
        l[0].anchor_kind(text).unwrap(),
        AnchorKind::Heading(smallvec::smallvec!["Some Heading"])
    );
    assert_eq!(slice(text, a0.span), "Some%20Heading");
    assert_eq!(l[0].display(text), Some("a"));
    assert_eq!(slice(text, l[0].span), "[a](My%20Note.md#Some%20Heading)");
    assert!(l[1].embed);
    assert_eq!(l[1].target(text), "img/p.png");
    assert_eq!(l[1].display(text), Some("alt"));
    assert_eq!(slice(text, l[1].span), "![alt](img/p.png)");
    assert_eq!(l[2].target(text), "");
    assert_eq!(l[2].target_span, Span::empty(text.find("#Local").unwrap()));
    assert_eq!(
        l[2].anchor_kind(text).unwrap(),
        AnchorKind::Heading(smallvec::smallvec!["Local"])
    );
    assert_eq!(l[3].target(text), "Note.md");
    assert_eq!(l[3].anchor_kind(text).unwrap(), AnchorKind::Block("blk"));
    assert_eq!(l[4].target(text), "Spaced Name.md");
    assert_eq!(slice(text, l[4].target_span), "Spaced Name.md");
    // Every markdown link hides tags, external ones included.
    assert_eq!(md.link_zones.len(), 9);
}

#[test]
fn reference_links_point_into_their_definition() {
    let text = "See [the note][r] and [r].\n\n[r]: <Other Note.md#Part>\n";
    let md = walk(text, 0);
    assert_eq!(md.links.len(), 2);
    for l in &md.links {
        assert_eq!(l.target(text), "Other Note.md");
        assert_eq!(slice(text, l.target_span), "Other Note.md");
        assert_eq!(slice(text, l.anchor.as_ref().unwrap().span), "Part");
    }
    assert_eq!(md.links[0].display(text), Some("the note"));
}

#[test]
fn image_inside_link() {
    let text = "[![pic](a.png)](Target.md)";
    let md = walk(text, 0);
    let targets: Vec<_> = md.links.iter().map(|l| (l.target(text), l.embed)).collect();
    assert_eq!(targets, [("a.png", true), ("Target.md", false)]);
    assert_eq!(slice(text, md.links[1].target_span), "Target.md");
    assert_eq!(md.links[1].display(text), Some("pic"));
}

#[test]
fn wikilinks_are_left_to_the_scanner() {
    let md = walk("[[Note]] ![[Pic.png]] [[A|b]]", 0);
    assert!(md.links.is_empty());
    assert!(md.link_zones.is_empty());
}

#[test]
fn code_math_and_html_zones() {
    let text = "a `code` $x$ <span>t</span>\n\n$$\ny\n$$\n\n```\nfenced\n```\n\n    indented\n\n<div>\nhtml\n</div>\n";
    let md = walk(text, 0);
    let zones: Vec<&str> = md.code_zones.iter().map(|r| &text[r.clone()]).collect();
    assert!(zones.contains(&"`code`"));
    assert!(zones.contains(&"$x$"));
    assert!(zones.contains(&"<span>"));
    assert!(
        zones
            .iter()
            .any(|z| z.starts_with("$$") && z.ends_with("$$"))
    );
    assert!(zones.contains(&"```\nfenced\n```"));
    assert!(zones.contains(&"indented\n"));
    assert!(
        zones
            .iter()
            .any(|z| z.starts_with("<div>") && z.contains("</div>"))
    );
}

#[test]
fn block_ids_name_paragraphs_items_and_previous_blocks() {
    let text = "Para text ^p1\n\n\
                - item one ^i1\n  - child ^c1\n- item two\n\n\
                ^list\n\n\
                > quote\n> more ^q1\n\n\
                | a |\n|---|\n| b |\n\n^tbl\n\n\
                Two lines\n^p2\n\n\
                no^glued and `x ^code`\n\n\
                ^lonely-start\n";
    let md = walk(text, 0);
    let ids: Vec<(&str, &str)> = md
        .block_ids
        .iter()
        .map(|b| (b.id.as_str(), slice(text, b.block_span)))
        .collect();
    assert_eq!(
        ids,
        [
            ("p1", "Para text ^p1"),
            ("i1", "- item one ^i1\n  - child ^c1"),
            ("c1", "- child ^c1"),
            ("list", "- item one ^i1\n  - child ^c1\n- item two"),
            ("q1", "> quote\n> more ^q1"),
            ("tbl", "| a |\n|---|\n| b |"),
            ("p2", "Two lines\n^p2"),
            ("lonely-start", "no^glued and `x ^code`"),
        ]
    );
    assert_eq!(slice(text, md.block_ids[0].span), "^p1");
}

/// Obsidian's parser tries a block id wherever an inline element ends, and elsewhere only
/// after whitespace: `![[pic.png]]^id` names its paragraph, `text^id` names nothing.
#[test]
fn block_ids_right_after_an_inline_element() {
    let text = "![[pic.png]]^after-embed\n\n\
                See [[Note]]^after-link\n\n\
                A [link](x.md)^after-md and `code`^after-code\n\n\
                **bold**^after-bold\n\n\
                plain^not-an-id\n\n\
                [[Note]] then text^not-either\n\n\
                - item [[Note]]^in-item\n";
    let md = walk(text, 0);
    let ids: Vec<(&str, &str)> = md
        .block_ids
        .iter()
        .map(|b| (b.id.as_str(), slice(text, b.block_span)))
        .collect();
    assert_eq!(
        ids,
        [
            ("after-embed", "![[pic.png]]^after-embed"),
            ("after-link", "See [[Note]]^after-link"),
            (
                "after-code",
                "A [link](x.md)^after-md and `code`^after-code"
            ),
            ("after-bold", "**bold**^after-bold"),
            ("in-item", "- item [[Note]]^in-item"),
        ]
    );
}

#[test]
fn block_id_alone_at_start_names_itself() {
    let text = "^first\n\nnext";
    let md = walk(text, 0);
    assert_eq!(md.block_ids.len(), 1);
    assert_eq!(slice(text, md.block_ids[0].block_span), "^first");
}

#[test]
fn block_ids_in_loose_items_and_headings() {
    let text = "## Heading ^not\n\n- loose ^l1\n\n  second para ^l2\n- next\n";
    let md = walk(text, 0);
    let ids: Vec<(&str, &str)> = md
        .block_ids
        .iter()
        .map(|b| (b.id.as_str(), slice(text, b.block_span)))
        .collect();
    let item = "- loose ^l1\n\n  second para ^l2";
    assert_eq!(ids, [("l1", item), ("l2", item)]);
}

#[test]
fn callouts() {
    let text = "> [!note] Title here\n> body\n\n> [!Warning]-\n> x\n\n> > [!tip]+ Nested\n\n> [! bad]\n> plain\n";
    let md = walk(text, 0);
    let c: Vec<_> = md
        .callouts
        .iter()
        .map(|c| (c.kind.as_str(), c.title.as_deref(), c.fold))
        .collect();
    assert_eq!(
        c,
        [
            ("note", Some("Title here"), None),
            ("Warning", None, Some('-')),
            ("tip", Some("Nested"), Some('+')),
        ]
    );
    assert_eq!(slice(text, md.callouts[0].kind_span), "note");
    assert_eq!(
        slice(text, md.callouts[0].span),
        "> [!note] Title here\n> body"
    );
}
