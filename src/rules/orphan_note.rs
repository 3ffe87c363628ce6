//! `orphan-note`: a note with no links to or from another note.

use super::{Check, Emitter, NoteContext, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "orphan-note",
    default_severity: Severity::Info,
    summary: "A note has no links to or from any other note (in a vault of two notes or more).",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    // Alone in its vault, a note has nothing to link to.
    if cx.vault.notes.len() < 2 {
        return;
    }
    let topology = &cx.coherence.topology;
    if topology.edges(cx.id).links.is_empty() && topology.linked_from(cx.id).is_empty() {
        out.emit(
            &cx.note.path,
            cx.note.identity_span(),
            "no note links here and this note links to no other note",
        );
    }
}
