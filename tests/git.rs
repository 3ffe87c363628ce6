//! The git module (`twin::git`) on repositories made with the `git` command: committed
//! renames, a vault in a subfolder, uncommitted renames, and repositories without commits.

mod common;

use std::path::Path;

use common::{commit_all, git};
use twin::config::Config;
use twin::git::{
    VaultRepo, committed_renames_cached, content_similarity, plausible_rename, worktree_renames,
};
use twin::vault::load_vault;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A new repository at `root` whose first commit (at time 1,000) holds `files`.
fn first_commit(root: &Path, files: &[(&str, &str)]) {
    git(root, 1_000, &["init", "-q"]);
    for (rel, text) in files {
        write(root, rel, text);
    }
    commit_all(root, 1_000, "first");
}

const APPLE: &str = "# Apples\n\nApples grow on trees.\nThey are red or green.\nPies need them.\n";

#[test]
fn a_folder_outside_any_repository_has_none() {
    let dir = tempfile::tempdir().unwrap();
    if VaultRepo::open(dir.path()).unwrap().is_some() {
        eprintln!("the temporary folder is inside a git repository; skipped");
        return;
    }
    assert!(
        VaultRepo::open(&dir.path().join("missing"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn committed_renames_are_found_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    first_commit(root, &[("Apples.md", APPLE), ("Pears.md", "# Pears\n")]);
    std::fs::create_dir(root.join("Fruit")).unwrap();
    git(root, 2_000, &["mv", "Apples.md", "Fruit/Apple.md"]);
    commit_all(root, 2_000, "move apples");
    // A rename with an edit is still a rename; a rename of a non-note is not reported.
    std::fs::rename(
        root.join("Fruit/Apple.md"),
        root.join("Fruit/Apple tree.md"),
    )
    .unwrap();
    write(
        root,
        "Fruit/Apple tree.md",
        &format!("{APPLE}One more line.\n"),
    );
    write(root, "image.png", "png");
    commit_all(root, 3_000, "rename again");
    git(root, 4_000, &["mv", "image.png", "picture.png"]);
    commit_all(root, 4_000, "picture");

    let repo = VaultRepo::open(root).unwrap().expect("a repository");
    let commits = repo.commits(None).unwrap();
    let times: Vec<i64> = commits.iter().map(|c| c.time).collect();
    assert_eq!(times, [1_000, 2_000, 3_000, 4_000]);
    assert_eq!(commits[1].summary, "move apples");
    assert_eq!(
        repo.committed_renames(None).unwrap(),
        [
            ("Apples.md".to_string(), "Fruit/Apple.md".to_string()),
            (
                "Fruit/Apple.md".to_string(),
                "Fruit/Apple tree.md".to_string()
            ),
        ]
    );
    // The last two commits only see the second rename.
    assert_eq!(
        repo.committed_renames(Some(2)).unwrap(),
        [(
            "Fruit/Apple.md".to_string(),
            "Fruit/Apple tree.md".to_string()
        )]
    );
    let files = repo.files_at(commits[0].id).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["Apples.md", "Pears.md"]);
    assert_eq!(repo.read_blob(files[0].blob).unwrap(), APPLE.as_bytes());
}

#[test]
fn a_vault_in_a_subfolder_sees_vault_paths_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, 1_000, &["init", "-q"]);
    write(root, "docs/notes/A.md", APPLE);
    write(
        root,
        "docs/notes/Out.md",
        "# Out\nleaving the vault\nfor good\n",
    );
    write(root, "src/main.rs", "fn main() {}\n");
    commit_all(root, 1_000, "first");
    git(root, 2_000, &["mv", "docs/notes/A.md", "docs/notes/B.md"]);
    git(root, 2_000, &["mv", "docs/notes/Out.md", "Out.md"]);
    commit_all(root, 2_000, "moves");

    let repo = VaultRepo::open(&root.join("docs/notes")).unwrap().unwrap();
    assert_eq!(
        repo.committed_renames(None).unwrap(),
        [("A.md".to_string(), "B.md".to_string())]
    );
    let commits = repo.commits(None).unwrap();
    let paths: Vec<String> = repo
        .files_at(commits[0].id)
        .unwrap()
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(paths, ["A.md", "Out.md"]);
    // A commit before the vault's folder existed has no files.
    let other = tempfile::tempdir().unwrap();
    git(other.path(), 1_000, &["init", "-q"]);
    write(other.path(), "README", "x");
    commit_all(other.path(), 1_000, "no vault yet");
    std::fs::create_dir(other.path().join("vault")).unwrap();
    let repo = VaultRepo::open(&other.path().join("vault"))
        .unwrap()
        .unwrap();
    let first = repo.commits(None).unwrap()[0].id;
    assert!(repo.files_at(first).unwrap().is_empty());
}

