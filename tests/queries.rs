//! Query rules end to end: fixtures for every selector, requirement and forbid kind, each
//! pack on a passing and a failing vault, rule-file errors, and the `twin select` and
//! `twin rules` commands (`fixtures/queries/`).

mod common;

use std::path::Path;
use std::time::Duration;

use common::{check, check_json, fixture, run_twin};

const LIMIT: Duration = Duration::from_secs(120);

/// The findings of the vault's query rules as `path code: message` lines.
fn query_findings(root: &Path, prefixes: &[&str]) -> Vec<String> {
    check(root)
        .into_iter()
        .filter(|d| prefixes.iter().any(|p| d.code.starts_with(p)))
        .map(|d| format!("{} {}: {}", d.path, d.code, d.message))
        .collect()
}

#[test]
fn every_selector_kind_selects_its_note_and_not_the_other() {
    let root = fixture("queries/selectors");
    let found = query_findings(&root, &["sel-"]);
    let flagged = |code: &str| -> Vec<String> {
        found
            .iter()
            .filter(|f| f.contains(&format!(" {code}:")))
            .map(|f| f.split(" sel-").next().unwrap().to_string())
            .collect()
    };
    assert_eq!(flagged("sel-folder"), ["ideas/In Folder.md"]);
    assert_eq!(flagged("sel-tag"), ["Tagged.md"]);
    assert_eq!(flagged("sel-property"), ["Published.md"]);
    assert_eq!(flagged("sel-relation"), ["Child.md"]);
    assert_eq!(flagged("sel-search"), ["Garden.md"]);
    insta::assert_snapshot!("queries-selectors", check_json(&root));
}

#[test]
fn every_requirement_and_forbid_passes_one_note_and_flags_the_other() {
    let root = fixture("queries/requirements");
    let found = query_findings(&root, &["req-", "forbid-"]);
    let dir = root.join(".twin/queries/requirements.toml");
    let text = std::fs::read_to_string(dir).unwrap();
    let codes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("code = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(codes.len(), 17, "one rule per kind");
    for code in codes {
        let notes: Vec<&String> = found
            .iter()
            .filter(|f| f.contains(&format!(" {code}:")))
            .collect();
        assert!(!notes.is_empty(), "{code} flagged nothing");
        assert!(
            notes
                .iter()
                .all(|f| f.starts_with(&format!("{code}/Fail.md "))),
            "{code} flagged more than its failing note: {notes:#?}"
        );
    }
    insta::assert_snapshot!("queries-requirements", check_json(&root));
}

fn pack_codes(pack: &str) -> Vec<String> {
    let (rules, errors) = twin::query_rules::parse_rule_file(
        twin::query_rules::pack(pack).unwrap().text,
        twin::query_rules::RuleSource::Pack(twin::query_rules::pack(pack).unwrap().name),
        &[],
    );
    assert!(errors.is_empty());
    rules.iter().map(|r| r.code.to_string()).collect()
}

fn check_pack(pack: &str) {
    let codes = pack_codes(pack);
    let prefixes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let passing = query_findings(&fixture(&format!("queries/packs/{pack}/pass")), &prefixes);
    assert!(
        passing.is_empty(),
        "{pack} on its passing vault: {passing:#?}"
    );
    let failing = query_findings(&fixture(&format!("queries/packs/{pack}/fail")), &prefixes);
    for code in &codes {
        let n = failing
            .iter()
            .filter(|f| f.contains(&format!(" {code}:")))
            .count();
        assert_eq!(
            n, 1,
            "{code} should fire once in the failing vault: {failing:#?}"
        );
    }
    insta::assert_snapshot!(format!("queries-pack-{pack}"), failing.join("\n"));
}

#[test]
fn frames_pack() {
    check_pack("frames");
}

#[test]
fn zettelkasten_pack() {
    check_pack("zettelkasten");
}

/// The notes `orphan-note` flags in a vault of one linked pair and one loose note, with
/// this `.twin/config.toml`.
fn orphans_with_config(config: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("A.md", "# A\n[[B]]\n"),
        ("B.md", "# B\n"),
        ("Loose.md", "# Loose\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    if let Some(config) = config {
        std::fs::create_dir_all(dir.path().join(".twin")).unwrap();
        std::fs::write(dir.path().join(".twin/config.toml"), config).unwrap();
    }
    check(dir.path())
        .into_iter()
        .filter(|d| d.code == "orphan-note")
        .map(|d| format!("{} {}", d.path, d.severity.as_str()))
        .collect()
}

#[test]
fn orphan_note_is_off_by_default_and_the_zettelkasten_pack_turns_it_on() {
    assert!(orphans_with_config(None).is_empty());
    assert!(orphans_with_config(Some("extends = [\"frames\"]\n")).is_empty());
    let zettel = "extends = [\"zettelkasten\"]\n";
    assert_eq!(orphans_with_config(Some(zettel)), ["Loose.md info"]);
    // The vault's `[rules]` has the last word over the pack.
    let off = format!("{zettel}[rules]\norphan-note = \"off\"\n");
    assert!(orphans_with_config(Some(&off)).is_empty());
    let warning = format!("{zettel}[rules]\norphan-note = \"warning\"\n");
    assert_eq!(orphans_with_config(Some(&warning)), ["Loose.md warning"]);
    let alone = "[rules]\norphan-note = \"info\"\n";
    assert_eq!(orphans_with_config(Some(alone)), ["Loose.md info"]);
}

#[test]
fn publish_pack() {
    check_pack("publish");
}

/// A vault holding one rule file, checked by the real binary.
fn vault_with_rules(rules: &str, config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".twin/queries")).unwrap();
    std::fs::write(dir.path().join(".twin/queries/rules.toml"), rules).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join(".twin/config.toml"), config).unwrap();
    }
    std::fs::write(dir.path().join("Note.md"), "# Note\nText.\n").unwrap();
    dir
}

