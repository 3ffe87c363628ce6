//! Frame topology and coherence: typed links, the graph they form, term statistics for drift,
//! and the per-note coherence vector.
//!
//! [`Coherence`] is built once per vault next to the [`LinkGraph`] and handed to the rules;
//! [`Coherence::update_note`] keeps it current after one note changes.

mod anchors;
mod drift;
mod echo;
mod prose;
mod relations;
mod terms;
mod topology;
mod vector;

use crate::config::{Config, RelationsConfig, RuleLevel};
use crate::history::TraceState;
use crate::resolve::LinkGraph;
use crate::vault::{NoteId, Vault};

pub use anchors::{AnchorDrift, AnchorDrifted, SIGNATURE_TERMS, signature, signatures};
pub use drift::{Calibration, Drift, Drifted, MIN_BODY_TERMS, MIN_IDENTITY_TERMS, percentile};
pub use relations::{Declared, HeadingMatcher, TypedLink, typed_links};
pub use terms::{NoteTerms, TermStats, body_text, cosine, identity_text, set_note_language};
pub use topology::{Confirmation, NoteEdges, Topology, TypedEdge};
pub use vector::{
    COHERENCE_RULES, CoherenceVector, coherence_vector, score, vault_coherence,
    vector_with_conflicts,
};

/// The rules that need term vectors; with both off, none are built (unless `anchor-drift` is
/// on and the vault's trace has anchors).
pub const DRIFT_RULES: [&str; 2] = ["identity-drift", "relation-drift"];

/// What of the drift model the check reads. The term vectors and identity similarities feed
/// the coherence score whenever drift is not turned off; the rest serves one rule each
/// (both off by default) and costs a fifth of a cold check, so it is built for that rule only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DriftNeeds {
    /// Term vectors, document frequencies and identity similarities.
    pub terms: bool,
    /// Whether bodies under the identity floor echo their declared words (`identity-drift`).
    pub echo: bool,
    /// Similarities of related notes and their calibration (`relation-drift`).
    pub relations: bool,
}

impl DriftNeeds {
    /// Nothing: no term vectors at all.
    pub const NONE: DriftNeeds = DriftNeeds {
        terms: false,
        echo: false,
        relations: false,
    };
    /// The whole model, for every drift rule.
    pub const ALL: DriftNeeds = DriftNeeds {
        terms: true,
        echo: true,
        relations: true,
    };
    /// Term vectors and identity similarities only (the score, query rules, anchors).
    pub const TERMS: DriftNeeds = DriftNeeds {
        terms: true,
        echo: false,
        relations: false,
    };
}

/// The coherence model of a vault: its topology and, when a drift rule is on, its terms.
#[derive(Clone, Debug, Default)]
pub struct Coherence {
    pub config: RelationsConfig,
    pub topology: Topology,
    /// `None` when no drift rule needs term vectors.
    pub drift: Option<Drift>,
    /// Each note against its drift anchor in the trace (`anchor-drift`); `None` when the
    /// rule is off or the trace has no anchors.
    pub anchors: Option<AnchorDrift>,
}

impl Coherence {
    /// Builds the model for `vault`, whose links `graph` resolves, with what of drift
    /// `drift` asks for (the rules in effect). Reads nothing from disk; drift anchors come
    /// from the trace through [`Coherence::measure_anchors`].
    pub fn build(
        vault: &Vault,
        graph: &LinkGraph,
        config: &Config,
        drift: DriftNeeds,
    ) -> Coherence {
        Coherence::build_with(vault, graph, config, drift, Vec::new())
    }

    /// [`Coherence::build`] with the term vectors of some notes already known, by note id
    /// (the check cache's, for notes whose text did not change).
    pub fn build_with(
        vault: &Vault,
        graph: &LinkGraph,
        config: &Config,
        drift: DriftNeeds,
        known: Vec<Option<NoteTerms>>,
    ) -> Coherence {
        let relations = config.relations.clone();
        let topology = Topology::build(vault, graph, &relations);
        let drift = drift
            .terms
            .then(|| Drift::build_with(vault, &topology, &relations, drift, known));
        Coherence {
            config: relations,
            topology,
            drift,
            anchors: None,
        }
    }

    /// Measures every note against its drift anchor in `trace` (`anchor-drift`), building
    /// the term vectors it needs when the model has none yet. Without anchors in the trace
    /// there is nothing to measure.
    pub fn measure_anchors(&mut self, vault: &Vault, config: &Config, trace: &TraceState) {
        if !trace.has_anchors() {
            self.anchors = None;
            return;
        }
        // Anchors read term vectors only.
        let drift = self.drift.get_or_insert_with(|| {
            let needs = DriftNeeds::TERMS;
            Drift::build_with(vault, &self.topology, &self.config, needs, Vec::new())
        });
        let floor = config.history.anchor_floor as f32;
        let percentile = config.relations.drift_percentile;
        self.anchors = AnchorDrift::build(vault, &drift.stats, trace, floor, percentile);
    }

    /// Updates the model after note `id` changed in place (same path, so same ids); `graph`
    /// must already hold the note's new resolutions. `trace`, when given, is the trace as it
    /// is now, whose anchor for the note replaces the one the model holds. Returns the notes
    /// whose per-note coherence findings may have changed: check them again (with
    /// `check_note`), and run the vault-wide rules (`relation-cycle`) once.
    ///
    /// Adding or removing a note shifts ids: build the model again then.
    pub fn update_note(
        &mut self,
        vault: &Vault,
        graph: &LinkGraph,
        id: NoteId,
        trace: Option<&TraceState>,
    ) -> Vec<NoteId> {
        let affected = self.topology.update_note(vault, graph, &self.config, id);
        if let Some(drift) = &mut self.drift {
            drift.update_note(vault, &self.topology, id);
            if let Some(anchors) = &mut self.anchors {
                if let Some(trace) = trace {
                    anchors.set_anchor(id, trace.anchor(&vault.note(id).path));
                }
                anchors.update_note(&drift.stats, id);
            }
        }
        affected
    }
}

/// Whether `anchor-drift` is on (the caller then reads the trace for [`Inputs::trace`]).
pub fn anchor_drift_on(config: &Config) -> bool {
    config.rules.get("anchor-drift") != Some(&RuleLevel::Off)
}

/// Whether either drift rule is on (a query rule with a `drift-floor` needs drift too;
/// the caller, who knows the query rules, adds that).
pub fn drift_rules_on(config: &Config) -> bool {
    DRIFT_RULES
        .iter()
        .any(|code| config.rules.get(*code) != Some(&RuleLevel::Off))
}
