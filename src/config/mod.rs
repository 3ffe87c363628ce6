//! Vault configuration: `.twin/config.toml` layered over defaults, plus `.obsidian/app.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::rules::Severity;

/// A rule's configured level: a severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

/// The configuration in effect for one vault.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it was read from, when there was one.
    pub source: Option<PathBuf>,
    /// Gitignore-style globs, relative to the vault root, of paths twin skips.
    pub exclude: Vec<String>,
    /// `userIgnoreFilters` of `.obsidian/app.json`.
    pub obsidian_ignore: Vec<String>,
    /// Per-rule levels from `[rules]`, keyed by rule code.
    pub rules: BTreeMap<String, RuleLevel>,
    /// `newLinkFormat` of `.obsidian/app.json` (`shortest`, `relative`, `absolute`).
    pub new_link_format: Option<String>,
    /// `useMarkdownLinks` of `.obsidian/app.json`.
    pub use_markdown_links: bool,
    /// Problems that did not stop loading, such as an unreadable `.obsidian/app.json`.
    pub warnings: Vec<String>,
}

/// A configuration that cannot be used; reported with exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads the configuration of the vault at `root`; a missing file means defaults.
/// `known_rules` are the rule codes a `[rules]` table may name.
pub fn load_config(_root: &Path, _known_rules: &[&str]) -> Result<Config, ConfigError> {
    Ok(Config::default())
}