/// The error line of `twin check` on a vault with this rule file, with the path cut.
fn rule_file_error(rules: &str) -> String {
    let dir = vault_with_rules(rules, None);
    let path = dir.path().to_str().unwrap();
    let run = run_twin(&["check", path], LIMIT);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    run.stderr.trim().replace(path, "[VAULT]")
}

#[test]
fn bad_rule_files_are_config_errors_naming_file_line_and_key() {
    let cases = [
        ("malformed", "[[rule]\ncode = \"x\"\n"),
        (
            "unknown-key",
            "[[rule]]\ncode = \"x\"\nmessage = \"m\"\nrequire.propertees = [\"a\"]\n",
        ),
        (
            "bad-glob",
            "[[rule]]\ncode = \"x\"\nmessage = \"m\"\nselect.folder = [\"ideas/[\"]\n",
        ),
        (
            "bad-search",
            "[[rule]]\ncode = \"x\"\nmessage = \"m\"\nselect.search = \"\\\"unclosed\"\n",
        ),
        (
            "builtin-code",
            "[[rule]]\ncode = \"broken-link\"\nmessage = \"m\"\n",
        ),
        (
            "not-kebab",
            "[[rule]]\ncode = \"Bad_Code\"\nmessage = \"m\"\n",
        ),
        (
            "bad-severity",
            "[[rule]]\ncode = \"x\"\nseverity = \"fatal\"\nmessage = \"m\"\n",
        ),
        (
            "bad-relation",
            "[[rule]]\ncode = \"x\"\nmessage = \"m\"\nselect.relation = { parent-of = \"[[A]]\" }\n",
        ),
        (
            "bad-type",
            "[[rule]]\ncode = \"x\"\nmessage = \"m\"\nrequire.property-types = { a = \"colour\" }\n",
        ),
        (
            "duplicate-code",
            "[[rule]]\ncode = \"x\"\nmessage = \"m\"\n[[rule]]\ncode = \"x\"\nmessage = \"n\"\n",
        ),
        ("missing-message", "[[rule]]\ncode = \"x\"\n"),
    ];
    let shown: Vec<String> = cases
        .iter()
        .map(|(name, rules)| format!("{name}: {}", rule_file_error(rules)))
        .collect();
    for line in &shown {
        assert!(line.contains(".twin/queries/rules.toml"), "{line}");
    }
    insta::assert_snapshot!("queries-rule-file-errors", shown.join("\n"));
}

