//! Rule files: TOML with `[[rule]]` tables, read with their spans so every error names the
//! file, the line and the key. Unknown keys are refused, as in `.twin/config.toml`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use super::packs::pack;
use super::require::{Forbids, PropertyType, Requirements};
use super::select::{Selector, check_search, folder_globs};
use super::{QueryRule, QuerySet, RuleSource};
use crate::config::Relation;
use crate::config::{ConfigError, RuleLevel};
use crate::diagnostic::intern_code;

/// Where a vault keeps its own rule files, relative to its root.
pub const QUERIES_DIR: &str = ".twin/queries";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    rule: Vec<RuleToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleToml {
    code: Spanned<String>,
    #[serde(default)]
    severity: Option<Spanned<String>>,
    message: Spanned<String>,
    #[serde(default)]
    select: SelectToml,
    #[serde(default)]
    require: RequireToml,
    #[serde(default)]
    forbid: ForbidToml,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SelectToml {
    #[serde(default)]
    folder: Option<Spanned<Strings>>,
    #[serde(default)]
    tag: Option<Spanned<Strings>>,
    #[serde(default)]
    property: BTreeMap<Spanned<String>, Spanned<Strings>>,
    #[serde(default)]
    relation: BTreeMap<Spanned<String>, Spanned<Strings>>,
    #[serde(default)]
    search: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RequireToml {
    #[serde(default)]
    properties: Option<Spanned<Strings>>,
    #[serde(default)]
    any_property: Option<Spanned<Strings>>,
    #[serde(default)]
    property_types: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    relations: BTreeMap<Spanned<String>, Spanned<u32>>,
    #[serde(default)]
    sections: Option<Spanned<Strings>>,
    #[serde(default)]
    footnotes: Option<u32>,
    #[serde(default)]
    outgoing_links: Option<u32>,
    #[serde(default)]
    incoming_links: Option<u32>,
    #[serde(default)]
    max_length: Option<u32>,
    #[serde(default)]
    drift_floor: Option<Spanned<f64>>,
    #[serde(default)]
    identifier: Option<Spanned<Strings>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ForbidToml {
    #[serde(default)]
    tags: Option<Spanned<Strings>>,
    #[serde(default)]
    links: Option<Spanned<Strings>>,
    #[serde(default)]
    links_into: Option<Spanned<Strings>>,
    #[serde(default)]
    links_into_excluded: bool,
    #[serde(default)]
    properties: Option<Spanned<Strings>>,
    #[serde(default)]
    broken_embeds: bool,
}

/// A string or a list of strings, each list item with its span.
#[derive(Debug, Default)]
struct Strings(Vec<(String, Option<Range<usize>>)>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringsVisitor;
        impl<'de> Visitor<'de> for StringsVisitor {
            type Value = Strings;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Strings, E> {
                Ok(Strings(vec![(v.to_owned(), None)]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<String>>()? {
                    let span = item.span();
                    items.push((item.into_inner(), Some(span)));
                }
                Ok(Strings(items))
            }
        }
        deserializer.deserialize_any(StringsVisitor)
    }
}

/// Each string with its own span, or the value's span for a lone string.
fn items(value: &Option<Spanned<Strings>>) -> Vec<(&str, Range<usize>)> {
    match value {
        None => Vec::new(),
        Some(spanned) => spanned
            .get_ref()
            .0
            .iter()
            .map(|(s, span)| (s.as_str(), span.clone().unwrap_or(spanned.span())))
            .collect(),
    }
}

fn strings(value: &Option<Spanned<Strings>>) -> Vec<String> {
    items(value)
        .into_iter()
        .map(|(s, _)| s.to_owned())
        .collect()
}

/// Reads the packs named by `extends` (already checked to exist) and the vault's
/// `.twin/queries/*.toml`, sorted by file name. A file or rule with an error is left out
/// and its error returned; the other rules are kept. `builtin` are the built-in rule
/// codes, which query rules may not reuse.
pub fn load_rules(
    root: &Path,
    extends: &[String],
    builtin: &[&str],
) -> (QuerySet, Vec<ConfigError>) {
    let mut set = QuerySet::default();
    let mut errors = Vec::new();
    for name in extends {
        if let Some(pack) = pack(name) {
            let source = RuleSource::Pack(pack.name);
            let (rules, mut errs) = parse_rule_file(pack.text, source, builtin);
            add_rules(&mut set, rules, &mut errors);
            errors.append(&mut errs);
        }
    }
    let dir = root.join(QUERIES_DIR);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml") && path.is_file())
        .collect();
    files.sort();
    for path in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                errors.push(error(&path, None, format!("cannot be read: {e}")));
                continue;
            }
        };
        let (rules, mut errs) = parse_rule_file(&text, RuleSource::File(path), builtin);
        add_rules(&mut set, rules, &mut errors);
        errors.append(&mut errs);
    }
    (set, errors)
}

/// Adds rules to the set, refusing a code another rule file already took.
fn add_rules(set: &mut QuerySet, rules: Vec<QueryRule>, errors: &mut Vec<ConfigError>) {
    for rule in rules {
        if let Some(first) = set.rule(rule.code) {
            let message = format!(
                "rule code `{}` is already defined by {} (line {})",
                rule.code,
                first.source.describe(),
                first.line
            );
            errors.push(error(&source_path(&rule.source), Some(rule.line), message));
            continue;
        }
        set.rules.push(rule);
    }
}

/// The file a source names in errors.
fn source_path(source: &RuleSource) -> PathBuf {
    match source {
        RuleSource::Pack(name) => PathBuf::from(format!("queries/{name}.toml")),
        RuleSource::File(path) => path.clone(),
    }
}

/// Parses one rule file. A TOML error (bad syntax, an unknown key, a wrong type) drops the
/// whole file; an error in one rule's values (a bad glob or search query, a taken code)
/// drops that rule only.
pub fn parse_rule_file(
    text: &str,
    source: RuleSource,
    builtin: &[&str],
) -> (Vec<QueryRule>, Vec<ConfigError>) {
    let path = source_path(&source);
    let parsed: FileToml = match toml::from_str(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let line = e.span().map(|span| line_of(text, span.start));
            let message = e.message().lines().next().unwrap_or("").trim().to_owned();
            return (Vec::new(), vec![error(&path, line, message)]);
        }
    };
    let mut rules: Vec<QueryRule> = Vec::new();
    let mut errors = Vec::new();
    for table in parsed.rule {
        match build_rule(text, &table, &source, builtin) {
            Ok(rule) => {
                if rules.iter().any(|r| r.code == rule.code) {
                    let message =
                        format!("rule code `{}` is defined twice in this file", rule.code);
                    errors.push(error(&path, Some(rule.line), message));
                } else {
                    rules.push(rule);
                }
            }
            Err((offset, message)) => {
                errors.push(error(&path, Some(line_of(text, offset)), message))
            }
        }
    }
    (rules, errors)
}

