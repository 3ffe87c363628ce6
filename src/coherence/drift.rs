//! Semantic drift: how far a note's body is from its declared identity, and how little two
//! related notes share, each calibrated against the vault's own distribution.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::DriftNeeds;
use super::echo::echoes_declared_words;
use super::terms::{NoteTerms, TermStats, body_text, identity_text, set_note_language};
use super::topology::Topology;
use crate::config::RelationsConfig;
use crate::vault::{NoteId, Vault};
use crate::words::{Analyzer, TermId, with_thread_analyzer};

/// Bodies shorter than this many terms are too short to judge.
pub const MIN_BODY_TERMS: u32 = 25;
/// An identity needs this many distinct terms to be one a body can drift from, one of them
/// at least a content word of its names (title, aliases, description): a single word says
/// too little, and a version number (`v0.0.11`) or a date with tags is no identity at all.
pub const MIN_IDENTITY_TERMS: usize = 2;
/// In a vault too small for a percentile to mean much (under 60 values at 5%), this many
/// lowest values may still be flagged: the absolute floor decides there.
const MIN_LOWEST: usize = 3;
/// A body needs this many words of prose (sentences of its own, see [`ProseCount`]) to be
/// judged, and that share of all its words: a home page of links with a welcome paragraph,
/// a list of names or of file formats, a table, are not prose to judge.
const MIN_PROSE_WORDS: u32 = 40;
const MIN_PROSE_SHARE: f64 = 0.6;
/// A body with fewer words of prose than this per link is an index of links.
const PROSE_WORDS_PER_LINK: u32 = 20;
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
    /// What was built: without `echo`, no note echoes; without `relations`, no relation
    /// has a similarity (their rules are off).
    needs: DriftNeeds,
    /// Per note: cosine of body and identity; `None` when the body is too short.
    identity: Vec<Option<f32>>,
    /// Per note under the identity floor: whether its body still uses its declared words
    /// in some form (see [`echoes_declared_words`]), which a stemmer may have missed.
    /// Empty without `needs.echo`.
    echoed: Vec<bool>,
    /// Per note, aligned with its typed edges: cosine of the two whole notes. Empty
    /// without `needs.relations`.
    relation: Vec<Vec<Option<f32>>>,
    identity_calibration: Calibration,
    identity_median: f32,
    relation_calibration: Calibration,
    identity_floor: f32,
    relation_floor: f32,
    percentile: f64,
}

/// The norm of a note's TF-IDF vector of body and identity together, and whether its body
/// is long enough to judge (otherwise its identity stands in for it). The vectors themselves
/// are not kept: two notes' cosine walks their term counts (see [`TermStats::whole_cosine`]),
/// which at 100k notes spares a few hundred MB of weights held at once.
type Whole = Option<(f32, bool)>;

/// One similarity's values over the vault, sorted: where a note stands among them.
#[derive(Clone, Debug, Default)]
pub struct Calibration {
    sorted: Vec<f32>,
}

impl Calibration {
    pub fn new(mut values: Vec<f32>) -> Calibration {
        values.sort_by(f32::total_cmp);
        Calibration { sorted: values }
    }

    /// The value at percentile `p` (0–100) by nearest rank; 0 when there is none.
    pub fn at(&self, p: f64) -> f32 {
        // Already sorted: [`percentile`] would copy and sort the vault's values again for
        // every drifted note, which made `identity-drift` quadratic.
        nearest_rank(&self.sorted, p)
    }

    /// Whether `value` is among the lowest `p` percent: it and every value tied with it fit
    /// in that share (or among the [`MIN_LOWEST`] lowest, in a small vault where the floor
    /// decides). When most notes sit at one value (often 0), none of them is "among the
    /// lowest".
    pub fn in_lowest(&self, value: f32, p: f64) -> bool {
        let at_or_below = self.sorted.partition_point(|v| *v <= value);
        let share = ((p / 100.0) * self.sorted.len() as f64).floor() as usize;
        at_or_below <= share.max(MIN_LOWEST)
    }
}

/// Whether a note's body can be judged: long enough, mostly in scripts the analyzer
/// segments, and prose rather than an index of links, names or a table.
fn judged_body(terms: &NoteTerms) -> bool {
    let prose = terms.prose;
    terms.body_len >= MIN_BODY_TERMS
        && terms.unmeasured <= terms.body_len
        && prose.prose >= MIN_PROSE_WORDS
        && f64::from(prose.prose) >= MIN_PROSE_SHARE * f64::from(prose.words)
        && prose.prose >= terms.body_links.saturating_mul(PROSE_WORDS_PER_LINK)
}

/// Whether a note's declared identity says enough to be measured.
fn judged_identity(terms: &NoteTerms) -> bool {
    terms.identity.len() >= MIN_IDENTITY_TERMS
        && terms.named_terms >= 1
        && !terms.identity_unmeasured
}

/// Whether two notes can be compared word by word: both long enough, in the same script.
fn comparable(stats: &TermStats, a: NoteId, b: NoteId) -> bool {
    let (x, y) = (stats.note(a), stats.note(b));
    a != b && x.cyrillic == y.cyrillic
}

