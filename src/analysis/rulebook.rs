//! Loading a vault's rulebook: `.twin/config.toml` and `.obsidian/app.json`, then the query
//! rules of the packs it extends and of `.twin/queries/`.

use std::path::Path;

use crate::config::{Config, ConfigError, RuleCatalog, RuleFileCodes, RuleLevel, load_config};
use crate::query_rules::{QuerySet, load_rules, pack, pack_names};
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
    let mut config = load_config(root, &mut catalog)?;
    turn_on_pack_rules(&mut config);
    Ok((Rulebook::new(config, queries), rule_errors))
}

/// Gives the built-in rules the extended packs turn on their pack's level, unless `[rules]`
/// already names them: the vault's own configuration has the last word.
fn turn_on_pack_rules(config: &mut Config) {
    for name in &config.extends {
        let Some(pack) = pack(name) else { continue };
        for (code, severity) in pack.builtin {
            if !config.rules.contains_key(*code) {
                config
                    .rules
                    .insert((*code).to_owned(), RuleLevel::On(*severity));
                config.pack_rules.insert((*code).to_owned(), name.clone());
            }
        }
    }
}
