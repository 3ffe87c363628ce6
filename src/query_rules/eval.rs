//! One note against the query rules in effect: select, then require and forbid.

use globset::GlobSet;

use super::QueryRule;
use super::fulltext::FullText;
use super::require::failures;
use super::select::{Selector, folder_globs};
use crate::coherence::{Coherence, HeadingMatcher};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::LinkGraph;
use crate::vault::{NoteId, Vault};

/// What query rules read: the vault, its links, its coherence model, the full-text
/// selectors' matches, and what is built once per check (heading patterns, exclude globs).
pub struct QueryContext<'a> {
    pub vault: &'a Vault,
    pub graph: &'a LinkGraph,
    pub coherence: &'a Coherence,
    pub fulltext: &'a FullText,
    pub matcher: HeadingMatcher,
    /// The configuration's `exclude` globs and Obsidian's ignore filters, for
    /// `forbid.links-into-excluded`.
    pub excluded: Option<GlobSet>,
}

impl<'a> QueryContext<'a> {
    pub fn new(
        vault: &'a Vault,
        graph: &'a LinkGraph,
        coherence: &'a Coherence,
        config: &Config,
        fulltext: &'a FullText,
    ) -> QueryContext<'a> {
        let patterns: Vec<(&str, std::ops::Range<usize>)> = config
            .exclude
            .iter()
            .chain(&config.obsidian_ignore)
            .filter(|p| !p.starts_with('!'))
            .map(|p| (p.as_str(), 0..0))
            .collect();
        let excluded = folder_globs(&patterns, "exclude")
            .ok()
            .and_then(|(set, _)| set);
        QueryContext {
            vault,
            graph,
            coherence,
            fulltext,
            matcher: HeadingMatcher::new(&coherence.config),
            excluded,
        }
    }
}

/// Appends the findings of `rules` on note `id` to `out`.
pub fn check_note_queries(
    cx: &QueryContext<'_>,
    rules: &[(&QueryRule, Severity)],
    id: NoteId,
    out: &mut Vec<Diagnostic>,
) {
    for (rule, severity) in rules {
        if !rule.select.matches(cx, id) {
            continue;
        }
        let note = cx.vault.note(id);
        for failure in failures(cx, id, &rule.require, &rule.forbid) {
            out.push(Diagnostic {
                path: note.path.clone(),
                span: failure.span,
                severity: *severity,
                code: rule.code,
                message: format!("{}: {}", rule.message, failure.detail),
                related: failure.related,
            });
        }
    }
}

/// The notes a selector matches, in path order.
pub fn matched_notes(cx: &QueryContext<'_>, selector: &Selector) -> Vec<NoteId> {
    cx.vault
        .note_ids()
        .filter(|&id| selector.matches(cx, id))
        .collect()
}
