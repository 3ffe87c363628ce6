//! Vault configuration: `.twin/config.toml` layered over defaults, plus `.obsidian/app.json`.

mod daily;
mod file;
mod history;
mod obsidian;
mod relations;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Severity;

pub use daily::{DAILY_NOTES_FILE, DailyNotes};
pub use file::{MAX_GLOB_CHARS, check_glob_length};
pub use history::HistoryConfig;
pub use obsidian::{ObsidianFilter, obsidian_filter};
pub use relations::{Reciprocity, Relation, RelationsConfig};

/// Where twin's own configuration lives, relative to the vault root.
pub const CONFIG_FILE: &str = ".twin/config.toml";
/// Obsidian's app settings, relative to the vault root.
pub const OBSIDIAN_APP_FILE: &str = ".obsidian/app.json";

/// A rule's configured level: a severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    /// Parses `error`, `warning`, `info`, `hint` or `off`.
    pub fn parse(s: &str) -> Option<RuleLevel> {
        match s {
            "off" => Some(RuleLevel::Off),
            _ => Severity::parse(s).map(RuleLevel::On),
        }
    }
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
    /// `newFileLocation` of `.obsidian/app.json` (`root`, `current` or `folder`) and, for
    /// `folder`, `newFileFolderPath`: where new notes go.
    pub new_file_location: Option<String>,
    pub new_file_folder: Option<String>,
    /// `[relations]`: typed links, reciprocity and the dates `date-order` compares.
    pub relations: RelationsConfig,
    /// `[history]`: escalation of chronic findings and the `anchor-drift` floor.
    pub history: HistoryConfig,
    /// Problems that did not stop loading, such as an unreadable `.obsidian/app.json`.
    pub warnings: Vec<String>,
    /// Built-in rule packs enabled by `extends = ["frames"]`.
    pub extends: Vec<String>,
    /// Built-in rules that an extended pack turned on (code → pack name), for `twin rules`
    /// to say where a level came from; `[rules]` names none of them.
    pub pack_rules: BTreeMap<String, String>,
    /// `.obsidian/daily-notes.json`: where daily notes go and how they are named.
    pub daily_notes: DailyNotes,
}

/// What configuration needs to know of rules, from the layers that define them: the codes
/// `[rules]` may name and the packs `extends` may name. Configuration does not read rule
/// files itself; `rule_files` does, given the packs `extends` names.
pub struct RuleCatalog<'a> {
    /// The built-in rules' codes.
    pub builtin: &'a [&'a str],
    /// The built-in packs' names.
    pub packs: &'a [&'a str],
    /// Reads the rule files (the packs named, then the vault's `.twin/queries/`) and says
    /// which codes they define.
    pub rule_files: &'a mut dyn FnMut(&[String]) -> RuleFileCodes,
}

/// The codes the rule files define.
pub struct RuleFileCodes {
    pub codes: Vec<&'static str>,
    /// False when a rule file could not be read: `[rules]` may then name a code of that
    /// file, and that file's error says what is wrong instead.
    pub all_read: bool,
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

impl ConfigError {
    /// An error in `file`, at a 1-based `line` when known.
    pub(crate) fn at(file: &std::path::Path, line: Option<usize>, message: String) -> ConfigError {
        ConfigError {
            file: file.to_path_buf(),
            line,
            message,
        }
    }

    /// The 1-based line holding byte `offset` of `text`: where a TOML span points.
    pub(crate) fn line_of(text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

/// Reads the configuration of the vault at `root`; a missing file means defaults.
/// `catalog` names the rules and packs a `[rules]` table and `extends` may name.
///
/// Errors in `.twin/config.toml` are fatal; problems in `.obsidian/app.json` only
/// add to [`Config::warnings`], since that file belongs to Obsidian.
pub fn load_config(root: &Path, catalog: &mut RuleCatalog<'_>) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    file::read_twin_config(root, catalog, &mut config)?;
    obsidian::read_app_json(root, &mut config);
    config.daily_notes = daily::read_daily_notes(root, &mut config.warnings);
    Ok(config)
}
