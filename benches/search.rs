//! Benchmark of vault search on a synthetic vault: cold build, warm start, query latency,
//! index size, unlinked mentions, workspace symbols and live updates.
//!
//! ```text
//! cargo bench --bench search
//! ```
//!
//! Environment:
//! - `TWIN_BENCH_VAULT`: an existing vault to use instead of a generated one;
//! - `TWIN_BENCH_NOTES`: notes of the generated vault (default 10000, seed 1, typed links),
//!   cached under `target/bench-vaults/search-<notes>/`;
//! - `TWIN_BENCH_RUNS`: runs of the cold build (default 5; warm starts run twice as often).
//!
//! Every figure is a median over runs, with the p99 (or the maximum, for few runs), and
//! for the long phases the process's CPU time (all threads), which a busy shared machine
//! disturbs less than wall time. Caches go to a temporary folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use twin::config::Config;
use twin::search::{
    IndexOptions, SearchIndex, Storage, parse_query, unlinked_mentions, workspace_symbols,
};
use twin::synth::{SynthOptions, generate_vault};
use twin::vault::load_vault;

const QUERIES: &[&str] = &[
    "memory",
    "working memory",
    "\"working memory\"",
    "attention retrieval",
    "linking",
    "архитектура",
    "память модель",
    "tag:cogsci",
    "path:research",
    "coherence -drift",
    "neurokernel OR symbiosis",
    "title:schema",
];
const SYMBOL_QUERIES: &[&str] = &["mem", "working mem", "архит", "zettel", "drift vector"];
/// Query repetitions: each query runs this many times.
const QUERY_ROUNDS: usize = 40;
/// Notes whose unlinked mentions are measured.
const MENTION_NOTES: usize = 60;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/search: nothing to do outside `cargo bench --bench search`");
        return;
    }
    let runs: usize = env_number("TWIN_BENCH_RUNS", 5);
    let vault_dir = match std::env::var_os("TWIN_BENCH_VAULT") {
        Some(dir) => PathBuf::from(dir),
        None => generated_vault(env_number("TWIN_BENCH_NOTES", 10_000)),
    };
    let config = twin::analysis::load_rulebook(&vault_dir)
        .map(|rulebook| rulebook.config)
        .expect("config");
    let markdown = markdown_bytes(&vault_dir);
    println!(
        "vault: {} ({:.1} MB of markdown)",
        vault_dir.display(),
        mb(markdown)
    );

    let load = cpu_runs(runs, || {
        load_vault(&vault_dir, &config).expect("vault loads");
    });
    report_cpu("load vault (read + parse), for reference", &load);
    let vault = load_vault(&vault_dir, &config).unwrap();
    println!("notes: {}", vault.notes.len());

    let caches = tempfile::tempdir().unwrap();
    let mut cold_disk = Vec::new();
    let mut cold_vault = Vec::new();
    for run in 0..runs {
        cold_disk.push(with_cpu(|| {
            open(&vault_dir, &config, &caches.path().join(format!("d{run}")));
        }));
        let options = IndexOptions {
            cache_dir: Some(caches.path().join(format!("v{run}"))),
            ..IndexOptions::default()
        };
        cold_vault.push(with_cpu(|| {
            SearchIndex::open_vault(&vault, &options).unwrap();
        }));
    }
    report_cpu(
        "cold build from the files (discover, read, parse, index, commit)",
        &cold_disk,
    );
    report_cpu(
        "cold build from a loaded vault (index, commit)",
        &cold_vault,
    );

    let cache = caches.path().join("d0");
    let warm = cpu_runs(runs * 2, || {
        let (index, report) = open(&vault_dir, &config, &cache);
        assert_eq!((report.indexed, report.storage), (0, Storage::Disk));
        drop(index);
    });
    report_cpu("warm start, nothing changed, to a searchable index", &warm);

    let index_bytes = dir_bytes(&cache);
    println!(
        "index size on disk: {:.1} MB = {:.2} x the markdown",
        mb(index_bytes),
        index_bytes as f64 / markdown as f64
    );

    let (index, _) = open(&vault_dir, &config, &cache);
    let parsed: Vec<_> = QUERIES.iter().map(|q| parse_query(q)).collect();
    let mut latencies = Vec::new();
    for _ in 0..QUERY_ROUNDS {
        for query in &parsed {
            let (elapsed, hits) = timed(|| index.search(query, 20).unwrap());
            assert!(!hits.is_empty() || query.groups.len() > 1);
            latencies.push(elapsed);
        }
    }
    report(
        &format!("query, top 20 ({} queries)", latencies.len()),
        &latencies,
    );

    let mut symbols = Vec::new();
    for _ in 0..QUERY_ROUNDS / 4 {
        for q in SYMBOL_QUERIES {
            symbols.push(timed(|| workspace_symbols(&index, &vault, q, 50)).0);
        }
    }
    report("workspace symbols, top 50", &symbols);

    let step = (vault.notes.len() / MENTION_NOTES).max(1);
    let mut mentions = Vec::new();
    let mut found = 0;
    for id in vault.note_ids().step_by(step) {
        let (elapsed, list) = timed(|| unlinked_mentions(&vault, &index, id));
        found += list.len();
        mentions.push(elapsed);
    }
    report(
        &format!(
            "unlinked mentions of one note ({} notes, {found} mentions)",
            mentions.len()
        ),
        &mentions,
    );

    let mut updates = Vec::new();
    for id in vault.note_ids().step_by(step).take(20) {
        let note = vault.note(id);
        let edited =
            twin::note::parse_note(note.path.clone(), format!("{}\nedited\n", note.text).into());
        updates.push(
            timed(|| {
                index.update_note(&edited).unwrap();
                index.commit().unwrap();
            })
            .0,
        );
    }
    report("update one note + commit + reload", &updates);
}

