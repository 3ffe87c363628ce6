//! The CI formats through the real binary: SARIF validated against the 2.1.0 schema,
//! GitHub workflow commands checked line by line.

mod common;

use std::time::Duration;

use common::{fixture, run_twin};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn sarif_validates_against_the_schema() {
    let vault = fixture("rules/footnote-duplicate");
    let run = run_twin(
        &["check", "--format", "sarif", &vault.to_string_lossy()],
        LIMIT,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");

    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), twin::rules::RULES.len());
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(location["artifactLocation"]["uri"], "Home.md");
    }
    // Help links come from Cargo.toml's `repository`, and there are none while it is unset.
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let driver = &run0["tool"]["driver"];
    for rule in rules {
        let code = rule["id"].as_str().unwrap();
        if repository.is_empty() {
            assert_eq!(rule.get("helpUri"), None, "{code} links nowhere");
        } else {
            let page = format!("docs/rules/{code}.md");
            assert_eq!(rule["helpUri"], format!("{repository}/blob/HEAD/{page}"));
            assert!(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(&page)
                    .exists()
            );
        }
    }
    assert_eq!(
        driver.get("informationUri").and_then(|u| u.as_str()),
        (!repository.is_empty()).then_some(repository)
    );
}

#[test]
fn sarif_columns_are_utf16() {
    let dir = tempfile::tempdir().unwrap();
    // The emoji is two UTF-16 units but one scalar value.
    std::fs::write(dir.path().join("a.md"), "😀 [[Missing]]\n").unwrap();
    let root = dir.path().to_string_lossy().into_owned();
    let sarif = run_twin(&["check", "--format", "sarif", &root], LIMIT);
    let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 6);
    let json = run_twin(&["check", "--format", "json", &root], LIMIT);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["column"], 5);
}

#[test]
fn github_format_is_one_workflow_command_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a, b.md"), "# A\n\n[[Missing: 100%]]\n").unwrap();
    let run = run_twin(
        &["check", "--format", "github", &dir.path().to_string_lossy()],
        LIMIT,
    );
    assert_eq!(run.code, Some(1));
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with(
            "::error file=a%2C b.md,line=3,col=3,endLine=3,endColumn=16,title=twin(broken-link)::"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with("`Missing: 100%25` in the vault"),
        "{}",
        lines[0]
    );
}

#[test]
fn markdown_summary_counts_rules_and_the_change_against_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let vault = root.to_string_lossy().into_owned();
    let baseline = root.join("base.json").to_string_lossy().into_owned();
    std::fs::write(
        root.join("a.md"),
        "# A\n\n[[Missing]] and [[Gone]] and [[b b]] and [[a]]\n",
    )
    .unwrap();
    std::fs::write(root.join("b b.md"), "# B\n\n[[a]] and a note[^1]\n").unwrap();
    let written = run_twin(&["check", &vault, "--write-baseline", &baseline], LIMIT);
    assert_eq!(written.code, Some(0), "{}", written.stderr);
    run_twin(&["check", &vault, "--record"], LIMIT);
    // One finding fixed (`Gone`), one new (`New`), one kept (`Missing`); HTML in a message
    // stays in a code span, where it is text. The self-link is fixed and its rule has no
    // finding left: its row still shows the rule's severity, as the kept footnote's does.
    std::fs::write(
        root.join("a.md"),
        "# A\n\n[[Missing]] and [[New <b>x</b>]] and [[b b]]\n",
    )
    .unwrap();
    let run = run_twin(
        &[
            "check",
            &vault,
            "--format",
            "markdown",
            "--baseline",
            &baseline,
            "--link-base",
            "https://github.com/o/r/blob/SHA/vault/",
        ],
        LIMIT,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    insta::assert_snapshot!("markdown_baseline", run.stdout);
    assert!(run.stdout.contains("`New <b>x</b>`"), "{}", run.stdout);
    assert!(
        run.stdout.contains("| `self-link` | warning | 0 | 0 | 1 |")
            && run
                .stdout
                .contains("| `footnote-undefined` | warning | 0 | 1 | 0 |"),
        "{}",
        run.stdout
    );

    // Without a baseline: every finding, linked relative to the vault.
    let plain = run_twin(&["check", &vault, "--format", "markdown"], LIMIT);
    insta::assert_snapshot!("markdown_plain", plain.stdout);
}
