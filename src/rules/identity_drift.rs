//! `identity-drift`: the body no longer says what the note declares (title, aliases, tags,
//! description), by TF-IDF similarity calibrated on the vault.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "identity-drift",
    default_severity: Severity::Info,
    summary: "The body no longer says what the note declares (title, aliases, tags, description).",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let Some(drift) = &cx.coherence.drift else {
        return;
    };
    let Some(found) = drift.identity_drifted(cx.id) else {
        return;
    };
    let missing = quoted(&drift.missing_identity_words(cx.vault, cx.id));
    let dominant = quoted(&drift.dominant_words(cx.vault, cx.id));
    let config = &cx.coherence.config;
    let mut message = format!(
        "the body no longer says what the note declares (similarity {:.2}, under the floor {:.2} and the vault's {}th percentile {:.2})",
        found.similarity, config.identity_floor, config.drift_percentile, found.percentile_value
    );
    if !missing.is_empty() {
        message.push_str(&format!("; declared but absent from the body: {missing}"));
    }
    if !dominant.is_empty() {
        message.push_str(&format!("; the body is about {dominant}"));
    }
    out.emit(&cx.note.path, cx.note.identity_span(), message);
}

pub(crate) fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| quote(w))
        .collect::<Vec<_>>()
        .join(", ")
}
