//! `broken-heading`: a link to a heading the target note does not have.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};
use crate::note::AnchorKind;

pub const RULE: Rule = Rule {
    code: "broken-heading",
    default_severity: Severity::Warning,
    summary: "A link names a heading that its target note does not have.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for missing in cx.missing_anchors() {
        if let AnchorKind::Heading(parts) = &missing.anchor.kind {
            missing.report(cx, out, "heading", &quote(&parts.join("#")));
        }
    }
}
