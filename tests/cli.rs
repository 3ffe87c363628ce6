//! End-to-end tests of `twin check` through the real binary: formats, exit codes, errors.

mod common;

use std::time::Duration;

use common::{fixture, run_twin};

const LIMIT: Duration = Duration::from_secs(60);

fn path(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

#[test]
fn demo_vault_reports_its_defects_and_fails() {
    let run = run_twin(&["check", &path("demo-vault")], LIMIT);
    assert_eq!(run.code, Some(1), "stderr: {}", run.stderr);
    assert!(run.stdout.contains("[broken-link]"), "{}", run.stdout);
    assert!(run.stdout.contains("Checked "), "{}", run.stdout);
    // Piped output carries no colour.
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn clean_vault_exits_zero() {
    let run = run_twin(&["check", &path("clean-vault")], LIMIT);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("0 errors, 0 warnings, 0 infos, 0 hints"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_report_has_the_documented_shape() {
    let run = run_twin(
        &["check", "--format", "json", &path("rules/broken-link")],
        LIMIT,
    );
    assert_eq!(run.code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert!(json["vault"].as_str().unwrap().starts_with('/'));
    assert_eq!(json["notes"], 2);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    let keys = [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "code",
        "message",
        "related",
    ];
    for d in diagnostics {
        for key in keys {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
    }
    let order: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(
        order, sorted,
        "diagnostics are sorted by path, line, column"
    );
    assert_eq!(
        json["summary"]["error"].as_u64().unwrap() as usize,
        diagnostics
            .iter()
            .filter(|d| d["severity"] == "error")
            .count()
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let vault = path("rules/footnote-unused");
    // Only warnings there: they fail by default, not with --fail-on error or never.
    assert_eq!(run_twin(&["check", &vault], LIMIT).code, Some(1));
    assert_eq!(
        run_twin(&["check", "--fail-on", "error", &vault], LIMIT).code,
        Some(0)
    );
    assert_eq!(
        run_twin(&["check", "--fail-on", "never", &vault], LIMIT).code,
        Some(0)
    );
    assert_eq!(
        run_twin(&["check", "--fail-on", "hint", &vault], LIMIT).code,
        Some(1)
    );
}

#[test]
fn missing_vault_is_a_one_line_error() {
    let run = run_twin(&["check", "/definitely/not/here"], LIMIT);
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(
        run_twin(&["check", "--format", "yaml"], LIMIT).code,
        Some(2)
    );
    assert_eq!(run_twin(&["frobnicate"], LIMIT).code, Some(2));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let vault = path("rules/broken-link");
    let run = run_twin(&["check", "--color", "always", &vault], LIMIT);
    assert!(run.stdout.contains('\u{1b}'), "expected ANSI colour");
    let run = run_twin(&["check", "--color", "never", &vault], LIMIT);
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn config_errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".twin")).unwrap();
    std::fs::write(
        dir.path().join(".twin/config.toml"),
        "exclude = []\n\n[rules]\nbroken-link = \"error\"\nno-such-rule = \"warning\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    let run = run_twin(&["check", &dir.path().to_string_lossy()], LIMIT);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("no-such-rule"), "{}", run.stderr);
    assert!(run.stderr.contains("config.toml:5"), "{}", run.stderr);
}

#[test]
fn rules_can_be_turned_off_or_raised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".twin")).unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n\n[[Nowhere]] and [^x]\n").unwrap();
    let config = dir.path().join(".twin/config.toml");
    std::fs::write(
        &config,
        "[rules]\nbroken-link = \"off\"\nfootnote-undefined = \"error\"\n",
    )
    .unwrap();
    let run = run_twin(
        &["check", "--format", "json", &dir.path().to_string_lossy()],
        LIMIT,
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, vec![("footnote-undefined", "error")]);
}
