//! `frontmatter-invalid`: frontmatter that is not valid YAML, or not a mapping.

use super::{Check, Emitter, NoteContext, Rule, Severity};
use crate::note::ParseProblemKind;

pub const RULE: Rule = Rule {
    code: "frontmatter-invalid",
    default_severity: Severity::Error,
    summary: "The frontmatter is not valid YAML or not a mapping of properties; Obsidian ignores it.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for problem in &cx.note.problems {
        if problem.kind == ParseProblemKind::FrontmatterInvalid {
            out.emit(&cx.note.path, problem.span, problem.message.clone());
        }
    }
}
