//! The check cache gives the results a load without it gives: a property test edits,
//! renames, creates and deletes random notes, rewrites notes to the same length under the
//! same modification time, changes the configuration, the ignore files, attachments and
//! canvases between cached runs (which reuse the last run's findings when nothing changed)
//! and compares each run with a cold one; and a cache that is corrupt, truncated or foreign
//! is rebuilt with one warning.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use twin::analysis::{
    Analysis, CacheReport, CacheSetting, Checked, load_rulebook, set_racy_window,
};
use twin::coherence::{CoherenceVector, vault_coherence};
use twin::diagnostic::Diagnostic;

/// Bodies notes are written from: links to other notes (some broken, some to headings and
/// blocks), typed sections, aliases, footnotes and enough prose for drift to judge.
const BODIES: &[&str] = &[
    "---\naliases: [First One]\ntags: [a]\n---\n# Alpha\nAlpha talks about [[b]] and [[c#Gamma]] with words about memory and attention and learning.\n\n## Upstream\n- [[d]]\n",
    "# Beta\nBeta links [[missing note]] and [[a#Nowhere]] and ![[img.png]] ^blk\n\nMemory attention learning cognition words words words words words.\n",
    "---\ntitle: Gamma things\nup: \"[[a]]\"\n---\n# Gamma\nGamma cites a footnote[^1] and [[b#^blk]].\n\n[^1]: A source.\n[^2]: Unused.\n",
    "# Delta\n## Downstream\n- [[a]]\n- [[c]]\n\nDelta is about something else entirely: rivers, mountains, weather and travel plans for the summer season.\n",
    "Plain note without heading, linking [[e]] and [[a|alias]] and [text](b.md).\n#tag/nested #a\n",
    "---\naliases: [First One]\nkey: 1\nkey: 2\n---\nDuplicate keys, a shared alias, and a link to [[d#Delta]].\n",
    "",
    // Two bodies of the same length: only the content hash tells them apart.
    "# Echo\nEcho links [[a]] and [[z]].\n",
    "# Echo\nEcho links [[b]] and [[c]].\n",
];

const NAMES: &[&str] = &["a", "b", "c", "d", "e", "f", "sub/a", "sub/g"];

/// Canvases the `Canvas` op writes (the second links a missing note).
const CANVASES: &[&str] = &[
    r#"{"nodes":[{"id":"1","type":"file","file":"a.md"},{"id":"2","type":"text","text":"See [[b#Beta]]"}]}"#,
    r#"{"nodes":[{"id":"1","type":"file","file":"gone.md"},{"id":"2","type":"text","text":"See [[nowhere]]"}]}"#,
];

/// Configurations the `Config` op writes: none, one rule off, drift's rules on.
const CONFIGS: &[Option<&str>] = &[
    None,
    Some("[rules]\nbroken-link = \"off\"\n"),
    Some("[rules]\nidentity-drift = \"warning\"\nrelation-drift = \"warning\"\n"),
];

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    Delete(usize),
    Rename(usize, usize),
    Touch(usize),
    /// Another body of the same length, under the same modification time.
    SameStamp(usize),
    Config(usize),
    /// `.gitignore` leaving out `sub/`, or none.
    Ignore(bool),
    /// The attachment `img.png` there or not.
    Attachment(bool),
    Canvas(usize),
    Nothing,
}

