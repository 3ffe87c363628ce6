//! `footnote-malformed`: a definition written so that no markdown reader accepts it.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "footnote-malformed",
    default_severity: Severity::Warning,
    summary: "A footnote definition is malformed, e.g. `[ ^1 ]: ...` with spaces inside the brackets.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for def in cx.note.footnote_defs.iter().filter(|d| d.malformed) {
        let written = &cx.note.text[def.span.range()];
        let message = format!(
            "{} is not a footnote definition; write {}",
            quote(written),
            quote(&format!("[^{}]:", def.label))
        );
        out.emit(&cx.note.path, def.span, message);
    }
}
