//! `twin rules`: every rule in effect with its level and where it comes from (built-in,
//! a pack, a vault's rule file); `--explain CODE` prints one rule and what it matches.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::load::fulltext;
use super::{EXIT_ERROR, EXIT_OK};
use crate::config::RuleLevel;
use crate::diagnostic::Diagnostic;
use crate::query::{QueryContext, matched_notes};
use crate::rules::{RULES, Rulebook, check_vault_with, docs_url};

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// The vault's root folder (its `.twin/config.toml` and `.twin/queries/`).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Print one rule and how many notes it selects and flags.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

pub fn run(args: &RulesArgs) -> u8 {
    let result = match &args.explain {
        None => super::load::open_rulebook(&args.path).map(|rules| list(&args.path, &rules)),
        Some(code) => explain(args, code),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(code) => code,
    }
}

fn level_text(level: Option<RuleLevel>, default: &str, on_by_default: bool) -> String {
    match level {
        Some(RuleLevel::Off) => format!("off ({default})"),
        Some(RuleLevel::On(severity)) => severity.as_str().to_owned(),
        None if on_by_default => default.to_owned(),
        // Rules that are off unless configured show the level they get when turned on.
        None => format!("off ({default})"),
    }
}

fn list(root: &std::path::Path, rulebook: &Rulebook) {
    let config = &rulebook.config;
    let mut out = std::io::stdout().lock();
    let mut write = |code: &str, level: String, source: String, summary: &str| {
        let _ = writeln!(out, "{code:<28} {level:<14} {source:<32} {summary}");
    };
    for rule in RULES {
        let level = level_text(
            config.rules.get(rule.code).copied(),
            rule.default_severity.as_str(),
            rule.enabled_by_default(),
        );
        write(rule.code, level, "built-in".to_owned(), rule.summary);
    }
    for rule in &rulebook.queries.rules {
        let level = level_text(
            Some(config.rules.get(rule.code).copied().unwrap_or(rule.level)),
            rule.default_severity().as_str(),
            true,
        );
        let source = match &rule.source {
            crate::query::RuleSource::Pack(name) => format!("pack {name}"),
            crate::query::RuleSource::File(path) => {
                let shown = path.strip_prefix(root).unwrap_or(path);
                format!("{}:{}", shown.display(), rule.line)
            }
        };
        write(rule.code, level, source, &rule.message);
    }
}

fn explain(args: &RulesArgs, code: &str) -> Result<(), u8> {
    let loaded = super::load::open(&args.path)?;
    let rulebook = &loaded.rulebook;
    let config = &rulebook.config;
    let mut out = std::io::stdout().lock();
    if let Some(rule) = RULES.iter().find(|r| r.code == code) {
        let level = level_text(
            config.rules.get(code).copied(),
            rule.default_severity.as_str(),
            rule.enabled_by_default(),
        );
        let _ = writeln!(
            out,
            "{code} ({level}, built-in)\n{}\n{}",
            rule.summary,
            docs_url(code)
        );
        return Ok(());
    }
    let Some(rule) = rulebook.queries.rule(code) else {
        eprintln!("error: no rule `{code}`; `twin rules` lists them");
        return Err(EXIT_ERROR);
    };
    let severity = rule.severity(config);
    let with_severity = [(rule, severity.unwrap_or(rule.default_severity()))];
    let fulltext = fulltext(&loaded.vault, &with_severity);
    let cx = QueryContext::new(
        &loaded.vault,
        &loaded.graph,
        &loaded.coherence,
        config,
        &fulltext,
    );
    let matched = matched_notes(&cx, &rule.select).len();
    // Findings come from the same engine as `twin check`, with only this rule on.
    let mut only: Rulebook = (**rulebook).clone();
    for other in RULES {
        only.config
            .rules
            .insert(other.code.to_owned(), RuleLevel::Off);
    }
    for other in &rulebook.queries.rules {
        if other.code != code {
            only.config
                .rules
                .insert(other.code.to_owned(), RuleLevel::Off);
        }
    }
    only.config
        .rules
        .insert(code.to_owned(), RuleLevel::On(with_severity[0].1));
    let findings: Vec<Diagnostic> = check_vault_with(
        &loaded.vault,
        &loaded.graph,
        &loaded.coherence,
        &only,
        Some(&fulltext),
    );
    let flagged = {
        let mut paths: Vec<&str> = findings.iter().map(|d| &*d.path).collect();
        paths.dedup();
        paths.len()
    };
    let level = match severity {
        Some(severity) => severity.as_str().to_owned(),
        None => format!("off ({})", rule.default_severity().as_str()),
    };
    let _ = writeln!(
        out,
        "{code} ({level}, {}:{})",
        rule.source.describe(),
        rule.line
    );
    let _ = writeln!(out, "\n{}\n", rule.text);
    let _ = writeln!(
        out,
        "selects {matched} of {} notes; {} finding(s) in {flagged} note(s)",
        loaded.vault.notes.len(),
        findings.len()
    );
    Ok(())
}
