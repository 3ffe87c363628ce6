//! `broken-link`: a link or embed whose target is no note or file of the vault, in a note
//! or in a canvas (a text card's link, or a `file` node naming a file that is not there).

use super::{Check, Emitter, NoteContext, Rule, Severity, VaultContext, quote};
use crate::note::Link;
use crate::resolve::{LinkResolution, resolve_canvas_link, resolve_vault_path};
use crate::vault::{Canvas, Vault};

pub const RULE: Rule = Rule {
    code: "broken-link",
    default_severity: Severity::Error,
    summary: "A link or embed points to a note or file that does not exist in the vault.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for (link, resolution) in cx.note.links.iter().zip(cx.resolutions()) {
        if let Some(message) = message(cx.vault, &cx.note.text, link, resolution) {
            out.emit(&cx.note.path, link.target_span, message);
        }
    }
}

/// The broken links of a canvas: its text cards' links, resolved from the canvas's
/// folder, and its `file` nodes, which name a whole vault path.
pub(super) fn check_canvas(cx: &VaultContext<'_>, canvas: &Canvas, out: &mut Emitter<'_>) {
    for file in &canvas.files {
        if resolve_vault_path(cx.vault, &file.file).is_none() {
            out.emit(
                &canvas.path,
                file.span,
                format!(
                    "this card shows {}, which is not in the vault",
                    quote(&file.file)
                ),
            );
        }
    }
    for card in &canvas.links {
        let resolution = resolve_canvas_link(cx.vault, &canvas.path, &card.link);
        if let Some(message) = message(cx.vault, &canvas.text, &card.link, &resolution) {
            out.emit(&canvas.path, card.link.target_span, message);
        }
    }
}

/// Why `link` is broken, or `None` when it is not.
/// `text` is the text of the note the link is in.
fn message(vault: &Vault, text: &str, link: &Link, resolution: &LinkResolution) -> Option<String> {
    let target = link.target(text);
    if target.is_empty() || resolution.target.is_some() {
        return None;
    }
    let what = if link.embed { "embed" } else { "link" };
    Some(if resolution.outside_vault() {
        format!("{what} target {} points outside the vault", quote(target))
    } else if let Some(owner) = vault.index.alias_owner(target) {
        let owner = vault.note(owner);
        format!(
            "no note or file named {} in the vault; it is an alias of {}, and Obsidian does not resolve links through aliases (write [[{}|{}]])",
            quote(target),
            quote(owner.name()),
            owner.name(),
            target.trim()
        )
    } else {
        format!("no note or file named {} in the vault", quote(target))
    })
}
