//! `self-relation`: a note lists itself in a link section or relation property.

use super::{Check, Emitter, NoteContext, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "self-relation",
    default_severity: Severity::Warning,
    summary: "A note lists itself as its own upstream, downstream or related idea.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for edge in cx.coherence.topology.typed(cx.id) {
        if edge.to == cx.id {
            let message = format!(
                "the note lists itself as {}; a relation needs another note",
                edge.relation.as_str()
            );
            out.emit(&cx.note.path, cx.edge_span(edge), message);
        }
    }
}
