//! Drift anchors: a compact signature of a note's body (its heaviest stems by TF-IDF, the
//! weights `identity-drift` uses), taken when the note is first recorded and again when the
//! writer re-anchors it; and `anchor-drift`'s comparison of each body with its anchor,
//! calibrated on the vault like the other drift rules.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{MIN_BODY_TERMS, TermStats, body_text, cosine, percentile, set_note_language};
use crate::history::{Anchor, Timestamp, TraceState};
use crate::vault::{NoteId, Vault};
use crate::words::{Analyzer, TermId, term_id};

/// Stems kept in a signature.
pub const SIGNATURE_TERMS: usize = 24;
/// Stems named per list in a drift message.
const TERMS_IN_MESSAGE: usize = 5;

/// The note's heaviest body terms, unit length, heaviest first; `None` when the body is
/// too short to judge (such notes are anchored once they grow).
fn top_terms(stats: &TermStats, id: NoteId) -> Option<Vec<(TermId, f32)>> {
    if id.0 as usize >= stats.len() {
        return None;
    }
    let terms = stats.note(id);
    if terms.body_len < MIN_BODY_TERMS {
        return None;
    }
    let mut weights = stats.weights(&terms.body);
    let heavier = |a: &(TermId, f32), b: &(TermId, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    // Selecting the top terms first is linear; only those few are sorted.
    if weights.len() > SIGNATURE_TERMS {
        weights.select_nth_unstable_by(SIGNATURE_TERMS - 1, heavier);
        weights.truncate(SIGNATURE_TERMS);
    }
    weights.sort_unstable_by(heavier);
    let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm == 0.0 {
        return None;
    }
    for (_, w) in &mut weights {
        *w /= norm;
    }
    Some(weights)
}

/// The stem of each wanted term, as the note's analyzer spells it.
fn stems_of(vault: &Vault, id: NoteId, wanted: &[TermId]) -> FxHashMap<TermId, String> {
    let note = vault.note(id);
    let mut analyzer = Analyzer::default();
    set_note_language(&mut analyzer, note);
    let wanted: FxHashSet<TermId> = wanted.iter().copied().collect();
    let mut stems = FxHashMap::default();
    analyzer.for_each_term(&body_text(note), |t| {
        if wanted.contains(&t.id) && !stems.contains_key(&t.id) {
            stems.insert(t.id, t.stem.to_string());
        }
    });
    stems
}

/// Drift signatures of notes `ids` (those a signature can be taken of), computed in
/// parallel; `stats` are the vault's term statistics, built here when `None` or stale.
pub fn signatures(
    vault: &Vault,
    stats: Option<&TermStats>,
    ids: &[NoteId],
) -> Vec<(NoteId, Vec<(String, f32)>)> {
    if ids.is_empty() {
        return Vec::new();
    }
    let built;
    let stats = match stats {
        Some(stats) if stats.len() == vault.notes.len() => stats,
        _ => {
            built = TermStats::build(vault);
            &built
        }
    };
    // Signatures analyze each body again for its stems: in parallel.
    ids.par_iter()
        .filter_map(|&id| Some((id, signature(vault, stats, id)?)))
        .collect()
}

/// The drift signature of note `id`: stems and weights, heaviest first.
pub fn signature(vault: &Vault, stats: &TermStats, id: NoteId) -> Option<Vec<(String, f32)>> {
    let top = top_terms(stats, id)?;
    let ids: Vec<TermId> = top.iter().map(|t| t.0).collect();
    let mut stems = stems_of(vault, id, &ids);
    Some(
        top.into_iter()
            .filter_map(|(term, w)| stems.remove(&term).map(|s| (s, w)))
            .collect(),
    )
}

/// An anchor turned into term ids for comparison.
#[derive(Clone, Debug)]
struct NoteAnchor {
    ts: Timestamp,
    /// Sorted by term id.
    by_id: Vec<(TermId, f32)>,
    /// Stems, heaviest first.
    stems: Vec<(TermId, Box<str>)>,
}

impl NoteAnchor {
    fn new(anchor: &Anchor) -> NoteAnchor {
        let stems: Vec<(TermId, Box<str>)> = anchor
            .terms
            .iter()
            .map(|(s, _)| (term_id(s), s.clone()))
            .collect();
        let mut by_id: Vec<(TermId, f32)> =
            anchor.terms.iter().map(|(s, w)| (term_id(s), *w)).collect();
        by_id.sort_unstable_by_key(|t| t.0);
        by_id.dedup_by_key(|t| t.0);
        NoteAnchor {
            ts: anchor.ts,
            by_id,
            stems,
        }
    }
}

/// A note whose body moved far from its anchor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnchorDrifted {
    pub similarity: f32,
    pub floor: f32,
    /// The similarity at the configured percentile of the vault's anchored notes.
    pub percentile_value: f32,
    pub anchored: Timestamp,
}

