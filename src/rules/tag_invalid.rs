//! `tag-invalid`: a tag Obsidian will not read as written.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};
use crate::note::TagSource;

pub const RULE: Rule = Rule {
    code: "tag-invalid",
    default_severity: Severity::Warning,
    summary: "A tag has a space, a leading `#` in frontmatter, only digits, or characters tags cannot hold.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    for tag in &cx.note.tags {
        if let Some(problem) = tag_problem(&tag.name, tag.source) {
            out.emit(
                &cx.note.path,
                tag.span,
                format!("tag {} {problem}", quote(&tag.name)),
            );
        }
    }
}

/// Why a tag is invalid, as the end of a sentence, or `None` when it is fine.
pub fn tag_problem(name: &str, source: TagSource) -> Option<String> {
    let bare = match (source, name.strip_prefix('#')) {
        (TagSource::Frontmatter, Some(rest)) => {
            return Some(format!(
                "starts with `#`; in frontmatter write {}",
                quote(rest.trim())
            ));
        }
        _ => name,
    };
    if bare.is_empty() {
        return Some("is empty".to_string());
    }
    if bare.chars().any(char::is_whitespace) {
        let suggestion: String = bare.split_whitespace().collect::<Vec<_>>().join("-");
        return Some(format!(
            "contains a space; Obsidian ends a tag at a space, write {} or split it",
            quote(&suggestion)
        ));
    }
    if let Some(bad) = bare.chars().find(|&c| !is_tag_char(c)) {
        return Some(format!(
            "contains {}, which a tag cannot hold",
            quote(&bad.to_string())
        ));
    }
    if bare.chars().all(|c| c.is_ascii_digit() || c == '/') {
        return Some("has only digits; a tag needs at least one other character".to_string());
    }
    None
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/') || is_emoji_like(c)
}

/// Obsidian accepts emoji in tags; anything outside the basic planes' punctuation is let through.
fn is_emoji_like(c: char) -> bool {
    (c as u32) >= 0x1F000 || matches!(c as u32, 0x2600..=0x27BF | 0xFE0F | 0x200D)
}
