//! Surfacing history in reports: a finding's age and reopen count at the end of its
//! message, and one severity step more for chronic findings.

use crate::diagnostic::{Diagnostic, Severity};

use super::fingerprint::Finding;
use super::state::TraceState;
use super::time::Timestamp;

/// How long a finding has been open and how often it came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Age {
    /// Whole days since this episode opened.
    pub days: i64,
    pub reopens: u32,
}

impl Age {
    /// `open 12 days, reopened 2×`.
    pub fn describe(self) -> String {
        let open = match self.days {
            0 => "open <1 day".to_string(),
            1 => "open 1 day".to_string(),
            n => format!("open {n} days"),
        };
        if self.reopens == 0 {
            open
        } else {
            format!("{open}, reopened {}×", self.reopens)
        }
    }
}

/// The age of a finding the trace has open.
pub fn age(state: &TraceState, finding: &Finding, now: Timestamp) -> Option<Age> {
    let found = state.finding(finding.fp)?;
    let open = found.open.as_ref()?;
    Some(Age {
        days: open.since.days_until(now),
        reopens: found.reopens,
    })
}

/// The next severity up (an error stays an error).
pub fn escalate(severity: Severity) -> Severity {
    match severity {
        Severity::Error | Severity::Warning => Severity::Error,
        Severity::Info => Severity::Warning,
        Severity::Hint => Severity::Info,
    }
}

/// Ends the message of each diagnostic the trace has open with its age (` (open 12 days,
/// reopened 2×)`) and raises those open `escalate_after_days` or longer by one step.
/// `findings` are the diagnostics' fingerprints, in the same order. Returns how many were
/// escalated.
pub fn annotate(
    diagnostics: &mut [Diagnostic],
    findings: &[Finding],
    state: &TraceState,
    now: Timestamp,
    escalate_after_days: Option<u32>,
) -> usize {
    let mut escalated = 0;
    for (diagnostic, finding) in diagnostics.iter_mut().zip(findings) {
        let Some(age) = age(state, finding, now) else {
            continue;
        };
        diagnostic
            .message
            .push_str(&format!(" ({})", age.describe()));
        if escalate_after_days.is_some_and(|limit| age.days >= i64::from(limit)) {
            let raised = escalate(diagnostic.severity);
            if raised != diagnostic.severity {
                diagnostic.severity = raised;
                escalated += 1;
            }
        }
    }
    escalated
}