/// Every note's similarity to its anchor, with the vault's calibration.
#[derive(Clone, Debug, Default)]
pub struct AnchorDrift {
    anchors: Vec<Option<NoteAnchor>>,
    similarity: Vec<Option<f32>>,
    floor: f32,
    percentile: f64,
    percentile_value: f32,
}

impl AnchorDrift {
    /// Compares every anchored note of `vault` with its anchor in `state`; `None` when the
    /// trace has no anchors.
    pub fn build(
        vault: &Vault,
        stats: &TermStats,
        state: &TraceState,
        floor: f32,
        percentile: f64,
    ) -> Option<AnchorDrift> {
        if !state.has_anchors() {
            return None;
        }
        let anchors: Vec<Option<NoteAnchor>> = vault
            .notes
            .par_iter()
            .map(|note| state.anchor(&note.path).map(NoteAnchor::new))
            .collect();
        let mut drift = AnchorDrift {
            anchors,
            similarity: Vec::new(),
            floor,
            percentile,
            percentile_value: 0.0,
        };
        drift.similarity = (0..vault.notes.len() as u32)
            .into_par_iter()
            .map(|i| drift.compare(stats, NoteId(i)))
            .collect();
        drift.calibrate();
        Some(drift)
    }

    fn compare(&self, stats: &TermStats, id: NoteId) -> Option<f32> {
        let anchor = self.anchors.get(id.0 as usize)?.as_ref()?;
        let mut now = top_terms(stats, id)?;
        now.sort_unstable_by_key(|t| t.0);
        Some(cosine(&anchor.by_id, &now))
    }

    fn calibrate(&mut self) {
        let values: Vec<f32> = self.similarity.iter().flatten().copied().collect();
        self.percentile_value = percentile(&values, self.percentile);
    }

    /// Takes note `id`'s anchor as the trace now holds it (the writer may just have
    /// re-anchored it); [`AnchorDrift::update_note`] then compares with it.
    pub fn set_anchor(&mut self, id: NoteId, anchor: Option<&Anchor>) {
        if let Some(slot) = self.anchors.get_mut(id.0 as usize) {
            *slot = anchor.map(NoteAnchor::new);
        }
    }

    /// Compares note `id` with its anchor again after its text changed (same ids).
    pub fn update_note(&mut self, stats: &TermStats, id: NoteId) {
        let i = id.0 as usize;
        if i >= self.anchors.len() {
            return;
        }
        self.similarity[i] = self.compare(stats, id);
        self.calibrate();
    }

    /// Note `id`'s similarity to its anchor, when it has one and a long enough body.
    pub fn similarity(&self, id: NoteId) -> Option<f32> {
        self.similarity.get(id.0 as usize).copied().flatten()
    }

    /// The note's drift, when it is under the floor and in the vault's lowest percentile.
    pub fn drifted(&self, id: NoteId) -> Option<AnchorDrifted> {
        let similarity = self.similarity(id)?;
        let anchor = self.anchors[id.0 as usize].as_ref()?;
        (similarity < self.floor && similarity <= self.percentile_value).then_some(AnchorDrifted {
            similarity,
            floor: self.floor,
            percentile_value: self.percentile_value,
            anchored: anchor.ts,
        })
    }

    /// Stems among the body's heaviest now that the anchor lacked, and anchor stems no
    /// longer among them, heaviest first.
    pub fn gained_and_lost(
        &self,
        vault: &Vault,
        stats: &TermStats,
        id: NoteId,
    ) -> (Vec<String>, Vec<String>) {
        let (Some(Some(anchor)), Some(now)) =
            (self.anchors.get(id.0 as usize), top_terms(stats, id))
        else {
            return (Vec::new(), Vec::new());
        };
        let then: FxHashSet<TermId> = anchor.by_id.iter().map(|t| t.0).collect();
        let current: FxHashSet<TermId> = now.iter().map(|t| t.0).collect();
        let gained_ids: Vec<TermId> = now
            .iter()
            .map(|t| t.0)
            .filter(|t| !then.contains(t))
            .take(TERMS_IN_MESSAGE)
            .collect();
        let mut stems = stems_of(vault, id, &gained_ids);
        let gained = gained_ids.iter().filter_map(|t| stems.remove(t)).collect();
        let lost = anchor
            .stems
            .iter()
            .filter(|(t, _)| !current.contains(t))
            .take(TERMS_IN_MESSAGE)
            .map(|(_, s)| s.to_string())
            .collect();
        (gained, lost)
    }
}