impl Drift {
    /// The whole model, for every drift rule.
    pub fn build(vault: &Vault, topology: &Topology, config: &RelationsConfig) -> Drift {
        Drift::build_with(vault, topology, config, DriftNeeds::ALL, Vec::new())
    }

    /// [`Drift::build`] with what `needs` asks for (term vectors always), and the terms of
    /// some notes already known (see [`TermStats::build_with`]).
    pub fn build_with(
        vault: &Vault,
        topology: &Topology,
        config: &RelationsConfig,
        needs: DriftNeeds,
        known: Vec<Option<NoteTerms>>,
    ) -> Drift {
        let mut stats = TermStats::build_with(vault, known);
        let identity: Vec<Option<f32>> = (0..vault.notes.len())
            .into_par_iter()
            .map(|i| identity_similarity(&stats, stats.note(NoteId(i as u32))))
            .collect();
        let relation = match needs.relations {
            true => relation_similarities(&stats, topology),
            false => Vec::new(),
        };
        let echoed = match needs.echo {
            true => echoes(vault, &mut stats, &identity, config.identity_floor as f32),
            false => Vec::new(),
        };
        let mut drift = Drift {
            stats,
            needs,
            identity,
            echoed,
            relation,
            identity_floor: config.identity_floor as f32,
            relation_floor: config.relation_floor as f32,
            percentile: config.drift_percentile,
            ..Drift::default()
        };
        drift.calibrate(topology);
        drift
    }

    /// Re-analyzes note `id` and recomputes the similarities that involve it. The topology
    /// must already be updated. Other notes' similarities keep the document frequencies
    /// they were computed with until the next build.
    pub fn update_note(&mut self, vault: &Vault, topology: &Topology, id: NoteId) {
        self.stats.update_note(vault, id);
        let i = id.0 as usize;
        self.identity[i] = identity_similarity(&self.stats, self.stats.note(id));
        if self.needs.echo {
            self.echoed[i] = self.identity[i].is_some_and(|s| s < self.identity_floor) && {
                let echo = with_thread_analyzer(|a| echoes_declared_words(a, vault.note(id)));
                self.stats.set_echo(id, echo);
                echo
            };
        }
        if self.needs.relations {
            self.update_relations(topology, id);
        }
        self.calibrate(topology);
    }

