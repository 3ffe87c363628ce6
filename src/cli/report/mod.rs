//! Reports of `twin check`: the core's findings converted to 1-based lines and columns.

pub mod github;
pub mod groups;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use std::time::Duration;

use crate::coherence::CoherenceVector;
use crate::diagnostic::{Diagnostic, Severity};
use crate::note::Note;
use crate::text::{ColumnEncoding, Span};
use crate::vault::Vault;

/// A 1-based position range; columns in the encoding the report was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Converts a span of the note or canvas at `path` to a 1-based location. Other paths
/// (skipped files) point at the file's start.
pub fn locate(vault: &Vault, path: &str, span: Span, encoding: ColumnEncoding) -> Location {
    if let Some(id) = vault.note_by_path(path) {
        return locate_in(vault.note(id), span, encoding);
    }
    if let Some(canvas) = vault.canvas(path) {
        // Canvases are few and small, and few of their spans are reported.
        let index = crate::text::LineIndex::new(&canvas.text);
        return locate_text(&canvas.text, &index, span, encoding);
    }
    Location {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    }
}

pub fn locate_in(note: &Note, span: Span, encoding: ColumnEncoding) -> Location {
    locate_text(&note.text, &note.line_index, span, encoding)
}

fn locate_text(
    text: &str,
    index: &crate::text::LineIndex,
    span: Span,
    encoding: ColumnEncoding,
) -> Location {
    let start = index.line_col(text, span.start as usize, encoding);
    let end = index.line_col(text, span.end as usize, encoding);
    Location {
        line: start.line + 1,
        column: start.col + 1,
        end_line: end.line + 1,
        end_column: end.col + 1,
    }
}

/// Everything a report needs, computed once for every output format.
pub struct Report<'a> {
    pub vault: &'a Vault,
    pub diagnostics: &'a [Diagnostic],
    pub elapsed: Duration,
    /// The vault's coherence, when it was measured.
    pub coherence: Option<CoherenceSummary>,
    /// The query rules in effect (packs and the vault's rule files), for SARIF's rule list.
    pub queries: Vec<&'a crate::query_rules::QueryRule>,
}

/// The vault's coherence score and every note's vector, in note order.
pub struct CoherenceSummary {
    pub score: f64,
    pub notes: Vec<CoherenceVector>,
}

/// Notes listed as least coherent in the human summary.
pub const LEAST_COHERENT: usize = 10;

impl<'a> Report<'a> {
    pub fn new(vault: &'a Vault, diagnostics: &'a [Diagnostic], elapsed: Duration) -> Self {
        Report {
            vault,
            diagnostics,
            elapsed,
            coherence: None,
            queries: Vec::new(),
        }
    }

    /// Adds the query rules in effect, so SARIF describes their codes too.
    pub fn with_queries(mut self, queries: Vec<&'a crate::query_rules::QueryRule>) -> Self {
        self.queries = queries;
        self
    }

    /// Adds the coherence score and the per-note vectors (in note order).
    pub fn with_coherence(mut self, score: f64, notes: Vec<CoherenceVector>) -> Self {
        self.coherence = Some(CoherenceSummary { score, notes });
        self
    }

    /// The notes below a perfect score, least coherent first (ties by path), at most `n`.
    pub fn least_coherent(&self, n: usize) -> Vec<(&'a str, &CoherenceVector)> {
        let Some(summary) = &self.coherence else {
            return Vec::new();
        };
        let mut notes: Vec<(&'a str, &CoherenceVector)> = self
            .vault
            .notes
            .iter()
            .map(|note| &*note.path)
            .zip(&summary.notes)
            .filter(|(_, v)| v.score < 1.0)
            .collect();
        notes.sort_by(|a, b| a.1.score.total_cmp(&b.1.score).then(a.0.cmp(b.0)));
        notes.truncate(n);
        notes
    }

    /// Findings per severity, most severe first.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for d in self.diagnostics {
            counts[d.severity as usize] += 1;
        }
        counts
    }

    /// Findings per rule with the rule's most severe level: the most severe rules first,
    /// then the rules with the most findings, then by code.
    pub fn counts_by_rule(&self) -> Vec<(&'static str, Severity, usize)> {
        let mut rules: Vec<(&'static str, Severity, usize)> = Vec::new();
        for d in self.diagnostics {
            match rules.iter_mut().find(|(code, _, _)| *code == d.code) {
                Some(row) => {
                    row.1 = row.1.min(d.severity);
                    row.2 += 1;
                }
                None => rules.push((d.code, d.severity, 1)),
            }
        }
        rules.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
        rules
    }

    /// Notes read plus files skipped: what the summary calls "notes checked".
    pub fn notes_checked(&self) -> usize {
        self.vault.notes.len() + self.vault.skipped.len()
    }
}

/// A count with thousands separated by commas: `2,108`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The plural of a severity's name for summaries.
pub fn severity_plural(severity: Severity, n: usize) -> String {
    let word = severity.as_str();
    match (severity, n) {
        (_, 1) => format!("1 {word}"),
        (Severity::Info, _) => format!("{n} infos"),
        _ => format!("{n} {word}s"),
    }
}
