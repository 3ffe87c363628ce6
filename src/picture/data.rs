//! The report's data as the page reads it: compact JSON (arrays rather than objects, so a
//! 10k-note vault stays a few megabytes), byte spans turned into 1-based lines.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::Picture;
use crate::coherence::CoherenceVector;
use crate::config::Relation;
use crate::diagnostic::{Diagnostic, Severity};
use crate::history::{Timestamp, Trend};
use crate::vault::Vault;

/// What the report is made of.
pub struct Input<'a> {
    pub vault: &'a Vault,
    pub diagnostics: &'a [Diagnostic],
    /// Per diagnostic, days open in the trace (empty without a trace).
    pub ages: &'a [Option<i64>],
    pub vectors: &'a [CoherenceVector],
    pub score: f64,
    pub picture: &'a Picture,
    pub trend: Option<&'a Trend>,
    pub generated: Timestamp,
}

/// A note: `[path, title, level, score, link integrity, reciprocity, drift or null, conflicts]`.
type NoteRow<'a> = (&'a str, &'a str, u32, f32, f32, f32, Option<f32>, usize);
/// A finding: `[note index or path, line, code index, severity index, message, age in days or null]`.
type FindingRow<'a> = (NoteRef<'a>, u32, usize, usize, &'a str, Option<i64>);

#[derive(Serialize)]
pub struct Data<'a> {
    vault: String,
    generated: String,
    score: f64,
    /// `file://` URL of the vault's folder, with a trailing slash.
    root_url: String,
    codes: Vec<&'static str>,
    severities: [&'static str; 4],
    notes: Vec<NoteRow<'a>>,
    /// Flat `from, to, kind` triples; kinds 0 up, 1 down, 2 related, 3 plain link.
    edges: Vec<u32>,
    findings: Vec<FindingRow<'a>>,
    shown: Vec<u32>,
    trend: Option<&'a Trend>,
    /// `[day index, code, before, after]`: a rule's count moved sharply that day.
    jumps: Vec<(usize, &'a str, u32, u32)>,
}

/// A finding's note: its index, or the path of a file that is not a note.
#[derive(Serialize)]
#[serde(untagged)]
enum NoteRef<'a> {
    Index(u32),
    Path(&'a str),
}

/// Rounds to three decimals, plenty for a bar and a third of the digits.
fn short(x: f64) -> f32 {
    ((x * 1000.0).round() / 1000.0) as f32
}

impl<'a> Data<'a> {
    pub fn new(input: Input<'a>) -> Data<'a> {
        let vault = input.vault;
        let mut codes: Vec<&'static str> = input.diagnostics.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        codes.dedup();
        let notes = vault
            .notes
            .iter()
            .zip(input.vectors)
            .zip(&input.picture.levels)
            .map(|((note, v), level)| {
                (
                    &*note.path,
                    note.title(),
                    *level,
                    short(v.score),
                    short(v.link_integrity),
                    short(v.reciprocity),
                    v.drift.map(short),
                    v.conflicts,
                )
            })
            .collect();
        let mut edges = Vec::with_capacity(input.picture.edges.len() * 3);
        for e in &input.picture.edges {
            let kind = match e.relation {
                Some(Relation::Up) => 0,
                Some(Relation::Down) => 1,
                Some(Relation::Related) => 2,
                None => 3,
            };
            edges.extend([e.from.0, e.to.0, kind]);
        }
        let findings = input
            .diagnostics
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (note, line) = match vault.note_by_path(&d.path) {
                    Some(id) => {
                        let note = vault.note(id);
                        let line = note.line_index.line_of(d.span.start as usize) + 1;
                        (NoteRef::Index(id.0), line)
                    }
                    None => (NoteRef::Path(&d.path), 1),
                };
                let code = codes.binary_search(&d.code).unwrap_or(0);
                let age = input.ages.get(i).copied().flatten();
                (note, line, code, d.severity as usize, &*d.message, age)
            })
            .collect();
        let root = vault
            .root
            .canonicalize()
            .unwrap_or_else(|_| vault.root.clone());
        Data {
            vault: root
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            generated: input.generated.to_string(),
            score: f64::from(short(input.score)),
            root_url: file_url(&root.to_string_lossy()),
            codes,
            severities: Severity::ALL.map(Severity::as_str),
            notes,
            edges,
            findings,
            shown: input.picture.shown.iter().map(|id| id.0).collect(),
            trend: input.trend,
            jumps: input.trend.map(jumps).unwrap_or_default(),
        }
    }

    /// The JSON, safe inside a `<script>` element: no `<` can close it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .expect("the report's data serializes")
            .replace('<', "\\u003c")
    }
}

/// Days on which a rule's open count changed by at least 3 and by a quarter.
fn jumps(trend: &Trend) -> Vec<(usize, &str, u32, u32)> {
    let mut out = Vec::new();
    let series: BTreeMap<&str, &Vec<u32>> =
        trend.series.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (code, values) in series {
        for (i, pair) in values.windows(2).enumerate() {
            let (before, after) = (pair[0], pair[1]);
            let change = before.abs_diff(after);
            if change >= 3 && change * 4 >= before.max(after) {
                out.push((i + 1, code, before, after));
            }
        }
    }
    out.sort_by_key(|j| j.0);
    out
}

/// A `file://` URL for an absolute path, percent-encoded, ending in `/`.
fn file_url(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::from("file://");
    if !path.starts_with('/') {
        out.push('/');
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jumps_are_sharp_changes_only() {
        let trend = Trend {
            days: vec!["a".into(); 5],
            series: BTreeMap::from([("x".to_string(), vec![10, 11, 20, 19, 2])]),
            total: vec![10, 11, 20, 19, 2],
            scores: Vec::new(),
        };
        assert_eq!(jumps(&trend), vec![(2, "x", 11, 20), (4, "x", 19, 2)]);
    }

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(file_url("/v/my notes"), "file:///v/my%20notes/");
        assert_eq!(file_url("C:\\v"), "file:///C:/v/");
    }
}
