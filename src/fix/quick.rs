//! An editor's quick fixes in a range of one note: for broken links and headings,
//! footnote mistakes and one-sided relations, each with the finding code it answers.

use super::FixContext;
use super::edit::Fix;
use super::footnote::{add_footnote_definition, remove_footnote_definition};
use super::link::link_fixes;
use super::relation::answer_fix;
use crate::rules::is_one_sided;
use crate::text::Span;
use crate::vault::NoteId;

/// A fix offered at `span` for a finding of rule `code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuickFix {
    pub span: Span,
    pub code: &'static str,
    pub fix: Fix,
}

/// The quick fixes of note `id` whose finding touches the byte range `start..=end`.
pub fn quick_fixes(cx: &FixContext<'_>, id: NoteId, start: usize, end: usize) -> Vec<QuickFix> {
    let note = cx.vault.note(id);
    let hits = |span: Span| span.start as usize <= end && start <= span.end as usize;
    let mut found = Vec::new();
    for (j, link) in note.links.iter().enumerate().filter(|(_, l)| hits(l.span)) {
        let code = if cx.graph.resolutions[id.0 as usize][j].target.is_none() {
            "broken-link"
        } else {
            "broken-heading"
        };
        for fix in link_fixes(cx, id, j) {
            found.push(QuickFix {
                span: link.span,
                code,
                fix,
            });
        }
    }
    for (i, r) in note
        .footnote_refs
        .iter()
        .enumerate()
        .filter(|(_, r)| hits(r.span))
    {
        if !note
            .footnote_defs
            .iter()
            .any(|d| !d.malformed && d.label == r.label)
        {
            found.push(QuickFix {
                span: r.span,
                code: "footnote-undefined",
                fix: add_footnote_definition(note, i),
            });
        }
    }
    for (i, d) in note
        .footnote_defs
        .iter()
        .enumerate()
        .filter(|(_, d)| hits(d.span) && !d.malformed)
    {
        if !note.footnote_refs.iter().any(|r| r.label == d.label) {
            found.push(QuickFix {
                span: d.span,
                code: "footnote-unused",
                fix: remove_footnote_definition(note, i),
            });
        }
    }
    for (k, edge) in cx.coherence.topology.typed(id).iter().enumerate() {
        let Some(link) = note.links.get(edge.link as usize) else {
            continue;
        };
        if !hits(link.span) || !is_one_sided(cx.coherence, id, k) {
            continue;
        }
        if let Ok(fix) = answer_fix(cx, edge.to, edge.relation.inverse(), &[id]) {
            found.push(QuickFix {
                span: link.span,
                code: "one-sided-relation",
                fix,
            });
        }
    }
    found
}
