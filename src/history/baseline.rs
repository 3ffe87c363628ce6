//! CI baselines: the fingerprints of accepted findings, so a check fails only on new ones.
//!
//! The file is JSON with one finding per line, sorted by path, code, subject and
//! fingerprint, so that accepting or fixing a finding is a one-line diff:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"fp":"1a2b3c4d5e6f","code":"broken-link","path":"a.md","subject":"Missing"}
//!   ]
//! }
//! ```

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use super::fingerprint::{Finding, Fp};

/// The baseline format's version.
pub const BASELINE_VERSION: u32 = 1;

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fp: String,
    pub code: String,
    pub path: String,
    pub subject: String,
}

/// A set of accepted findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<BaselineEntry>,
    fps: FxHashSet<Fp>,
}

#[derive(Deserialize)]
struct File {
    version: u32,
    findings: Vec<BaselineEntry>,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        Baseline::from_entries(
            findings
                .iter()
                .map(|f| BaselineEntry {
                    fp: f.fp.to_string(),
                    code: f.code.clone(),
                    path: f.path.clone(),
                    subject: f.subject.clone(),
                })
                .collect(),
        )
    }

    fn from_entries(mut entries: Vec<BaselineEntry>) -> Baseline {
        entries.sort_by(|a, b| {
            (&a.path, &a.code, &a.subject, &a.fp).cmp(&(&b.path, &b.code, &b.subject, &b.fp))
        });
        entries.dedup_by(|a, b| a.fp == b.fp);
        let fps = entries.iter().filter_map(|e| Fp::parse(&e.fp)).collect();
        Baseline { entries, fps }
    }

    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != BASELINE_VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {BASELINE_VERSION})",
                file.version
            ));
        }
        for entry in &file.findings {
            if Fp::parse(&entry.fp).is_none() {
                return Err(format!("`{}` is not a fingerprint", entry.fp));
            }
        }
        Ok(Baseline::from_entries(file.findings))
    }

    /// The file's text: stable, sorted, one finding per line.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\n  \"version\": {BASELINE_VERSION},\n  \"findings\": [");
        for (i, entry) in self.entries.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&serde_json::to_string(entry).expect("entries serialize"));
        }
        if !self.entries.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }

    pub fn contains(&self, fp: Fp) -> bool {
        self.fps.contains(&fp)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[BaselineEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fingerprint::fingerprint;

    fn finding(path: &str, subject: &str) -> Finding {
        Finding {
            fp: fingerprint("broken-link", path, subject, 0),
            code: "broken-link".into(),
            path: path.into(),
            subject: subject.into(),
            n: 0,
        }
    }

    #[test]
    fn writes_sorted_one_line_per_finding_and_reads_back() {
        let findings = [
            finding("b.md", "X"),
            finding("a.md", "Y \"q\""),
            finding("a.md", "A"),
        ];
        let baseline = Baseline::from_findings(&findings);
        let text = baseline.to_json();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8, "{text}");
        assert!(
            lines[3].contains("\"path\":\"a.md\",\"subject\":\"A\""),
            "{text}"
        );
        assert!(lines[5].contains("\"path\":\"b.md\""), "{text}");
        let back = Baseline::parse(&text).unwrap();
        assert_eq!(back, baseline);
        assert!(back.contains(findings[1].fp));
        assert!(!back.contains(finding("c.md", "X").fp));
        assert_eq!(
            Baseline::from_findings(&[]).to_json(),
            "{\n  \"version\": 1,\n  \"findings\": []\n}\n"
        );
    }

    #[test]
    fn refuses_other_versions_and_bad_fingerprints() {
        assert!(Baseline::parse(r#"{"version":2,"findings":[]}"#).is_err());
        let bad = r#"{"version":1,"findings":[{"fp":"zz","code":"c","path":"p","subject":"s"}]}"#;
        assert!(Baseline::parse(bad).is_err());
        assert!(Baseline::parse("not json").is_err());
    }
}
