//! Files on disk: the first load of a workspace and changes reported by the editor or
//! the file watcher. Runs on the worker thread, never on the async runtime.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::state::{Ready, Shared, is_note_path, parse_safely};
use super::{Outgoing, log};
use crate::analysis::{Analysis, CacheSetting, Change, Effect, Stage, StagedCache};
use crate::note::VaultPath;
use crate::rules::Rulebook;
use crate::vault::{SkippedFile, is_excluded};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileChangeKind {
    Created,
    Changed,
    Deleted,
}

/// One file (or folder) that changed on disk.
#[derive(Clone, Debug)]
pub struct FileChange {
    pub path: PathBuf,
    pub kind: FileChangeKind,
}

impl FileChange {
    pub fn changed(path: PathBuf) -> FileChange {
        FileChange {
            path,
            kind: FileChangeKind::Changed,
        }
    }
}

type Out = tokio::sync::mpsc::UnboundedSender<Outgoing>;

/// The check cache a load read, to be saved with the model its coherence stage built
/// once the first diagnostics are out ([`CacheSave::save`]).
pub struct CacheSave {
    cache: StagedCache,
    model: Arc<Analysis>,
}

impl CacheSave {
    /// Writes the shards whose notes changed and logs what the cache did.
    pub fn save(self, out: &Out) {
        let CacheSave { cache, model } = self;
        let report = cache.save(&model);
        drop(model);
        for warning in &report.warnings {
            log::send(out, log::Level::Warning, warning.clone());
        }
        log::send(
            out,
            log::Level::Info,
            format!(
                "check cache: {} notes from the cache, {} parsed, {} shards written",
                report.hits, report.misses, report.written
            ),
        );
    }
}

/// Where the server keeps its check cache: where `twin check` keeps it (`TWIN_CACHE_DIR`,
/// else the user cache folder), beside the search index.
fn cache_setting() -> CacheSetting {
    match crate::search::cache::default_cache_root() {
        Some(root) => CacheSetting::Root(root),
        None => CacheSetting::Off,
    }
}

/// Loads a workspace from disk in stages, installing each as soon as it can answer:
/// first the notes with their links resolved (navigation, completion, rename and symbols
/// stop waiting), then the coherence model (rules and coherence answers). Each stage is
/// logged with its time and reported as progress. Notes whose text the check cache knows
/// take their parse and term vectors from it; the cache comes back to be saved once the
/// first diagnostics are out.
pub fn load_workspace(
    shared: &Shared,
    ws: usize,
    out: &Out,
    progress: &dyn Fn(&str, u32),
) -> Option<CacheSave> {
    let root = shared.lock().workspaces[ws].root().to_path_buf();
    let rulebook = Arc::new(read_rulebook(&root, out));
    progress("reading notes", 10);
    let started = std::time::Instant::now();
    let mut last = started;
    // Stages report their names here; their counts once the model is back.
    let mut stage_done = |stage: Stage| {
        // The temporary memory of parsing and of the coherence model goes back before the
        // next stage runs (on other threads, whose allocator arenas would not reuse it).
        if stage != Stage::Resolve {
            super::memory::release();
        }
        log_stage(out, stage.name(), last.elapsed(), started.elapsed());
        last = std::time::Instant::now();
        if stage == Stage::Load {
            progress("resolving links", 40);
        }
    };
    let loaded = Analysis::load_names_cached(&root, rulebook, &cache_setting(), &mut stage_done);
    let (model, cache) = match loaded {
        Ok(loaded) => loaded,
        Err(err) => {
            log::send(
                out,
                log::Level::Error,
                format!("cannot load the vault: {err}"),
            );
            (Analysis::empty(root.clone()), None)
        }
    };
    let model = resolve_links(shared, ws, model);
    stage_done(Stage::Resolve);
    // A cache that cannot be read costs one line; it is rebuilt below.
    if let Some(warning) = cache.as_ref().and_then(|c| c.warnings().first()) {
        log::send(out, log::Level::Warning, warning.clone());
    }
    let notes = model.vault.notes.len();
    let links: usize = model.vault.notes.iter().map(|n| n.links.len()).sum();
    progress(
        &format!("building the coherence model ({notes} notes, {links} links resolved)"),
        60,
    );
    install(shared, ws, model);
    shared.ready_changed();
    let coherent = build_coherence(shared, ws, cache.as_ref());
    stage_done(Stage::Coherence);
    progress(&format!("checking {notes} notes"), 80);
    {
        let mut state = shared.lock();
        let workspace = &mut state.workspaces[ws];
        workspace.effect = Effect {
            recheck: workspace.model.all_paths(),
            removed: workspace.effect.removed.clone(),
            vault_rules: true,
        };
        workspace.loaded = true;
        workspace.ready = Ready::Coherence;
    }
    shared.ready_changed();
    log::send(
        out,
        log::Level::Info,
        format!(
            "loaded {notes} notes in {} ms{}",
            started.elapsed().as_millis(),
            super::memory::rss_note()
        ),
    );
    cache.map(|cache| CacheSave {
        cache,
        model: coherent,
    })
}

