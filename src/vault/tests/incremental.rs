//! `upsert_note` and `remove_note` keep the notes sorted and the index equal to a rebuild.

use std::sync::Arc;

use crate::resolve::tests::support::*;
use crate::vault::NameIndex;
use crate::vault::{AttachmentId, NoteId, SkippedFile, Vault};

fn assert_consistent(v: &Vault) {
    let paths: Vec<&str> = v.notes.iter().map(|n| &*n.path).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(v.index, NameIndex::build(&v.notes, &v.attachments));
}

#[test]
fn inserts_replacements_and_removals_match_a_rebuild() {
    let mut v = vault(
        vec![note("b/Note.md"), note_with("m.md", "", &[], &["Em"])],
        &["x.png"],
    );
    assert_consistent(&v);
    assert_eq!(v.upsert_note(Arc::new(note("a.md"))), NoteId(0));
    assert_consistent(&v);
    assert_eq!(
        v.upsert_note(Arc::new(note_with("z/Note.md", "", &[], &["Em", "Zed"]))),
        NoteId(3)
    );
    assert_consistent(&v);
    assert_eq!(v.index.notes_with_alias("em"), [NoteId(2), NoteId(3)]);
    // Same path: replaced in place, aliases updated, ids kept.
    assert_eq!(
        v.upsert_note(Arc::new(note_with("m.md", "", &[], &["Other"]))),
        NoteId(2)
    );
    assert_eq!(v.notes.len(), 4);
    assert_consistent(&v);
    assert_eq!(v.index.notes_with_alias("em"), [NoteId(3)]);
    assert_eq!(v.index.notes_named("note"), [NoteId(1), NoteId(3)]);

    let removed = v.remove_note("a.md").expect("was there");
    assert_eq!(&*removed.path, "a.md");
    assert_consistent(&v);
    assert_eq!(v.index.notes_named("note"), [NoteId(0), NoteId(2)]);
    assert!(v.remove_note("a.md").is_none());
    v.remove_note("z/Note.md");
    v.remove_note("b/Note.md");
    v.remove_note("m.md");
    assert!(v.notes.is_empty());
    assert_consistent(&v);
    assert_eq!(v.index.notes_named("note"), []);
}

#[test]
fn links_resolve_after_an_insert() {
    let mut v = vault(vec![note("b.md")], &[]);
    assert_eq!(target(&v, "b.md", &wiki("Later")), None);
    v.upsert_note(Arc::new(note("sub/Later.md")));
    assert_eq!(
        target(&v, "b.md", &wiki("later")).as_deref(),
        Some("sub/Later.md")
    );
}

#[test]
fn upsert_clears_a_skipped_entry() {
    let mut v = Vault::from_parts(
        "/v".into(),
        Vec::new(),
        Vec::new(),
        vec![SkippedFile {
            path: "bad.md".into(),
            reason: "not valid UTF-8 at byte 3".into(),
        }],
    );
    // The file exists, so it is a name links resolve to even before it can be read.
    assert_eq!(v.note_by_path("bad.md"), Some(NoteId(0)));
    v.upsert_note(Arc::new(note("bad.md")));
    assert!(v.skipped.is_empty());
    assert_eq!(v.note_by_path("bad.md"), Some(NoteId(0)));
}

#[test]
fn attachments_added_and_removed_match_a_rebuild() {
    let mut v = vault(vec![note("n.md")], &["b/pic.png"]);
    assert_eq!(v.add_attachment("a/pic.png".into()), AttachmentId(0));
    assert_consistent(&v);
    assert_eq!(v.add_attachment("a/pic.png".into()), AttachmentId(0));
    assert_eq!(v.add_attachment("c.pdf".into()), AttachmentId(2));
    assert_eq!(v.attachments.len(), 3);
    assert_consistent(&v);
    assert_eq!(
        target(&v, "n.md", &wiki("pic.png")).as_deref(),
        Some("a/pic.png")
    );
    assert!(v.remove_attachment("a/pic.png"));
    assert!(!v.remove_attachment("a/pic.png"));
    assert_consistent(&v);
    assert_eq!(
        target(&v, "n.md", &wiki("pic.png")).as_deref(),
        Some("b/pic.png")
    );
    assert_eq!(v.attachment_by_path("c.pdf"), Some(AttachmentId(1)));
}
