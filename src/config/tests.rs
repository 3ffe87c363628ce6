//! Tests of `.twin/config.toml` and `.obsidian/app.json` loading.

use std::fs;

use super::*;

const RULES: &[&str] = &["broken-link", "ambiguous-link"];

/// Loads with the built-in codes above, one pack `frames` and no rule files.
fn load(root: &std::path::Path) -> Result<Config, ConfigError> {
    let mut no_files = |_: &[String]| RuleFileCodes {
        codes: Vec::new(),
        all_read: true,
    };
    let mut catalog = RuleCatalog {
        builtin: RULES,
        packs: &["frames"],
        rule_files: &mut no_files,
    };
    load_config(root, &mut catalog)
}

fn vault_with(config: Option<&str>, app_json: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = config {
        fs::create_dir_all(dir.path().join(".twin")).unwrap();
        fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
    }
    if let Some(text) = app_json {
        fs::create_dir_all(dir.path().join(".obsidian")).unwrap();
        fs::write(dir.path().join(OBSIDIAN_APP_FILE), text).unwrap();
    }
    dir
}

fn error_of(config: &str) -> ConfigError {
    let dir = vault_with(Some(config), None);
    let err = load(dir.path()).expect_err("config should be refused");
    assert_eq!(err.file, dir.path().join(CONFIG_FILE));
    err
}

#[test]
fn missing_files_mean_defaults() {
    let dir = vault_with(None, None);
    let config = load(dir.path()).unwrap();
    assert_eq!(config.source, None);
    assert!(config.exclude.is_empty() && config.rules.is_empty());
    assert!(config.warnings.is_empty() && config.obsidian_ignore.is_empty());
    assert!(!config.use_markdown_links);
}

#[test]
fn reads_exclude_and_rules() {
    let text = "exclude = [\"Archive/**\", \"*.tmp.md\"]\n\n[rules]\nbroken-link = \"warning\"\nambiguous-link = \"off\"\n";
    let dir = vault_with(Some(text), None);
    let config = load(dir.path()).unwrap();
    assert_eq!(
        config.source.as_deref(),
        Some(&*dir.path().join(CONFIG_FILE))
    );
    assert_eq!(config.exclude, ["Archive/**", "*.tmp.md"]);
    assert_eq!(
        config.rules.get("broken-link"),
        Some(&RuleLevel::On(Severity::Warning))
    );
    assert_eq!(config.rules.get("ambiguous-link"), Some(&RuleLevel::Off));
}

#[test]
fn unknown_key_names_key_and_line() {
    let err = error_of("exclude = []\n\nexlude = [\"x\"]\n");
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("`exlude`"), "{}", err.message);
    let shown = err.to_string();
    assert!(shown.ends_with(&format!(":3: {}", err.message)), "{shown}");
    assert!(shown.contains("config.toml"), "{shown}");
}

#[test]
fn unknown_key_in_a_table() {
    let err = error_of("[rulez]\nbroken-link = \"error\"\n");
    assert_eq!(err.line, Some(1));
    assert!(err.message.contains("`rulez`"), "{}", err.message);
}

#[test]
fn bad_level_names_rule_and_line() {
    let err = error_of("[rules]\nbroken-link = \"error\"\nambiguous-link = \"fatal\"\n");
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.message,
        "unknown level `fatal` for rule `ambiguous-link`; expected error, warning, info, hint or off"
    );
}

#[test]
fn level_of_the_wrong_type() {
    let err = error_of("[rules]\n\nbroken-link = 3\n");
    assert_eq!(err.line, Some(3));
}

#[test]
fn unknown_rule_code() {
    let err = error_of("[rules]\nbroken-link = \"error\"\n\nno-such-rule = \"error\"\n");
    assert_eq!(err.line, Some(4));
    assert_eq!(err.message, "unknown rule `no-such-rule` in [rules]");
}

#[test]
fn bad_glob() {
    let err = error_of("exclude = [\n  \"ok/**\",\n  \"bad[\",\n]\n");
    assert_eq!(err.line, Some(3));
    assert!(
        err.message == "invalid exclude glob `bad[`: unclosed character class; missing ']'",
        "{}",
        err.message
    );
}

