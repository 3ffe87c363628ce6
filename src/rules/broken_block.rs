//! `broken-block`: a link to a `^block-id` the target note does not define, in a note or in
//! a canvas's text card.

use super::{Check, Emitter, NoteContext, Rule, Severity, VaultContext, quote};
use crate::note::AnchorKind;
use crate::vault::Canvas;

pub const RULE: Rule = Rule {
    code: "broken-block",
    default_severity: Severity::Warning,
    summary: "A link names a block id (`#^id`) that its target note does not define.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for missing in cx.missing_anchors() {
        if let AnchorKind::Block(id) = &missing.kind {
            missing.report(cx, out, "block", &quote(&format!("^{id}")));
        }
    }
}

/// The same, for the links of a canvas's text cards.
pub(super) fn check_canvas(cx: &VaultContext<'_>, canvas: &Canvas, out: &mut Emitter<'_>) {
    super::report_canvas_anchors(cx, canvas, out, "block", |kind| match kind {
        AnchorKind::Block(id) => Some(quote(&format!("^{id}"))),
        AnchorKind::Heading(_) => None,
    });
}
