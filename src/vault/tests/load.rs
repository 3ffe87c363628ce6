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
fn binary_and_invalid_utf8_notes_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bin.md"), b"abc\0def").unwrap();
    fs::write(dir.path().join("latin1.md"), b"caf\xe9 au lait").unwrap();
    let mut late_nul = vec![b'a'; 9000];
    late_nul[8500] = 0;
    fs::write(dir.path().join("late.md"), &late_nul).unwrap();
    write(dir.path(), "ok.md", "fine");
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert_eq!(
        skipped(&vault),
        [
            (
                "bin.md".into(),
                "looks binary (a NUL byte at byte 3)".into()
            ),
            ("latin1.md".into(), "not valid UTF-8 at byte 3".into()),
        ]
    );
    // A NUL past the first 8 KiB is valid UTF-8 text: the note loads.
    let paths: Vec<&str> = vault.notes.iter().map(|n| &*n.path).collect();
    assert_eq!(paths, ["late.md", "ok.md"]);
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
