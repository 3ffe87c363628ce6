//! Runs only the vault-wide rules (`alias-conflict`, `file-unreadable`,
//! `relation-cycle`, ...): the core offers `check_vault` for all rules at once only.
//!
//! With every per-note rule turned off in a copy of the configuration, `check_vault`
//! runs exactly the vault-wide ones, at their configured severities. The core should
//! offer `check_vault_rules` instead.

use crate::config::{Config, RuleLevel};
use crate::rules::{Check, Diagnostic, RULES, check_vault};

use super::model::Model;

/// The findings of the vault-wide rules, sorted as `check_vault` sorts them.
pub fn vault_findings(model: &Model) -> Vec<Diagnostic> {
    let mut config: Config = (*model.config).clone();
    for rule in RULES {
        if matches!(rule.check, Check::Note(_)) {
            config.rules.insert(rule.code.to_string(), RuleLevel::Off);
        }
    }
    // Query rules are per-note rules too: `check_note` runs them.
    for rule in &model.config.queries.rules {
        config.rules.insert(rule.code.to_string(), RuleLevel::Off);
    }
    check_vault(&model.vault, &model.graph, &model.coherence, &config)
}