#[test]
fn a_glob_of_fifty_thousand_characters_is_refused_at_once() {
    let long = "a".repeat(50_000);
    let started = std::time::Instant::now();
    let err = error_of(&format!("exclude = [\n  \"ok/**\",\n  \"{long}\",\n]\n"));
    assert_eq!(err.line, Some(3));
    assert!(
        err.message
            .contains("is 50000 characters long; at most 1024"),
        "{}",
        err.message
    );
    // Before the cap this took 11 s; the bound is loose for a loaded debug build.
    assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
}

#[test]
fn toml_syntax_error_has_a_line() {
    let err = error_of("exclude = [\"a\"]\n[rules\n");
    assert_eq!(err.line, Some(2));
}

#[test]
fn reads_app_json() {
    let app = r#"{"userIgnoreFilters": ["Archive/", "Templates", "*.canvas.md"], "newLinkFormat": "relative", "useMarkdownLinks": true, "newFileLocation": "folder", "newFileFolderPath": "Inbox", "other": 1}"#;
    let dir = vault_with(None, Some(app));
    let config = load(dir.path()).unwrap();
    assert_eq!(
        config.obsidian_ignore,
        ["Archive/", "Templates", "*.canvas.md"]
    );
    assert_eq!(config.new_link_format.as_deref(), Some("relative"));
    assert!(config.use_markdown_links);
    assert_eq!(config.new_file_location.as_deref(), Some("folder"));
    assert_eq!(config.new_file_folder.as_deref(), Some("Inbox"));
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
}

#[test]
fn garbage_app_json_is_a_warning() {
    let dir = vault_with(None, Some("{ this is not json"));
    let config = load(dir.path()).unwrap();
    assert_eq!(config.warnings.len(), 1);
    let warning = &config.warnings[0];
    assert!(
        warning.starts_with(".obsidian/app.json: is not valid JSON ("),
        "{warning}"
    );
    assert!(!warning.contains('\n'));
}

#[test]
fn wrong_types_in_app_json_are_warnings() {
    let app = r#"{"userIgnoreFilters": "Archive/", "newLinkFormat": 3, "useMarkdownLinks": "yes", "newFileLocation": 1}"#;
    let dir = vault_with(None, Some(app));
    let config = load(dir.path()).unwrap();
    assert_eq!(
        config.warnings,
        [
            ".obsidian/app.json: `userIgnoreFilters` is not a list of strings; it is ignored",
            ".obsidian/app.json: `newLinkFormat` is not a string; it is ignored",
            ".obsidian/app.json: `useMarkdownLinks` is not true or false; it is ignored",
            ".obsidian/app.json: `newFileLocation` is not a string; it is ignored",
        ]
    );
    assert!(config.obsidian_ignore.is_empty());
    assert_eq!(config.new_link_format, None);

    let dir = vault_with(None, Some("[1, 2]"));
    let config = load(dir.path()).unwrap();
    assert_eq!(
        config.warnings,
        [".obsidian/app.json: is not a JSON object; its settings are ignored"]
    );
}

#[test]
fn unusable_ignore_filters_are_warnings() {
    let app = r#"{"userIgnoreFilters": ["/^Daily/", "", "a[*", "Keep/"]}"#;
    let dir = vault_with(None, Some(app));
    let config = load(dir.path()).unwrap();
    assert_eq!(config.obsidian_ignore, ["Keep/"]);
    assert_eq!(config.warnings.len(), 3, "{:?}", config.warnings);
    assert!(config.warnings[0].contains("`/^Daily/` is not supported"));
}

#[test]
fn rule_levels_parse() {
    assert_eq!(RuleLevel::parse("off"), Some(RuleLevel::Off));
    assert_eq!(
        RuleLevel::parse("hint"),
        Some(RuleLevel::On(Severity::Hint))
    );
    assert_eq!(RuleLevel::parse("Error"), None);
}

