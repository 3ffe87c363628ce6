//! Broken links grouped by the target they miss, most frequent first, each with the note
//! it most likely meant: what `twin check --group-by target` shows.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::link::candidate;
use super::names::loose_key;
use super::{FixContext, Safety};
use crate::diagnostic::Diagnostic;
use crate::note::VaultPath;
use crate::text::Span;
use crate::vault::NoteId;

/// The broken links to one missing target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetGroup {
    /// The target as most of its links write it.
    pub target: String,
    pub links: usize,
    /// Notes holding at least one of the links.
    pub notes: usize,
    /// The note or file they most likely mean, and whether repointing them is safe.
    pub candidate: Option<(Safety, String)>,
    /// Every link: the note and the target's span, in note and position order.
    pub sources: Vec<(VaultPath, Span)>,
}

/// Groups the `broken-link` findings of `diagnostics` by target (compared loosely: case,
/// spacing, `.md` and encoding aside), most links first, then most notes, then by name.
pub fn group_broken_links(cx: &FixContext<'_>, diagnostics: &[Diagnostic]) -> Vec<TargetGroup> {
    struct Acc {
        spellings: FxHashMap<String, usize>,
        first: (NoteId, usize),
        sources: Vec<(VaultPath, Span)>,
    }
    let mut groups: FxHashMap<String, Acc> = FxHashMap::default();
    for d in diagnostics.iter().filter(|d| d.code == "broken-link") {
        let Some(id) = cx.vault.note_by_path(&d.path) else {
            continue;
        };
        let note = cx.vault.note(id);
        let Some(j) = note.links.iter().position(|l| l.target_span == d.span) else {
            continue;
        };
        let target = note.links[j].target(&note.text).trim();
        let acc = groups.entry(loose_key(target)).or_insert_with(|| Acc {
            spellings: FxHashMap::default(),
            first: (id, j),
            sources: Vec::new(),
        });
        *acc.spellings.entry(target.to_string()).or_default() += 1;
        acc.sources.push((d.path.clone(), d.span));
    }
    cx.names();
    let mut out: Vec<TargetGroup> = groups
        .into_par_iter()
        .map(|(_, mut acc)| {
            acc.sources.sort();
            let mut notes: Vec<&VaultPath> = acc.sources.iter().map(|(p, _)| p).collect();
            notes.dedup();
            let target = acc
                .spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(t, _)| t.clone())
                .unwrap_or_default();
            TargetGroup {
                target,
                links: acc.sources.len(),
                notes: notes.len(),
                candidate: candidate(cx, acc.first.0, acc.first.1),
                sources: acc.sources,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.links
            .cmp(&a.links)
            .then(b.notes.cmp(&a.notes))
            .then_with(|| a.target.cmp(&b.target))
    });
    out
}
