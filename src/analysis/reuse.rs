//! `twin check` through the check cache: the last run's findings when nothing they depend on
//! changed (no model is loaded), else a load through the cache whose findings are kept for
//! the next run.
//!
//! Which files changed is told by their stamps (`cache/stamps.rs`), and a file whose stamp
//! is new by the hash of its text: a checkout that rewrites every file with the same text
//! still reuses the last run once the texts are hashed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use super::cache::run::{self, RunKey};
use super::cache::stamps::{Manifest, hash_files, is_read, stamp};
use super::cache::{CacheReport, CacheSetting, CheckCache, check_dir};
use super::{Analysis, Anchors, Stage};
use crate::coherence::{Coherence, CoherenceVector, anchor_drift_on};
use crate::diagnostic::Diagnostic;
use crate::history::TRACE_FILE;
use crate::resolve::LinkGraph;
use crate::rules::Rulebook;
use crate::search::cache::content_hash;
use crate::vault::{DiscoveredFile, LoadError, discover_files, load_discovered};

/// What [`Analysis::load_for_check`] found.
pub enum Checked {
    /// Nothing the findings depend on changed since a run the cache kept: its results.
    Reused(Box<ReusedRun>),
    /// The vault, loaded through the check cache. Once it is checked,
    /// [`RunToSave::save`] keeps its results for the next run.
    Loaded(Box<Analysis>, RunToSave),
}

/// The results of an earlier run with the same inputs.
pub struct ReusedRun {
    /// The rulebook and a vault to report against: every note by path, with its text only
    /// where a finding points. No link is resolved and there is no coherence model: this
    /// analysis serves reports and the history's annotations, never the rules.
    pub analysis: Analysis,
    pub findings: Vec<Diagnostic>,
    pub score: f64,
    pub vectors: Vec<CoherenceVector>,
}

/// Where and under which key to keep a run's results; nothing when the cache is off or a
/// note changed while the vault was read.
pub struct RunToSave(Option<(PathBuf, RunKey)>);

impl RunToSave {
    /// Keeps the results of checking `analysis` (the findings before the history's
    /// annotations) for the next run; `Err` says why they could not be written.
    pub fn save(
        self,
        analysis: &Analysis,
        findings: &[Diagnostic],
        score: f64,
        vectors: &[CoherenceVector],
    ) -> Result<(), String> {
        let Some((dir, key)) = self.0 else {
            return Ok(());
        };
        run::save(&dir, key, &analysis.vault, findings, score, vectors).map_err(|e| {
            format!(
                "the check cache cannot be written in {}: {e}",
                dir.display()
            )
        })
    }
}

impl Analysis {
    /// Loads the vault at `root` for `twin check` through the check cache. With `reuse`,
    /// the results of the last run come back instead when nothing they depend on changed
    /// (the rulebook, twin, the list of files, any note's or canvas's text, the trace when
    /// `anchor-drift` reads it); otherwise the load is [`Analysis::load_cached`]'s.
    pub fn load_for_check(
        root: &Path,
        rulebook: Arc<Rulebook>,
        setting: &CacheSetting,
        reuse: bool,
        stage: &mut dyn FnMut(Stage),
    ) -> Result<(Checked, CacheReport), LoadError> {
        let mut prepared = match Prepared::new(root, &rulebook, setting)? {
            Ok(prepared) => prepared,
            Err(report) => {
                let analysis = Analysis::load_with(root, rulebook, stage)?;
                return Ok((Checked::Loaded(Box::new(analysis), RunToSave(None)), report));
            }
        };
        if reuse {
            let p = &prepared;
            match run::load(&p.dir, p.key, &p.root, &p.files, &p.hashes) {
                Ok(Some(found)) => {
                    stage(Stage::Load);
                    let mut report = CacheReport {
                        hashed: p.hashed,
                        reused: true,
                        ..CacheReport::default()
                    };
                    report.warnings.extend(prepared.problem);
                    report.warnings.extend(prepared.write_problem);
                    let analysis = Analysis {
                        rulebook,
                        vault: found.vault,
                        graph: LinkGraph::default(),
                        coherence: Coherence::default(),
                        coherent: false,
                        resolved: false,
                    };
                    let reused = ReusedRun {
                        analysis,
                        findings: found.findings,
                        score: found.score,
                        vectors: found.vectors,
                    };
                    return Ok((Checked::Reused(Box::new(reused)), report));
                }
                Ok(None) => {}
                Err(problem) => {
                    prepared.problem.get_or_insert(problem);
                }
            }
        }
        let (analysis, report, save) = prepared.load(rulebook, stage);
        Ok((Checked::Loaded(Box::new(analysis), save), report))
    }

