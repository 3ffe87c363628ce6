//! `relation-conflict`: a note declares another both upstream and downstream, or two notes
//! each declare the other upstream (or each downstream).

use super::{Check, Emitter, NoteContext, Related, Rule, Severity, edge_span, quote};
use crate::config::Relation;

pub const RULE: Rule = Rule {
    code: "relation-conflict",
    default_severity: Severity::Warning,
    summary: "A note declares another both upstream and downstream, or two notes each declare the other upstream.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let topology = &cx.coherence.topology;
    let edges = topology.typed(cx.id);
    for (k, edge) in edges.iter().enumerate() {
        if edge.to == cx.id || edge.relation == Relation::Related {
            continue;
        }
        let earlier = &edges[..k];
        if earlier
            .iter()
            .any(|e| e.to == edge.to && e.relation == edge.relation)
        {
            continue;
        }
        let that = quote(cx.vault.note(edge.to).name());
        // Both directions in this note: reported on the later one.
        if let Some(first) = earlier
            .iter()
            .find(|e| e.to == edge.to && e.relation == edge.relation.inverse())
        {
            let message = format!(
                "this note lists {that} as both {} and {}",
                first.relation.as_str(),
                edge.relation.as_str()
            );
            out.emit(&cx.note.path, cx.edge_span(edge), message)
                .related
                .push(cx.related(
                    cx.edge_span(first),
                    format!("{that} listed as {} here", first.relation.as_str()),
                ));
        }
        // The same direction claimed from both sides.
        if let Some(theirs) = topology.declaration(edge.to, cx.id, edge.relation) {
            let other = cx.vault.note(edge.to);
            let this = quote(cx.note.name());
            let rel = edge.relation.as_str();
            let message = format!(
                "{this} lists {that} as {rel}, and {that} lists {this} as {rel} too; one of them must be {}",
                edge.relation.inverse().as_str()
            );
            out.emit(&cx.note.path, cx.edge_span(edge), message)
                .related
                .push(Related {
                    path: other.path.clone(),
                    span: edge_span(other, theirs),
                    message: format!("{that} lists {this} as {rel} here"),
                });
        }
    }
}
