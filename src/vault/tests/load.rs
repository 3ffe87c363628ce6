//! Loading: notes read and parsed, unreadable files skipped with a reason.

use std::fs;

use super::write;
use crate::config::Config;
use crate::vault::{LoadError, MAX_NOTE_BYTES, load_vault};

fn skipped(vault: &crate::vault::Vault) -> Vec<(String, String)> {
    vault
        .skipped
        .iter()
        .map(|s| (s.path.to_string(), s.reason.clone()))
        .collect()
}

#[test]
fn root_must_be_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    assert!(matches!(
        load_vault(&missing, &Config::default()),
        Err(LoadError::NotAFolder(p)) if p == missing
    ));
    write(dir.path(), "file.md", "x");
    let err = load_vault(&dir.path().join("file.md"), &Config::default()).unwrap_err();
    assert!(
        err.to_string().ends_with("file.md is not a folder"),
        "{err}"
    );
}

#[test]
fn empty_vault_loads() {
    let dir = tempfile::tempdir().unwrap();
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert!(vault.notes.is_empty() && vault.attachments.is_empty() && vault.skipped.is_empty());
    assert_eq!(vault.root, dir.path().canonicalize().unwrap());
}

#[test]
fn notes_attachments_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b/n.md", "\u{feff}# Title\n");
    write(dir.path(), "a.md", "hello");
    write(dir.path(), "img/p.png", "\0png");
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    let paths: Vec<&str> = vault.notes.iter().map(|n| &*n.path).collect();
    assert_eq!(paths, ["a.md", "b/n.md"]);
    assert_eq!(&*vault.notes[1].text, "\u{feff}# Title\n");
    assert_eq!(&*vault.notes[0].text, "hello");
    assert_eq!(vault.attachments, ["img/p.png".into()]);
    assert!(vault.skipped.is_empty());
    assert_eq!(vault.index.notes_named("n").len(), 1);
}

#[test]
fn notes_with_nul_bytes_or_invalid_utf8_are_read_as_text_at_their_offsets() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bin.md"), b"abc\0def [[ok]]").unwrap();
    fs::write(
        dir.path().join("latin1.md"),
        b"caf\xe9 au \xf0\x9f lait [[ok]]",
    )
    .unwrap();
    write(dir.path(), "ok.md", "fine");
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert!(skipped(&vault).is_empty());
    let paths: Vec<&str> = vault.notes.iter().map(|n| &*n.path).collect();
    assert_eq!(paths, ["bin.md", "latin1.md", "ok.md"]);
    // Each byte that is not UTF-8 is one substitute byte: offsets are the file's.
    let latin1 = vault.note(vault.note_by_path("latin1.md").unwrap());
    assert_eq!(&*latin1.text, "caf\u{1a} au \u{1a}\u{1a} lait [[ok]]");
    assert_eq!(latin1.links[0].span.start, 16);
    let bin = vault.note(vault.note_by_path("bin.md").unwrap());
    assert_eq!(bin.links.len(), 1);
    assert_eq!(
        crate::vault::odd_bytes(&bin.text).as_deref(),
        Some(
            "holds bytes that are not text (a NUL byte at byte 3); it is read as text around them"
        )
    );
    assert_eq!(
        crate::vault::odd_bytes(&latin1.text).as_deref(),
        Some(
            "holds bytes that are not text (a byte that is not UTF-8 at byte 3, 3 such bytes in all); it is read as text around them"
        )
    );
    assert_eq!(crate::vault::odd_bytes("plain"), None);
}

