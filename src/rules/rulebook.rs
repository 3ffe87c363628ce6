//! The rules in effect for one vault: its configuration and the query rules it enables.

use super::{RULES, Severity, active_rules};
use crate::coherence::{DriftNeeds, drift_rules_on};
use crate::config::{Config, RuleLevel};
use crate::query_rules::{QueryRule, QuerySet};

/// Everything a check reads besides the vault: the configuration (levels, relations,
/// history settings) and the query rules of the packs it extends and of `.twin/queries/`.
#[derive(Clone, Debug, Default)]
pub struct Rulebook {
    pub config: Config,
    pub queries: QuerySet,
}

impl Rulebook {
    pub fn new(config: Config, queries: QuerySet) -> Rulebook {
        Rulebook { config, queries }
    }

    /// The query rules in effect, with their severities.
    pub fn active_queries(&self) -> Vec<(&QueryRule, Severity)> {
        self.queries.active(&self.config)
    }

    /// Whether the coherence model needs term vectors: a drift rule is on, or a query
    /// rule in effect compares a body with its identity (`drift-floor`).
    pub fn needs_drift(&self) -> bool {
        drift_rules_on(&self.config) || self.queries.needs_drift(&self.config)
    }

    /// What of the drift model the rules in effect read: term vectors when
    /// [`Rulebook::needs_drift`], echoes for `identity-drift` and relation similarities
    /// for `relation-drift` only when those rules run.
    pub fn drift_needs(&self) -> DriftNeeds {
        if !self.needs_drift() {
            return DriftNeeds::NONE;
        }
        let active = active_rules(&self.config);
        let runs = |code: &str| active.iter().any(|(rule, _)| rule.code == code);
        DriftNeeds {
            terms: true,
            echo: runs("identity-drift"),
            relations: runs("relation-drift"),
        }
    }

    /// A copy in which only the vault-wide rules run, at their configured severities:
    /// every per-note rule, query rules included, is off.
    pub fn vault_wide_only(&self) -> Rulebook {
        let mut config = self.config.clone();
        let per_note = RULES
            .iter()
            .filter(|rule| matches!(rule.check, super::Check::Note(_)))
            .map(|rule| rule.code)
            .chain(self.queries.rules.iter().map(|rule| rule.code));
        for code in per_note {
            config.rules.insert(code.to_string(), RuleLevel::Off);
        }
        Rulebook {
            config,
            queries: self.queries.clone(),
        }
    }
}
