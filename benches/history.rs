//! Benchmarks of the microconflict history: reading a 1,000,000-event trace (time and peak
//! memory), appending one run's diff, and what `--record` adds to `twin check` on a
//! 10,000-note vault.
//!
//! ```text
//! cargo bench --bench history
//! ```
//!
//! Data is generated once under `target/bench-history/`. `TWIN_BENCH_RUNS` sets the measured
//! runs per figure (default 5); the report gives medians. Reads run in a child process so
//! its peak resident memory (`VmHWM`, Linux) is the reader's alone.

use std::borrow::Cow;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use twin::analysis::{Analysis, load_rulebook};
use twin::coherence::AnchorDrift;
use twin::history::fingerprint::Fp;
use twin::history::{
    Event, EventKind, TRACE_FILE, Timestamp, Trace, annotate, append, fingerprints, with_trace,
};
use twin::synth::{SynthOptions, generate_vault};

const TRACE_EVENTS: usize = 1_000_000;
const TRACE_NOTES: usize = 10_000;
/// Distinct findings in the generated trace; each opens, resolves and reopens in turn.
const TRACE_FINDINGS: usize = 50_000;
const VAULT_NOTES: usize = 10_000;
const READ_FLAG: &str = "--read-trace";
/// Events in one appended diff: a busy save.
const DIFF_EVENTS: u32 = 20;
const APPEND_RUNS: usize = 200;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, root] = &args[..]
        && flag == READ_FLAG
    {
        return read_child(Path::new(root));
    }
    if !args.iter().any(|a| a == "--bench") {
        println!("benches/history: nothing to do outside `cargo bench --bench history`");
        return ExitCode::SUCCESS;
    }
    let runs: usize = std::env::var("TWIN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    match run(runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benches/history: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-history")
}

fn run(runs: usize) -> io::Result<()> {
    let dir = bench_dir();
    println!("history benchmark: medians of {runs} runs (reads) / {APPEND_RUNS} (appends)");

    let trace_root = dir.join("trace-1m");
    let trace = trace_root.join(TRACE_FILE);
    if !trace.exists() {
        let started = Instant::now();
        write_trace(&trace)?;
        println!("generated {} in {:.1?}", trace.display(), started.elapsed());
    }
    let bytes = fs::metadata(&trace)?.len();
    let mut reads = Vec::new();
    for _ in 0..runs {
        reads.push(read_in_child(&trace_root)?);
    }
    let mut secs: Vec<f64> = reads.iter().map(|r| r.0).collect();
    let mut rss: Vec<f64> = reads.iter().map(|r| r.2 as f64).collect();
    println!(
        "read {} events ({:.0} MB): {:.3} s, peak {:.0} MB",
        reads[0].1,
        bytes as f64 / 1e6,
        median(&mut secs),
        median(&mut rss) / 1024.0
    );

    let append_root = dir.join("append");
    let _ = fs::remove_dir_all(&append_root);
    let mut times = Vec::new();
    for run in 0..APPEND_RUNS {
        let events = diff_events(run as u64);
        let started = Instant::now();
        append(&append_root, &events)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "append a {DIFF_EVENTS}-event diff (lock, tail check, write): {:.3} ms",
        median(&mut times)
    );

    let vault = dir.join(format!("vault-{VAULT_NOTES}"));
    if !vault.join("index.md").exists() && fs::read_dir(&vault).is_err() {
        let opts = SynthOptions {
            notes: VAULT_NOTES,
            ..SynthOptions::default()
        };
        generate_vault(&vault, &opts)?;
    }
    let _ = fs::remove_dir_all(vault.join(".twin"));
    record_in_process(&vault, runs)?;
    let check = ["check", "--format", "json", "--fail-on", "never"];
    let mut plain = Vec::new();
    let mut record = Vec::new();
    for _ in 0..runs {
        plain.push(time_twin(&check, &vault, false)?);
        record.push(time_twin(&check, &vault, true)?);
    }
    let (p, r) = (median(&mut plain), median(&mut record));
    println!(
        "binary, wall (noisy on a shared machine): twin check {p:.0} ms, with --record {r:.0} ms"
    );
    Ok(())
}

/// What `--record` adds to `twin check`, timed inside one process on the loaded vault:
/// fingerprints, lock, trace refresh, diff, anchor check, append, ages in messages. Also
/// what having a trace costs every check (`anchor-drift`'s comparison).
fn record_in_process(vault_dir: &Path, runs: usize) -> io::Result<()> {
    let rulebook = load_rulebook(vault_dir).map_err(io::Error::other)?;
    let analysis = Analysis::load(vault_dir, Arc::new(rulebook)).map_err(io::Error::other)?;
    let (vault, config) = (&analysis.vault, analysis.config());
    let diagnostics = analysis.check(None);
    let stats = &analysis
        .coherence
        .drift
        .as_ref()
        .expect("drift rules are on")
        .stats;
    let now = SystemTime::now();
    let started = Instant::now();
    let first = analysis.record(&diagnostics, None, now)?;
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut steady = Vec::new();
    let mut anchors = Vec::new();
    for run in 0..runs.max(5) {
        // Every other run resolves one finding and the next reopens it: a real diff.
        let current = if run % 2 == 0 {
            &diagnostics[1..]
        } else {
            &diagnostics[..]
        };
        let started = Instant::now();
        let findings = fingerprints(current, vault);
        analysis.record(current, None, now)?;
        let mut shown = current.to_vec();
        with_trace(&vault.root, |t| {
            annotate(
                &mut shown,
                &findings,
                t.state(),
                Timestamp::from_system(now),
                None,
            )
        })?;
        steady.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        std::hint::black_box(with_trace(&vault.root, |trace| {
            let floor = config.history.anchor_floor as f32;
            let percentile = config.relations.drift_percentile;
            AnchorDrift::build(vault, stats, trace.state(), floor, percentile)
        })?);
        anchors.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "record on {} notes, {} findings: first run {first_ms:.0} ms ({} notes anchored); then {:.1} ms per run; anchor-drift model {:.1} ms per check",
        vault.notes.len(),
        diagnostics.len(),
        first.anchored,
        median(&mut steady),
        median(&mut anchors)
    );
    Ok(())
}

