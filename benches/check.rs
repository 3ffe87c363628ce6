//! End-to-end benchmark of the `twin` binary on synthetic vaults: wall time and peak memory.
//!
//! ```text
//! cargo build --release && cargo bench --bench check
//! ```
//!
//! It builds nothing: it runs the release binary that is already there. Vaults are generated
//! once with [`twin::synth`] and cached under `target/bench-vaults/<notes>-<seed>/`. Each size
//! gets one warm-up run, then `TWIN_BENCH_RUNS` measured runs; the table reports medians.
//!
//! Environment:
//! - `TWIN_BIN`: the binary (default `target/release/twin`, honouring `CARGO_TARGET_DIR`);
//! - `TWIN_BENCH_SIZES`: comma-separated note counts (default `1000,10000,100000`);
//! - `TWIN_BENCH_RUNS`: measured runs per size (default 5);
//! - `TWIN_BENCH_ARGS`: the subcommand and flags; the vault path is appended
//!   (default `check --format json --fail-on never`);
//! - `TWIN_BENCH_SEED`: generator seed (default 1);
//! - `TWIN_BENCH_EXIT`: the exit code a run is expected to end with (default 0; `1` for
//!   `fix --diff`, which exits 1 when there is something to fix).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use twin::synth::{SynthOptions, generate_vault};

#[path = "support/child.rs"]
mod child;
use child::{Usage, wait};

const DEFAULT_SIZES: &[usize] = &[1000, 10_000, 100_000];
const DEFAULT_RUNS: usize = 5;
const DEFAULT_ARGS: &str = "check --format json --fail-on never";
const BROKEN_LINK_RATIO: f64 = 0.02;
/// Notes in the small vault whose hash tells whether the generator changed.
const FINGERPRINT_NOTES: usize = 40;
/// Makes this binary generate one vault and exit (see [`generate_in_child`]).
const GENERATE_FLAG: &str = "--generate-vault";

struct Settings {
    bin: PathBuf,
    sizes: Vec<usize>,
    runs: usize,
    args: Vec<String>,
    seed: u64,
    cache: PathBuf,
    /// The exit code of a normal run.
    exit: i32,
}

struct Measurement {
    wall: Duration,
    exit_code: i32,
    usage: Option<Usage>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir, notes, seed] = &args[..]
        && flag == GENERATE_FLAG
    {
        return generate_child(Path::new(dir), notes, seed);
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this target without it,
    // and a test run should not generate 400 MB of vaults.
    if !args.iter().any(|arg| arg == "--bench") {
        println!("benches/check: nothing to do outside `cargo bench --bench check`");
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("benches/check: {message}");
            return ExitCode::FAILURE;
        }
    };
    if !settings.bin.is_file() {
        eprintln!(
            "benches/check: no twin binary at {}\n\
             Build it first with `cargo build --release`, or point TWIN_BIN at one.",
            settings.bin.display()
        );
        return ExitCode::FAILURE;
    }
    match run(&settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benches/check: {e}");
            ExitCode::FAILURE
        }
    }
}

