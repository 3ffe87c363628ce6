//! `twin fix` and `twin check --group-by target` on the fixture vaults under
//! `fixtures/fix/<case>/`: the diff each case plans (an insta snapshot), that applying it
//! removes exactly the fixed findings and adds none, that a second run changes nothing,
//! that no byte outside the planned edits changes, that a file changed on disk is
//! skipped, and that nothing is written without `--yes` off a terminal.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Run, analyze, check, copy_dir, fixture, run_twin};
use twin::fix::{
    ApplyOutcome, FileChange, FileOp, FixContext, FixPlan, KnownMoves, PlanOptions, Safety,
    apply_changes, apply_file, plan_fixes, quick_fixes,
};

const LIMIT: Duration = Duration::from_secs(60);

/// Every case, and whether it needs `--unsafe`.
const CASES: &[(&str, bool)] = &[
    ("near-miss", false),
    ("renamed", false),
    ("relations", false),
    ("relations-ru", false),
    ("relations-property", false),
    ("unsafe", true),
    ("alias", false),
];

/// A copy of fixture `case` in a temporary folder.
fn copy_case(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(&format!("fix/{case}")), dir.path());
    dir
}

/// Every file under `root` with its bytes.
fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path.strip_prefix(root).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn fix(root: &Path, args: &[&str]) -> Run {
    let root = root.to_str().unwrap();
    let mut all = vec!["fix", root, "--color", "never"];
    all.extend_from_slice(args);
    run_twin(&all, LIMIT)
}

fn unsafe_flag(allow_unsafe: bool) -> &'static [&'static str] {
    if allow_unsafe { &["--unsafe"] } else { &[] }
}

/// What `twin fix` plans for the vault at `root`, computed through the library.
fn plan(root: &Path, allow_unsafe: bool) -> FixPlan {
    let analysis = analyze(root);
    let diagnostics = analysis.check(None);
    let renames = KnownMoves::from_trace(root).unwrap();
    let template = twin::fix::create::load_template(root).unwrap();
    let cx = FixContext::from_analysis(&analysis).with_moves(&renames);
    plan_fixes(
        &cx,
        &diagnostics,
        PlanOptions {
            allow_unsafe,
            codes: &[],
            template: template.as_deref(),
        },
    )
}

/// Findings as compared across runs: rule, note and message (which names the target),
/// with how many there are of each.
fn finding_keys(root: &Path) -> BTreeMap<(String, String, String), usize> {
    let mut out = BTreeMap::new();
    for d in check(root) {
        *out.entry((d.code.to_string(), d.path.to_string(), d.message))
            .or_default() += 1;
    }
    out
}

#[test]
fn each_case_plans_the_expected_diff() {
    for (case, allow_unsafe) in CASES {
        let dir = copy_case(case);
        let run = fix(
            dir.path(),
            &[&["--diff"], unsafe_flag(*allow_unsafe)].concat(),
        );
        assert_eq!(run.code, Some(1), "{case}: {}", run.stderr);
        insta::assert_snapshot!(
            format!("fix_{case}"),
            format!("{}--- stderr ---\n{}", run.stdout, run.stderr)
        );
    }
}

#[test]
fn applying_removes_the_fixed_findings_adds_none_and_a_second_run_changes_nothing() {
    for (case, allow_unsafe) in CASES {
        let dir = copy_case(case);
        let root = dir.path();
        let before = finding_keys(root);
        let planned = plan(root, *allow_unsafe);
        let fixed: BTreeSet<(String, String)> = planned
            .fixes
            .iter()
            .flat_map(|f| &f.findings)
            .map(|f| (f.code.to_string(), f.path.to_string()))
            .collect();
        assert!(!fixed.is_empty(), "{case} plans no fix");
        let run = fix(root, &[&["--yes"], unsafe_flag(*allow_unsafe)].concat());
        assert_eq!(run.code, Some(0), "{case}: {}", run.stderr);
        let after = finding_keys(root);
        let new: Vec<_> = after
            .iter()
            .filter(|(key, n)| before.get(*key).is_none_or(|m| m < n))
            .collect();
        assert!(new.is_empty(), "{case}: new findings {new:?}");
        let gone = before.values().sum::<usize>() - after.values().sum::<usize>();
        let fixed_count: usize = planned.fixes.iter().map(|f| f.findings.len()).sum();
        assert_eq!(gone, fixed_count, "{case}: {before:?} → {after:?}");
        for u in &planned.unfixable {
            assert!(
                after
                    .keys()
                    .any(|(code, path, _)| code == u.finding.code && **path == *u.finding.path),
                "{case}: an unfixable finding vanished: {u:?}"
            );
        }
        // Idempotent: nothing is left to do.
        let again = fix(root, &[&["--diff"], unsafe_flag(*allow_unsafe)].concat());
        assert_eq!(
            again.code,
            Some(0),
            "{case}: {}{}",
            again.stdout,
            again.stderr
        );
        assert_eq!(again.stdout, "", "{case}");
    }
}