#[test]
fn relations_defaults() {
    let dir = vault_with(None, None);
    let config = load(dir.path()).unwrap();
    let r = &config.relations;
    assert_eq!(r.reciprocity, Reciprocity::Auto);
    assert_eq!(
        r.relation_of_key("Parent"),
        Some(crate::config::Relation::Up)
    );
    assert_eq!(
        r.relation_of_key("same"),
        Some(crate::config::Relation::Related)
    );
    assert_eq!(
        (r.created_key.as_str(), r.updated_key.as_str()),
        ("created", "updated")
    );
}

#[test]
fn reads_relations_table() {
    let text = "[relations]\nreciprocity = \"explicit\"\ncreated-key = \"date created\"\nupdated-key = \"modified\"\nidentity-floor = 0.2\nrelation-floor = 0.01\ndrift-percentile = 10\n\n[relations.keys]\nbroader = \"upstream\"\nnarrower = \"down\"\n\n[relations.headings]\nrelated = [\"Siehe auch\"]\n";
    let dir = vault_with(Some(text), None);
    let r = load(dir.path()).unwrap().relations;
    use crate::config::Relation;
    assert_eq!(r.reciprocity, Reciprocity::Explicit);
    assert_eq!(r.created_key, "date created");
    assert_eq!(r.updated_key, "modified");
    assert_eq!(
        (r.identity_floor, r.relation_floor, r.drift_percentile),
        (0.2, 0.01, 10.0)
    );
    assert_eq!(r.relation_of_key("Broader"), Some(Relation::Up));
    assert_eq!(r.relation_of_key("narrower"), Some(Relation::Down));
    assert_eq!(
        r.relation_of_key("up"),
        None,
        "the key table replaces the defaults"
    );
    assert_eq!(r.headings[Relation::Related.index()], ["Siehe auch"]);
    assert_eq!(
        r.headings[Relation::Up.index()][0],
        "Upstream",
        "other lists keep defaults"
    );
}

#[test]
fn relations_errors_name_their_line() {
    let err = error_of("[relations]\nreciprocity = \"auto\"\nreciprocty = \"link\"\n");
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("`reciprocty`"), "{}", err.message);

    let err = error_of("[relations]\n\nreciprocity = \"sometimes\"\n");
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.message,
        "unknown reciprocity `sometimes`; expected auto, explicit, link or off"
    );

    let err = error_of("[relations.keys]\nup = \"upstream\"\nsideways = \"left\"\n");
    assert_eq!(err.line, Some(3));
    assert!(
        err.message
            .contains("unknown relation `left` for key `sideways`"),
        "{}",
        err.message
    );

    let err = error_of("[relations.headings]\nupstream = [\"Up\",\n  \"1️⃣\"]\n");
    assert_eq!(err.line, Some(3));

    let err = error_of("[relations.headings]\nsideways = [\"x\"]\n");
    assert_eq!(err.line, Some(2));

    let err = error_of("[relations]\nidentity-floor = 2.5\n");
    assert_eq!(err.line, Some(2));
}

#[test]
fn history_table_is_read_and_checked() {
    let dir = vault_with(
        Some("[history]\nescalate-after-days = 14\nanchor-floor = 0.2\n"),
        None,
    );
    let config = load(dir.path()).unwrap();
    assert_eq!(config.history.escalate_after_days, Some(14));
    assert_eq!(config.history.anchor_floor, 0.2);
    let defaults = load(vault_with(None, None).path()).unwrap();
    assert_eq!(defaults.history, HistoryConfig::default());
    assert_eq!(defaults.history.escalate_after_days, None);

    let err = error_of("[history]\n\nescalate-after = 3\n");
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("escalate-after"), "{}", err.message);
    let err = error_of("[history]\nescalate-after-days = 0\n");
    assert_eq!(err.line, Some(2));
    assert!(err.message.contains("from 1 to 36500"), "{}", err.message);
    let err = error_of("[history]\nanchor-floor = 1.5\n");
    assert_eq!(err.line, Some(2));
}