impl Settings {
    fn from_env() -> Result<Settings, String> {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
        let bin = std::env::var_os("TWIN_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                target
                    .join("release")
                    .join(format!("twin{}", std::env::consts::EXE_SUFFIX))
            });
        let sizes = match std::env::var("TWIN_BENCH_SIZES") {
            Ok(list) => list
                .split(',')
                .map(|s| s.trim().replace('_', ""))
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<usize>()
                        .map_err(|e| format!("TWIN_BENCH_SIZES: {s:?}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            Err(_) => DEFAULT_SIZES.to_vec(),
        };
        if sizes.is_empty() {
            return Err("TWIN_BENCH_SIZES names no size".to_string());
        }
        let runs = match std::env::var("TWIN_BENCH_RUNS") {
            Ok(runs) => runs
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("TWIN_BENCH_RUNS: {runs:?} is not a positive number"))?,
            Err(_) => DEFAULT_RUNS,
        };
        let args = std::env::var("TWIN_BENCH_ARGS").unwrap_or_else(|_| DEFAULT_ARGS.to_string());
        let args: Vec<String> = args.split_whitespace().map(str::to_string).collect();
        let seed = match std::env::var("TWIN_BENCH_SEED") {
            Ok(seed) => seed
                .trim()
                .parse()
                .map_err(|e| format!("TWIN_BENCH_SEED: {seed:?}: {e}"))?,
            Err(_) => 1,
        };
        let exit = match std::env::var("TWIN_BENCH_EXIT") {
            Ok(code) => code
                .trim()
                .parse()
                .map_err(|e| format!("TWIN_BENCH_EXIT: {code:?}: {e}"))?,
            Err(_) => 0,
        };
        Ok(Settings {
            exit,
            bin,
            sizes,
            runs,
            args,
            seed,
            cache: target.join("bench-vaults"),
        })
    }
}

fn run(settings: &Settings) -> io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("binary:  {}", settings.bin.display());
    println!("command: twin {} <vault>", settings.args.join(" "));
    println!(
        "runs:    1 warm-up + {} measured per size; {cores} cores; vaults seed {}, {}% broken links, typed links",
        settings.runs,
        settings.seed,
        BROKEN_LINK_RATIO * 100.0
    );
    let fingerprint = generator_fingerprint(&settings.cache, settings.seed)?;
    let mut rows = Vec::new();
    for &notes in &settings.sizes {
        let (vault, bytes) = cached_vault(settings, notes, &fingerprint)?;
        let stderr_path = settings.cache.join("last-stderr.txt");
        run_once(settings, &vault, &stderr_path)?; // warm-up: page cache, first-run effects
        let mut runs = Vec::with_capacity(settings.runs);
        for _ in 0..settings.runs {
            let m = run_once(settings, &vault, &stderr_path)?;
            if m.exit_code != settings.exit {
                let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
                let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
                eprintln!(
                    "warning: twin exited with {} on {notes} notes; last lines of stderr:\n{}",
                    m.exit_code,
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
            }
            runs.push(m);
        }
        rows.push(row(notes, bytes, &runs));
    }
    println!();
    println!(
        "| notes | MB of markdown | median wall (ms) | min (ms) | max (ms) | median peak RSS (MB) | median CPU (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}

/// One table row from the measured runs of one size.
fn row(notes: usize, bytes: u64, runs: &[Measurement]) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut walls: Vec<f64> = runs.iter().map(|m| ms(m.wall)).collect();
    walls.sort_by(f64::total_cmp);
    let usage_median = |f: &dyn Fn(&Usage) -> f64, precision: usize| {
        let mut values: Vec<f64> = runs
            .iter()
            .filter_map(|m| m.usage.as_ref())
            .map(f)
            .collect();
        values.sort_by(f64::total_cmp);
        if values.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.precision$}", median(&values))
        }
    };
    let rss = usage_median(&|u| u.max_rss_kib as f64 / 1024.0, 1);
    let cpu = usage_median(&|u| ms(u.cpu), 0);
    format!(
        "| {notes} | {:.1} | {:.1} | {:.1} | {:.1} | {rss} | {cpu} |",
        bytes as f64 / 1e6,
        median(&walls),
        walls[0],
        walls[walls.len() - 1],
    )
}
/// The median of sorted, non-empty values.
fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

fn options(notes: usize, seed: u64) -> SynthOptions {
    SynthOptions {
        notes,
        seed,
        broken_link_ratio: BROKEN_LINK_RATIO,
        typed_links: true,
    }
}

