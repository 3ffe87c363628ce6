//! `file-unreadable`: a markdown file twin could not read; it is skipped, the rest is checked.

use super::{Check, Emitter, Rule, Severity, VaultContext};
use crate::text::Span;

pub const RULE: Rule = Rule {
    code: "file-unreadable",
    default_severity: Severity::Error,
    summary: "A markdown file cannot be read (not UTF-8, binary, too large, permission denied) and is skipped.",
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
}
