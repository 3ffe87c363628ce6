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
