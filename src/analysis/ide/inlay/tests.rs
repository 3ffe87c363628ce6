//! Inlay hints on fixture vaults: `path:line:col: label` per hint, at the link's end,
//! for the note holding the cursor.

use super::InlayKind;
use crate::analysis::fixture::Fixture;
use crate::text::Span;

fn check(fixture: &str, expect: &str) {
    let f = Fixture::parse(fixture);
    let (id, _) = f.cursor();
    let len = f.analysis.vault.note(id).text.len();
    let shown: Vec<String> = f
        .analysis
        .inlay_hints(id, Span::new(0, len))
        .iter()
        .map(|h| {
            let at = f.show(id, Span::empty(h.offset));
            let kind = match h.kind {
                InlayKind::Block => "block".to_string(),
                InlayKind::Relation(r) => r.as_str().to_string(),
            };
            format!("{at} {} ({kind})", h.label)
        })
        .collect();
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(shown, expect, "\n--- actual ---\n{}", shown.join("\n"));
}

#[test]
fn a_block_reference_shows_the_blocks_first_words() {
    check(
        "
//- Home.md
$0See [[Note#^short]], [[Note#^long]], ![[Note#^item]] and [[Note#^gone]].
//- Note.md
Short one. ^short

A rather long paragraph that goes on well past the few words shown. ^long

- 1. listed item ^item
",
        "Home.md:1:20: Short one. (block)
         Home.md:1:36: A rather long paragraph that goes… (block)
         Home.md:1:53: listed item (block)",
    );
}

#[test]
fn a_relation_declared_elsewhere_is_shown_at_a_plain_link() {
    check(
        "
//- Home.md
---
up: \"[[Top]]\"
---
$0Body mentions [[Top]], [[Child]], [[Peer]] and [[Stranger]].

## Related
- [[Peer]]
//- Top.md
//- Child.md
## Upstream
- [[Home]]
//- Peer.md
//- Stranger.md
",
        "Home.md:4:22: ↑ (upstream)
         Home.md:4:33: ↓ (downstream)
         Home.md:4:43: ↔ (related)",
    );
}

#[test]
fn no_relation_hint_where_the_relation_is_visible() {
    // The typed links themselves, and a vault with no relations at all.
    check(
        "
//- Home.md
$0## Upstream
- [[Top]]
//- Top.md
",
        "",
    );
    check("//- Home.md\n$0[[A]]\n//- A.md\n[[Home]]\n", "");
}