#[test]
fn uncommitted_renames_pair_similar_notes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    first_commit(
        root,
        &[
            ("Apples.md", APPLE),
            ("Gone.md", "# Gone\nnothing like it remains\n"),
            ("Stays.md", "# Stays\n"),
        ],
    );
    // Renamed by hand (not committed) and edited a little; `Gone.md` is deleted.
    std::fs::remove_file(root.join("Apples.md")).unwrap();
    std::fs::remove_file(root.join("Gone.md")).unwrap();
    write(root, "Fruit/Apple.md", &format!("{APPLE}An edit.\n"));
    write(root, "Unrelated.md", "# Unrelated\nall new text\n");

    let vault = load_vault(root, &Config::default()).unwrap();
    let repo = VaultRepo::open(root).unwrap().unwrap();
    assert_eq!(
        worktree_renames(&repo, &vault).unwrap(),
        [("Apples.md".to_string(), "Fruit/Apple.md".to_string())]
    );
}

#[test]
fn a_repository_without_commits_has_no_history() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), 1_000, &["init", "-q"]);
    write(dir.path(), "A.md", "# A\n");
    let repo = VaultRepo::open(dir.path()).unwrap().unwrap();
    assert!(repo.commits(None).unwrap().is_empty());
    assert!(repo.committed_renames(None).unwrap().is_empty());
    let vault = load_vault(dir.path(), &Config::default()).unwrap();
    assert!(worktree_renames(&repo, &vault).unwrap().is_empty());
}

#[test]
fn similarity_counts_shared_lines() {
    assert_eq!(content_similarity("a\nb\n", "a\nb\n"), 1.0);
    assert_eq!(content_similarity("a\nb\n", "c\nd\n"), 0.0);
    assert_eq!(content_similarity("a\nb\nc\nd\n", "a\nb\n"), 4.0 / 6.0);
    // Blank lines and indentation do not count.
    assert_eq!(content_similarity("a\n\n  b\n", "a\nb"), 1.0);
    assert_eq!(content_similarity("", ""), 0.0);
}

#[test]
fn template_twins_are_not_renames() {
    const TEMPLATE: &str = "# Daily\n\n## Tasks\n\n## Notes\n\n---\n";
    // Two notes from one template share most lines but nothing of their own.
    assert!(!plausible_rename(TEMPLATE, &format!("{TEMPLATE}ok\n")));
    assert!(!plausible_rename(TEMPLATE, TEMPLATE));
    // Real text carries a rename, edited or not.
    let body = format!("{TEMPLATE}Met Anna about the budget.\nShe wants the draft by May.\n");
    assert!(plausible_rename(&body, &body));
    assert!(plausible_rename(&body, &format!("{body}One more line.\n")));
    assert!(!plausible_rename(
        &body,
        "# Other\nSomething else entirely here.\n"
    ));
}