    /// Recomputes the similarities of note `id`'s relations, both ways.
    fn update_relations(&mut self, topology: &Topology, id: NoteId) {
        let i = id.0 as usize;
        let mine = (id, whole_of(&self.stats, self.stats.note(id)));
        let mut others: FxHashMap<NoteId, Whole> = FxHashMap::default();
        let mut weights_of = |stats: &TermStats, other: NoteId| {
            let whole = *others
                .entry(other)
                .or_insert_with(|| whole_of(stats, stats.note(other)));
            (other, whole)
        };
        let pair = |stats: &TermStats, a, b| pair_similarity(stats, a, b);
        self.relation[i] = topology
            .typed(id)
            .iter()
            .map(|e| {
                if comparable(&self.stats, id, e.to) {
                    pair(&self.stats, mine, weights_of(&self.stats, e.to))
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
                pair(&self.stats, weights_of(&self.stats, from), mine)
            } else {
                None
            };
            if let Some(slot) = self.relation[from.0 as usize].get_mut(k) {
                *slot = sim;
            }
        }
    }

    fn calibrate(&mut self, topology: &Topology) {
        let identity = self.identity.iter().flatten().copied().collect();
        self.identity_calibration = Calibration::new(identity);
        self.identity_median = self.identity_calibration.at(50.0);
        if !self.needs.relations {
            return;
        }
        // A pair of notes counts once, however many typed links join it: a relation
        // declared from both sides is one relation, not two tied values.
        let mut pairs: FxHashMap<(NoteId, NoteId), f32> = FxHashMap::default();
        for (i, sims) in self.relation.iter().enumerate() {
            let from = NoteId(i as u32);
            for (edge, sim) in topology.typed(from).iter().zip(sims) {
                if let Some(sim) = sim {
                    pairs.insert((from.min(edge.to), from.max(edge.to)), *sim);
                }
            }
        }
        self.relation_calibration = Calibration::new(pairs.into_values().collect());
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
        if self.echoed.get(id.0 as usize).copied().unwrap_or(false) {
            return None;
        }
        drifted(
            self.identity(id)?,
            self.identity_floor,
            &self.identity_calibration,
            self.percentile,
        )
    }

    /// The similarity of the `k`-th typed edge of `from`, when the two notes drifted apart.
    pub fn relation_drifted(&self, from: NoteId, k: usize) -> Option<Drifted> {
        let similarity = (*self.relation.get(from.0 as usize)?.get(k)?)?;
        drifted(
            similarity,
            self.relation_floor,
            &self.relation_calibration,
            self.percentile,
        )
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

    /// What a note is about, for messages: its body's heaviest words, or, when its body is
    /// too short to judge, the words it declares (its identity stands in for it).
    pub fn subject_words(&self, vault: &Vault, id: NoteId) -> (&'static str, Vec<String>) {
        if judged_body(self.stats.note(id)) {
            return ("is about", self.dominant_words(vault, id));
        }
        let note = vault.note(id);
        let mut seen = FxHashSet::default();
        let mut words = Vec::new();
        with_thread_analyzer(|analyzer| {
            set_note_language(analyzer, note);
            analyzer.for_each_term(&identity_text(note), |t| {
                if seen.insert(t.id) && words.len() < TERMS_IN_MESSAGE {
                    words.push(t.word.to_string());
                }
            });
        });
        ("declares", words)
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

/// Per note, aligned with its typed edges: the cosine of the two whole notes, when they
/// can be compared.
fn relation_similarities(stats: &TermStats, topology: &Topology) -> Vec<Vec<Option<f32>>> {
    let whole: Vec<Whole> = (0..stats.len())
        .into_par_iter()
        .map(|i| whole_of(stats, stats.note(NoteId(i as u32))))
        .collect();
    (0..stats.len())
        .into_par_iter()
        .map(|i| {
            let from = NoteId(i as u32);
            topology
                .typed(from)
                .iter()
                .map(|e| {
                    if comparable(stats, from, e.to) {
                        pair_similarity(stats, (from, whole[i]), (e.to, whole[e.to.0 as usize]))
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// Per note: whether its identity similarity is under `floor` and its body still echoes its
/// declared words. What was measured now is kept in `stats` (a cached note's terms may
/// already say, and the check cache keeps it).
fn echoes(vault: &Vault, stats: &mut TermStats, identity: &[Option<f32>], floor: f32) -> Vec<bool> {
    let measured: Vec<(bool, bool)> = identity
        .par_iter()
        .enumerate()
        .map_init(Analyzer::default, |analyzer, (i, sim)| {
            if !sim.is_some_and(|s| s < floor) {
                return (false, false);
            }
            match stats.note(NoteId(i as u32)).echo {
                Some(echo) => (echo, false),
                None => (echoes_declared_words(analyzer, &vault.notes[i]), true),
            }
        })
        .collect();
    for (i, &(echo, fresh)) in measured.iter().enumerate() {
        if fresh {
            stats.set_echo(NoteId(i as u32), echo);
        }
    }
    measured.into_iter().map(|(echo, _)| echo).collect()
}

fn drifted(similarity: f32, floor: f32, calibration: &Calibration, p: f64) -> Option<Drifted> {
    (similarity < floor && calibration.in_lowest(similarity, p)).then(|| Drifted {
        similarity,
        percentile_value: calibration.at(p),
    })
}

fn identity_similarity(stats: &TermStats, terms: &NoteTerms) -> Option<f32> {
    if !judged_body(terms) || !judged_identity(terms) {
        return None;
    }
    Some(stats.similarity(&terms.body, &terms.identity))
}

/// The note as a whole for `relation-drift`: its body and identity, when the body can be
/// judged; a short body's declared identity stands in for it when that says enough.
fn whole_of(stats: &TermStats, terms: &NoteTerms) -> Whole {
    let long = judged_body(terms);
    let stands_in = terms.unmeasured <= terms.body_len && judged_identity(terms);
    (long || stands_in).then(|| (stats.whole_norm(terms), long))
}

/// Cosine of two whole notes, when at least one of them is judged on a long body: two
/// identities alone say too little about each other.
fn pair_similarity(stats: &TermStats, a: (NoteId, Whole), b: (NoteId, Whole)) -> Option<f32> {
    match (a, b) {
        ((a, Some((a_norm, a_long))), (b, Some((b_norm, b_long)))) if a_long || b_long => {
            Some(stats.whole_cosine(stats.note(a), a_norm, stats.note(b), b_norm))
        }
        _ => None,
    }
}

/// The value at percentile `p` (0–100) by nearest rank; 0 for an empty list.
pub fn percentile(values: &[f32], p: f64) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    nearest_rank(&sorted, p)
}

/// The value at percentile `p` of values already sorted; 0 for an empty list.
fn nearest_rank(sorted: &[f32], p: f64) -> f32 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::Calibration;

    #[test]
    fn ties_at_the_bottom_are_not_the_lowest_percentile() {
        // Most notes at 0: none of them is "among the lowest 5%".
        let mut values = vec![0.0; 60];
        values.extend((1..=40).map(|i| i as f32 / 100.0));
        let calibration = Calibration::new(values);
        assert_eq!(calibration.at(5.0), 0.0);
        assert!(!calibration.in_lowest(0.0, 5.0));
        // A single lowest value of a small vault still is.
        let calibration = Calibration::new(vec![0.07, 0.2, 0.3, 0.35, 0.4, 0.41, 0.5, 0.6]);
        assert!(calibration.in_lowest(0.07, 5.0));
        assert!(calibration.in_lowest(0.3, 5.0));
        assert!(!calibration.in_lowest(0.35, 5.0));
        // Never more than the share asked for: 5 of 100 distinct values.
        let calibration = Calibration::new((0..100).map(|i| i as f32).collect());
        let lowest = (0..100)
            .filter(|&i| calibration.in_lowest(i as f32, 5.0))
            .count();
        assert_eq!(lowest, 5);
    }
}
