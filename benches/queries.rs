//! What query rules cost `twin check`: the same generated vault checked without and with
//! 20 query rules, 5 of them with full-text selectors (target: at most 200 ms more).
//!
//! ```text
//! cargo build --release && cargo bench --bench queries
//! ```
//!
//! It runs the release binary already built. The vault (default 10,000 notes) is generated
//! once under `target/bench-vaults/queries-<notes>-<seed>/`; the rules go to its
//! `.twin/queries/bench.toml`, which is renamed away for the runs without them. Runs
//! alternate (without, with) so load on the machine hits both alike; the search index
//! lives in `target/bench-vaults/queries-cache` (`TWIN_CACHE_DIR`) and is built by the
//! warm-up, so measured runs are warm starts, as in daily use. The first (cold) run is
//! reported on its own.
//!
//! Environment: `TWIN_BIN` (the binary), `TWIN_BENCH_NOTES` (default 10000),
//! `TWIN_BENCH_RUNS` (measured pairs, default 7), `TWIN_BENCH_SEED` (default 1).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use twin::synth::{SynthOptions, generate_vault};

#[path = "support/child.rs"]
mod child;

/// 20 rules over what the generator writes (folders `Research/`, `Исследования/`, tags under
/// `notes/`, `description` and `created` properties, typed link sections); the last five
/// select by full-text search.
const RULES: &str = r#"
[[rule]]
code = "b-description"
message = "tagged notes say what they are"
select.tag = "notes"
require.properties = ["description"]
require.property-types = { description = "string" }

[[rule]]
code = "b-research-created"
message = "research notes are dated"
select.folder = "Research/**"
require.properties = ["created"]
require.property-types = { created = "date" }

[[rule]]
code = "b-ru-tags"
message = "Russian notes are tagged"
select.folder = "Исследования"
require.property-types = { tags = "list" }

[[rule]]
code = "b-title"
message = "every note has a title or description"
require.any-property = ["title", "description"]

[[rule]]
code = "b-created-type"
message = "created is a date"
select.property = { created = "*" }
require.property-types = { created = "date" }

[[rule]]
code = "b-up-section"
message = "a note with a parent shows it"
select.relation = { up = "*" }
require.sections = ["upstream"]

[[rule]]
code = "b-outgoing"
message = "every note links out"
require.outgoing-links = 1

[[rule]]
code = "b-incoming"
message = "every note is linked"
require.incoming-links = 1

[[rule]]
code = "b-length"
message = "notes stay short"
require.max-length = 2000

[[rule]]
code = "b-no-draft"
message = "no drafts"
forbid.tags = ["draft"]

[[rule]]
code = "b-no-secret-link"
message = "no links to the secret note"
forbid.links = ["[[Secret]]"]
forbid.links-into = ["private/**"]

[[rule]]
code = "b-embeds"
message = "no broken embeds"
forbid.broken-embeds = true

[[rule]]
code = "b-inference-sources"
message = "inference notes cite sources"
select.tag = "notes/inference"
require.footnotes = 1

[[rule]]
code = "b-id"
message = "notes have an id"
require.identifier = ["created"]

[[rule]]
code = "b-drift"
message = "the body says what the note declares"
select.folder = "Research"
require.drift-floor = 0.02

[[rule]]
code = "b-search-episodic"
message = "notes on episodic memory are related"
select.search = "episodic memory"
require.relations = { related = 1 }

[[rule]]
code = "b-search-procedural"
message = "procedural notes without broadcast have a description"
select.search = "procedural -broadcast"
require.properties = ["description"]

[[rule]]
code = "b-search-phrase"
message = "notes on working memory link out twice"
select.search = "\"working memory\""
require.outgoing-links = 2

[[rule]]
code = "b-search-tag"
message = "tagged notes found by search are dated"
select.search = "tag:notes"
require.properties = ["created"]

[[rule]]
code = "b-search-or"
message = "cognition or attention notes have upstream links"
select.search = "cognition OR attention"
require.sections = ["upstream"]
"#;