#[test]
fn unknown_pack_is_a_config_error() {
    let dir = vault_with_rules("", Some("extends = [\"frames\", \"nope\"]\n"));
    let run = run_twin(&["check", dir.path().to_str().unwrap()], LIMIT);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("config.toml:1: unknown rule pack `nope`"),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_config_sets_query_rule_severity_and_off() {
    let rules = "[[rule]]\ncode = \"needs-title\"\nmessage = \"needs a title\"\nrequire.properties = [\"title\"]\n";
    let dir = vault_with_rules(rules, Some("[rules]\nneeds-title = \"error\"\n"));
    let path = dir.path().to_str().unwrap();
    let run = run_twin(&["check", path, "--format", "json"], LIMIT);
    assert_eq!(run.code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["diagnostics"][0]["code"], "needs-title",
        "{}",
        run.stdout
    );
    assert_eq!(
        json["diagnostics"][0]["severity"], "error",
        "{}",
        run.stdout
    );
    std::fs::write(
        dir.path().join(".twin/config.toml"),
        "[rules]\nneeds-title = \"off\"\n",
    )
    .unwrap();
    let run = run_twin(&["check", path, "--format", "json"], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(!run.stdout.contains("needs-title"));
}

#[test]
fn query_findings_reach_sarif_and_baselines() {
    let rules = "[[rule]]\ncode = \"needs-title\"\nmessage = \"needs a title\"\nrequire.properties = [\"title\"]\n";
    let dir = vault_with_rules(rules, None);
    let path = dir.path().to_str().unwrap();
    let run = run_twin(&["check", path, "--format", "sarif"], LIMIT);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let driver_rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "needs-title");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(driver_rules[index]["id"], "needs-title");

    let baseline = dir.path().join("baseline.txt");
    let baseline = baseline.to_str().unwrap();
    let run = run_twin(&["check", path, "--write-baseline", baseline], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        std::fs::read_to_string(baseline)
            .unwrap()
            .contains("needs-title")
    );
    let run = run_twin(&["check", path, "--baseline", baseline], LIMIT);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
}

#[test]
fn select_lists_matching_notes() {
    let root = fixture("queries/selectors");
    let root = root.to_str().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let select = |args: &[&str]| {
        let mut all = vec!["select", root, "--format", "json"];
        all.extend_from_slice(args);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_twin"))
            .args(&all)
            .env("TWIN_CACHE_DIR", cache.path())
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), json["notes"].clone())
    };
    assert_eq!(
        select(&["--tag", "frame"]).1,
        serde_json::json!(["Tagged.md"])
    );
    assert_eq!(
        select(&["--folder", "ideas/**"]).1,
        serde_json::json!(["ideas/In Folder.md"])
    );
    assert_eq!(
        select(&["--search", "gardening"]).1,
        serde_json::json!(["Garden Draft.md", "Garden.md"])
    );
    assert_eq!(
        select(&["--search", "gardening", "--property", "status=published"]),
        (Some(1), serde_json::json!([]))
    );
}

#[test]
fn rules_lists_sources_and_explains_a_rule() {
    let root = fixture("queries/selectors");
    let root = root.to_str().unwrap();
    let run = run_twin(&["rules", root], LIMIT);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.contains("broken-link"));
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("sel-tag"))
        .unwrap();
    assert!(line.contains(".twin/queries/selectors.toml:11"), "{line}");
    let run = run_twin(&["rules", root, "--explain", "sel-tag"], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("select.tag = \"frame\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("selects 1 of 12 notes; 1 finding(s) in 1 note(s)"),
        "{}",
        run.stdout
    );
}