fn op() -> impl Strategy<Value = Op> {
    let name = 0..NAMES.len();
    let body = 0..BODIES.len();
    prop_oneof![
        4 => (name.clone(), body).prop_map(|(n, b)| Op::Write(n, b)),
        1 => name.clone().prop_map(Op::Delete),
        2 => (name.clone(), name.clone()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => name.clone().prop_map(Op::Touch),
        2 => name.prop_map(Op::SameStamp),
        1 => (0..CONFIGS.len()).prop_map(Op::Config),
        1 => any::<bool>().prop_map(Op::Ignore),
        1 => any::<bool>().prop_map(Op::Attachment),
        1 => (0..CANVASES.len()).prop_map(Op::Canvas),
        2 => Just(Op::Nothing),
    ]
}

fn path_of(vault: &Path, name: usize) -> std::path::PathBuf {
    vault.join(format!("{}.md", NAMES[name]))
}

/// The modification time every note is written with: a stamp tells notes apart by their
/// length, change time and inode, not by this.
fn old_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn write_old(path: &Path, text: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(old_time()).unwrap();
}

/// Another text of the same length: `a` and `b` swapped (links to `a` go to `b`).
fn same_length(text: &[u8]) -> Vec<u8> {
    text.iter()
        .map(|&c| match c {
            b'a' => b'b',
            b'b' => b'a',
            c => c,
        })
        .collect()
}

fn apply(vault: &Path, op: &Op) {
    match *op {
        Op::Write(n, b) => write_old(&path_of(vault, n), BODIES[b].as_bytes()),
        Op::Delete(n) => {
            let _ = fs::remove_file(path_of(vault, n));
        }
        Op::Rename(a, b) => {
            let (from, to) = (path_of(vault, a), path_of(vault, b));
            if from.exists() && a != b {
                fs::create_dir_all(to.parent().unwrap()).unwrap();
                fs::rename(from, to).unwrap();
            }
        }
        Op::Touch(n) => {
            let path = path_of(vault, n);
            if let Ok(text) = fs::read(&path) {
                fs::write(path, text).unwrap();
            }
        }
        Op::SameStamp(n) => {
            let path = path_of(vault, n);
            if let Ok(text) = fs::read(&path) {
                write_old(&path, &same_length(&text));
            }
        }
        Op::Config(c) => {
            let path = vault.join(".twin/config.toml");
            match CONFIGS[c] {
                Some(text) => write_old(&path, text.as_bytes()),
                None => {
                    let _ = fs::remove_file(path);
                }
            }
        }
        Op::Ignore(on) => match on {
            true => write_old(&vault.join(".gitignore"), b"sub/\n"),
            false => {
                let _ = fs::remove_file(vault.join(".gitignore"));
            }
        },
        Op::Attachment(on) => match on {
            true => write_old(&vault.join("img.png"), b"png"),
            false => {
                let _ = fs::remove_file(vault.join("img.png"));
            }
        },
        Op::Canvas(c) => write_old(&vault.join("board.canvas"), CANVASES[c].as_bytes()),
        Op::Nothing => {}
    }
}

/// The racy window of the tests, and a wait past it.
const RACY: Duration = Duration::from_millis(20);

fn settle() {
    std::thread::sleep(RACY * 3);
}

/// What a check sees: every finding, each note's coherence vector and the score, the
/// notes by path and the skipped files.
#[derive(Debug, PartialEq)]
struct Seen {
    findings: Vec<Diagnostic>,
    vectors: Vec<CoherenceVector>,
    score: f64,
    notes: BTreeSet<twin::note::VaultPath>,
    skipped: Vec<String>,
}

/// A check of `vault` as `twin check` makes it through `setting`: the last run's results
/// when the cache holds them for these inputs, else a load and a check whose results are
/// kept.
fn run(vault: &Path, setting: &CacheSetting) -> (Seen, CacheReport) {
    // Longer than a tick of the coarsest clock a test's file system may stamp with (4 ms
    // on Linux), so that a file rewritten right after a run still changes its stamp.
    set_racy_window(RACY);
    let rulebook = Arc::new(load_rulebook(vault).expect("rulebook"));
    let (checked, report) =
        Analysis::load_for_check(vault, rulebook, setting, true, &mut |_| {}).expect("load");
    let (analysis, findings, vectors, score) = match checked {
        Checked::Reused(run) => (run.analysis, run.findings, run.vectors, run.score),
        Checked::Loaded(analysis, save) => {
            let findings = analysis.check(None);
            let (vectors, score) = vault_coherence(
                &analysis.vault,
                &analysis.graph,
                &analysis.coherence,
                &findings,
            );
            save.save(&analysis, &findings, score, &vectors)
                .expect("saved");
            (*analysis, findings, vectors, score)
        }
    };
    let seen = Seen {
        findings,
        vectors,
        score,
        notes: analysis.all_paths(),
        skipped: analysis
            .vault
            .skipped
            .iter()
            .map(|s| format!("{s:?}"))
            .collect(),
    };
    (seen, report)
}

fn seed(vault: &Path) {
    for (n, b) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)] {
        apply(vault, &Op::Write(n, b));
    }
    apply(vault, &Op::Attachment(true));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn cached_runs_match_cold_runs(rounds in prop::collection::vec(prop::collection::vec(op(), 1..4), 1..6)) {
        let vault = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let setting = CacheSetting::Root(cache.path().to_path_buf());
        seed(vault.path());
        run(vault.path(), &setting);
        for ops in &rounds {
            for op in ops {
                apply(vault.path(), op);
            }
            let (cached, report) = run(vault.path(), &setting);
            let (cold, _) = run(vault.path(), &CacheSetting::Off);
            prop_assert!(report.warnings.is_empty(), "{:?}", report.warnings);
            prop_assert_eq!(&cached, &cold);
            // Nothing changed since: the findings come back from the cache.
            let (again, report) = run(vault.path(), &setting);
            prop_assert!(report.reused);
            prop_assert_eq!(&again, &cold);
        }
    }
}

