//! Discovery: ignore files, excludes, Obsidian filters, hidden entries, symlinks.

use super::write;
use crate::config::Config;
use crate::vault::{FileKind, discover_files};

fn paths(root: &std::path::Path, config: &Config) -> Vec<String> {
    discover_files(root, config)
        .iter()
        .map(|f| f.path.to_string())
        .collect()
}

#[test]
fn empty_vault() {
    let dir = tempfile::tempdir().unwrap();
    assert!(discover_files(dir.path(), &Config::default()).is_empty());
    assert!(discover_files(&dir.path().join("missing"), &Config::default()).is_empty());
}

#[test]
fn kinds_paths_and_order() {
    let dir = tempfile::tempdir().unwrap();
    for rel in [
        "b.md",
        "a/Z.MD",
        "a/img.PNG",
        "a/README",
        "c.markdown",
        "a/b/c.md",
    ] {
        write(dir.path(), rel, "x");
    }
    let files = discover_files(dir.path(), &Config::default());
    let listed: Vec<(&str, FileKind)> = files.iter().map(|f| (&*f.path, f.kind)).collect();
    assert_eq!(
        listed,
        [
            ("a/README", FileKind::Attachment),
            ("a/Z.MD", FileKind::Note),
            ("a/b/c.md", FileKind::Note),
            ("a/img.PNG", FileKind::Attachment),
            ("b.md", FileKind::Note),
            ("c.markdown", FileKind::Attachment),
        ]
    );
    let root = dir.path().canonicalize().unwrap();
    assert_eq!(files[2].abs_path, root.join("a/b/c.md"));
    assert!(files.iter().all(|f| !f.lossy_name));
}

#[test]
fn hidden_entries_are_skipped() {
    // The temporary folder's own name starts with a dot: the root must still be walked.
    let dir = tempfile::tempdir().unwrap();
    assert!(
        dir.path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with('.')
    );
    for rel in [
        ".obsidian/app.json",
        ".obsidian/plugins/p/README.md",
        ".trash/old.md",
        ".git/HEAD",
        ".twin/config.toml",
        ".hidden.md",
        "a/.secret/x.md",
        "visible.md",
    ] {
        write(dir.path(), rel, "x");
    }
    assert_eq!(paths(dir.path(), &Config::default()), ["visible.md"]);
}

#[test]
fn gitignore_and_ignore_files_outside_git() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "drafts/\n*.log\n");
    write(dir.path(), "sub/.ignore", "private.md\n");
    for rel in [
        "drafts/a.md",
        "x.log",
        "keep.md",
        "sub/private.md",
        "sub/ok.md",
        "private.md",
    ] {
        write(dir.path(), rel, "x");
    }
    assert!(!dir.path().join(".git").exists());
    assert_eq!(
        paths(dir.path(), &Config::default()),
        ["keep.md", "private.md", "sub/ok.md"]
    );
}

#[test]
fn exclude_globs() {
    let dir = tempfile::tempdir().unwrap();
    for rel in [
        "Archive/old.md",
        "Archive/deep/x.png",
        "a/b.tmp.md",
        "a/c.md",
        "notArchive/k.md",
        "/top.md",
    ] {
        write(dir.path(), rel.trim_start_matches('/'), "x");
    }
    let config = Config {
        exclude: vec!["Archive/".into(), "*.tmp.md".into(), "/top.md".into()],
        ..Config::default()
    };
    assert_eq!(paths(dir.path(), &config), ["a/c.md", "notArchive/k.md"]);
}

#[test]
fn obsidian_ignore_filters() {
    let dir = tempfile::tempdir().unwrap();
    for rel in [
        "Templates/t.md",
        "Templates.md",
        "Daily/d.md",
        "DailyNotes/x.md",
        "x.canvas.md",
        "sub/y.canvas.md",
        "keep.md",
    ] {
        write(dir.path(), rel, "x");
    }
    let config = Config {
        obsidian_ignore: vec!["Templates".into(), "Daily/".into(), "*.canvas.md".into()],
        ..Config::default()
    };
    // A prefix is a plain prefix of the path, as in Obsidian: `Templates` hides `Templates.md`.
    assert_eq!(paths(dir.path(), &config), ["DailyNotes/x.md", "keep.md"]);
}

