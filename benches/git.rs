//! Benchmarks of what git adds: `twin fix --diff` on a 10,000-note vault that is a git
//! repository with 1,000 and 10,000 commits of history (renames among them), with twin's
//! rename cache empty and warm, the rename walk alone (in-process), and `twin history
//! --from-git` replaying 200 commits of a 1,000-note vault.
//!
//! ```text
//! cargo build --release && cargo bench --bench git
//! ```
//!
//! Repositories are built once under `target/bench-git/` with `git fast-import` (the
//! benchmark's setup only; twin reads them with gix). Each figure is the median of
//! `TWIN_BENCH_RUNS` runs (default 5) after one warm-up; `TWIN_BIN` picks the binary.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use twin::config::Config;
use twin::fix::KnownMoves;
use twin::fix::moves::GIT_RENAME_COMMITS;
use twin::git::VaultRepo;
use twin::synth::{SynthOptions, generate_vault};
use twin::vault::load_vault;

#[path = "support/child.rs"]
mod child;

/// 2026-01-01T00:00:00Z, the first commit's time.
const START: i64 = 1_767_225_600;
/// Every this many commits, one commit renames a note instead of editing one.
const RENAME_EVERY: usize = 20;

fn main() -> ExitCode {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/git: nothing to do outside `cargo bench --bench git`");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benches/git: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let runs: usize = std::env::var("TWIN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let bin = std::env::var_os("TWIN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release/twin"));
    if !bin.is_file() {
        return Err(io::Error::other(format!(
            "{} is missing: run `cargo build --release` first",
            bin.display()
        )));
    }
    let cache = target.join("bench-git");
    println!("| figure | median wall | median CPU | peak RSS | runs |");
    println!("|---|---|---|---|---|");
    // twin's own cache (the renames walked so far) goes here; emptied for cold runs.
    let twin_cache = cache.join("twin-cache");
    // SAFETY of set_var: the harness is single-threaded here and sets it before any spawn.
    unsafe { std::env::set_var("TWIN_CACHE_DIR", &twin_cache) };
    let cold = || {
        let _ = fs::remove_dir_all(&twin_cache);
    };
    for commits in [1_000, 10_000] {
        let repo = repository(&cache, 10_000, commits)?;
        let (wall, cpu, rss) = measure(runs, || {
            cold();
            command(&bin, &["fix", "--diff"], &repo, &[0, 1])
        })?;
        let name = format!("`fix --diff`, 10k notes, {commits} commits, no rename cache");
        row(&name, wall, cpu, rss, runs);
        let (wall, cpu, rss) = measure(runs, || command(&bin, &["fix", "--diff"], &repo, &[0, 1]))?;
        let name = format!("`fix --diff`, 10k notes, {commits} commits, rename cache warm");
        row(&name, wall, cpu, rss, runs);
        let config = Config::default();
        let vault = load_vault(&repo, &config).map_err(io::Error::other)?;
        let repo = VaultRepo::open(&repo).map_err(io::Error::other)?.unwrap();
        let mut found = 0;
        let walls: Vec<Duration> = (0..=runs)
            .map(|_| {
                let started = Instant::now();
                let renames = repo.committed_renames(Some(GIT_RENAME_COMMITS)).unwrap();
                found = renames.len();
                started.elapsed()
            })
            .skip(1)
            .collect();
        row(
            &format!("committed rename walk alone ({found} renames), {commits} commits"),
            median(walls),
            None,
            None,
            runs,
        );
        let walls: Vec<Duration> = (0..=runs)
            .map(|_| {
                let started = Instant::now();
                let (renames, warnings) = KnownMoves::for_vault(&vault);
                assert!(warnings.is_empty(), "{warnings:?}");
                assert_eq!(renames.len(), found);
                started.elapsed()
            })
            .skip(1)
            .collect();
        row(
            &format!("all renames, rename cache warm, {commits} commits"),
            median(walls),
            None,
            None,
            runs,
        );
    }
    let replay = repository(&cache, 1_000, 200)?;
    let (wall, cpu, rss) = measure(runs, || {
        command(&bin, &["history", "--from-git", "--force"], &replay, &[0])
    })?;
    row(
        "`history --from-git`, 1k notes, 200 commits",
        wall,
        cpu,
        rss,
        runs,
    );
    println!(
        "\nper replayed commit: {:.1} ms",
        wall.as_secs_f64() * 1000.0 / 200.0
    );
    Ok(())
}

