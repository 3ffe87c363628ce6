//! `unlinked-mention`: prose that names another note without linking to it (off by default).

use rayon::prelude::*;

use super::{Check, Emitter, Related, Rule, Severity, VaultContext, quote};
use crate::search::mentions::{Mention, MentionFinder, link_edit, unlinked_mentions_in};
use crate::vault::NoteId;
use crate::words::Analyzer;

pub const RULE: Rule = Rule {
    code: "unlinked-mention",
    default_severity: Severity::Hint,
    summary: "Prose names another note (its title, file name or an alias) without linking to it.",
    check: Check::Vault(check),
};

fn check(cx: &VaultContext<'_>, out: &mut Emitter<'_>) {
    let vault = cx.vault;
    let finder = MentionFinder::new(vault, vault.note_ids());
    if finder.is_empty() {
        return;
    }
    // Notes are scanned in parallel; findings are emitted in note order afterwards.
    let found: Vec<(Mention, NoteId)> = vault
        .note_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map_init(Analyzer::default, |analyzer, source| {
            let resolutions = &cx.graph.resolutions[source.0 as usize];
            unlinked_mentions_in(vault, resolutions, &finder, source, analyzer)
        })
        .flatten()
        .collect();
    for (mention, target) in found {
        let name = vault.note(target).name();
        let edit = link_edit(vault, target, &mention);
        let message = format!(
            "{} names the note {} without linking it; write {}",
            quote(&mention.text),
            quote(name),
            edit.new_text
        );
        out.emit(&mention.path, mention.span, message)
            .related
            .push(Related::note(
                vault.note(target),
                format!("{} is here", quote(name)),
            ));
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, RuleLevel};
    use crate::diagnostic::Severity;
    use crate::rules::active_rules;

    #[test]
    fn off_unless_configured() {
        let on = |config: &Config| {
            active_rules(config)
                .iter()
                .find(|(rule, _)| rule.code == super::RULE.code)
                .map(|(_, severity)| *severity)
        };
        let mut config = Config::default();
        assert_eq!(on(&config), None);
        // Rules on by default are unaffected.
        assert!(
            active_rules(&config)
                .iter()
                .any(|(r, _)| r.code == "broken-link")
        );
        config.rules.insert(
            super::RULE.code.to_string(),
            RuleLevel::On(Severity::Warning),
        );
        assert_eq!(on(&config), Some(Severity::Warning));
    }
}
