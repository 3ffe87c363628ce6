//! `frontmatter-duplicate-key`: a frontmatter property written twice.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};
use crate::note::ParseProblemKind;

pub const RULE: Rule = Rule {
    code: "frontmatter-duplicate-key",
    default_severity: Severity::Warning,
    summary: "A frontmatter property appears twice; only one of the values is used.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for problem in &cx.note.problems {
        if let ParseProblemKind::FrontmatterDuplicateKey { key, first } = &problem.kind {
            let message = format!("property {} is already defined", quote(key));
            out.emit(&cx.note.path, problem.span, message)
                .related
                .push(cx.related(*first, "first definition"));
        }
    }
}
