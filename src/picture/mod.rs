//! The picture of a vault as one self-contained HTML page, for `twin report` and the
//! language server's `twin.server.report`: the trend of open findings from the trace,
//! where it hurts, and the typed graph. `data.rs` converts the analysis (byte spans to
//! lines) to the JSON the page reads; `page.rs` inlines it with the page's script and
//! styles. The page loads nothing from the network.
//!
//! Like `cli/report`, this is an output format: the only other place lines are counted.

mod data;
mod page;

use crate::analysis::Analysis;
use crate::coherence::vault_coherence;
use crate::diagnostic::Diagnostic;
use crate::history::{self, Timestamp, fingerprints};

/// The report's HTML for an analysis and its findings at `now`.
pub fn render(
    analysis: &Analysis,
    diagnostics: &[Diagnostic],
    now: Timestamp,
    days: u32,
    graph_limit: usize,
) -> String {
    let vault = &analysis.vault;
    let (vectors, score) =
        vault_coherence(vault, &analysis.graph, &analysis.coherence, diagnostics);
    let picture = analysis.picture(&vectors, graph_limit);
    let root = vault.root.as_path();
    let findings = fingerprints(diagnostics, vault);
    // The trace gives each finding its age and the vault its trend; no trace, neither.
    let ages: Vec<Option<i64>> = history::with_trace(root, |trace| {
        if !trace.exists() {
            return Vec::new();
        }
        findings
            .iter()
            .map(|f| history::surface::age(trace.state(), f, now).map(|a| a.days))
            .collect()
    })
    .unwrap_or_default();
    let trend = if history::trace::trace_path(root).is_file() {
        history::trend(root, now, days).ok()
    } else {
        None
    };
    let data = data::Data::new(data::Input {
        vault,
        diagnostics,
        ages: &ages,
        vectors: &vectors,
        score,
        picture: &picture,
        trend: trend.as_ref(),
        generated: now,
    });
    page::html(&data.to_json())
}
