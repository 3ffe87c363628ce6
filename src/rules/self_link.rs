//! `self-link`: a note linking to itself without naming a heading or block.

use super::{Check, Emitter, NoteContext, Rule, Severity};
use crate::resolve::LinkTarget;

pub const RULE: Rule = Rule {
    code: "self-link",
    default_severity: Severity::Warning,
    summary: "A note links to itself without an anchor; `[[#Heading]]` within a note is fine.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for (link, resolution) in cx.note.links.iter().zip(cx.resolutions()) {
        if link.target(&cx.note.text).is_empty() || link.anchor.is_some() {
            continue;
        }
        if resolution.target == Some(LinkTarget::Note(cx.id)) {
            out.emit(
                &cx.note.path,
                link.target_span,
                "the note links to itself; link a heading with [[#Heading]] or remove the link",
            );
        }
    }
}