struct Run {
    wall: Duration,
    cpu: Duration,
    code: i32,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|arg| arg == "--bench") {
        println!("benches/queries: nothing to do outside `cargo bench --bench queries`");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benches/queries: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env_number(name: &str, default: u64) -> io::Result<u64> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|e| io::Error::other(format!("{name}: {v:?}: {e}"))),
        Err(_) => Ok(default),
    }
}

fn run() -> io::Result<()> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let bin = std::env::var_os("TWIN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release").join("twin"));
    if !bin.is_file() {
        return Err(io::Error::other(format!(
            "no twin binary at {}; run `cargo build --release` first",
            bin.display()
        )));
    }
    let notes = env_number("TWIN_BENCH_NOTES", 10_000)? as usize;
    let runs = env_number("TWIN_BENCH_RUNS", 7)?.max(1) as usize;
    let seed = env_number("TWIN_BENCH_SEED", 1)?;
    let home = target.join("bench-vaults");
    let vault = home.join(format!("queries-{notes}-{seed}"));
    let cache = home.join("queries-cache");
    if !vault.join(".twin").exists() {
        if vault.exists() {
            fs::remove_dir_all(&vault)?;
        }
        eprintln!("generating {notes} notes into {} ...", vault.display());
        let options = SynthOptions {
            notes,
            seed,
            broken_link_ratio: 0.02,
            typed_links: true,
        };
        generate_vault(&vault, &options)?;
        fs::create_dir_all(vault.join(".twin"))?;
    }
    let on = vault.join(".twin/queries");
    let off = vault.join(".twin/queries.off");
    if off.exists() {
        fs::remove_dir_all(&off)?;
    }
    fs::create_dir_all(&on)?;
    fs::write(on.join("bench.toml"), RULES)?;
    if cache.exists() {
        fs::remove_dir_all(&cache)?;
    }
    println!("binary: {}", bin.display());
    println!(
        "twin check --format json --fail-on never <vault of {notes} notes>, without and with 20 query rules (5 full-text); {runs} measured pairs"
    );

    let check = |with: bool| -> io::Result<Run> {
        if with {
            fs::rename(&off, &on).or_else(|_| {
                if on.exists() {
                    Ok(())
                } else {
                    Err(io::Error::other("rules missing"))
                }
            })?;
        } else if on.exists() {
            fs::rename(&on, &off)?;
        }
        let started = Instant::now();
        let child = Command::new(&bin)
            .args(["check", "--format", "json", "--fail-on", "never"])
            .arg(&vault)
            .env("TWIN_CACHE_DIR", &cache)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let (code, usage) = child::wait(child)?;
        let cpu = usage.map_or(Duration::ZERO, |u| u.cpu);
        Ok(Run {
            wall: started.elapsed(),
            cpu,
            code,
        })
    };
    check(false)?; // warm-up: page cache
    let cold = check(true)?; // builds the search index
    println!(
        "cold run with rules (builds the search index): {:.0} ms wall, {:.0} ms CPU",
        ms(cold.wall),
        ms(cold.cpu)
    );
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        without.push(check(false)?);
        with.push(check(true)?);
    }
    if with.iter().chain(&without).any(|r| r.code != 0) {
        eprintln!("warning: a run exited with a non-zero code");
    }
    let median = |runs: &[Run], f: &dyn Fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        if v.len() % 2 == 1 {
            v[mid]
        } else {
            (v[mid - 1] + v[mid]) / 2.0
        }
    };
    let wall = |r: &Run| ms(r.wall);
    let cpu = |r: &Run| ms(r.cpu);
    println!();
    println!("| rules | median wall (ms) | median CPU (ms) |");
    println!("|---|---:|---:|");
    println!(
        "| none | {:.0} | {:.0} |",
        median(&without, &wall),
        median(&without, &cpu)
    );
    println!(
        "| 20 query rules (5 full-text) | {:.0} | {:.0} |",
        median(&with, &wall),
        median(&with, &cpu)
    );
    println!(
        "| difference | {:+.0} | {:+.0} |",
        median(&with, &wall) - median(&without, &wall),
        median(&with, &cpu) - median(&without, &cpu)
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
