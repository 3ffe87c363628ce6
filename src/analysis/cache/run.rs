//! The last run's results: every finding, the coherence score and each note's vector, kept
//! under a key of everything they depend on, so that a re-check of an unchanged vault
//! reports them again without loading the model.
//!
//! The key hashes twin's version, the cache format and the executable's own stamp (a
//! rebuilt twin judges again), the rulebook in effect (configuration, Obsidian settings,
//! query rules, `--select` and `--ignore`), the stamp of the trace when `anchor-drift`
//! reads it, and every discovered file: its path and kind, and for notes and canvases the
//! hash of the text (from the stamps' manifest where a file's stamp is unchanged). Ignore
//! files and exclusions need no part of their own: they act through the list of files.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use super::stamps::{Stamp, stamp};
use super::store::{read_framed, write_framed};
use crate::coherence::CoherenceVector;
use crate::diagnostic::{Diagnostic, Related, Severity, intern_code, is_file_rule_code};
use crate::note::{VaultPath, parse_note};
use crate::rules::Rulebook;
use crate::search::cache::content_hash;
use crate::text::{LineIndex, Span};
use crate::vault::{
    DiscoveredFile, FileKind, SkippedFile, Vault, is_canvas, read_canvas, read_note_file,
};

/// The file of the last run's results in the check cache's folder.
const RUN: &str = "run.bin";

/// What the findings of a run depend on, hashed twice with different seeds.
pub(crate) type RunKey = (u64, u64);

/// The key of a run over `files` (with `hashes` from [`super::stamps::hash_files`]) under
/// `rulebook`; `trace` is the trace's stamp when `anchor-drift` reads it.
pub(crate) fn run_key(
    files: &[DiscoveredFile],
    hashes: &[u64],
    rulebook: &Rulebook,
    trace: Option<Option<Stamp>>,
) -> RunKey {
    let exe = std::env::current_exe().ok().and_then(|p| stamp(&p));
    let rules = format!("{rulebook:?}");
    let key = |seed: u64| {
        let mut h = FxHasher::default();
        seed.hash(&mut h);
        (env!("CARGO_PKG_VERSION"), super::CACHE_FORMAT).hash(&mut h);
        exe.map(|s| (s.len, s.modified, s.changed, s.inode))
            .hash(&mut h);
        rules.hash(&mut h);
        trace
            .map(|t| t.map(|s| (s.len, s.modified, s.changed, s.inode)))
            .hash(&mut h);
        files.len().hash(&mut h);
        for (file, hash) in files.iter().zip(hashes) {
            file.path.hash(&mut h);
            (file.kind == FileKind::Note, file.lossy_name, *hash).hash(&mut h);
        }
        h.finish()
    };
    (key(0x5eed_0001), key(0x5eed_0002))
}

/// A finding as stored: the code as text, interned again when read.
#[derive(Serialize, Deserialize)]
struct StoredFinding {
    path: String,
    span: (u32, u32),
    severity: u8,
    code: String,
    message: String,
    related: Vec<(String, (u32, u32), String)>,
}

/// A note's coherence vector as stored.
#[derive(Serialize, Deserialize)]
struct StoredVector {
    link_integrity: f64,
    links: usize,
    reciprocity: f64,
    relations: usize,
    drift: Option<f64>,
    conflicts: usize,
    score: f64,
}

/// A run's results as stored after its key.
#[derive(Serialize, Deserialize)]
struct StoredRun {
    /// The notes read, by path (notes made for skipped files are left out).
    notes: Vec<String>,
    skipped: Vec<(String, String)>,
    findings: Vec<StoredFinding>,
    score: f64,
    vectors: Vec<StoredVector>,
}

/// A run's results read back.
pub(crate) struct Run {
    pub vault: Vault,
    pub findings: Vec<Diagnostic>,
    pub score: f64,
    pub vectors: Vec<CoherenceVector>,
}

fn span((start, end): (u32, u32)) -> Span {
    Span::new(start as usize, end as usize)
}

/// Writes the results of a run with `key` in `dir`.
pub(crate) fn save(
    dir: &Path,
    key: RunKey,
    vault: &Vault,
    findings: &[Diagnostic],
    score: f64,
    vectors: &[CoherenceVector],
) -> std::io::Result<()> {
    let skipped: FxHashMap<&str, &str> = vault
        .skipped
        .iter()
        .map(|s| (&*s.path, s.reason.as_str()))
        .collect();
    let stored = StoredRun {
        notes: vault
            .notes
            .iter()
            .filter(|n| !skipped.contains_key(&*n.path))
            .map(|n| n.path.to_string())
            .collect(),
        skipped: vault
            .skipped
            .iter()
            .map(|s| (s.path.to_string(), s.reason.clone()))
            .collect(),
        findings: findings
            .iter()
            .map(|d| StoredFinding {
                path: d.path.to_string(),
                span: (d.span.start, d.span.end),
                severity: d.severity as u8,
                code: d.code.to_owned(),
                message: d.message.clone(),
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        (
                            r.path.to_string(),
                            (r.span.start, r.span.end),
                            r.message.clone(),
                        )
                    })
                    .collect(),
            })
            .collect(),
        score,
        vectors: vectors
            .iter()
            .map(|v| StoredVector {
                link_integrity: v.link_integrity,
                links: v.links,
                reciprocity: v.reciprocity,
                relations: v.relations,
                drift: v.drift,
                conflicts: v.conflicts,
                score: v.score,
            })
            .collect(),
    };
    let mut body = postcard::to_stdvec(&key).map_err(std::io::Error::other)?;
    body.extend(postcard::to_stdvec(&stored).map_err(std::io::Error::other)?);
    std::fs::create_dir_all(dir)?;
    write_framed(&dir.join(RUN), &body)
}

