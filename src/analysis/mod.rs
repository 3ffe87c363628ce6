//! The analysis of one vault, built once and updated in place: the one place the pipeline
//! load → resolve → coherence → rules is assembled, for every command and the language
//! server.
//!
//! - [`Analysis::load`] reads a vault from disk with its [`Rulebook`] (`load_rulebook`);
//!   [`Analysis::from_vault`] analyzes a vault built otherwise (a git commit's, tests').
//! - [`Analysis::apply`] takes the notes that changed and updates the model incrementally
//!   (`incremental.rs`: only the links a change can affect are resolved again); the CLI never
//!   needs it, the language server always uses it.
//! - [`Analysis::check`], [`Analysis::check_note`] and [`Analysis::check_vault_wide`] run the
//!   rules; `fulltext.rs` runs the query rules' full-text selectors against the cached search
//!   index; `record.rs` records findings and anchors in the vault's history.
//! - `replay/` replays the check over the vault's git history (`twin history --from-git`).
//!
//! Byte offsets and core types only: no terminal, JSON report or LSP types.

mod cache;
mod change;
#[cfg(test)]
pub(crate) mod fixture;
mod fulltext;
pub mod ide;
mod incremental;
mod picture;
mod record;
mod replay;
mod reuse;
mod rulebook;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::coherence::{Coherence, NoteTerms, anchor_drift_on};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::history::{TraceState, with_trace};
use crate::note::VaultPath;
use crate::query_rules::FullText;
use crate::resolve::{LinkGraph, build_link_graph};
use crate::rules::{Rulebook, check_canvases, check_note, check_vault, check_vault_with};
use crate::vault::{LoadError, NoteId, Vault, load_vault, load_vault_with};

use cache::CheckCache;

pub use cache::{CACHE_FORMAT, CacheReport, CacheSetting, set_racy_window};
pub use change::{Change, Effect};
pub use fulltext::{FullTextOutcome, cached_fulltext};
pub use picture::{Picture, PictureEdge};
pub use replay::{Replay, ReplaySummary, replay_git};
pub use reuse::{Checked, ReusedRun, RunToSave};
pub use rulebook::{load_rulebook, load_rulebook_lenient};

/// A stage of [`Analysis::load_with`], reported when it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Notes found, read and parsed; names indexed.
    Load,
    /// Every link resolved.
    Resolve,
    /// The coherence model (topology, drift, anchors) built.
    Coherence,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Resolve => "resolve",
            Stage::Coherence => "coherence",
        }
    }
}

/// A vault with its resolved links, its coherence model and the rules in effect, always
/// consistent with each other.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub rulebook: Arc<Rulebook>,
    pub vault: Vault,
    pub graph: LinkGraph,
    /// Empty until built when loaded in stages ([`Analysis::load_resolved`]).
    pub coherence: Coherence,
    /// Whether `coherence` is built for this vault and these links.
    coherent: bool,
    /// Whether `graph` holds every link resolved (always, but during a staged load:
    /// [`Analysis::load_names_cached`]).
    resolved: bool,
}

impl Analysis {
    /// Reads, parses and analyzes the vault at `root`.
    pub fn load(root: &Path, rulebook: Arc<Rulebook>) -> Result<Analysis, LoadError> {
        Analysis::load_with(root, rulebook, &mut |_| {})
    }

    /// [`Analysis::load`], calling `stage` as each stage ends (for timings and progress).
    pub fn load_with(
        root: &Path,
        rulebook: Arc<Rulebook>,
        stage: &mut dyn FnMut(Stage),
    ) -> Result<Analysis, LoadError> {
        let mut analysis = Analysis::load_resolved(root, rulebook, stage)?;
        analysis.set_coherence(analysis.coherence_model());
        stage(Stage::Coherence);
        Ok(analysis)
    }

    /// [`Analysis::load_resolved`] through the check cache (the language server's warm
    /// start): notes whose text did not change take their parse from it. The cache comes
    /// back beside the analysis when the setting has one, for the coherence stage
    /// ([`Analysis::coherence_model_cached`]: cached term vectors) and to be saved after it
    /// ([`StagedCache::save`]). Problems reading it are in [`StagedCache::warnings`].
    pub fn load_resolved_cached(
        root: &Path,
        rulebook: Arc<Rulebook>,
        setting: &CacheSetting,
        stage: &mut dyn FnMut(Stage),
    ) -> Result<(Analysis, Option<StagedCache>), LoadError> {
        let (mut analysis, cache) = Analysis::load_names_cached(root, rulebook, setting, stage)?;
        analysis.set_graph(analysis.link_graph());
        stage(Stage::Resolve);
        Ok((analysis, cache))
    }

