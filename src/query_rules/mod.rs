//! Vault conventions as queries: rule files that select notes and require or forbid what
//! must hold for them, checked by the same engine as the built-in rules.
//!
//! - `file.rs`: reading rule files (TOML, unknown keys refused with their line) into rules;
//! - `select.rs`: which notes a rule applies to (folders, tags, properties, relations, search);
//! - `require.rs`: what must or must not hold, and where a finding points;
//! - `fulltext.rs`: full-text selectors, each query run once per check against the index;
//! - `single.rs`: one note against a search query without an index (after an edit);
//! - `eval.rs`: one note against the rules in effect;
//! - `packs.rs`: the built-in packs (`queries/*.toml` at the repository root, compiled in).
//!
//! Core code: byte spans and vault paths, no CLI or LSP types, never prints.

mod eval;
mod file;
mod fulltext;
mod packs;
mod require;
mod select;
mod single;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use crate::config::{Config, RuleLevel};
use crate::diagnostic::Severity;

pub use eval::{QueryContext, check_note_queries, matched_notes};
pub use file::{QUERIES_DIR, load_rules, parse_rule_file};
pub use fulltext::FullText;
pub use packs::{PACKS, Pack, pack, pack_names};
pub use require::{Forbids, Requirements};
pub use select::Selector;

/// Where a query rule was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSource {
    /// A built-in pack, by name (`frames`); its file is `queries/<name>.toml` in twin's sources.
    Pack(&'static str),
    /// A file of the vault (absolute path).
    File(PathBuf),
}

impl RuleSource {
    /// How `twin rules` names the source.
    pub fn describe(&self) -> String {
        match self {
            RuleSource::Pack(name) => format!("pack {name} (queries/{name}.toml)"),
            RuleSource::File(path) => path.display().to_string(),
        }
    }
}

/// One `[[rule]]` of a rule file.
#[derive(Clone, Debug)]
pub struct QueryRule {
    pub code: &'static str,
    /// The level the rule file gives (`severity`, default warning).
    pub level: RuleLevel,
    /// What a finding says first; details (the property, the tag) follow it.
    pub message: String,
    pub source: RuleSource,
    /// The 1-based line of the rule's `code`.
    pub line: usize,
    /// The rule as written, for `twin rules --explain`.
    pub text: String,
    pub select: Selector,
    pub require: Requirements,
    pub forbid: Forbids,
}

impl QueryRule {
    /// The rule's severity under `config` (`[rules]` overrides the rule file); `None` when off.
    pub fn severity(&self, config: &Config) -> Option<Severity> {
        match config.rules.get(self.code).copied().unwrap_or(self.level) {
            RuleLevel::Off => None,
            RuleLevel::On(severity) => Some(severity),
        }
    }

    /// The level the rule has before `[rules]`, as `twin rules` shows it.
    pub fn default_severity(&self) -> Severity {
        match self.level {
            RuleLevel::On(severity) => severity,
            RuleLevel::Off => Severity::Warning,
        }
    }
}

/// Every query rule of a vault: packs first (in `extends` order), then the vault's files
/// sorted by name.
#[derive(Clone, Debug, Default)]
pub struct QuerySet {
    pub rules: Vec<QueryRule>,
}

impl QuerySet {
    pub fn rule(&self, code: &str) -> Option<&QueryRule> {
        self.rules.iter().find(|rule| rule.code == code)
    }

    /// The rules in effect under `config`, with their severities.
    pub fn active<'a>(&'a self, config: &Config) -> Vec<(&'a QueryRule, Severity)> {
        self.rules
            .iter()
            .filter_map(|rule| Some((rule, rule.severity(config)?)))
            .collect()
    }

    /// Whether a rule in effect compares a note's body with its identity (`drift-floor`),
    /// which needs the term vectors of the drift rules.
    pub fn needs_drift(&self, config: &Config) -> bool {
        self.active(config)
            .iter()
            .any(|(rule, _)| rule.require.drift_floor.is_some())
    }
}
