//! `broken-link`: a link or embed whose target is no note or file of the vault.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "broken-link",
    default_severity: Severity::Error,
    summary: "A link or embed points to a note or file that does not exist in the vault.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for (link, resolution) in cx.note.links.iter().zip(cx.resolutions()) {
        if link.target.is_empty() || resolution.target.is_some() {
            continue;
        }
        let what = if link.embed { "embed" } else { "link" };
        let message = if resolution.outside_vault {
            format!(
                "{what} target {} points outside the vault",
                quote(&link.target)
            )
        } else {
            format!("no note or file named {} in the vault", quote(&link.target))
        };
        out.emit(&cx.note.path, link.target_span, message);
    }
}