type Refusal = (usize, String);

fn build_rule(
    text: &str,
    table: &RuleToml,
    source: &RuleSource,
    builtin: &[&str],
) -> Result<QueryRule, Refusal> {
    let code = table.code.get_ref();
    let at = |span: Range<usize>| span.start;
    if !is_kebab_case(code) {
        return Err((
            at(table.code.span()),
            format!("rule code `{code}` is not kebab-case (lowercase words joined by `-`)"),
        ));
    }
    if builtin.contains(&code.as_str()) {
        return Err((
            at(table.code.span()),
            format!("rule code `{code}` is a built-in rule; choose another code"),
        ));
    }
    let level = match &table.severity {
        None => RuleLevel::On(crate::diagnostic::Severity::Warning),
        Some(severity) => RuleLevel::parse(severity.get_ref()).ok_or_else(|| {
            (
                at(severity.span()),
                format!(
                    "unknown severity `{}` for rule `{code}`; expected error, warning, info, hint or off",
                    severity.get_ref()
                ),
            )
        })?,
    };
    if table.message.get_ref().trim().is_empty() {
        return Err((
            at(table.message.span()),
            format!("rule `{code}` has an empty message"),
        ));
    }
    let select = build_selector(&table.select)?;
    let require = build_requirements(&table.require)?;
    let forbid = build_forbids(&table.forbid)?;
    Ok(QueryRule {
        code: intern_code(code),
        level,
        message: table.message.get_ref().trim().to_owned(),
        source: source.clone(),
        line: line_of(text, table.code.span().start),
        text: rule_text(text, table.code.span().start),
        select,
        require,
        forbid,
    })
}

