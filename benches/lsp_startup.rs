//! Benchmark of `twin lsp`'s start on a real vault, as an editor's first `gd` meets it.
//!
//! ```text
//! cargo bench --bench lsp_startup
//! ```
//!
//! Each run spawns the server, sends `initialize`, `initialized` and `didOpen`, then
//! `textDocument/definition` at once (again while the answer is an error or wrong) and
//! measures: spawn → first correct definition, and the server's CPU time (user + system)
//! by then; then definitions back to back while the background stages (coherence,
//! diagnostics, search index) still run, their p50 and p99; spawn → end of indexing; and
//! the server's peak RSS and CPU time once the search index is open and git's renames are
//! learnt (the last of the start's background work).
//!
//! Three cases: `cold`, where the check cache is removed before each run (the search
//! index and git's renames stay cached), `warm`, where it holds every note from the run
//! before (a first run writes it and is not measured), and `first`, where nothing is
//! cached (the vault's whole cache folder is removed: the search index is built and git's
//! history walked).
//!
//! Environment: `TWIN_BENCH_VAULT` (default `/work/corpora/obsidian-help`),
//! `TWIN_BENCH_NOTE` (the note opened, default `en/Home.md`), `TWIN_BENCH_RUNS` (default 5),
//! `TWIN_BENCH_WARM` (definitions measured per run, default 300), `TWIN_BENCH_CASES`
//! (default `cold,warm`; `first` on request), `TWIN_CACHE_DIR` (the server's cache root; default a folder in
//! the target directory).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/lsp_support/mod.rs"]
mod lsp_support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_support::{Client, full_capabilities, pos_of};
use serde_json::{Value, json};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Run {
    first_definition: Duration,
    cpu_at_definition: Duration,
    cpu_at_index: Duration,
    indexed: Duration,
    warm_p50: Duration,
    warm_p99: Duration,
    warm_during_load: usize,
    peak_rss_mib: f64,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/lsp_startup: nothing to do outside `cargo bench --bench lsp_startup`");
        return;
    }
    let vault = PathBuf::from(env_or(
        "TWIN_BENCH_VAULT",
        "/work/corpora/obsidian-help".to_string(),
    ));
    let note: String = env_or("TWIN_BENCH_NOTE", "en/Home.md".to_string());
    let runs: usize = env_or("TWIN_BENCH_RUNS", 5);
    let warm: usize = env_or("TWIN_BENCH_WARM", 300);
    let cases: String = env_or("TWIN_BENCH_CASES", "cold,warm".to_string());
    if !vault.join(&note).is_file() {
        println!("benches/lsp_startup: no {note} in {}", vault.display());
        return;
    }
    let text = std::fs::read_to_string(vault.join(&note)).expect("read the note");
    let targets = link_targets(&text);
    println!(
        "twin lsp on {} (opening {note}, {} links), {runs} runs, {warm} warm definitions each",
        vault.display(),
        targets.len()
    );
    // Where the server keeps its caches: as the test client sets it.
    let cache_root = std::env::var_os("TWIN_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| concat!(env!("CARGO_TARGET_TMPDIR"), "/search-cache").into());
    let vault_cache = twin::search::cache::vault_cache_dir(&cache_root, &vault);
    let check_cache = vault_cache.join("check");
    for case in cases.split(',') {
        if !["first", "cold", "warm"].contains(&case) {
            println!("benches/lsp_startup: unknown case {case} (first, cold or warm)");
            continue;
        }
        if case != "first" {
            // Writes the caches (search index, git's renames, check cache) this case
            // starts from.
            one_run(&vault, &note, &text, &targets, 1);
        }
        let mut all = Vec::new();
        for i in 0..runs {
            match case {
                "first" => {
                    let _ = std::fs::remove_dir_all(&vault_cache);
                }
                "cold" => {
                    let _ = std::fs::remove_dir_all(&check_cache);
                }
                _ => {}
            }
            let run = one_run(&vault, &note, &text, &targets, warm);
            println!(
                "{case} run {}: first definition {:>6.1} ms (CPU {:>5.0} ms) · indexed {:>6.1} ms · warm p50 {:.2} ms p99 {:.2} ms ({} during the load) · peak RSS {:.1} MB · CPU {:.0} ms",
                i + 1,
                ms(run.first_definition),
                ms(run.cpu_at_definition),
                ms(run.indexed),
                ms(run.warm_p50),
                ms(run.warm_p99),
                run.warm_during_load,
                run.peak_rss_mib,
                ms(run.cpu_at_index),
            );
            all.push(run);
        }
        let median = |f: &dyn Fn(&Run) -> f64| {
            let mut v: Vec<f64> = all.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "{case} check cache, median: first definition {:.1} ms (CPU {:.0} ms) · indexed {:.1} ms · warm p99 {:.2} ms · peak RSS {:.1} MB · CPU {:.0} ms",
            median(&|r| ms(r.first_definition)),
            median(&|r| ms(r.cpu_at_definition)),
            median(&|r| ms(r.indexed)),
            median(&|r| ms(r.warm_p99)),
            median(&|r| r.peak_rss_mib),
            median(&|r| ms(r.cpu_at_index)),
        );
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
}

/// Each wikilink of the note: (its text as written, the file name it should reach).
fn link_targets(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else { break };
        let inner = &after[..end];
        let name = inner.split(['|', '#']).next().unwrap_or("").trim();
        if !name.is_empty() && !inner.contains('\n') {
            let file = name.rsplit('/').next().unwrap_or(name);
            let file = file.strip_suffix(".md").unwrap_or(file);
            out.push((format!("[[{inner}]]"), format!("/{file}.md")));
        }
        rest = &after[end..];
    }
    out
}

