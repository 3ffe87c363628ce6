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
        } else if let Some(owner) = cx.vault.index.alias_owner(&link.target) {
            let owner = cx.vault.note(owner);
            format!(
                "no note or file named {} in the vault; it is an alias of {}, and Obsidian does not resolve links through aliases (write [[{}|{}]])",
                quote(&link.target),
                quote(owner.name()),
                owner.name(),
                link.target.trim()
            )
        } else {
            format!("no note or file named {} in the vault", quote(&link.target))
        };
        out.emit(&cx.note.path, link.target_span, message);
    }
}
