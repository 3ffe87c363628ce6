//! Opening a vault for a subcommand: the folder check, the config with its warnings, and
//! the loaded notes, each failure already reported on stderr as one line.

use std::path::Path;

use super::EXIT_ERROR;
use crate::config::{Config, load_config};
use crate::rules::RULES;
use crate::vault::{Vault, load_vault};

/// Says on stderr why `path` cannot be a vault, if it cannot.
pub fn check_vault_dir(path: &Path) -> Result<(), u8> {
    if !path.exists() {
        eprintln!("error: vault path {} does not exist", path.display());
        return Err(EXIT_ERROR);
    }
    if !path.is_dir() {
        eprintln!("error: vault path {} is not a folder", path.display());
        return Err(EXIT_ERROR);
    }
    Ok(())
}

/// Reads the vault's configuration, printing its warnings; errors exit with code 2.
pub fn open_config(path: &Path) -> Result<Config, u8> {
    check_vault_dir(path)?;
    let known: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let config = load_config(path, &known).map_err(|err| {
        eprintln!("error: {err}");
        EXIT_ERROR
    })?;
    for warning in &config.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(config)
}

/// Discovers, reads and parses every note of the vault.
pub fn open_vault(path: &Path, config: &Config) -> Result<Vault, u8> {
    load_vault(path, config).map_err(|err| {
        eprintln!("error: {err}");
        EXIT_ERROR
    })
}
