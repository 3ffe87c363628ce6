//! `file-unreadable`: a markdown file twin could not read (it stays a name links resolve
//! to), one it read as text around bytes that are not text, or a canvas that is not JSON
//! (Obsidian cannot open it; its nodes count for nothing).

use super::{Check, Emitter, Rule, Severity, VaultContext};
use crate::text::Span;
use crate::vault::odd_bytes;

pub const RULE: Rule = Rule {
    code: "file-unreadable",
    default_severity: Severity::Error,
    summary: "A markdown file cannot be read (too large, permission denied), or holds bytes that are not text (NUL, not UTF-8); or a canvas is not JSON.",
    check: Check::Vault(check),
};

fn check(cx: &VaultContext<'_>, out: &mut Emitter<'_>) {
    for skipped in &cx.vault.skipped {
        out.emit(
            &skipped.path,
            Span::empty(0),
            format!("skipped: {}", skipped.reason),
        );
    }
    for note in &cx.vault.notes {
        if let Some(why) = odd_bytes(&note.text) {
            out.emit(&note.path, Span::empty(0), why);
        }
    }
    for canvas in &cx.vault.canvases {
        if let Some(problem) = &canvas.problem {
            out.emit(
                &canvas.path,
                problem.span,
                format!("not a canvas Obsidian can open: {}", problem.message),
            );
        }
    }
}