    /// The first stage of [`Analysis::load_resolved_cached`] alone: notes read and parsed
    /// (or taken from the check cache), names indexed, no link resolved
    /// ([`Analysis::is_resolved`] is false). It answers definitions
    /// ([`Analysis::definition_unresolved`]: a note's own links are resolved on the spot)
    /// while [`Analysis::link_graph`] resolves every link apart, to be set with
    /// [`Analysis::set_graph`]. Nothing else may read it before: its graph is empty, so
    /// rules, references and edits ([`Analysis::apply`]) need the links set first.
    pub fn load_names_cached(
        root: &Path,
        rulebook: Arc<Rulebook>,
        setting: &CacheSetting,
        stage: &mut dyn FnMut(Stage),
    ) -> Result<(Analysis, Option<StagedCache>), LoadError> {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let cache = CheckCache::open(setting, &canonical);
        let vault = match &cache {
            Some(cache) => load_vault_with(root, &rulebook.config, &|path, text| {
                cache.parse(path, text)
            })?,
            None => load_vault(root, &rulebook.config)?,
        };
        stage(Stage::Load);
        let analysis = Analysis {
            rulebook,
            vault,
            graph: LinkGraph::default(),
            coherence: Coherence::default(),
            coherent: false,
            resolved: false,
        };
        Ok((analysis, cache.map(StagedCache)))
    }

    /// Whether every link is resolved (always, but after [`Analysis::load_names_cached`]
    /// until [`Analysis::set_graph`]).
    pub fn is_resolved(&self) -> bool {
        self.resolved
    }

    /// Every link of the vault resolved. It only reads the analysis, so a definition may
    /// be answered from it meanwhile.
    pub fn link_graph(&self) -> LinkGraph {
        build_link_graph(&self.vault)
    }

    /// Sets the links resolved by [`Analysis::link_graph`] on this very analysis.
    pub fn set_graph(&mut self, graph: LinkGraph) {
        self.graph = graph;
        self.resolved = true;
    }

    /// [`Analysis::coherence_model`] with the term vectors of `cache` for the notes that
    /// took their parse from it and are unchanged since (edits in between are welcome).
    pub fn coherence_model_cached(&self, cache: &StagedCache) -> Coherence {
        let known = match self.rulebook.drift_needs().terms {
            true => cache.0.known_terms(&self.vault),
            false => Vec::new(),
        };
        coherence_with(
            &self.vault,
            &self.graph,
            &self.rulebook,
            known,
            Anchors::Trace,
        )
    }

    /// The first stages of a load: notes read and parsed, names indexed, every link
    /// resolved; the coherence model is left out ([`Analysis::is_coherent`] is false), so
    /// navigation can answer while [`Analysis::coherence_model`] builds it apart.
    /// Rules must not run before it is set.
    pub fn load_resolved(
        root: &Path,
        rulebook: Arc<Rulebook>,
        stage: &mut dyn FnMut(Stage),
    ) -> Result<Analysis, LoadError> {
        let vault = load_vault(root, &rulebook.config)?;
        stage(Stage::Load);
        let graph = build_link_graph(&vault);
        stage(Stage::Resolve);
        Ok(Analysis {
            rulebook,
            vault,
            graph,
            coherence: Coherence::default(),
            coherent: false,
            resolved: true,
        })
    }

    /// Whether the coherence model is built (always, but during a staged load).
    pub fn is_coherent(&self) -> bool {
        self.coherent
    }

    /// The coherence model of this vault and its links. It only reads the analysis, so
    /// requests may go on reading it while the model is built.
    pub fn coherence_model(&self) -> Coherence {
        build_coherence(&self.vault, &self.graph, &self.rulebook)
    }

    /// Sets the coherence model built by [`Analysis::coherence_model`] on this very
    /// analysis (not on one edited since).
    pub fn set_coherence(&mut self, coherence: Coherence) {
        self.coherence = coherence;
        self.coherent = true;
    }

    /// Analyzes a vault that is already in memory. `anchor-drift` reads the vault's trace.
    pub fn from_vault(vault: Vault, rulebook: Arc<Rulebook>) -> Analysis {
        Analysis::analyze(vault, rulebook, &mut |_| {})
    }

    /// [`Analysis::from_vault`] with `anchor-drift` measured against the anchors of `state`
    /// instead of the vault's trace: for replaying the vault's history.
    pub fn against(vault: Vault, rulebook: Arc<Rulebook>, state: &TraceState) -> Analysis {
        Analysis::assemble(
            vault,
            rulebook,
            Vec::new(),
            Anchors::State(state),
            &mut |_| {},
        )
    }

    /// An analysis of no notes at `root`, for a workspace not loaded yet.
    pub fn empty(root: PathBuf) -> Analysis {
        let vault = Vault::from_parts(root, Vec::new(), Vec::new(), Vec::new());
        Analysis::from_vault(vault, Arc::default())
    }

    fn analyze(vault: Vault, rulebook: Arc<Rulebook>, stage: &mut dyn FnMut(Stage)) -> Analysis {
        let analysis = Analysis::assemble(vault, rulebook, Vec::new(), Anchors::Trace, stage);
        stage(Stage::Coherence);
        analysis
    }

