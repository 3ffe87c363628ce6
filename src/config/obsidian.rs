//! `.obsidian/app.json`: the few Obsidian settings twin follows. Never fatal.

use std::path::Path;

use globset::{Glob, GlobBuilder};
use serde_json::Value;

use super::{Config, OBSIDIAN_APP_FILE};

/// One entry of Obsidian's `userIgnoreFilters`, as discovery applies it.
#[derive(Clone, Debug)]
pub enum ObsidianFilter {
    /// A prefix of the vault-relative path (`Archive/`, `Templates`).
    Prefix(String),
    /// An entry with `*`: a glob over the vault-relative path; `*` crosses folders.
    Glob(Glob),
}

/// Interprets one `userIgnoreFilters` entry; `Err` says why it cannot be used.
pub fn obsidian_filter(entry: &str) -> Result<ObsidianFilter, String> {
    let entry = entry.trim();
    if entry.is_empty() {
        // An empty prefix would hide the whole vault.
        return Err("an empty filter is ignored".to_owned());
    }
    if entry.len() > 1 && entry.starts_with('/') && entry.ends_with('/') {
        return Err(format!(
            "regular-expression filter `{entry}` is not supported; it is ignored"
        ));
    }
    if !entry.contains('*') {
        return Ok(ObsidianFilter::Prefix(entry.to_owned()));
    }
    GlobBuilder::new(entry.trim_end_matches('/'))
        .literal_separator(false)
        .build()
        .map(ObsidianFilter::Glob)
        .map_err(|e| format!("invalid filter `{entry}`: {}; it is ignored", e.kind()))
}

/// Reads the settings twin uses from `.obsidian/app.json`; any problem is a warning.
pub(super) fn read_app_json(root: &Path, config: &mut Config) {
    let path = root.join(OBSIDIAN_APP_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            warn(
                config,
                format!("cannot be read ({e}); its settings are ignored"),
            );
            return;
        }
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            warn(
                config,
                format!("is not valid JSON ({e}); its settings are ignored"),
            );
            return;
        }
    };
    let Value::Object(settings) = value else {
        warn(
            config,
            "is not a JSON object; its settings are ignored".into(),
        );
        return;
    };
    if let Some(filters) = settings.get("userIgnoreFilters") {
        match string_list(filters) {
            Some(list) => {
                for entry in list {
                    match obsidian_filter(&entry) {
                        Ok(_) => config.obsidian_ignore.push(entry),
                        Err(why) => warn(config, format!("userIgnoreFilters: {why}")),
                    }
                }
            }
            None => wrong_type(config, "userIgnoreFilters", "a list of strings"),
        }
    }
    if let Some(format) = settings.get("newLinkFormat") {
        match format.as_str() {
            Some(s) => config.new_link_format = Some(s.to_owned()),
            None => wrong_type(config, "newLinkFormat", "a string"),
        }
    }
    if let Some(markdown) = settings.get("useMarkdownLinks") {
        match markdown.as_bool() {
            Some(b) => config.use_markdown_links = b,
            None => wrong_type(config, "useMarkdownLinks", "true or false"),
        }
    }
    for (key, field) in [
        ("newFileLocation", &mut config.new_file_location),
        ("newFileFolderPath", &mut config.new_file_folder),
    ] {
        match settings.get(key).map(Value::as_str) {
            Some(Some(s)) => *field = Some(s.to_owned()),
            Some(None) => wrong_type_key(&mut config.warnings, key),
            None => {}
        }
    }
}

fn wrong_type_key(warnings: &mut Vec<String>, key: &str) {
    warnings.push(format!(
        "{OBSIDIAN_APP_FILE}: `{key}` is not a string; it is ignored"
    ));
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn wrong_type(config: &mut Config, key: &str, expected: &str) {
    warn(config, format!("`{key}` is not {expected}; it is ignored"));
}

fn warn(config: &mut Config, message: String) {
    config
        .warnings
        .push(format!("{OBSIDIAN_APP_FILE}: {message}"));
}
