//! The coherence vector of a note and the score derived from it (formula in docs/coherence.md).

use serde::Serialize;

use super::Coherence;
use super::topology::Confirmation;
use crate::diagnostic::Diagnostic;
use crate::resolve::{AnchorResolution, LinkGraph};
use crate::vault::{NoteId, Vault};

/// The rules whose findings count as a note's open conflicts.
pub const COHERENCE_RULES: &[&str] = &[
    "one-sided-relation",
    "relation-cycle",
    "relation-conflict",
    "self-relation",
    "orphan-note",
    "date-order",
    "identity-drift",
    "relation-drift",
    "anchor-drift",
];

/// Weights of link integrity, reciprocity and drift in the score.
const W_INTEGRITY: f64 = 0.4;
const W_RECIPROCITY: f64 = 0.3;
const W_DRIFT: f64 = 0.3;
/// Each open conflict keeps this share of the score.
const CONFLICT_FACTOR: f64 = 0.75;

/// The measured components of a note's coherence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoherenceVector {
    /// Share of the note's links that resolve (target found, anchor found); 1 without links.
    pub link_integrity: f64,
    pub links: usize,
    /// Share of its checked relations that the other side confirms; 1 without any.
    pub reciprocity: f64,
    /// Relations the reciprocity mode checks.
    pub relations: usize,
    /// Body-to-identity similarity (0–1); `None` when drift is off or the body is too short.
    pub drift: Option<f64>,
    /// Findings of the coherence rules on this note.
    pub conflicts: usize,
    /// 0 (incoherent) to 1.
    pub score: f64,
}

/// The coherence vector of note `id`. `findings` are diagnostics of the vault or of this
/// note (others are ignored): those of [`COHERENCE_RULES`] on this note count as conflicts.
pub fn coherence_vector(
    vault: &Vault,
    graph: &LinkGraph,
    coherence: &Coherence,
    id: NoteId,
    findings: &[Diagnostic],
) -> CoherenceVector {
    let path = &vault.note(id).path;
    let conflicts = findings
        .iter()
        .filter(|d| d.path == *path && COHERENCE_RULES.contains(&d.code))
        .count();
    vector_with_conflicts(graph, coherence, id, conflicts)
}

/// The coherence vector of note `id` given its count of open conflicts (for callers that
/// keep findings per note, such as the language server).
pub fn vector_with_conflicts(
    graph: &LinkGraph,
    coherence: &Coherence,
    id: NoteId,
    conflicts: usize,
) -> CoherenceVector {
    let resolutions = &graph.resolutions[id.0 as usize];
    let links = resolutions.len();
    let resolved = resolutions
        .iter()
        .filter(|r| r.target.is_some() && r.anchor != AnchorResolution::Missing)
        .count();
    let link_integrity = ratio(resolved, links);

    let topology = &coherence.topology;
    let mode = coherence.config.reciprocity;
    let (mut checked, mut confirmed) = (0, 0);
    for edge in topology.typed(id).iter().filter(|e| e.to != id) {
        match topology.confirmation(id, edge, mode) {
            Confirmation::Confirmed => {
                checked += 1;
                confirmed += 1;
            }
            Confirmation::Missing => checked += 1,
            Confirmation::Unchecked => {}
        }
    }
    let reciprocity = ratio(confirmed, checked);

    let drift = coherence
        .drift
        .as_ref()
        .and_then(|d| Some((d.identity(id)?, d.identity_median())));
    let drift_component = drift.map(|(sim, median)| {
        if median <= 0.0 {
            1.0
        } else {
            (f64::from(sim) / f64::from(median)).min(1.0)
        }
    });
    CoherenceVector {
        link_integrity: round(link_integrity),
        links,
        reciprocity: round(reciprocity),
        relations: checked,
        drift: drift.map(|(sim, _)| round(f64::from(sim))),
        conflicts,
        score: round(score(
            link_integrity,
            reciprocity,
            drift_component,
            conflicts,
        )),
    }
}

/// The score: a weighted mean of the components, times 0.75 per open conflict.
/// `drift` is the similarity relative to the vault's median, capped at 1; without it the
/// other two weights are rescaled.
pub fn score(integrity: f64, reciprocity: f64, drift: Option<f64>, conflicts: usize) -> f64 {
    let base = match drift {
        Some(d) => W_INTEGRITY * integrity + W_RECIPROCITY * reciprocity + W_DRIFT * d,
        None => (W_INTEGRITY * integrity + W_RECIPROCITY * reciprocity) / (1.0 - W_DRIFT),
    };
    let penalty = CONFLICT_FACTOR.powi(conflicts.min(64) as i32);
    (base * penalty).clamp(0.0, 1.0)
}

/// Four decimals: enough for a score, and stable in reports across platforms.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// Every note's vector, and the vault's score: the mean of the notes' scores (1 when empty).
pub fn vault_coherence(
    vault: &Vault,
    graph: &LinkGraph,
    coherence: &Coherence,
    findings: &[Diagnostic],
) -> (Vec<CoherenceVector>, f64) {
    let mut conflicts = vec![0; vault.notes.len()];
    for d in findings {
        if COHERENCE_RULES.contains(&d.code)
            && let Some(id) = vault.note_by_path(&d.path)
        {
            conflicts[id.0 as usize] += 1;
        }
    }
    let vectors: Vec<CoherenceVector> = vault
        .note_ids()
        .map(|id| vector_with_conflicts(graph, coherence, id, conflicts[id.0 as usize]))
        .collect();
    let mean = if vectors.is_empty() {
        1.0
    } else {
        vectors.iter().map(|v| v.score).sum::<f64>() / vectors.len() as f64
    };
    (vectors, mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_formula() {
        assert_eq!(score(1.0, 1.0, Some(1.0), 0), 1.0);
        assert!((score(0.5, 1.0, Some(1.0), 0) - 0.8).abs() < 1e-9);
        assert!((score(1.0, 1.0, None, 1) - 0.75).abs() < 1e-9);
        assert!((score(1.0, 0.0, None, 0) - 0.4 / 0.7).abs() < 1e-9);
        assert_eq!(score(0.0, 0.0, Some(0.0), 3), 0.0);
    }
}
