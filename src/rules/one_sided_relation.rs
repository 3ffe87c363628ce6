//! `one-sided-relation`: A declares B upstream (or downstream, or related) and B does not
//! answer: no inverse relation, and, unless reciprocity is `explicit`, no link back.

use super::{Check, Emitter, NoteContext, Related, Rule, Severity, quote};
use crate::coherence::{Coherence, Confirmation, HeadingMatcher, TypedEdge};
use crate::config::Reciprocity;
use crate::config::Relation;
use crate::note::Note;
use crate::text::Span;
use crate::vault::NoteId;

pub const RULE: Rule = Rule {
    code: "one-sided-relation",
    default_severity: Severity::Warning,
    summary: "A note declares a relation the other note does not confirm (no inverse relation or link back).",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let mode = cx.coherence.config.reciprocity;
    let edges = cx.coherence.topology.typed(cx.id);
    for (k, edge) in edges.iter().enumerate() {
        if !is_one_sided(cx.coherence, cx.id, k) {
            continue;
        }
        let other = cx.vault.note(edge.to);
        let inverse = edge.relation.inverse().as_str();
        let (this, that) = (quote(cx.note.name()), quote(other.name()));
        let message = match mode {
            Reciprocity::Explicit => format!(
                "{this} lists {that} as {}, but {that} does not list {this} as {inverse}",
                edge.relation.as_str()
            ),
            _ => format!(
                "{this} lists {that} as {}, but {that} neither lists {this} as {inverse} nor links to it",
                edge.relation.as_str()
            ),
        };
        out.emit(&cx.note.path, cx.edge_span(edge), message)
            .related
            .push(Related {
                path: other.path.clone(),
                span: answer_place(cx, edge.to, other, edge.relation.inverse()),
                message: format!("{that} would answer with a {inverse} link here"),
            });
    }
}

/// Whether typed edge `k` of note `id` is one-sided, as this rule reports it: the other
/// note neither answers nor claims the same direction, and no earlier edge repeats it.
pub fn is_one_sided(coherence: &Coherence, id: NoteId, k: usize) -> bool {
    let topology = &coherence.topology;
    let edges = topology.typed(id);
    let Some(edge) = edges.get(k) else {
        return false;
    };
    if edge.to == id || repeats_earlier(&edges[..k], edge) {
        return false;
    }
    // Both sides claiming the same direction is a relation-conflict, not a missing answer.
    if edge.relation != Relation::Related && topology.declares(edge.to, id, edge.relation) {
        return false;
    }
    topology.confirmation(id, edge, coherence.config.reciprocity) == Confirmation::Missing
}

/// Whether an earlier edge already declares the same target with the same relation.
fn repeats_earlier(earlier: &[TypedEdge], edge: &TypedEdge) -> bool {
    earlier
        .iter()
        .any(|e| e.to == edge.to && e.relation == edge.relation)
}

/// Where the other note would write its answer: its section of that relation, or one of
/// its links of that relation, or its start.
fn answer_place(cx: &NoteContext<'_>, id: NoteId, note: &Note, relation: Relation) -> Span {
    let matcher = HeadingMatcher::new(&cx.coherence.config);
    if let Some(heading) = note
        .headings
        .iter()
        .find(|h| matcher.relation_of(&h.text) == Some(relation))
    {
        return heading.span;
    }
    cx.coherence
        .topology
        .typed(id)
        .iter()
        .find(|e| e.relation == relation)
        .map_or(Span::empty(0), |edge| super::edge_span(note, edge))
}
