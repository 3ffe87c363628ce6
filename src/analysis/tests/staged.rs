//! A load in stages: links answer before the coherence model exists, edits in between
//! leave it to be built later, and the finished analysis equals a plain load.

use std::sync::Arc;

use crate::analysis::{Analysis, Change, Stage};
use crate::note::{VaultPath, parse_note};

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Home.md"),
        "See [[Guide#Usage]] and [[Gone]].\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Guide.md"),
        "# Guide\n\n## Usage\n\nBack to [[Home]].\n",
    )
    .unwrap();
    dir
}

#[test]
fn resolved_before_coherent_and_equal_to_a_plain_load_once_finished() {
    let dir = vault();
    let mut stages = Vec::new();
    let mut staged =
        Analysis::load_resolved(dir.path(), Arc::default(), &mut |s| stages.push(s)).unwrap();
    assert_eq!(stages, [Stage::Load, Stage::Resolve]);
    assert!(!staged.is_coherent());
    let home = staged.vault.note_by_path("Home.md").unwrap();
    let guide = staged.vault.note_by_path("Guide.md").unwrap();
    assert_eq!(staged.graph.links_to_note(guide), [(home, 0)]);

    // An edit before the coherence model exists must not touch it.
    let text = "See [[Guide]].\n";
    let note = Arc::new(parse_note(VaultPath::from("Home.md"), Arc::from(text)));
    staged.apply(vec![Change::Upsert(note)]);
    assert!(!staged.is_coherent());
    staged.update_coherence(home);

    let coherence = staged.coherence_model();
    staged.set_coherence(coherence);
    assert!(staged.is_coherent());
    std::fs::write(dir.path().join("Home.md"), text).unwrap();
    let plain = Analysis::load(dir.path(), Arc::default()).unwrap();
    assert_eq!(staged.check(None), plain.check(None));
}

/// Before its links are resolved, a load answers every definition from a link or a
/// footnote as the resolved load does (the note's own links resolved on the spot), and
/// leaves a tag's, which needs every note, to the resolved load.
#[test]
fn definitions_before_the_links_are_resolved_are_those_after() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for vault in ["demo-vault", "obsidian-conformance/vault"] {
        let dir = root.join(vault);
        let off = crate::analysis::CacheSetting::Off;
        let mut stages = Vec::new();
        let (names, _) =
            Analysis::load_names_cached(&dir, Arc::default(), &off, &mut |s| stages.push(s))
                .unwrap();
        assert_eq!(stages, [Stage::Load]);
        assert!(!names.is_resolved());
        let mut resolved = names.clone();
        resolved.set_graph(names.link_graph());
        assert!(resolved.is_resolved());
        let mut links = 0;
        for id in names.vault.note_ids() {
            let note = names.vault.note(id);
            let mut offsets: Vec<u32> = Vec::new();
            for link in &note.links {
                offsets.extend([link.span.start, link.target_span.start, link.span.end - 1]);
                links += 1;
            }
            offsets.extend(note.footnote_refs.iter().map(|f| f.span.start));
            for offset in offsets {
                let offset = offset as usize;
                assert_eq!(
                    names.definition_unresolved(id, offset),
                    Some(resolved.definition(id, offset)),
                    "{vault}: {} at {offset}",
                    note.path
                );
            }
            for tag in &note.tags {
                let offset = tag.span.start as usize + 1;
                assert_eq!(names.definition_unresolved(id, offset), None);
                assert_eq!(
                    resolved.definition_unresolved(id, offset),
                    Some(resolved.definition(id, offset))
                );
            }
        }
        assert!(links > 50, "{vault}: {links} links");
    }
}
