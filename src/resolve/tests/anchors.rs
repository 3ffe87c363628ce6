//! Heading and block anchors, nested headings, and same-note links.

use super::support::*;
use crate::resolve::AnchorResolution;

const DOC: &str = "# Intro\n## Setup\ntext ^abc\n# Usage\n## Setup\n### Linux\n- item ^Item-2\n## Setup: Windows [x]\n";

fn doc_vault() -> crate::vault::Vault {
    vault(vec![note_with("Doc.md", DOC, &[], &[]), note("x.md")], &[])
}

fn anchor(raw: &str) -> AnchorResolution {
    let v = doc_vault();
    let r = resolve(&v, "x.md", &wiki(raw));
    assert_eq!(path_of(&v, &r).as_deref(), Some("Doc.md"), "{raw}");
    r.anchor
}

#[test]
fn the_helper_found_the_headings() {
    let v = doc_vault();
    let doc = v.note(v.note_by_path("Doc.md").unwrap());
    let texts: Vec<_> = doc.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Intro",
            "Setup",
            "Usage",
            "Setup",
            "Linux",
            "Setup: Windows [x]"
        ]
    );
    assert_eq!(doc.block_ids.len(), 2);
}

#[test]
fn plain_headings() {
    assert_eq!(anchor("Doc"), AnchorResolution::None);
    assert_eq!(anchor("Doc#Intro"), AnchorResolution::Heading(0));
    assert_eq!(anchor("Doc#usage"), AnchorResolution::Heading(2));
    // The first of two equal headings.
    assert_eq!(anchor("Doc#Setup"), AnchorResolution::Heading(1));
    assert_eq!(anchor("Doc#Setup Windows x"), AnchorResolution::Heading(5));
    assert_eq!(anchor("Doc#Nope"), AnchorResolution::Missing);
    assert_eq!(anchor("Doc#"), AnchorResolution::None);
}

#[test]
fn nested_headings() {
    assert_eq!(anchor("Doc#Intro#Setup"), AnchorResolution::Heading(1));
    assert_eq!(anchor("Doc#Usage#Setup"), AnchorResolution::Heading(3));
    assert_eq!(
        anchor("Doc#usage#setup#LINUX"),
        AnchorResolution::Heading(4)
    );
    // Any depth below, not only direct children.
    assert_eq!(anchor("Doc#Usage#Linux"), AnchorResolution::Heading(4));
    // The first `Setup` has no `Linux`; the second does.
    assert_eq!(anchor("Doc#Setup#Linux"), AnchorResolution::Heading(4));
    assert_eq!(anchor("Doc#Intro#Linux"), AnchorResolution::Missing);
    assert_eq!(anchor("Doc#Linux#Usage"), AnchorResolution::Missing);
    assert_eq!(anchor("Doc#Setup#Intro"), AnchorResolution::Missing);
}

#[test]
fn block_anchors() {
    assert_eq!(anchor("Doc#^abc"), AnchorResolution::Block(0));
    assert_eq!(anchor("Doc#^ABC"), AnchorResolution::Block(0));
    assert_eq!(anchor("Doc#^item-2"), AnchorResolution::Block(1));
    assert_eq!(anchor("Doc#^zzz"), AnchorResolution::Missing);
}

#[test]
fn same_note_anchors() {
    let v = doc_vault();
    let doc = v.note_by_path("Doc.md").unwrap();
    let r = resolve(&v, "Doc.md", &wiki("#Usage#Linux"));
    assert_eq!(r.target, Some(crate::resolve::LinkTarget::Note(doc)));
    assert_eq!(r.anchor, AnchorResolution::Heading(4));
    let r = resolve(&v, "Doc.md", &wiki("#^abc"));
    assert_eq!(r.target, Some(crate::resolve::LinkTarget::Note(doc)));
    assert_eq!(r.anchor, AnchorResolution::Block(0));
    let r = resolve(&v, "Doc.md", &md("#Intro"));
    assert_eq!(r.anchor, AnchorResolution::Heading(0));
    let r = resolve(&v, "x.md", &wiki("#Intro"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("x.md"));
    assert_eq!(r.anchor, AnchorResolution::Missing);
}

#[test]
fn broken_target_has_no_anchor_verdict() {
    let v = doc_vault();
    let r = resolve(&v, "x.md", &wiki("Gone#Intro"));
    assert_eq!(r.target, None);
    assert_eq!(r.anchor, AnchorResolution::None);
}

mod indexed {
    //! The heading index gives the same answers as the scan it replaces for long notes.

    use proptest::prelude::*;

    use super::*;
    use crate::resolve::link::find_heading;

    const NAMES: [&str; 5] = ["Setup", "setup", "Linux", "Café", "A  b"];

    /// A note of `(level, name)` headings, built by the test helper's line scanner.
    fn long_note(headings: &[(u8, usize)]) -> crate::note::Note {
        let mut text = String::new();
        for (level, name) in headings {
            text.push_str(&"#".repeat(*level as usize));
            text.push(' ');
            text.push_str(NAMES[*name]);
            text.push_str("\nbody\n");
        }
        note_with("Long.md", &text, &[], &[])
    }

    proptest! {
        #[test]
        fn index_and_scan_agree(
            headings in prop::collection::vec((1u8..4, 0usize..NAMES.len()), 0..80),
            path in prop::collection::vec(0usize..NAMES.len() + 1, 1..4),
        ) {
            let note = long_note(&headings);
            // The extra name is an empty part, which nested anchors skip.
            let parts: Vec<&str> = path
                .iter()
                .map(|&i| NAMES.get(i).copied().unwrap_or(" "))
                .collect();
            let scanned = find_heading(&note, &parts, 0, usize::MAX, None, false);
            let indexed = find_heading(&note, &parts, 0, usize::MAX, None, true);
            prop_assert_eq!(scanned, indexed);
        }
    }

    #[test]
    fn a_long_note_resolves_nested_and_block_anchors() {
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("# Part {i}\n## Setup\nline ^B{i}\n"));
        }
        let v = vault(
            vec![note_with("Long.md", &text, &[], &[]), note("x.md")],
            &[],
        );
        let long = v.note(v.note_by_path("Long.md").unwrap());
        let r = resolve(&v, "x.md", &wiki("Long#Part 57#setup"));
        assert_eq!(r.anchor, AnchorResolution::Heading(57 * 2 + 1));
        let r = resolve(&v, "x.md", &wiki("Long#^b42"));
        assert_eq!(r.anchor, AnchorResolution::Block(42));
        assert!(long.anchor_index.get().is_some(), "the index was used");
        let r = resolve(&v, "x.md", &wiki("Long#Part 100"));
        assert_eq!(r.anchor, AnchorResolution::Missing);
    }
}
