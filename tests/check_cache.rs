//! The check cache gives the results a load without it gives: a property test edits,
//! renames, creates and deletes random notes between cached runs and compares each run
//! with a cold one; and a cache that is corrupt, truncated or foreign is rebuilt with one
//! warning.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use twin::analysis::{Analysis, CacheReport, CacheSetting, load_rulebook};
use twin::coherence::vault_coherence;
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

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    Delete(usize),
    Rename(usize, usize),
    Touch(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let name = 0..NAMES.len();
    let body = 0..BODIES.len();
    prop_oneof![
        4 => (name.clone(), body).prop_map(|(n, b)| Op::Write(n, b)),
        1 => name.clone().prop_map(Op::Delete),
        2 => (name.clone(), name.clone()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => name.prop_map(Op::Touch),
    ]
}

fn path_of(vault: &Path, name: usize) -> std::path::PathBuf {
    vault.join(format!("{}.md", NAMES[name]))
}

fn apply(vault: &Path, op: &Op) {
    match *op {
        Op::Write(n, b) => {
            let path = path_of(vault, n);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, BODIES[b]).unwrap();
        }
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
    }
}

/// Every finding and the coherence score, as a load through `setting` sees the vault.
fn run(vault: &Path, setting: &CacheSetting) -> (Vec<Diagnostic>, f64, CacheReport) {
    let rulebook = Arc::new(load_rulebook(vault).expect("rulebook"));
    let (analysis, report) =
        Analysis::load_cached(vault, rulebook, setting, &mut |_| {}).expect("load");
    let findings = analysis.check(None);
    let (_, score) = vault_coherence(
        &analysis.vault,
        &analysis.graph,
        &analysis.coherence,
        &findings,
    );
    (findings, score, report)
}

fn seed(vault: &Path) {
    for (n, b) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)] {
        apply(vault, &Op::Write(n, b));
    }
    fs::write(vault.join("img.png"), b"png").unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn cached_runs_match_cold_runs(rounds in prop::collection::vec(prop::collection::vec(op(), 1..4), 1..5)) {
        let vault = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let setting = CacheSetting::Root(cache.path().to_path_buf());
        seed(vault.path());
        run(vault.path(), &setting);
        for ops in &rounds {
            for op in ops {
                apply(vault.path(), op);
            }
            let (cached, cached_score, report) = run(vault.path(), &setting);
            let (cold, cold_score, _) = run(vault.path(), &CacheSetting::Off);
            prop_assert!(report.warnings.is_empty(), "{:?}", report.warnings);
            prop_assert_eq!(&cached, &cold);
            prop_assert_eq!(cached_score, cold_score);
        }
    }
}

#[test]
fn an_unchanged_vault_is_read_from_the_cache() {
    let vault = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let setting = CacheSetting::Root(cache.path().to_path_buf());
    seed(vault.path());
    let (_, _, first) = run(vault.path(), &setting);
    assert_eq!((first.hits, first.misses), (0, 6));
    assert!(first.written > 0);
    let (_, _, second) = run(vault.path(), &setting);
    assert_eq!((second.hits, second.misses, second.written), (6, 0, 0));
    apply(vault.path(), &Op::Write(0, 3));
    let (_, _, third) = run(vault.path(), &setting);
    assert_eq!((third.hits, third.misses, third.written), (5, 1, 1));
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
    let (cached, _, report) = run(vault.path(), &setting);
    let (cold, _, _) = run(vault.path(), &CacheSetting::Off);
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
        let (cold, _, _) = run(vault.path(), &setting);
        let files = shards(cache.path());
        assert!(!files.is_empty());
        for file in &files {
            damage(file);
        }
        let (findings, _, report) = run(vault.path(), &setting);
        assert_eq!(report.warnings.len(), 1, "{what}: {:?}", report.warnings);
        assert!(report.warnings[0].contains("rebuilt"), "{what}");
        assert_eq!(findings, cold, "{what}");
        let (_, _, again) = run(vault.path(), &setting);
        assert!(again.warnings.is_empty(), "{what}: rebuilt");
        assert_eq!(again.misses, 0, "{what}");
    }
}

#[test]
fn the_cache_is_never_written_inside_the_vault() {
    let vault = tempfile::tempdir().unwrap();
    seed(vault.path());
    let setting = CacheSetting::Root(vault.path().join(".cache"));
    let (_, _, report) = run(vault.path(), &setting);
    assert_eq!(report.warnings.len(), 1);
    assert!(!vault.path().join(".cache").exists());
}

/// The cache keeps whether a drifting note's body echoes its declared words (drift's most
/// costly question after the terms): a warm run answers from it, as a cold one would.
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
    let (cold, cold_score, first) = run(vault.path(), &setting);
    let (warm, warm_score, second) = run(vault.path(), &setting);
    let (off, off_score, _) = run(vault.path(), &CacheSetting::Off);
    assert_eq!((first.hits, second.misses), (0, 0));
    assert!(second.hits > 0);
    assert!(off.iter().any(|d| d.code == "identity-drift"), "{off:#?}");
    assert_eq!(cold, off);
    assert_eq!(warm, off);
    assert_eq!((cold_score, warm_score), (off_score, off_score));
}
