//! `twin history` (the trace's events, trend, compaction, re-anchoring, `--from-git`) and
//! the history steps of `twin check` (`--record`, ages in messages, baselines).

mod from_git;
mod render;
mod stress;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use clap::{Args, ValueEnum};

use super::{EXIT_ERROR, EXIT_OK};
use crate::analysis::{Analysis, load_rulebook};
use crate::diagnostic::{Diagnostic, Severity};
use crate::history::{self, Baseline, DEFAULT_KEEP_DAYS, EventFilter, Fp, Timestamp, fingerprints};

pub use stress::{TraceWriterArgs, run_trace_writer};

/// Tests set this to an RFC 3339 time to script the clock of `check --record` and
/// `history`.
const NOW_VAR: &str = "TWIN_NOW";

/// The current time, or `TWIN_NOW` when set.
pub fn now() -> Result<SystemTime, String> {
    match std::env::var(NOW_VAR) {
        Ok(text) => Timestamp::parse(&text)
            .map(Timestamp::to_system)
            .ok_or_else(|| format!("{NOW_VAR}={text} is not an RFC 3339 time")),
        Err(_) => Ok(SystemTime::now()),
    }
}

/// The history flags of `twin check`.
#[derive(Args, Debug, Default)]
pub struct CheckHistoryArgs {
    /// Record the findings in `.twin/trace.jsonl` (what opened, resolved or reopened since
    /// the last record); for commit hooks and CI on the main branch.
    #[arg(long)]
    pub record: bool,
    /// Report, and fail on, only findings whose fingerprints are not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding's fingerprint to this baseline file, and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// What the history steps decided for the rest of `twin check`.
pub struct CheckOutcome {
    /// The findings to report and judge the exit code by.
    pub diagnostics: Vec<Diagnostic>,
    /// A baseline was written: exit 0 whatever was found.
    pub wrote_baseline: bool,
    /// With `--baseline`: what changed against it.
    pub baseline: Option<BaselineChange>,
}

/// The findings against a `--baseline` file: the reported findings are the new ones.
#[derive(Debug, Default)]
pub struct BaselineChange {
    /// The baseline file as given.
    pub file: String,
    /// Findings still present that the baseline accepts, per rule code.
    pub known: BTreeMap<String, usize>,
    /// Accepted findings that are gone: (code, path, subject), in the baseline's order.
    pub fixed: Vec<(String, String, String)>,
    /// The severity of each rule of `known` and `fixed`: that of its findings still
    /// present, or else the level the rulebook gives it (the rule may be off now).
    pub severities: BTreeMap<String, Severity>,
}

/// The severity a rule's findings get in this analysis: its configured level, else its
/// default (a rule that is off keeps the level it has when on).
fn rule_severity(analysis: &Analysis, code: &str) -> Option<Severity> {
    let config = analysis.config();
    if let Some(rule) = crate::rules::rule(code) {
        return Some(match config.rules.get(code) {
            Some(crate::config::RuleLevel::On(severity)) => *severity,
            _ => rule.default_severity,
        });
    }
    let rule = analysis.rulebook.queries.rule(code)?;
    Some(rule.severity(config).unwrap_or(rule.default_severity()))
}

/// Records, annotates and filters `twin check`'s findings. Messages go to stderr; an
/// `Err` is a fatal error message (exit 2).
pub fn after_check(
    args: &CheckHistoryArgs,
    analysis: &Analysis,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<CheckOutcome, String> {
    let vault = &analysis.vault;
    let config = analysis.config();
    let root = vault.root.as_path();
    let now = now()?;
    let findings = fingerprints(&diagnostics, vault);
    if args.record {
        let summary = analysis
            .record(&diagnostics, None, now)
            .map_err(|e| format!("cannot record the history in {}: {e}", history::TRACE_FILE))?;
        eprintln!("{}", render::record_summary(&summary));
    }
    let annotated = history::with_trace(root, |trace| {
        if trace.skipped > 0 {
            eprintln!(
                "warning: {} lines of {} are not events and were ignored",
                trace.skipped,
                history::TRACE_FILE
            );
        }
        trace.exists().then(|| {
            history::annotate(
                &mut diagnostics,
                &findings,
                trace.state(),
                Timestamp::from_system(now),
                config.history.escalate_after_days,
            )
        })
    });
    if let Err(e) = annotated {
        eprintln!("warning: cannot read {}: {e}", history::TRACE_FILE);
    }
    if let Some(file) = &args.write_baseline {
        let text = Baseline::from_findings(&findings).to_json();
        std::fs::write(file, text)
            .map_err(|e| format!("cannot write the baseline {}: {e}", file.display()))?;
        eprintln!(
            "wrote {} findings to the baseline {}",
            findings.len(),
            file.display()
        );
    }
    let mut change = None;
    if let Some(file) = &args.baseline {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read the baseline {}: {e}", file.display()))?;
        let baseline = Baseline::parse(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let before = diagnostics.len();
        let mut known = BTreeMap::new();
        let mut severities: BTreeMap<String, Severity> = BTreeMap::new();
        diagnostics = diagnostics
            .into_iter()
            .zip(&findings)
            .filter(|(d, f)| {
                let accepted = baseline.contains(f.fp);
                if accepted {
                    *known.entry(f.code.clone()).or_insert(0) += 1;
                    let severity = severities.entry(f.code.clone()).or_insert(d.severity);
                    *severity = (*severity).min(d.severity);
                }
                !accepted
            })
            .map(|(d, _)| d)
            .collect();
        let count = before - diagnostics.len();
        if count > 0 {
            eprintln!("{count} findings are in the baseline and not reported");
        }
        let present: rustc_hash::FxHashSet<Fp> = findings.iter().map(|f| f.fp).collect();
        let fixed = baseline
            .entries()
            .iter()
            .filter(|e| Fp::parse(&e.fp).is_none_or(|fp| !present.contains(&fp)))
            .map(|e| (e.code.clone(), e.path.clone(), e.subject.clone()))
            .collect::<Vec<_>>();
        for (code, _, _) in &fixed {
            if !severities.contains_key(code)
                && let Some(severity) = rule_severity(analysis, code)
            {
                severities.insert(code.clone(), severity);
            }
        }
        change = Some(BaselineChange {
            file: file.display().to_string(),
            known,
            fixed,
            severities,
        });
    }
    Ok(CheckOutcome {
        diagnostics,
        wrote_baseline: args.write_baseline.is_some(),
        baseline: change,
    })
}

/// Days of history the Markdown summary's trend covers.
const SUMMARY_DAYS: u32 = 30;

/// `twin check --format markdown`: the report with the trace's trend, when there is one.
pub fn write_markdown(
    out: &mut impl std::io::Write,
    report: &super::report::Report<'_>,
    link_base: Option<&str>,
    baseline: Option<&BaselineChange>,
) -> std::io::Result<()> {
    let root = report.vault.root.as_path();
    let trend = match now() {
        Ok(now) if history::trace::trace_path(root).is_file() => {
            history::trend(root, Timestamp::from_system(now), SUMMARY_DAYS).ok()
        }
        _ => None,
    };
    let scores = trend.as_ref().map(|t| t.scored_days()).unwrap_or_default();
    let extras = super::report::markdown::Extras {
        link_base,
        trend: trend.as_ref().filter(|t| t.total.iter().any(|n| *n > 0)),
        scores: &scores,
        baseline,
    };
    super::report::markdown::write(out, report, &extras)
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// `[NOTE] [PATH]`: a note (path or name) and the vault's root folder (default `.`).
    /// A single argument that is a folder is the vault.
    #[arg(value_name = "NOTE|PATH", num_args = 0..=2)]
    pub args: Vec<String>,
    /// Only events at most this old (`30d`, `12h`, `2w`) or since a date (`2025-01-31`).
    #[arg(long)]
    pub since: Option<String>,
    /// Only events of this rule.
    #[arg(long)]
    pub code: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
    /// Open findings per day: a sparkline per rule and a total.
    #[arg(long, conflicts_with_all = ["compact", "reanchor"])]
    pub trend: bool,
    /// Days the trend covers.
    #[arg(long, default_value_t = 90, requires = "trend")]
    pub days: u32,
    /// Rewrite the trace keeping open findings, recent closed ones and one anchor per note.
    #[arg(long, conflicts_with = "reanchor")]
    pub compact: bool,
    /// With `--compact`: days of closed findings to keep.
    #[arg(long, default_value_t = DEFAULT_KEEP_DAYS, requires = "compact")]
    pub keep_days: u32,
    /// Re-anchor NOTE: its current body becomes the reference of `anchor-drift`.
    #[arg(long)]
    pub reanchor: bool,
    /// Rebuild the trace by replaying the check at each commit of the vault's git history
    /// (HEAD's first parents), oldest first, at each commit's time.
    #[arg(long, conflicts_with_all = ["trend", "compact", "reanchor", "since", "code"])]
    pub from_git: bool,
    /// With `--from-git`: replay only the last N commits.
    #[arg(long, value_name = "N", requires = "from_git")]
    pub max_commits: Option<usize>,
    /// With `--from-git`: replace a trace that already has events.
    #[arg(long, requires = "from_git")]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
}

pub fn run(args: &HistoryArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    }
}

/// Splits `[NOTE] [PATH]`.
fn note_and_vault(args: &[String]) -> (Option<String>, PathBuf) {
    match args {
        [] => (None, PathBuf::from(".")),
        [one] if Path::new(one).is_dir() => (None, PathBuf::from(one)),
        [one] => (Some(one.clone()), PathBuf::from(".")),
        [note, path, ..] => (Some(note.clone()), PathBuf::from(path)),
    }
}

/// A note argument relative to the vault: `vault/notes/A.md` typed from the shell works.
fn vault_relative(note: &str, root: &Path) -> String {
    let as_path = Path::new(note);
    if let (Ok(abs), Ok(root)) = (as_path.canonicalize(), root.canonicalize())
        && let Ok(rel) = abs.strip_prefix(&root)
    {
        return rel.to_string_lossy().replace('\\', "/");
    }
    note.replace('\\', "/")
}

fn run_inner(args: &HistoryArgs) -> Result<u8, String> {
    let (note, root) = note_and_vault(&args.args);
    if !root.is_dir() {
        return Err(format!("vault path {} is not a folder", root.display()));
    }
    if args.from_git {
        if note.is_some() {
            return Err("--from-git rebuilds the whole trace; give no NOTE".to_string());
        }
        return from_git::run(&root, args.max_commits, args.force);
    }
    let now = now()?;
    let note = note.map(|n| vault_relative(&n, &root));
    if args.reanchor {
        let note = note.ok_or("--reanchor needs a NOTE")?;
        return reanchor(&root, &note, now);
    }
    if args.compact {
        let summary = history::compact(&root, now, args.keep_days)
            .map_err(|e| format!("cannot compact {}: {e}", history::TRACE_FILE))?;
        println!("{}", render::compact_summary(&summary, args.keep_days));
        return Ok(EXIT_OK);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if args.trend {
        let trend = history::trend(&root, Timestamp::from_system(now), args.days)
            .map_err(|e| format!("cannot read {}: {e}", history::TRACE_FILE))?;
        match args.format {
            HistoryFormat::Table => render::trend_table(&mut out, &trend),
            HistoryFormat::Json => render::trend_json(&mut out, &trend),
        }
    } else {
        let since = match &args.since {
            Some(text) => Some(parse_since(text, Timestamp::from_system(now))?),
            None => None,
        };
        let query = EventFilter {
            note_events: note.is_some(),
            note,
            since,
            code: args.code.clone(),
        };
        let events = history::events(&root, &query)
            .map_err(|e| format!("cannot read {}: {e}", history::TRACE_FILE))?;
        match args.format {
            HistoryFormat::Table => render::events_table(&mut out, &events),
            HistoryFormat::Json => render::events_json(&mut out, &events),
        }
    };
    match written {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}

/// `30d`, `12h`, `2w` before `now`, or a date or RFC 3339 time.
fn parse_since(text: &str, now: Timestamp) -> Result<Timestamp, String> {
    let unit = |suffix: char, secs: i64| {
        text.strip_suffix(suffix)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .map(|n| Timestamp(now.0 - n.saturating_mul(secs)))
    };
    unit('d', 86_400)
        .or_else(|| unit('h', 3600))
        .or_else(|| unit('w', 7 * 86_400))
        .or_else(|| Timestamp::parse(&format!("{text}T00:00:00Z")))
        .or_else(|| Timestamp::parse(text))
        .ok_or_else(|| {
            format!("--since {text}: expected a duration (30d, 12h, 2w) or a date (2025-01-31)")
        })
}

fn reanchor(root: &Path, note: &str, now: SystemTime) -> Result<u8, String> {
    let rulebook = load_rulebook(root).map_err(|e| e.to_string())?;
    let analysis = Analysis::load(root, Arc::new(rulebook)).map_err(|e| e.to_string())?;
    let vault = &analysis.vault;
    let matches: Vec<_> = vault
        .note_ids()
        .filter(|id| history::filter::note_matches(&vault.note(*id).path, note))
        .collect();
    let id = match matches[..] {
        [id] => id,
        [] => return Err(format!("no note {note} in the vault")),
        _ => return Err(format!("{note} names several notes; give its path")),
    };
    let path = vault.note(id).path.clone();
    let anchored = analysis
        .reanchor(id, now)
        .map_err(|e| format!("cannot write {}: {e}", history::TRACE_FILE))?;
    if anchored {
        println!("re-anchored {path}");
        Ok(EXIT_OK)
    } else {
        Err(format!("{path} is too short to anchor"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_durations_and_dates() {
        let now = Timestamp::parse("2025-03-01T00:00:00Z").unwrap();
        assert_eq!(
            parse_since("2d", now).unwrap().to_string(),
            "2025-02-27T00:00:00Z"
        );
        assert_eq!(
            parse_since("1w", now).unwrap().to_string(),
            "2025-02-22T00:00:00Z"
        );
        assert_eq!(
            parse_since("6h", now).unwrap().to_string(),
            "2025-02-28T18:00:00Z"
        );
        assert_eq!(
            parse_since("2025-01-31", now).unwrap().to_string(),
            "2025-01-31T00:00:00Z"
        );
        assert!(parse_since("soon", now).is_err());
        assert!(parse_since("-3d", now).is_err());
    }
}
