//! Opening a vault for a subcommand: the folder check, the rulebook with its warnings, and
//! the analysis, each failure already reported on stderr as one line.

use std::path::Path;
use std::sync::Arc;

use super::EXIT_ERROR;
use crate::analysis::{
    Analysis, CacheReport, CacheSetting, Checked, FullTextOutcome, Stage, cached_fulltext,
    load_rulebook,
};
use crate::diagnostic::Severity;
use crate::query_rules::{FullText, QueryRule};
use crate::rules::Rulebook;
use crate::search::cache::default_cache_root;
use crate::vault::Vault;

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

/// Reads the vault's configuration and query rules, printing their warnings; errors exit
/// with code 2.
pub fn open_rulebook(path: &Path) -> Result<Rulebook, u8> {
    check_vault_dir(path)?;
    let rulebook = load_rulebook(path).map_err(|err| {
        eprintln!("error: {err}");
        EXIT_ERROR
    })?;
    for warning in &rulebook.config.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(rulebook)
}

/// Reads, parses and analyzes the vault at `path` under `rulebook`, calling `stage` as each
/// stage ends.
pub fn open_analysis(
    path: &Path,
    rulebook: Rulebook,
    stage: &mut dyn FnMut(Stage),
) -> Result<Analysis, u8> {
    Analysis::load_with(path, Arc::new(rulebook), stage).map_err(|err| {
        eprintln!("error: {err}");
        EXIT_ERROR
    })
}

/// The check cache's place: `--cache-dir`, else `TWIN_CACHE_DIR`, else the user cache
/// folder; off with `--no-cache` or when none is known.
pub fn cache_setting(cache_dir: Option<&Path>, no_cache: bool) -> CacheSetting {
    if no_cache {
        return CacheSetting::Off;
    }
    match cache_dir.map(Path::to_path_buf).or_else(default_cache_root) {
        Some(root) => CacheSetting::Root(root),
        None => CacheSetting::Off,
    }
}

/// [`Analysis::load_for_check`], printing the cache's problems as warnings (and, with
/// `TWIN_TIMINGS`, what it held).
pub fn open_for_check(
    path: &Path,
    rulebook: Rulebook,
    cache: &CacheSetting,
    reuse: bool,
    stage: &mut dyn FnMut(Stage),
) -> Result<Checked, u8> {
    let (checked, report) = Analysis::load_for_check(path, Arc::new(rulebook), cache, reuse, stage)
        .map_err(|err| {
            eprintln!("error: {err}");
            EXIT_ERROR
        })?;
    print_cache_report(&report, cache);
    Ok(checked)
}

fn print_cache_report(report: &CacheReport, cache: &CacheSetting) {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if std::env::var_os("TWIN_TIMINGS").is_some() && *cache != CacheSetting::Off {
        match report.reused {
            true => eprintln!(
                "timing: cache        the last run's findings reused, {} files hashed",
                report.hashed
            ),
            false => eprintln!(
                "timing: cache        {} notes from the cache, {} parsed, {} shards written, {} files hashed",
                report.hits, report.misses, report.written, report.hashed
            ),
        }
    }
}

/// [`open_rulebook`] then [`open_analysis`].
pub fn open(path: &Path) -> Result<Analysis, u8> {
    let rulebook = open_rulebook(path)?;
    open_analysis(path, rulebook, &mut |_| {})
}

/// The matches of `rules`' full-text selectors from the cached search index, with what
/// opening it said on stderr.
pub fn fulltext(vault: &Vault, rules: &[(&QueryRule, Severity)]) -> FullText {
    let FullTextOutcome {
        fulltext,
        info,
        warnings,
    } = cached_fulltext(vault, rules);
    for message in info {
        eprintln!("info: {message}");
    }
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    fulltext
}