/// The results stored in `dir` under `key`, with a vault of `files` to report them
/// against: every note by path, the text of those the findings point into (read now),
/// canvases, skipped files. `Ok(None)` when there are none for this key, or a file read
/// now no longer has the text hash `hashes` gave it (it changed meanwhile); `Err` with a
/// phrase when the file is damaged.
pub(crate) fn load(
    dir: &Path,
    key: RunKey,
    root: &Path,
    files: &[DiscoveredFile],
    hashes: &[u64],
) -> Result<Option<Run>, String> {
    let Some(body) = read_framed(&dir.join(RUN))? else {
        return Ok(None);
    };
    let corrupt = || format!("file {} is corrupt", dir.join(RUN).display());
    let (stored_key, rest) = postcard::take_from_bytes::<RunKey>(&body).map_err(|_| corrupt())?;
    if stored_key != key {
        return Ok(None);
    }
    let stored: StoredRun = postcard::from_bytes(rest).map_err(|_| corrupt())?;
    let severity = |s: u8| Severity::ALL.get(s as usize).copied().ok_or_else(corrupt);
    let mut findings = Vec::with_capacity(stored.findings.len());
    for f in stored.findings {
        // A built-in rule's code is its own constant; a query rule's was interned when the
        // rulebook was read. Interning any other code would make it a query rule's.
        let code = match crate::rules::rule(&f.code) {
            Some(rule) => rule.code,
            None if is_file_rule_code(&f.code) => intern_code(&f.code),
            None => return Ok(None),
        };
        findings.push(Diagnostic {
            path: f.path.into(),
            span: span(f.span),
            severity: severity(f.severity)?,
            code,
            message: f.message,
            related: f
                .related
                .into_iter()
                .map(|(path, s, message)| Related {
                    path: path.into(),
                    span: span(s),
                    message,
                })
                .collect(),
        });
    }
    let vectors = stored
        .vectors
        .into_iter()
        .map(|v| CoherenceVector {
            link_integrity: v.link_integrity,
            links: v.links,
            reciprocity: v.reciprocity,
            relations: v.relations,
            drift: v.drift,
            conflicts: v.conflicts,
            score: v.score,
        })
        .collect();
    let Some(vault) = report_vault(
        root,
        files,
        hashes,
        &stored.notes,
        stored.skipped,
        &findings,
    ) else {
        return Ok(None);
    };
    Ok(Some(Run {
        vault,
        findings,
        score: stored.score,
        vectors,
    }))
}

/// A vault to report `findings` against: the notes at `paths`, with text only where a
/// finding points, the canvases, attachments and skipped files. `None` when a file to read
/// cannot be read or no longer has its hash in `hashes`.
fn report_vault(
    root: &Path,
    files: &[DiscoveredFile],
    hashes: &[u64],
    paths: &[String],
    skipped: Vec<(String, String)>,
    findings: &[Diagnostic],
) -> Option<Vault> {
    let by_path: FxHashMap<&str, (&DiscoveredFile, u64)> = files
        .iter()
        .zip(hashes)
        .map(|(f, h)| (&*f.path, (f, *h)))
        .collect();
    let mut wanted: FxHashMap<&str, ()> = FxHashMap::default();
    for d in findings {
        wanted.insert(&d.path, ());
        for r in &d.related {
            wanted.insert(&r.path, ());
        }
    }
    let notes: Vec<Option<Arc<crate::note::Note>>> = paths
        .par_iter()
        .map(|path| {
            let vault_path: VaultPath = path.as_str().into();
            if !wanted.contains_key(path.as_str()) {
                return Some(Arc::new(parse_note(vault_path, Arc::from(""))));
            }
            let (file, hash) = by_path.get(path.as_str())?;
            let text = read_note_file(&file.abs_path).ok()?;
            if content_hash(&text) != *hash {
                return None;
            }
            let mut note = parse_note(vault_path, Arc::from(""));
            note.line_index = LineIndex::new(&text);
            note.text = text;
            Some(Arc::new(note))
        })
        .collect();
    let notes: Vec<_> = notes.into_iter().collect::<Option<_>>()?;
    let attachments = files
        .iter()
        .filter(|f| f.kind == FileKind::Attachment && !f.lossy_name)
        .map(|f| f.path.clone())
        .collect();
    let skipped = skipped
        .into_iter()
        .map(|(path, reason)| SkippedFile {
            path: path.into(),
            reason,
        })
        .collect();
    let mut vault = Vault::from_parts(PathBuf::from(root), notes, attachments, skipped);
    for (file, hash) in files.iter().zip(hashes) {
        if file.kind == FileKind::Attachment
            && !file.lossy_name
            && is_canvas(&file.path)
            && let Some(canvas) = read_canvas(file.path.clone(), &file.abs_path)
        {
            if content_hash(&canvas.text) != *hash {
                return None;
            }
            vault.set_canvas(canvas);
        }
    }
    Some(vault)
}
