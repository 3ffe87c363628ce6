//! `twin check`: load a vault, run the rules, print a report, exit by the worst finding.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::progress::DelayedSpinner;
use super::report::{self, Report};
use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::analysis::{Analysis, Checked, ReusedRun};
use crate::coherence::vault_coherence;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{FixContext, KnownMoves, group_broken_links};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The least severe finding that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print broken links grouped by their missing target (human or JSON) instead of
    /// every finding.
    #[arg(long, value_enum)]
    pub group_by: Option<GroupBy>,
    /// With `--format markdown`: the prefix of links to notes, e.g.
    /// `https://github.com/OWNER/REPO/blob/SHA/VAULT/` (default: relative to the vault).
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
    /// Run only these rules (codes, comma-separated or repeated), even rules that are off
    /// by default or in `.twin/config.toml`.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (codes, comma-separated or repeated).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print every finding; human output otherwise shows the first findings of each rule
    /// and counts the rest.
    #[arg(long)]
    pub show_all: bool,
    /// Print only the number of findings per rule.
    #[arg(long)]
    pub statistics: bool,
    /// Where twin keeps its caches (default: $TWIN_CACHE_DIR, else the user cache folder).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Parse and analyze every note afresh, and neither read nor write the check cache.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub history: super::history::CheckHistoryArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// The target a broken link misses.
    Target,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// A Markdown summary for `$GITHUB_STEP_SUMMARY` and pull-request comments.
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

pub fn run(args: &CheckArgs) -> u8 {
    let started = Instant::now();
    if args.group_by.is_some()
        && matches!(
            args.format,
            Format::Sarif | Format::Github | Format::Markdown
        )
    {
        eprintln!("error: --group-by prints human or JSON output only");
        return EXIT_ERROR;
    }
    if args.statistics && (args.format != Format::Human || args.group_by.is_some()) {
        eprintln!("error: --statistics prints human output only, without --group-by");
        return EXIT_ERROR;
    }
    let picked = !args.select.is_empty() || !args.ignore.is_empty();
    if picked && (args.history.record || args.history.write_baseline.is_some()) {
        // A partial run would record every other rule's findings as resolved.
        eprintln!(
            "error: --select and --ignore run part of the rules; --record and --write-baseline need them all"
        );
        return EXIT_ERROR;
    }
    let mut timings = super::timings::Timings::start();
    let mut rulebook = match super::load::open_rulebook(&args.path) {
        Ok(rulebook) => rulebook,
        Err(code) => return code,
    };
    if let Err(message) = super::pick::apply(&mut rulebook, &args.select, &args.ignore) {
        eprintln!("error: {message}");
        return EXIT_ERROR;
    }
    let spinner = DelayedSpinner::start("checking the vault");
    let cache = super::load::cache_setting(args.cache_dir.as_deref(), args.no_cache);
    // Recording and grouping need the whole model; every other output is made from the
    // findings, so the last run's serve when nothing they depend on changed.
    let reuse = !args.history.record && args.group_by.is_none();
    let checked =
        match super::load::open_for_check(&args.path, rulebook, &cache, reuse, &mut |stage| {
            timings.phase(stage.name())
        }) {
            Ok(checked) => checked,
            Err(code) => return code,
        };
    let (analysis, diagnostics, vectors, score) = match checked {
        Checked::Reused(run) => {
            let ReusedRun {
                analysis,
                findings,
                score,
                vectors,
            } = *run;
            (analysis, findings, vectors, score)
        }
        Checked::Loaded(analysis, save) => {
            let fulltext =
                super::load::fulltext(&analysis.vault, &analysis.rulebook.active_queries());
            timings.phase("full-text selectors");
            let diagnostics = analysis.check(Some(&fulltext));
            timings.phase("rules");
            let (vectors, score) = vault_coherence(
                &analysis.vault,
                &analysis.graph,
                &analysis.coherence,
                &diagnostics,
            );
            if let Err(warning) = save.save(&analysis, &diagnostics, score, &vectors) {
                eprintln!("warning: {warning}");
            }
            (*analysis, diagnostics, vectors, score)
        }
    };
    drop(spinner);

    let Analysis {
        vault, rulebook, ..
    } = &analysis;
    let outcome = match super::history::after_check(&args.history, &analysis, diagnostics) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let diagnostics = outcome.diagnostics;
    timings.phase("score+trace");
    if args.group_by.is_some() {
        return write_groups(args, &analysis, &diagnostics);
    }
    let queries = rulebook.queries.rules.iter().collect();
    let report = Report::new(vault, &diagnostics, started.elapsed())
        .with_coherence(score, vectors)
        .with_queries(queries);
    let stdout = std::io::stdout();
    // Stdout flushes at every newline; a 10k-note JSON report is 140,000 lines.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match args.format {
        Format::Json => report::json::write(&mut out, &report),
        Format::Sarif => report::sarif::write(&mut out, &report),
        Format::Github => report::github::write(&mut out, &report),
        Format::Markdown => super::history::write_markdown(
            &mut out,
            &report,
            args.link_base.as_deref(),
            outcome.baseline.as_ref(),
        ),
        Format::Human if args.statistics => report::human::write_statistics(&mut out, &report),
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let per_rule = (!args.show_all).then_some(report::human::SHOWN_PER_RULE);
            report::human::write(&mut out, &report, color, per_rule)
        }
    };
    let written = written.and_then(|()| out.flush());
    timings.phase("report");
    if let Some(code) = report_failed(written) {
        return code;
    }
    let code = if fails(args, &diagnostics) && !outcome.wrote_baseline {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends here: freeing every note, link and term vector one by one takes
    // about a tenth of a 10k-note run, and the OS reclaims it all at once anyway.
    drop(out);
    std::mem::forget(report);
    std::mem::forget((diagnostics, analysis));
    code
}

/// The exit code when the report could not be written; a closed pipe (`twin check | head`)
/// is not worth a message.
fn report_failed(written: std::io::Result<()>) -> Option<u8> {
    let err = written.err()?;
    if err.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("error: cannot write the report: {err}");
    }
    Some(EXIT_ERROR)
}

/// Whether a finding reaches `--fail-on`.
fn fails(args: &CheckArgs, diagnostics: &[Diagnostic]) -> bool {
    args.fail_on
        .threshold()
        .is_some_and(|at_least| diagnostics.iter().any(|d| d.severity.reaches(at_least)))
}

/// `--group-by target`: broken links by missing target; the exit code as for the report.
fn write_groups(args: &CheckArgs, analysis: &Analysis, diagnostics: &[Diagnostic]) -> u8 {
    let vault = &analysis.vault;
    let (renames, warnings) = KnownMoves::for_vault(vault);
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let cx = FixContext::from_analysis(analysis).with_moves(&renames);
    let groups = group_broken_links(&cx, diagnostics);
    let stdout = std::io::stdout();
    // Stdout flushes at every newline; a 10k-note JSON report is 140,000 lines.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match args.format {
        Format::Json => report::groups::write_json(&mut out, vault, &groups),
        _ => report::groups::write_human(&mut out, &groups),
    };
    if let Some(code) = report_failed(written.and_then(|()| out.flush())) {
        return code;
    }
    if fails(args, diagnostics) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
