//! `twin rules`: every rule in effect with its level and where it comes from (built-in,
//! a pack, a vault's rule file); `--explain CODE` prints one rule (a built-in rule's page
//! from `docs/rules/`, a query rule as written) and what it finds in the vault.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::load::fulltext;
use super::{EXIT_ERROR, EXIT_OK};
use crate::config::RuleLevel;
use crate::diagnostic::{Diagnostic, Severity};
use crate::query_rules::{QueryContext, matched_notes};
use crate::rules::{RULES, Rule, Rulebook, check_vault_with, docs_url};

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// The vault's root folder (its `.twin/config.toml` and `.twin/queries/`).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Print one rule (what it checks, examples, options) and what it finds in the vault.
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
        write(
            rule.code,
            level,
            builtin_source(root, config, rule.code),
            rule.summary,
        );
    }
    for rule in &rulebook.queries.rules {
        let level = level_text(
            Some(config.rules.get(rule.code).copied().unwrap_or(rule.level)),
            rule.default_severity().as_str(),
            true,
        );
        let source = match &rule.source {
            crate::query_rules::RuleSource::Pack(name) => format!("pack {name}"),
            crate::query_rules::RuleSource::File(path) => {
                let shown = path.strip_prefix(root).unwrap_or(path);
                format!("{}:{}", shown.display(), rule.line)
            }
        };
        write(rule.code, level, source, &rule.message);
    }
}

/// Where a built-in rule's level comes from: its default, the pack that turned it on, or
/// the configuration file that set it.
fn builtin_source(root: &std::path::Path, config: &crate::config::Config, code: &str) -> String {
    if let Some(pack) = config.pack_rules.get(code) {
        return format!("built-in, on by pack {pack}");
    }
    match (config.rules.contains_key(code), &config.source) {
        (true, Some(file)) => {
            let shown = file.strip_prefix(root).unwrap_or(file);
            format!("built-in, {}", shown.display())
        }
        _ => "built-in".to_owned(),
    }
}

fn explain(args: &RulesArgs, code: &str) -> Result<(), u8> {
    if let Some(rule) = RULES.iter().find(|r| r.code == code) {
        return explain_builtin(&args.path, rule);
    }
    let loaded = super::load::open(&args.path)?;
    let rulebook = &loaded.rulebook;
    let config = &rulebook.config;
    let mut out = std::io::stdout().lock();
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
    let only = only_rule(rulebook, code, with_severity[0].1);
    let findings: Vec<Diagnostic> = check_vault_with(
        &loaded.vault,
        &loaded.graph,
        &loaded.coherence,
        &only,
        Some(&fulltext),
    );
    let flagged = files_flagged(&loaded.vault, &findings).0;
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

/// A built-in rule: its level here, its page, and its findings in this vault (counted with
/// the rule on at its default level when the vault turns it off).
fn explain_builtin(root: &std::path::Path, rule: &Rule) -> Result<(), u8> {
    let rulebook = super::load::open_rulebook(root)?;
    let configured = rulebook.config.rules.get(rule.code).copied();
    let level = level_text(
        configured,
        rule.default_severity.as_str(),
        rule.enabled_by_default(),
    );
    let on = match configured {
        Some(RuleLevel::On(severity)) => Some(severity),
        Some(RuleLevel::Off) => None,
        None => rule.enabled_by_default().then_some(rule.default_severity),
    };
    // The analysis is made for this rule alone, so a drift rule the vault turns off is
    // measured all the same.
    let only = only_rule(&rulebook, rule.code, on.unwrap_or(rule.default_severity));
    let analysis = super::load::open_analysis(root, only, &mut |_| {})?;
    let findings = analysis.check(None);
    let (notes, canvases) = files_flagged(&analysis.vault, &findings);
    let mut counted = format!(
        "{} finding(s) in {notes} of {} note(s)",
        findings.len(),
        analysis.vault.notes.len()
    );
    if canvases > 0 {
        counted.push_str(&format!(" and {canvases} canvas(es)"));
    }
    let page = crate::rules::page(rule.code).unwrap_or(rule.summary);
    let mut out = std::io::stdout().lock();
    let source = builtin_source(root, &rulebook.config, rule.code);
    let _ = writeln!(out, "{} ({level}, {source})\n", rule.code);
    let _ = writeln!(out, "{}", page.trim_end());
    let _ = writeln!(out);
    let _ = match on {
        Some(_) => writeln!(out, "In this vault: {counted}."),
        None => writeln!(
            out,
            "In this vault it is off; turned on, it would report {counted}."
        ),
    };
    if let Some(url) = docs_url(rule.code) {
        let _ = writeln!(out, "Online: {url}");
    }
    Ok(())
}

/// The rulebook with every rule off but `code`, on at `severity`: findings then come from
/// the same engine as `twin check`, for this rule alone.
fn only_rule(rulebook: &Rulebook, code: &str, severity: Severity) -> Rulebook {
    let mut only = rulebook.clone();
    for other in RULES {
        only.config
            .rules
            .insert(other.code.to_owned(), RuleLevel::Off);
    }
    for other in &rulebook.queries.rules {
        only.config
            .rules
            .insert(other.code.to_owned(), RuleLevel::Off);
    }
    only.config
        .rules
        .insert(code.to_owned(), RuleLevel::On(severity));
    only
}

/// How many notes the findings are in (they come sorted by path).
/// How many notes, and how many canvases, hold findings.
fn files_flagged(vault: &crate::vault::Vault, findings: &[Diagnostic]) -> (usize, usize) {
    let mut paths: Vec<&str> = findings.iter().map(|d| &*d.path).collect();
    paths.dedup();
    let canvases = paths.iter().filter(|p| vault.canvas(p).is_some()).count();
    (paths.len() - canvases, canvases)
}
