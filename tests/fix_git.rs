//! `twin fix` learning renames from git (fixture `fixtures/fix/git-renamed/`): a rename in
//! a commit and one not committed yet are both repaired, a deleted note is not, and after
//! `--yes` the repaired links resolve.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Run, check, commit_all, copy_dir, fixture, git, run_twin};

const LIMIT: Duration = Duration::from_secs(60);

/// The fixture as a repository: committed, then renamed in a commit and in the work tree.
fn renamed_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&fixture("fix/git-renamed"), root);
    git(root, 1_700_000_000, &["init", "-q"]);
    commit_all(root, 1_700_000_000, "the vault");
    std::fs::create_dir(root.join("Meetings")).unwrap();
    git(
        root,
        1_700_086_400,
        &["mv", "Meeting Notes.md", "Meetings/Team meetings.md"],
    );
    commit_all(root, 1_700_086_400, "rename the meeting notes");
    // Moved by hand, edited, not committed; the draft is deleted.
    let roadmap = std::fs::read_to_string(root.join("Projects/Roadmap.md")).unwrap();
    std::fs::remove_file(root.join("Projects/Roadmap.md")).unwrap();
    std::fs::create_dir(root.join("Plans")).unwrap();
    std::fs::write(
        root.join("Plans/Roadmap 2027.md"),
        format!("{roadmap}- Git-aware fixes.\n"),
    )
    .unwrap();
    std::fs::remove_file(root.join("Draft.md")).unwrap();
    dir
}

fn fix(root: &Path, args: &[&str]) -> Run {
    let mut all = vec!["fix", root.to_str().unwrap()];
    all.extend_from_slice(args);
    run_twin(&all, LIMIT)
}

#[test]
fn committed_and_uncommitted_renames_are_repaired() {
    let dir = renamed_repository();
    let run = fix(dir.path(), &["--diff"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    insta::assert_snapshot!(
        "fix_git_renamed",
        format!("{}--- stderr ---\n{}", run.stdout, run.stderr)
    );
}

#[test]
fn applied_renames_leave_only_the_deleted_note_broken() {
    let dir = renamed_repository();
    let run = fix(dir.path(), &["--yes"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let broken: Vec<String> = check(dir.path())
        .into_iter()
        .filter(|d| d.code == "broken-link")
        .map(|d| d.message)
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("Draft"), "{broken:?}");
    let again = fix(dir.path(), &["--diff"]);
    assert!(
        again.stdout.is_empty(),
        "a second run changes nothing: {}",
        again.stdout
    );
}

#[test]
fn without_git_the_renames_are_unknown() {
    // The same files with no repository: nothing can be learned, nothing is fixed.
    let with_git = renamed_repository();
    std::fs::remove_dir_all(with_git.path().join(".git")).unwrap();
    let run = fix(with_git.path(), &["--diff"]);
    assert!(
        !run.stdout.contains("Team meetings"),
        "no rename without git: {}",
        run.stdout
    );
}