fn log_stage(out: &Out, stage: &str, took: std::time::Duration, total: std::time::Duration) {
    log::send(
        out,
        log::Level::Info,
        format!(
            "stage {stage}: {} ms (at {} ms){}",
            took.as_millis(),
            total.as_millis(),
            super::memory::rss_note()
        ),
    );
}

/// Resolves every link of a model loaded up to its names. Meanwhile it is the workspace's
/// early model ([`Ready::Names`]), which answers definitions from notes open unedited.
fn resolve_links(shared: &Shared, ws: usize, model: Analysis) -> Analysis {
    if model.is_resolved() {
        return model;
    }
    let model = Arc::new(model);
    {
        let mut state = shared.lock();
        let workspace = &mut state.workspaces[ws];
        workspace.early = Some(model.clone());
        workspace.ready = workspace.ready.max(Ready::Names);
    }
    shared.ready_changed();
    hold_for_tests();
    let graph = model.link_graph();
    shared.lock().workspaces[ws].early = None;
    // A definition still reading the early model keeps it; it is copied then.
    let mut model = Arc::try_unwrap(model).unwrap_or_else(|model| (*model).clone());
    model.set_graph(graph);
    model
}

/// Tests see what answers during the names stage by holding it
/// (`TWIN_LSP_TEST_HOLD_NAMES_MS`, with `TWIN_LSP_TEST_HOOKS`).
fn hold_for_tests() {
    if std::env::var_os("TWIN_LSP_TEST_HOOKS").is_none() {
        return;
    }
    if let Some(ms) = std::env::var("TWIN_LSP_TEST_HOLD_NAMES_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Installs a model whose links are resolved: requests for navigation stop waiting.
fn install(shared: &Shared, ws: usize, model: Analysis) {
    let mut state = shared.lock();
    let state = &mut *state;
    let workspace = &mut state.workspaces[ws];
    workspace.model = Arc::new(model);
    workspace.ready = workspace.ready.max(Ready::Links);
    let roots = workspace.roots.clone();
    // Open notes were parsed into the empty model; they must go into the loaded one.
    for (uri, doc) in state.docs.iter_mut() {
        let path = super::convert::from_proto::file_path(&uri.as_str().into());
        if path.is_some_and(|p| roots.iter().any(|r| p.starts_with(r))) {
            doc.synced = false;
        }
    }
}

/// Builds the coherence model of the installed model apart, without holding the lock,
/// and sets it when no edit came in between; otherwise builds it again from the edited
/// model (edits before then leave it unbuilt, `Analysis::apply` skips it). Term vectors
/// come from `cache` for the notes it gave, unchanged since. Returns the model as set.
fn build_coherence(shared: &Shared, ws: usize, cache: Option<&StagedCache>) -> Arc<Analysis> {
    loop {
        let model = shared.lock().workspaces[ws].model.clone();
        if model.is_coherent() {
            return model;
        }
        let coherence = match cache {
            Some(cache) => model.coherence_model_cached(cache),
            None => model.coherence_model(),
        };
        let mut state = shared.lock();
        let workspace = &mut state.workspaces[ws];
        if Arc::ptr_eq(&workspace.model, &model) {
            drop(model);
            Arc::make_mut(&mut workspace.model).set_coherence(coherence);
            return workspace.model.clone();
        }
    }
}

fn read_rulebook(root: &Path, out: &Out) -> Rulebook {
    super::rule_files::read_rulebook(root, out, None)
}

/// Applies changes on disk to the models of the workspaces they fall in.
pub fn apply(shared: &Shared, changes: &[FileChange], out: &Out) {
    for change in expand_folders(changes) {
        apply_one(shared, &change, out);
    }
}

/// A created folder stands for the files inside it.
fn expand_folders(changes: &[FileChange]) -> Vec<FileChange> {
    let mut out = Vec::new();
    for change in changes {
        if change.kind != FileChangeKind::Deleted && change.path.is_dir() {
            let mut stack = vec![change.path.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    if entry.file_type().is_ok_and(|t| t.is_dir()) {
                        stack.push(path);
                    } else {
                        out.push(FileChange {
                            path,
                            kind: FileChangeKind::Created,
                        });
                    }
                }
            }
        } else {
            out.push(change.clone());
        }
    }
    out
}

fn apply_one(shared: &Shared, change: &FileChange, out: &Out) {
    let (ws, root, vpath, open, rulebook, known_note, known_attachment, under) = {
        let state = shared.lock();
        let Some((ws, vpath)) = state.workspace_of(&change.path) else {
            return;
        };
        let workspace = &state.workspaces[ws];
        if !workspace.indexed || !workspace.loaded {
            return;
        }
        let open = state.docs.iter().any(|(uri, _)| {
            super::convert::from_proto::file_path(&uri.as_str().into()).as_deref()
                == Some(&*change.path)
        });
        let vault = &workspace.model.vault;
        let prefix = format!("{vpath}/");
        let under: Vec<(VaultPath, bool)> = vault
            .notes
            .iter()
            .map(|n| (n.path.clone(), true))
            .chain(vault.attachments.iter().map(|a| (a.clone(), false)))
            .filter(|(p, _)| p.starts_with(&prefix))
            .collect();
        (
            ws,
            workspace.root().to_path_buf(),
            vpath.clone(),
            open,
            workspace.model.rulebook.clone(),
            vault.note_by_path(&vpath).is_some(),
            vault.attachments.binary_search(&vpath).is_ok(),
            under,
        )
    };
    if vpath.ends_with(".twin/config.toml")
        || vpath.ends_with(".obsidian/app.json")
        || vpath.ends_with(crate::config::DAILY_NOTES_FILE)
    {
        reload_config(shared, ws, out, None);
        // `exclude` and Obsidian's ignore filters decide which files are notes.
        rediscover(shared, ws);
        return;
    }
    if crate::vault::file_name(&vpath) == ".gitignore"
        || crate::vault::file_name(&vpath) == ".ignore"
    {
        rediscover(shared, ws);
        return;
    }
    if super::rule_files::is_rule_file(&vpath) {
        let gone = (!change.path.exists()).then_some(&*change.path);
        reload_config(shared, ws, out, gone);
        return;
    }
    // Discovery's rules (hidden folders, ignore files, `exclude`, Obsidian's filters) keep
    // new files out; a file the model already holds is still updated or removed.
    if !known_note && !known_attachment && is_excluded(&root, &rulebook.config, &vpath) {
        return;
    }
    let mut changes = Vec::new();
    let exists = change.kind != FileChangeKind::Deleted && change.path.is_file();
    if is_note_path(&change.path) {
        if open {
            // The editor's buffer wins over the disk while the note is open.
        } else if exists {
            changes.extend(note_change(&change.path, vpath.clone(), known_note));
        } else if known_note {
            changes.push(Change::Remove(vpath.clone()));
        }
    } else if exists {
        if !known_attachment {
            changes.push(Change::AddAttachment(vpath.clone()));
        }
        // A canvas links through its file nodes: read it again whenever it changes.
        if crate::vault::is_canvas(&vpath)
            && let Some(canvas) = crate::vault::read_canvas(vpath.clone(), &change.path)
        {
            changes.push(Change::Canvas(canvas));
        }
    } else if known_attachment {
        changes.push(Change::RemoveAttachment(vpath.clone()));
    }
    if change.kind == FileChangeKind::Deleted || !change.path.exists() {
        // A deleted folder takes everything under it that is gone from disk, even when
        // a folder of the same name is back by now (deleted, then created with another
        // note, within one debounce): what is still there stays.
        for (path, is_note) in under {
            if root.join(&*path).is_file() {
                continue;
            }
            changes.push(if is_note {
                Change::Remove(path)
            } else {
                Change::RemoveAttachment(path)
            });
        }
    }
    shared.lock().workspaces[ws].apply(changes);
}

/// Runs discovery again (configuration or ignore files changed) and brings the model's
/// notes and attachments in line with it, as `twin check` would find them now: what is
/// excluded now leaves, what is no longer excluded comes in. Open notes keep the
/// editor's text.
fn rediscover(shared: &Shared, ws: usize) {
    let (root, config, notes, attachments, open) = {
        let state = shared.lock();
        let workspace = &state.workspaces[ws];
        if !workspace.indexed || !workspace.loaded {
            return;
        }
        let vault = &workspace.model.vault;
        let open: std::collections::HashSet<PathBuf> = state
            .docs
            .iter()
            .filter_map(|(uri, _)| super::convert::from_proto::file_path(&uri.as_str().into()))
            .collect();
        (
            workspace.root().to_path_buf(),
            workspace.model.rulebook.config.clone(),
            vault
                .notes
                .iter()
                .map(|n| n.path.clone())
                .collect::<std::collections::HashSet<_>>(),
            vault
                .attachments
                .iter()
                .cloned()
                .collect::<std::collections::HashSet<_>>(),
            open,
        )
    };
    let files = crate::vault::discover_files(&root, &config);
    let mut changes = Vec::new();
    let mut found = std::collections::HashSet::new();
    for file in &files {
        found.insert(file.path.clone());
        match file.kind {
            crate::vault::FileKind::Note if !notes.contains(&file.path) => {
                if open.contains(&file.abs_path) {
                    continue;
                }
                changes.extend(note_change(&file.abs_path, file.path.clone(), false));
            }
            crate::vault::FileKind::Attachment
                if !file.lossy_name && !attachments.contains(&file.path) =>
            {
                changes.push(Change::AddAttachment(file.path.clone()));
                if crate::vault::is_canvas(&file.path)
                    && let Some(canvas) =
                        crate::vault::read_canvas(file.path.clone(), &file.abs_path)
                {
                    changes.push(Change::Canvas(canvas));
                }
            }
            _ => {}
        }
    }
    changes.extend(
        notes
            .into_iter()
            .filter(|p| !found.contains(p) && !open.contains(&root.join(&**p)))
            .map(Change::Remove),
    );
    changes.extend(
        attachments
            .into_iter()
            .filter(|p| !found.contains(p))
            .map(Change::RemoveAttachment),
    );
    if !changes.is_empty() {
        shared.lock().workspaces[ws].apply(changes);
    }
}

/// Reads the configuration again and rechecks the whole workspace with it.
fn reload_config(shared: &Shared, ws: usize, out: &Out, gone: Option<&Path>) {
    let root = shared.lock().workspaces[ws].root().to_path_buf();
    let rulebook = Arc::new(super::rule_files::read_rulebook(&root, out, gone));
    let mut state = shared.lock();
    let workspace = &mut state.workspaces[ws];
    let model = Arc::make_mut(&mut workspace.model);
    model.set_rulebook(rulebook);
    let all = model.all_paths();
    workspace.effect.merge(Effect {
        recheck: all,
        removed: Default::default(),
        vault_rules: true,
    });
}

/// The change a note read from disk makes: its text, or `file-unreadable` with the reason.
/// A note renamed or deleted between its event and the read is gone, not unreadable (the
/// soak saw a note created and renamed at once stay as a `file-unreadable` ghost): the
/// model drops it when it held it.
fn note_change(path: &Path, vpath: VaultPath, known: bool) -> Option<Change> {
    match read_note(path) {
        Ok(text) => Some(Change::Upsert(parse_safely(vpath, text))),
        Err(_) if !path.exists() => known.then_some(Change::Remove(vpath)),
        Err(reason) => Some(Change::Skip(SkippedFile {
            path: vpath,
            reason,
        })),
    }
}

/// Reads a note as `twin check` does (`vault::read_note_file`: NUL bytes and bytes that
/// are not UTF-8 read as text, a size limit); the error is a reason for `file-unreadable`.
pub fn read_note(path: &Path) -> Result<Arc<str>, String> {
    crate::vault::read_note_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_gone_before_it_is_read_is_removed_not_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("Made 1.md");
        let change = note_change(&gone, VaultPath::from("Made 1.md"), true);
        assert!(
            matches!(&change, Some(Change::Remove(p)) if &**p == "Made 1.md"),
            "{change:?}"
        );
        assert!(note_change(&gone, VaultPath::from("Made 1.md"), false).is_none());
        // A file that is there but cannot be read as a note is unreadable.
        let folder = dir.path().join("folder.md");
        std::fs::create_dir(&folder).unwrap();
        let change = note_change(&folder, VaultPath::from("folder.md"), false);
        assert!(matches!(change, Some(Change::Skip(_))), "{change:?}");
    }
}
