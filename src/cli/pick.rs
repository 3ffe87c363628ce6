//! `twin check --select CODE,… / --ignore CODE,…` (ruff's names): the rules of one run,
//! chosen on the command line without writing a configuration file.

use crate::config::RuleLevel;
use crate::rules::{RULES, Rulebook};

/// Narrows `rulebook` to the selected rules (every rule when `select` is empty) minus the
/// ignored ones. A selected rule runs even when it is off by default or in `[rules]`, at
/// its configured level when it has one, else at its default level. An unknown code is an
/// error naming it.
pub fn apply(rulebook: &mut Rulebook, select: &[String], ignore: &[String]) -> Result<(), String> {
    let builtin = RULES.iter().map(|rule| (rule.code, rule.default_severity));
    let queries = rulebook
        .queries
        .rules
        .iter()
        .map(|rule| (rule.code, rule.default_severity()));
    let known: Vec<_> = builtin.chain(queries).collect();
    for (flag, codes) in [("--select", select), ("--ignore", ignore)] {
        if let Some(unknown) = codes
            .iter()
            .find(|code| !known.iter().any(|(known, _)| known == code))
        {
            return Err(format!(
                "unknown rule `{unknown}` in {flag}; `twin rules` lists them"
            ));
        }
    }
    let rules = &mut rulebook.config.rules;
    for (code, default) in known {
        let ignored = ignore.iter().any(|c| c == code);
        let selected = select.iter().any(|c| c == code);
        if ignored || (!select.is_empty() && !selected) {
            rules.insert(code.to_owned(), RuleLevel::Off);
        } else if selected && !runs(rules.get(code).copied(), code, &rulebook.queries) {
            // Selecting a rule turns it on; a level set in `[rules]` is kept.
            rules.insert(code.to_owned(), RuleLevel::On(default));
        }
    }
    Ok(())
}

/// Whether a rule runs at `configured` (its `[rules]` level, if any).
fn runs(configured: Option<RuleLevel>, code: &str, queries: &crate::query_rules::QuerySet) -> bool {
    match configured {
        Some(level) => level != RuleLevel::Off,
        None => match crate::rules::rule(code) {
            Some(rule) => rule.enabled_by_default(),
            None => queries
                .rule(code)
                .is_some_and(|rule| rule.level != RuleLevel::Off),
        },
    }
}
