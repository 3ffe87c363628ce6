//! `.twin/config.toml`: kebab-case keys, unknown keys refused with their line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::history::{self, HistoryFile};
use super::relations::{self, RelationsFile};
use super::{CONFIG_FILE, Config, ConfigError, RuleCatalog, RuleLevel};

/// The file as written. Every table refuses unknown keys; new tables (`[relations]`,
/// `[diagnostics]`, `[history]`) are added here as optional fields.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    relations: Option<RelationsFile>,
    #[serde(default)]
    history: Option<HistoryFile>,
    /// Built-in rule packs to enable, by name.
    #[serde(default)]
    extends: Vec<Spanned<String>>,
}

/// Reads `.twin/config.toml` into `config`, asking `catalog` for the codes of the rule files
/// it enables; a missing file leaves the defaults.
pub(super) fn read_twin_config(
    root: &Path,
    catalog: &mut RuleCatalog<'_>,
    config: &mut Config,
) -> Result<(), ConfigError> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(error(&path, None, format!("cannot be read: {e}"))),
    };
    let parsed: ConfigFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|span| line_of(&text, span.start));
        error(&path, line, first_line(e.message()))
    })?;
    let at = |span: std::ops::Range<usize>| Some(line_of(&text, span.start));

    for pack in &parsed.extends {
        if !catalog.packs.contains(&pack.get_ref().as_str()) {
            let message = format!(
                "unknown rule pack `{}` in extends; the packs are {}",
                pack.get_ref(),
                catalog.packs.join(", ")
            );
            return Err(error(&path, at(pack.span()), message));
        }
        config.extends.push(pack.get_ref().clone());
    }
    let files = (catalog.rule_files)(&config.extends);
    let mut known: Vec<&str> = catalog.builtin.to_vec();
    known.extend(files.codes);

    for glob in parsed.exclude {
        if let Err(message) = check_exclude_glob(root, glob.get_ref()) {
            return Err(error(&path, at(glob.span()), message));
        }
        config.exclude.push(glob.into_inner());
    }
    for (code, level) in parsed.rules {
        // A rule of a broken rule file is unknown for now; that file's error says why.
        if !known.contains(&code.get_ref().as_str()) && files.all_read {
            let message = format!("unknown rule `{}` in [rules]", code.get_ref());
            return Err(error(&path, at(code.span()), message));
        }
        let Some(parsed_level) = RuleLevel::parse(level.get_ref()) else {
            let message = format!(
                "unknown level `{}` for rule `{}`; expected error, warning, info, hint or off",
                level.get_ref(),
                code.get_ref()
            );
            return Err(error(&path, at(level.span()), message));
        };
        config.rules.insert(code.into_inner(), parsed_level);
    }
    if let Some(file) = parsed.relations {
        config.relations = relations::read(file)
            .map_err(|refused| error(&path, at(refused.offset..refused.offset), refused.message))?;
    }
    if let Some(file) = parsed.history {
        config.history = history::read(file)
            .map_err(|refused| error(&path, at(refused.offset..refused.offset), refused.message))?;
    }
    if !text.is_empty() || path.exists() {
        config.source = Some(path);
    }
    Ok(())
}

/// Checks an `exclude` entry with globset (strict: `bad[` is refused) and with the
/// gitignore matcher discovery will use.
/// The longest glob twin accepts, in characters. Compiling and matching a long literal
/// took time quadratic in its length (50,000 characters: 11 s), and no folder or note name
/// needs more than this.
pub const MAX_GLOB_CHARS: usize = 1024;

/// Refuses a glob longer than [`MAX_GLOB_CHARS`], with a message that names what was given.
pub fn check_glob_length(glob: &str) -> Result<(), String> {
    let chars = glob.chars().count();
    if chars > MAX_GLOB_CHARS {
        let start: String = glob.chars().take(24).collect();
        return Err(format!(
            "glob `{start}…` is {chars} characters long; at most {MAX_GLOB_CHARS} are accepted"
        ));
    }
    Ok(())
}

fn check_exclude_glob(root: &Path, glob: &str) -> Result<(), String> {
    check_glob_length(glob).map_err(|e| format!("invalid exclude {e}"))?;
    let pattern = glob.strip_prefix('!').unwrap_or(glob);
    if let Err(e) = globset::Glob::new(pattern) {
        return Err(format!("invalid exclude glob `{glob}`: {}", e.kind()));
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    match builder.add_line(None, glob) {
        Ok(_) => Ok(()),
        Err(e) => Err(format!("invalid exclude glob `{glob}`: {e}")),
    }
}

fn error(path: &Path, line: Option<usize>, message: String) -> ConfigError {
    ConfigError::at(path, line, message)
}

fn line_of(text: &str, offset: usize) -> usize {
    ConfigError::line_of(text, offset)
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}