#[test]
fn a_deleted_daily_note_is_not_renamed_to_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, 1_000, &["init", "-q"]);
    let daily = "# Daily\n\n## Tasks\n\n## Notes\n";
    write(root, "2026-01-01.md", daily);
    commit_all(root, 1_000, "first");
    // Committed: one daily note deleted and another created from the same template.
    std::fs::remove_file(root.join("2026-01-01.md")).unwrap();
    write(root, "2026-01-02.md", daily);
    commit_all(root, 2_000, "next day");
    let repo = VaultRepo::open(root).unwrap().unwrap();
    assert!(repo.committed_renames(None).unwrap().is_empty());
    // Uncommitted: the same again.
    std::fs::remove_file(root.join("2026-01-02.md")).unwrap();
    write(root, "2026-01-03.md", daily);
    let vault = load_vault(root, &Config::default()).unwrap();
    assert!(worktree_renames(&repo, &vault).unwrap().is_empty());
}

#[test]
fn a_shallow_clone_reads_what_it_has_without_errors() {
    // CI checks out one commit (`fetch-depth: 1`): its parent is not in the clone.
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir(&origin).unwrap();
    first_commit(&origin, &[("Apples.md", APPLE)]);
    git(&origin, 2_000, &["mv", "Apples.md", "Apple.md"]);
    commit_all(&origin, 2_000, "rename");
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        3_000,
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let repo = VaultRepo::open(&dir.path().join("shallow"))
        .unwrap()
        .unwrap();
    let commits = repo.commits(None).unwrap();
    assert_eq!(commits.len(), 1);
    assert_eq!(commits[0].parent, None);
    assert!(repo.committed_renames(None).unwrap().is_empty());
}

#[test]
fn the_rename_cache_reads_only_new_commits_and_notices_rewritten_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    std::fs::create_dir(&root).unwrap();
    let cache = dir.path().join("cache/git-renames.tsv");
    first_commit(&root, &[("Apples.md", APPLE)]);
    git(&root, 2_000, &["mv", "Apples.md", "Apple.md"]);
    commit_all(&root, 2_000, "rename");
    let repo = VaultRepo::open(&root).unwrap().unwrap();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    let first = committed_renames_cached(&repo, 100, Some(&cache))
        .unwrap()
        .renames;
    assert_eq!(first, [pair("Apples.md", "Apple.md")]);
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(text.starts_with("twin git renames 2\n"), "{text}");

    // The next run trusts the cache for what it covers: a planted line shows up.
    std::fs::write(
        &cache,
        text.replace("Apple.md\n", "Apple.md\nPlanted.md\tHere.md\n"),
    )
    .unwrap();
    git(&root, 3_000, &["mv", "Apple.md", "Fruit.md"]);
    commit_all(&root, 3_000, "again");
    let repo = VaultRepo::open(&root).unwrap().unwrap();
    let second = committed_renames_cached(&repo, 100, Some(&cache))
        .unwrap()
        .renames;
    assert_eq!(
        second,
        [
            pair("Apples.md", "Apple.md"),
            pair("Planted.md", "Here.md"),
            pair("Apple.md", "Fruit.md"),
        ]
    );

    // History rewritten past the cached commit: walked again from scratch.
    git(&root, 4_000, &["reset", "-q", "--hard", "HEAD~2"]);
    git(&root, 4_000, &["mv", "Apples.md", "Pomme.md"]);
    commit_all(&root, 4_000, "other branch of events");
    let repo = VaultRepo::open(&root).unwrap().unwrap();
    let third = committed_renames_cached(&repo, 100, Some(&cache))
        .unwrap()
        .renames;
    assert_eq!(third, [pair("Apples.md", "Pomme.md")]);

    // A cache of garbage is ignored and replaced.
    std::fs::write(&cache, "garbage\n\u{0}\n").unwrap();
    let fourth = committed_renames_cached(&repo, 100, Some(&cache))
        .unwrap()
        .renames;
    assert_eq!(fourth, third);
    assert!(
        std::fs::read_to_string(&cache)
            .unwrap()
            .starts_with("twin git renames 2\n")
    );
}

