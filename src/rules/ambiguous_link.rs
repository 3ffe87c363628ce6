//! `ambiguous-link`: a bare note name that matches several notes of the vault.

use super::{Check, Emitter, NoteContext, Related, Rule, Severity, quote};
use crate::text::Span;

pub const RULE: Rule = Rule {
    code: "ambiguous-link",
    default_severity: Severity::Warning,
    summary: "A link's note name matches several notes; twin resolves it as Obsidian does, but a path would be clearer.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for (link, resolution) in cx.note.links.iter().zip(cx.resolutions()) {
        let [chosen, others @ ..] = resolution.candidates() else {
            continue;
        };
        if others.is_empty() {
            continue;
        }
        let chosen_path = &cx.vault.note(*chosen).path;
        let message = format!(
            "{} matches {} notes; it resolves to {}, write the path to choose",
            quote(link.target(&cx.note.text)),
            resolution.candidates().len(),
            quote(chosen_path)
        );
        let diagnostic = out.emit(&cx.note.path, link.target_span, message);
        for (i, candidate) in resolution.candidates().iter().enumerate() {
            let path = cx.vault.note(*candidate).path.clone();
            let message = if i == 0 {
                "chosen: same folder, then shortest path".to_string()
            } else {
                "also matches".to_string()
            };
            diagnostic.related.push(Related {
                path,
                span: Span::empty(0),
                message,
            });
        }
    }
}
