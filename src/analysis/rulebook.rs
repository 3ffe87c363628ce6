//! Loading a vault's rulebook: `.twin/config.toml` and `.obsidian/app.json`, then the query
//! rules of the packs it extends and of `.twin/queries/`.

use std::path::Path;

use crate::config::{ConfigError, RuleCatalog, RuleFileCodes, load_config};
use crate::query_rules::{QuerySet, load_rules, pack_names};
use crate::rules::{RULES, Rulebook};

/// Loads the rulebook of the vault at `root`. An error in the configuration or in any rule
/// file is fatal, as `twin check` wants it.
pub fn load_rulebook(root: &Path) -> Result<Rulebook, ConfigError> {
    let (rulebook, mut rule_errors) = load_rulebook_lenient(root)?;
    match rule_errors.is_empty() {
        true => Ok(rulebook),
        false => Err(rule_errors.swap_remove(0)),
    }
}

/// As [`load_rulebook`], but errors in rule files (`.twin/queries/*.toml`) are returned next
/// to a rulebook holding every rule that could be read, so the other rules keep working
/// (the language server reports the errors on the rule files themselves).
pub fn load_rulebook_lenient(root: &Path) -> Result<(Rulebook, Vec<ConfigError>), ConfigError> {
    let builtin: Vec<&str> = RULES.iter().map(|rule| rule.code).collect();
    let packs = pack_names();
    let mut queries = QuerySet::default();
    let mut rule_errors = Vec::new();
    let mut rule_files = |extends: &[String]| {
        (queries, rule_errors) = load_rules(root, extends, &builtin);
        RuleFileCodes {
            codes: queries.rules.iter().map(|rule| rule.code).collect(),
            all_read: rule_errors.is_empty(),
        }
    };
    let mut catalog = RuleCatalog {
        builtin: &builtin,
        packs: &packs,
        rule_files: &mut rule_files,
    };
    let config = load_config(root, &mut catalog)?;
    Ok((Rulebook::new(config, queries), rule_errors))
}
