//! `orphan-note`: a note with no links to or from another note, and on no canvas.

use super::{Check, Emitter, NoteContext, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "orphan-note",
    default_severity: Severity::Info,
    summary: "A note has no links to or from any other note and is on no canvas (in a vault of two notes or more).",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    // Alone in its vault, a note has nothing to link to.
    if cx.vault.notes.len() < 2 {
        return;
    }
    let topology = &cx.coherence.topology;
    // A note a canvas shows has that canvas among its backlinks in Obsidian.
    if topology.edges(cx.id).links.is_empty()
        && topology.linked_from(cx.id).is_empty()
        && !cx.graph.on_canvas(cx.id)
    {
        out.emit(
            &cx.note.path,
            cx.note.identity_span(),
            "no note links here and this note links to no other note",
        );
    }
}
