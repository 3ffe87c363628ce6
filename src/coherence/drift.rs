//! Semantic drift: how far a note's body is from its declared identity, and how little two
//! related notes share, each calibrated against the vault's own distribution.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::terms::{NoteTerms, TermStats, body_text, cosine, identity_text, set_note_language};
use super::topology::Topology;
use crate::config::RelationsConfig;
use crate::vault::{NoteId, Vault};
use crate::words::{TermId, with_thread_analyzer};

/// Bodies shorter than this many terms are too short to judge.
pub const MIN_BODY_TERMS: u32 = 25;
/// Terms named in a drift message, per list.
const TERMS_IN_MESSAGE: usize = 5;

/// A similarity below the floor and in the vault's lowest percentile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drifted {
    pub similarity: f32,
    /// The similarity at the configured percentile of the vault.
    pub percentile_value: f32,
}

/// Identity and relation similarities of every note, with the vault's calibration.
#[derive(Clone, Debug, Default)]
pub struct Drift {
    pub stats: TermStats,
    /// Per note: cosine of body and identity; `None` when the body is too short.
    identity: Vec<Option<f32>>,
    /// Per note, aligned with its typed edges: cosine of the two whole notes.
    relation: Vec<Vec<Option<f32>>>,
    identity_percentile: f32,
    identity_median: f32,
    relation_percentile: f32,
    identity_floor: f32,
    relation_floor: f32,
    percentile: f64,
}

/// Normalized TF-IDF vector of a note's body and identity together.
type Weights = Vec<(TermId, f32)>;

/// Whether two notes can be compared word by word: both long enough, in the same script.
fn comparable(stats: &TermStats, a: NoteId, b: NoteId) -> bool {
    let (x, y) = (stats.note(a), stats.note(b));
    a != b && x.cyrillic == y.cyrillic
}

