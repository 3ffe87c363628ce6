//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure).
//!
//! Built with serde_json rather than a typed SARIF crate: the subset twin emits is small,
//! and a test validates it against the official 2.1.0 schema shipped in `tests/`.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, locate};
use crate::diagnostic::Severity;
use crate::rules::{RULES, docs_url, pack_docs_url, repository_url};
use crate::text::ColumnEncoding;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn physical_location(path: &str, loc: super::Location) -> Value {
    json!({
        "artifactLocation": { "uri": path, "uriBaseId": "%SRCROOT%" },
        "region": {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
        }
    })
}

pub fn write(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    let vault = report.vault;
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let mut described = json!({
                "id": rule.code,
                "name": rule.code,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "defaultConfiguration": {
                    "level": level(rule.default_severity),
                    "enabled": rule.enabled_by_default(),
                },
            });
            // Links only when twin was built with a repository to point at.
            if let Some(url) = docs_url(rule.code) {
                described["helpUri"] = Value::String(url);
            }
            described
        })
        .collect();
    // Query rules follow the built-in ones; a pack's rules link to the pack's section.
    rules.extend(report.queries.iter().map(|rule| {
        let mut described = json!({
            "id": rule.code,
            "name": rule.code,
            "shortDescription": { "text": rule.message },
            "fullDescription": { "text": rule.message },
            "defaultConfiguration": {
                "level": level(rule.default_severity()),
                "enabled": rule.level != crate::config::RuleLevel::Off,
            },
        });
        if let crate::query_rules::RuleSource::Pack(name) = rule.source
            && let Some(url) = pack_docs_url(name)
        {
            described["helpUri"] = Value::String(url);
        }
        described
    }));
    let codes: Vec<&str> = RULES
        .iter()
        .map(|r| r.code)
        .chain(report.queries.iter().map(|r| r.code))
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            // SARIF counts columns in UTF-16 code units unless told otherwise.
            let loc = locate(vault, &d.path, d.span, ColumnEncoding::Utf16);
            let rule_index = codes.iter().position(|c| *c == d.code).unwrap_or(0);
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let rl = locate(vault, &r.path, r.span, ColumnEncoding::Utf16);
                    json!({
                        "id": i,
                        "physicalLocation": physical_location(&r.path, rl),
                        "message": { "text": r.message },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{ "physicalLocation": physical_location(&d.path, loc) }],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        vault.root.to_string_lossy().trim_end_matches('/')
    );
    let mut driver = json!({
        "name": "twin",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(url) = repository_url() {
        driver["informationUri"] = Value::String(url.to_owned());
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root_uri } },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}
