//! Benchmark of `twin lsp` over stdio on a generated vault, as an editor drives it.
//!
//! ```text
//! cargo bench --bench lsp
//! ```
//!
//! Measures the time from `initialized` to the first diagnostics and to the end of
//! indexing, an edit's diagnostics after the debounce, the latency of completion,
//! definition, references and hover, the search requests (`twin/search`,
//! `twin/unlinkedMentions`, ranked `workspace/symbol`) once the index is ready, and the
//! server's peak RSS. The vault is generated
//! once with [`twin::synth`] and cached under `target/bench-vaults/lsp-<notes>-<seed>/`.
//!
//! Environment: `TWIN_BENCH_NOTES` (default 10000), `TWIN_BENCH_SEED` (default 1),
//! `TWIN_BENCH_ITERS` (requests and edits measured per kind, default 200).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/lsp_support/mod.rs"]
mod lsp_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_support::{Client, full_capabilities};
use serde_json::{Value, json};
use twin::synth::{SynthOptions, generate_vault};

/// The server's debounce: diagnostics are computed this long after the last edit.
const DEBOUNCE: Duration = Duration::from_millis(50);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/lsp: nothing to do outside `cargo bench --bench lsp`");
        return;
    }
    let notes: usize = env_or("TWIN_BENCH_NOTES", 10_000);
    let seed: u64 = env_or("TWIN_BENCH_SEED", 1);
    let iters: usize = env_or("TWIN_BENCH_ITERS", 200);
    let vault = cached_vault(notes, seed);
    println!(
        "twin lsp on {notes} notes ({}), {iters} iterations per measure",
        vault.display()
    );

    let mut c = Client::start(Some(&vault), full_capabilities(), json!({}));
    let t0 = Instant::now();
    // `Client::start` sent `initialized` last; the clock starts there.
    c.wait_notification("textDocument/publishDiagnostics", |_| true);
    let first = t0.elapsed();
    c.wait_indexed();
    let indexed = t0.elapsed();
    println!("first diagnostics after initialized: {:>8.1} ms", ms(first));
    println!(
        "indexing finished after initialized: {:>8.1} ms",
        ms(indexed)
    );
    if let Some(cpu) = c.cpu_time() {
        println!("server CPU time so far (user+sys):   {:>8.1} ms", ms(cpu));
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average: {}",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if let Some(log) = c.try_wait_notification("window/logMessage", Duration::from_secs(1), |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("indexed"))
    }) {
        println!("server: {}", log["message"].as_str().unwrap_or(""));
    }

    let (target, linker) = pick_notes(&vault);
    edits(&mut c, &vault, &target, iters.min(100));
    requests(&mut c, &vault, &linker, iters);
    search_requests(&mut c, &vault, &target, iters, t0);
    println!(
        "peak RSS: {:.1} MB",
        c.peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
    let _ = c.shutdown();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<34} median {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  (n={})",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(*samples.last().unwrap()),
        samples.len()
    );
}

/// Generates the vault once, in a folder named after its options.
fn cached_vault(notes: usize, seed: u64) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    let dir = target
        .join("bench-vaults")
        .join(format!("lsp-{notes}-{seed}"));
    let done = dir.join(".twin-bench-complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create vault folder");
        let opts = SynthOptions {
            notes,
            seed,
            ..SynthOptions::default()
        };
        generate_vault(&dir, &opts).expect("generate vault");
        std::fs::write(&done, "").expect("mark vault complete");
    }
    dir.canonicalize().expect("vault path")
}

/// The most linked note (edited: its changes reach many notes) and a note with links.
fn pick_notes(vault: &Path) -> (String, String) {
    let config = twin::analysis::load_rulebook(vault)
        .map(|rulebook| rulebook.config)
        .expect("config");
    let v = twin::vault::load_vault(vault, &config).expect("vault");
    let graph = twin::resolve::build_link_graph(&v);
    let target = (0..v.notes.len())
        .max_by_key(|&i| graph.backlinks[i].len())
        .expect("notes");
    let linker = (0..v.notes.len())
        .filter(|&i| {
            let note = &v.notes[i];
            note.links
                .iter()
                .any(|l| l.target(&note.text).len() > 3 && l.anchor.is_some())
        })
        .nth(v.notes.len() / 3)
        .unwrap_or(0);
    println!(
        "edited note: {} ({} backlinks)",
        v.notes[target].path,
        graph.backlinks[target].len()
    );
    (
        v.notes[target].path.to_string(),
        v.notes[linker].path.to_string(),
    )
}

