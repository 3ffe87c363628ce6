//! `broken-block`: a link to a `^block-id` the target note does not define.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};
use crate::note::AnchorKind;

pub const RULE: Rule = Rule {
    code: "broken-block",
    default_severity: Severity::Warning,
    summary: "A link names a block id (`#^id`) that its target note does not define.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for missing in cx.missing_anchors() {
        if let AnchorKind::Block(id) = &missing.anchor.kind {
            missing.report(cx, out, "block", &quote(&format!("^{id}")));
        }
    }
}
