//! Runs only the vault-wide rules (`alias-conflict`, `file-unreadable`) without
//! checking every note: the core offers `check_vault` for all rules at once only.
//!
//! Those rules read nothing but aliases, note names and skipped files, so running
//! `check_vault` over a skeleton vault of the notes that have or match an alias gives
//! exactly their findings. The core should offer `check_vault_rules` instead.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::Config;
use crate::note::{Frontmatter, Note};
use crate::resolve::{build_link_graph, normalize_key};
use crate::rules::{Check, Diagnostic, RULES, check_vault};
use crate::text::LineIndex;
use crate::vault::Vault;

/// The findings of the vault-wide rules, sorted as `check_vault` sorts them.
pub fn vault_findings(vault: &Vault, config: &Config) -> Vec<Diagnostic> {
    let aliases: HashSet<String> = vault
        .notes
        .iter()
        .flat_map(|n| {
            n.aliases()
                .iter()
                .map(|a| normalize_key(a.name.trim()).into_owned())
        })
        .collect();
    let notes: Vec<Arc<Note>> = vault
        .notes
        .iter()
        .filter(|n| {
            !n.aliases().is_empty()
                || (!aliases.is_empty() && aliases.contains(&normalize_key(n.name()).into_owned()))
        })
        .map(|n| Arc::new(skeleton(n)))
        .collect();
    let sub = Vault::from_parts(vault.root.clone(), notes, Vec::new(), vault.skipped.clone());
    let graph = build_link_graph(&sub);
    let vault_codes: HashSet<&str> = RULES
        .iter()
        .filter(|r| matches!(r.check, Check::Vault(_)))
        .map(|r| r.code)
        .collect();
    check_vault(&sub, &graph, config)
        .into_iter()
        .filter(|d| vault_codes.contains(d.code))
        .collect()
}

/// A note with its path and aliases only.
fn skeleton(note: &Note) -> Note {
    Note {
        path: note.path.clone(),
        text: Arc::from(""),
        line_index: LineIndex::default(),
        frontmatter: note.frontmatter.as_ref().map(|fm| Frontmatter {
            aliases: fm.aliases.clone(),
            ..Frontmatter::default()
        }),
        headings: Vec::new(),
        block_ids: Vec::new(),
        links: Vec::new(),
        tags: Vec::new(),
        footnote_refs: Vec::new(),
        footnote_defs: Vec::new(),
        problems: Vec::new(),
        comments: Vec::new(),
        callouts: Vec::new(),
    }
}
