//! `relation-drift`: a typed link between two notes that share almost nothing, by TF-IDF
//! similarity calibrated on the vault's typed links.

use super::identity_drift::quoted;
use super::{Check, Emitter, NoteContext, Related, Rule, Severity, quote};

pub const RULE: Rule = Rule {
    code: "relation-drift",
    default_severity: Severity::Info,
    summary: "A typed link joins two notes whose texts (or, for a short note, its declared identity) share almost nothing.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let Some(drift) = &cx.coherence.drift else {
        return;
    };
    for (k, edge) in cx.coherence.topology.typed(cx.id).iter().enumerate() {
        let Some(found) = drift.relation_drifted(cx.id, k) else {
            continue;
        };
        let other = cx.vault.note(edge.to);
        let (this, that) = (quote(cx.note.name()), quote(other.name()));
        let (this_verb, this_words) = drift.subject_words(cx.vault, cx.id);
        let (that_verb, that_words) = drift.subject_words(cx.vault, edge.to);
        let message = format!(
            "{this} and its {} {that} share almost nothing (similarity {:.2}): {this} {this_verb} {}; {that} {that_verb} {}",
            edge.relation.as_str(),
            found.similarity,
            quoted(&this_words),
            quoted(&that_words),
        );
        out.emit(&cx.note.path, cx.edge_span(edge), message)
            .related
            .push(Related::note(other, format!("{that} is here")));
    }
}
