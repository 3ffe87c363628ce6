//! `alias-conflict`: two notes claim one alias, or an alias is another note's name.

use std::collections::HashMap;

use super::{Check, Emitter, Related, Rule, Severity, VaultContext, quote};
use crate::note::{Alias, note_name};
use crate::text::Span;
use crate::vault::NoteId;
use crate::vault::normalize_key;

pub const RULE: Rule = Rule {
    code: "alias-conflict",
    default_severity: Severity::Warning,
    summary: "Two notes claim the same alias, or an alias equals another note's name.",
    check: Check::Vault(check),
};

fn check(cx: &VaultContext<'_>, out: &mut Emitter<'_>) {
    let vault = cx.vault;
    let mut claims: HashMap<String, Vec<(NoteId, &Alias)>> = HashMap::new();
    for id in vault.note_ids() {
        for alias in vault.note(id).aliases() {
            claims
                .entry(normalize_key(&alias.name).into_owned())
                .or_default()
                .push((id, alias));
        }
    }
    if claims.is_empty() {
        return;
    }
    let mut names: HashMap<String, Vec<NoteId>> = HashMap::new();
    for id in vault.note_ids() {
        names
            .entry(normalize_key(note_name(&vault.note(id).path)).into_owned())
            .or_default()
            .push(id);
    }

    for (key, claimants) in &claims {
        for &(id, alias) in claimants {
            let note = vault.note(id);
            let others: Vec<&(NoteId, &Alias)> =
                claimants.iter().filter(|(other, _)| *other != id).collect();
            if !others.is_empty() {
                let other_paths: Vec<String> = others
                    .iter()
                    .map(|(o, _)| quote(&vault.note(*o).path))
                    .collect();
                let message = format!(
                    "alias {} is also claimed by {}",
                    quote(&alias.name),
                    other_paths.join(", ")
                );
                let diagnostic = out.emit(&note.path, alias.span, message);
                for (other, other_alias) in others {
                    diagnostic.related.push(Related {
                        path: vault.note(*other).path.clone(),
                        span: other_alias.span,
                        message: "the same alias".to_string(),
                    });
                }
            }
            let named: Vec<NoteId> = names
                .get(key)
                .map(|ids| ids.iter().copied().filter(|n| *n != id).collect())
                .unwrap_or_default();
            if let Some(&first) = named.first() {
                let owner = vault.note(first);
                let message = format!(
                    "alias {} is the name of {}; [[{}]] links there, not here",
                    quote(&alias.name),
                    quote(&owner.path),
                    alias.name
                );
                out.emit(&note.path, alias.span, message)
                    .related
                    .push(Related {
                        path: owner.path.clone(),
                        span: Span::empty(0),
                        message: "the note with this name".to_string(),
                    });
            }
        }
    }
}
