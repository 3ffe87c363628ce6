//! `twin report` through the real binary: one self-contained HTML file whose inlined data
//! holds the vault's notes, findings, edges and trend. (What a person sees in a browser is
//! tested by editors/report/report.test.js under .ci/run.)

mod common;

use std::time::Duration;

use common::{copy_dir, fixture, run_twin};

const LIMIT: Duration = Duration::from_secs(60);

/// The JSON inlined in the page.
fn data(html: &str) -> serde_json::Value {
    let start = html
        .find("<script id=\"data\" type=\"application/json\">")
        .unwrap();
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).expect("the inlined data is JSON")
}

#[test]
fn the_report_is_one_file_with_the_vaults_data_inlined() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    copy_dir(&fixture("demo-vault"), &vault);
    let vault_arg = vault.to_string_lossy().into_owned();
    let recorded = run_twin(&["check", &vault_arg, "--record"], LIMIT);
    assert!(recorded.stderr.contains("history:"), "{}", recorded.stderr);
    let out = dir.path().join("out.html");
    let run = run_twin(
        &["report", &vault_arg, "--out", &out.to_string_lossy()],
        LIMIT,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.starts_with("wrote "), "{}", run.stderr);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    // Self-contained: no script, style or image comes from elsewhere.
    for external in ["src=", "href=\"http", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    let data = data(&html);
    let notes = data["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 33);
    let findings = data["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 17);
    // Each finding names its note by index, its line, rule and age (0 days: just recorded).
    let broken = findings
        .iter()
        .find(|f| data["codes"][f[2].as_u64().unwrap() as usize] == "broken-link")
        .unwrap();
    let note = &notes[broken[0].as_u64().unwrap() as usize];
    assert_eq!(note[0], "Projects/Drafts/Vault Linter Essay.md");
    assert_eq!(broken[1], 19);
    assert_eq!(broken[5], 0);
    // Typed edges are kept apart from plain links.
    let kinds: std::collections::BTreeSet<u64> = data["edges"]
        .as_array()
        .unwrap()
        .chunks(3)
        .map(|e| e[2].as_u64().unwrap())
        .collect();
    assert!(kinds.contains(&0) && kinds.contains(&3), "{kinds:?}");
    assert_eq!(data["shown"].as_array().unwrap().len(), 33);
    assert_eq!(data["trend"]["days"].as_array().unwrap().len(), 90);
    assert_eq!(data["trend"]["total"][89], 17);
}

#[test]
fn a_big_vault_shows_a_subset_first_and_a_missing_vault_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let out_arg = out.to_string_lossy().into_owned();
    let vault = fixture("demo-vault").to_string_lossy().into_owned();
    let run = run_twin(
        &["report", &vault, "--out", &out_arg, "--graph-limit", "5"],
        LIMIT,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let data = data(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(data["shown"].as_array().unwrap().len(), 5);
    assert!(data["trend"].is_null());
    let missing = run_twin(&["report", "/no/such/vault", "--out", &out_arg], LIMIT);
    assert_eq!(missing.code, Some(2));
}
