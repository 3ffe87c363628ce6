//! `file-unreadable`: a markdown file twin could not read (it stays a name links resolve
//! to), or one it read as text around bytes that are not text.

use super::{Check, Emitter, Rule, Severity, VaultContext};
use crate::text::Span;
use crate::vault::odd_bytes;

pub const RULE: Rule = Rule {
    code: "file-unreadable",
    default_severity: Severity::Error,
    summary: "A markdown file cannot be read (too large, permission denied), or holds bytes that are not text (NUL, not UTF-8).",
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
}
