//! Applies file changes to a vault model. Placeholder: rebuilds the vault from its parts.

use std::sync::Arc;

use super::model::{Change, Effect, Model};
use crate::resolve::build_link_graph;
use crate::vault::Vault;

pub fn apply(model: &mut Model, changes: Vec<Change>) -> Effect {
    let mut effect = Effect::default();
    let vault = &model.vault;
    let mut notes = vault.notes.clone();
    let mut attachments = vault.attachments.clone();
    let mut skipped = vault.skipped.clone();
    for change in changes {
        match change {
            Change::Upsert(note) => {
                skipped.retain(|s| s.path != note.path);
                notes.retain(|n| n.path != note.path);
                effect.recheck.insert(note.path.clone());
                notes.push(note);
            }
            Change::Remove(path) => {
                notes.retain(|n| n.path != path);
                effect.removed.insert(path);
            }
            Change::AddAttachment(path) => {
                attachments.retain(|a| *a != path);
                attachments.push(path);
            }
            Change::RemoveAttachment(path) => attachments.retain(|a| *a != path),
            Change::Skip(file) => {
                notes.retain(|n| n.path != file.path);
                skipped.retain(|s| s.path != file.path);
                effect.removed.insert(file.path.clone());
                skipped.push(file);
            }
        }
    }
    effect.vault_rules = true;
    let vault = Vault::from_parts(vault.root.clone(), notes, attachments, skipped);
    effect
        .recheck
        .extend(vault.notes.iter().map(|n| Arc::clone(&n.path)));
    model.graph = build_link_graph(&vault);
    model.vault = vault;
    effect
}
