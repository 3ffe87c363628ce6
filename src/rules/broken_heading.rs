//! `broken-heading`: a link to a heading the target note does not have, in a note or in a
//! canvas's text card.

use super::{Check, Emitter, NoteContext, Rule, Severity, VaultContext, quote};
use crate::note::AnchorKind;
use crate::vault::Canvas;

pub const RULE: Rule = Rule {
    code: "broken-heading",
    default_severity: Severity::Warning,
    summary: "A link names a heading that its target note does not have.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for missing in cx.missing_anchors() {
        if let AnchorKind::Heading(parts) = &missing.kind {
            missing.report(cx, out, "heading", &quote(&parts.join("#")));
        }
    }
}

/// The same, for the links of a canvas's text cards.
pub(super) fn check_canvas(cx: &VaultContext<'_>, canvas: &Canvas, out: &mut Emitter<'_>) {
    super::report_canvas_anchors(cx, canvas, out, "heading", |kind| match kind {
        AnchorKind::Heading(parts) => Some(quote(&parts.join("#"))),
        AnchorKind::Block(_) => None,
    });
}
