//! Benchmark of the vault-wide anchor search behind `[[^^words` (every block) and
//! `[[##words` (every heading): the time to the answer of one completion request, in
//! process, on a generated vault (10,000 notes by default).
//!
//! ```text
//! cargo bench --bench completion
//! ```
//!
//! The vault is generated once (`twin::synth`) and cached under
//! `target/bench-vaults/completion-<notes>-<seed>/`. Each query is typed into a scratch
//! note added to the analysis, then answered `TWIN_BENCH_RUNS` times (default 60); the
//! first run of each query is reported apart, since nothing is cached between requests
//! and the first is the one a writer waits for. Each query also reports the CPU time of
//! all threads, which a busy machine does not inflate. Environment: `TWIN_BENCH_NOTES`,
//! `TWIN_BENCH_RUNS`, `TWIN_BENCH_SEED`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use twin::analysis::{Analysis, Change, load_rulebook};
use twin::note::parse_note;
use twin::synth::{SynthOptions, generate_vault};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("benches/completion: nothing to do outside `cargo bench --bench completion`");
        return;
    }
    let env = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().replace('_', "").parse().ok())
            .unwrap_or(default)
    };
    let notes = env("TWIN_BENCH_NOTES", 10_000) as usize;
    let runs = env("TWIN_BENCH_RUNS", 60) as usize;
    let seed = env("TWIN_BENCH_SEED", 1);
    let root = cached_vault(notes, seed);
    let rulebook = Arc::new(load_rulebook(&root).expect("rulebook"));
    let started = Instant::now();
    let mut analysis = Analysis::load(&root, rulebook).expect("vault loads");
    let blocks: usize = analysis.vault.notes.iter().map(|n| n.blocks.len()).sum();
    let headings: usize = analysis.vault.notes.iter().map(|n| n.headings.len()).sum();
    let bytes: usize = analysis.vault.notes.iter().map(|n| n.text.len()).sum();
    println!(
        "vault: {} notes, {blocks} blocks, {headings} headings, {:.1} MB, loaded in {:.1}s",
        analysis.vault.notes.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let queries = [
        "^^",
        "^^mem",
        "^^working memory",
        "^^declarative chunk retrieval",
        "^^memroy",
        "^^xyzzy",
        "##",
        "##mem",
        "##working memory",
        "##xyzzy",
    ];
    let mut all = Vec::new();
    let mut firsts = Vec::new();
    let mut all_cpu = Vec::new();
    for query in queries {
        let text = format!("Scratch [[{query}");
        let note = parse_note("zz-bench-scratch.md".into(), text.clone().into());
        analysis.apply(vec![Change::Upsert(Arc::new(note))]);
        let id = analysis
            .vault
            .note_by_path("zz-bench-scratch.md")
            .expect("scratch note");
        let mut samples = Vec::with_capacity(runs);
        let mut cpu = Vec::with_capacity(runs);
        let mut found = 0;
        for run in 0..runs {
            let (t, c) = (Instant::now(), cpu_time());
            let answer = analysis
                .vault_anchor_suggestions(id, text.len(), run as u64)
                .expect("an answer");
            samples.push(t.elapsed());
            cpu.push(cpu_time().saturating_sub(c));
            found = answer.len();
        }
        firsts.push(samples[0]);
        all.extend_from_slice(&samples);
        report(&format!("[[{query} ({found} shown)"), samples);
        report("  CPU time (all threads)", cpu.clone());
        all_cpu.extend(cpu);
    }
    report("first answer of each query", firsts);
    report("all queries", all);
    report("all queries, CPU time (all threads)", all_cpu);
}

/// The process's CPU time, user and system, over all threads: on a shared machine the
/// wall time waits for other processes, the CPU time does not.
fn cpu_time() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one rusage into the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<44} median {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  (n={})",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(*samples.last().unwrap()),
        samples.len()
    );
}

/// Generates the vault once, in a folder named after its options.
fn cached_vault(notes: usize, seed: u64) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target
        .join("bench-vaults")
        .join(format!("completion-{notes}-{seed}"));
    let marker = dir.join(".twin-bench-complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the bench vault folder");
        let opts = SynthOptions {
            notes,
            seed,
            ..SynthOptions::default()
        };
        generate_vault(&dir, &opts).expect("generate the bench vault");
        std::fs::write(&marker, "").expect("write the marker");
    }
    dir
}