/// Renames the first heading of the edited note back and forth and waits for its
/// diagnostics each time.
fn edits(c: &mut Client, vault: &Path, rel: &str, n: usize) {
    let text = std::fs::read_to_string(vault.join(rel)).expect("note");
    let uri = c.open(rel, Some(&text));
    c.diagnostics(&uri, |_| true);
    let heading_line = text.lines().position(|l| l.starts_with('#')).unwrap_or(0) as u32;
    let mut samples = Vec::new();
    for i in 0..n {
        let version = 2 + i as i64;
        let change = if i % 2 == 0 {
            json!({"range": {"start": {"line": heading_line, "character": 2}, "end": {"line": heading_line, "character": 2}}, "text": "X"})
        } else {
            json!({"range": {"start": {"line": heading_line, "character": 2}, "end": {"line": heading_line, "character": 3}}, "text": ""})
        };
        let sent = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        let uri2 = uri.clone();
        c.wait_notification("textDocument/publishDiagnostics", move |p| {
            p["uri"] == uri2.as_str() && p["version"] == json!(version)
        });
        let took = sent.elapsed().saturating_sub(DEBOUNCE);
        if std::env::var_os("TWIN_BENCH_VERBOSE").is_some() {
            println!("  edit {i}: {:.2} ms", ms(took));
        }
        samples.push(took);
        // Let notes affected through backlinks be published before the next edit.
        std::thread::sleep(Duration::from_millis(120));
        c.clear();
    }
    report("edit → diagnostics (after debounce)", samples);
}

fn requests(c: &mut Client, vault: &Path, rel: &str, n: usize) {
    let text = std::fs::read_to_string(vault.join(rel)).expect("note");
    let typed = format!("{text}\n[[ab");
    let uri = c.open(rel, Some(&typed));
    let link = lsp_support::pos_of(&typed, "[[", 3);
    let end = lsp_support::pos_of(&typed, "\n[[ab", 5);
    let measure = |c: &mut Client, method: &str, params: Value| {
        let mut samples = Vec::new();
        for _ in 0..n {
            let t = Instant::now();
            let response = c.request_raw(method, params.clone());
            samples.push(t.elapsed());
            assert!(response.get("error").is_none(), "{method}: {response}");
        }
        samples
    };
    let doc = json!({"uri": uri});
    report(
        "completion [[",
        measure(
            c,
            "textDocument/completion",
            json!({"textDocument": doc, "position": end}),
        ),
    );
    report(
        "definition",
        measure(
            c,
            "textDocument/definition",
            json!({"textDocument": doc, "position": link}),
        ),
    );
    report(
        "references",
        measure(
            c,
            "textDocument/references",
            json!({"textDocument": doc, "position": link, "context": {"includeDeclaration": true}}),
        ),
    );
    report(
        "hover",
        measure(
            c,
            "textDocument/hover",
            json!({"textDocument": doc, "position": link}),
        ),
    );
}

/// The search requests, once the index (opened in the background) is ready.
fn search_requests(c: &mut Client, vault: &Path, rel: &str, n: usize, t0: Instant) {
    loop {
        let answer = c.request("twin/search", json!({"query": "x", "limit": 1}));
        if answer["ready"] == true {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "search index ready after initialized: {:>8.1} ms (polled after the other measures)",
        ms(t0.elapsed())
    );
    let text = std::fs::read_to_string(vault.join(rel)).expect("note");
    // Words of the edited note's body as queries: each finds that note and others.
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 4)
        .take(20)
        .map(str::to_lowercase)
        .collect();
    let mut samples = Vec::new();
    for i in 0..n {
        let query = if i % 3 == 2 {
            format!(
                "{} {}",
                words[i % words.len()],
                words[(i + 7) % words.len()]
            )
        } else {
            words[i % words.len()].clone()
        };
        let t = Instant::now();
        let response = c.request_raw("twin/search", json!({"query": query, "limit": 20}));
        samples.push(t.elapsed());
        assert!(response.get("error").is_none(), "twin/search: {response}");
    }
    report("twin/search (limit 20)", samples);
    let uri = c.uri(rel);
    let mut samples = Vec::new();
    let mut found = 0;
    for _ in 0..n.min(50) {
        let t = Instant::now();
        let response = c.request_raw(
            "twin/unlinkedMentions",
            json!({"textDocument": {"uri": uri}}),
        );
        samples.push(t.elapsed());
        found = response["result"]["mentions"]
            .as_array()
            .map_or(0, Vec::len);
    }
    report(&format!("twin/unlinkedMentions ({found} found)"), samples);
    let mut samples = Vec::new();
    for i in 0..n {
        let query: String = words[i % words.len()].chars().take(3).collect();
        let t = Instant::now();
        c.request_raw("workspace/symbol", json!({"query": query}));
        samples.push(t.elapsed());
    }
    report("workspace/symbol (3 letters)", samples);
}
