//! The microconflict history through the real binary: recording, baselines, `twin history`
//! outputs, a writer killed mid-line, and writer processes racing.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fixture;
use twin::history::{TRACE_FILE, Trace};

const LIMIT: Duration = Duration::from_secs(120);

/// Runs `twin` with `args` and `TWIN_NOW=now`; returns (exit code, stdout, stderr).
fn twin(args: &[&str], now: &str) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_twin"))
        .args(args)
        .env("TWIN_NOW", now)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("twin runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A small vault whose notes link to each other, so only planted defects are found.
fn small_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Home.md",
        "# Home\n\n[[Ideas]] and [[Sources]].\n",
    );
    write(dir.path(), "Ideas.md", "# Ideas\n\nBack to [[Home]].\n");
    write(dir.path(), "Sources.md", "# Sources\n\nBack to [[Home]].\n");
    dir
}

#[test]
fn check_writes_nothing_without_record() {
    let dir = small_vault();
    let root = dir.path().to_str().unwrap();
    let (code, _, stderr) = twin(&["check", root], "2025-01-01T00:00:00Z");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!dir.path().join(".twin").exists());
    let (code, _, stderr) = twin(&["check", "--record", root], "2025-01-01T00:00:00Z");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("history: no change (0 open)"), "{stderr}");
    assert!(dir.path().join(TRACE_FILE).exists());
}

#[test]
fn baseline_round_trip_through_the_binary() {
    let dir = small_vault();
    let root = dir.path().to_str().unwrap();
    write(
        dir.path(),
        "Ideas.md",
        "# Ideas\n\nBack to [[Home]]. See [[Old Missing]].\n",
    );
    let baseline = dir.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let (code, _, stderr) = twin(
        &["check", "--write-baseline", b, root],
        "2025-01-01T00:00:00Z",
    );
    assert_eq!(
        code,
        Some(0),
        "writing a baseline accepts what is there: {stderr}"
    );
    let text = fs::read_to_string(&baseline).unwrap();
    assert!(text.contains("\"subject\":\"Old Missing\""), "{text}");
    // Same findings: nothing new, exit 0.
    let (code, stdout, stderr) = twin(
        &["check", "--baseline", b, "--format", "json", root],
        "2025-01-01T00:00:00Z",
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("1 findings are in the baseline"),
        "{stderr}"
    );
    // An edit above the accepted finding does not make it new.
    write(
        dir.path(),
        "Ideas.md",
        "# Ideas\n\nA new first paragraph.\n\nBack to [[Home]]. See [[Old Missing]].\n",
    );
    let (code, _, _) = twin(&["check", "--baseline", b, root], "2025-01-01T00:00:00Z");
    assert_eq!(code, Some(0));
    // A new broken link fails, and only it is reported.
    write(
        dir.path(),
        "Sources.md",
        "# Sources\n\nBack to [[Home]]. [[New Missing]]\n",
    );
    let (code, stdout, _) = twin(
        &["check", "--baseline", b, "--format", "json", root],
        "2025-01-01T00:00:00Z",
    );
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("New Missing"));
    // Writing again is byte-for-byte stable apart from the new finding.
    twin(
        &["check", "--write-baseline", b, root],
        "2025-01-01T00:00:00Z",
    );
    let again = fs::read_to_string(&baseline).unwrap();
    assert_eq!(again.lines().count(), text.lines().count() + 1);
    let (code, _, stderr) = twin(
        &["check", "--baseline", "/nonexistent/b.json", root],
        "2025-01-01T00:00:00Z",
    );
    assert_eq!(code, Some(2), "{stderr}");
}

/// Records a scripted month: findings open, resolve, reopen; a note is renamed.
fn scripted_history() -> tempfile::TempDir {
    let dir = small_vault();
    let root = dir.path().to_str().unwrap().to_string();
    let record = |now: &str| {
        let (code, _, stderr) = twin(&["check", "--record", "--fail-on", "never", &root], now);
        assert_eq!(code, Some(0), "{stderr}");
    };
    write(
        dir.path(),
        "Ideas.md",
        "# Ideas\n\nBack to [[Home]]. [[Gone]] [[Lost]]\n",
    );
    record("2025-03-01T09:00:00Z");
    write(
        dir.path(),
        "Sources.md",
        "# Sources\n\nBack to [[Home]].[^1]\n",
    );
    record("2025-03-04T09:00:00Z");
    write(
        dir.path(),
        "Ideas.md",
        "# Ideas\n\nBack to [[Home]]. [[Lost]]\n",
    );
    record("2025-03-10T09:00:00Z");
    write(
        dir.path(),
        "Ideas.md",
        "# Ideas\n\nBack to [[Home]]. [[Gone]] [[Lost]]\n",
    );
    record("2025-03-12T09:00:00Z");
    write(dir.path(), "Sources.md", "# Sources\n\nBack to [[Home]].\n");
    record("2025-03-20T09:00:00Z");
    dir
}

