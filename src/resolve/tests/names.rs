//! Wikilink targets: paths, suffixes, bare names, preferences and normalization.

use super::support::*;
use crate::vault::normalize_key;

#[test]
fn suffix_matches_only_at_a_folder_boundary() {
    let v = vault(vec![note("en/Sync/Security.md"), note("root.md")], &[]);
    let found = Some("en/Sync/Security.md".to_owned());
    assert_eq!(target(&v, "root.md", &wiki("Sync/Security")), found);
    assert_eq!(target(&v, "root.md", &wiki("en/Sync/Security")), found);
    assert_eq!(target(&v, "root.md", &wiki("Security")), found);
    assert_eq!(target(&v, "root.md", &wiki("ync/Security")), None);
    assert_eq!(target(&v, "root.md", &wiki("n/Sync/Security")), None);
    assert_eq!(target(&v, "root.md", &wiki("Sync")), None);
    assert_eq!(target(&v, "root.md", &wiki("Sync/Security/x")), None);
}

#[test]
fn same_folder_is_preferred() {
    let v = vault(
        vec![
            note("a/Note.md"),
            note("b/Note.md"),
            note("b/x.md"),
            note("a/x.md"),
        ],
        &[],
    );
    let r = resolve(&v, "b/x.md", &wiki("Note"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("b/Note.md"));
    assert_eq!(candidates(&v, &r), ["b/Note.md", "a/Note.md"]);
    let r = resolve(&v, "a/x.md", &wiki("Note"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("a/Note.md"));
    assert_eq!(candidates(&v, &r), ["a/Note.md", "b/Note.md"]);
}

#[test]
fn shortest_path_then_lexicographic() {
    let v = vault(
        vec![
            note("a/b/Note.md"),
            note("zz/Note.md"),
            note("c/Note.md"),
            note("root.md"),
        ],
        &[],
    );
    let r = resolve(&v, "root.md", &wiki("Note"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("c/Note.md"));
    assert_eq!(
        candidates(&v, &r),
        ["c/Note.md", "zz/Note.md", "a/b/Note.md"]
    );
}

#[test]
fn lexicographic_tie_break() {
    let v = vault(
        vec![note("b/Note.md"), note("a/Note.md"), note("root.md")],
        &[],
    );
    let r = resolve(&v, "root.md", &wiki("Note"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("a/Note.md"));
    assert_eq!(candidates(&v, &r), ["a/Note.md", "b/Note.md"]);
}

#[test]
fn exact_full_path_is_never_ambiguous() {
    let v = vault(
        vec![note("Note.md"), note("a/Note.md"), note("a/x.md")],
        &[],
    );
    // From a/, the root note's full path still wins over the same-folder one.
    let r = resolve(&v, "a/x.md", &wiki("Note"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("Note.md"));
    assert!(r.candidates().is_empty());
    let r = resolve(&v, "a/x.md", &wiki("a/Note"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("a/Note.md"));
    assert!(r.candidates().is_empty());
    // A leading slash is the same vault path.
    assert_eq!(
        target(&v, "a/x.md", &wiki("/a/Note")).as_deref(),
        Some("a/Note.md")
    );
}

#[test]
fn suffix_ambiguity_lists_all_matches() {
    let v = vault(
        vec![note("x/Sync/S.md"), note("y/Sync/S.md"), note("Sync2/S.md")],
        &[],
    );
    let r = resolve(&v, "Sync2/S.md", &wiki("Sync/S"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("x/Sync/S.md"));
    assert_eq!(candidates(&v, &r), ["x/Sync/S.md", "y/Sync/S.md"]);
}

#[test]
fn cyrillic_is_case_insensitive() {
    let v = vault(vec![note("Заметка.md"), note("Папка/Другая.md")], &[]);
    let found = Some("Заметка.md".to_owned());
    assert_eq!(target(&v, "Заметка.md", &wiki("заметка")), found);
    assert_eq!(target(&v, "Заметка.md", &wiki("ЗАМЕТКА")), found);
    assert_eq!(
        target(&v, "Заметка.md", &wiki("папка/другая")).as_deref(),
        Some("Папка/Другая.md")
    );
}

#[test]
fn nfd_and_nfc_names_match() {
    let nfd_name = "Cafe\u{301}.md";
    let v = vault(vec![note(nfd_name)], &[]);
    assert_eq!(
        target(&v, nfd_name, &wiki("caf\u{e9}")).as_deref(),
        Some(nfd_name)
    );
    let v = vault(vec![note("Caf\u{e9}.md")], &[]);
    assert_eq!(
        target(&v, "Caf\u{e9}.md", &wiki("CAFE\u{301}")).as_deref(),
        Some("Caf\u{e9}.md")
    );
}

#[test]
fn md_extension_is_optional() {
    let v = vault(vec![note("dir/Note.md"), note("v1.2.md")], &[]);
    for raw in ["Note", "Note.md", "note.MD", "dir/Note.md", "dir/Note"] {
        assert_eq!(
            target(&v, "v1.2.md", &wiki(raw)).as_deref(),
            Some("dir/Note.md"),
            "{raw}"
        );
    }
    // A dot in a note's name is not an attachment extension when no file has it.
    assert_eq!(
        target(&v, "dir/Note.md", &wiki("v1.2")).as_deref(),
        Some("v1.2.md")
    );
}

#[test]
fn attachments_by_path_suffix_and_name() {
    let v = vault(
        vec![note("a/x.md"), note("root.md"), note("doc.md")],
        &["img/image.png", "a/image.png", "docs/doc.pdf", "sound.mp3"],
    );
    assert_eq!(
        target(&v, "a/x.md", &wiki("image.png")).as_deref(),
        Some("a/image.png")
    );
    assert_eq!(
        target(&v, "root.md", &wiki("img/image.png")).as_deref(),
        Some("img/image.png")
    );
    // Same length: the path that sorts first.
    let v2 = vault(vec![note("root.md")], &["bb/image.png", "aa/image.png"]);
    assert_eq!(
        target(&v2, "root.md", &wiki("IMAGE.PNG")).as_deref(),
        Some("aa/image.png")
    );
    // `doc.pdf` is the attachment, not the note `doc.md`.
    assert_eq!(
        target(&v, "root.md", &wiki("doc.pdf")).as_deref(),
        Some("docs/doc.pdf")
    );
    assert_eq!(
        target(&v, "root.md", &wiki("doc")).as_deref(),
        Some("doc.md")
    );
    assert_eq!(
        target(&v, "a/x.md", &md("../sound.mp3")).as_deref(),
        Some("sound.mp3")
    );
    assert_eq!(target(&v, "root.md", &wiki("s/sound.mp3")), None);
    assert_eq!(target(&v, "root.md", &wiki("other.png")), None);
}

#[test]
fn anchor_on_attachment_is_ignored() {
    let v = vault(vec![note("root.md")], &["docs/doc.pdf"]);
    let r = resolve(&v, "root.md", &wiki("doc.pdf#page=3"));
    assert_eq!(path_of(&v, &r).as_deref(), Some("docs/doc.pdf"));
    assert_eq!(r.anchor, crate::resolve::AnchorResolution::None);
}

#[test]
fn aliases_are_indexed_but_do_not_resolve() {
    let v = vault(
        vec![
            note_with("People/John Smith.md", "", &[], &["Johnny", "JS", "johnny"]),
            note_with("b.md", "", &[], &["JS"]),
        ],
        &[],
    );
    assert_eq!(target(&v, "b.md", &wiki("Johnny")), None);
    let john = v.note_by_path("People/John Smith.md").unwrap();
    let b = v.note_by_path("b.md").unwrap();
    assert_eq!(v.index.notes_with_alias(&normalize_key("JOHNNY")), [john]);
    assert_eq!(v.index.notes_with_alias("js"), [john, b]);
    assert_eq!(v.index.notes_with_alias("nobody"), []);
    assert_eq!(v.index.notes_named("john smith"), [john]);
    assert_eq!(v.index.notes_named("people/john smith"), []);
}

#[test]
fn relative_wikilinks_and_dots() {
    let v = vault(
        vec![
            note("a/b/x.md"),
            note("a/Note.md"),
            note("Note.md"),
            note("c/Note.md"),
        ],
        &[],
    );
    assert_eq!(
        target(&v, "a/b/x.md", &wiki("../Note")).as_deref(),
        Some("a/Note.md")
    );
    assert_eq!(
        target(&v, "a/b/x.md", &wiki("../../c/./Note")).as_deref(),
        Some("c/Note.md")
    );
    // A relative path is exact: no suffix or name fallback.
    assert_eq!(target(&v, "a/b/x.md", &wiki("./Note")), None);
    assert_eq!(
        target(&v, "a/b/x.md", &wiki("c/../a/Note")).as_deref(),
        Some("a/Note.md")
    );
    for raw in ["../../../Note", "a/../../Note", "../../../../etc/passwd"] {
        let r = resolve(&v, "a/b/x.md", &wiki(raw));
        assert!(r.target.is_none() && r.outside_vault(), "{raw}");
    }
}