#[test]
fn no_byte_changes_outside_the_edited_targets_and_inserted_lines() {
    for (case, allow_unsafe) in CASES {
        let dir = copy_case(case);
        let root = dir.path();
        let before = files(root);
        let planned = plan(root, *allow_unsafe);
        let vault = analyze(root).vault;
        for fix in &planned.fixes {
            for op in &fix.fix.ops {
                let FileOp::Edit { path, changes } = op else {
                    continue;
                };
                let note = vault.note(vault.note_by_path(path).unwrap());
                for c in changes {
                    let (start, end) = (c.span.start as usize, c.span.end as usize);
                    let in_link = note.links.iter().any(|l| {
                        let anchor = l.anchor.as_ref().map(|a| a.span);
                        let within = |s: twin::text::Span| {
                            s.start as usize <= start && end <= s.end as usize
                        };
                        within(l.target_span) || anchor.is_some_and(within)
                    });
                    let whole_lines = start == end
                        && ((note.text[..start].ends_with('\n') || start == 0)
                            && c.new_text.ends_with('\n')
                            || start == note.text.len() && c.new_text.starts_with('\n'));
                    let in_frontmatter = note.frontmatter.as_ref().is_some_and(|fm| {
                        fm.span.start as usize <= start && end <= fm.span.end as usize
                    }) && start == end;
                    let removes_lines = fix.safety == Safety::Unsafe
                        && c.new_text.is_empty()
                        && (start == 0 || note.text[..start].ends_with('\n'))
                        && note.text[..end].ends_with('\n');
                    assert!(
                        in_link || whole_lines || in_frontmatter || removes_lines,
                        "{case}: {path} change {c:?} is outside link targets and whole lines"
                    );
                }
            }
        }
        let run = fix(root, &[&["--yes"], unsafe_flag(*allow_unsafe)].concat());
        assert_eq!(run.code, Some(0), "{case}: {}", run.stderr);
        let after = files(root);
        for (path, bytes) in &after {
            let rel = path.to_string_lossy().replace('\\', "/");
            let expected = planned.files.iter().find(|f| **f.path() == *rel);
            match expected {
                Some(FileChange::Edit { text, .. }) | Some(FileChange::Create { text, .. }) => {
                    assert_eq!(bytes, text.as_bytes(), "{case}: {rel}")
                }
                None => {
                    let old = before.iter().find(|(p, _)| p == path).map(|(_, b)| b);
                    assert_eq!(old, Some(bytes), "{case}: {rel} changed without a plan");
                }
            }
        }
        let created = planned
            .files
            .iter()
            .filter(|f| matches!(f, FileChange::Create { .. }))
            .count();
        assert_eq!(after.len(), before.len() + created, "{case}: stray files");
        // The planned texts are the originals with exactly the planned changes.
        for change in &planned.files {
            if let FileChange::Edit {
                path,
                original,
                text,
            } = change
            {
                let mut changes: Vec<_> = planned
                    .fixes
                    .iter()
                    .flat_map(|f| &f.fix.ops)
                    .filter_map(|op| match op {
                        FileOp::Edit { path: p, changes } if p == path => Some(changes),
                        _ => None,
                    })
                    .flatten()
                    .cloned()
                    .collect();
                changes.sort_by_key(|c| (c.span.start, c.span.end));
                assert_eq!(apply_changes(original, &changes), *text, "{case}: {path}");
            }
        }
    }
}