/// Each `--record` that changes the coherence score records it; the Markdown summary and the
/// report's trend show it over time.
#[test]
fn the_score_trend_reaches_the_summary_and_the_report() {
    let dir = scripted_history();
    let root = dir.path().to_str().unwrap();
    let now = "2025-03-21T09:00:00Z";
    let (_, trend, _) = twin(
        &[
            "history", root, "--trend", "--format", "json", "--days", "30",
        ],
        now,
    );
    let trend: serde_json::Value = serde_json::from_str(&trend).unwrap();
    let scores: Vec<f64> = trend["scores"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    // Days before the first record have none; the score moved as links broke and healed.
    assert!(trend["scores"][0].is_null(), "{trend}");
    assert!(scores.windows(2).any(|w| w[0] != w[1]), "{scores:?}");
    let (_, summary, stderr) = twin(&["check", root, "--format", "markdown"], now);
    let line = summary
        .lines()
        .find(|l| l.starts_with("**Coherence"))
        .unwrap_or_default();
    assert!(
        line.contains("since 2025-03-01)"),
        "{line}\n{summary}{stderr}"
    );
    let out = dir.path().join("report.html");
    let (code, _, stderr) = twin(&["report", root, "--out", out.to_str().unwrap()], now);
    assert_eq!(code, Some(0), "{stderr}");
    let html = fs::read_to_string(out).unwrap();
    assert!(
        html.contains("\"scores\":[null,"),
        "no score trend in the report"
    );
}

/// Trace paths are temporary folders: snapshots show only what is inside the vault.
#[test]
fn history_outputs() {
    let dir = scripted_history();
    let root = dir.path().to_str().unwrap();
    let now = "2025-03-31T12:00:00Z";
    let (code, table, stderr) = twin(&["history", root], now);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("history-table", table);
    let (_, note, _) = twin(
        &[
            "history",
            "Ideas",
            root,
            "--since",
            "25d",
            "--code",
            "broken-link",
        ],
        now,
    );
    insta::assert_snapshot!("history-note-since-code", note);
    let (_, json, _) = twin(
        &[
            "history",
            "--format",
            "json",
            "--code",
            "footnote-undefined",
            root,
        ],
        now,
    );
    serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
    insta::assert_snapshot!("history-json", json);
    let (_, trend, _) = twin(&["history", "--trend", "--days", "35", root], now);
    insta::assert_snapshot!("history-trend", trend);
    let (_, trend_json, _) = twin(
        &[
            "history", "--trend", "--days", "5", "--format", "json", root,
        ],
        now,
    );
    insta::assert_snapshot!("history-trend-json", trend_json);
    // Messages of `check` carry the age once a trace exists.
    let (_, report, _) = twin(&["check", "--color", "never", root], now);
    assert!(
        report.contains("`Gone` in the vault (open 19 days, reopened 1×)"),
        "{report}"
    );
    assert!(
        report.contains("`Lost` in the vault (open 30 days)"),
        "{report}"
    );
}

#[test]
fn chronic_findings_escalate_when_configured() {
    let dir = scripted_history();
    let root = dir.path().to_str().unwrap();
    write(
        dir.path(),
        "Ideas.md",
        "# Ideas\n\nBack to [[Home]]. [[Home#Nowhere]]\n",
    );
    let now = "2025-03-02T00:00:00Z";
    twin(&["check", "--record", root], now);
    write(
        dir.path(),
        ".twin/config.toml",
        "[history]\nescalate-after-days = 20\n",
    );
    let (code, out, _) = twin(
        &["check", "--fail-on", "error", "--format", "json", root],
        now,
    );
    assert_eq!(code, Some(0), "a day-old warning stays a warning: {out}");
    let (code, out, _) = twin(
        &["check", "--fail-on", "error", "--format", "json", root],
        "2025-03-25T00:00:00Z",
    );
    assert_eq!(code, Some(1), "after 20 days it is an error: {out}");
    write(
        dir.path(),
        ".twin/config.toml",
        "[history]\nescalate-after = 20\n",
    );
    let (code, _, stderr) = twin(&["check", root], now);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("config.toml:2:") && stderr.contains("escalate-after"),
        "{stderr}"
    );
}