fn one_run(
    vault: &std::path::Path,
    note: &str,
    text: &str,
    targets: &[(String, String)],
    warm: usize,
) -> Run {
    let t0 = Instant::now();
    let mut c = Client::start(Some(vault), full_capabilities(), json!({}));
    let uri = c.open(note, None);
    let params = |i: usize| {
        let (needle, _) = &targets[i % targets.len()];
        json!({"textDocument": {"uri": uri}, "position": pos_of(text, needle, 3)})
    };
    let correct = |answer: &Value, i: usize| {
        let (_, file) = &targets[i % targets.len()];
        answer["result"].to_string().contains(&percent(file))
    };
    loop {
        let answer = c.request_raw("textDocument/definition", params(0));
        if correct(&answer, 0) {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "no definition: {answer}"
        );
    }
    let first_definition = t0.elapsed();
    let cpu_at_definition = c.cpu_time().unwrap_or_default();
    let mut samples = Vec::with_capacity(warm);
    let mut during_load = 0;
    let mut indexed = None;
    for i in 0..warm {
        let started = Instant::now();
        let answer = c.request_raw("textDocument/definition", params(i));
        samples.push(started.elapsed());
        assert!(correct(&answer, i), "wrong definition: {answer}");
        if indexed.is_none() {
            let end = c.try_wait_notification("$/progress", Duration::ZERO, |p| {
                p["value"]["kind"] == "end"
            });
            match end {
                Some(_) => indexed = Some(t0.elapsed()),
                None => during_load += 1,
            }
        }
    }
    let indexed = indexed.unwrap_or_else(|| {
        // A first start on a loaded machine indexes for longer than the client's 10 s.
        let end = c.try_wait_notification("$/progress", Duration::from_secs(180), |p| {
            p["value"]["kind"] == "end"
        });
        assert!(end.is_some(), "not indexed in 180 s");
        t0.elapsed()
    });
    // The search index opens after indexing, and git's renames are learnt after it; the
    // memory of both counts too.
    for phase in ["search index", "learnt "] {
        let _ = c.try_wait_notification("window/logMessage", Duration::from_secs(60), |p| {
            p["message"].as_str().is_some_and(|m| m.starts_with(phase))
        });
    }
    let peak_rss_mib = c.peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    let cpu_at_index = c.cpu_time().unwrap_or_default();
    let _ = c.shutdown();
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    Run {
        first_definition,
        cpu_at_definition,
        cpu_at_index,
        indexed,
        warm_p50: at(0.5),
        warm_p99: at(0.99),
        warm_during_load: during_load,
        peak_rss_mib,
    }
}

/// A file name as it appears in a `file://` URI.
fn percent(file: &str) -> String {
    file.replace(' ', "%20")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
