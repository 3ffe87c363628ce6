//! `twin fix`: plan the fixes of a vault's findings, print them as a unified diff, and
//! write them (atomically, file by file) when the user confirms or passes `--yes`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::diff::write_diff;
use super::report::locate_in;
use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::RuleLevel;
use crate::fix::create::load_template;
use crate::fix::{
    ApplyOutcome, FIXABLE, FileChange, FixContext, FixPlan, KnownMoves, PlanOptions, Safety,
    apply_file, plan_fixes,
};
use crate::rules::{RULES, Rulebook};
use crate::text::ColumnEncoding;
use crate::vault::Vault;

#[derive(Args, Debug)]
pub struct FixArgs {
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Fix only findings of this rule (repeatable): broken-link, broken-heading,
    /// one-sided-relation, footnote-unused.
    #[arg(long = "code", value_name = "CODE")]
    pub codes: Vec<String>,
    /// Also apply unsafe fixes: the closest name, removing unused footnotes, creating notes.
    #[arg(long = "unsafe")]
    pub allow_unsafe: bool,
    /// Print the diff and exit 1 when there is anything to fix; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Write the fixes without asking.
    #[arg(long)]
    pub yes: bool,
    /// When to colour the diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &FixArgs) -> u8 {
    if let Some(code) = args.codes.iter().find(|c| !FIXABLE.contains(&c.as_str())) {
        eprintln!(
            "error: `{code}` is not a rule twin fixes (it fixes {})",
            FIXABLE.join(", ")
        );
        return EXIT_ERROR;
    }
    let rulebook = match super::load::open_rulebook(&args.path) {
        Ok(rulebook) => only_fixable_rules(rulebook),
        Err(code) => return code,
    };
    let analysis = match super::load::open_analysis(&args.path, rulebook, &mut |_| {}) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    let diagnostics = analysis.check(None);
    let vault = &analysis.vault;
    let (renames, warnings) = KnownMoves::for_vault(vault);
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let template = load_template(&vault.root).unwrap_or_else(|e| {
        eprintln!("warning: {e}; new notes get a heading");
        None
    });
    let cx = FixContext::from_analysis(&analysis).with_moves(&renames);
    let plan = plan_fixes(
        &cx,
        &diagnostics,
        PlanOptions {
            allow_unsafe: args.allow_unsafe,
            codes: &args.codes,
            template: template.as_deref(),
        },
    );

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let printed = plan
        .files
        .iter()
        .try_for_each(|change| write_diff(&mut out, change, color))
        .and_then(|()| out.flush());
    if let Err(err) = printed
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the diff: {err}");
        return EXIT_ERROR;
    }
    drop(out);
    print_summary(vault, &plan);

    if plan.files.is_empty() {
        return EXIT_OK;
    }
    if args.diff {
        return EXIT_FINDINGS;
    }
    if !args.yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            eprintln!("Not a terminal: nothing written. Pass --yes to apply these fixes.");
            return EXIT_FINDINGS;
        }
        if !confirm(plan.files.len()) {
            eprintln!("Nothing written.");
            return EXIT_FINDINGS;
        }
    }
    apply(&args.path, &plan.files)
}

/// Turns off every rule `twin fix` does not repair: their findings are not needed, and
/// the drift rules' term vectors are the costliest part of a check.
fn only_fixable_rules(mut rulebook: Rulebook) -> Rulebook {
    for rule in RULES {
        if !FIXABLE.contains(&rule.code) {
            let level = RuleLevel::Off;
            rulebook.config.rules.insert(rule.code.to_string(), level);
        }
    }
    rulebook
}

fn confirm(files: usize) -> bool {
    eprint!(
        "Apply these fixes to {files} file{}? [y/N] ",
        if files == 1 { "" } else { "s" }
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES")
}

/// Fixes per rule, then every finding left alone and why, on stderr.
fn print_summary(vault: &Vault, plan: &FixPlan) {
    let mut err = std::io::stderr().lock();
    if plan.fixes.is_empty() {
        let _ = writeln!(err, "Nothing to fix.");
    }
    for (code, n) in plan.counts() {
        let unsafe_n: usize = plan
            .fixes
            .iter()
            .filter(|f| f.code == code && f.safety == Safety::Unsafe)
            .map(|f| f.findings.len())
            .sum();
        let detail = if unsafe_n > 0 {
            format!(" ({unsafe_n} unsafe)")
        } else {
            String::new()
        };
        let _ = writeln!(
            err,
            "{code}: {n} finding{} to fix{detail}",
            if n == 1 { "" } else { "s" }
        );
    }
    if plan.unfixable.is_empty() {
        return;
    }
    let _ = writeln!(err, "Not fixed ({}):", plan.unfixable.len());
    for u in &plan.unfixable {
        let f = &u.finding;
        let place = match vault.note_by_path(&f.path) {
            Some(id) => {
                let at = locate_in(vault.note(id), f.span, ColumnEncoding::Char);
                format!("{}:{}:{}", f.path, at.line, at.column)
            }
            None => f.path.to_string(),
        };
        let _ = writeln!(err, "  {place} {}: {}", f.code, u.reason);
    }
}

/// Writes every planned file; reports the ones left alone.
fn apply(root: &std::path::Path, files: &[FileChange]) -> u8 {
    let (mut written, mut skipped, mut failed) = (0usize, 0usize, 0usize);
    for change in files {
        let path = change.path();
        match apply_file(root, change) {
            ApplyOutcome::Written | ApplyOutcome::Created => written += 1,
            ApplyOutcome::ChangedOnDisk => {
                skipped += 1;
                eprintln!("warning: {path} changed on disk since it was read; skipped");
            }
            ApplyOutcome::Exists => {
                skipped += 1;
                eprintln!("warning: {path} already exists; not created");
            }
            ApplyOutcome::Failed(err) => {
                failed += 1;
                eprintln!("error: cannot write {path}: {err}");
            }
        }
    }
    eprintln!(
        "Wrote {written} file{}{}.",
        if written == 1 { "" } else { "s" },
        if skipped > 0 {
            format!(", skipped {skipped}")
        } else {
            String::new()
        }
    );
    if failed > 0 {
        EXIT_ERROR
    } else if skipped > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
