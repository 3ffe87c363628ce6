//! `twin report`: one self-contained HTML file with the vault's trend, where it hurts, and
//! its topology. The data comes from the analysis and the history's trace; `data.rs`
//! converts it (byte spans to lines) to the JSON the page reads, `page.rs` inlines it with
//! the page's script and styles. Nothing in the page loads anything from the network.

mod data;
mod page;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK};
use crate::analysis::Analysis;
use crate::coherence::vault_coherence;
use crate::diagnostic::Diagnostic;
use crate::history::{self, Timestamp, fingerprints};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Where to write the HTML file.
    #[arg(long, short, default_value = "twin-report.html")]
    pub out: PathBuf,
    /// Days of history the trend chart covers.
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Notes the graph shows at first (the least coherent region); search and clicks
    /// reach the others.
    #[arg(long, default_value_t = 300)]
    pub graph_limit: usize,
}

pub fn run(args: &ReportArgs) -> u8 {
    let started = Instant::now();
    match write_report(&args.path, &args.out, args.days, args.graph_limit) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} ({} KB) in {:.2}s",
                args.out.display(),
                bytes.div_ceil(1024),
                started.elapsed().as_secs_f64()
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}

/// Loads the vault, assembles the report and writes it to `out`; returns its size in bytes.
/// Errors are reported on stderr.
pub fn write_report(root: &Path, out: &Path, days: u32, graph_limit: usize) -> Result<usize, u8> {
    let rulebook = super::load::open_rulebook(root)?;
    let analysis = super::load::open_analysis(root, rulebook, &mut |_| {})?;
    let fulltext = super::load::fulltext(&analysis.vault, &analysis.rulebook.active_queries());
    let diagnostics = analysis.check(Some(&fulltext));
    let now = super::history::now().map_err(|message| {
        eprintln!("error: {message}");
        EXIT_ERROR
    })?;
    let html = render(
        &analysis,
        &diagnostics,
        Timestamp::from_system(now),
        days,
        graph_limit,
    );
    let written = std::fs::File::create(out).and_then(|mut file| {
        file.write_all(html.as_bytes())?;
        file.flush()
    });
    if let Err(err) = written {
        eprintln!("error: cannot write {}: {err}", out.display());
        return Err(EXIT_ERROR);
    }
    let bytes = html.len();
    // Freeing the model note by note costs more than the OS reclaiming it at exit.
    std::mem::forget((analysis, diagnostics));
    Ok(bytes)
}

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
