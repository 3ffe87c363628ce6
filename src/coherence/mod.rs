//! Frame topology and coherence: typed links, the graph they form, term statistics for drift,
//! and the per-note coherence vector.
//!
//! [`Coherence`] is built once per vault next to the [`LinkGraph`] and handed to the rules;
//! [`Coherence::update_note`] keeps it current after one note changes.

mod drift;
mod relations;
mod terms;
mod topology;
mod vector;

use crate::config::{Config, RelationsConfig, RuleLevel};
use crate::history::{AnchorDrift, TraceState, has_anchors, load_anchor_drift};
use crate::resolve::LinkGraph;
use crate::vault::{NoteId, Vault};

pub use drift::{Drift, Drifted, MIN_BODY_TERMS, percentile};
pub use relations::{Declared, HeadingMatcher, Relation, TypedLink, typed_links};
pub use terms::{NoteTerms, TermStats, body_text, cosine, identity_text, set_note_language};
pub use topology::{Confirmation, NoteEdges, Topology, TypedEdge};
pub use vector::{
    COHERENCE_RULES, CoherenceVector, coherence_vector, score, vault_coherence,
    vector_with_conflicts,
};

/// The rules that need term vectors; with both off, none are built (unless `anchor-drift` is
/// on and the vault's trace has anchors).
pub const DRIFT_RULES: [&str; 2] = ["identity-drift", "relation-drift"];

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
    /// Builds the model for `vault`, whose links `graph` resolves; `anchor-drift` compares
    /// notes with the anchors of the vault's trace.
    pub fn build(vault: &Vault, graph: &LinkGraph, config: &Config) -> Coherence {
        let anchored = anchor_drift_on(config) && has_anchors(&vault.root);
        Coherence::build_with(vault, graph, config, anchored, |drift| {
            load_anchor_drift(vault, &drift.stats, config)
        })
    }

    /// [`Coherence::build`] with `anchor-drift` measured against the anchors of `state`
    /// instead of the vault's trace: for replaying the vault's history.
    pub fn build_against(
        vault: &Vault,
        graph: &LinkGraph,
        config: &Config,
        state: &TraceState,
    ) -> Coherence {
        let anchored = anchor_drift_on(config) && state.has_anchors();
        Coherence::build_with(vault, graph, config, anchored, |drift| {
            let floor = config.history.anchor_floor as f32;
            let percentile = config.relations.drift_percentile;
            AnchorDrift::build(vault, &drift.stats, state, floor, percentile)
        })
    }

    fn build_with(
        vault: &Vault,
        graph: &LinkGraph,
        config: &Config,
        anchored: bool,
        anchors: impl FnOnce(&Drift) -> Option<AnchorDrift>,
    ) -> Coherence {
        let relations = config.relations.clone();
        let topology = Topology::build(vault, graph, &relations);
        let drift =
            (drift_enabled(config) || anchored).then(|| Drift::build(vault, &topology, &relations));
        let anchors = drift.as_ref().filter(|_| anchored).and_then(anchors);
        Coherence {
            config: relations,
            topology,
            drift,
            anchors,
        }
    }

    /// Updates the model after note `id` changed in place (same path, so same ids); `graph`
    /// must already hold the note's new resolutions. Returns the notes whose per-note
    /// coherence findings may have changed: check them again (with `check_note`), and run
    /// the vault-wide rules (`relation-cycle`) once.
    ///
    /// Adding or removing a note shifts ids: build the model again then.
    pub fn update_note(&mut self, vault: &Vault, graph: &LinkGraph, id: NoteId) -> Vec<NoteId> {
        let affected = self.topology.update_note(vault, graph, &self.config, id);
        if let Some(drift) = &mut self.drift {
            drift.update_note(vault, &self.topology, id);
            if let Some(anchors) = &mut self.anchors {
                anchors.update_note(vault, &drift.stats, id);
            }
        }
        affected
    }
}

fn anchor_drift_on(config: &Config) -> bool {
    config.rules.get("anchor-drift") != Some(&RuleLevel::Off)
}

/// Whether either drift rule is on, or a query rule in effect sets a `drift-floor`.
pub fn drift_enabled(config: &Config) -> bool {
    DRIFT_RULES
        .iter()
        .any(|code| config.rules.get(*code) != Some(&RuleLevel::Off))
        || config.queries.needs_drift(config)
}