#[test]
fn an_unchanged_vault_is_read_from_the_cache() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let setting = CacheSetting::Root(cache.path().to_path_buf());
    seed(vault.path());
    settle();
    let (_, first) = run(vault.path(), &setting);
    assert_eq!((first.hits, first.misses, first.reused), (0, 6, false));
    assert!(first.written > 0);
    // Every file was new to the stamps: read and hashed before the load.
    assert_eq!(first.hashed, 6);
    let (_, second) = run(vault.path(), &setting);
    assert!(second.reused);
    assert_eq!(second.hashed, 0, "the stamps tell the files unchanged");
    apply(vault.path(), &Op::Write(0, 3));
    settle();
    let (_, third) = run(vault.path(), &setting);
    assert_eq!((third.hits, third.misses, third.written), (5, 1, 1));
    assert_eq!((third.hashed, third.reused), (1, false));
    // A file touched keeps its text: it is hashed again, and the findings are reused.
    apply(vault.path(), &Op::Touch(1));
    settle();
    let (_, fourth) = run(vault.path(), &setting);
    assert_eq!((fourth.hashed, fourth.reused), (1, true));
}

/// A note rewritten to the same length under the same modification time has another
/// stamp (its change time), so its findings are judged again.
#[test]
fn a_rewrite_under_the_same_stamp_is_seen() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let setting = CacheSetting::Root(cache.path().to_path_buf());
    seed(vault.path());
    settle();
    run(vault.path(), &setting);
    let (_, second) = run(vault.path(), &setting);
    assert_eq!((second.hashed, second.reused), (0, true));
    settle();
    apply(vault.path(), &Op::SameStamp(4));
    let (cached, report) = run(vault.path(), &setting);
    let (cold, _) = run(vault.path(), &CacheSetting::Off);
    assert_eq!((report.hashed, report.reused), (1, false));
    assert_eq!(cached, cold);
}

/// `--select` and `--ignore` change the rulebook, and the rulebook is in the key.
#[test]
fn another_rulebook_is_judged_again() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let setting = CacheSetting::Root(cache.path().to_path_buf());
    seed(vault.path());
    run(vault.path(), &setting);
    let mut rulebook = load_rulebook(vault.path()).unwrap();
    rulebook
        .config
        .rules
        .insert("broken-link".into(), twin::config::RuleLevel::Off);
    let (checked, report) = Analysis::load_for_check(
        vault.path(),
        Arc::new(rulebook),
        &setting,
        true,
        &mut |_| {},
    )
    .unwrap();
    assert!(!report.reused);
    let Checked::Loaded(analysis, _) = checked else {
        panic!("reused the findings of another rulebook");
    };
    assert!(analysis.check(None).iter().all(|d| d.code != "broken-link"));
}

#[test]
fn a_change_that_keeps_the_length_is_seen() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let setting = CacheSetting::Root(cache.path().to_path_buf());
    seed(vault.path());
    let echo = BODIES.len() - 2;
    assert_eq!(BODIES[echo].len(), BODIES[echo + 1].len());
    apply(vault.path(), &Op::Write(4, echo));
    run(vault.path(), &setting);
    apply(vault.path(), &Op::Write(4, echo + 1));
    let (cached, report) = run(vault.path(), &setting);
    let (cold, _) = run(vault.path(), &CacheSetting::Off);
    assert_eq!(report.misses, 1);
    assert_eq!(cached, cold);
}

/// The shard files of the vault's check cache.
fn shards(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for vault_dir in fs::read_dir(cache).unwrap().flatten() {
        if let Ok(list) = fs::read_dir(vault_dir.path().join("check")) {
            out.extend(list.flatten().map(|e| e.path()));
        }
    }
    out
}

#[test]
fn a_damaged_cache_is_rebuilt_with_one_warning() {
    type Damage = fn(&Path);
    let damages: [(&str, Damage); 3] = [
        ("truncated", |p| {
            let bytes = fs::read(p).unwrap();
            fs::write(p, &bytes[..bytes.len() / 2]).unwrap();
        }),
        ("corrupt", |p| {
            let mut bytes = fs::read(p).unwrap();
            let last = bytes.len() - 1;
            bytes[last] ^= 0xff;
            fs::write(p, bytes).unwrap();
        }),
        ("foreign", |p| fs::write(p, b"not a cache at all").unwrap()),
    ];
    for (what, damage) in damages {
        let vault = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let setting = CacheSetting::Root(cache.path().to_path_buf());
        seed(vault.path());
        let (cold, _) = run(vault.path(), &setting);
        let files = shards(cache.path());
        assert!(!files.is_empty());
        for file in &files {
            damage(file);
        }
        let (seen, report) = run(vault.path(), &setting);
        assert_eq!(report.warnings.len(), 1, "{what}: {:?}", report.warnings);
        assert!(report.warnings[0].contains("rebuilt"), "{what}");
        assert!(!report.reused, "{what}");
        assert_eq!(seen, cold, "{what}");
        let (_, again) = run(vault.path(), &setting);
        assert!(again.warnings.is_empty(), "{what}: rebuilt");
        assert!(again.reused, "{what}");
    }
}

