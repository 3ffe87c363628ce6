//! `twin fix` and the editor's quick fix learning renames from git (fixture `fixtures/fix/git-renamed/`): a rename in
//! a commit and one not committed yet are both repaired, a deleted note is not, and after
//! `--yes` the repaired links resolve.

mod common;
mod lsp_support;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Run, check, commit_all, copy_dir, fixture, git, run_twin};
use lsp_support::{Client, pos_of};
use serde_json::json;

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

#[test]
fn the_editor_offers_the_renamed_note_as_a_quick_fix() {
    let dir = renamed_repository();
    let root = dir.path();
    let mut c = Client::ready(root);
    let text = std::fs::read_to_string(root.join("Index.md")).unwrap();
    let uri = c.open("Index.md", None);
    let at = pos_of(&text, "[[Meeting Notes]]", 3);
    // Renames are learned in the background after indexing: ask until they are known.
    let started = Instant::now();
    let actions = loop {
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at},
                "context": {"diagnostics": []}}),
        );
        if actions.to_string().contains("Team meetings") || started.elapsed() > LIMIT {
            break actions;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Change link to Meetings/Team meetings.md (renamed)")
        .unwrap_or_else(|| panic!("no rename fix in {actions}"));
    assert_eq!(fix["kind"], "quickfix");
    let edit = &fix["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "Team meetings");
    assert_eq!(edit["range"]["start"], pos_of(&text, "Meeting Notes]]", 0));
    assert!(c.shutdown().success());
}