fn open(vault: &Path, config: &Config, cache: &Path) -> (SearchIndex, twin::search::OpenReport) {
    let options = IndexOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..IndexOptions::default()
    };
    SearchIndex::open(vault, config, &options).expect("index opens")
}

fn generated_vault(notes: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let base = target.join("bench-vaults").join(format!("search-{notes}"));
    let vault = base.join("vault");
    let marker = base.join("complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&vault).unwrap();
        let options = SynthOptions {
            notes,
            seed: 1,
            broken_link_ratio: 0.02,
            typed_links: true,
        };
        generate_vault(&vault, &options).expect("vault generated");
        std::fs::write(&marker, b"").unwrap();
    }
    vault
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

/// Wall time and CPU time (all threads of the process) of one call.
fn with_cpu(f: impl FnOnce()) -> (Duration, Duration) {
    let cpu = cpu_time();
    let (wall, ()) = timed(f);
    (wall, cpu_time().saturating_sub(cpu))
}

fn cpu_runs(runs: usize, mut f: impl FnMut()) -> Vec<(Duration, Duration)> {
    (0..runs).map(|_| with_cpu(&mut f)).collect()
}

fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn report_cpu(what: &str, samples: &[(Duration, Duration)]) {
    let wall: Vec<Duration> = samples.iter().map(|s| s.0).collect();
    report(what, &wall);
    let mut cpu: Vec<Duration> = samples.iter().map(|s| s.1).collect();
    cpu.sort();
    println!("    CPU time: median {:.2} ms", ms(cpu[cpu.len() / 2]));
}

fn report(what: &str, samples: &[Duration]) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let p99 = sorted[((sorted.len() as f64 * 0.99).ceil() as usize).clamp(1, sorted.len()) - 1];
    println!(
        "{what}: median {:.2} ms, p99 {:.2} ms ({} runs)",
        ms(median),
        ms(p99),
        sorted.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn markdown_bytes(dir: &Path) -> u64 {
    walk(dir, &|p| p.extension().is_some_and(|e| e == "md"))
}

fn dir_bytes(dir: &Path) -> u64 {
    walk(dir, &|_| true)
}

fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            total += walk(&path, keep);
        } else if kind.is_file() && keep(&path) {
            total += entry.metadata().map_or(0, |m| m.len());
        }
    }
    total
}
