//! Snapshots of `twin check`'s human output through the real binary: findings grouped by
//! note in path order, the underline under the span, a long line cut to a window around
//! it, colour only when asked for, and hostile note text escaped. Each vault is written
//! here, in a temporary folder, so the input sits next to its snapshot.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Run, run_twin};

const LIMIT: Duration = Duration::from_secs(60);

fn vault(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Turns off the rules about a vault's shape (orphans, drift), which fire in these tiny
/// one-note vaults and are not what the rendering tests are about.
const RENDERING_ONLY: (&str, &str) = (
    ".twin/config.toml",
    "[rules]\norphan-note = \"off\"\nidentity-drift = \"off\"\nrelation-drift = \"off\"\n",
);

fn check(root: &Path, extra: &[&str]) -> Run {
    let root = root.to_string_lossy().into_owned();
    let mut args = vec!["check", root.as_str()];
    args.extend_from_slice(extra);
    run_twin(&args, LIMIT)
}

/// The output with the timing, which changes from run to run, replaced.
fn stable(stdout: &str) -> String {
    let mut out = String::with_capacity(stdout.len());
    for line in stdout.lines() {
        match (line.find(" in "), line.strip_prefix("Checked ")) {
            (Some(at), Some(_)) => {
                let rest = &line[at + 4..];
                let after = rest.find("s:").map_or(rest, |i| &rest[i + 1..]);
                out.push_str(&line[..at]);
                out.push_str(" in [TIME]");
                out.push_str(after);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn grouping_vault() -> tempfile::TempDir {
    vault(&[
        (
            "Alpha.md",
            "# Alpha\n\nSee [[Missing One]] here.\n\nAnd [[Beta#No Such Heading]] there.\n",
        ),
        ("Beta.md", "# Beta\n\nA claim[^1].\n\nBack to [[Alpha]].\n"),
        ("sub/Gamma.md", "# Gamma\n\n![[nowhere.png]]\n"),
    ])
}

#[test]
fn findings_are_grouped_by_note_with_the_span_underlined() {
    let dir = grouping_vault();
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    insta::assert_snapshot!("grouped_and_underlined", stable(&run.stdout));
}

#[test]
fn a_long_line_is_cut_to_a_window_around_the_span() {
    let line = format!(
        "{} [[Far Away]] {}\n",
        "lorem ipsum ".repeat(400),
        "dolor sit ".repeat(400)
    );
    let dir = vault(&[("Long.md", &line), RENDERING_ONLY]);
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let out = stable(&run.stdout);
    // The column is the note's (12 * 400 + 3), not the column in the shortened line.
    assert!(out.contains(" --> Long.md:1:4804\n"), "{out}");
    assert!(
        out.lines().all(|l| l.chars().count() < 300),
        "no line near the 8 KB source line's length:\n{out}"
    );
    insta::assert_snapshot!("long_line_window", out);
}

#[test]
fn colour_only_with_color_always_never_when_piped() {
    let dir = grouping_vault();
    let piped = check(dir.path(), &[]);
    assert!(
        !piped.stdout.contains('\u{1b}'),
        "piped output has no escapes"
    );
    let never = check(dir.path(), &["--color", "never"]);
    assert_eq!(stable(&never.stdout), stable(&piped.stdout));
    let always = check(dir.path(), &["--color", "always"]);
    assert_eq!(always.code, Some(1));
    assert!(always.stdout.contains("\u{1b}["), "styled output");
    // Without its styling, the coloured output is the plain output.
    assert_eq!(
        stable(&strip_sgr(&always.stdout)),
        stable(&piped.stdout),
        "colour changes nothing but the styling"
    );
    // The styling itself, made visible.
    insta::assert_snapshot!(
        "color_always",
        stable(&always.stdout).replace('\u{1b}', "␛")
    );
}

/// Removes SGR sequences (`ESC [ ... m`), the only escapes the renderer emits.
fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn control_characters_from_a_hostile_note_are_escaped() {
    // A title-setting OSC, a colour change, a bell, a backspace, a bidi override and a
    // tab, in the link target, around it, and in the file name.
    let hostile = "Text \u{1b}]0;pwned\u{7} and \u{202e}reversed\u{202c} then [[Gone\u{1b}[31mRed]].\n\
                   Tab\there, [[Ok\u{8}\u{8}Missing]]\n";
    let dir = vault(&[
        ("Hostile.md", hostile),
        ("evil\u{1b}[2J.md", "[[Also Gone]]\n"),
        RENDERING_ONLY,
    ]);
    for extra in [&[][..], &["--color", "always"][..]] {
        let run = check(dir.path(), extra);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        let text = strip_sgr(&run.stdout);
        for bad in ['\u{1b}', '\u{7}', '\u{8}', '\u{202e}', '\u{202c}', '\t'] {
            assert!(
                !text.contains(bad),
                "{:?} reached the terminal with {extra:?}:\n{text}",
                bad
            );
        }
    }
    let plain = check(dir.path(), &[]);
    // Columns count the note's characters, not the longer escaped text's.
    assert!(
        plain.stdout.contains(" --> Hostile.md:1:39\n"),
        "{}",
        plain.stdout
    );
    insta::assert_snapshot!("hostile_escaped", stable(&plain.stdout));
}

/// Twelve notes, each with one broken link, and one broken heading: more broken links than
/// the human output shows of one rule.
fn many_findings_vault() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = (1..=12)
        .map(|n| {
            (
                format!("N{n:02}.md"),
                format!("# N{n:02}\n\n[[Gone {n}]]\n"),
            )
        })
        .collect();
    files.push(("Target.md".into(), "# Target\n\n[[N01#Nope]]\n".into()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    vault(&borrowed)
}

#[test]
fn a_rule_with_many_findings_shows_the_first_and_counts_the_rest() {
    let dir = many_findings_vault();
    let run = check(dir.path(), &["--color", "never"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let blocks = run.stdout.matches("error[broken-link]").count();
    assert_eq!(blocks, 10, "{}", run.stdout);
    insta::assert_snapshot!("many_findings_summarised", stable(&run.stdout));
    let all = check(dir.path(), &["--color", "never", "--show-all"]);
    assert_eq!(all.stdout.matches("error[broken-link]").count(), 12);
    assert!(
        !all.stdout.contains("more findings not shown"),
        "{}",
        all.stdout
    );
}

#[test]
fn statistics_print_only_the_counts_per_rule() {
    let dir = many_findings_vault();
    let run = check(dir.path(), &["--statistics"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    insta::assert_snapshot!("statistics", run.stdout);
    let refused = check(dir.path(), &["--statistics", "--format", "json"]);
    assert_eq!(refused.code, Some(2), "{}", refused.stdout);
}

#[test]
fn select_and_ignore_pick_the_rules_of_one_run() {
    let dir = many_findings_vault();
    let codes = |extra: &[&str]| -> String {
        let mut args = vec!["--statistics"];
        args.extend_from_slice(extra);
        let run = check(dir.path(), &args);
        run.stdout
            .lines()
            .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(codes(&[]), "broken-link broken-heading");
    assert_eq!(codes(&["--select", "broken-heading"]), "broken-heading");
    assert_eq!(codes(&["--ignore", "broken-link"]), "broken-heading");
    assert_eq!(
        codes(&[
            "--select",
            "broken-link,broken-heading",
            "--ignore",
            "broken-link"
        ]),
        "broken-heading"
    );
    // A rule off by default runs when selected.
    assert!(!codes(&[]).contains("orphan-note"));
    let lonely = vault(&[("A.md", "# A\n"), ("B.md", "# B\n")]);
    let run = check(lonely.path(), &["--select", "orphan-note", "--statistics"]);
    assert_eq!(run.stdout, "2  orphan-note  info\n", "{}", run.stderr);
    // Unknown codes and partial records are refused.
    let unknown = check(dir.path(), &["--select", "no-such-rule"]);
    assert_eq!(unknown.code, Some(2));
    assert!(
        unknown
            .stderr
            .contains("unknown rule `no-such-rule` in --select"),
        "{}",
        unknown.stderr
    );
    let record = check(dir.path(), &["--ignore", "broken-link", "--record"]);
    assert_eq!(record.code, Some(2));
    assert!(!dir.path().join(".twin/trace.jsonl").exists());
}

#[test]
fn the_coherence_line_says_what_its_parts_mean_and_leaves_out_unmeasured_reciprocity() {
    // The demo vault declares typed relations: reciprocity is shown.
    let demo = check(&common::fixture("demo-vault"), &["--color", "never"]);
    assert!(
        demo.stdout
            .contains("Coherence 0.97 (0 to 1, higher is better)"),
        "{}",
        demo.stdout
    );
    assert!(
        demo.stdout
            .contains("reciprocity 0.75, similarity -, 2 conflicts")
    );
    assert!(
        demo.stdout
            .contains("higher is better. conflicts: findings of the coherence rules")
    );
    // This vault has none: reciprocity measures nothing and is left out.
    let dir = many_findings_vault();
    let plain = check(dir.path(), &["--color", "never"]);
    assert!(
        plain
            .stdout
            .contains("(links 0.00, similarity -, 0 conflicts)"),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains("reciprocity"), "{}", plain.stdout);
}