#[test]
fn compaction_through_the_binary_keeps_open_findings() {
    let dir = scripted_history();
    let root = dir.path().to_str().unwrap();
    let before = Trace::read(dir.path()).unwrap();
    let (code, out, stderr) = twin(
        &["history", "--compact", "--keep-days", "5", root],
        "2025-04-30T00:00:00Z",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.contains("dropped 1 findings"), "{out}");
    let after = Trace::read(dir.path()).unwrap();
    let open = |t: &Trace| {
        let mut fps: Vec<String> = t.state().open().map(|(fp, _)| fp.to_string()).collect();
        fps.sort();
        fps
    };
    assert_eq!(open(&before), open(&after));
    assert!(after.state().events < before.state().events);
}

fn count_lines(path: &Path) -> (usize, bool) {
    let bytes = fs::read(path).unwrap_or_default();
    let complete = bytes.iter().filter(|b| **b == b'\n').count();
    (complete, !bytes.is_empty() && !bytes.ends_with(b"\n"))
}

/// Kills a writer that appends half-lines in a loop, until a kill lands mid-line; the trace
/// stays readable and the next append repairs it.
#[test]
fn a_writer_killed_mid_line_leaves_a_readable_trace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let trace_file = dir.path().join(TRACE_FILE);
    let mut torn_seen = false;
    for attempt in 0..10 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_twin"))
            .args([
                "__trace-writer",
                root,
                "--events",
                "0",
                "--split",
                "--writer",
            ])
            .arg(attempt.to_string())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let target = count_lines(&trace_file).0 + 20 + attempt * 7;
        while count_lines(&trace_file).0 < target && started.elapsed() < LIMIT {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no unlock, no flush
        child.wait().unwrap();
        let (complete, torn) = count_lines(&trace_file);
        let trace = Trace::read(dir.path()).unwrap();
        assert_eq!(
            trace.state().events as usize,
            complete,
            "every complete line is an event"
        );
        assert_eq!(trace.skipped, 0);
        assert_eq!(trace.torn, torn);
        if torn {
            torn_seen = true;
            break;
        }
    }
    assert!(torn_seen, "no kill landed mid-line in 10 attempts");
    let (before, _) = count_lines(&trace_file);
    let (code, _, stderr) = twin(
        &["__trace-writer", root, "--events", "5", "--writer", "99"],
        "2025-01-01T00:00:00Z",
    );
    assert_eq!(
        code,
        Some(0),
        "the lock died with the killed writer: {stderr}"
    );
    let (after, torn) = count_lines(&trace_file);
    assert!(!torn);
    assert_eq!(after, before + 5);
    let trace = Trace::read(dir.path()).unwrap();
    assert_eq!((trace.state().events as usize, trace.skipped), (after, 0));
}

#[test]
fn concurrent_writer_processes_lose_nothing() {
    const WRITERS: u32 = 3;
    const EVENTS: usize = 1000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            Command::new(env!("CARGO_BIN_EXE_twin"))
                .args([
                    "__trace-writer",
                    root,
                    "--events",
                    &EVENTS.to_string(),
                    "--writer",
                    &w.to_string(),
                ])
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let trace = Trace::read(dir.path()).unwrap();
    assert_eq!(trace.skipped, 0);
    assert!(!trace.torn);
    assert_eq!(trace.state().events as usize, WRITERS as usize * EVENTS);
    assert_eq!(
        trace.state().findings().count(),
        WRITERS as usize * EVENTS,
        "all distinct"
    );
}

#[test]
fn reanchor_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("rules/anchor-drift");
    for entry in fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    write(
        dir.path(),
        TRACE_FILE,
        &fs::read_to_string(src.join(TRACE_FILE)).unwrap(),
    );
    let root = dir.path().to_str().unwrap();
    let now = "2025-02-01T00:00:00Z";
    let (_, before, _) = twin(&["check", "--format", "json", root], now);
    assert!(before.contains("anchor-drift"));
    let (code, out, stderr) = twin(&["history", "--reanchor", "Weekend Notes", root], now);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.trim(), "re-anchored Weekend Notes.md");
    let (_, after, _) = twin(&["check", "--format", "json", root], now);
    assert!(!after.contains("anchor-drift"), "{after}");
}
