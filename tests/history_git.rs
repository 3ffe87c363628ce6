//! `twin history --from-git` on a scripted repository (`fixtures/history-git/commit-N/` is
//! the vault at commit N, one day apart): the events each commit causes, renames carrying
//! findings, `--max-commits`, refusing to overwrite a trace, and agreement with
//! `check --record` at HEAD.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Run, commit_all, copy_dir, fixture, git, run_twin};

const LIMIT: Duration = Duration::from_secs(60);
/// 2026-01-01T00:00:00Z.
const FIRST_DAY: i64 = 1_767_225_600;
const DAY: i64 = 86_400;

/// A repository whose commits are the fixture's `commit-N` folders, in order.
fn scripted_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, FIRST_DAY, &["init", "-q"]);
    for n in 1..=5 {
        for entry in std::fs::read_dir(root).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != ".git" {
                let path = entry.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(path).unwrap();
                } else {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        copy_dir(&fixture(&format!("history-git/commit-{n}")), root);
        let time = FIRST_DAY + (n - 1) * DAY;
        commit_all(root, time, &format!("commit {n}"));
    }
    dir
}

fn twin(root: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.push(root.to_str().unwrap());
    run_twin(&all, LIMIT)
}

/// The trace as `kind code path subject @day` lines (day 1 is the first commit), anchors
/// as `anchor path @day`.
fn trace_lines(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(".twin/trace.jsonl")).unwrap();
    text.lines()
        .map(|line| {
            let e: serde_json::Value = serde_json::from_str(line).unwrap();
            let ts = twin::history::Timestamp::parse(e["ts"].as_str().unwrap()).unwrap();
            let day = (ts.0 - FIRST_DAY) / DAY + 1;
            let field = |k: &str| e[k].as_str().unwrap_or("").to_string();
            match field("event").as_str() {
                "anchor" => format!("anchor {} @{day}", field("path")),
                "moved" => format!("moved {} -> {} @{day}", field("from"), field("path")),
                "score" => format!("score {} @{day}", e["n"]),
                kind => format!(
                    "{kind} {} {} {} @{day}",
                    field("code"),
                    field("path"),
                    field("subject")
                ),
            }
        })
        .collect()
}

#[test]
fn each_commit_records_what_it_changed() {
    let dir = scripted_repository();
    let run = twin(dir.path(), &["history", "--from-git"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("replayed 5 commits (2026-01-01 to 2026-01-05)"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(trace_lines(dir.path()).join("\n"), @r"
    opened broken-link Home.md Missing idea @1
    opened orphan-note Old name.md Old name.md @1
    opened broken-link Old name.md Nowhere @1
    anchor Ideas.md @1
    score 679 @1
    resolved broken-link Home.md Missing idea @2
    score 774 @2
    reopened broken-link Home.md Missing idea @3
    score 679 @3
    renamed broken-link Archive/New name.md Nowhere @4
    renamed orphan-note Archive/New name.md Archive/New name.md @4
    moved Old name.md -> Archive/New name.md @4
    resolved broken-link Archive/New name.md Nowhere @5
    resolved orphan-note Archive/New name.md Archive/New name.md @5
    score 905 @5
    ");
}

#[test]
fn the_replayed_trace_agrees_with_a_record_at_head() {
    let dir = scripted_repository();
    let run = twin(dir.path(), &["history", "--from-git"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The work tree is HEAD: recording it now finds nothing new.
    let record = twin(dir.path(), &["check", "--record", "--format", "json"]);
    assert!(
        record.stderr.contains("history: no change (1 open)"),
        "{}",
        record.stderr
    );
    // And the open finding's age counts from the commit that reopened it.
    let history = twin(dir.path(), &["history", "Home.md"]);
    assert!(history.stdout.contains("2026-01-03"), "{}", history.stdout);
}

#[test]
fn max_commits_replays_only_the_latest() {
    let dir = scripted_repository();
    let run = twin(dir.path(), &["history", "--from-git", "--max-commits", "2"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines = trace_lines(dir.path());
    assert!(
        lines.contains(&"opened broken-link Home.md Missing idea @4".to_string()),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| !l.contains("@1") && !l.contains("@3")));
}

#[test]
fn an_existing_trace_is_replaced_only_with_force() {
    let dir = scripted_repository();
    let record = twin(dir.path(), &["check", "--record"]);
    assert!(record.stderr.contains("history:"), "{}", record.stderr);
    let before = std::fs::read(dir.path().join(".twin/trace.jsonl")).unwrap();
    let refused = twin(dir.path(), &["history", "--from-git"]);
    assert_eq!(refused.code, Some(2));
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(
        std::fs::read(dir.path().join(".twin/trace.jsonl")).unwrap(),
        before
    );
    let forced = twin(dir.path(), &["history", "--from-git", "--force"]);
    assert_eq!(forced.code, Some(0), "{}", forced.stderr);
    // Eleven finding and note events, and the score after four of the five commits.
    assert_eq!(trace_lines(dir.path()).len(), 15);
}

#[test]
fn a_folder_without_git_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("history-git/commit-1"), dir.path());
    let run = twin(dir.path(), &["history", "--from-git"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("not inside a git repository"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join(".twin/trace.jsonl").exists());
}
