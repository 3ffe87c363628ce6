//! A finding of a rule, in core terms: a note path and a byte span; its severity; and rule
//! codes read from files, interned so every finding carries a `&'static str` code.

mod codes;

use serde::Serialize;

use crate::note::{Note, VaultPath};
use crate::text::Span;

pub use codes::{intern_code, is_file_rule_code};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    // Ordered from most to least severe so sorting puts errors first.
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Hint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|sev| sev.as_str() == s)
    }

    /// Whether a finding of this severity reaches the threshold `at_least`.
    pub fn reaches(self, at_least: Severity) -> bool {
        self <= at_least
    }
}

/// The other side of a cross-note finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub path: VaultPath,
    pub span: crate::text::Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: VaultPath,
    pub span: Span,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
}

impl Related {
    /// A related entry pointing at another note as a whole (its title or first heading).
    pub fn note(note: &Note, message: impl Into<String>) -> Related {
        Related {
            path: note.path.clone(),
            span: note.identity_span(),
            message: message.into(),
        }
    }
}
