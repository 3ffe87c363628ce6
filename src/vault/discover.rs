//! Walks a vault folder and lists its notes and attachments, honouring ignore rules.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobMatcher;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::config::{Config, ObsidianFilter, obsidian_filter};
use crate::note::VaultPath;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Note,
    Attachment,
}

#[derive(Clone, Debug)]
pub struct DiscoveredFile {
    /// Vault-relative, `/`-separated.
    pub path: VaultPath,
    pub abs_path: PathBuf,
    pub kind: FileKind,
    /// The file name is not valid UTF-8: `path` is a lossy rendering (with U+FFFD)
    /// that names no real file, so the file cannot be read or linked by that name.
    pub lossy_name: bool,
}

/// Lists the vault's files, sorted by path.
///
/// Skips hidden entries (so `.obsidian/`, `.trash/`, `.git/`, `.twin/`), paths matched
/// by `.gitignore`/`.ignore` files inside the vault (git repository or not),
/// [`Config::exclude`] and [`Config::obsidian_ignore`]. Follows symlinks only while
/// their target stays inside the vault; symlink loops are detected and skipped.
/// Ignore files above the vault root and the user's global git excludes are not
/// read, so results do not depend on where the vault lives. Unreadable folders are
/// skipped silently.
pub fn discover_files(root: &Path, config: &Config) -> Vec<DiscoveredFile> {
    let Ok(root) = root.canonicalize() else {
        return Vec::new();
    };
    let filters = Filters::new(&root, config);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut builder = WalkBuilder::new(&root);
    builder
        .hidden(true)
        .parents(false)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(true)
        .threads(threads)
        .filter_entry(move |entry| filters.keep(entry));

    let found = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        let root = &root;
        Box::new(move |result| {
            // Errors are unreadable folders, dangling links and symlink loops: skip them.
            if let Ok(entry) = result
                && entry.file_type().is_some_and(|t| t.is_file())
                && let Some(file) = discovered(root, entry)
            {
                found.lock().unwrap_or_else(|e| e.into_inner()).push(file);
            }
            WalkState::Continue
        })
    });
    let mut files = found.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files
}

fn discovered(root: &Path, entry: DirEntry) -> Option<DiscoveredFile> {
    let rel = entry.path().strip_prefix(root).ok()?;
    let (path, lossy_name) = match rel.to_str() {
        Some(s) => (slashed(s), false),
        None => (slashed(&rel.to_string_lossy()), true),
    };
    let kind = if is_markdown(&path) {
        FileKind::Note
    } else {
        FileKind::Attachment
    };
    Some(DiscoveredFile {
        path: path.into(),
        abs_path: entry.into_path(),
        kind,
        lossy_name,
    })
}

/// Whether a file name ends with `.md` in any case.
pub fn is_markdown(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).as_bytes();
    name.len() > 3 && name[name.len() - 3..].eq_ignore_ascii_case(b".md")
}

fn slashed(path: &str) -> String {
    if std::path::MAIN_SEPARATOR == '/' {
        path.to_owned()
    } else {
        path.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Whether [`discover_files`] would skip the file at vault path `rel` (for one file that
/// appeared later, as the language server learns of it): a hidden segment, an ignore file
/// of a folder inside the vault (`.gitignore`, `.ignore`, `.git/info/exclude`), an
/// `exclude` glob or an Obsidian ignore filter, on the file or any folder above it.
/// `root` is the vault's canonical root.
pub fn is_excluded(root: &Path, config: &Config, rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || parts.iter().any(|p| p.starts_with('.')) {
        return true;
    }
    let filters = Filters::new(root, config);
    // As in the walk: `.ignore` files decide first, then `.gitignore` files, then
    // `.git/info/exclude`; within a kind, the deepest folder's file that matches decides.
    let mut ignores: Vec<Gitignore> = Vec::new();
    let mut gitignores: Vec<Gitignore> = Vec::new();
    let mut exclude = Gitignore::empty();
    let exclude_file = root.join(".git/info/exclude");
    if exclude_file.is_file() {
        let mut builder = GitignoreBuilder::new(root);
        let _ = builder.add(exclude_file);
        exclude = builder.build().unwrap_or_else(|_| Gitignore::empty());
    }
    let mut dir = root.to_path_buf();
    for (depth, part) in parts.iter().enumerate() {
        for (name, kind) in [(".gitignore", &mut gitignores), (".ignore", &mut ignores)] {
            let file = dir.join(name);
            if file.is_file() {
                kind.push(Gitignore::new(file).0);
            }
        }
        let is_dir = depth + 1 < parts.len();
        let sub = parts[..=depth].join("/");
        if filters.exclude.matched(Path::new(&sub), is_dir).is_ignore()
            || filters.obsidian_ignored(&sub, is_dir)
        {
            return true;
        }
        let path = dir.join(part);
        let deepest = |matchers: &[Gitignore]| {
            matchers
                .iter()
                .rev()
                .map(|m| m.matched(&path, is_dir))
                .find(|m| !m.is_none())
                .map(|m| m.is_ignore())
        };
        let ignored = deepest(&ignores)
            .or_else(|| deepest(&gitignores))
            .unwrap_or_else(|| exclude.matched(&path, is_dir).is_ignore());
        if ignored {
            return true;
        }
        dir = path;
    }
    false
}

/// The vault's own exclusions, applied to every entry below the root.
struct Filters {
    root: PathBuf,
    exclude: Gitignore,
    prefixes: Vec<String>,
    globs: Vec<GlobMatcher>,
}

impl Filters {
    fn new(root: &Path, config: &Config) -> Filters {
        // Config loading already refused bad globs; a hand-built Config skips them here.
        let mut builder = GitignoreBuilder::new(root);
        for glob in &config.exclude {
            let _ = builder.add_line(None, glob);
        }
        let exclude = builder.build().unwrap_or_else(|_| Gitignore::empty());
        let mut prefixes = Vec::new();
        let mut globs = Vec::new();
        for entry in &config.obsidian_ignore {
            match obsidian_filter(entry) {
                Ok(ObsidianFilter::Prefix(p)) => prefixes.push(p),
                Ok(ObsidianFilter::Glob(g)) => globs.push(g.compile_matcher()),
                Err(_) => {}
            }
        }
        Filters {
            root: root.to_path_buf(),
            exclude,
            prefixes,
            globs,
        }
    }

    fn keep(&self, entry: &DirEntry) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        let Ok(rel) = entry.path().strip_prefix(&self.root) else {
            return false;
        };
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if self.exclude.matched(rel, is_dir).is_ignore() {
            return false;
        }
        let rel = slashed(&rel.to_string_lossy());
        if self.obsidian_ignored(&rel, is_dir) {
            return false;
        }
        // Checked last: canonicalizing costs a system call or more.
        !entry.path_is_symlink() || self.inside(entry.path())
    }

    fn obsidian_ignored(&self, rel: &str, is_dir: bool) -> bool {
        let as_dir = is_dir.then(|| format!("{rel}/"));
        let prefixed = |p: &String| {
            rel.starts_with(p.as_str())
                || as_dir.as_ref().is_some_and(|d| d.starts_with(p.as_str()))
        };
        self.prefixes.iter().any(prefixed) || self.globs.iter().any(|g| g.is_match(rel))
    }

    /// Whether a symlink's final target lies inside the vault.
    fn inside(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|target| target.starts_with(&self.root))
    }
}