    /// The one assembly of a loaded vault: every link resolved (then `stage(Resolve)`), the
    /// coherence model built with the term vectors already `known` by note id (the check
    /// cache's), and `anchor-drift` measured against `anchors`. The caller reports the
    /// coherence stage's end, after whatever it does with the model (the cache saves it).
    fn assemble(
        vault: Vault,
        rulebook: Arc<Rulebook>,
        known: Vec<Option<NoteTerms>>,
        anchors: Anchors,
        stage: &mut dyn FnMut(Stage),
    ) -> Analysis {
        let graph = build_link_graph(&vault);
        stage(Stage::Resolve);
        let coherence = coherence_with(&vault, &graph, &rulebook, known, anchors);
        Analysis {
            rulebook,
            vault,
            graph,
            coherence,
            coherent: true,
            resolved: true,
        }
    }

    /// The configuration in effect.
    pub fn config(&self) -> &Config {
        &self.rulebook.config
    }

    /// Uses another rulebook: the coherence model depends on it.
    pub fn set_rulebook(&mut self, rulebook: Arc<Rulebook>) {
        self.coherence = build_coherence(&self.vault, &self.graph, &rulebook);
        self.coherent = true;
        self.rulebook = rulebook;
    }

    /// Applies changes and returns what they affected.
    pub fn apply(&mut self, changes: Vec<Change>) -> Effect {
        incremental::apply(self, changes)
    }

    /// Every finding of the vault, sorted. Full-text selectors of query rules take their
    /// matches from `fulltext` ([`cached_fulltext`]) or, without it, from an index built
    /// in memory.
    pub fn check(&self, fulltext: Option<&FullText>) -> Vec<Diagnostic> {
        check_vault_with(
            &self.vault,
            &self.graph,
            &self.coherence,
            &self.rulebook,
            fulltext,
        )
    }

    /// The findings of one note's per-note rules (after an edit).
    pub fn check_note(&self, id: NoteId) -> Vec<Diagnostic> {
        check_note(
            &self.vault,
            &self.graph,
            &self.coherence,
            &self.rulebook,
            id,
        )
    }

    /// The findings of the vault-wide rules only (`alias-conflict`, `relation-cycle`, ...),
    /// at their configured severities, sorted as [`Analysis::check`] sorts them.
    pub fn check_vault_wide(&self) -> Vec<Diagnostic> {
        let rulebook = self.rulebook.vault_wide_only();
        let mut found = check_vault(&self.vault, &self.graph, &self.coherence, &rulebook);
        // Canvases are judged by per-note rules (`broken-link`, ...) but belong to no note.
        let canvases = check_canvases(&self.vault, &self.graph, &self.coherence, &self.rulebook);
        if !canvases.is_empty() {
            found.extend(canvases);
            crate::rules::sort_diagnostics(&mut found);
        }
        found
    }

    /// Every note's path.
    pub fn all_paths(&self) -> BTreeSet<VaultPath> {
        self.vault.notes.iter().map(|n| n.path.clone()).collect()
    }
}

/// The check cache a staged load read ([`Analysis::load_resolved_cached`]), kept for the
/// coherence stage and saved once that stage is done.
pub struct StagedCache(CheckCache);

impl StagedCache {
    /// Problems met reading the cache (a corrupt shard, a folder inside the vault), one
    /// sentence each; the load went on without the parts concerned.
    pub fn warnings(&self) -> &[String] {
        &self.0.report.warnings
    }

    /// Writes the shards whose notes changed, from a coherent analysis (the staged load's
    /// own, or one edited since: a note edited in memory is written as it is now). The
    /// report's warnings are those of writing; reading's are in [`StagedCache::warnings`].
    pub fn save(self, analysis: &Analysis) -> CacheReport {
        let read = self.0.report.warnings.len();
        let mut report = self.0.save(&analysis.vault, &analysis.coherence);
        report.warnings.drain(..read.min(report.warnings.len()));
        report
    }
}

/// Where `anchor-drift` takes its anchors from.
enum Anchors<'a> {
    /// The vault's trace (none when it cannot be read).
    Trace,
    /// A trace state replayed from the vault's history.
    State(&'a TraceState),
}

/// The coherence model of `vault` under `rulebook`, measured against the drift anchors of
/// the vault's trace when `anchor-drift` is on (an unreadable trace has none).
fn build_coherence(vault: &Vault, graph: &LinkGraph, rulebook: &Rulebook) -> Coherence {
    coherence_with(vault, graph, rulebook, Vec::new(), Anchors::Trace)
}

/// [`build_coherence`] with the term vectors already `known` by note id, and `anchor-drift`
/// (when on) measured against `anchors`.
fn coherence_with(
    vault: &Vault,
    graph: &LinkGraph,
    rulebook: &Rulebook,
    known: Vec<Option<NoteTerms>>,
    anchors: Anchors,
) -> Coherence {
    let config = &rulebook.config;
    let mut coherence = Coherence::build_with(vault, graph, config, rulebook.drift_needs(), known);
    if anchor_drift_on(config) {
        match anchors {
            // The trace is read through its per-process cache, so a second look is cheap.
            Anchors::Trace => {
                let _ = with_trace(&vault.root, |trace| {
                    coherence.measure_anchors(vault, config, trace.state())
                });
            }
            Anchors::State(state) => coherence.measure_anchors(vault, config, state),
        }
    }
    coherence
}