#[cfg(unix)]
#[test]
fn symlinks_stay_inside_the_vault() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", "x");
    write(outside.path(), "dir/deep.md", "x");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "real.md", "x");
    write(root, "sub/x.md", "x");
    symlink(outside.path().join("secret.md"), root.join("secret.md")).unwrap();
    symlink(outside.path().join("dir"), root.join("outdir")).unwrap();
    symlink("../../", root.join("sub/up")).unwrap();
    symlink("real.md", root.join("alias.md")).unwrap();
    symlink("sub", root.join("linkdir")).unwrap();
    symlink("missing.md", root.join("dangling.md")).unwrap();
    assert_eq!(
        paths(root, &Config::default()),
        ["alias.md", "linkdir/x.md", "real.md", "sub/x.md"]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a/n.md", "x");
    write(root, "b/m.md", "x");
    symlink("..", root.join("a/loop")).unwrap();
    symlink(".", root.join("b/self")).unwrap();
    symlink("../b", root.join("a/tob")).unwrap();
    symlink("../a", root.join("b/toa")).unwrap();
    symlink("l2", root.join("l1")).unwrap();
    symlink("l1", root.join("l2")).unwrap();
    let found = paths(root, &Config::default());
    // Each folder once by its real path and once through the other's link; loops end.
    assert_eq!(found, ["a/n.md", "a/tob/m.md", "b/m.md", "b/toa/n.md"]);
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_names_are_flagged() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"bad\xff.md");
    std::fs::write(dir.path().join(name), "x").unwrap();
    write(dir.path(), "ok.md", "x");
    let files = discover_files(dir.path(), &Config::default());
    assert_eq!(files.len(), 2);
    assert_eq!(&*files[0].path, "bad\u{fffd}.md");
    assert!(files[0].lossy_name);
    assert_eq!(files[0].kind, FileKind::Note);
    assert!(!files[1].lossy_name);
}

/// `is_excluded` agrees with the walk on every file, whatever rule keeps it out.
#[test]
fn is_excluded_agrees_with_discovery_path_by_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "drafts/\n*.log\n!keep.log\n");
    write(dir.path(), "sub/.ignore", "private.md\n");
    write(dir.path(), "sub/deeper/.gitignore", "!private.md\n");
    write(dir.path(), ".git/info/exclude", "scratch.md\n");
    let files = [
        "drafts/a.md",
        "drafts/nested/b.md",
        "x.log",
        "keep.log",
        "keep.md",
        "sub/private.md",
        "sub/deeper/private.md",
        "sub/ok.md",
        "private.md",
        "scratch.md",
        "Archive/old.md",
        "Templates/t.md",
        "Templates.md",
        "a/b.tmp.md",
        ".hidden/n.md",
        "sub/.hidden.md",
    ];
    for rel in files {
        write(dir.path(), rel, "x");
    }
    let config = Config {
        exclude: vec!["Archive/".into(), "*.tmp.md".into()],
        obsidian_ignore: vec!["Templates".into()],
        ..Config::default()
    };
    let listed = paths(dir.path(), &config);
    let root = dir.path().canonicalize().unwrap();
    for rel in files {
        assert_eq!(
            crate::vault::is_excluded(&root, &config, rel),
            !listed.iter().any(|p| p == rel),
            "{rel}: discovery listed {listed:?}"
        );
    }
    // A whitelist in a deeper `.gitignore` does not beat an `.ignore` above it.
    assert!(!listed.contains(&"sub/deeper/private.md".to_string()));
    assert!(listed.contains(&"keep.log".to_string()));
}
