//! `--format json`: the stable machine-readable report (version 1).

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, locate};
use crate::coherence::CoherenceVector;
use crate::text::ColumnEncoding;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    vault: String,
    notes: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    coherence: Option<JsonCoherence<'a>>,
}

/// Added in version 1 without breaking it: the vault's score and every note's vector.
#[derive(Serialize)]
struct JsonCoherence<'a> {
    score: f64,
    notes: Vec<JsonNoteCoherence<'a>>,
}

#[derive(Serialize)]
struct JsonNoteCoherence<'a> {
    path: &'a str,
    #[serde(flatten)]
    vector: &'a CoherenceVector,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    error: usize,
    warning: usize,
    info: usize,
    hint: usize,
}

pub fn write(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    let vault = report.vault;
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let loc = locate(vault, &d.path, d.span, ColumnEncoding::Char);
            JsonDiagnostic {
                path: &d.path,
                line: loc.line,
                column: loc.column,
                end_line: loc.end_line,
                end_column: loc.end_column,
                severity: d.severity.as_str(),
                code: d.code,
                message: &d.message,
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let loc = locate(vault, &r.path, r.span, ColumnEncoding::Char);
                        JsonRelated {
                            path: &r.path,
                            line: loc.line,
                            column: loc.column,
                            message: &r.message,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let [error, warning, info, hint] = report.counts();
    let json = JsonReport {
        version: 1,
        vault: vault.root.to_string_lossy().into_owned(),
        notes: report.notes_checked(),
        diagnostics,
        summary: JsonSummary {
            error,
            warning,
            info,
            hint,
        },
        coherence: report.coherence.as_ref().map(|c| JsonCoherence {
            score: c.score,
            notes: vault
                .notes
                .iter()
                .zip(&c.notes)
                .map(|(note, vector)| JsonNoteCoherence {
                    path: &note.path,
                    vector,
                })
                .collect(),
        }),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
