//! `footnote-undefined`: a `[^label]` reference with no `[^label]:` definition.

use std::collections::HashSet;

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "footnote-undefined",
    default_severity: Severity::Warning,
    summary: "A footnote reference `[^label]` has no definition in the note.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let defs = &cx.note.footnote_defs;
    let defined: HashSet<&str> = defs
        .iter()
        .filter(|d| !d.malformed)
        .map(|d| d.label.as_str())
        .collect();
    for reference in &cx.note.footnote_refs {
        if defined.contains(reference.label.as_str()) {
            continue;
        }
        let message = format!(
            "footnote {} is not defined",
            quote(&format!("[^{}]", reference.label))
        );
        let diagnostic = out.emit(&cx.note.path, reference.span, message);
        // A malformed definition is most likely the one the writer meant.
        if let Some(def) = defs
            .iter()
            .find(|d| d.malformed && d.label == reference.label)
        {
            diagnostic
                .related
                .push(cx.related(def.span, "a malformed definition of this label is here"));
        }
    }
}