impl Drift {
    pub fn build(vault: &Vault, topology: &Topology, config: &RelationsConfig) -> Drift {
        let stats = TermStats::build(vault);
        let (identity, whole): (Vec<Option<f32>>, Vec<Option<Weights>>) = (0..vault.notes.len())
            .into_par_iter()
            .map(|i| {
                let terms = stats.note(NoteId(i as u32));
                (
                    identity_similarity(&stats, terms),
                    whole_weights(&stats, terms),
                )
            })
            .unzip();
        let relation = (0..vault.notes.len())
            .into_par_iter()
            .map(|i| {
                let from = NoteId(i as u32);
                topology
                    .typed(from)
                    .iter()
                    .map(|e| match (&whole[i], &whole[e.to.0 as usize]) {
                        (Some(a), Some(b)) if comparable(&stats, from, e.to) => Some(cosine(a, b)),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut drift = Drift {
            stats,
            identity,
            relation,
            identity_floor: config.identity_floor as f32,
            relation_floor: config.relation_floor as f32,
            percentile: config.drift_percentile,
            ..Drift::default()
        };
        drift.calibrate();
        drift
    }

    /// Re-analyzes note `id` and recomputes the similarities that involve it. The topology
    /// must already be updated. Other notes' similarities keep the document frequencies
    /// they were computed with until the next build.
    pub fn update_note(&mut self, vault: &Vault, topology: &Topology, id: NoteId) {
        self.stats.update_note(vault, id);
        let i = id.0 as usize;
        self.identity[i] = identity_similarity(&self.stats, self.stats.note(id));
        let mine = whole_weights(&self.stats, self.stats.note(id));
        let mut others: FxHashMap<NoteId, Option<Weights>> = FxHashMap::default();
        let mut weights_of = |stats: &TermStats, other: NoteId| {
            others
                .entry(other)
                .or_insert_with(|| whole_weights(stats, stats.note(other)))
                .clone()
        };
        let pair = |a: &Option<Weights>, b: &Option<Weights>| match (a, b) {
            (Some(a), Some(b)) => Some(cosine(a, b)),
            _ => None,
        };
        self.relation[i] = topology
            .typed(id)
            .iter()
            .map(|e| {
                if comparable(&self.stats, id, e.to) {
                    pair(&mine, &weights_of(&self.stats, e.to))
                } else {
                    None
                }
            })
            .collect();
        let incoming: Vec<(NoteId, usize)> = topology
            .typed_into(id)
            .filter(|(from, _)| *from != id)
            .map(|(from, edge)| {
                let k = topology.typed(from).iter().position(|e| e == edge);
                (from, k.unwrap_or(usize::MAX))
            })
            .collect();
        for (from, k) in incoming {
            let sim = if comparable(&self.stats, from, id) {
                pair(&weights_of(&self.stats, from), &mine)
            } else {
                None
            };
            if let Some(slot) = self.relation[from.0 as usize].get_mut(k) {
                *slot = sim;
            }
        }
        self.calibrate();
    }

    fn calibrate(&mut self) {
        let identity: Vec<f32> = self.identity.iter().flatten().copied().collect();
        self.identity_percentile = percentile(&identity, self.percentile);
        self.identity_median = percentile(&identity, 50.0);
        let relation: Vec<f32> = self.relation.iter().flatten().flatten().copied().collect();
        self.relation_percentile = percentile(&relation, self.percentile);
    }

    /// Body-to-identity similarity of a note, when its body is long enough to judge.
    pub fn identity(&self, id: NoteId) -> Option<f32> {
        self.identity.get(id.0 as usize).copied().flatten()
    }

    /// The vault's median identity similarity (what a typical note reaches).
    pub fn identity_median(&self) -> f32 {
        self.identity_median
    }

    /// The note's identity similarity, when it drifted.
    pub fn identity_drifted(&self, id: NoteId) -> Option<Drifted> {
        drifted(
            self.identity(id)?,
            self.identity_floor,
            self.identity_percentile,
        )
    }

    /// The similarity of the `k`-th typed edge of `from`, when the two notes drifted apart.
    pub fn relation_drifted(&self, from: NoteId, k: usize) -> Option<Drifted> {
        let similarity = (*self.relation.get(from.0 as usize)?.get(k)?)?;
        drifted(similarity, self.relation_floor, self.relation_percentile)
    }

    /// Words of the note's declared identity that its body never uses, in declared order.
    pub fn missing_identity_words(&self, vault: &Vault, id: NoteId) -> Vec<String> {
        let note = vault.note(id);
        let body: FxHashSet<TermId> = self.stats.note(id).body.iter().map(|t| t.0).collect();
        let mut seen = FxHashSet::default();
        let mut words = Vec::new();
        with_thread_analyzer(|analyzer| {
            set_note_language(analyzer, note);
            analyzer.for_each_term(&identity_text(note), |t| {
                if !body.contains(&t.id) && seen.insert(t.id) && words.len() < TERMS_IN_MESSAGE {
                    words.push(t.word.to_string());
                }
            });
        });
        words
    }

    /// The body's heaviest terms by TF-IDF, each as the first word that produced it.
    pub fn dominant_words(&self, vault: &Vault, id: NoteId) -> Vec<String> {
        let mut weights = self.stats.weights(&self.stats.note(id).body);
        weights.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weights.truncate(TERMS_IN_MESSAGE);
        let note = vault.note(id);
        let mut surface: FxHashMap<TermId, String> = FxHashMap::default();
        with_thread_analyzer(|analyzer| {
            set_note_language(analyzer, note);
            analyzer.for_each_term(&body_text(note), |t| {
                if weights.iter().any(|w| w.0 == t.id) && !surface.contains_key(&t.id) {
                    surface.insert(t.id, t.word.to_string());
                }
            });
        });
        weights
            .iter()
            .filter_map(|(term, _)| surface.remove(term))
            .collect()
    }
}

fn drifted(similarity: f32, floor: f32, percentile_value: f32) -> Option<Drifted> {
    (similarity < floor && similarity <= percentile_value).then_some(Drifted {
        similarity,
        percentile_value,
    })
}

fn identity_similarity(stats: &TermStats, terms: &NoteTerms) -> Option<f32> {
    if terms.body_len < MIN_BODY_TERMS || terms.identity.is_empty() {
        return None;
    }
    Some(stats.similarity(&terms.body, &terms.identity))
}

fn whole_weights(stats: &TermStats, terms: &NoteTerms) -> Option<Weights> {
    if terms.body_len < MIN_BODY_TERMS {
        return None;
    }
    Some(stats.weights(&terms.whole()))
}

/// The value at percentile `p` (0–100) by nearest rank; 0 for an empty list.
pub fn percentile(values: &[f32], p: f64) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