/// Milliseconds of one `twin check` run on `vault`.
fn time_twin(args: &[&str], vault: &Path, record: bool) -> io::Result<f64> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_twin"));
    cmd.args(args);
    if record {
        cmd.arg("--record");
    }
    let started = Instant::now();
    let status = cmd
        .arg(vault)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !status.success() {
        return Err(io::Error::other(format!("twin {args:?} failed: {status}")));
    }
    Ok(ms)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// A plausible trace: anchors for every note, then findings cycling open → resolved →
/// reopened over a year, one event every 30 seconds.
fn write_trace(path: &Path) -> io::Result<()> {
    fs::create_dir_all(path.parent().unwrap())?;
    let mut out = BufWriter::new(fs::File::create(path)?);
    let mut line = Vec::with_capacity(1024);
    let start = Timestamp(1_700_000_000);
    let stems: Vec<String> = (0..500).map(|i| format!("stem{i}")).collect();
    for note in 0..TRACE_NOTES {
        let mut e = Event::new(start, EventKind::Anchor);
        e.path = Cow::Owned(note_path(note));
        e.terms = (0..24)
            .map(|k| {
                (
                    Cow::Borrowed(stems[(note * 7 + k * 13) % 500].as_str()),
                    0.2,
                )
            })
            .collect();
        line.clear();
        e.write_line(&mut line);
        out.write_all(&line)?;
    }
    let mut open = vec![false; TRACE_FINDINGS];
    let mut seen = vec![false; TRACE_FINDINGS];
    for i in 0..TRACE_EVENTS - TRACE_NOTES {
        let f = (i * 7919) % TRACE_FINDINGS;
        let kind = match (seen[f], open[f]) {
            (false, _) => EventKind::Opened,
            (true, true) => EventKind::Resolved,
            (true, false) => EventKind::Reopened,
        };
        seen[f] = true;
        open[f] = kind != EventKind::Resolved;
        let mut e = Event::new(Timestamp(start.0 + i as i64 * 30), kind);
        e.fp = Some(Fp(f as u64 * 0x9E37_79B9 % (1 << 48)));
        e.code = [
            "broken-link",
            "one-sided-relation",
            "footnote-unused",
            "tag-invalid",
        ][f % 4]
            .into();
        e.path = Cow::Owned(note_path(f % TRACE_NOTES));
        e.subject = Cow::Owned(format!("Target note {f}"));
        e.message = Cow::Owned(format!(
            "no note or file named `Target note {f}` in the vault"
        ));
        line.clear();
        e.write_line(&mut line);
        out.write_all(&line)?;
    }
    out.flush()
}

fn note_path(i: usize) -> String {
    format!("Area {}/Topic {}/Note number {i}.md", i % 10, i % 100)
}

fn diff_events(run: u64) -> Vec<Event<'static>> {
    (0..DIFF_EVENTS)
        .map(|k| {
            let mut e = Event::new(Timestamp(1_700_000_000 + run as i64), EventKind::Opened);
            e.fp = Some(Fp(run << 8 | u64::from(k)));
            e.code = "broken-link".into();
            e.path = Cow::Owned(note_path(k as usize));
            e.subject = Cow::Owned(format!("Missing {k}"));
            e.message = Cow::Owned(format!("no note or file named `Missing {k}` in the vault"));
            e
        })
        .collect()
}

/// (seconds, events, peak KiB) of reading the trace in a fresh process.
fn read_in_child(root: &Path) -> io::Result<(f64, u64, u64)> {
    let out = Command::new(std::env::current_exe()?)
        .arg(READ_FLAG)
        .arg(root)
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    match fields[..] {
        [secs, events, kib] => Ok((
            secs.parse().unwrap_or(f64::NAN),
            events.parse().unwrap_or(0),
            kib.parse().unwrap_or(0),
        )),
        _ => Err(io::Error::other(format!("reader printed {text:?}"))),
    }
}

fn read_child(root: &Path) -> ExitCode {
    let started = Instant::now();
    if std::env::var_os("TWIN_BENCH_PARSE_ONLY").is_some() {
        let mut n = 0u64;
        let path = root.join(TRACE_FILE);
        twin::history::trace::read_events(&path, |e| n += u64::from(e.n)).unwrap();
        println!("{} {n} {}", started.elapsed().as_secs_f64(), peak_kib());
        return ExitCode::SUCCESS;
    }
    let trace = match Trace::read(root) {
        Ok(trace) => trace,
        Err(e) => {
            eprintln!("read: {e}");
            return ExitCode::FAILURE;
        }
    };
    let elapsed: Duration = started.elapsed();
    let open = trace.state().open().count();
    std::hint::black_box(open);
    println!(
        "{} {} {}",
        elapsed.as_secs_f64(),
        trace.state().events,
        peak_kib()
    );
    ExitCode::SUCCESS
}

/// Peak resident memory of this process in KiB (`VmHWM`); 0 where /proc is missing.
fn peak_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
