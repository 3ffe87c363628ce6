//! `twin daily`: the path of a day's daily note on stdout, the note created from the
//! vault's template when missing, never written when it exists.

mod common;

use std::process::Command;

fn daily(root: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_twin"))
        .arg("daily")
        .args(args)
        .current_dir(root)
        .output()
        .expect("run twin daily");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn daily_prints_the_path_and_creates_the_note_once() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("lsp/writing"), dir.path());
    let root = dir.path().canonicalize().unwrap();
    let (code, out, err) = daily(&root, &["2031-01-05", "."]);
    assert_eq!(code, 0, "{err}");
    let path = root.join("Daily/2031-01-05.md");
    assert_eq!(std::path::Path::new(out.trim_end()), path);
    assert!(err.contains("created Daily/2031-01-05.md"), "{err}");
    insta::assert_snapshot!(std::fs::read_to_string(&path).unwrap(), @r"
    # 2031-01-05

    ## Log
    ");
    std::fs::write(&path, "kept").unwrap();
    let (code, out_again, _) = daily(&root, &["2031-01-05"]);
    assert_eq!(code, 0);
    assert_eq!(out_again, out);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
}

#[test]
fn daily_takes_a_folder_alone_as_the_vault_and_refuses_a_bad_day() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let vault = root.join("vault");
    std::fs::create_dir(&vault).unwrap();
    let (code, out, _) = daily(&root, &["vault", "--no-create"]);
    assert_eq!(code, 0);
    let printed = std::path::PathBuf::from(out.trim_end());
    assert_eq!(printed.parent().unwrap(), vault);
    assert!(!printed.exists(), "--no-create writes nothing");
    let (code, _, err) = daily(&root, &["someday"]);
    assert_eq!(code, 2);
    assert!(err.contains("`someday` is no day"), "{err}");
}
