//! `anchor-drift`: the body has moved far from the note's drift anchor in the trace (its
//! heaviest stems when it was first recorded or last re-anchored).

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "anchor-drift",
    default_severity: Severity::Info,
    summary: "The body has moved far from the note's drift anchor (its main terms when it was anchored).",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let (Some(anchors), Some(drift)) = (&cx.coherence.anchors, &cx.coherence.drift) else {
        return;
    };
    let Some(found) = anchors.drifted(cx.id) else {
        return;
    };
    let (gained, lost) = anchors.gained_and_lost(cx.vault, &drift.stats, cx.id);
    let mut message = format!(
        "the body has moved far from its anchor of {} (similarity {:.2}, under the floor {:.2} and the vault's {}th percentile {:.2})",
        found.anchored.date(),
        found.similarity,
        found.floor,
        cx.coherence.config.drift_percentile,
        found.percentile_value
    );
    let list = |stems: &[String]| {
        stems
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !gained.is_empty() {
        message.push_str(&format!("; gained {}", list(&gained)));
    }
    if !lost.is_empty() {
        message.push_str(&format!("; lost {}", list(&lost)));
    }
    message.push_str("; re-anchor the note if the change is intended");
    out.emit(&cx.note.path, cx.note.identity_span(), message);
}
