//! `footnote-unused`: a `[^label]:` definition that nothing references.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "footnote-unused",
    default_severity: Severity::Warning,
    summary: "A footnote definition is never referenced in the note.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let refs = &cx.note.footnote_refs;
    for def in cx.note.footnote_defs.iter().filter(|d| !d.malformed) {
        if refs.iter().any(|r| r.label == def.label) {
            continue;
        }
        let message = format!(
            "footnote {} is defined but never referenced",
            quote(&format!("[^{}]", def.label))
        );
        out.emit(&cx.note.path, def.span, message);
    }
}