fn row(name: &str, wall: Duration, cpu: Option<Duration>, rss: Option<u64>, runs: usize) {
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {name} | {} | {} | {} | {runs} |",
        ms(wall),
        cpu.map(ms).unwrap_or_else(|| "–".into()),
        rss.map(|k| format!("{} MB", k / 1024))
            .unwrap_or_else(|| "–".into())
    );
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Runs `f` once to warm up, then `runs` times; medians of wall, CPU and peak RSS.
fn measure(
    runs: usize,
    mut f: impl FnMut() -> io::Result<(Duration, Option<child::Usage>)>,
) -> io::Result<(Duration, Option<Duration>, Option<u64>)> {
    f()?;
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..runs {
        let (wall, usage) = f()?;
        walls.push(wall);
        if let Some(u) = usage {
            cpus.push(u.cpu);
            rss.push(u.max_rss_kib);
        }
    }
    rss.sort_unstable();
    let cpu = (!cpus.is_empty()).then(|| median(cpus));
    Ok((median(walls), cpu, rss.get(rss.len() / 2).copied()))
}

/// Runs `twin args root`, which must exit with one of `ok`.
fn command(
    bin: &Path,
    args: &[&str],
    root: &Path,
    ok: &[i32],
) -> io::Result<(Duration, Option<child::Usage>)> {
    let started = Instant::now();
    let process = Command::new(bin)
        .args(args)
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let (code, usage) = child::wait(process)?;
    let wall = started.elapsed();
    if !ok.contains(&code) {
        return Err(io::Error::other(format!(
            "twin {args:?} exited with {code}"
        )));
    }
    Ok((wall, usage))
}

/// A repository of a generated vault of `notes` notes with `commits` commits: the vault
/// first, then one edited note per commit, and every [`RENAME_EVERY`]th commit a note
/// renamed without updating the links to it. Built once.
fn repository(cache: &Path, notes: usize, commits: usize) -> io::Result<PathBuf> {
    let root = cache.join(format!("{notes}-{commits}"));
    let done = cache.join(format!("{notes}-{commits}.done"));
    if done.is_file() {
        return Ok(root);
    }
    let _ = fs::remove_dir_all(&root);
    let vault = cache.join(format!("{notes}-{commits}.vault"));
    let _ = fs::remove_dir_all(&vault);
    eprintln!("building {}", root.display());
    generate_vault(
        &vault,
        &SynthOptions {
            notes,
            ..SynthOptions::default()
        },
    )?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    collect(&vault, &vault, &mut files)?;
    files.sort();
    fs::create_dir_all(&root)?;
    git(&root, &["init", "-q"], None)?;
    let mut stream = Vec::new();
    let mut paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    let notes_only: Vec<usize> = (0..paths.len())
        .filter(|&i| paths[i].ends_with(".md"))
        .collect();
    for n in 0..commits {
        let mut ops = String::new();
        let mut blobs: Vec<(String, Vec<u8>)> = Vec::new();
        if n == 0 {
            blobs = files.clone();
        } else {
            let pick = notes_only[(n * 7919) % notes_only.len()];
            if n % RENAME_EVERY == 0 {
                let old = paths[pick].clone();
                let new = format!("{} moved {n}.md", old.trim_end_matches(".md"));
                writeln!(ops, "R \"{old}\" \"{new}\"").unwrap();
                paths[pick] = new;
            } else {
                let path = paths[pick].clone();
                let mut text = fs::read(vault.join(&path)).unwrap_or_default();
                writeln!(&mut text, "\nEdit {n}.")?;
                blobs.push((path, text));
            }
        }
        write!(
            stream,
            "commit refs/heads/main\ncommitter b <b@example.com> {} +0000\ndata 9\ncommit {:02}\n",
            START + n as i64 * 600,
            n % 100
        )?;
        stream.extend_from_slice(ops.as_bytes());
        for (path, bytes) in blobs {
            writeln!(stream, "M 100644 inline \"{path}\"\ndata {}", bytes.len())?;
            stream.extend_from_slice(&bytes);
            stream.push(b'\n');
        }
        stream.push(b'\n');
    }
    git(&root, &["fast-import", "--quiet"], Some(&stream))?;
    git(&root, &["checkout", "-q", "-f", "main"], None)?;
    fs::remove_dir_all(&vault)?;
    fs::write(done, "")?;
    Ok(root)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, fs::read(&path)?));
        }
    }
    Ok(())
}

fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> io::Result<()> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    if let Some(input) = input {
        child.stdin.take().unwrap().write_all(input)?;
    }
    drop(child.stdin.take());
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("git {args:?} failed")));
    }
    Ok(())
}
