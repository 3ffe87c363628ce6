//! Helpers shared by the integration tests: run the checker on a fixture vault.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use std::sync::Arc;

use twin::analysis::{Analysis, load_rulebook};
use twin::cli::report::{Report, json};
use twin::coherence::vault_coherence;
use twin::diagnostic::Diagnostic;

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Loads and analyzes the vault at `root` with its own configuration.
pub fn analyze(root: &Path) -> Analysis {
    let rulebook = load_rulebook(root).expect("fixture config loads");
    Analysis::load(root, Arc::new(rulebook)).expect("fixture vault loads")
}

/// Checks the vault at `root` as `twin check` does and returns its findings.
pub fn check(root: &Path) -> Vec<Diagnostic> {
    analyze(root).check(None)
}

/// The `--format json` report of the vault at `root`, with the vault's absolute path
/// and the timing replaced so snapshots are stable.
pub fn check_json(root: &Path) -> String {
    let analysis = analyze(root);
    let vault = &analysis.vault;
    let diagnostics = analysis.check(None);
    let report = Report::new(vault, &diagnostics, Duration::ZERO);
    let mut out = Vec::new();
    json::write(&mut out, &report).expect("write to a Vec");
    let text = String::from_utf8(out).expect("JSON is UTF-8");
    let root = vault.root.to_string_lossy().into_owned();
    text.replace(&serde_json::to_string(&root).unwrap(), "\"[VAULT]\"")
}

/// Like [`check_json`], with the coherence section (`coherence.score`, `coherence.notes`).
pub fn check_json_with_coherence(root: &Path) -> String {
    let analysis = analyze(root);
    let Analysis {
        vault,
        graph,
        coherence,
        ..
    } = &analysis;
    let diagnostics = analysis.check(None);
    let (vectors, score) = vault_coherence(vault, graph, coherence, &diagnostics);
    let report = Report::new(vault, &diagnostics, Duration::ZERO).with_coherence(score, vectors);
    let mut out = Vec::new();
    json::write(&mut out, &report).expect("write to a Vec");
    let text = String::from_utf8(out).expect("JSON is UTF-8");
    let root = vault.root.to_string_lossy().into_owned();
    text.replace(&serde_json::to_string(&root).unwrap(), "\"[VAULT]\"")
}

/// What a run of the real `twin` binary printed and returned.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs the `twin` binary with `args`, killing it if it outlives `limit`.
pub fn run_twin(args: &[&str], limit: Duration) -> Run {
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_twin"))
        .args(args)
        // Caches (search index, git renames) stay in the build folder, not the user's.
        .env(
            "TWIN_CACHE_DIR",
            std::env::var_os("TWIN_CACHE_DIR")
                .unwrap_or_else(|| concat!(env!("CARGO_TARGET_TMPDIR"), "/search-cache").into()),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("twin starts");
    let [out, err] = drain_output(&mut child);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait on twin") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("twin {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

/// Reads a child's piped stdout and stderr to the end on two threads (lossily as UTF-8),
/// so a large output cannot block it; join the handles once it has exited.
pub fn drain_output(child: &mut std::process::Child) -> [std::thread::JoinHandle<String>; 2] {
    use std::io::Read;
    fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    }
    [
        reader(child.stdout.take().expect("stdout is piped")),
        reader(child.stderr.take().expect("stderr is piped")),
    ]
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `git args` in `dir` with a fixed identity and clock (`time`, Unix seconds), so
/// commits and their times are the same on every run.
pub fn git(dir: &Path, time: i64, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", format!("@{time} +0000"))
        .env("GIT_COMMITTER_DATE", format!("@{time} +0000"))
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed in {}", dir.display());
}

/// Stages everything in `dir` and commits it at `time`.
pub fn commit_all(dir: &Path, time: i64, message: &str) {
    git(dir, time, &["add", "-A"]);
    git(dir, time, &["commit", "-q", "-m", message]);
}