    /// [`Analysis::load_with`] through the check cache: notes whose text did not change
    /// take their parse and term vectors from it, and the cache is updated with the notes
    /// that did. The result is the analysis a load without the cache gives.
    pub fn load_cached(
        root: &Path,
        rulebook: Arc<Rulebook>,
        setting: &CacheSetting,
        stage: &mut dyn FnMut(Stage),
    ) -> Result<(Analysis, CacheReport), LoadError> {
        match Prepared::new(root, &rulebook, setting)? {
            Ok(prepared) => {
                let (analysis, report, _) = prepared.load(rulebook, stage);
                Ok((analysis, report))
            }
            Err(report) => Ok((Analysis::load_with(root, rulebook, stage)?, report)),
        }
    }
}

/// A vault's files listed and stamped, and the key of a run over them.
struct Prepared {
    root: PathBuf,
    dir: PathBuf,
    files: Vec<DiscoveredFile>,
    hashes: Vec<u64>,
    key: RunKey,
    hashed: usize,
    /// A problem reading the cache, said once.
    problem: Option<String>,
    write_problem: Option<String>,
}

impl Prepared {
    /// Lists and stamps the files of the vault at `root` and updates the stamps' manifest;
    /// `Ok(Err(report))` when there is no cache to go through (the report says why, if
    /// there is a reason to give).
    fn new(
        root: &Path,
        rulebook: &Rulebook,
        setting: &CacheSetting,
    ) -> Result<Result<Prepared, CacheReport>, LoadError> {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let dir = match check_dir(setting, &canonical) {
            None => return Ok(Err(CacheReport::default())),
            Some(Err(warning)) => {
                return Ok(Err(CacheReport {
                    warnings: vec![warning],
                    ..CacheReport::default()
                }));
            }
            Some(Ok(dir)) => dir,
        };
        if !root.is_dir() {
            return Err(LoadError::NotAFolder(root.to_path_buf()));
        }
        let started = SystemTime::now();
        let files = discover_files(&canonical, &rulebook.config);
        let (manifest, problem) = Manifest::read(&dir);
        let (hashes, next, hashed) = hash_files(&files, &manifest, started);
        let trace = anchor_drift_on(&rulebook.config).then(|| stamp(&canonical.join(TRACE_FILE)));
        let key = run::run_key(&files, &hashes, rulebook, trace);
        let mut write_problem = None;
        if hashed > 0 || next.files.len() != manifest.files.len() {
            write_problem = next.write(&dir).err().map(|e| {
                format!(
                    "the check cache cannot be written in {}: {e}",
                    dir.display()
                )
            });
        }
        Ok(Ok(Prepared {
            root: canonical,
            dir,
            files,
            hashes,
            key,
            hashed,
            problem,
            write_problem,
        }))
    }

    /// Loads the vault through the cache's shards and writes those whose notes changed.
    fn load(
        self,
        rulebook: Arc<Rulebook>,
        stage: &mut dyn FnMut(Stage),
    ) -> (Analysis, CacheReport, RunToSave) {
        let cache = CheckCache::open_dir(self.dir.clone(), self.problem);
        // The key was made from the texts hashed before: a note that changed since makes
        // the findings those of other texts, which are then not kept.
        let expected: FxHashMap<&str, u64> = self
            .files
            .iter()
            .zip(&self.hashes)
            .filter(|(f, _)| is_read(f))
            .map(|(f, h)| (&*f.path, *h))
            .collect();
        let moved = AtomicBool::new(false);
        let vault = load_discovered(self.root.clone(), &self.files, &|path, text| {
            let hash = content_hash(&text);
            if expected.get(&*path) != Some(&hash) {
                moved.store(true, Ordering::Relaxed);
            }
            cache.parse_hashed(path, text, hash)
        });
        if vault
            .canvases
            .iter()
            .any(|c| expected.get(&*c.path) != Some(&content_hash(&c.text)))
        {
            moved.store(true, Ordering::Relaxed);
        }
        drop(expected);
        stage(Stage::Load);
        let known = match rulebook.needs_drift() {
            true => cache.known_terms(&vault),
            false => Vec::new(),
        };
        let analysis = Analysis::assemble(vault, rulebook, known, Anchors::Trace, stage);
        let mut report = cache.save(&analysis.vault, &analysis.coherence);
        report.hashed = self.hashed;
        report.warnings.extend(self.write_problem);
        stage(Stage::Coherence);
        let save = RunToSave((!moved.into_inner()).then_some((self.dir, self.key)));
        (analysis, report, save)
    }
}
