//! Walks a vault folder and lists its notes and attachments, honouring ignore rules.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::note::VaultPath;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Note,
    Attachment,
}

#[derive(Clone, Debug)]
pub struct DiscoveredFile {
    pub path: VaultPath,
    pub abs_path: PathBuf,
    pub kind: FileKind,
}

/// Lists the vault's files. Skips `.obsidian/`, `.trash/`, `.git/`, `.twin/`, ignored
/// and excluded paths; never leaves the vault through a symlink.
pub fn discover_files(_root: &Path, _config: &Config) -> Vec<DiscoveredFile> {
    Vec::new()
}