/// The id git gives `rev` in the repository at `root`.
fn rev_parse(root: &Path, rev: &str) -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", rev])
        .current_dir(root)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Deletes a loose object, as an incomplete copy or a partial clone lacks it.
fn remove_object(root: &Path, id: &str) {
    let path = root.join(".git/objects").join(&id[..2]).join(&id[2..]);
    std::fs::remove_file(path).unwrap();
}

const PEAR: &str = "# Pears\n\nPears grow on trees too.\nThey are soft when ripe.\n";
const PLUM: &str = "# Plums\n\nPlums are stone fruit.\nThey make good jam in summer.\n";

#[test]
fn a_missing_file_costs_only_its_commits_similar_renames_and_the_cache_remembers_head() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    std::fs::create_dir(&root).unwrap();
    let cache = dir.path().join("cache/git-renames.tsv");
    first_commit(
        &root,
        &[("Apples.md", APPLE), ("Pears.md", PEAR), ("Plums.md", PLUM)],
    );
    // One commit: an identical rename, and a rename with an edit whose new content is lost.
    git(&root, 2_000, &["mv", "Pears.md", "Pear.md"]);
    std::fs::remove_file(root.join("Apples.md")).unwrap();
    write(&root, "Apple.md", &format!("{APPLE}Cider too.\n"));
    commit_all(&root, 2_000, "renames");
    // A later rename with an edit, all of it present.
    std::fs::remove_file(root.join("Plums.md")).unwrap();
    write(&root, "Plum.md", &format!("{PLUM}And tarts.\n"));
    commit_all(&root, 3_000, "plum");
    remove_object(&root, &rev_parse(&root, "HEAD:Apple.md"));

    let repo = VaultRepo::open(&root).unwrap().unwrap();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    let first = committed_renames_cached(&repo, 100, Some(&cache)).unwrap();
    assert_eq!(
        first.renames,
        [pair("Pears.md", "Pear.md"), pair("Plums.md", "Plum.md")]
    );
    assert_eq!((first.compared, first.skipped), (3, 0));

    // The next start at the same HEAD compares nothing: the answer is the cache's.
    let second = committed_renames_cached(&repo, 100, Some(&cache)).unwrap();
    assert_eq!(second.renames, first.renames);
    assert_eq!(second.compared, 0);
}

#[test]
fn a_history_that_cannot_be_read_is_not_read_again_at_the_same_head() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    std::fs::create_dir(&root).unwrap();
    let cache = dir.path().join("cache/git-renames.tsv");
    first_commit(&root, &[("Apples.md", APPLE)]);
    git(&root, 2_000, &["mv", "Apples.md", "Apple.md"]);
    commit_all(&root, 2_000, "rename");
    git(&root, 3_000, &["mv", "Apple.md", "Fruit.md"]);
    commit_all(&root, 3_000, "again");
    // The middle commit is gone: the walk from HEAD cannot go past it.
    remove_object(&root, &rev_parse(&root, "HEAD~1"));

    let repo = VaultRepo::open(&root).unwrap().unwrap();
    let err = committed_renames_cached(&repo, 100, Some(&cache)).unwrap_err();
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(text.contains("\nfailed\t"), "{text}");

    // Remembered for this HEAD: a planted reason comes back instead of a new walk.
    std::fs::write(&cache, text.replace(&err.0, "planted")).unwrap();
    let again = committed_renames_cached(&repo, 100, Some(&cache)).unwrap_err();
    assert_eq!(again.0, "planted");

    // A new HEAD is walked again.
    git(&root, 4_000, &["mv", "Fruit.md", "Pomme.md"]);
    commit_all(&root, 4_000, "later");
    let repo = VaultRepo::open(&root).unwrap().unwrap();
    let later = committed_renames_cached(&repo, 100, Some(&cache)).unwrap_err();
    assert_ne!(later.0, "planted");
}