#[test]
fn a_file_changed_after_reading_is_skipped() {
    let dir = copy_case("near-miss");
    let root = dir.path();
    let planned = plan(root, false);
    let change = planned
        .files
        .iter()
        .find(|f| &**f.path() == "Home.md")
        .expect("Home.md is planned");
    let edited = "# Home\n\nEdited in an editor meanwhile.\n";
    std::fs::write(root.join("Home.md"), edited).unwrap();
    assert!(matches!(
        apply_file(root, change),
        ApplyOutcome::ChangedOnDisk
    ));
    assert_eq!(
        std::fs::read_to_string(root.join("Home.md")).unwrap(),
        edited
    );
    let leftovers: Vec<_> = files(root)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains("twin-fix"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // Unchanged, it is written.
    let fresh = plan(root, false);
    assert!(fresh.files.is_empty(), "the edit removed every finding");
    let dir = copy_case("near-miss");
    let planned = plan(dir.path(), false);
    assert!(matches!(
        apply_file(dir.path(), &planned.files[0]),
        ApplyOutcome::Written
    ));
}

#[test]
fn off_a_terminal_without_yes_nothing_is_written() {
    let dir = copy_case("relations");
    let root = dir.path();
    let before = files(root);
    let run = fix(root, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.contains("+- [[Home]]"), "{}", run.stdout);
    assert!(run.stderr.contains("nothing written"), "{}", run.stderr);
    assert_eq!(files(root), before);
}

#[test]
fn code_limits_the_rules_and_unknown_codes_are_usage_errors() {
    let dir = copy_case("unsafe");
    let run = fix(
        dir.path(),
        &["--diff", "--unsafe", "--code", "footnote-unused"],
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("-[^9]: Never used,"), "{}", run.stdout);
    assert!(!run.stdout.contains("Guide"), "{}", run.stdout);
    assert!(!run.stderr.contains("broken-link"), "{}", run.stderr);
    let run = fix(dir.path(), &["--code", "self-link"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("not a rule twin fixes"),
        "{}",
        run.stderr
    );
    // Without --unsafe the unsafe fixes are listed as not fixed, with the reason.
    let run = fix(dir.path(), &["--diff"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("removing a definition is an unsafe fix")
    );
    assert!(run.stderr.contains("creating the note is an unsafe fix"));
}

#[test]
fn one_sided_relations_are_quick_fixes_too() {
    let root = fixture("fix/relations");
    let analysis = analyze(&root);
    let vault = &analysis.vault;
    let cx = FixContext::from_analysis(&analysis);
    let home = vault.note_by_path("Home.md").unwrap();
    let text = &vault.note(home).text;
    let at = text.find("[[Beta]]").unwrap();
    let fixes = quick_fixes(&cx, home, at, at);
    let titles: Vec<(&str, &str)> = fixes
        .iter()
        .map(|q| (q.code, q.fix.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [("one-sided-relation", "List Home as upstream in Beta.md")]
    );
    // The same edit as `twin fix` makes.
    let planned = plan(&root, false);
    let beta = planned
        .fixes
        .iter()
        .find(|f| f.fix.title.ends_with("in Beta.md"))
        .unwrap();
    assert_eq!(beta.fix.ops, fixes[0].fix.ops);
}

#[test]
fn check_groups_broken_links_by_target() {
    let root = fixture("fix/groups");
    let root = root.to_str().unwrap();
    let human = run_twin(&["check", root, "--group-by", "target"], LIMIT);
    assert_eq!(human.code, Some(1));
    insta::assert_snapshot!("group_by_target_human", human.stdout);
    let json = run_twin(
        &["check", root, "--group-by", "target", "--format", "json"],
        LIMIT,
    );
    assert_eq!(json.code, Some(1));
    let mut value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    value["vault"] = "[VAULT]".into();
    insta::assert_json_snapshot!("group_by_target_json", value);
    let sarif = run_twin(
        &["check", root, "--group-by", "target", "--format", "sarif"],
        LIMIT,
    );
    assert_eq!(sarif.code, Some(2));
}
