//! `footnote-unused`: a `[^label]:` definition that nothing references.

use std::collections::HashSet;

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "footnote-unused",
    default_severity: Severity::Warning,
    summary: "A footnote definition is never referenced in the note.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let referenced: HashSet<&str> = cx
        .note
        .footnote_refs
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    for def in cx.note.footnote_defs.iter().filter(|d| !d.malformed) {
        if referenced.contains(def.label.as_str()) {
            continue;
        }
        let message = format!(
            "footnote {} is defined but never referenced",
            quote(&format!("[^{}]", def.label))
        );
        out.emit(&cx.note.path, def.span, message);
    }
}
