//! `.obsidian/daily-notes.json`: the daily notes plugin's folder, date format (Moment.js
//! tokens) and template. Missing keys take Obsidian's defaults; never fatal.

use std::path::Path;

use serde_json::Value;

/// The daily notes settings file, relative to the vault root.
pub const DAILY_NOTES_FILE: &str = ".obsidian/daily-notes.json";

/// Where daily notes go and how they are named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyNotes {
    /// The folder, relative to the vault root, without slashes around; empty at the root.
    pub folder: String,
    /// The note's name (and any subfolders) in Moment.js tokens; `YYYY-MM-DD` by default.
    pub format: String,
    /// The template note's vault path, with `.md`, when one is set.
    pub template: Option<String>,
}

impl Default for DailyNotes {
    fn default() -> DailyNotes {
        DailyNotes {
            folder: String::new(),
            format: "YYYY-MM-DD".to_owned(),
            template: None,
        }
    }
}

/// Reads the settings; a missing file means Obsidian's defaults, a broken one adds a
/// warning and means the defaults too.
pub(super) fn read_daily_notes(root: &Path, warnings: &mut Vec<String>) -> DailyNotes {
    let mut daily = DailyNotes::default();
    let text = match std::fs::read_to_string(root.join(DAILY_NOTES_FILE)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return daily,
        Err(e) => {
            warnings.push(format!(
                "{DAILY_NOTES_FILE}: cannot be read ({e}); defaults apply"
            ));
            return daily;
        }
    };
    let Ok(Value::Object(settings)) = serde_json::from_str::<Value>(&text) else {
        warnings.push(format!(
            "{DAILY_NOTES_FILE}: is not a JSON object; defaults apply"
        ));
        return daily;
    };
    let text_of = |key: &str| {
        settings
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let Some(folder) = text_of("folder") {
        daily.folder = folder.trim_matches('/').to_owned();
    }
    if let Some(format) = text_of("format") {
        daily.format = format.to_owned();
    }
    daily.template = text_of("template").map(|t| {
        let t = t.trim_start_matches('/');
        if t.ends_with(".md") {
            t.to_owned()
        } else {
            format!("{t}.md")
        }
    });
    daily
}

#[cfg(test)]
mod tests {
    use super::{DAILY_NOTES_FILE, DailyNotes, read_daily_notes};

    fn read(text: Option<&str>) -> (DailyNotes, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = text {
            std::fs::create_dir_all(dir.path().join(".obsidian")).unwrap();
            std::fs::write(dir.path().join(DAILY_NOTES_FILE), text).unwrap();
        }
        let mut warnings = Vec::new();
        (read_daily_notes(dir.path(), &mut warnings), warnings)
    }

    #[test]
    fn reads_obsidians_settings_with_defaults() {
        assert_eq!(read(None), (DailyNotes::default(), vec![]));
        let (daily, warnings) = read(Some(
            r#"{"folder": "/Journal/", "format": "YYYY/MM/YYYY-MM-DD", "template": "Templates/Day", "autorun": true}"#,
        ));
        assert!(warnings.is_empty());
        assert_eq!(daily.folder, "Journal");
        assert_eq!(daily.format, "YYYY/MM/YYYY-MM-DD");
        assert_eq!(daily.template.as_deref(), Some("Templates/Day.md"));
        let (daily, _) = read(Some(r#"{"format": ""}"#));
        assert_eq!(daily.format, "YYYY-MM-DD");
        let (daily, warnings) = read(Some("[1]"));
        assert_eq!(daily, DailyNotes::default());
        assert_eq!(warnings.len(), 1);
    }
}