fn build_selector(select: &SelectToml) -> Result<Selector, Refusal> {
    let folders = items(&select.folder);
    let (folder_set, folder_patterns) = folder_globs(&folders, "select.folder")?;
    let tags = strings(&select.tag)
        .into_iter()
        .map(|t| t.trim_start_matches('#').to_lowercase())
        .collect();
    let properties = select
        .property
        .iter()
        .map(|(key, values)| {
            let values = values.get_ref().0.iter().map(|(v, _)| v.clone()).collect();
            (key.get_ref().clone(), values)
        })
        .collect();
    let mut relations = Vec::new();
    for (key, targets) in &select.relation {
        let relation = parse_relation(key, "select.relation")?;
        let targets = targets.get_ref().0.iter().map(|(t, _)| t.clone()).collect();
        relations.push((relation, targets));
    }
    let search = match &select.search {
        None => None,
        Some(query) => {
            check_search(query.get_ref()).map_err(|message| (query.span().start, message))?;
            Some(query.get_ref().trim().to_owned())
        }
    };
    Ok(Selector {
        folders: folder_set,
        folder_patterns,
        tags,
        properties,
        relations,
        search,
    })
}

fn parse_relation(key: &Spanned<String>, table: &str) -> Result<Relation, Refusal> {
    Relation::parse(key.get_ref()).ok_or_else(|| {
        (
            key.span().start,
            format!(
                "unknown relation `{}` in {table}; expected up, down or related",
                key.get_ref()
            ),
        )
    })
}

fn build_requirements(require: &RequireToml) -> Result<Requirements, Refusal> {
    let mut property_types = Vec::new();
    for (key, kind) in &require.property_types {
        let parsed = PropertyType::parse(kind.get_ref()).ok_or_else(|| {
            (
                kind.span().start,
                format!(
                    "unknown type `{}` for property `{}` in require.property-types; expected string, list, date, link, number or bool",
                    kind.get_ref(),
                    key.get_ref()
                ),
            )
        })?;
        property_types.push((key.get_ref().clone(), parsed));
    }
    let mut relations = Vec::new();
    for (key, min) in &require.relations {
        relations.push((parse_relation(key, "require.relations")?, *min.get_ref()));
    }
    let mut sections = Vec::new();
    for (name, span) in items(&require.sections) {
        let relation = Relation::parse(name).ok_or_else(|| {
            (
                span.start,
                format!("unknown link section `{name}` in require.sections; expected upstream, downstream or related"),
            )
        })?;
        sections.push(relation);
    }
    let drift_floor = match &require.drift_floor {
        None => None,
        Some(floor) if (0.0..=1.0).contains(floor.get_ref()) => Some(*floor.get_ref() as f32),
        Some(floor) => {
            return Err((
                floor.span().start,
                format!(
                    "require.drift-floor must be between 0 and 1, not {}",
                    floor.get_ref()
                ),
            ));
        }
    };
    Ok(Requirements {
        properties: strings(&require.properties),
        any_property: strings(&require.any_property),
        property_types,
        relations,
        sections,
        footnotes: require.footnotes,
        outgoing_links: require.outgoing_links,
        incoming_links: require.incoming_links,
        max_length: require.max_length,
        drift_floor,
        identifier: require
            .identifier
            .as_ref()
            .map(|_| strings(&require.identifier)),
    })
}

fn build_forbids(forbid: &ForbidToml) -> Result<Forbids, Refusal> {
    let (links_into, links_into_patterns) =
        folder_globs(&items(&forbid.links_into), "forbid.links-into")?;
    Ok(Forbids {
        tags: strings(&forbid.tags)
            .into_iter()
            .map(|t| t.trim_start_matches('#').to_lowercase())
            .collect(),
        links: strings(&forbid.links),
        links_into,
        links_into_patterns,
        links_into_excluded: forbid.links_into_excluded,
        properties: strings(&forbid.properties),
        broken_embeds: forbid.broken_embeds,
    })
}

/// Lowercase ASCII words of letters and digits joined by single hyphens.
fn is_kebab_case(code: &str) -> bool {
    !code.is_empty()
        && code.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The `[[rule]]` table holding byte `offset`: from its header to the next table header.
fn rule_text(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind("[[rule]]").unwrap_or(0);
    let end = text[offset..]
        .match_indices("[[rule]]")
        .next()
        .map_or(text.len(), |(i, _)| offset + i);
    text[start..end].trim_end().to_owned()
}

fn error(path: &Path, line: Option<usize>, message: String) -> ConfigError {
    ConfigError::at(path, line, message)
}

fn line_of(text: &str, offset: usize) -> usize {
    ConfigError::line_of(text, offset)
}