#[test]
fn a_note_that_cannot_be_read_stays_a_name_links_resolve_to() {
    let dir = tempfile::tempdir().unwrap();
    let file = fs::File::create(dir.path().join("huge.md")).unwrap();
    file.set_len(MAX_NOTE_BYTES + 1).unwrap();
    write(dir.path(), "a.md", "[[huge]] and [[huge#Some heading]]");
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert_eq!(skipped(&vault).len(), 1);
    let huge = vault.note_by_path("huge.md").expect("still a note");
    assert!(vault.note(huge).text.is_empty());
    let a = vault.note_by_path("a.md").unwrap();
    for link in &vault.note(a).links {
        let r = crate::resolve::resolve_link(&vault, a, link);
        assert_eq!(r.target, Some(crate::resolve::LinkTarget::Note(huge)));
        // Its headings cannot be seen, so the anchor is not judged.
        assert_eq!(r.anchor, crate::resolve::AnchorResolution::None);
    }
}

#[test]
fn huge_notes_are_skipped_with_their_size() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse file: large on paper, no disk used.
    let file = fs::File::create(dir.path().join("huge.md")).unwrap();
    file.set_len(MAX_NOTE_BYTES + 1).unwrap();
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert_eq!(
        skipped(&vault),
        [(
            "huge.md".into(),
            format!(
                "larger than the 64 MiB limit ({} bytes)",
                MAX_NOTE_BYTES + 1
            )
        )]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_notes_are_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "locked.md", "x");
    let path = dir.path().join("locked.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    if fs::read(&path).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): mode 000 does not stop reads,
        // so the note loads; the skipped branch cannot be exercised here.
        assert_eq!(vault.notes.len(), 1);
        assert!(vault.skipped.is_empty());
    } else {
        assert!(vault.notes.is_empty());
        assert_eq!(
            skipped(&vault),
            [(
                "locked.md".into(),
                "cannot be read: Permission denied (os error 13)".into()
            )]
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(OsStr::from_bytes(b"n\xff.md")), "x").unwrap();
    fs::write(dir.path().join(OsStr::from_bytes(b"p\xff.png")), "x").unwrap();
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert!(vault.notes.is_empty() && vault.attachments.is_empty());
    assert_eq!(
        skipped(&vault),
        [("n\u{fffd}.md".into(), "file name is not valid UTF-8".into())]
    );
}

#[test]
fn config_excludes_apply_when_loading() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Archive/old.md", "x");
    write(dir.path(), "new.md", "x");
    let config = Config {
        exclude: vec!["Archive/".into()],
        ..Config::default()
    };
    let vault = load_vault(dir.path(), &config).unwrap();
    let paths: Vec<&str> = vault.notes.iter().map(|n| &*n.path).collect();
    assert_eq!(paths, ["new.md"]);
}

#[test]
fn io_errors_carry_the_os_message() {
    // Works even as root, unlike mode 000: the file vanished after discovery.
    let dir = tempfile::tempdir().unwrap();
    let file = crate::vault::DiscoveredFile {
        path: "gone.md".into(),
        abs_path: dir.path().join("gone.md"),
        kind: crate::vault::FileKind::Note,
        lossy_name: false,
    };
    assert_eq!(
        crate::vault::load::read_note(&file).unwrap_err(),
        "cannot be read: No such file or directory (os error 2)"
    );
}

proptest::proptest! {
    /// A note's text is its bytes when they are UTF-8 (checked by simdutf8), else the same
    /// length with each byte of a bad sequence read as `ODD_BYTE`, as `std` finds them.
    #[test]
    fn note_text_is_the_bytes_or_the_same_length_with_odd_bytes(
        bytes in proptest::collection::vec(proptest::prop_oneof![
            proptest::num::u8::ANY,
            proptest::sample::select(b"ab \n#[]".to_vec()),
        ], 0..200),
        text in "[a-z\u{e9}\u{4e2d}\u{1f600} \n]{0,40}",
    ) {
        for bytes in [bytes, text.into_bytes()] {
            let got = crate::vault::note_text(bytes.clone()).unwrap();
            match std::str::from_utf8(&bytes) {
                Ok(expected) => proptest::prop_assert_eq!(&*got, expected),
                Err(_) => {
                    proptest::prop_assert_eq!(got.len(), bytes.len());
                    proptest::prop_assert!(got.contains(crate::vault::ODD_BYTE));
                }
            }
        }
    }
}