#[test]
fn rules_says_which_pack_turned_a_built_in_rule_on() {
    let line = |root: &str, code: &str| {
        let run = run_twin(&["rules", root], LIMIT);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let found = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{code} ")));
        found.unwrap_or_default().to_owned()
    };
    // `frames` turns on identity-drift, `zettelkasten` orphan-note; elsewhere both are off.
    let frames = fixture("queries/packs/frames/fail");
    let frames = frames.to_str().unwrap();
    let drift = line(frames, "identity-drift");
    assert!(
        drift.contains("info") && drift.contains("built-in, on by pack frames"),
        "{drift}"
    );
    assert!(!line(frames, "orphan-note").contains("on by pack"));
    let zettel = fixture("queries/packs/zettelkasten/fail");
    let orphan = line(zettel.to_str().unwrap(), "orphan-note");
    assert!(
        orphan.contains("built-in, on by pack zettelkasten"),
        "{orphan}"
    );
    // A level set under `[rules]` names the configuration file.
    let fixture_on = fixture("rules/orphan-note");
    let orphan = line(fixture_on.to_str().unwrap(), "orphan-note");
    assert!(orphan.contains("built-in, .twin/config.toml"), "{orphan}");
    let explained = run_twin(&["rules", frames, "--explain", "identity-drift"], LIMIT);
    assert!(
        explained
            .stdout
            .starts_with("identity-drift (info, built-in, on by pack frames)"),
        "{}",
        explained.stdout
    );
}

#[test]
fn one_note_matching_agrees_with_the_index() {
    use twin::query_rules::FullText;
    use twin::vault::load_vault;
    let queries = [
        "gardening",
        "gardens -draft",
        "\"evergreen notes\"",
        "title:zettelkasten",
        "tag:project",
        "#project/alpha",
        "path:proj",
        "linking OR заметки",
        "-garden",
        "the",
        "связи",
        "häuser",
    ];
    let mut matched = 0;
    for name in ["search", "queries/selectors", "demo-vault"] {
        let root = fixture(name);
        let config = twin::analysis::load_rulebook(&root)
            .map(|rulebook| rulebook.config)
            .unwrap();
        let vault = load_vault(&root, &config).unwrap();
        let indexed = FullText::in_memory(&vault, &queries);
        for id in vault.note_ids() {
            let alone = FullText::for_note(&vault, id, &queries);
            let path = &vault.note(id).path;
            for query in queries {
                assert_eq!(
                    alone.contains(query, path),
                    indexed.contains(query, path),
                    "{name}: `{query}` on {path}"
                );
                matched += usize::from(indexed.contains(query, path));
            }
        }
    }
    assert!(matched > 20, "the queries should match notes: {matched}");
}

#[test]
fn query_fingerprints_survive_edits_elsewhere_and_tell_requirements_apart() {
    use twin::history::fingerprint::fingerprints;
    let rules = "[[rule]]\ncode = \"frame-ish\"\nmessage = \"m\"\nrequire.properties = [\"description\", \"tags\"]\nforbid.tags = [\"draft\"]\n";
    let dir = vault_with_rules(rules, None);
    let note = dir.path().join("Note.md");
    let fps = |text: &str| {
        std::fs::write(&note, text).unwrap();
        let config = twin::analysis::load_rulebook(dir.path())
            .map(|rulebook| rulebook.config)
            .unwrap();
        let vault = twin::vault::load_vault(dir.path(), &config).unwrap();
        let found: Vec<_> = check(dir.path())
            .into_iter()
            .filter(|d| d.code == "frame-ish")
            .collect();
        let mut fps: Vec<String> = fingerprints(&found, &vault)
            .into_iter()
            .map(|f| f.fp.to_string())
            .collect();
        fps.sort();
        fps
    };
    let before = fps("# Note\nText #draft.\n");
    assert_eq!(before.len(), 3, "two missing properties and one tag");
    let mut unique = before.clone();
    unique.dedup();
    assert_eq!(unique.len(), 3, "each failure has its own fingerprint");
    let after = fps("# Note\nA new paragraph above.\n\nText #draft.\n");
    assert_eq!(before, after);
}
