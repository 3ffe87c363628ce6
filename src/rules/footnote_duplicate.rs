//! `footnote-duplicate`: one footnote label defined more than once.
//!
//! Malformed definitions (`[ ^1 ]:`) count too: they show what the writer meant, and the
//! seed note's real defect is exactly such a pair citing two different sources.

use std::collections::HashMap;

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};
use crate::note::FootnoteDef;

pub const RULE: Rule = Rule {
    code: "footnote-duplicate",
    default_severity: Severity::Warning,
    summary: "A footnote label is defined more than once; the message names both sources when they differ.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let mut firsts: HashMap<&str, &FootnoteDef> = HashMap::new();
    for def in &cx.note.footnote_defs {
        let first = *firsts.entry(def.label.as_str()).or_insert(def);
        if std::ptr::eq(first, def) {
            continue;
        }
        let first_line = cx.note.line_index.line_of(first.span.start as usize) + 1;
        let label = quote(&format!("[^{}]", def.label));
        let message = if same_source(first, def) {
            format!("footnote {label} is already defined on line {first_line} with the same source")
        } else {
            format!(
                "footnote {label} is defined twice with different sources: {} (line {first_line}) and {}",
                quote(&first.content),
                quote(&def.content)
            )
        };
        out.emit(&cx.note.path, def.span, message)
            .related
            .push(cx.related(first.span, "first definition"));
    }
}

fn same_source(a: &FootnoteDef, b: &FootnoteDef) -> bool {
    a.content.trim() == b.content.trim()
}