#[test]
fn the_cache_is_never_written_inside_the_vault() {
    let vault = tempfile::tempdir().unwrap();
    seed(vault.path());
    let setting = CacheSetting::Root(vault.path().join(".cache"));
    let (_, report) = run(vault.path(), &setting);
    assert_eq!(report.warnings.len(), 1);
    assert!(!vault.path().join(".cache").exists());
}

/// The cache keeps whether a drifting note's body echoes its declared words (drift's most
/// costly question after the terms): a warm run answers from it, as a cold one would, and
/// so does the run after it, which reuses the findings.
#[test]
fn drift_from_the_cache_is_drift_measured_afresh() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/identity-drift");
    fs::create_dir(vault.path().join(".twin")).unwrap();
    for dir in ["", ".twin"] {
        for entry in fs::read_dir(fixture.join(dir)).unwrap().flatten() {
            if entry.path().is_file() {
                let to = vault.path().join(dir).join(entry.file_name());
                fs::copy(entry.path(), to).unwrap();
            }
        }
    }
    let setting = CacheSetting::Root(cache.path().to_path_buf());
    let (cold, first) = run(vault.path(), &setting);
    let (off, _) = run(vault.path(), &CacheSetting::Off);
    assert!(
        off.findings.iter().any(|d| d.code == "identity-drift"),
        "{off:#?}"
    );
    assert_eq!(cold, off);
    // A line appended to one note: the others' parse and terms come from the cache.
    let note = fs::read_dir(vault.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let mut text = fs::read_to_string(&note).unwrap();
    text.push_str("\nOne more line.\n");
    fs::write(&note, text).unwrap();
    let (warm, second) = run(vault.path(), &setting);
    let (off, _) = run(vault.path(), &CacheSetting::Off);
    assert_eq!((first.hits, second.misses, second.reused), (0, 1, false));
    assert!(second.hits > 0);
    assert_eq!(warm, off);
    let (reused, third) = run(vault.path(), &setting);
    assert!(third.reused);
    assert_eq!(reused, off);
}

/// Copies the folder `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `twin check`'s output in every format is the same whether the findings were judged
/// without the cache, through it, or reused from the last run (the human summary's time
/// aside).
#[test]
fn reports_from_reused_findings_are_the_reports_of_a_cold_run() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-vault"),
        vault.path(),
    );
    // A trace, so that messages say how long each finding has been open.
    let recorded = std::process::Command::new(env!("CARGO_BIN_EXE_twin"))
        .arg("check")
        .arg(vault.path())
        .args(["--fail-on", "never", "--no-cache", "--record"])
        .env("TWIN_NOW", "2026-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(recorded.status.success());
    let check = |args: &[&str], cached: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_twin"));
        command
            .arg("check")
            .arg(vault.path())
            .args(["--fail-on", "never", "--color", "never"])
            .args(args)
            .env("TWIN_NOW", "2026-02-01T00:00:00Z")
            .env("TWIN_CACHE_DIR", cache.path());
        if !cached {
            command.arg("--no-cache");
        }
        let out = command.output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("warning"), "{stderr}");
        // The human summary says how long the check took.
        stdout
            .lines()
            .filter(|l| !l.starts_with("Checked "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let formats: [&[&str]; 5] = [
        &["--format", "json"],
        &["--format", "sarif"],
        &["--format", "github"],
        &["--format", "markdown"],
        &["--show-all"],
    ];
    for format in formats {
        let cold = check(format, false);
        assert!(cold.len() > 100, "{format:?}: {cold}");
        assert!(cold.contains("open 31 days"), "{format:?}: {cold}");
        let _ = fs::remove_dir_all(cache.path());
        let written = check(format, true);
        let reused = check(format, true);
        assert_eq!(written, cold, "{format:?}");
        assert_eq!(reused, cold, "{format:?}");
    }
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_twin"));
    let timings = command
        .args(["check", "--fail-on", "never", "--format", "json"])
        .arg(vault.path())
        .env("TWIN_CACHE_DIR", cache.path())
        .env("TWIN_TIMINGS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(timings.stderr).unwrap();
    assert!(
        stderr.contains("the last run's findings reused"),
        "{stderr}"
    );
}