/// A hash of a small generated vault: cached vaults made by a different generator are stale.
fn generator_fingerprint(cache: &Path, seed: u64) -> io::Result<String> {
    let dir = cache.join("fingerprint");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    generate_vault(&dir, &options(FINGERPRINT_NOTES, seed))?;
    let mut files = Vec::new();
    collect_files(&dir, &mut files)?;
    files.sort();
    // FNV-1a over paths and contents: stable across Rust versions, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let rel = file.strip_prefix(&dir).unwrap_or(file);
        for byte in rel.to_string_lossy().bytes().chain(fs::read(file)?) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fs::remove_dir_all(&dir)?;
    Ok(format!("{hash:016x}"))
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The vault for `notes`, generated unless a complete one from the same generator is cached.
/// Returns its path and its bytes of markdown.
fn cached_vault(
    settings: &Settings,
    notes: usize,
    fingerprint: &str,
) -> io::Result<(PathBuf, u64)> {
    let home = settings.cache.join(format!("{notes}-{}", settings.seed));
    let vault = home.join("vault");
    let marker = home.join("complete");
    let opts = options(notes, settings.seed);
    let identity = format!(
        "notes={notes}\nseed={}\nbroken_link_ratio={}\ntyped_links={}\ngenerator={fingerprint}\n",
        opts.seed, opts.broken_link_ratio, opts.typed_links
    );
    if let Ok(recorded) = fs::read_to_string(&marker)
        && let Some(bytes) = recorded.strip_prefix(&identity).and_then(|rest| {
            rest.lines()
                .find_map(|line| line.strip_prefix("bytes="))
                .and_then(|b| b.parse().ok())
        })
    {
        return Ok((vault, bytes));
    }
    if home.exists() {
        fs::remove_dir_all(&home)?;
    }
    eprint!("generating {notes} notes into {} ... ", vault.display());
    let started = Instant::now();
    let (bytes, links) = generate_in_child(&vault, notes, settings.seed)?;
    eprintln!(
        "{:.1} MB, {links} links, {:.1} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    // Written last: a vault without its marker is incomplete and is generated again.
    fs::write(&marker, format!("{identity}bytes={bytes}\nlinks={links}\n"))?;
    Ok((vault, bytes))
}

/// Generates a vault in a child process of this binary and returns its bytes and links.
///
/// Not in this process because of how Linux reports peak memory: a child started with
/// `posix_spawn` (what `Command` uses) shares this process's memory until `exec`, and its
/// `ru_maxrss` starts from this process's peak. Generating 100k notes here would add a
/// few hundred MB to every measurement after it.
fn generate_in_child(vault: &Path, notes: usize, seed: u64) -> io::Result<(u64, usize)> {
    let output = Command::new(std::env::current_exe()?)
        .arg(GENERATE_FLAG)
        .arg(vault)
        .arg(notes.to_string())
        .arg(seed.to_string())
        .stderr(Stdio::inherit())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed = stdout
        .split_once(' ')
        .and_then(|(bytes, links)| Some((bytes.parse().ok()?, links.trim().parse().ok()?)));
    match parsed {
        Some(counts) if output.status.success() => Ok(counts),
        _ => Err(io::Error::other(format!(
            "generating {} failed ({})",
            vault.display(),
            output.status
        ))),
    }
}

/// The child side of [`generate_in_child`]: prints `<bytes> <links>`.
fn generate_child(dir: &Path, notes: &str, seed: &str) -> ExitCode {
    let (Ok(notes), Ok(seed)) = (notes.parse(), seed.parse()) else {
        eprintln!("benches/check: bad {GENERATE_FLAG} arguments");
        return ExitCode::FAILURE;
    };
    match generate_vault(dir, &options(notes, seed)) {
        Ok(stats) => {
            println!("{} {}", stats.bytes, stats.links);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benches/check: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn run_once(settings: &Settings, vault: &Path, stderr_path: &Path) -> io::Result<Measurement> {
    let stderr = File::create(stderr_path)?;
    let started = Instant::now();
    let child = Command::new(&settings.bin)
        .args(&settings.args)
        .arg(vault)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()?;
    let (exit_code, usage) = wait(child)?;
    Ok(Measurement {
        wall: started.elapsed(),
        exit_code,
        usage,
    })
}
